"""Plans a department can act on: the cheapest plan that moves at most N indicators.

Cardinality makes the quadratic program (sim.allocation) combinatorial, so it is solved by enumeration where
that is cheap and by a stated heuristic where it is not:

- ``exact``: every subset of at most N movable indicators is solved as its own quadratic program and the
  cheapest one that reaches the target wins (at dimension level always: 8 dimensions give at most 255
  subsets; at sub-dimension level for N <= EXACT_UP_TO: about 3,700 subsets of 28);
- ``greedy`` (sub-dimensions, N > EXACT_UP_TO): the exact best subset of EXACT_UP_TO, then forward
  selection (add the indicator that lowers the cost most, one at a time, up to N), compared with the N
  largest parts of the unlimited optimum; the cheaper of the two is kept.

Subsets are compared first by how many units they fall short of the target (0 for those that reach it),
then by cost, so an unreachable target still gets the best reachable try. The ``bound`` is the cost of the
cheapest plan with no limit on the count: no subset can cost less, so ``cost / bound - 1`` (``bound_gap``)
says how much the limit costs (for ``greedy``, at most how far it may be from the true optimum).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

import numpy as np

from .allocation import allocate, round_units
from .errors import InputError
from .ranking import UNIT

EXACT_UP_TO = 3
MAX_INDICATORS = (1, 8)


@dataclass(frozen=True)
class SubsetPlan:
    """The chosen indicators' continuous optimum (points, zero elsewhere) and how it was found."""
    x: np.ndarray
    chosen: tuple[int, ...]
    method: str          # "exact" | "greedy"
    cost: float
    bound: float         # cost of the cheapest plan with no limit on the count
    short_units: int     # units the chosen subset falls short of the target (0: reached)

    @property
    def bound_gap(self) -> float | None:
        """cost / bound - 1 (0 when the limit costs nothing); None when the bound is 0."""
        return None if self.bound <= 0 else max(self.cost / self.bound - 1.0, 0.0)


def _solve(subset: tuple[int, ...], n_u: int, room_u: np.ndarray,
           h: np.ndarray) -> tuple[tuple[int, float], np.ndarray]:
    """((short units, cost), x) of the cheapest plan using only ``subset`` (as far as its room goes)."""
    idx = np.array(subset, dtype=int)
    room = room_u[idx]
    reach = min(n_u, int(room.sum()))
    x = np.zeros(len(room_u))
    if reach > 0:
        x[idx] = allocate(reach / UNIT, room / UNIT, h[np.ix_(idx, idx)])
    return (n_u - reach, float(x @ h @ x / 2)), x


def best_subset(n_u: int, room_u: np.ndarray, h: np.ndarray, max_k: int, exact: bool) -> SubsetPlan:
    """The cheapest plan for ``n_u`` units moving at most ``max_k`` indicators (those with room)."""
    movable = tuple(int(i) for i in np.flatnonzero(room_u > 0))
    (_, bound), x_all = _solve(movable, n_u, room_u, h) if movable else ((0, 0.0), np.zeros(len(room_u)))
    if len(movable) <= max_k:
        key, x = (n_u - min(n_u, int(room_u.sum())), bound), x_all
        return SubsetPlan(x, tuple(i for i in movable if x[i] > 0), "exact", key[1], bound, key[0])
    if exact:
        return _pick(((s, *_solve(s, n_u, room_u, h)) for k in range(1, max_k + 1)
                      for s in combinations(movable, k)), "exact", bound)
    start = _pick(((s, *_solve(s, n_u, room_u, h)) for k in range(1, EXACT_UP_TO + 1)
                   for s in combinations(movable, k)), "greedy", bound)
    key, x, chosen = (start.short_units, start.cost), start.x, start.chosen
    while len(chosen) < max_k:  # forward selection: the indicator that lowers (shortfall, cost) most
        s, k2, x2 = min(((s, *_solve(s, n_u, room_u, h)) for s in
                         (tuple(sorted((*chosen, j))) for j in movable if j not in chosen)), key=lambda r: r[1])
        if k2 >= key:
            break
        chosen, key, x = s, k2, x2
    top = tuple(sorted(int(i) for i in np.argsort(-x_all)[:max_k] if x_all[i] > 0))
    if top:  # the N largest parts of the unlimited optimum, solved on their own
        k2, x2 = _solve(top, n_u, room_u, h)
        if k2 < key:
            key, x = k2, x2
    return SubsetPlan(x, tuple(int(i) for i in np.flatnonzero(x > 0)), "greedy", key[1], bound, key[0])


def _pick(rows, method: str, bound: float) -> SubsetPlan:
    """The row (subset, key, x) with the smallest key (shortfall, cost); ties: the first (fewest, lowest codes)."""
    best = None
    for s, key, x in rows:
        if best is None or key < best[1]:
            best = (s, key, x)
    s, key, x = best
    return SubsetPlan(x, tuple(int(i) for i in np.flatnonzero(x > 0)), method, key[1], bound, key[0])


def only_locks(only: tuple[str, ...], locked: tuple[str, ...], codes: tuple[str, ...], level: str,
               year: int) -> tuple[str, ...]:
    """The indicators ``--only`` locks: every one not named (a dimension code at sub level names all its
    sub-dimensions). A code named twice, unknown, or also locked is refused."""
    if not only:
        return ()
    if len(set(only)) != len(only):
        raise InputError("input.goal_duplicate", code=next(c for c in only if only.count(c) > 1), option="--only")
    free: set[str] = set()
    for code in only:
        mine = [c for c in codes if c == code or ("." not in code and c.split(".")[0] == code)]
        if not mine:
            key = "input.unknown_dimension" if level == "dim" else "input.goal_unknown_code"
            raise InputError(key, code=code, year=year, known=", ".join(codes))
        if any(c in locked for c in mine):
            raise InputError("story.error.only_and_lock", code=code)
        free.update(mine)
    return tuple(c for c in codes if c not in free)


def check_subset_request(req, locked: tuple[str, ...]) -> None:
    """``max_indicators`` a whole number in 1-8; no cap or weight on an indicator ``only`` leaves out (it
    would be ignored)."""
    n = req.max_indicators
    if n is not None:
        if not (isinstance(n, int) and MAX_INDICATORS[0] <= n <= MAX_INDICATORS[1]):
            raise InputError("story.error.max_indicators", value=n, low=MAX_INDICATORS[0], high=MAX_INDICATORS[1])
    if req.only:
        for option, pairs in (("--cap", req.caps), ("--weight", req.weights)):
            for code, _ in pairs:
                if code in locked and code not in req.locked:
                    raise InputError("story.error.outside_only", option=option, code=code)


def limited_plan(ctx, n_u: int):
    """The Plan of ``best_subset`` for a resolved request (sim.goal_plan.Resolved): rounded to units on the
    chosen indicators only, checked by the engine, with its method and bound."""
    req = ctx.req
    exact = req.level == "dim" or req.max_indicators <= EXACT_UP_TO
    sp = best_subset(n_u, ctx.room_u, ctx.h, req.max_indicators, exact)
    room = np.zeros_like(ctx.room_u)
    idx = list(sp.chosen)
    room[idx] = ctx.room_u[idx]
    k = round_units(sp.x, room, min(n_u, int(room.sum())), ctx.h)
    plan = replace(ctx, room_u=room).build(k, sp.short_units == 0, False)
    return replace(plan, method=sp.method, bound_cost=sp.bound, bound_gap=sp.bound_gap)


def subset_units(ctx, increase: float) -> tuple[np.ndarray, SubsetPlan]:
    """Units per indicator of the cheapest plan of at most ``max_indicators`` that raises the total by
    ``increase`` points (as far as it can): the "with odds" search's split (sim.goal_odds)."""
    req = ctx.req
    n_u = max(0, min(int(np.ceil(increase * UNIT - 1e-6)), int(ctx.room_u.sum())))
    exact = req.level == "dim" or req.max_indicators <= EXACT_UP_TO
    sp = best_subset(n_u, ctx.room_u, ctx.h, req.max_indicators, exact)
    room = np.zeros_like(ctx.room_u)
    idx = list(sp.chosen)
    room[idx] = ctx.room_u[idx]
    return round_units(sp.x, room, min(n_u, int(room.sum())), ctx.h), sp
