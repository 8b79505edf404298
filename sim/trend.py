"""A province over the years: total, rank and group, every dimension and sub-dimension, against the nation.

Construction breaks are data, never joined by a line: the 2018 framework change (6 dimensions on 6-60 to
8 on 8-80), every change of an indicator's row in ``structure.csv`` (scale or meaning), and the breaks of
``breaks.csv`` (``Dataset.breaks``: the sub-dimensions whose construction changed, from the scale notes of
``subdimension_names.csv``). A series is a tuple of segments; a new segment starts at a break and after a
year without a score (a missing year is not bridged either).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from .data import Dataset, Indicator
from .editions import total_kind
from .errors import InputError
from .ranking import quantile
from .scenario import national_baseline, ranked_table

TOTAL = "total"


@dataclass(frozen=True)
class Break:
    """From ``year`` on, ``code`` is built differently: points before and after are never joined."""
    code: str
    year: int
    kind: str   # "framework" (2018: 6 -> 8 dimensions), "structure" (a new row in structure.csv), "construction"
    note: str = ""


@dataclass(frozen=True)
class Point:
    """One year of a series: the province's value and the nation's band (q25-q75), median and best."""
    year: int
    value: float
    q25: float
    median: float
    q75: float
    best: float
    best_province: str
    n: int


@dataclass(frozen=True)
class Segment:
    """Consecutive years built the same way; a line may join these points and no others."""
    points: tuple[Point, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(p.year for p in self.points)


@dataclass(frozen=True)
class Series:
    province: str
    code: str
    segments: tuple[Segment, ...]
    breaks: tuple[Break, ...]

    def point(self, year: int) -> Point | None:
        return next((p for s in self.segments for p in s.points if p.year == year), None)


@dataclass(frozen=True)
class TrendRow:
    """A province's year: standing (None where it has no total) and every score it has."""
    year: int
    era: str                      # the years the year's set of dimensions was in force, e.g. "2011-2017"
    scale: tuple[float, float]    # range of the total: (6, 60) or (8, 80)
    total: float | None
    total_official: bool
    rank: int | None
    of: int
    group: int | None
    dimensions: dict[str, float]
    subdimensions: dict[str, float]
    total_kind: str = "official"  # sim.editions.total_kind: "official", "derived" or "uploaded"


def indicator_row(ds: Dataset, code: str, year: int) -> Indicator | None:
    level = "dimension" if "." not in code else "subdimension"
    return next((i for i in ds.structure if i.code == code and i.level == level and i.in_force(year)), None)


def same_construction(a: Indicator, b: Indicator) -> bool:
    """Whether two rows of an indicator describe it built the same way (level, parent, scale, names): only
    their span of years and their source may differ. A new edition's rows are copies of the latest year's
    with their own span (``sim.editions.structure_for``), and continue its series."""
    keep = ("code", "level", "parent", "scale_min", "scale_max", "name_en", "name_vi")
    return all(getattr(a, f) == getattr(b, f) for f in keep)


def breaks(ds: Dataset, code: str) -> tuple[Break, ...]:
    """Every break of ``code`` within the dataset's years, earliest first (one per year)."""
    found: dict[int, Break] = {}
    years = ds.years
    for a, b in pairwise(years):
        if ds.table(a).dim_codes != ds.table(b).dim_codes:
            found[b] = Break(code, b, "framework")
        elif code != TOTAL:
            ra, rb = indicator_row(ds, code, a), indicator_row(ds, code, b)
            if ra is not None and rb is not None and not same_construction(ra, rb):
                found[b] = Break(code, b, "structure")
    for c, y in ds.breaks:  # data/breaks.csv
        if c == code and years[0] < y <= years[-1]:
            found.setdefault(y, Break(code, y, "construction"))
    return tuple(found[y] for y in sorted(found))


def crosses_break(bks: tuple[Break, ...], year_from: int, year_to: int) -> Break | None:
    """The first break strictly inside (year_from, year_to], if any."""
    lo, hi = min(year_from, year_to), max(year_from, year_to)
    return next((b for b in bks if lo < b.year <= hi), None)


def national_values(ds: Dataset, year: int, code: str) -> dict[str, float]:
    """Every province's value of ``code`` (a dimension, a sub-dimension or "total") that year."""
    table = ds.table(year)
    if code == TOTAL:
        names, total, _ = ranked_table(table)
        return {p: float(v) for p, v in zip(names, total)}
    if ds.level(code) == "subdimension":
        return {p: s[code] for p, s in table.subs.items() if code in s}
    if code not in table.dim_codes:
        return {}
    col = table.dims[:, table.dim_codes.index(code)]
    return {p: float(v) for p, v in zip(table.provinces, col) if not math.isnan(v)}


def value(ds: Dataset, year: int, province: str, code: str) -> float:
    """One province's value of ``code`` in ``year`` (NaN where missing)."""
    if year not in ds.tables:
        return math.nan
    return national_values(ds, year, code).get(province, math.nan)


def series(ds: Dataset, province: str, code: str) -> Series:
    """The province's path on one indicator, cut into segments at every break and missing year."""
    bks = breaks(ds, code)
    starts = {b.year for b in bks}
    segments: list[list[Point]] = []
    prev_had = False
    for year in ds.years:
        values = national_values(ds, year, code)
        if province not in values:
            prev_had = False
            continue
        v = np.sort(np.fromiter(values.values(), float))
        best = max(values, key=values.get)
        pt = Point(year, values[province], quantile(v, 0.25), quantile(v, 0.5), quantile(v, 0.75),
                   values[best], best, len(v))
        if not prev_had or year in starts:
            segments.append([])
        segments[-1].append(pt)
        prev_had = True
    return Series(province, code, tuple(Segment(tuple(s)) for s in segments), bks)


def trend(ds: Dataset, province: str) -> tuple[TrendRow, ...]:
    """Every year the province has a score: total, rank, of, group, dimensions and sub-dimensions."""
    rows = []
    for year in ds.years:
        table = ds.table(year)
        if province not in table.provinces:
            continue
        k = table.index(province)
        nat = national_baseline(ds, year)
        i = nat.provinces.index(province) if province in nat.provinces else None
        eras = [ind for ind in ds.structure if ind.level == "dimension" and ind.in_force(year)]
        rows.append(TrendRow(
            year=year, era=f"{min(e.year_from for e in eras)}-{max(e.year_to for e in eras)}", scale=table.scale,
            total=float(nat.total[i]) if i is not None else None, total_official=bool(table.total_official[k]),
            rank=int(nat.rank[i]) if i is not None else None, of=len(nat.provinces),
            group=int(nat.group[i]) if i is not None else None,
            dimensions={c: float(table.dims[k, j]) for j, c in enumerate(table.dim_codes)
                        if not math.isnan(table.dims[k, j])},
            subdimensions=dict(sorted(table.subs.get(province, {}).items())),
            total_kind=total_kind(ds, year, province)))
    return tuple(rows)


def r4(x: float | None) -> float | None:
    """A figure at the data's 4 dp for JSON (None for a missing one)."""
    return None if x is None or math.isnan(x) else round(x, 4)


def trend_json(rows: tuple[TrendRow, ...], province: str, province_vi: str) -> dict:
    """The CLI's ``trend --json`` document (fields are added, never renamed)."""
    return {"province": province, "province_vi": province_vi, "rows": [
        {"year": r.year, "era": r.era, "scale": list(r.scale), "total": r4(r.total),
         "total_official": r.total_official, "total_kind": r.total_kind, "rank": r.rank, "of": r.of, "group": r.group,
         "dimensions": {c: r4(v) for c, v in r.dimensions.items()},
         "subdimensions": {c: r4(v) for c, v in r.subdimensions.items()}} for r in rows]}


def require_code(ds: Dataset, code: str, year: int) -> None:
    """InputError unless ``code`` is "total" or an indicator in force in ``year``."""
    if code != TOTAL and indicator_row(ds, code, year) is None:
        raise InputError("input.code_not_in_force", code=code, year=year)


def framework_start(ds: Dataset) -> int:
    """First year of the current framework (2018: 8 dimensions); earlier years go on their own chart."""
    return max([ds.years[0]] + [b.year for b in breaks(ds, TOTAL) if b.kind == "framework"])


def series_frame(s: Series, first: int | None = None, last: int | None = None) -> pd.DataFrame:
    """One row per point within [first, last], numbered by segment (a chart joins only within a segment)."""
    rows = [{"year": p.year, "segment": k, "value": p.value, "q25": p.q25, "median": p.median, "q75": p.q75,
             "best": p.best, "best_province": p.best_province, "n": p.n}
            for k, seg in enumerate(s.segments) for p in seg.points
            if (first is None or p.year >= first) and (last is None or p.year <= last)]
    return pd.DataFrame(rows, columns=["year", "segment", "value", "q25", "median", "q75", "best", "best_province", "n"])


def breaks_frame(bks: tuple[Break, ...], first: int, last: int) -> pd.DataFrame:
    """Breaks strictly inside (first, last], placed half-way before their year."""
    rows = [{"year": b.year, "at": b.year - 0.5, "kind": b.kind, "note": b.note} for b in bks if first < b.year <= last]
    return pd.DataFrame(rows, columns=["year", "at", "kind", "note"])


def segment_of(bks: tuple[Break, ...], years: tuple[int, ...], year: int) -> tuple[int, ...]:
    """The years built like ``year``: those with no break between them and it."""
    return tuple(y for y in years if crosses_break(bks, y, year) is None)
