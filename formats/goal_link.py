"""The goal page's settings as URL query parameters, so a least-effort plan can be shared by link.

Parameters (each optional, each human-readable and made of URL-unreserved characters)::

    goal   = "rank" "~" 1*3DIGIT        ; a target rank: rank~10
           / "group" "~" ("1" / "2" / "3")
           / "total" "~" number         ; a target total, decimal point: total~45.5 (at most 4 dp)
    level  = "dim" / "sub"              ; plan per dimension or per sub-dimension
    effort = "plausible" / "gap" / "equal"
    lock   = code *( "~" code )         ; indicators kept as they are: lock=1~2~4~6~7
    p      = "50" / "55" / ... / "95"   ; with odds: reach the target with at least p% (absent: no odds)

The parser is strict and never guesses: each bad parameter is reported by name (the page says so and uses its
default), the good ones are still taken. Whether a rank, group or code exists for a year and province is the
page's call, against the data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from sim.effort import EFFORTS

from .limits import CODE, DP
from .link import number_text

PARAMS = ("goal", "level", "effort", "lock", "p")
KINDS = ("rank", "group", "total")
LEVELS = ("dim", "sub")
PROBABILITIES = tuple(50 + 5 * k for k in range(10))  # the page's select slider, in percent
LOCKS_MAX = 40
_GOAL = re.compile(r"(rank)~([1-9][0-9]{0,2})|(group)~([1-3])|(total)~((?:0|[1-9][0-9]?)(?:\.[0-9]{1,%d})?)" % DP)


@dataclass(frozen=True)
class GoalLink:
    """The goal settings a link carries; ``None`` where the link leaves the page's default."""
    kind: str | None = None          # "rank" | "group" | "total"
    value: float | None = None       # the rank, group or total
    level: str | None = None         # "dim" | "sub"
    effort: str | None = None        # one of sim.effort.EFFORTS
    locks: tuple[str, ...] | None = None
    probability: float | None = None  # 0.5-0.95 with odds; None: the link says nothing, or no odds


def to_params(g: GoalLink) -> dict[str, str]:
    """The query parameters of ``g`` (only what it sets)."""
    out: dict[str, str] = {}
    if g.kind is not None and g.value is not None:
        out["goal"] = f"{g.kind}~{number_text(g.value) if g.kind == 'total' else int(g.value)}"
    if g.level is not None:
        out["level"] = g.level
    if g.effort is not None:
        out["effort"] = g.effort
    if g.locks:
        out["lock"] = "~".join(g.locks)
    if g.probability is not None:
        out["p"] = str(round(100 * g.probability))
    return out


def from_params(params: Mapping[str, str]) -> tuple[GoalLink, tuple[tuple[str, str], ...]]:
    """The goal settings in ``params`` and the (name, value) of each parameter refused; others are ignored."""
    bad: list[tuple[str, str]] = []
    kind = value = level = effort = locks = probability = None
    if "goal" in params:
        m = _GOAL.fullmatch(str(params["goal"]))
        if m:
            kind, text = next((m[i], m[i + 1]) for i in (1, 3, 5) if m[i])
            value = float(text)
        else:
            bad.append(("goal", str(params["goal"])))
    if "level" in params:
        level = params["level"] if params["level"] in LEVELS else None
        if level is None:
            bad.append(("level", str(params["level"])))
    if "effort" in params:
        effort = params["effort"] if params["effort"] in EFFORTS else None
        if effort is None:
            bad.append(("effort", str(params["effort"])))
    if "lock" in params:
        codes = str(params["lock"]).split("~")
        if len(codes) <= LOCKS_MAX and len(set(codes)) == len(codes) and all(CODE.fullmatch(c) for c in codes):
            locks = tuple(codes)
        else:
            bad.append(("lock", str(params["lock"])))
    if "p" in params:
        text = str(params["p"])
        if text in {str(p) for p in PROBABILITIES}:
            probability = int(text) / 100
        else:
            bad.append(("p", text))
    return GoalLink(kind, value, level, effort, locks, probability), tuple(bad)
