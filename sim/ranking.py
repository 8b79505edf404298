"""Ranks, quartile cut-offs and the four PAPI performance groups.

The rule (chosen because it reproduces the published 2023 facts, see data/README.md):
- cut-offs are the 75th, 50th and 25th percentiles of the year's scores, linear interpolation
  between order statistics (numpy's default, Hyndman-Fan type 7), over the provinces with a score;
- group 1 (best performers) = score strictly above the 75th percentile, group 2 (high-average)
  strictly above the 50th, group 3 (low-average) strictly above the 25th, group 4 (poor) the rest.
  A province exactly on a cut-off falls in the lower group (2023: 15/15/15/16 of 61; Ha Noi rank 15
  last of group 1, Son La rank 30 last of group 2).
- ranks are competition ranks: 1 + the number of provinces with a strictly higher score, so tied
  provinces share the better rank ("1, 2, 2, 4").
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

GROUPS = (1, 2, 3, 4)
QUANTILES = (0.75, 0.50, 0.25)  # the cut-off between group g and g+1 is QUANTILES[g-1]
# Scores are published at 4 dp: a score within half a unit of that precision of a cut-off is "on" it.
ON_CUTOFF = 0.00005
# Smallest step that moves one published score strictly above another (their precision).
MARGIN = 0.0001


@dataclass(frozen=True)
class Cutoffs:
    """The three cut-offs of one distribution, highest first (q75, q50, q25)."""
    q75: float
    q50: float
    q25: float

    def as_tuple(self) -> tuple[float, float, float]:
        return self.q75, self.q50, self.q25

    def lower_bound(self, group: int) -> float | None:
        """The score a province must exceed to be in ``group`` (None for group 4)."""
        return self.as_tuple()[group - 1] if group < 4 else None


def quantile(sorted_values: np.ndarray, q: float) -> float:
    """Type-7 quantile of an ascending array; exact order statistic when (n-1)q is whole."""
    h = (len(sorted_values) - 1) * q
    i = int(np.floor(h))
    f = h - i
    if f == 0.0 or i + 1 >= len(sorted_values):
        return float(sorted_values[i])
    return float(sorted_values[i] + f * (sorted_values[i + 1] - sorted_values[i]))


def cutoffs(values: np.ndarray) -> Cutoffs:
    """Cut-offs of the scores present (NaN = no score, left out)."""
    v = np.sort(values[~np.isnan(values)])
    if len(v) == 0:
        raise ValueError("no scores to cut into groups")
    return Cutoffs(*(quantile(v, q) for q in QUANTILES))


def group_of(score: float, cuts: Cutoffs) -> int:
    """1 (best) .. 4 (poor): the first group whose lower cut-off the score strictly exceeds."""
    for g, cut in enumerate(cuts.as_tuple(), start=1):
        if score > cut:
            return g
    return 4


def groups(values: np.ndarray) -> np.ndarray:
    """Group of every score (0 where the score is missing)."""
    cuts = cutoffs(values)
    out = np.zeros(len(values), dtype=int)
    present = ~np.isnan(values)
    c = np.array(cuts.as_tuple())
    out[present] = 1 + (values[present][:, None] <= c[None, :]).sum(axis=1)
    return out


def ranks(values: np.ndarray) -> np.ndarray:
    """Competition rank of every score among those present (0 where missing)."""
    present = ~np.isnan(values)
    v = values[present]
    out = np.zeros(len(values), dtype=int)
    out[present] = 1 + (v[None, :] > v[:, None]).sum(axis=1)
    return out


def on_cutoff(score: float, cuts: Cutoffs) -> tuple[int, ...]:
    """Which cut-offs (1 = q75, 2 = q50, 3 = q25) a score sits on, at the data's precision."""
    return tuple(k for k, c in enumerate(cuts.as_tuple(), start=1) if abs(score - c) < ON_CUTOFF)


def threshold_for_group(others: np.ndarray, group: int) -> float | None:
    """The score one province must strictly exceed to be in ``group``, given everyone else's scores.

    The cut-offs move with our own score, so this is not simply today's cut-off: with the others
    sorted ascending (O) and n = len(others) + 1, our score x lies above the type-7 quantile q
    exactly when x > O[floor((n - 1) q)] (x enters the interpolation only between O[i] and O[i+1],
    where q = O[i] + f (x - O[i]) < x whenever x > O[i] and f < 1). None for group 4.
    """
    if group >= 4:
        return None
    o = np.sort(others[~np.isnan(others)])
    n = len(o) + 1
    i = int(np.floor((n - 1) * QUANTILES[group - 1]))
    return float(o[i]) if i < len(o) else float(o[-1])
