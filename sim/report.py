"""Plain-data views of results: the stable JSON the CLI prints and the national table.

Field names here are a public contract (documented in README.md, "JSON output"): add fields,
never rename or remove them.
"""
from __future__ import annotations

import math

from .data import Dataset
from .i18n import fmt_num, t
from .ranking import DP, MARGIN
from .scenario import National, Outcome, Standing
from .words import group_name



def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), DP)


def standing_json(ds: Dataset, year: int, s: Standing, lang: str = "en") -> dict:
    """One province's standing: the shape shared by ``score`` and both halves of ``whatif``."""
    return {
        "year": year,
        "province": s.province,
        "province_vi": ds.province(s.province).name_vi,
        "total": _r(s.total),
        "total_official": s.total_official,
        "rank": s.rank,
        "of": s.of,
        "group": s.group,
        "group_name": group_name(s.group, lang),
        "dimensions": {c: _r(v) for c, v in s.dimensions.items()},
        "dimension_groups": dict(s.dimension_groups),
        "dimension_ranks": dict(s.dimension_ranks),
        "cutoffs": {str(g): _r(c) for g, c in enumerate(s.cutoffs.as_tuple(), start=1)},
        "on_cutoffs": list(s.on_cutoffs),
        "next_up": s.next_up,
        "to_next_rank": _r(s.to_next_rank),
        "to_next_group": _r(s.to_next_group),
        "source": ds.source(year, s.province, "total") or ds.source(year, s.province, "1"),
        "subdimensions": {c: _r(v) for c, v in s.subdimensions.items()},
        "subdimension_groups": dict(s.subdimension_groups),
        "subdimension_ranks": dict(s.subdimension_ranks),
    }


def warning_text(w: dict, lang: str) -> str:
    """A warning's message in ``lang``, its decimal numbers written the way the language writes them."""
    shown = {k: (fmt_num(v, lang, 2, sign=(k == "change")) if isinstance(v, float) else v) for k, v in w.items()}
    return t(f"warning.{w['kind']}", lang, **shown)


def outcome_json(ds: Dataset, o: Outcome, lang: str = "en") -> dict:
    """A what-if result: baseline and scenario standings, what was applied and what moved."""
    year = o.scenario.year
    return {
        "year": year,
        "province": o.scenario.province,
        "changes": [{"code": a.code, "level": a.level, "from": _r(a.before), "requested": _r(a.requested),
                     "to": _r(a.after), "change": _r(a.change), "clamped": a.clamped} for a in o.applied],
        "baseline": standing_json(ds, year, o.baseline, lang),
        "scenario": standing_json(ds, year, o.result, lang),
        "overtaken": list(o.overtaken),
        "overtaken_by": list(o.overtaken_by),
        "to_next_rank": _r(o.result.to_next_rank),
        "to_next_group": _r(o.result.to_next_group),
        "warnings": [dict(w, message=warning_text(w, lang)) for w in o.warnings],
    }


def national_rows(nat: National, dim_codes: tuple[str, ...]) -> list[dict]:
    """The national table, best first: province, total, rank, group, then one column per dimension."""
    order = sorted(range(len(nat.provinces)), key=lambda i: (nat.rank[i], nat.provinces[i]))
    return [{"province": nat.provinces[i], "total": _r(nat.total[i]), "rank": int(nat.rank[i]),
             "group": int(nat.group[i]), **{f"d{c}": _r(nat.dims[i, j]) for j, c in enumerate(dim_codes)}}
            for i in order]


def plan_json(ds: Dataset, plan, lang: str = "en") -> dict:
    """A goal-seeking result (sim.goal.Plan) as the CLI prints it."""
    req, res = plan.request, plan.outcome.result
    def step(s) -> dict:
        return {"code": s.code, "from": _r(s.start), "to": _r(s.end), "change": _r(s.change),
                "share": round(s.share, 4), "cap": _r(s.cap), "cap_reason": s.cap_reason, "weight": round(s.weight, 4)}
    doc = {
        "year": req.year, "province": req.province,
        "target": {"kind": req.target.kind, "value": req.target.value},
        "reachable": plan.reachable, "already_met": plan.already_met,
        "needed": _r(plan.needed) if math.isfinite(plan.needed) else None,
        "plan": [step(s) for s in plan.steps],
        "total": _r(res.total), "rank": res.rank, "of": res.of, "group": res.group,
        "group_name": group_name(res.group, lang),
        "slack": _r(plan.slack) if math.isfinite(plan.slack) else None,
        "margin": MARGIN if req.target.kind != "total" else 0.0,
        "binding_caps": list(plan.binding_caps),
        "locked": list(req.locked),
        "limits": {s.code: {"cap": _r(s.cap), "reason": s.cap_reason, "weight": round(s.weight, 4)} for s in plan.limits},
        "cost": round(plan.cost, 6),
    }
    if req.probability is not None:
        doc["probability_required"] = req.probability
        doc["probability"] = round(plan.probability, 4)
        doc["uncertainty"] = plan.odds.params()
    return doc
