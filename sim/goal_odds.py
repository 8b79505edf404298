"""Goal seeking "with odds": the smallest total increase whose chance of meeting the target reaches P.

Bisection over the increase (common random numbers make the odds non-decreasing in it, and they depend
on the increase only, not its split); each increase is split by the request's effort model.
"""
from __future__ import annotations

import math

import numpy as np

from .errors import InputError
from .goal import UNIT, Plan, _quoted
from .goal_plan import Resolved, p_target
from .uncertainty import simulate


def seek_with_odds(ctx: Resolved) -> Plan:
    req = ctx.req
    p_req = req.probability
    if not (isinstance(p_req, (int, float)) and math.isfinite(p_req) and 0 < p_req < 1):
        raise InputError("input.bad_probability", value=_quoted(p_req))
    base_total = ctx.base_total

    def odds_for(increase: float):
        k = ctx.allocate(increase)
        o = simulate(ctx.ds, ctx.scenario(k), req.model, ctx.history)
        return p_target(req, o), o, k

    def floor(k: np.ndarray) -> int:
        return int(round(base_total * UNIT)) + int(k.sum())

    p0, o0, k0 = odds_for(0.0)
    if p0 >= p_req:
        return ctx.build(k0, True, True, p0, o0, floor(k0))
    top = float(ctx.room_u.sum()) / UNIT
    p_top, o_top, k_top = odds_for(top)
    if p_top < p_req:
        return ctx.build(k_top, False, False, p_top, o_top, floor(k_top))
    lo, hi, best = 0.0, top, (p_top, o_top, k_top)
    while hi - lo > 0.002:
        mid = (lo + hi) / 2
        p, o, k = odds_for(mid)
        if p >= p_req:
            hi, best = mid, (p, o, k)
        else:
            lo = mid
    return ctx.build(best[2], True, False, best[0], best[1], floor(best[2]))
