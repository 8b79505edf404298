"""A goal request resolved to numbers (indicators, baselines, caps, room in units, cost matrix), and how
integer units per indicator become a Plan checked by the engine's own scoring."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .allocation import allocate, round_units
from .data import Dataset
from .effort import Covariance
from .goal_request import GoalRequest, Plan, Step, in_units
from .ranking import DP, UNIT
from .scenario import Change, Scenario, apply
from .realism import History
from .uncertainty import Odds


@dataclass(frozen=True, eq=False)
class Resolved:
    """Everything one request resolves to; ``build`` turns integer units per indicator into a Plan."""
    ds: Dataset
    req: GoalRequest
    codes: tuple[str, ...]
    base: np.ndarray
    caps: np.ndarray
    w: np.ndarray
    room_u: np.ndarray
    h: np.ndarray
    cov: Covariance
    limits: dict
    base_total: float
    needed: float | None
    threshold_u: int | None
    history: History

    def scenario(self, k: np.ndarray) -> Scenario:
        """Units per indicator as engine changes: a 4-dp target where the baseline is on the 4-dp grid,
        otherwise an exact delta (sub-dimensions published with more digits)."""
        changes = []
        for code, b, units in zip(self.codes, self.base, k):
            if units > 0:
                on_grid = abs(b * UNIT - round(b * UNIT)) < 1e-6
                changes.append(Change(code, round(b + units / UNIT, DP), "target") if on_grid
                               else Change(code, units / UNIT, "delta"))
        return Scenario(self.req.year, self.req.province, tuple(changes))

    def build(self, k: np.ndarray, reachable: bool, met: bool, prob=None, odds=None, floor_u=None) -> Plan:
        k = k.astype(np.int64).copy()
        floor_u = self.threshold_u if floor_u is None else floor_u
        out = apply(self.ds, self.scenario(k))
        for _ in range(len(k) + 1):  # checked by the engine's own scoring; a unit more where it costs least
            if not reachable or floor_u is None or in_units(out.result.total) >= floor_u:
                break
            open_ = np.flatnonzero(k < self.room_u)
            if not len(open_):
                break
            j = open_[np.argmin((self.h @ k)[open_])]
            k[j] += 1
            out = apply(self.ds, self.scenario(k))
        x = k / UNIT
        hx = self.h @ x
        cost = float(x @ hx / 2)
        parts = np.maximum(x * hx / 2, 0.0)
        shares = parts / parts.sum() if parts.sum() > 0 else np.zeros(len(k))
        req = self.req

        def step(i: int) -> Step:
            code = self.codes[i]
            end = round(self.base[i] + x[i], DP) if abs(self.base[i] * UNIT - round(self.base[i] * UNIT)) < 1e-6 \
                else self.base[i] + x[i]
            return Step(code, float(self.base[i]), float(end), float(self.caps[i]), self.limits[code][1],
                        float(self.w[i]), float(shares[i]), self.ds.level(code),
                        float(self.cov.typical[i]))
        binding = tuple(c for i, c in enumerate(self.codes) if self.room_u[i] > 0 and k[i] >= self.room_u[i])
        slack = (in_units(out.result.total) - self.threshold_u) / UNIT if self.threshold_u is not None else math.inf
        return Plan(req, reachable, met, self.needed if self.needed is not None else -math.inf,
                    tuple(step(i) for i in range(len(k)) if k[i] > 0), tuple(step(i) for i in range(len(k))),
                    out, slack, binding, cost, prob, odds, req.level, req.effort_model, self.cov)

    def allocate(self, increase: float) -> np.ndarray:
        """Units per indicator of the cheapest plan that raises the total by ``increase`` points."""
        n_u = min(math.ceil(increase * UNIT - 1e-6), int(self.room_u.sum()))
        if n_u <= 0:
            return np.zeros(len(self.codes), dtype=np.int64)
        return round_units(allocate(n_u / UNIT, self.room_u / UNIT, self.h), self.room_u, n_u, self.h)


def p_target(req: GoalRequest, odds: Odds) -> float:
    """The chance, over the draws, that the province meets the target."""
    s, i = odds.result, odds.us
    if req.target.kind == "rank":
        return s.p_rank_at_most(i, int(req.target.value))
    if req.target.kind == "group":
        return float(s.p_group[i, : int(req.target.value)].sum())
    return float((s.us_totals >= req.target.value).mean())
