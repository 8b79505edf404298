"""Ranks, quartile cut-offs and the four PAPI performance groups, in exact units of 0.0001.

Scores are published at 4 dp, so every comparison here is made on whole units of 0.0001
(``to_units``): two totals that print alike are tied, never split by float noise.

The rule (data/README.md, "Performance groups", says which published facts it reproduces):
- cut-offs are the 75th, 50th and 25th percentiles of the year's scores, linear interpolation
  between order statistics (numpy's default, Hyndman-Fan type 7), over the provinces with a score.
  For these three quantiles the interpolation weight is a multiple of 1/4, so a cut-off is held
  exactly as a whole number of quarter-units;
- group 1 (best performers) = above the 75th percentile, group 2 (high-average) above the 50th,
  group 3 (low-average) above the 25th, group 4 (poor) the rest;
- a province exactly on a cut-off goes to the lower group (tie rule ``lower``: 2023 and 2024 editions)
  or the upper group (``upper``: 2019 and 2020). The rule of each edition is data
  (``data/group_rules.csv``), passed in here;
- ranks are competition ranks: 1 + the number of provinces with a strictly higher score, so tied
  provinces share the better rank ("1, 2, 2, 4").
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GROUPS = (1, 2, 3, 4)  # best first
QUANTILES = (0.75, 0.50, 0.25)  # the cut-off between group g and g+1 is QUANTILES[g-1]
QUARTERS = (3, 2, 1)            # the same quantiles in quarters: q = k / 4
TIE_RULES = ("lower", "upper")
DP = 4                          # PAPI publishes its scores at 4 decimal places
UNIT = 10**DP                   # units per point: every comparison and rank works in whole 0.0001s
# Smallest step that moves one published score strictly above another (their precision).
MARGIN = 1 / UNIT


def to_units(values: np.ndarray | float) -> np.ndarray:
    """Scores as whole units of 0.0001 (int64); NaN must be filtered out first."""
    return np.rint(np.asarray(values, dtype=float) * UNIT).astype(np.int64)


def from_units(units: int | np.ndarray) -> float | np.ndarray:
    return units / UNIT


@dataclass(frozen=True)
class Cutoffs:
    """The three cut-offs of one distribution, highest first (q75, q50, q25).

    ``quarters`` holds them exactly, in quarter-units (4 x units); ``rule`` is the edition's tie rule.
    """
    q75: float
    q50: float
    q25: float
    quarters: tuple[int, int, int] = (0, 0, 0)
    rule: str = "lower"

    def as_tuple(self) -> tuple[float, float, float]:
        return self.q75, self.q50, self.q25


def _check_rule(rule: str) -> None:
    if rule not in TIE_RULES:
        raise ValueError(f"unknown tie rule {rule!r}; expected one of {TIE_RULES}")


def _cut_quarters(asc: np.ndarray, k: int) -> int:
    """Type-7 quantile k/4 of ascending units, in quarter-units (exact)."""
    h4 = (len(asc) - 1) * k
    i, f4 = divmod(h4, 4)
    lo = int(asc[i])
    if f4 == 0 or i + 1 >= len(asc):
        return 4 * lo
    return 4 * lo + f4 * (int(asc[i + 1]) - lo)


def _above(units4: np.ndarray | int, cut4: int, rule: str):
    """Whether a score (in quarter-units) is on the upper side of a cut-off under ``rule``."""
    return units4 >= cut4 if rule == "upper" else units4 > cut4


def quantile(sorted_values: np.ndarray, q: float) -> float:
    """Type-7 quantile of an ascending array of scores, computed exactly at the data's precision."""
    k = int(round(q * 4))
    if abs(k / 4 - q) > 1e-12:
        raise ValueError("only quartiles are held exactly")
    return _cut_quarters(to_units(sorted_values), k) / (4 * UNIT)


def cutoffs(values: np.ndarray, rule: str = "lower") -> Cutoffs:
    """Cut-offs of the scores present (NaN = no score, left out)."""
    _check_rule(rule)
    v = np.sort(to_units(values[~np.isnan(values)]))
    if len(v) == 0:
        raise ValueError("no scores to cut into groups")
    quarters = tuple(_cut_quarters(v, k) for k in QUARTERS)
    return Cutoffs(*(q / (4 * UNIT) for q in quarters), quarters=quarters, rule=rule)


def group_of(score: float, cuts: Cutoffs) -> int:
    """1 (best) .. 4 (poor): the first group whose lower cut-off the score passes under the tie rule."""
    s4 = 4 * int(to_units(score))
    for g, cut4 in enumerate(cuts.quarters, start=1):
        if _above(s4, cut4, cuts.rule):
            return g
    return 4


def groups(values: np.ndarray, rule: str = "lower") -> np.ndarray:
    """Group of every score (0 where the score is missing)."""
    cuts = cutoffs(values, rule)
    out = np.zeros(len(values), dtype=int)
    present = ~np.isnan(values)
    u4 = 4 * to_units(values[present])
    c = np.array(cuts.quarters)
    out[present] = 1 + (~_above(u4[:, None], c[None, :], rule)).sum(axis=1)
    return out


def ranks(values: np.ndarray) -> np.ndarray:
    """Competition rank of every score among those present (0 where missing)."""
    present = ~np.isnan(values)
    v = to_units(values[present])
    out = np.zeros(len(values), dtype=int)
    out[present] = 1 + (v[None, :] > v[:, None]).sum(axis=1)
    return out


def on_cutoff(score: float, cuts: Cutoffs) -> tuple[int, ...]:
    """Which cut-offs (1 = q75, 2 = q50, 3 = q25) a score sits on: within half a unit of 0.0001
    (strictly; a score exactly half a unit away prints as a different 4-dp number)."""
    s4 = 4 * int(to_units(score))
    return tuple(k for k, c in enumerate(cuts.quarters, start=1) if abs(s4 - c) < 2)


def min_score_for_group(others: np.ndarray, group: int, rule: str = "lower") -> float | None:
    """The lowest 4-dp score that puts one province in ``group`` (or better), given everyone else's
    scores. The cut-offs move with our own score, so this is not simply today's cut-off.

    With the others ascending (O, m of them, in units) and i, f = divmod(m k, 4) for the quantile k/4:
    our score x passes the cut-off exactly when x > O[i] under the ``lower`` rule (x enters the
    interpolation only between O[i] and O[i+1], where the cut-off stays below x whenever x > O[i] and
    f < 1, and reaches x otherwise). Under the ``upper`` rule (on the cut-off counts as above) the
    lowest such x is O[i] when the quantile interpolates (f > 0), and O[i-1] when it is an order
    statistic (f = 0): x then *is* the cut-off as soon as i others lie at or below it. None for group 4.
    """
    _check_rule(rule)
    if group >= 4:
        return None
    o = np.sort(to_units(others[~np.isnan(others)]))
    m = len(o)
    if m == 0:
        return None
    i, f4 = divmod(m * QUARTERS[group - 1], 4)
    if rule == "lower":
        low = int(o[i]) + 1
    else:
        low = int(o[i - 1]) if f4 == 0 and i >= 1 else int(o[i])
    return float(from_units(low))


def threshold_for_group(others: np.ndarray, group: int, rule: str = "lower") -> float | None:
    """The score one province must strictly exceed to be in ``group``: ``min_score_for_group`` less one
    unit (so callers that add MARGIN land exactly on the lowest score in the group). None for group 4."""
    low = min_score_for_group(others, group, rule)
    return None if low is None else low - MARGIN


def dimension_places(all_values: np.ndarray, k: int, codes: tuple[str, ...], rule: str = "lower") -> tuple[dict, dict]:
    """Group and rank of row ``k`` in each column (a dimension or a sub-dimension), among every province
    with a score there (including provinces whose total is missing that year), at 4 dp.

    All columns at once: the same type-7 quartiles in quarter-units as ranking.groups, per column."""
    if all_values.size == 0:
        return {}, {}
    units = np.rint(all_values * UNIT)            # whole units, NaN kept (NaN compares False)
    mine = units[k]
    rank = 1 + (units > mine[None, :]).sum(axis=0)
    n = (~np.isnan(units)).sum(axis=0)
    asc = np.sort(units, axis=0)                  # NaN sorts last in each column
    group = np.ones(units.shape[1], dtype=int)
    cols = np.arange(units.shape[1])
    for q in QUARTERS:
        i, f4 = np.divmod(np.maximum(n - 1, 0) * q, 4)
        lo = asc[i, cols]
        hi = asc[np.minimum(i + 1, np.maximum(n - 1, 0)), cols]
        cut4 = 4 * lo + np.where(f4 > 0, f4 * (hi - lo), 0)
        group += ~(4 * mine >= cut4 if rule == "upper" else 4 * mine > cut4)
    ok = ~np.isnan(mine)
    return ({c: int(group[j]) for j, c in enumerate(codes) if ok[j]},
            {c: int(rank[j]) for j, c in enumerate(codes) if ok[j]})


def replace_places(places: tuple[dict, dict], values: np.ndarray, k: int, codes: tuple[str, ...], rule: str,
                    moved: set[str], new_values: dict[int, float]) -> tuple[dict, dict]:
    """The places after a scenario: only the columns that moved are placed again (with row ``k`` at its
    new value); every other column keeps the baseline's place."""
    if not moved:
        return places
    cols = sorted(new_values)
    sub = values[:, cols].copy()
    sub[k] = [new_values[j] for j in cols]
    g, r = dimension_places(sub, k, tuple(codes[j] for j in cols), rule)
    return {**places[0], **g}, {**places[1], **r}
