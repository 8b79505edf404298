"""The workshop store: named scenarios in one SQLite file, shared by every session of the server.

A workshop is a random code (``secrets.token_urlsafe(16)``: 22 URL-safe characters, 128 bits) carried in
the URL; anyone with the code sees and edits the same list. Every write is immediate. Each scenario has a
version: an update, rename or delete names the version it started from and is refused with
``StaleVersion`` when someone else saved in between, so nobody silently overwrites anybody; and every
version a write replaces or deletes is copied to a history table first. All values reach SQL as bound
parameters. The file (``PAPI_WORKSHOP_DB`` or ``workshops.sqlite3`` beside app.py) is created on first use
and runs in WAL mode, so readers never wait for a writer.

Bounds (refused with an InputError): 20 scenarios per workshop, 1,000 workshops per server, names of
80 characters, notes of 500, 4 KiB of note plus changes per scenario (see ``formats.limits``). The history
keeps the newest 50 versions of each scenario and 500 of each workshop; older ones are dropped.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from formats.limits import (CODE, NAME_MAX, SCENARIO_BYTES_MAX, check_name, check_note, check_province,
                            check_value, check_year)
from formats.pack import scenario_bytes
from sim.errors import InputError
from sim.scenario import Change, NamedScenario, Scenario

from .faults import StoreError, guarded as _guarded, opened as _opened

ENV_PATH = "PAPI_WORKSHOP_DB"
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "workshops.sqlite3"
SCENARIOS_PER_WORKSHOP = 20
WORKSHOPS_PER_SERVER = 1000
HISTORY_PER_SCENARIO = 50    # replaced or deleted versions kept per scenario (the newest)
HISTORY_PER_WORKSHOP = 500   # and per workshop: at most 500,000 history rows on a full server
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS workshops (
    code TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop TEXT NOT NULL REFERENCES workshops(code),
    name TEXT NOT NULL, note TEXT NOT NULL, year INTEGER NOT NULL, province TEXT NOT NULL,
    changes TEXT NOT NULL, version INTEGER NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
    UNIQUE (workshop, name));
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, scenario INTEGER NOT NULL, workshop TEXT NOT NULL,
    name TEXT NOT NULL, note TEXT NOT NULL, year INTEGER NOT NULL, province TEXT NOT NULL,
    changes TEXT NOT NULL, version INTEGER NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
    replaced TEXT NOT NULL, action TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_scenario ON history (scenario);
CREATE INDEX IF NOT EXISTS history_workshop ON history (workshop);
"""
_COLUMNS = "id, workshop, name, note, year, province, changes, version, created, updated"


class StaleVersion(InputError):
    """Someone saved this scenario since we read it: ``current`` is what the store holds now."""

    def __init__(self, current: "Saved", version: int) -> None:
        self.current = current
        super().__init__("workshop.stale", name=current.name, version=version, current=current.version)


@dataclass(frozen=True)
class Saved:
    """One stored scenario, with the version to name when changing it."""
    id: int
    workshop: str
    name: str
    note: str
    year: int
    province: str
    changes: tuple[Change, ...]
    version: int
    created: str
    updated: str

    @property
    def named(self) -> NamedScenario:
        return NamedScenario(self.name, Scenario(self.year, self.province, self.changes), self.note)


def default_path() -> Path:
    return Path(os.environ.get(ENV_PATH) or DEFAULT_PATH)


def valid_code(code: object) -> bool:
    return isinstance(code, str) and CODE_PATTERN.fullmatch(code) is not None


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _changes_json(changes: tuple[Change, ...]) -> str:
    return json.dumps([[c.code, c.value, c.mode] for c in changes])


def _row(r: tuple) -> Saved:
    changes = tuple(Change(c, float(v), m) for c, v, m in json.loads(r[6]))
    return Saved(r[0], r[1], r[2], r[3], r[4], r[5], changes, r[7], r[8], r[9])


def checked(named: NamedScenario) -> NamedScenario:
    """The scenario as the store keeps it: name, note and numbers within bounds (values at 4 dp)."""
    s = named.scenario
    changes = []
    for c in s.changes:
        if not CODE.fullmatch(c.code):
            raise InputError("pack.bad_code", value=c.code[:20])
        changes.append(Change(c.code, check_value(c.value), c.mode))
    out = NamedScenario(check_name(named.name), Scenario(check_year(s.year), check_province(s.province),
                                                         tuple(changes)), check_note(named.note))
    if scenario_bytes(out) > SCENARIO_BYTES_MAX:
        raise InputError("workshop.too_big", max=SCENARIO_BYTES_MAX)
    return out


def free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``… whichever is not in ``taken`` (within the name bound)."""
    if name not in taken:
        return name
    for k in range(2, SCENARIOS_PER_WORKSHOP + 2):
        suffix = f" ({k})"
        candidate = name[:NAME_MAX - len(suffix)].rstrip() + suffix
        if candidate not in taken:
            return candidate
    raise InputError("workshop.full", max=SCENARIOS_PER_WORKSHOP)


class Store:
    """The workshop database at ``path`` (a new connection per call: safe across threads and sessions).

    Faults are StoreError, never a traceback: a folder or parent that cannot hold the file, a directory in
    its place, a file that is not SQLite or is damaged (left as it is), a read-only file or file system
    (read, never written). A file removed while the server runs is created again, empty, on the next call.
    """

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        try:  # create it now where possible; a fault is reported by the first call that needs the file
            self._connect().close()
        except StoreError:
            pass

    @_guarded
    def _connect(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise StoreError("store.unavailable")
        new = not self.path.exists()
        if new:  # first use, or removed while the server runs
            self.path.parent.mkdir(parents=True, exist_ok=True)
        where = quote(str(self.path.resolve()))
        try:
            con = _opened(f"file:{where}?mode={'rwc' if new else 'rw'}")
        except sqlite3.OperationalError as e:  # a read-only file system cannot hold WAL's shared-memory file
            if new or "locked" in str(e):
                raise
            con = _opened(f"file:{where}?immutable=1")
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not {"workshops", "scenarios", "history"} <= tables:
                if tables - {"workshops", "scenarios", "history", "sqlite_sequence"}:
                    raise StoreError("store.not_a_store")  # someone else's database: never touched
                con.execute("PRAGMA journal_mode=WAL")
                con.executescript(_SCHEMA)
            con.execute("PRAGMA foreign_keys=ON")
        except BaseException:
            con.close()
            raise
        return con

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE) so the bound checks cannot race."""
        with closing(self._connect()) as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # workshops
    @_guarded
    def create_workshop(self) -> str:
        """A fresh workshop with a new random code; refused when the server holds its maximum."""
        with self._write() as con:
            (n,) = con.execute("SELECT COUNT(*) FROM workshops").fetchone()
            if n >= WORKSHOPS_PER_SERVER:
                raise InputError("workshop.server_full", max=WORKSHOPS_PER_SERVER)
            code = secrets.token_urlsafe(16)
            con.execute("INSERT INTO workshops (code, created) VALUES (?, ?)", (code, _now()))
        return code

    @_guarded
    def exists(self, code: str) -> bool:
        if not valid_code(code):
            return False
        with closing(self._connect()) as con:
            return con.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)).fetchone() is not None

    def _require(self, con: sqlite3.Connection, code: str) -> None:
        if not valid_code(code):
            raise InputError("workshop.bad_code")
        if con.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)).fetchone() is None:
            raise InputError("workshop.unknown_code")

    # scenarios
    @_guarded
    def list(self, code: str) -> tuple[Saved, ...]:
        """The workshop's scenarios, oldest first."""
        with closing(self._connect()) as con:
            self._require(con, code)
            rows = con.execute(f"SELECT {_COLUMNS} FROM scenarios WHERE workshop = ? ORDER BY id", (code,))
            return tuple(_row(r) for r in rows)

    @_guarded
    def get(self, code: str, scenario_id: int) -> Saved:
        with closing(self._connect()) as con:
            return self._get(con, code, scenario_id)

    def _get(self, con: sqlite3.Connection, code: str, scenario_id: int) -> Saved:
        self._require(con, code)
        r = con.execute(f"SELECT {_COLUMNS} FROM scenarios WHERE workshop = ? AND id = ?",
                        (code, int(scenario_id))).fetchone()
        if r is None:
            raise InputError("workshop.gone")
        return _row(r)

    def _name_free(self, con: sqlite3.Connection, code: str, name: str, but: int | None = None) -> None:
        r = con.execute("SELECT id FROM scenarios WHERE workshop = ? AND name = ?", (code, name)).fetchone()
        if r is not None and r[0] != but:
            raise InputError("workshop.name_taken", name=name)

    def _insert(self, con: sqlite3.Connection, code: str, named: NamedScenario) -> Saved:
        self._require(con, code)
        (n,) = con.execute("SELECT COUNT(*) FROM scenarios WHERE workshop = ?", (code,)).fetchone()
        if n >= SCENARIOS_PER_WORKSHOP:
            raise InputError("workshop.full", max=SCENARIOS_PER_WORKSHOP)
        self._name_free(con, code, named.name)
        s, now = named.scenario, _now()
        cur = con.execute(
            "INSERT INTO scenarios (workshop, name, note, year, province, changes, version, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (code, named.name, named.note, s.year, s.province, _changes_json(s.changes), now, now))
        return self._get(con, code, cur.lastrowid)

    @_guarded
    def save(self, code: str, named: NamedScenario) -> Saved:
        """Add a new scenario (version 1)."""
        named = checked(named)
        with self._write() as con:
            return self._insert(con, code, named)

    @_guarded
    def save_all(self, code: str, scenarios: tuple[NamedScenario, ...] | list[NamedScenario]) -> tuple[Saved, ...]:
        """Add several scenarios at once (a pack), all or none; a name already taken gets " (2)" etc."""
        scenarios = [checked(n) for n in scenarios]
        with self._write() as con:
            self._require(con, code)
            (n,) = con.execute("SELECT COUNT(*) FROM scenarios WHERE workshop = ?", (code,)).fetchone()
            if n + len(scenarios) > SCENARIOS_PER_WORKSHOP:
                raise InputError("workshop.full", max=SCENARIOS_PER_WORKSHOP)
            taken = {r[0] for r in con.execute("SELECT name FROM scenarios WHERE workshop = ?", (code,))}
            out = []
            for named in scenarios:
                name = free_name(named.name, taken)
                taken.add(name)
                out.append(self._insert(con, code, NamedScenario(name, named.scenario, named.note)))
            return tuple(out)

    @_guarded
    def free_name(self, code: str, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)``… whichever is not taken yet in the workshop."""
        return free_name(check_name(name), {s.name for s in self.list(code)})

    def _archive(self, con: sqlite3.Connection, old: Saved, action: str) -> None:
        con.execute(
            "INSERT INTO history (scenario, workshop, name, note, year, province, changes, version, created, "
            "updated, replaced, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (old.id, old.workshop, old.name, old.note, old.year, old.province, _changes_json(old.changes),
             old.version, old.created, old.updated, _now(), action))
        # bounded: the newest versions of each scenario, and of each workshop (deleted scenarios included)
        for column, value, keep in (("scenario", old.id, HISTORY_PER_SCENARIO),
                                    ("workshop", old.workshop, HISTORY_PER_WORKSHOP)):
            con.execute(f"DELETE FROM history WHERE {column} = ? AND id <= (SELECT id FROM history WHERE {column} = ? "
                        f"ORDER BY id DESC LIMIT 1 OFFSET ?)", (value, value, keep))

    def _current(self, con: sqlite3.Connection, code: str, scenario_id: int, version: int) -> Saved:
        old = self._get(con, code, scenario_id)
        if old.version != version:
            raise StaleVersion(old, version)
        return old

    @_guarded
    def update(self, code: str, scenario_id: int, version: int, named: NamedScenario) -> Saved:
        """Replace a scenario's name, note and changes, if it is still at ``version``."""
        named = checked(named)
        with self._write() as con:
            old = self._current(con, code, scenario_id, version)
            self._name_free(con, code, named.name, but=old.id)
            self._archive(con, old, "update")
            s = named.scenario
            con.execute("UPDATE scenarios SET name = ?, note = ?, year = ?, province = ?, changes = ?, "
                        "version = version + 1, updated = ? WHERE id = ? AND version = ?",
                        (named.name, named.note, s.year, s.province, _changes_json(s.changes), _now(),
                         old.id, version))
            return self._get(con, code, old.id)

    @_guarded
    def rename(self, code: str, scenario_id: int, version: int, name: str) -> Saved:
        old = self.get(code, scenario_id)
        return self.update(code, scenario_id, version, NamedScenario(name, old.named.scenario, old.note))

    @_guarded
    def duplicate(self, code: str, scenario_id: int) -> Saved:
        """A copy named "name (2)" (or the next free number), version 1."""
        old = self.get(code, scenario_id)
        named = NamedScenario(self.free_name(code, old.name), old.named.scenario, old.note)
        with self._write() as con:
            return self._insert(con, code, named)

    @_guarded
    def delete(self, code: str, scenario_id: int, version: int) -> None:
        """Delete a scenario if it is still at ``version`` (its last version stays in the history)."""
        with self._write() as con:
            old = self._current(con, code, scenario_id, version)
            self._archive(con, old, "delete")
            con.execute("DELETE FROM scenarios WHERE id = ?", (old.id,))

    @_guarded
    def history(self, code: str, scenario_id: int) -> tuple[Saved, ...]:
        """Every replaced or deleted version of a scenario, oldest first."""
        with closing(self._connect()) as con:
            self._require(con, code)
            rows = con.execute(
                f"SELECT scenario, workshop, name, note, year, province, changes, version, created, updated "
                f"FROM history WHERE workshop = ? AND scenario = ? ORDER BY id", (code, int(scenario_id)))
            return tuple(_row(r) for r in rows)
