"""Sub-dimension rows for the what-if screen: where the province stands on each sub-dimension.

Uses the engine's ``sim.compare.indicator_stats`` and the Standing's ``subdimension_ranks`` /
``subdimension_groups`` where the engine has them; otherwise computes the same figures from the
year's table (every province that has the sub-dimension that year).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim import compare
from sim.data import Dataset
from sim.ranking import groups, ranks
from sim.scenario import Outcome


@dataclass(frozen=True)
class SubRow:
    code: str
    name: str
    low: float
    high: float
    baseline: float
    median: float
    q25: float
    best: float
    best_province: str
    rank: int
    of: int
    group: int

    @property
    def bottom_quartile(self) -> bool:
        """At or below the national 25th percentile of this sub-dimension."""
        return self.baseline <= self.q25 + 1e-9


def _national(ds: Dataset, year: int, code: str) -> tuple[list[str], np.ndarray]:
    table = ds.table(year)
    names = [p for p in table.provinces if code in table.subs.get(p, {})]
    return names, np.array([table.subs[p][code] for p in names], dtype=float)


def sub_rows(ds: Dataset, o: Outcome, dim: str, lang: str) -> list[SubRow]:
    """One row per sub-dimension of ``dim`` that the province has (baseline figures)."""
    year, province = o.scenario.year, o.scenario.province
    own = ds.table(year).subs.get(province, {})
    engine = compare.indicator_stats(ds, year) if hasattr(compare, "indicator_stats") else {}
    sub_ranks = getattr(o.baseline, "subdimension_ranks", None) or {}
    sub_groups = getattr(o.baseline, "subdimension_groups", None) or {}
    rows = []
    for code in sorted((k for k in own if k.split(".")[0] == dim), key=lambda k: [int(x) for x in k.split(".")]):
        ind = ds.indicator(code, year)
        names, values = _national(ds, year, code)
        i = names.index(province)
        s = engine.get(code)
        median = s.median if s else float(np.median(values))
        q25 = s.q25 if s else float(np.quantile(values, 0.25))
        best_i = int(np.argmax(values))
        best = s.best if s else float(values[best_i])
        best_province = s.best_province if s else names[best_i]
        rank = sub_ranks.get(code) or int(ranks(values)[i])
        group = sub_groups.get(code) or int(groups(values)[i])
        rows.append(SubRow(code, ind.name(lang), ind.scale_min, ind.scale_max, float(own[code]), median, q25, best,
                           best_province, int(rank), len(values), int(group)))
    return rows
