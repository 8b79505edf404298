"""Goal seeking: the least effort that reaches a target rank, group or total.

Effort model: raising dimension d by x_d costs w_d * x_d**2. A quadratic cost spreads the work
(a linear one would put it all on the cheapest dimension, which no committee would assign).
Default weights w_d = 1 / g_d, where g_d is the gap to the national best that year (floored at
0.05): the cheapest plan then closes the same share of every open gap, so a dimension already near
the best is harder to move. ``weights="equal"`` gives w_d = 1.

Caps (each default visible): the smallest of the scale maximum (10), the national best that year and
the baseline plus the 95th percentile of historical one-year gains of that dimension (2018 on).

Solving: minimise sum w_d x_d^2 subject to sum x_d >= N, 0 <= x_d <= u_d (u_d = cap - baseline, 0 when
locked). The KKT conditions give x_d = min(u_d, lam / (2 w_d)); lam is found with scipy's brentq.
N is the total increase the target needs: T - total for a total; for rank K, strictly above the
province that would otherwise hold rank K (plus MARGIN, the data's 0.0001 precision); for a group,
strictly above the cut-off *as it moves with our own score* (ranking.threshold_for_group).
The plan is then written at the data's precision (rounded up) and checked with sim's own scoring.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from .data import Dataset
from .errors import InputError
from .ranking import MARGIN, threshold_for_group
from .scenario import Change, Outcome, Scenario, apply, ranked_table, year_table
from .uncertainty import History, NoiseModel, Odds, simulate

DP = 4
CAP_PERCENTILE = 0.95
MIN_GAP = 0.05


@dataclass(frozen=True)
class Target:
    kind: str     # "rank" | "group" | "total"
    value: float  # K, g or T

    def __post_init__(self) -> None:
        if self.kind not in ("rank", "group", "total"):
            raise InputError("input.bad_target_kind", value=self.kind)


@dataclass(frozen=True)
class GoalRequest:
    year: int
    province: str
    target: Target
    locked: tuple[str, ...] = ()
    caps: tuple[tuple[str, float], ...] = ()      # overrides of the default caps
    weights: tuple[tuple[str, float], ...] = ()   # overrides of the default weights
    weighting: str = "gap"                        # "gap" | "equal"
    probability: float | None = None              # "with odds" mode: reach the target with P >= this
    model: NoiseModel = NoiseModel(draws=5_000)


@dataclass(frozen=True)
class Step:
    code: str
    start: float
    end: float
    cap: float
    cap_reason: str   # "scale" | "best" | "history" | "user"
    weight: float
    share: float      # of the plan's total effort

    @property
    def change(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, eq=False)
class Plan:
    request: GoalRequest
    reachable: bool
    already_met: bool
    needed: float                 # total increase the target needs (deterministic)
    steps: tuple[Step, ...]       # dimensions that move
    limits: tuple[Step, ...]      # every dimension's cap and weight (steps with no change where not moving)
    outcome: Outcome              # the plan (or the best reachable result) under sim's scoring
    slack: float                  # how far the result is past the target's threshold (negative: short)
    binding_caps: tuple[str, ...]
    cost: float
    probability: float | None = None   # with odds: P(target) of the plan
    odds: Odds | None = None


def default_limits(ds: Dataset, year: int, province: str, history: History,
                   weighting: str = "gap") -> dict[str, tuple[float, str, float]]:
    """code -> (cap, reason, weight) for every dimension, before user overrides."""
    table = year_table(ds, year)
    row = table.dims[table.index(province)]
    out = {}
    for j, code in enumerate(table.dim_codes):
        best = float(np.nanmax(table.dims[:, j]))
        hist_gain = row[j] + float(np.quantile(history.changes[:, history.dim_codes.index(code)], CAP_PERCENTILE)) \
            if code in history.dim_codes else math.inf
        cap, reason = min((10.0, "scale"), (best, "best"), (hist_gain, "history"), key=lambda c: c[0])
        cap = max(math.floor(cap * 10**DP) / 10**DP, float(row[j]))
        weight = 1.0 if weighting == "equal" else 1.0 / max(best - float(row[j]), MIN_GAP)
        out[code] = (cap, reason, weight)
    return out


def needed_increase(ds: Dataset, year: int, province: str, target: Target) -> tuple[float, float]:
    """(N, threshold): the total increase the target needs, and the total it must reach or pass."""
    names, total, _ = ranked_table(year_table(ds, year))
    i = names.index(province)
    others = np.delete(total, i)
    base = float(total[i])
    if target.kind == "total":
        lo, hi = year_table(ds, year).scale
        if not lo <= target.value <= hi:
            raise InputError("input.bad_target_total", value=target.value, low=lo, high=hi)
        return target.value - base, target.value
    if target.kind == "rank":
        k = int(target.value)
        if k != target.value or not 1 <= k <= len(names):
            raise InputError("input.bad_target_rank", value=target.value, of=len(names))
        if k == len(names):
            return -math.inf, -math.inf
        rival = float(np.sort(others)[::-1][k - 1])  # whoever would hold rank K without us
        return rival - base + MARGIN, rival + MARGIN
    g = int(target.value)
    if g != target.value or g not in (1, 2, 3, 4):
        raise InputError("input.bad_target_group", value=target.value)
    if g == 4:
        return -math.inf, -math.inf
    cut = threshold_for_group(others, g, ds.tie_rule(year))
    return cut - base + MARGIN, cut + MARGIN


def _allocate(n: float, room: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Cheapest x with sum x = n, 0 <= x <= room, cost sum w x^2 (water-filling; room.sum() >= n)."""
    if n <= 0:
        return np.zeros_like(room)
    x_of = lambda lam: np.minimum(room, lam / (2 * w))  # noqa: E731
    hi = float(np.max(2 * w * room)) + 1.0
    lam = brentq(lambda lam: x_of(lam).sum() - n, 0.0, hi, xtol=1e-14, rtol=1e-14, maxiter=500)
    return x_of(lam)


def _ceil(v: float) -> float:
    return math.ceil(round(v * 10**DP, 6)) / 10**DP


def _plan_outcome(ds: Dataset, req: GoalRequest, base: np.ndarray, x: np.ndarray, codes: tuple[str, ...],
                  caps: np.ndarray, w: np.ndarray, threshold: float) -> Outcome:
    """The plan at the data's precision, checked by sim's own scoring: each value rounded up (never past
    its cap), then trimmed by 0.0001 where it costs most while the target still holds."""
    step = 10.0**-DP
    ends = np.minimum([_ceil(b + v) if v > 0 else b for b, v in zip(base, x)], caps)

    def run(e: np.ndarray) -> Outcome:
        changes = tuple(Change(c, float(v), "target") for c, b, v in zip(codes, base, e) if v > b)
        return apply(ds, Scenario(req.year, req.province, changes))

    out = run(ends)
    room = [k for k in range(len(codes)) if caps[k] - ends[k] >= step and x[k] > 0]
    while out.result.total < threshold - 1e-9 and room:  # rounding left us a hair short: top up
        k = max(room, key=lambda j: caps[j] - ends[j])
        ends[k] = min(ends[k] + step, caps[k])
        out = run(ends)
        room = [j for j in room if caps[j] - ends[j] >= step]
    while math.isfinite(threshold) and out.result.total - step >= threshold - 1e-9:
        movable = [k for k in range(len(codes)) if ends[k] - base[k] >= step - 1e-12]
        if not movable:
            break
        k = max(movable, key=lambda j: w[j] * (ends[j] - base[j]))  # highest marginal cost first
        trial = ends.copy()
        trial[k] -= step
        trial_out = run(trial)
        if trial_out.result.total < threshold - 1e-9:
            break
        ends, out = trial, trial_out
    return out


def seek(ds: Dataset, req: GoalRequest, history: History) -> Plan:
    """The cheapest plan that reaches the target (deterministic, or with odds when req.probability)."""
    table = year_table(ds, req.year)
    codes = table.dim_codes
    base_out = apply(ds, Scenario(req.year, req.province))
    base = np.array([base_out.baseline.dimensions[c] for c in codes])
    for code in (*req.locked, *(c for c, _ in req.caps), *(c for c, _ in req.weights)):
        if code not in codes:
            raise InputError("input.unknown_dimension", code=code, year=req.year, known=", ".join(codes))
    limits = default_limits(ds, req.year, req.province, history, req.weighting)
    for code, cap in req.caps:
        if not base[codes.index(code)] <= cap <= 10:
            raise InputError("input.bad_cap", code=code, value=cap, low=round(float(base[codes.index(code)]), 4))
        limits[code] = (cap, "user", limits[code][2])
    for code, w in req.weights:
        if not w > 0:
            raise InputError("input.bad_weight", code=code, value=w)
        limits[code] = (limits[code][0], limits[code][1], w)
    caps = np.array([limits[c][0] for c in codes])
    w = np.array([limits[c][2] for c in codes])
    room = np.where(np.isin(codes, req.locked), 0.0, np.maximum(caps - base, 0.0))
    n, threshold = needed_increase(ds, req.year, req.province, req.target)

    def build(x: np.ndarray, reachable: bool, met: bool, prob=None, odds=None) -> Plan:
        # the written plan must reach the target's threshold, or (with odds) the total its increase implies
        floor = threshold if req.probability is None else base_out.baseline.total + float(x.sum())
        out = _plan_outcome(ds, req, base, x, codes, caps, w, floor) if x.any() else base_out
        moved = np.array([out.result.dimensions[c] - base[k] for k, c in enumerate(codes)])
        cost = float((w * moved**2).sum())
        def step(k: int) -> Step:
            return Step(codes[k], float(base[k]), float(base[k] + moved[k]), float(caps[k]), limits[codes[k]][1],
                        float(w[k]), float(w[k] * moved[k] ** 2 / cost) if cost > 0 else 0.0)
        binding = tuple(codes[k] for k in range(len(codes)) if room[k] > 0 and moved[k] >= room[k] - 10**-DP)
        return Plan(req, reachable, met, n, tuple(step(k) for k in range(len(codes)) if moved[k] > 0),
                    tuple(step(k) for k in range(len(codes))), out,
                    round(out.result.total - threshold, 6) if math.isfinite(threshold) else math.inf,
                    binding, cost, prob, odds)

    if req.probability is None:
        if n <= 0:
            return build(np.zeros(len(codes)), True, True)
        if room.sum() < n - 1e-12:
            return build(room.copy(), False, False)
        return build(_allocate(n, room, w), True, False)
    return _seek_with_odds(ds, req, history, room, w, build)


def _p_target(req: GoalRequest, odds: Odds) -> float:
    """The chance, over the draws, that the province meets the target."""
    s, i = odds.result, odds.us
    if req.target.kind == "rank":
        return s.p_rank_at_most(i, int(req.target.value))
    if req.target.kind == "group":
        return float(s.p_group[i, : int(req.target.value)].sum())
    return float((s.us_totals >= req.target.value).mean())


def _seek_with_odds(ds, req, history, room, w, build) -> Plan:
    """Smallest total increase whose odds reach req.probability (bisection; common random numbers make
    the odds non-decreasing in the increase, and they depend on the increase only, not its split)."""
    if not 0 < req.probability < 1:
        raise InputError("input.bad_probability", value=req.probability)
    codes = year_table(ds, req.year).dim_codes

    def odds_for(total_increase: float) -> tuple[float, Odds, np.ndarray]:
        x = _allocate(total_increase, room, w) if total_increase > 0 else np.zeros(len(codes))
        changes = tuple(Change(c, float(v)) for c, v in zip(codes, x) if v > 0)
        o = simulate(ds, Scenario(req.year, req.province, changes), req.model, history)
        return _p_target(req, o), o, x

    p0, o0, x0 = odds_for(0.0)
    if p0 >= req.probability:
        return build(x0, True, True, p0, o0)
    top = float(room.sum())
    p_top, o_top, x_top = odds_for(top)
    if p_top < req.probability:
        return build(x_top, False, False, p_top, o_top)
    lo, hi, best = 0.0, top, (p_top, o_top, x_top)
    while hi - lo > 0.002:
        mid = (lo + hi) / 2
        p, o, x = odds_for(mid)
        if p >= req.probability:
            hi, best = mid, (p, o, x)
        else:
            lo = mid
    return build(best[2], True, False, best[0], best[1])
