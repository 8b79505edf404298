"""The goal plan's JSON fields for levels and effort models (added to sim.report.plan_json's; the CLI's
JSON only grows)."""
from __future__ import annotations

import math

from .data import Dataset
from .goal_request import DEFAULT_EFFORT, Plan


def _r(x: float, dp: int = 4) -> float | None:
    return round(float(x), dp) if math.isfinite(x) else None


def plan_extras(ds: Dataset, plan: Plan, lang: str = "en") -> tuple[dict, list[dict]]:
    """(document fields, one dict per plan step) to merge into plan_json's document and its ``plan`` list."""
    year = plan.request.year
    cov = plan.covariance
    doc = {
        "level": plan.level,
        "effort": plan.effort,
        "effort_default": DEFAULT_EFFORT,
        "typical_changes": {s.code: _r(s.typical) for s in plan.limits},
        "effort_model": None if cov is None else {
            "pairs": [list(p) for p in cov.pairs], "shrinkage": round(cov.shrinkage, 4),
            "condition": round(cov.condition, 1),
            "observations": {c: int(n) for c, n in zip(cov.codes, cov.observations)}},
        "only": list(plan.request.only),
        "max_indicators": plan.request.max_indicators,
        "method": plan.method,
        "bound_cost": None if plan.bound_cost is None else round(plan.bound_cost, 6),
        "bound_gap": None if plan.bound_gap is None else round(plan.bound_gap, 6),
    }
    steps = [{"level": s.level, "name": ds.indicator(s.code, year).name(lang), "typical_change": _r(s.typical),
              "typical_steps": _r(s.typical_steps, 2)} for s in plan.steps]
    return doc, steps
