"""The workshop store: named scenarios shared by every session of every replica (SQLite or PostgreSQL).

A workshop is a random code (``secrets.token_urlsafe(16)``: 22 URL-safe characters, 128 bits) carried in
the URL; anyone with the code sees and edits the same list. Every write is immediate and is one
transaction. Each scenario has a version: an update, rename or delete names the version it started from and
is refused with ``StaleVersion`` when someone else saved in between, so nobody silently overwrites anybody;
every version a write replaces or deletes is copied to a history table first. Concurrent writers are
serialised: SQLite by ``BEGIN IMMEDIATE``, PostgreSQL by a row lock on the workshop (``FOR UPDATE``) and an
advisory lock for creating workshops; the UPDATE is conditional on the version besides. All values reach
SQL as bound parameters. Where the store lives: ``workshop.backend``.

Bounds (refused with an InputError): 20 scenarios per workshop, 1,000 workshops per server, 5 new
workshops per client per hour, names of 80 characters, notes of 500, 4 KiB of note plus changes per
scenario (see ``formats.limits``). The history keeps the newest 50 versions of each scenario and 500 of each
workshop; older ones are dropped.
"""
from __future__ import annotations

import secrets
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, delete, func, insert, select, update

from formats.limits import SCENARIO_BYTES_MAX, check_name
from sim.errors import InputError
from sim.scenario import NamedScenario

from . import events
from .backend import (ENV_PATH, DEFAULT_PATH, begin_write, default_db, default_path, engine_for, locate,
                      lock_server, prepare)
from .faults import StoreError, guarded as _guarded
from .records import (HISTORY_PER_SCENARIO, HISTORY_PER_WORKSHOP, SCENARIO_COLUMNS, SCENARIOS_PER_WORKSHOP,
                      Saved, StaleVersion, changes_json, checked as _checked, free_name, now as _now,
                      saved as _row, valid_code)
from .schema import creations, history, scenarios, workshops

__all__ = ["ENV_PATH", "DEFAULT_PATH", "HISTORY_PER_SCENARIO", "HISTORY_PER_WORKSHOP", "SCENARIOS_PER_WORKSHOP",
           "WORKSHOPS_PER_SERVER", "CREATIONS_PER_CLIENT", "Saved", "StaleVersion", "Store", "StoreError",
           "checked", "default_db", "default_path", "free_name", "valid_code"]

WORKSHOPS_PER_SERVER = 1000
CREATIONS_PER_CLIENT = 5       # new workshops per client (hashed address) per window: nobody fills the server
CREATION_WINDOW = timedelta(hours=1)
_SCENARIO = tuple(scenarios.c[n] for n in SCENARIO_COLUMNS)
_HISTORY = tuple(history.c["scenario" if n == "id" else n] for n in SCENARIO_COLUMNS)


def checked(named: NamedScenario) -> NamedScenario:
    """The scenario as the store keeps it (``records.checked`` with this module's byte bound)."""
    return _checked(named, SCENARIO_BYTES_MAX)


class Store:
    """The workshop database named by ``where`` (a SQLite path or a ``postgresql://`` URL; default
    ``PAPI_WORKSHOP_DB``). Safe across threads and sessions: SQLite opens a connection per call, PostgreSQL
    draws one from the process's pool.

    Faults are StoreError, never a traceback: an unknown URL scheme, a folder or parent that cannot hold the
    file, a directory in its place, a file that is not SQLite or is damaged (left as it is), a read-only file
    or file system (read, never written), a PostgreSQL server that is down. A file removed while the server
    runs is created again, empty, on the next call.
    """

    def __init__(self, where: Path | str | None = None) -> None:
        where = default_db() if where is None else where
        self.path: Path | None = None
        self._fault: StoreError | None = None
        self._ready = False
        try:
            loc = locate(where)
        except StoreError as e:  # reported by every call, in the user's language
            self._fault, self.backend, self._engine = e, "none", None
            return
        self.path, self.backend, self._engine = loc.path, loc.kind, engine_for(loc)
        try:  # create it now where possible; a fault is reported by the first call that needs the store
            self._connect().close()
        except StoreError:
            pass

    @_guarded
    def _connect(self) -> Connection:
        if self._fault is not None:
            raise self._fault
        if not self._ready:
            prepare(self._engine)
            self._ready = True
        return self._engine.connect()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._connect() as con:
            yield con

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction, its lock taken up front so the bound checks cannot race."""
        with self._connect() as con:
            begin_write(con)
            try:
                yield con
            except BaseException:
                con.rollback()
                raise
            con.commit()

    def dispose(self) -> None:
        """Close the pooled connections (PostgreSQL), e.g. before a process exits."""
        if self._engine is not None:
            self._engine.dispose()

    # workshops
    @_guarded
    def create_workshop(self, client: str | None = None) -> str:
        """A fresh workshop with a new random code; refused when the server holds its maximum, or when
        ``client`` (a hashed address) has created its share within the hour."""
        with self._write() as con:
            lock_server(con)
            if con.execute(select(func.count()).select_from(workshops)).scalar_one() >= WORKSHOPS_PER_SERVER:
                raise InputError("workshop.server_full", max=WORKSHOPS_PER_SERVER)
            stamp = _now()
            if client is not None:
                since = (datetime.now(timezone.utc) - CREATION_WINDOW).isoformat(timespec="milliseconds")
                con.execute(delete(creations).where(creations.c.at < since))
                mine = select(func.count()).select_from(creations).where(creations.c.client == client)
                if con.execute(mine).scalar_one() >= CREATIONS_PER_CLIENT:
                    raise InputError("store.client_limit", max=CREATIONS_PER_CLIENT)
                con.execute(insert(creations).values(client=client, at=stamp))
            code = secrets.token_urlsafe(16)
            con.execute(insert(workshops).values(code=code, created=stamp))
        events.wrote("create_workshop", self.backend, code)
        return code

    @_guarded
    def exists(self, code: str) -> bool:
        if not valid_code(code):
            return False
        with self._read() as con:
            return con.execute(select(workshops.c.code).where(workshops.c.code == code)).first() is not None

    @staticmethod
    def _require(con: Connection, code: str, lock: bool = False) -> None:
        """The workshop must exist; ``lock``: hold its row until commit (PostgreSQL's writers queue here)."""
        if not valid_code(code):
            raise InputError("workshop.bad_code")
        query = select(workshops.c.code).where(workshops.c.code == code)
        if con.execute(query.with_for_update() if lock else query).first() is None:
            raise InputError("workshop.unknown_code")

    # scenarios
    @_guarded
    def list(self, code: str) -> tuple[Saved, ...]:
        """The workshop's scenarios, oldest first."""
        with self._read() as con:
            self._require(con, code)
            rows = con.execute(select(*_SCENARIO).where(scenarios.c.workshop == code).order_by(scenarios.c.id))
            return tuple(_row(r) for r in rows)

    @_guarded
    def get(self, code: str, scenario_id: int) -> Saved:
        with self._read() as con:
            self._require(con, code)
            return self._get(con, code, scenario_id)

    @staticmethod
    def _get(con: Connection, code: str, scenario_id: int) -> Saved:
        r = con.execute(select(*_SCENARIO).where(scenarios.c.workshop == code,
                                                 scenarios.c.id == int(scenario_id))).first()
        if r is None:
            raise InputError("workshop.gone")
        return _row(r)

    @staticmethod
    def _names(con: Connection, code: str) -> dict[str, int]:
        return {r[0]: r[1] for r in con.execute(select(scenarios.c.name, scenarios.c.id)
                                                .where(scenarios.c.workshop == code))}

    def _insert(self, con: Connection, code: str, named: NamedScenario) -> Saved:
        s, stamp = named.scenario, _now()
        result = con.execute(insert(scenarios).values(
            workshop=code, name=named.name, note=named.note, year=s.year, province=s.province,
            changes=changes_json(s.changes), version=1, created=stamp, updated=stamp))
        return self._get(con, code, result.inserted_primary_key[0])

    def _add(self, code: str, batch: list[NamedScenario], rename: bool) -> tuple[Saved, ...]:
        """Add scenarios in one transaction, all or none; ``rename``: a taken name gets " (2)" etc."""
        with self._write() as con:
            self._require(con, code, lock=True)
            taken = set(self._names(con, code))
            if len(taken) + len(batch) > SCENARIOS_PER_WORKSHOP:
                raise InputError("workshop.full", max=SCENARIOS_PER_WORKSHOP)
            out = []
            for named in batch:
                name = free_name(named.name, taken) if rename else named.name
                if name in taken:
                    raise InputError("workshop.name_taken", name=name)
                taken.add(name)
                out.append(self._insert(con, code, NamedScenario(name, named.scenario, named.note)))
        for s in out:
            events.wrote("save", self.backend, code, s.id, s.version)
        return tuple(out)

    @_guarded
    def save(self, code: str, named: NamedScenario) -> Saved:
        """Add a new scenario (version 1); a name already taken is refused."""
        return self._add(code, [checked(named)], rename=False)[0]

    @_guarded
    def save_free(self, code: str, named: NamedScenario) -> Saved:
        """Add a new scenario under its name or the first free "name (2)"…, chosen in the same transaction
        (so two editors keeping their stale versions at once never take the same name)."""
        return self._add(code, [checked(named)], rename=True)[0]

    @_guarded
    def save_all(self, code: str, batch: tuple[NamedScenario, ...] | list[NamedScenario]) -> tuple[Saved, ...]:
        """Add several scenarios at once (a pack), all or none; a name already taken gets " (2)" etc."""
        return self._add(code, [checked(n) for n in batch], rename=True)

    @_guarded
    def free_name(self, code: str, name: str) -> str:
        """``name``, or ``name (2)``, ``name (3)``… whichever is not taken yet in the workshop."""
        return free_name(check_name(name), {s.name for s in self.list(code)})

    def _archive(self, con: Connection, old: Saved, action: str) -> None:
        con.execute(insert(history).values(
            scenario=old.id, workshop=old.workshop, name=old.name, note=old.note, year=old.year,
            province=old.province, changes=changes_json(old.changes), version=old.version, created=old.created,
            updated=old.updated, replaced=_now(), action=action))
        # bounded: the newest versions of each scenario, and of each workshop (deleted scenarios included)
        for column, value, keep in ((history.c.scenario, old.id, HISTORY_PER_SCENARIO),
                                    (history.c.workshop, old.workshop, HISTORY_PER_WORKSHOP)):
            oldest_kept = (select(history.c.id).where(column == value).order_by(history.c.id.desc())
                           .limit(1).offset(keep).scalar_subquery())
            con.execute(delete(history).where(column == value, history.c.id <= oldest_kept))

    def _current(self, con: Connection, code: str, scenario_id: int, version: int) -> Saved:
        self._require(con, code, lock=True)
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
            other = self._names(con, code).get(named.name)
            if other is not None and other != old.id:
                raise InputError("workshop.name_taken", name=named.name)
            self._archive(con, old, "update")
            s = named.scenario
            done = con.execute(update(scenarios).where(scenarios.c.id == old.id, scenarios.c.version == version)
                               .values(name=named.name, note=named.note, year=s.year, province=s.province,
                                       changes=changes_json(s.changes), version=scenarios.c.version + 1,
                                       updated=_now()))
            if done.rowcount != 1:  # cannot happen under the lock; the condition guards it anyway
                raise StaleVersion(self._get(con, code, old.id), version)
            new = self._get(con, code, old.id)
        events.wrote("update", self.backend, code, new.id, new.version)
        return new

    @_guarded
    def rename(self, code: str, scenario_id: int, version: int, name: str) -> Saved:
        old = self.get(code, scenario_id)
        return self.update(code, scenario_id, version, NamedScenario(name, old.named.scenario, old.note))

    @_guarded
    def duplicate(self, code: str, scenario_id: int) -> Saved:
        """A copy named "name (2)" (or the next free number), version 1."""
        old = self.get(code, scenario_id)
        return self._add(code, [old.named], rename=True)[0]

    @_guarded
    def delete(self, code: str, scenario_id: int, version: int) -> None:
        """Delete a scenario if it is still at ``version`` (its last version stays in the history)."""
        with self._write() as con:
            old = self._current(con, code, scenario_id, version)
            self._archive(con, old, "delete")
            con.execute(delete(scenarios).where(scenarios.c.id == old.id))
        events.wrote("delete", self.backend, code, old.id, old.version)

    @_guarded
    def history(self, code: str, scenario_id: int) -> tuple[Saved, ...]:
        """Every replaced or deleted version of a scenario, oldest first."""
        with self._read() as con:
            self._require(con, code)
            rows = con.execute(select(*_HISTORY).where(history.c.workshop == code,
                                                       history.c.scenario == int(scenario_id))
                               .order_by(history.c.id))
            return tuple(_row(r) for r in rows)
