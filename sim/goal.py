"""Goal seeking: the least effort that reaches a target rank, group or total, as a plan per indicator.

Level: ``dim`` moves the 8 dimensions; ``sub`` moves sub-dimensions (a dimension whose sub-dimensions
the data lacks for that province-year stays whole). Effort models (sim.effort): ``plausible`` (squared
Mahalanobis distance under the shrunk covariance of historical one-year changes of that level), ``gap``
(sum w x^2, w = 1 / max(gap to the national best, MIN_GAP / k), k = 1 for a dimension, its dimension's
number of sub-dimensions for a sub-dimension: at most 20 k, finite at the best itself) and ``equal``;
DEFAULT_EFFORT is chosen by evidence (bench/run.py ``goal_evidence``, README).

Caps (each default visible): the smallest of the scale maximum, the national best that year and the
baseline plus the 95th percentile of historical one-year gains (comparable year pairs only), rounded to
the nearest 0.0001. Everything that decides reachability is counted in integer units of 0.0001 (the
data's precision): the room of each indicator, the increase N the target needs (for rank K: one unit
above whoever would otherwise hold rank K; for a group: one unit above the cut-off as it moves with our
own score, ranking.threshold_for_group). The continuous optimum (sim.effort.allocate) is rounded to units
that add up to exactly N, applied with sim.scenario.apply and checked there.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .allocation import allocate, round_units
from .data import Dataset, code_key
from .effort import EFFORTS, cost_matrix, covariance_for, gain_quantiles, national_bests
from .errors import InputError
from .ranking import UNIT, min_score_for_group
from .goal_odds import seek_with_odds
from .goal_plan import Resolved
from .goal_request import DEFAULT_EFFORT, LEVELS, WEIGHT_RANGE, GoalRequest, Plan, Target, in_units, quoted
from .goal_subsets import check_subset_request, limited_plan, only_locks
from .scenario import ranked_table, require_province, year_table
from .realism import History

CAP_PERCENTILE = 0.95
MIN_GAP = 0.05           # on a 1-10 scale; scaled to a sub-dimension's width


def variables(ds: Dataset, year: int, province: str, level: str = "dim") -> tuple[str, ...]:
    """The indicators a plan at ``level`` moves: dimensions, or each dimension's sub-dimensions where the
    data has them for this province-year (the dimension itself where it has none)."""
    if level not in LEVELS:
        raise InputError("input.goal_bad_level", value=level)
    table = year_table(ds, year)
    if level == "dim":
        return table.dim_codes
    subs = table.subs.get(province, {})
    out: list[str] = []
    for d in table.dim_codes:
        mine = sorted((c for c in subs if ds.parent(c) == d), key=code_key)
        out.extend(mine or [d])
    return tuple(out)


def baseline_values(ds: Dataset, year: int, province: str, codes: tuple[str, ...]) -> np.ndarray:
    table = year_table(ds, year)
    row = table.dims[table.index(province)]
    subs = table.subs.get(province, {})
    return np.array([subs[c] if ds.level(c) == "subdimension" else float(row[table.dim_codes.index(c)]) for c in codes])


@lru_cache(maxsize=8)
def _history_quantiles(history: History, q: float) -> dict[str, float]:
    return {c: float(np.quantile(history.changes[:, j], q)) for j, c in enumerate(history.dim_codes)}


def default_limits(ds: Dataset, year: int, province: str, history: History,
                   weighting: str | None = "gap", level: str = "dim") -> dict[str, tuple[float, str, float]]:
    """code -> (cap, reason, weight) for every indicator of the level, before user overrides."""
    effort = weighting or DEFAULT_EFFORT
    codes = variables(ds, year, province, level)
    base = baseline_values(ds, year, province, codes)
    bests = national_bests(ds, year)
    q_dim, q_sub = _history_quantiles(history, CAP_PERCENTILE), gain_quantiles(ds, CAP_PERCENTILE)
    out = {}
    for code, b in zip(codes, base):
        ind = ds.indicator(code, year)
        best = bests[code]
        gain = q_dim.get(code) if "." not in code else q_sub.get(code)
        hist = b + gain if gain is not None else math.inf
        cap, reason = min((ind.scale_max, "scale"), (best, "best"), (hist, "history"), key=lambda c: c[0])
        cap = max(in_units(cap) / UNIT, float(b))
        width = (ind.scale_max - ind.scale_min) / 9.0
        weight = 1.0 / max(best - float(b), MIN_GAP * width) if effort == "gap" else 1.0
        out[code] = (cap, reason, weight)
    return out


def needed_units(ds: Dataset, year: int, province: str, target: Target) -> tuple[int | None, int | None]:
    """(N, threshold) in units of 0.0001: the total increase the target needs and the total it must reach;
    (None, None) when every total meets it (last rank, group 4)."""
    table = year_table(ds, year)
    names, total, _ = ranked_table(table)
    i = require_province(table, names, province)
    others = np.delete(total, i)
    base = in_units(float(total[i]))
    v = target.value
    if target.kind == "total":
        lo, hi = table.scale
        if not (isinstance(v, (int, float)) and math.isfinite(v) and lo <= v <= hi):
            raise InputError("input.bad_target_total", value=quoted(v), low=lo, high=hi)
        t = math.ceil(v * UNIT - 1e-6)
        return t - base, t
    if target.kind == "rank":
        if not (math.isfinite(v) and v == int(v) and 1 <= v <= len(names)):
            raise InputError("input.bad_target_rank", value=quoted(v), of=len(names))
        if int(v) == len(names):
            return None, None
        # strictly above whoever would hold rank K without us (a tie would share rank K with them)
        rival = in_units(float(np.sort(others)[::-1][int(v) - 1]))
        return rival + 1 - base, rival + 1
    if not (math.isfinite(v) and v == int(v) and int(v) in (1, 2, 3, 4)):
        raise InputError("input.bad_target_group", value=quoted(v))
    if int(v) == 4:
        return None, None
    low = in_units(min_score_for_group(others, int(v), ds.tie_rule(year)))  # cut-offs move with our score
    return low - base, low


def needed_increase(ds: Dataset, year: int, province: str, target: Target) -> tuple[float, float]:
    """(N, threshold) in points; -inf where every total meets the target."""
    n, thr = needed_units(ds, year, province, target)
    return (-math.inf, -math.inf) if n is None else (n / UNIT, thr / UNIT)


def _check_codes(ds: Dataset, req: GoalRequest, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The locked indicators (a dimension code at sub level locks its sub-dimensions); unknown or repeated
    codes refused."""
    known = ", ".join(codes)
    locked: list[str] = []
    for option, given in (("--lock", req.locked), ("--cap", [c for c, _ in req.caps]),
                          ("--weight", [c for c, _ in req.weights])):
        if len(set(given)) != len(given):
            raise InputError("input.goal_duplicate", code=next(c for c in given if given.count(c) > 1), option=option)
        for code in given:
            if code in codes:
                locked.append(code) if option == "--lock" else None
            elif option == "--lock" and ds.level(code) == "dimension" and any(ds.parent(c) == code for c in codes):
                locked.extend(c for c in codes if ds.parent(c) == code)
            elif req.level == "dim":
                raise InputError("input.unknown_dimension", code=code, year=req.year, known=known)
            else:
                raise InputError("input.goal_unknown_code", code=code, year=req.year, known=known)
    return tuple(locked)


def _limits(ds: Dataset, req: GoalRequest, codes, base, history) -> dict[str, tuple[float, str, float]]:
    limits = default_limits(ds, req.year, req.province, history, req.effort_model, req.level)
    for code, cap in req.caps:
        k = codes.index(code)
        high = ds.indicator(code, req.year).scale_max
        if not (isinstance(cap, (int, float)) and math.isfinite(cap) and base[k] - 1e-9 <= cap <= high + 1e-9):
            raise InputError("input.bad_cap" if req.level == "dim" else "input.goal_bad_cap", code=code, value=quoted(cap),
                             low=round(float(base[k]), 4), high=round(high, 4))
        limits[code] = (max(in_units(cap) / UNIT, float(base[k])), "user", limits[code][2])
    for code, w in req.weights:
        if not (isinstance(w, (int, float)) and math.isfinite(w) and WEIGHT_RANGE[0] <= w <= WEIGHT_RANGE[1]):
            raise InputError("input.goal_bad_weight", code=code, value=quoted(w))
        limits[code] = (limits[code][0], limits[code][1], float(w))
    return limits


def seek(ds: Dataset, req: GoalRequest, history: History) -> Plan:
    """The cheapest plan that reaches the target (deterministic, or with odds when req.probability)."""
    if req.effort_model not in EFFORTS:
        raise InputError("input.goal_bad_effort", value=req.effort_model, known=", ".join(EFFORTS))
    codes = variables(ds, req.year, req.province, req.level)
    n_u, thr_u = needed_units(ds, req.year, req.province, req.target)
    base = baseline_values(ds, req.year, req.province, codes)
    locked = _check_codes(ds, req, codes)
    locked += only_locks(req.only, locked, codes, req.level, req.year)
    check_subset_request(req, locked)
    limits = _limits(ds, req, codes, base, history)
    caps = np.array([limits[c][0] for c in codes])
    w = np.array([limits[c][2] for c in codes])
    room_u = np.where(np.isin(codes, locked), 0, np.floor((caps - base) * UNIT + 1e-6)).astype(np.int64)
    room_u = np.maximum(room_u, 0)
    cov = covariance_for(ds, codes)
    h = cost_matrix(req.effort_model, cov, w)
    table = year_table(ds, req.year)
    base_total = float(table.total[table.index(req.province)])  # the engine is run once, on the plan
    ctx = Resolved(ds, req, codes, base, caps, w, room_u, h, cov, limits, base_total,
                   None if n_u is None else n_u / UNIT, thr_u, history)
    if req.probability is None:
        if n_u is None or n_u <= 0:
            return ctx.build(np.zeros(len(codes), dtype=np.int64), True, True)
        if req.max_indicators is not None:
            return limited_plan(ctx, n_u)
        if room_u.sum() < n_u:
            return ctx.build(room_u.copy(), False, False)
        x = allocate(n_u / UNIT, room_u / UNIT, h)
        return ctx.build(round_units(x, room_u, n_u, h), True, False)
    return seek_with_odds(ctx)
