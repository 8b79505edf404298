"""Sub-dimension rows for the what-if screen: where the province stands on each sub-dimension
(figures from sim.compare.indicator_stats and the baseline Standing; nothing computed here)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sim import compare
from sim.data import Dataset, code_key
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
    value: float  # under the scenario

    @property
    def past_best(self) -> bool:
        """Moved beyond the national best (at 4 dp): the flag a dimension's line carries too."""
        return compare.past_best(self.value, self.best)

    @property
    def bottom_quartile(self) -> bool:
        """In the national bottom quartile: the sub-dimension's own group 4 (the edition's tie rule)."""
        return self.group == 4


@lru_cache(maxsize=32)
def _stats(ds: Dataset, year: int) -> dict:
    return compare.indicator_stats(ds, year)


def sub_codes(ds: Dataset, year: int, province: str, dim: str) -> tuple[str, ...]:
    """The sub-dimensions of ``dim`` the province has that year, in code order."""
    own = ds.table(year).subs.get(province, {})
    return tuple(sorted((k for k in own if ds.parent(k) == dim), key=code_key))


def sub_rows(ds: Dataset, o: Outcome, dim: str, lang: str) -> list[SubRow]:
    """One row per sub-dimension of ``dim`` that the province has: its baseline value and the national
    marks, with the rank and group it has under the scenario (as each dimension's line does; with the baseline's
    rank a sub-dimension moved past the national best still read "hạng 19/61")."""
    year, province = o.scenario.year, o.scenario.province
    own = ds.table(year).subs.get(province, {})
    stats = _stats(ds, year)
    rows = []
    for code in sub_codes(ds, year, province, dim):
        ind, s = ds.indicator(code, year), stats[code]
        rows.append(SubRow(code, ind.name(lang), ind.scale_min, ind.scale_max, float(own[code]), s.median, s.q25,
                           s.best, s.best_province, o.result.subdimension_ranks[code], s.n,
                           o.result.subdimension_groups[code], o.result.subdimensions.get(code, float(own[code]))))
    return rows
