"""Which effort model's plans look like real one-year improvements? The evidence behind DEFAULT_EFFORT.

For every province that really gained G > MIN_GAIN points between two consecutive years (2018 on), each
model plans a gain of G for that province from the first year (default caps, no locks), and the plan x is
compared with what the province really did, v: cosine similarity (same direction?) and the distance
||(x - v) / s|| in typical one-year changes s. The plausibility model's covariance is estimated without
the year pair being predicted, so it never sees the answer. Only indicators comparable across the pair
enter the comparison.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .data import Dataset
from .allocation import allocate
from .effort import EFFORTS, Panel, change_panel, cost_matrix, shrunk_covariance
from .goal import baseline_values, default_limits, variables
from .realism import History

MIN_GAIN = 0.3


@dataclass(frozen=True)
class ModelScore:
    effort: str
    cases: int
    cosine_median: float
    cosine_mean: float
    distance_median: float   # in typical one-year changes
    best_share: float        # share of cases where this model's plan is the closest in direction


@lru_cache(maxsize=64)
def _held_out(ds: Dataset, pair: int, codes: tuple[str, ...]):
    p = change_panel(ds)
    keep = p.pair_of_row != pair
    sub = Panel(p.codes, p.pairs, p.pair_of_row[keep], p.raw[keep], p.dev[keep])
    return shrunk_covariance(sub.columns(codes))


def compare_models(ds: Dataset, history: History, level: str = "dim", min_gain: float = MIN_GAIN,
                   every: int = 1) -> dict[str, ModelScore]:
    """Score each effort model against the real improvements (every ``every``-th case, for speed)."""
    panel = change_panel(ds)
    provinces = {}
    for (a, b) in panel.pairs:
        provinces[(a, b)] = [p for p in ds.table(a).provinces if p in ds.table(b).provinces]
    cos: dict[str, list[float]] = {e: [] for e in EFFORTS}
    dist: dict[str, list[float]] = {e: [] for e in EFFORTS}
    row, case = 0, 0
    for k, (a, b) in enumerate(panel.pairs):
        for p in provinces[(a, b)]:
            r = row
            row += 1
            ta = ds.table(a)
            if p not in ta.provinces or np.isnan(ta.total[ta.index(p)]) or np.isnan(ta.dims[ta.index(p)]).any():
                continue
            codes = variables(ds, a, p, level)
            v = np.array([panel.raw[r, panel.codes.index(c)] for c in codes])
            ok = ~np.isnan(v)
            gain = float(np.nansum(v))
            if ok.sum() < 2 or gain < min_gain:
                continue
            case += 1
            if case % every:
                continue
            base = baseline_values(ds, a, p, codes)
            plans = {}
            for effort in EFFORTS:
                lim = default_limits(ds, a, p, history, effort, level)
                room = np.maximum(np.array([lim[c][0] for c in codes]) - base, 0.0)
                if room.sum() < gain:
                    break
                cov = _held_out(ds, k, codes)
                h = cost_matrix(effort, cov, np.array([lim[c][2] for c in codes]))
                plans[effort] = (allocate(gain, room, h), cov.typical)
            if len(plans) < len(EFFORTS):
                continue
            for effort, (x, sd) in plans.items():
                xv, vv = x[ok], v[ok]
                cos[effort].append(float(xv @ vv / (np.linalg.norm(xv) * np.linalg.norm(vv))))
                dist[effort].append(float(np.linalg.norm((xv - vv) / sd[ok])))
    c = np.array([cos[e] for e in EFFORTS])
    winner = np.argmax(c, axis=0) if c.size else np.array([])
    return {e: ModelScore(e, len(cos[e]), float(np.median(cos[e])), float(np.mean(cos[e])),
                          float(np.median(dist[e])), float((winner == i).mean()) if c.size else 0.0)
            for i, e in enumerate(EFFORTS)}
