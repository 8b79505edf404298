"""What a goal request is and what a plan answers: the types goal seeking (sim.goal) and its builders
(sim.goal_plan, sim.goal_odds, sim.goal_subsets) share, so each of them imports these from below instead
of from one another.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .effort import Covariance
from .errors import InputError
from .ranking import UNIT
from .scenario import Outcome
from .uncertainty import NoiseModel, Odds

LEVELS = ("dim", "sub")
DEFAULT_EFFORT = "gap"   # see bench/run.py goal_evidence and the README
WEIGHT_RANGE = (0.001, 1000.0)
GOAL_DRAWS = 5_000       # draws of a plan "with odds": the app's and the CLI's default


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
    weighting: str | None = None                  # older name of ``effort`` ("gap" | "equal")
    probability: float | None = None              # "with odds" mode: reach the target with P >= this
    model: NoiseModel = NoiseModel(draws=GOAL_DRAWS)
    level: str = "dim"                            # "dim" | "sub"
    effort: str | None = None                     # "plausible" | "gap" | "equal" (None: weighting or default)
    only: tuple[str, ...] = ()                    # if given, only these indicators may move (sim.goal_subsets)
    max_indicators: int | None = None             # at most this many indicators move (1-8)

    @property
    def effort_model(self) -> str:
        return self.effort or self.weighting or DEFAULT_EFFORT


@dataclass(frozen=True)
class Step:
    code: str
    start: float
    end: float
    cap: float
    cap_reason: str   # "scale" | "best" | "history" | "user"
    weight: float
    share: float      # of the plan's total effort
    level: str = "dimension"   # "dimension" | "subdimension"
    typical: float = math.nan  # a typical one-year change of this indicator (sd of comparable changes)

    @property
    def change(self) -> float:
        return self.end - self.start

    @property
    def typical_steps(self) -> float:
        """The change in typical one-year changes of this indicator."""
        return self.change / self.typical if self.typical > 0 else math.nan


@dataclass(frozen=True, eq=False)
class Plan:
    request: GoalRequest
    reachable: bool
    already_met: bool
    needed: float                 # total increase the target needs (deterministic)
    steps: tuple[Step, ...]       # indicators that move
    limits: tuple[Step, ...]      # every indicator's cap and weight (steps with no change where not moving)
    outcome: Outcome              # the plan (or the best reachable result) under sim's scoring
    slack: float                  # how far the result is past the target's threshold (negative: short)
    binding_caps: tuple[str, ...]
    cost: float
    probability: float | None = None   # with odds: P(target) of the plan
    odds: Odds | None = None
    level: str = "dim"
    effort: str = DEFAULT_EFFORT
    covariance: Covariance | None = None
    method: str = "exact"              # "exact" | "greedy" (sim.goal_subsets, with max_indicators)
    bound_cost: float | None = None    # with max_indicators: the cost with no limit on the count
    bound_gap: float | None = None     # cost / bound_cost - 1


def quoted(v: object) -> object:
    """A number as an error message may quote it: non-finite ones as text ("inf", "nan")."""
    return v if not isinstance(v, float) or math.isfinite(v) else str(v)


def in_units(v: float) -> int:
    return int(round(v * UNIT))
