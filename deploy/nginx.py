"""Render the nginx site for N replicas (``papi-site.conf.in``), or a whole nginx.conf that runs without
root (own prefix, pid file and temp folders: what the deployment test and a trial run use).

    python deploy/nginx.py --replicas 3 --first-port 8501 --listen 80 --server-name papi.example.vn \
        > /etc/nginx/sites-available/papi
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from formats.edition import MAX_BYTES  # noqa: E402  (the app's largest upload)

TEMPLATE = HERE / "papi-site.conf.in"
ENVELOPE = 1_000_000  # multipart headers and boundary around the file, with room to spare


def max_body() -> str:
    """client_max_body_size: the largest upload plus its envelope, in whole megabytes."""
    return f"{-(-(MAX_BYTES + ENVELOPE) // 1_000_000)}m"


def site(ports: list[int], listen: str = "80", server_name: str = "_", host: str = "127.0.0.1") -> str:
    """The server block for replicas on ``host:ports``; a replica failing twice rests 10 s."""
    servers = "\n".join(f"    server {host}:{p} max_fails=2 fail_timeout=10s;" for p in ports)
    text = TEMPLATE.read_text(encoding="utf-8")
    for field, value in (("@UPSTREAM_SERVERS@", servers), ("@LISTEN@", listen), ("@SERVER_NAME@", server_name),
                         ("@MAX_BODY@", max_body())):
        text = text.replace(field, value)
    return text


def standalone(site_text: str, prefix: Path) -> str:
    """A complete nginx.conf for ``nginx -p prefix -c nginx.conf``: no root-only path, in the foreground."""
    temp = "\n".join(f"    {kind}_temp_path {prefix / ('tmp-' + kind)};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
            f"events {{ worker_connections 1024; }}\n"
            f"http {{\n    access_log {prefix / 'access.log'};\n{temp}\n"
            f"{site_text}\n}}\n")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="Render the nginx site for PAPI What-If replicas.")
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument("--first-port", type=int, default=8501)
    p.add_argument("--listen", default="80")
    p.add_argument("--server-name", default="_")
    p.add_argument("--standalone", type=Path, help="write a whole nginx.conf run from this prefix folder")
    a = p.parse_args(argv)
    text = site(list(range(a.first_port, a.first_port + a.replicas)), a.listen, a.server_name)
    sys.stdout.write(standalone(text, a.standalone.resolve()) if a.standalone else text)


if __name__ == "__main__":
    main()
