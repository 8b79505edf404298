"""A throwaway PostgreSQL cluster on loopback for the tests: Debian's binaries, a data folder in a temp
dir, trust login on 127.0.0.1 only, a free port and its socket in that folder; stopped by its PID at exit.

Absent binaries skip the PostgreSQL variants with the reason, except in CI (``CI=true``), where
``.ci/run`` installs them and a missing cluster fails.
"""
from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser_support import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
_numbers = itertools.count(1)


@dataclass
class Cluster:
    """A running postmaster: ``url(db)`` names one of its databases."""
    proc: subprocess.Popen
    port: int
    folder: Path

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def new_database(self, prefix: str = "t") -> str:
        """A fresh empty database; its URL."""
        import psycopg
        name = f"{prefix}_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGINT)  # "fast" shutdown: rolls back, disconnects, exits
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)


_cluster: Cluster | None = None


def _demote():
    """As root, run the server as the ``postgres`` user (initdb and postgres refuse root)."""
    if os.geteuid() != 0:
        return None
    user = pwd.getpwnam("postgres")

    def run() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
    return run, user


def require_postgres() -> None:
    if not (PG_BIN / "initdb").exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's postgresql (see .ci/run)", pytrace=False)
        pytest.skip(f"PostgreSQL is not installed ({PG_BIN}/initdb missing: apt-get install postgresql)")


def cluster() -> Cluster:
    """The session's cluster, started on first use (one per test process)."""
    global _cluster
    require_postgres()
    if _cluster is not None and _cluster.proc.poll() is None:
        return _cluster
    folder = Path(tempfile.mkdtemp(prefix="papi-pg-"))
    demote = _demote()
    if demote is not None:
        os.chown(folder, demote[1].pw_uid, demote[1].pw_gid)
    as_user = demote[0] if demote else None
    data = folder / "data"
    init = subprocess.run([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                           "-E", "UTF8", "--locale=C.UTF-8"], capture_output=True, preexec_fn=as_user)
    if init.returncode != 0:
        pytest.fail("initdb failed: " + init.stderr.decode(errors="replace")[-1000:], pytrace=False)
    for _attempt in range(3):  # two xdist workers can be handed the same free port: then try another
        port = free_port()
        log = open(folder / "postgres.log", "wb")
        proc = subprocess.Popen(
            [str(PG_BIN / "postgres"), "-D", str(data), "-p", str(port), "-c", "listen_addresses=127.0.0.1",
             "-c", f"unix_socket_directories={folder}", "-c", "fsync=off", "-c", "max_connections=200"],
            stdout=log, stderr=subprocess.STDOUT, preexec_fn=as_user)
        log.close()
        started = Cluster(proc, port, folder)
        deadline = time.monotonic() + 30
        while subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                             capture_output=True).returncode != 0:
            if proc.poll() is not None or time.monotonic() > deadline:
                text = (folder / "postgres.log").read_text(errors="replace")
                if proc.poll() is not None and "already in use" in text:
                    break  # it has exited; the cluster's folder stays for the next port
                started.stop()
                pytest.fail("postgres did not start: " + text[-1000:])
            time.sleep(0.2)
        else:
            break
    else:
        pytest.fail("postgres found its port taken three times in a row")
    _cluster = started
    atexit.register(started.stop)
    return started
