"""The quadratic program every effort model reduces to, solved exactly, and its rounding to 0.0001 units.

minimise x'Hx/2 subject to sum x = n, 0 <= x <= room. A diagonal H (gap, equal) is water-filling with the
multiplier found exactly from sorted breakpoints; a full H (plausible) is solved by a primal active-set
method. The result is then written in integer units of 0.0001 that add up to exactly the units needed.
"""
from __future__ import annotations

import numpy as np


def waterfill(n: float, room: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Cheapest x with sum x = n, 0 <= x <= room for cost sum w x^2: x = min(room, lam / 2w), lam exact
    from the sorted breakpoints (no root finder, so float noise cannot push it outside a bracket)."""
    if n <= 0:
        return np.zeros_like(room)
    if n >= room.sum():
        return room.copy()
    bp = 2 * w * room                       # lam at which each indicator reaches its room
    order = np.argsort(bp)
    capped, slope = 0.0, float((1 / (2 * w))[room > 0].sum())
    for k in order:
        if room[k] <= 0:
            continue
        if capped + slope * bp[k] >= n:
            break
        capped += room[k]
        slope -= 1 / (2 * w[k])
    lam = (n - capped) / slope
    return np.where(room > 0, np.minimum(room, lam / (2 * w)), 0.0)


def active_set(h: np.ndarray, room: np.ndarray, n: float, max_iter: int = 500) -> np.ndarray:
    """Minimise x'Hx/2 subject to sum x = n, 0 <= x <= room (H positive definite): a primal active-set
    method (Nocedal & Wright 16.3), exact up to a linear solve; sum(room) >= n > 0 assumed."""
    m = len(room)
    if n <= 0:
        return np.zeros(m)
    if n >= room.sum():
        return room.copy()
    x = room * (n / room.sum())
    state = np.where(room > 0, 0, 3)        # 0 free, 1 at 0, 2 at room, 3 fixed (no room)
    for _ in range(max_iter):
        f = np.flatnonzero(state == 0)
        g = h @ x
        k = len(f)
        kkt = np.zeros((k + 1, k + 1))
        kkt[:k, :k] = h[np.ix_(f, f)]
        kkt[:k, k] = kkt[k, :k] = 1.0
        sol = np.linalg.solve(kkt, np.concatenate([-g[f], [0.0]]))
        p = sol[:k]
        if np.abs(p).max(initial=0.0) < 1e-13:
            lam = -sol[k] if k else float(np.mean(g[state == 2])) if (state == 2).any() else 0.0
            mult = np.where(state == 1, g - lam, np.where(state == 2, lam - g, np.inf))
            j = int(np.argmin(mult))
            if mult[j] >= -1e-12:
                return np.clip(x, 0.0, room)
            state[j] = 0
            continue
        alpha, block, to = 1.0, -1, 0
        for i, pi in zip(f, p):
            if pi < -1e-15 and -x[i] / pi < alpha:
                alpha, block, to = -x[i] / pi, i, 1
            elif pi > 1e-15 and (room[i] - x[i]) / pi < alpha:
                alpha, block, to = (room[i] - x[i]) / pi, i, 2
        x[f] += alpha * p
        if block >= 0:
            state[block] = to
            x[block] = 0.0 if to == 1 else room[block]
    return np.clip(x, 0.0, room)


def allocate(n: float, room: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The continuous optimum of x'Hx/2 with sum x = n, 0 <= x <= room (diagonal H: water-filling)."""
    if np.count_nonzero(h - np.diag(np.diag(h))) == 0:
        return waterfill(n, room, np.diag(h) / 2)
    return active_set(h, room, n)


def round_units(x: np.ndarray, room_u: np.ndarray, n_u: int, h: np.ndarray) -> np.ndarray:
    """Integer units of 0.0001 near x (points) that add up to exactly ``n_u``, within 0..room_u: each
    rounded down, then the missing units added one at a time where they cost least."""
    k = np.minimum(np.floor(x * 10_000 + 1e-7).astype(np.int64), room_u)
    k = np.maximum(k, 0)
    hk = h @ k.astype(float)
    while k.sum() < n_u:
        open_ = k < room_u
        if not open_.any():
            break
        marginal = np.where(open_, hk + np.diag(h) / 2, np.inf)
        j = int(np.argmin(marginal))
        k[j] += 1
        hk += h[:, j]
    return k
