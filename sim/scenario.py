"""What-if scenarios: change one province's dimensions or sub-dimensions, recompute the nation.

A scenario is hashable data (so front ends can cache on it). ``apply`` returns the baseline and
the scenario standing of the province, the recomputed national arrays and what moved.
A dimension's new score is its baseline plus the sum of its sub-dimension changes (sub-dimensions
add up to their dimension); the total is the published total plus the sum of dimension changes,
so an empty scenario reproduces the published figures exactly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .data import Dataset, YearTable
from .errors import InputError
from .ranking import (
    Cutoffs,
    cutoffs,
    dimension_places,
    from_units,
    groups,
    min_score_for_group,
    on_cutoff,
    ranks,
    replace_places,
    to_units,
)

_CHANGE = re.compile(r"^\s*(?P<code>\d+(?:\.\d+)?)\s*=\s*(?P<value>[+-]?\d+(?:[.,]\d+)?)\s*$")


@dataclass(frozen=True)
class Change:
    """``delta`` adds to the baseline (``5=+0.4``); ``target`` sets a value (``8=4.5``)."""
    code: str
    value: float
    mode: str = "delta"  # "delta" | "target"

    def __post_init__(self) -> None:
        if self.mode not in ("delta", "target"):
            raise InputError("input.bad_change_mode", value=self.mode)


@dataclass(frozen=True)
class Scenario:
    year: int
    province: str
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class NamedScenario:
    """A scenario a workshop keeps: a name, an optional note (owner agency, assumptions) and the changes."""
    name: str
    scenario: Scenario
    note: str = ""


def parse_change(text: str) -> Change:
    """``CODE=+D`` / ``CODE=-D`` is a change, ``CODE=V`` a target (a decimal comma is accepted)."""
    m = _CHANGE.match(text)
    if not m:
        raise InputError("input.bad_change", value=text)
    raw = m["value"].replace(",", ".")
    mode = "delta" if raw[0] in "+-" else "target"
    return Change(m["code"], float(raw), mode)


def parse_decimal(text: str) -> float:
    """A number typed by a user, with a decimal comma or point ("4,5", "4.5", " 45 ")."""
    raw = str(text).strip().replace(",", ".")
    if not re.fullmatch(r"[+-]?\d+(\.\d+)?", raw):
        raise InputError("input.bad_number", value=text)
    return float(raw)


@dataclass(frozen=True)
class Applied:
    """What one change did: requested value, value applied after clamping to the scale."""
    code: str
    level: str
    before: float
    requested: float
    after: float

    @property
    def clamped(self) -> bool:
        return abs(self.requested - self.after) > 1e-12

    @property
    def change(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class Standing:
    """A province's place in one national table."""
    province: str
    total: float
    rank: int
    of: int
    group: int
    dimensions: dict[str, float]
    dimension_groups: dict[str, int]
    dimension_ranks: dict[str, int]
    cutoffs: Cutoffs
    on_cutoffs: tuple[int, ...]
    next_up: str | None          # the province directly above (None when first)
    to_next_rank: float | None   # points to pass it (gap + MARGIN)
    to_next_group: float | None  # points to reach the next group up, cut-offs moving with us
    total_official: bool
    subdimensions: dict[str, float] = field(default_factory=dict)
    subdimension_groups: dict[str, int] = field(default_factory=dict)
    subdimension_ranks: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class National:
    """Every ranked province's total, rank and group (arrays aligned with ``provinces``)."""
    provinces: tuple[str, ...]
    total: np.ndarray
    rank: np.ndarray
    group: np.ndarray
    dims: np.ndarray
    cutoffs: Cutoffs


@dataclass(frozen=True, eq=False)
class Outcome:
    scenario: Scenario
    baseline: Standing
    result: Standing
    national_baseline: National
    national_result: National
    applied: tuple[Applied, ...]
    overtaken: tuple[str, ...]     # provinces above us before, below us after
    overtaken_by: tuple[str, ...]  # provinces below us before, above us after
    warnings: tuple[dict, ...] = field(default=())


def ranked_table(table: YearTable) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The provinces that have a total this year, with their totals and dimension rows."""
    keep = ~np.isnan(table.total)
    names = tuple(p for p, k in zip(table.provinces, keep) if k)
    return names, table.total[keep], table.dims[keep]


def unscored(ds: Dataset, year: int) -> tuple[str, ...]:
    """The basis's provinces with no total in ``year`` (missing from the official data, never counted as zero):
    why a rank is out of 61 when the basis has 63."""
    ranked = set(ranked_table(ds.table(year))[0])
    return tuple(p.name for p in ds.provinces if p.name not in ranked)


def require_province(table: YearTable, names: tuple[str, ...], province: str) -> int:
    """Index of ``province`` among the ranked ``names``, or an error that says why it has none."""
    if province in names:
        return names.index(province)
    if province in table.provinces:
        raise InputError("input.no_total", province=province, year=table.year)
    raise InputError("input.no_data", province=province, year=table.year)


def _national(names: tuple[str, ...], total: np.ndarray, dims: np.ndarray, rule: str) -> National:
    """Totals are held at the data's precision (4 dp), so ties and cut-offs are decided exactly."""
    total = from_units(to_units(total))
    return National(names, total, ranks(total), groups(total, rule), dims, cutoffs(total, rule))


def standing(nat: National, i: int, dim_codes: tuple[str, ...], official: bool,
             places: tuple[dict, dict], subs: dict[str, float] | None = None,
             sub_places: tuple[dict, dict] = ({}, {})) -> Standing:
    """Province ``i``'s place in ``nat``: rank, group, distances upward (exact, in units of 0.0001);
    ``places`` and ``sub_places`` from dimension_places."""
    units = to_units(nat.total)
    total = float(nat.total[i])
    above = np.flatnonzero(units > units[i])
    next_up = int(above[np.argmin(units[above])]) if len(above) else None
    group = int(nat.group[i])
    to_group = None
    if group > 1:
        low = min_score_for_group(np.delete(nat.total, i), group - 1, nat.cutoffs.rule)
        to_group = float(from_units(max(int(to_units(low)) - int(units[i]), 1)))
    return Standing(
        province=nat.provinces[i], total=total, rank=int(nat.rank[i]), of=len(nat.total), group=group,
        dimensions={c: float(nat.dims[i, j]) for j, c in enumerate(dim_codes)},
        dimension_groups=places[0], dimension_ranks=places[1],
        cutoffs=nat.cutoffs, on_cutoffs=on_cutoff(total, nat.cutoffs),
        next_up=nat.provinces[next_up] if next_up is not None else None,
        to_next_rank=float(from_units(int(units[next_up]) - int(units[i]) + 1)) if next_up is not None else None,
        to_next_group=to_group, total_official=official,
        subdimensions=dict(subs or {}), subdimension_groups=sub_places[0], subdimension_ranks=sub_places[1])


def baseline(ds: Dataset, year: int, province: str) -> Standing:
    """The published standing of a province in a year."""
    return apply(ds, Scenario(year, province)).baseline


def _resolve(ds: Dataset, table: YearTable, province: str, changes: tuple[Change, ...],
             dims_row: np.ndarray) -> tuple[np.ndarray, list[Applied], dict[str, float]]:
    """New dimension row and sub-dimension values after the changes, clamping every value to its scale
    (a published value below its nominal minimum is never pushed up by the clamp)."""
    new = dims_row.copy()
    applied: list[Applied] = []
    seen: set[str] = set()
    dim_index = {c: j for j, c in enumerate(table.dim_codes)}
    subs = table.subs.get(province, {})
    new_subs = dict(subs)
    for ch in changes:
        if ch.code in seen:
            raise InputError("input.duplicate_change", code=ch.code)
        seen.add(ch.code)
        is_sub = ds.level(ch.code) == "subdimension"
        parent = ds.parent(ch.code) if is_sub else ch.code
        if is_sub and parent in seen or not is_sub and any(ds.parent(s) == ch.code for s in seen):
            raise InputError("input.dimension_and_sub", code=parent)
        if is_sub:
            if ch.code not in subs:
                known = ", ".join(sorted(subs)) or "-"
                raise InputError("input.unknown_sub", code=ch.code, province=province, year=table.year, known=known)
            ind = ds.indicator(ch.code, table.year)
            before = subs[ch.code]
        else:
            if ch.code not in dim_index:
                raise InputError("input.unknown_dimension", code=ch.code, year=table.year,
                                 known=", ".join(table.dim_codes))
            ind = ds.indicator(ch.code, table.year)
            before = float(dims_row[dim_index[ch.code]])
        requested = before + ch.value if ch.mode == "delta" else ch.value
        after = min(max(requested, min(ind.scale_min, before)), ind.scale_max)
        applied.append(Applied(ch.code, ind.level, before, requested, after))
        new[dim_index[parent]] += after - before
        if is_sub:
            new_subs[ch.code] = after
    return new, applied, new_subs


def year_table(ds: Dataset, year: int) -> YearTable:
    """The table of ``year``, or an error listing the years there are."""
    if year not in ds.tables:
        raise InputError("input.unknown_year", year=year, years=", ".join(map(str, ds.years)))
    return ds.tables[year]


def national_baseline(ds: Dataset, year: int) -> National:
    """The published national table of a year: totals, ranks, groups, cut-offs."""
    return _national(*ranked_table(year_table(ds, year)), ds.tie_rule(year))


def apply(ds: Dataset, scenario: Scenario) -> Outcome:
    """Apply a scenario and recompute every province's total, rank and group, cut-offs included."""
    table = year_table(ds, scenario.year)
    rule = ds.tie_rule(scenario.year)
    names, total, dims = ranked_table(table)
    i = require_province(table, names, scenario.province)
    k = table.index(scenario.province)
    official = bool(table.total_official[k])
    new_row, applied, new_subs = _resolve(ds, table, scenario.province, scenario.changes, dims[i])
    new_total, new_dims = total.copy(), dims.copy()
    new_dims[i] = new_row
    new_total[i] = total[i] + float((new_row - dims[i]).sum())
    nat0 = _national(names, total, dims, rule)
    nat1 = _national(names, new_total, new_dims, rule)
    total, new_total = nat0.total, nat1.total  # at 4 dp: who is above whom is decided exactly
    subs_now = table.subs.get(scenario.province, {})
    dim_places = dimension_places(table.dims, k, table.dim_codes, rule)
    sub_places = dimension_places(table.sub_values, k, table.sub_codes, rule) if subs_now else ({}, {})
    base = standing(nat0, i, table.dim_codes, official, dim_places, subs_now, sub_places)
    moved_dims = {c for c, a, b in zip(table.dim_codes, dims[i], new_row) if a != b}
    moved_subs = {a.code for a in applied if a.level == "subdimension" and a.after != a.before}
    res = standing(nat1, i, table.dim_codes, official,
                   replace_places(dim_places, table.dims, k, table.dim_codes, rule, moved_dims,
                                   {table.dim_codes.index(c): new_row[table.dim_codes.index(c)] for c in moved_dims}),
                   new_subs,
                   replace_places(sub_places, table.sub_values, k, table.sub_codes, rule, moved_subs,
                                   {table.sub_codes.index(c): new_subs[c] for c in moved_subs}))
    before_above = total > total[i]
    after_above = new_total > new_total[i]
    others = np.arange(len(names)) != i
    passed = np.flatnonzero(before_above & (new_total < new_total[i]) & others)
    passed_by = np.flatnonzero(~before_above & after_above & others)
    overtaken = tuple(names[j] for j in sorted(passed, key=lambda j: total[j]))        # nearest first
    overtaken_by = tuple(names[j] for j in sorted(passed_by, key=lambda j: -total[j]))  # nearest first
    warnings = tuple({"kind": "clamped", "code": a.code, "requested": round(a.requested, 4),
                      "applied": round(a.after, 4)} for a in applied if a.clamped)
    return Outcome(scenario, base, res, nat0, nat1, tuple(applied), overtaken, overtaken_by, warnings)
