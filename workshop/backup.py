"""Backup and restore of the workshop store as one portable JSON document (any back end to any other).

Read through SQLAlchemy in one transaction, so a backup taken while the app runs is consistent; ids are
kept (the history names scenarios by id), and PostgreSQL's id sequences are moved past them on restore.
A restore goes only into an empty store, all or nothing, and every row is checked as a save would be.
"""
from __future__ import annotations

import json

from sqlalchemy import func, insert, select, text

from sim.errors import InputError

from .faults import StoreError, guarded
from .records import SCENARIO_COLUMNS, checked, saved
from .schema import COLUMNS, TABLES

FORMAT = "papi-workshop-backup"
VERSION = 1


@guarded
def dump(store) -> bytes:
    """Every table of the store, rows in id order, as UTF-8 JSON."""
    tables = {}
    with store._write() as con:  # one transaction: nothing changes between the tables
        for table in TABLES:
            rows = con.execute(select(table).order_by(*table.primary_key.columns))
            tables[table.name] = [list(r) for r in rows]
    doc = {"format": FORMAT, "version": VERSION, "columns": COLUMNS, "tables": tables}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _rows(doc: object) -> dict[str, list[dict]]:
    """The backup's rows by table, each checked; any fault is ``store.bad_backup``."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != VERSION:
        raise StoreError("store.bad_backup")
    out = {}
    for table in TABLES:
        names = COLUMNS[table.name]
        rows = doc.get("tables", {}).get(table.name, [])
        if not isinstance(rows, list) or any(not isinstance(r, list) or len(r) != len(names) for r in rows):
            raise StoreError("store.bad_backup")
        out[table.name] = [dict(zip(names, r)) for r in rows]
    try:
        for name in ("scenarios", "history"):
            for r in out[name]:
                checked(saved([r["scenario" if c == "id" and name == "history" else c] for c in SCENARIO_COLUMNS])
                        .named)
    except (InputError, TypeError, ValueError, KeyError):
        raise StoreError("store.bad_backup") from None
    return out


@guarded
def restore(store, data: bytes) -> tuple[int, int]:
    """Load a backup into an empty store; (workshops, scenarios) restored."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise StoreError("store.bad_backup") from None
    rows = _rows(doc)
    with store._write() as con:
        if any(con.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES):
            raise StoreError("store.restore_not_empty")
        for table in TABLES:  # parents first: scenarios name their workshop
            if rows[table.name]:
                con.execute(insert(table), rows[table.name])
        if con.dialect.name == "postgresql":
            for table in TABLES:
                if "id" in table.c:
                    con.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                     f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"))
    return len(rows["workshops"]), len(rows["scenarios"])
