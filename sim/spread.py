"""Spreading a dimension's change over its sub-dimensions, exactly.

Opening a dimension into its sub-dimensions must not change the answer on screen: the dimension's change
(+0,50 on dimension 5) is shared among its sub-dimensions in whole units of 0.0001 (the data's precision)
that add up to the change, each sub-dimension kept inside its own scale (1/k to 10/k).
"""
from __future__ import annotations

from dataclasses import dataclass

from .data import code_key
from .ranking import UNIT


@dataclass(frozen=True)
class Spread:
    """The sub-dimension values after the spread, and the part of the change that did not fit (0 unless
    every sub-dimension reached its scale's end)."""
    values: dict[str, float]
    left_over: float


def spread_change(values: dict[str, float], lows: dict[str, float], highs: dict[str, float], change: float) -> Spread:
    """Share ``change`` among ``values`` as evenly as the scales allow: equal whole units, the remainder one
    unit each to the first codes, a sub-dimension that hits its scale's end passing the rest to the others."""
    codes = sorted(values, key=code_key)
    total = int(round(change * UNIT))
    sign = 1 if total >= 0 else -1
    base = {c: int(round(values[c] * UNIT)) for c in codes}
    room = {c: max(0, int(round(highs[c] * UNIT)) - base[c]) if sign > 0 else max(0, base[c] - int(round(lows[c] * UNIT)))
            for c in codes}
    given = {c: 0 for c in codes}
    left = abs(total)
    active = [c for c in codes if room[c] > 0]
    while left and active:
        share, extra = divmod(left, len(active))
        for i, c in enumerate(active):
            take = min(room[c] - given[c], share + (1 if i < extra else 0))
            given[c] += take
            left -= take
        active = [c for c in active if given[c] < room[c]]
    return Spread({c: (base[c] + sign * given[c]) / UNIT for c in codes}, sign * left / UNIT)
