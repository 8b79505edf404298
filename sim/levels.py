"""The dimension and sub-dimension hierarchy of a year, and each indicator's one-year history.

Levers work at either level: a dimension, or one of its sub-dimensions (whose scale is 1/k-10/k
with k the number of sub-dimensions of that dimension that year). A one-year change of an indicator
is only taken between consecutive years it is comparable across (same scale, no construction break
between them: ``Dataset.comparable``), so no cap, step or trend ever spans a break.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import FRAMEWORK_START, Dataset, YearTable


def column(table: YearTable, code: str) -> np.ndarray:
    """Every province's score on one indicator that year (NaN where missing)."""
    if code in table.dim_codes:
        return table.dims[:, table.dim_codes.index(code)]
    return table.sub_values[:, table.sub_codes.index(code)]


def value(table: YearTable, province: str, code: str) -> float:
    return float(column(table, code)[table.index(province)])


def codes(table: YearTable, level: str) -> tuple[str, ...]:
    return table.dim_codes if level == "dimension" else table.sub_codes


@dataclass(frozen=True, eq=False)
class IndicatorHistory:
    """All provinces' one-year changes of one indicator, over comparable consecutive years."""
    code: str
    pairs: tuple[tuple[int, int], ...]
    changes: np.ndarray  # read-only

    @property
    def gains(self) -> np.ndarray:
        """The changes that were improvements."""
        return self.changes[self.changes > 0]


def all_histories(ds: Dataset, first_year: int = FRAMEWORK_START) -> dict[str, IndicatorHistory]:
    """One-year changes of every indicator between consecutive years from ``first_year`` on, never across
    a break (read-only arrays: one copy can be shared)."""
    years = [y for y in ds.years if y >= first_year]
    found: dict[str, tuple[list, list]] = {}
    for a, b in zip(years, years[1:]):
        if b != a + 1:
            continue
        ta, tb = ds.table(a), ds.table(b)
        common = [p for p in ta.provinces if p in tb.provinces]
        ia = np.array([ta.index(p) for p in common], dtype=int)
        ib = np.array([tb.index(p) for p in common], dtype=int)
        for code in (*ta.dim_codes, *ta.sub_codes):
            if code not in (*tb.dim_codes, *tb.sub_codes) or not ds.comparable(code, a, b):
                continue
            d = column(tb, code)[ib] - column(ta, code)[ia]
            d = d[~np.isnan(d)]
            if len(d):
                pairs, parts = found.setdefault(code, ([], []))
                pairs.append((a, b))
                parts.append(d)
    out = {}
    for code, (pairs, parts) in found.items():
        changes = np.concatenate(parts)
        changes.setflags(write=False)
        out[code] = IndicatorHistory(code, tuple(pairs), changes)
    return out


def dropped_subs(ds: Dataset, year: int, dim: str) -> tuple[tuple[str, int], ...]:
    """Sub-dimensions of ``dim`` that the survey stopped measuring within the dimension's current framework,
    each with the last year it was measured (structure.csv: 5.2, construction permits, to 2020). Why a
    dimension opened in 2024 shows 5.1, 5.3 and 5.4."""
    # the framework the year belongs to (an uploaded year's structure rows start at that year, so not the span)
    start = FRAMEWORK_START if year >= FRAMEWORK_START else min(ds.years)
    now = {i.code for i in ds.indicators(year, "subdimension") if i.parent == dim}
    if not now:  # no sub-dimensions this year at all (before 2018 only 2015 has them): nothing was dropped
        return ()
    last: dict[str, int] = {}
    for i in ds.structure:
        if i.level == "subdimension" and i.parent == dim and i.code not in now and start <= i.year_to < year:
            last[i.code] = max(last.get(i.code, 0), i.year_to)
    return tuple(sorted(last.items()))
