"""The workshop store's tables, declared once (SQLAlchemy Core) for every back end.

Ids are never reused (SQLite AUTOINCREMENT, PostgreSQL identity), because the history names a scenario by
its id after the scenario is deleted. Times are ISO text in UTC, so both back ends sort and dump them alike.
"""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, Table, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex, CreateTable

metadata = MetaData()

workshops = Table(
    "workshops", metadata,
    Column("code", Text, primary_key=True), Column("created", Text, nullable=False))


def _scenario_columns() -> list[Column]:
    return [Column("name", Text, nullable=False), Column("note", Text, nullable=False),
            Column("year", Integer, nullable=False), Column("province", Text, nullable=False),
            Column("changes", Text, nullable=False), Column("version", Integer, nullable=False),
            Column("created", Text, nullable=False), Column("updated", Text, nullable=False)]


scenarios = Table(
    "scenarios", metadata,
    Column("id", Integer, primary_key=True),
    Column("workshop", Text, ForeignKey("workshops.code"), nullable=False),
    *_scenario_columns(), UniqueConstraint("workshop", "name"), sqlite_autoincrement=True)

history = Table(
    "history", metadata,
    Column("id", Integer, primary_key=True), Column("scenario", Integer, nullable=False),
    Column("workshop", Text, nullable=False), *_scenario_columns(),
    Column("replaced", Text, nullable=False), Column("action", Text, nullable=False),
    Index("history_scenario", "scenario"), Index("history_workshop", "workshop"), sqlite_autoincrement=True)

# who created a workshop when: a salted hash of the client's address, never the address; rows older than
# the window are dropped on the next creation
creations = Table(
    "creations", metadata,
    Column("id", Integer, primary_key=True), Column("client", Text, nullable=False),
    Column("at", Text, nullable=False), Index("creations_client", "client"), sqlite_autoincrement=True)

TABLES = (workshops, scenarios, history, creations)
NAMES = frozenset(t.name for t in TABLES)
COLUMNS = {t.name: tuple(c.name for c in t.columns) for t in TABLES}


def ddl(dialect: Dialect) -> list[str]:
    """The statements that create whatever is missing (IF NOT EXISTS), for a raw connection."""
    out = [str(CreateTable(t, if_not_exists=True).compile(dialect=dialect)) for t in TABLES]
    out += [str(CreateIndex(i, if_not_exists=True).compile(dialect=dialect)) for t in TABLES for i in t.indexes]
    return out
