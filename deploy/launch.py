"""Start N Streamlit replicas of the app on loopback and keep them up (the process systemd or compose runs).

Every replica gets the same ``server.cookieSecret`` (read from ``PAPI_COOKIE_SECRET``, else from a file
made once with 0600 rights), XSRF protection on, the app's upload bound and the shared workshop store
(``PAPI_WORKSHOP_DB``: a SQLite file serves replicas on one machine; PostgreSQL serves any number of
machines). A replica that exits, or fails its ``/_stcore/health`` check three times running, is started
again; nginx (``deploy/nginx.py``) sends its browsers to another replica meanwhile. Each replica's PID is in
``RUN_DIR/replica-K.pid``. SIGTERM stops them all.

    python deploy/launch.py --replicas 2 --first-port 8501 --run-dir /var/lib/papi
"""
from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from formats.edition import MAX_BYTES  # noqa: E402
from workshop.backend import default_db  # noqa: E402
from workshop.store import Store, StoreError  # noqa: E402

CHECK_EVERY_S = 5
FAILS_BEFORE_RESTART = 3


def log(event: str, **fields) -> None:
    print(json.dumps({"event": event, **fields}, sort_keys=True), file=sys.stderr, flush=True)


def cookie_secret(run_dir: Path) -> str:
    """One secret for every replica, kept across restarts (a replica restarted alone must match)."""
    if os.environ.get("PAPI_COOKIE_SECRET"):
        return os.environ["PAPI_COOKIE_SECRET"]
    path = run_dir / "cookie-secret"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def replica_env(secret: str) -> dict[str, str]:
    return {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret,
            "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": "true", "STREAMLIT_SERVER_ENABLE_CORS": "true",
            "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": str(-(-MAX_BYTES // 1_000_000)),
            "STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}


class Replica:
    """One ``streamlit run app.py`` on 127.0.0.1:port, its PID in the run folder."""

    def __init__(self, k: int, port: int, run_dir: Path, env: dict[str, str], log_dir: Path | None) -> None:
        self.k, self.port, self.run_dir, self.env, self.log_dir = k, port, run_dir, env, log_dir
        self.proc: subprocess.Popen | None = None
        self.fails = 0

    def start(self) -> None:
        out = open(self.log_dir / f"replica-{self.k}.log", "ab") if self.log_dir else None
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(self.port),
             "--server.address", "127.0.0.1"], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        if out:
            out.close()
        (self.run_dir / f"replica-{self.k}.pid").write_text(f"{self.proc.pid}\n")
        self.fails = 0
        log("replica.start", replica=self.k, port=self.port, pid=self.proc.pid)

    def healthy(self) -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_stcore/health", timeout=3).status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def supervise(replicas: list[Replica], started: float) -> None:
    """Restart what exited; restart what stopped answering its health check (after a start-up grace)."""
    for r in replicas:
        if r.proc.poll() is not None:
            log("replica.exited", replica=r.k, code=r.proc.returncode)
            r.start()
        elif time.monotonic() - started > 60:
            r.fails = 0 if r.healthy() else r.fails + 1
            if r.fails >= FAILS_BEFORE_RESTART:
                log("replica.unhealthy", replica=r.k)
                r.stop()
                r.start()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Start and keep up N replicas of PAPI What-If on loopback.")
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--first-port", type=int, default=8501)
    p.add_argument("--ports", help="comma-separated ports instead of --first-port (one per replica)")
    p.add_argument("--run-dir", type=Path, default=Path(os.environ.get("PAPI_RUN_DIR", ROOT / "run")))
    p.add_argument("--log-dir", type=Path, help="one log file per replica (default: this process's output)")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the one-line refusal")
    a = p.parse_args(argv)
    ports = [int(x) for x in a.ports.split(",")] if a.ports else list(range(a.first_port, a.first_port + a.replicas))
    try:  # a store that cannot be used is said once, here, before any replica starts
        Store(default_db()).exists("A" * 22)
    except StoreError as e:
        print(e.message(a.lang), file=sys.stderr)
        return 2
    a.run_dir.mkdir(parents=True, exist_ok=True)
    env = replica_env(cookie_secret(a.run_dir))
    replicas = [Replica(k, port, a.run_dir, env, a.log_dir) for k, port in enumerate(ports, 1)]
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    for r in replicas:
        r.start()
    started = time.monotonic()
    try:
        while not stopping:
            time.sleep(CHECK_EVERY_S if time.monotonic() - started > 60 else 1)
            if not stopping:
                supervise(replicas, started)
    finally:
        for r in replicas:
            r.stop()
        log("launcher.stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
