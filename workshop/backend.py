"""Where the workshop store lives, and the connections to it.

``PAPI_WORKSHOP_DB`` unset: the SQLite file ``workshops.sqlite3`` beside app.py (the README's one command
needs nothing else); a path: that SQLite file; ``postgresql://user:pw@host:port/db``: PostgreSQL (several
replicas share it). Any other ``scheme://`` is refused (it used to become a folder named ``scheme:``).

SQLite opens a new connection per call (nothing held open: a removed file is created again, a read-only
mount can be unmounted) and serialises writers with ``BEGIN IMMEDIATE``; PostgreSQL keeps a small pool per
process and serialises the writers of one workshop with a row lock on it (see ``lock_workshop``).
"""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.pool import NullPool

from . import schema
from .faults import StoreError, opened

ENV_PATH = "PAPI_WORKSHOP_DB"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "workshops.sqlite3"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://(.*)", re.DOTALL)
_POSTGRES = ("postgresql", "postgres", "postgresql+psycopg")
_SERVER_LOCK = 0x5A51_2101  # pg_advisory_xact_lock key: one workshop creation at a time (the 1,000 bound)


@dataclass(frozen=True)
class Location:
    """A parsed ``PAPI_WORKSHOP_DB``: a SQLite file (``path``) or a PostgreSQL URL (``url``)."""
    kind: str
    path: Path | None = None
    url: str | None = None


def default_path() -> Path:
    """The SQLite file used when ``PAPI_WORKSHOP_DB`` names no URL."""
    return Path(os.environ.get(ENV_PATH) or DEFAULT_PATH)


def default_db() -> str:
    """``PAPI_WORKSHOP_DB`` as given (a path or a URL), or the default file."""
    return os.environ.get(ENV_PATH) or str(DEFAULT_PATH)


def locate(where: str | Path) -> Location:
    """What ``where`` names; an unknown scheme is a StoreError (``store.bad_url``), never a folder."""
    if isinstance(where, Path):
        return Location("sqlite", path=where)
    m = _SCHEME.fullmatch(where)
    if m is None:
        return Location("sqlite", path=Path(where))
    scheme, rest = m.group(1).lower(), m.group(2)
    if scheme in _POSTGRES and rest:
        return Location("postgresql", url="postgresql+psycopg://" + rest)
    if scheme == "sqlite" and rest.startswith("/") and len(rest) > 1:  # sqlite:///relative, sqlite:////absolute
        return Location("sqlite", path=Path(rest[1:]))
    raise StoreError("store.bad_url", scheme=scheme[:20])


def _open_sqlite(path: Path) -> sqlite3.Connection:
    """A connection to the file, creating it (and the tables) on first use; someone else's database is
    never touched; a read-only file system is opened immutable (read only)."""
    if path.is_dir():
        raise StoreError("store.unavailable")
    new = not path.exists()
    if new:  # first use, or removed while the server runs
        path.parent.mkdir(parents=True, exist_ok=True)
    where = quote(str(path.resolve()))
    try:
        con = opened(f"file:{where}?mode={'rwc' if new else 'rw'}")
    except sqlite3.OperationalError as e:  # a read-only file system cannot hold WAL's shared-memory file
        if new or "locked" in str(e):
            raise
        con = opened(f"file:{where}?immutable=1")
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not schema.NAMES <= tables:
            if tables - schema.NAMES - {"sqlite_sequence"}:
                raise StoreError("store.not_a_store")
            if not {"workshops", "scenarios", "history"} <= tables:
                con.execute("PRAGMA journal_mode=WAL")
            for statement in schema.ddl(sqlite_dialect.dialect()):
                con.execute(statement)
        con.execute("PRAGMA foreign_keys=ON")
    except BaseException:
        con.close()
        raise
    return con


def engine_for(loc: Location) -> Engine:
    """An engine for the location (it connects only when first used)."""
    if loc.kind == "sqlite":
        path = loc.path
        return create_engine("sqlite://", creator=lambda: _open_sqlite(path), poolclass=NullPool)
    return create_engine(loc.url, pool_size=4, max_overflow=8, pool_pre_ping=True, pool_recycle=1800,
                         connect_args={"connect_timeout": 5})  # a server that is away: one notice, not a hang


def prepare(engine: Engine) -> None:
    """Create PostgreSQL's tables if missing (replicas starting together take turns on a lock)."""
    if engine.dialect.name == "sqlite":
        return  # done by every new connection
    with engine.begin() as con:
        con.execute(select(text("pg_advisory_xact_lock(:k)")).params(k=_SERVER_LOCK))
        schema.metadata.create_all(con, checkfirst=True)


def begin_write(con: Connection) -> None:
    """Start the write transaction: SQLite takes the write lock up front so bound checks cannot race."""
    if con.dialect.name == "sqlite":
        con.exec_driver_sql("BEGIN IMMEDIATE")


def lock_server(con: Connection) -> None:
    """Serialise workshop creation across every replica (the per-server and per-client bounds)."""
    if con.dialect.name != "sqlite":  # SQLite's BEGIN IMMEDIATE already holds the only write lock
        con.execute(select(text("pg_advisory_xact_lock(:k)")).params(k=_SERVER_LOCK))
