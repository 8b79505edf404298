"""Several named scenarios of one province and year side by side, the baseline always first.

Plain data for a comparison table and chart: one row per measure (total, rank, group, distance to the
next group, each dimension, each sub-dimension that some scenario moves), a value per column and which
columns hold the best value of the row (none when all are equal).
"""
from __future__ import annotations

from dataclasses import dataclass
import numbers
from typing import Mapping, Sequence

from .data import Dataset, code_key
from .errors import InputError
from .ranking import UNIT
from .scenario import Applied, NamedScenario, Outcome, Scenario, apply

MAX_SIDE_BY_SIDE = 4  # scenarios side by side: the workshop's table and the brief's two legible pages


@dataclass(frozen=True)
class CompareRow:
    key: str                              # "total", "rank", "group", "to_next_group", "dimension", "subdimension"
    code: str                             # "" for the headline rows, else "5" or "6.1"
    values: tuple[float | None, ...]      # baseline first, then each scenario in the order given
    best: tuple[bool, ...]                # True where the row's best value sits
    higher_is_better: bool


@dataclass(frozen=True)
class Comparison:
    year: int
    province: str
    of: int                               # provinces ranked that year
    names: tuple[str, ...]                # the scenarios' names, in column order after the baseline
    rows: tuple[CompareRow, ...]

    def row(self, key: str, code: str = "") -> CompareRow:
        return next(r for r in self.rows if r.key == key and r.code == code)


def best(values: Sequence[object], higher: bool, none_is_best: bool = False) -> tuple[bool, ...]:
    """The one "best" rule of every side-by-side table: the columns holding the row's best value, every
    tie of it, compared in whole units of 0.0001 (the data's precision; numpy numbers count too). ``None``
    is best when ``none_is_best`` (no distance to a next group: already in the top group), else it takes no
    part (a sub-dimension a scenario moved through its dimension). Nothing is marked when all tie."""
    top_fill = UNIT * 10**9 if higher else -UNIT * 10**9
    units = [top_fill if v is None and none_is_best else
             round(float(v) * UNIT) if isinstance(v, numbers.Real) and not isinstance(v, bool) else None
             for v in values]
    present = {u for u in units if u is not None}
    if len(present) < 2:
        return tuple(False for _ in units)
    target = max(present) if higher else min(present)
    return tuple(u == target for u in units)


def sub_value(applied: Mapping[str, Applied], code: str, parent: str, baseline: float | None) -> float | None:
    """A sub-dimension's value under a scenario: its own change, none when the scenario moved its whole
    dimension instead (the sub-dimension then has no value of its own), else the baseline."""
    if code in applied:
        return applied[code].after
    return None if parent in applied else baseline


def moved_subdimensions(outcomes: Sequence[Outcome]) -> tuple[str, ...]:
    """The sub-dimensions some scenario moves, in code order: the only ones a comparison shows."""
    return tuple(sorted({a.code for o in outcomes for a in o.applied if a.level == "subdimension"},
                        key=code_key))


def _row(key: str, code: str, values: list[float | None], higher: bool) -> CompareRow:
    t = tuple(values)
    return CompareRow(key, code, t, best(t, higher, none_is_best=(key == "to_next_group")), higher)


def compare(ds: Dataset, scenarios: Sequence[NamedScenario]) -> Comparison:
    """Apply each scenario (1-4, same year and province) and lay the results out row by row."""
    if not 1 <= len(scenarios) <= MAX_SIDE_BY_SIDE:
        raise InputError("compare.count", max=MAX_SIDE_BY_SIDE)
    year, province = scenarios[0].scenario.year, scenarios[0].scenario.province
    for n in scenarios:
        if (n.scenario.year, n.scenario.province) != (year, province):
            raise InputError("compare.mixed", name=n.name, year=year, province=province)
    outcomes: list[Outcome] = [apply(ds, n.scenario) for n in scenarios]
    base = outcomes[0].baseline if outcomes else apply(ds, Scenario(year, province)).baseline
    standings = [base] + [o.result for o in outcomes]
    rows = [
        _row("total", "", [s.total for s in standings], True),
        _row("rank", "", [s.rank for s in standings], False),
        _row("group", "", [s.group for s in standings], False),
        _row("to_next_group", "", [s.to_next_group for s in standings], False),
    ]
    table = ds.table(year)
    rows += [_row("dimension", code, [s.dimensions[code] for s in standings], True) for code in table.dim_codes]
    subs = table.subs.get(province, {})
    for code in moved_subdimensions(outcomes):
        values = [subs[code]] + [sub_value({a.code: a for a in o.applied}, code, ds.parent(code), subs[code])
                                 for o in outcomes]
        rows.append(_row("subdimension", code, values, True))
    return Comparison(year, province, base.of, tuple(n.name for n in scenarios), tuple(rows))


def dimension_changes(c: Comparison) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """Each dimension's change from the baseline under every scenario, in whole units of 0.0001 (so a
    +0,10 plan reads exactly 0.1, not float noise), for the dimensions at least one scenario moves:
    what the workshop's "which dimensions does each scenario change" chart draws."""
    out = []
    for r in c.rows:
        if r.key != "dimension":
            continue
        base = r.values[0]
        changes = tuple(round(v - base, 4) + 0.0 for v in r.values[1:])  # + 0.0: no "-0" for an unmoved one
        if any(changes):
            out.append((r.code, changes))
    return tuple(out)
