"""The workshop store's faults: every database or file-system error as one StoreError with a message key.

Apart from the store itself so that module stays about scenarios and versions; nothing here writes. Both
back ends land on the same keys: SQLite's file faults, and PostgreSQL's server that is down, refuses the
login or is read-only (a hot standby).
"""
from __future__ import annotations

import sqlite3
from functools import wraps

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from sim.errors import InputError


class StoreError(InputError):
    """The store cannot be used as it is (``store.unavailable``, ``store.not_a_store``, ``store.read_only``,
    ``store.bad_url``): one line for the page; the store itself is never overwritten or repaired."""


def fault(e: BaseException) -> StoreError:
    """What a database or file-system error means for the user."""
    if isinstance(e, DBAPIError) and e.orig is not None:
        e = e.orig
    text = str(e).lower()
    if isinstance(e, sqlite3.OperationalError) and "readonly" in text:
        return StoreError("store.read_only")
    if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
        return StoreError("store.not_a_store")  # "file is not a database", "database disk image is malformed"
    if "read-only transaction" in text:  # PostgreSQL: a standby, or default_transaction_read_only
        return StoreError("store.read_only")
    return StoreError("store.unavailable")


def guarded(method):
    """A Store method whose database and file-system errors become one StoreError (never a traceback)."""
    @wraps(method)
    def run(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.Error, OSError, SQLAlchemyError) as e:
            raise fault(e) from None
    return run


def opened(uri: str) -> sqlite3.Connection:
    """A connection that has read the file's schema (SQLite opens lazily), closed again if that fails."""
    con = sqlite3.connect(uri, uri=True, timeout=10, isolation_level=None, check_same_thread=False)
    try:
        con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except BaseException:
        con.close()
        raise
    return con
