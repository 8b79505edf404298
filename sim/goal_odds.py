"""Goal seeking "with odds": the smallest total increase whose chance of meeting the target reaches P.

Bisection over the increase (common random numbers make the odds non-decreasing in it, and they depend
on the increase only, not its split); each increase is split by the request's effort model (with
``max_indicators``, by the cheapest subset of at most that many indicators: sim.goal_subsets).
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from .errors import InputError
from .goal_request import Plan, quoted
from .goal_plan import Resolved, p_target
from .ranking import UNIT
from .uncertainty import simulate


def seek_with_odds(ctx: Resolved) -> Plan:
    req = ctx.req
    p_req = req.probability
    if not (isinstance(p_req, (int, float)) and math.isfinite(p_req) and 0 < p_req < 1):
        raise InputError("input.bad_probability", value=quoted(p_req))
    base_total = ctx.base_total
    found: dict[bytes, object] = {}  # units -> the subset search that gave them (with max_indicators)

    def split(increase: float) -> np.ndarray:
        if req.max_indicators is None:
            return ctx.allocate(increase)
        from .goal_subsets import subset_units
        k, sp = subset_units(ctx, increase)
        found[k.tobytes()] = sp
        return k

    def odds_for(increase: float):
        k = split(increase)
        o = simulate(ctx.ds, ctx.scenario(k), req.model, ctx.history)
        return p_target(req, o), o, k

    def floor(k: np.ndarray) -> int:
        return int(round(base_total * UNIT)) + int(k.sum())

    def build(k: np.ndarray, reachable: bool, met: bool, p: float, o) -> Plan:
        plan = ctx.build(k, reachable, met, p, o, floor(k))
        sp = found.get(k.tobytes())
        return plan if sp is None else replace(plan, method=sp.method, bound_cost=sp.bound, bound_gap=sp.bound_gap)

    p0, o0, k0 = odds_for(0.0)
    if p0 >= p_req:
        return build(k0, True, True, p0, o0)
    top = float(ctx.room_u.sum()) / UNIT
    p_top, o_top, k_top = odds_for(top)
    if p_top < p_req:
        return build(k_top, False, False, p_top, o_top)
    lo, hi, best = 0.0, top, (p_top, o_top, k_top)
    while hi - lo > 0.002:
        mid = (lo + hi) / 2
        p, o, k = odds_for(mid)
        if p >= p_req:
            hi, best = mid, (p, o, k)
        else:
            lo = mid
    return build(best[2], True, False, best[0], best[1])
