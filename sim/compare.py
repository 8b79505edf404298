"""Comparisons the what-if screen shows: reference marks, presets, chart data.

Each function takes the dataset or an Outcome and returns plain data (dataclasses, tuples or
pandas frames), so the app only draws what this module computed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import Dataset
from .plans import load_plan
from .ranking import groups, to_units
from .report import national_rows
from .scenario import Change, Outcome, national_baseline, year_table

PLAN = load_plan()                  # data/plan_areas.csv: Son La's plan areas, with their source
FOCUS_DIMENSIONS = PLAN.codes       # procedures and delays, accountability, e-governance
PLAN_PROVINCE = PLAN.province       # the province whose plan they are (a named preset for it only)
WEAK_SPOTS_SHOWN = 3


@dataclass(frozen=True)
class DimensionStats:
    """One dimension across the provinces that have a score that year."""
    code: str
    median: float
    best: float
    best_province: str
    n: int


def _present(col: np.ndarray) -> tuple[np.ndarray, int]:
    """A column's scores without the missing ones, and the row of its best (the first of a tie)."""
    return col[~np.isnan(col)], int(np.nanargmax(col))


def past_best(value: float, best: float) -> bool:
    """A scenario's value beyond the national best ("vượt mức cao nhất toàn quốc"), in whole units of 0.0001:
    the one rule of the what-if levers, their sub-dimension lines and the story's change step."""
    return int(to_units(value)) > int(to_units(best))


def dimension_stats(ds: Dataset, year: int) -> dict[str, DimensionStats]:
    """National median and best of each dimension in a year (missing scores left out); the what-if page
    needs only these, on every rerun, so the sub-dimensions' quartiles (indicator_stats) are not computed."""
    table = year_table(ds, year)
    out = {}
    for j, code in enumerate(table.dim_codes):
        ok, best_i = _present(table.dims[:, j])
        out[code] = DimensionStats(code, float(np.median(ok)), float(table.dims[best_i, j]), table.provinces[best_i],
                                   len(ok))
    return out


@dataclass(frozen=True)
class IndicatorStats:
    """One dimension or sub-dimension across the provinces that have a score that year."""
    code: str
    level: str
    median: float
    q25: float
    q75: float
    best: float
    best_province: str
    n: int
    scale_min: float
    scale_max: float


def indicator_stats(ds: Dataset, year: int) -> dict[str, IndicatorStats]:
    """National quartiles and best of every dimension and sub-dimension in a year (missing left out)."""
    table = year_table(ds, year)
    out = {}
    for level, codes, values in (("dimension", table.dim_codes, table.dims),
                                 ("subdimension", table.sub_codes, table.sub_values)):
        for j, code in enumerate(codes):
            ok, best_i = _present(values[:, j])
            q25, median, q75 = (float(np.quantile(ok, q)) for q in (0.25, 0.5, 0.75))
            ind = ds.indicator(code, year)
            out[code] = IndicatorStats(code, level, median, q25, q75, float(values[best_i, j]), table.provinces[best_i],
                                       len(ok), ind.scale_min, ind.scale_max)
    return out


def weak_spots(ds: Dataset, year: int, province: str, level: str = "dimension") -> tuple[str, ...]:
    """The province's own weak spots at one level, weakest first.

    A weak spot is an indicator where the province is in the national bottom quartile (the indicator's
    own group 4, under the edition's tie rule). They are ordered by the gap to the national median in scale units
    (gap / width of the indicator's scale), so sub-dimensions of different scales compare fairly. If
    none is in the bottom quartile, the indicators below the median with the largest such gaps stand in,
    so a province always sees where it is weakest. At most WEAK_SPOTS_SHOWN are returned.
    """
    table = year_table(ds, year)
    k = table.index(province)
    codes, values = (table.dim_codes, table.dims) if level == "dimension" else (table.sub_codes, table.sub_values)
    stats = indicator_stats(ds, year)
    rule = ds.tie_rule(year)
    gaps = []
    for j, code in enumerate(codes):
        v = values[k, j]
        if np.isnan(v):
            continue
        s = stats[code]
        gaps.append(((s.median - v) / (s.scale_max - s.scale_min), groups(values[:, j], rule)[k] == 4, code))
    bottom = [g for g in gaps if g[1]]
    chosen = bottom if bottom else [g for g in gaps if g[0] > 0]
    return tuple(code for _, _, code in sorted(chosen, key=lambda g: (-g[0], g[2]))[:WEAK_SPOTS_SHOWN])


def weak_dimensions(ds: Dataset, year: int, province: str) -> tuple[str, ...]:
    """Dimensions where the province is below the national median, largest gap first."""
    table = year_table(ds, year)
    row = table.dims[table.index(province)]
    stats = dimension_stats(ds, year)
    gaps = [(stats[c].median - row[j], c) for j, c in enumerate(table.dim_codes) if row[j] < stats[c].median]
    return tuple(c for _, c in sorted(gaps, reverse=True))


# ---- presets: each returns the changes that set several sliders at once -----------------------

def preset_focus(ds: Dataset, year: int, province: str, step: float = 0.5) -> tuple[Change, ...]:
    """+step on each of the province's own weak-spot dimensions (weak_spots)."""
    return tuple(Change(c, step) for c in weak_spots(ds, year, province))


def preset_plan(ds: Dataset, year: int, province: str, step: float = 0.5) -> tuple[Change, ...]:
    """+step on each area of the plan (data/plan_areas.csv) that exists that year (the named preset for Son La only)."""
    if province != PLAN_PROVINCE:
        return ()
    codes = year_table(ds, year).dim_codes
    return tuple(Change(c, step) for c in FOCUS_DIMENSIONS if c in codes)


def preset_median(ds: Dataset, year: int, province: str) -> tuple[Change, ...]:
    """Raise every dimension below the national median to the median."""
    stats = dimension_stats(ds, year)
    return tuple(Change(c, stats[c].median, "target") for c in sorted(weak_dimensions(ds, year, province)))


def preset_best(ds: Dataset, year: int, province: str, code: str) -> tuple[Change, ...]:
    """Match the best province on one dimension."""
    return (Change(code, dimension_stats(ds, year)[code].best, "target"),)


# ---- chart data ------------------------------------------------------------------------------

def national_frame(ds: Dataset, o: Outcome) -> pd.DataFrame:
    """One row per ranked province: baseline and scenario total, rank and group; ours flagged."""
    b, r = o.national_baseline, o.national_result
    return pd.DataFrame({
        "province": b.provinces,
        "baseline": b.total, "scenario": r.total,
        "rank_baseline": b.rank, "rank_scenario": r.rank,
        "group_baseline": b.group, "group_scenario": r.group,
        "is_us": [p == o.scenario.province for p in b.provinces],
    }).sort_values(["rank_scenario", "province"], ignore_index=True)


def profile_frame(ds: Dataset, o: Outcome) -> pd.DataFrame:
    """Our dimension profile against the national median and best: one row per dimension."""
    year = o.scenario.year
    stats = dimension_stats(ds, year)
    rows = []
    for code, base in o.baseline.dimensions.items():
        new = o.result.dimensions[code]
        rows.append({"code": code, "baseline": base, "scenario": new,
                     "median": stats[code].median, "best": stats[code].best,
                     "best_province": stats[code].best_province,
                     "group_baseline": o.baseline.dimension_groups[code],
                     "group_scenario": o.result.dimension_groups[code]})
    return pd.DataFrame(rows)


def waterfall_frame(o: Outcome) -> pd.DataFrame:
    """Steps from the baseline total to the scenario total, one per dimension that moved."""
    rows = [{"step": "baseline", "code": "", "start": 0.0, "end": o.baseline.total, "change": o.baseline.total}]
    level = o.baseline.total
    for code, base in o.baseline.dimensions.items():
        d = o.result.dimensions[code] - base
        if abs(d) > 1e-12:
            rows.append({"step": "dimension", "code": code, "start": level, "end": level + d, "change": d})
            level += d
    rows.append({"step": "scenario", "code": "", "start": 0.0, "end": o.result.total, "change": o.result.total})
    return pd.DataFrame(rows)


def neighbourhood_frame(ds: Dataset, o: Outcome, k: int = 4) -> pd.DataFrame:
    """The k provinces just above and below us after the scenario, with their gap to our total."""
    nat = national_frame(ds, o)
    i = int(nat.index[nat["is_us"]][0])
    near = nat.iloc[max(0, i - k): i + k + 1].copy()
    near["gap"] = near["scenario"] - o.result.total
    return near.reset_index(drop=True)


def baseline_frame(ds: Dataset, year: int) -> pd.DataFrame:
    """The published table of a year (ranked provinces), best first, one column per dimension."""
    table = year_table(ds, year)
    return pd.DataFrame(national_rows(national_baseline(ds, year), table.dim_codes))
