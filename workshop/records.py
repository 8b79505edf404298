"""What the workshop store keeps, apart from how: a saved scenario, its bounds, and the stale-version error.

Pure (no database): the store and the backup both turn rows into ``Saved`` here, so a restored store reads
back exactly as the original did.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from formats.limits import (CODE, NAME_MAX, SCENARIO_BYTES_MAX, check_name, check_note, check_province,
                            check_value, check_year)
from formats.pack import scenario_bytes
from sim.errors import InputError
from sim.scenario import Change, NamedScenario, Scenario

SCENARIOS_PER_WORKSHOP = 20
HISTORY_PER_SCENARIO = 50    # replaced or deleted versions kept per scenario (the newest)
HISTORY_PER_WORKSHOP = 500   # and per workshop: at most 500,000 history rows on a full server
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")
SCENARIO_COLUMNS = ("id", "workshop", "name", "note", "year", "province", "changes", "version", "created",
                    "updated")


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


def valid_code(code: object) -> bool:
    return isinstance(code, str) and CODE_PATTERN.fullmatch(code) is not None


def client_key(address: str) -> str:
    """A visitor as the per-client creation bound counts them: 16 hex digits of a hash, never the address."""
    return hashlib.sha256(f"papi-workshop-client:{address}".encode()).hexdigest()[:16]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def changes_json(changes: tuple[Change, ...]) -> str:
    return json.dumps([[c.code, c.value, c.mode] for c in changes])


def saved(r) -> Saved:
    """A row (id, workshop, name, note, year, province, changes, version, created, updated) as Saved."""
    changes = tuple(Change(c, float(v), m) for c, v, m in json.loads(r[6]))
    return Saved(int(r[0]), r[1], r[2], r[3], int(r[4]), r[5], changes, int(r[7]), r[8], r[9])


def checked(named: NamedScenario, max_bytes: int = SCENARIO_BYTES_MAX) -> NamedScenario:
    """The scenario as the store keeps it: name, note and numbers within bounds (values at 4 dp)."""
    s = named.scenario
    changes = []
    for c in s.changes:
        if not CODE.fullmatch(c.code):
            raise InputError("pack.bad_code", value=c.code[:20])
        changes.append(Change(c.code, check_value(c.value), c.mode))
    out = NamedScenario(check_name(named.name), Scenario(check_year(s.year), check_province(s.province),
                                                         tuple(changes)), check_note(named.note))
    if scenario_bytes(out) > max_bytes:
        raise InputError("workshop.too_big", max=max_bytes)
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
