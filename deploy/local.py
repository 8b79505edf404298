"""The whole deployment on loopback, for the deployment test, the load bench and a trial run: the launcher
with N replicas and nginx from the rendered site, in a folder of its own (no root-only path), stopped by
PID. The store is whatever ``PAPI_WORKSHOP_DB`` names in ``env``.

    with local.stack(2, tmp, env={"PAPI_WORKSHOP_DB": url}) as s:   # s.url is nginx; s.ports the replicas
"""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import nginx as site_conf  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


class StackError(RuntimeError):
    """A part of the stack did not come up in time (the message says which, with the machine's load)."""


@dataclass(frozen=True)
class Stack:
    url: str
    ports: tuple[int, ...]
    run_dir: Path
    launcher_pid: int

    def replica_pid(self, k: int) -> int:
        return int((self.run_dir / f"replica-{k}.pid").read_text())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str, cookie: str | None = None) -> urllib.request.http.client.HTTPResponse | None:
    req = urllib.request.Request(url, headers={"Cookie": f"papi_route={cookie}"} if cookie else {})
    try:
        return urllib.request.urlopen(req, timeout=5)
    except OSError:
        return None


def wait_healthy(url: str, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        r = answers(f"{url}/_stcore/health")
        if r is not None and r.status == 200:
            return
        time.sleep(0.3)
    raise StackError(f"{what} did not answer /_stcore/health within {seconds:.0f} s "
                     f"(load average {os.getloadavg()[0]:.1f})")


def _stop(proc: subprocess.Popen, sig: int, wait_s: float) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, sig)
        try:
            proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@contextlib.contextmanager
def stack(replicas: int, folder: Path, env: dict[str, str] | None = None, start_s: float = 90,
          upstream_header: bool = False):
    """Yield a running Stack; ``upstream_header``: nginx names the replica that answered (X-Papi-Upstream),
    so a test can route its browsers on purpose (never in the shipped site)."""
    ports = tuple(free_port() for _ in range(replicas))
    run = folder / "run"
    launcher = subprocess.Popen(
        [sys.executable, str(HERE / "launch.py"), "--ports", ",".join(map(str, ports)), "--run-dir", str(run),
         "--log-dir", str(folder)], cwd=HERE.parent, env={**os.environ, **(env or {})},
        stderr=open(folder / "launcher.log", "ab"))
    ngx = None
    try:
        for p in ports:
            wait_healthy(f"http://127.0.0.1:{p}", start_s, f"the replica on port {p}")
        listen = free_port()
        text = site_conf.site(list(ports), f"127.0.0.1:{listen}")
        if upstream_header:
            text = text.replace("    add_header Set-Cookie",
                                "    add_header X-Papi-Upstream $upstream_addr;\n    add_header Set-Cookie")
        (folder / "nginx.conf").write_text(site_conf.standalone(text, folder))
        ngx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                "-e", str(folder / "error.log")], stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{listen}"
        wait_healthy(url, 20, "nginx")
        yield Stack(url, ports, run, launcher.pid)
    finally:
        if ngx is not None:
            _stop(ngx, signal.SIGQUIT, 20)  # graceful
        _stop(launcher, signal.SIGTERM, 60)  # the launcher stops its replicas
