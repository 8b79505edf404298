"""Add a new PAPI edition (a year) to a dataset for one session, without touching anything bundled.

Engine side only: the rows arrive already read and checked by a file reader (``formats/``); this module
knows nothing of files. ``add_year`` returns a *new* Dataset; the one passed in is left as it was.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from .data import FRAMEWORK_START, Dataset, Indicator, YearTable
from .errors import InputError

# The 8-dimension framework began in 2018; the years before are complete in the bundled data.
LAST_YEAR = 2100
# Published totals agree with the sum of their 4-dp dimensions within this (shared data check [2]).
TOTAL_TOLERANCE = 0.0002


@dataclass(frozen=True)
class YearRow:
    """One province's scores in a new edition. ``total`` None means no official total (the sum is used)."""
    province: str
    dims: tuple[tuple[str, float], ...]          # (dimension code, score), every dimension of the year
    total: float | None = None
    subs: tuple[tuple[str, float], ...] = ()      # (sub-dimension code, score), optional


@dataclass(frozen=True)
class Added:
    """One accepted edition file: its year, rows, name and a fingerprint of its bytes (what a cache keys on)."""
    year: int
    rows: tuple[YearRow, ...]
    source: str
    digest: str


def structure_for(ds: Dataset, year: int) -> tuple[Indicator, ...]:
    """The indicators in force in ``year``; a year past the bundled structure borrows the latest one's."""
    here = tuple(i for i in ds.structure if i.in_force(year))
    if any(i.level == "dimension" for i in here):
        return here
    latest = max(i.year_to for i in ds.structure if i.year_from <= year)
    return tuple(dataclasses.replace(i, year_from=year, year_to=year)
                 for i in ds.structure if i.in_force(latest))


def check_year(ds: Dataset, year: int, replace: bool = False) -> None:
    """InputError unless ``year`` may be added: 2018-2100 (the 8-dimension framework) and not present
    (or ``replace``, for a year this session added and now reloads)."""
    if not FRAMEWORK_START <= year <= LAST_YEAR:
        raise InputError("edition.bad_year", value=year, low=FRAMEWORK_START, high=LAST_YEAR)
    if year in ds.tables and not replace:
        raise InputError("edition.year_exists", year=year)


def add_year(ds: Dataset, year: int, rows: tuple[YearRow, ...], source: str = "", replace: bool = False) -> Dataset:
    """A new Dataset with ``year`` built from ``rows``; refuses an existing year unless ``replace``.

    The rows must already be valid (a reader in ``formats/`` checks them cell by cell); this checks again the
    engine's own invariants, so a faulty caller cannot put an inconsistent year into a session.
    """
    check_year(ds, year, replace)
    inds = structure_for(ds, year)
    dim_codes = tuple(i.code for i in inds if i.level == "dimension")
    scales = {i.code: (i.scale_min, i.scale_max) for i in inds}
    known = {p.name for p in ds.provinces}
    seen = {r.province for r in rows}
    if not rows or len(seen) != len(rows) or not seen <= known:
        raise InputError("edition.bad_rows", year=year)
    order = tuple(p.name for p in ds.provinces if p.name in seen)
    by_name = {r.province: r for r in rows}
    dims = np.full((len(order), len(dim_codes)), np.nan)
    total = np.full(len(order), np.nan)
    official = np.zeros(len(order), dtype=bool)
    subs: dict[str, dict[str, float]] = {}
    for i, name in enumerate(order):
        r = by_name[name]
        values = dict(r.dims)
        if set(values) != set(dim_codes) or not all(_within(values[c], scales[c]) for c in dim_codes):
            raise InputError("edition.bad_rows", year=year)
        dims[i] = [values[c] for c in dim_codes]
        row_subs = dict(r.subs)
        if not all(c in scales and "." in c and _within(v, scales[c]) for c, v in row_subs.items()):
            raise InputError("edition.bad_rows", year=year)
        if row_subs:
            subs[name] = row_subs
        if r.total is None:
            total[i] = round(float(dims[i].sum()), 4)
        elif abs(r.total - dims[i].sum()) <= TOTAL_TOLERANCE + 1e-9:
            total[i], official[i] = r.total, True
        else:
            raise InputError("edition.bad_rows", year=year)
    sub_codes = tuple(i.code for i in inds if i.level == "subdimension" and any(i.code in v for v in subs.values()))
    sub_values = np.array([[subs.get(name, {}).get(c, np.nan) for c in sub_codes] for name in order]).reshape(
        len(order), len(sub_codes))
    for a in (dims, total, official, sub_values):
        a.setflags(write=False)
    frozen = MappingProxyType({p: MappingProxyType(dict(sorted(v.items()))) for p, v in subs.items()})
    table = YearTable(year, order, dim_codes, dims, total, official, frozen, sub_codes, sub_values)
    structure = tuple(i for i in ds.structure if not (replace and i.year_from == i.year_to == year))
    structure += tuple(i for i in inds if i not in structure)
    sources = {k: v for k, v in ds.sources.items() if k[0] != year}
    label = source or f"PAPI {year}"
    for r in rows:
        sources[(year, r.province, "total")] = label
        for code, _ in (*r.dims, *r.subs):
            sources[(year, r.province, code)] = label
    return dataclasses.replace(ds, structure=structure, tables=MappingProxyType({**ds.tables, year: table}),
                               sources=MappingProxyType(sources), added_years=ds.added_years | {year})


TOTAL_KINDS = ("official", "derived", "uploaded")


def total_kind(ds: Dataset, year: int, province: str | None = None) -> str:
    """What a province-year's total is: "official" (published), "derived" (the sum of its dimensions, where no
    total was published or on the 34-unit estimates) or "uploaded" (typed in a file a user added): a total the
    user typed must never be called official. Without ``province``: the year's table as a whole ("derived"
    where no province has a published total)."""
    table = ds.table(year)
    if province is None:
        if not table.total_official.any():
            return "derived"
    elif province not in table.provinces or not table.total_official[table.index(province)]:
        return "derived"
    return "uploaded" if year in ds.added_years else "official"


def _within(value: float, scale: tuple[float, float]) -> bool:
    # scales like 10/3 are stored rounded; a published score may sit on the rounded edge (as in sim.data)
    return math.isfinite(value) and scale[0] - 1e-4 <= value <= scale[1] + 1e-4
