"""The engine's commands: score, whatif, goal and the national table.

Exit codes: 0 success, 2 a request or data file that cannot be taken (message on stderr, no
traceback). JSON field names are stable; see README.md.
"""
from __future__ import annotations

import argparse
import csv
import json

from sim.errors import InputError
from sim.effort import EFFORTS
from sim.goal import DEFAULT_EFFORT, LEVELS, GoalRequest, Target, seek
from sim.goal_json import plan_extras
from sim.i18n import fmt_num, t
from sim.names import find_province
from sim.report import (
    national_rows,
    outcome_json,
    plan_json,
    standing_json,
    warning_text,
)
from sim.scenario import Scenario, apply, national_baseline, parse_change
from sim.uncertainty import (
    NoiseModel,
    change_history,
    odds_json,
    realism_warnings,
    simulate,
)

from .common import add_common, load


def register(sub) -> None:
    """Add score, whatif, goal and table to the subcommand parser ``sub``."""
    s = sub.add_parser("score", help="a province's published total, rank and groups")
    add_common(s)
    s.set_defaults(handler=_score_or_whatif)
    w = sub.add_parser("whatif", help="apply dimension or sub-dimension changes")
    add_common(w)
    w.set_defaults(handler=_score_or_whatif)
    w.add_argument("--change", action="append", default=[], metavar="CODE=±D|V",
                   help="5=+0.4 adds 0.4 to dimension 5; 8=4.5 sets dimension 8 to 4.5 (repeatable)")
    odds = w.add_argument_group("odds (Monte Carlo; 2018 on)")
    odds.add_argument("--draws", type=int, help="number of draws, e.g. 10000 (adds rank and group odds)")
    odds.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    odds.add_argument("--target-rank", type=int, metavar="K", help="also report P(rank <= K)")
    odds.add_argument("--no-rivals", action="store_true", help="rivals keep this year's scores")
    odds.add_argument("--trend", action="store_true", help="add each province's own recent trend")
    odds.add_argument("--survey-noise", action="store_true", help="add survey noise on this year's scores")
    odds.add_argument("--se", action="append", default=[], metavar="CODE=S",
                      help="survey standard error of a dimension (default: estimated from the data)")
    g = sub.add_parser("goal", help="the least effort that reaches a target rank, group or total")
    add_common(g)
    g.set_defaults(handler=_goal)
    tgt = g.add_mutually_exclusive_group(required=True)
    tgt.add_argument("--target-rank", type=int, metavar="K", help="rank K or better")
    tgt.add_argument("--target-group", type=int, choices=(1, 2, 3, 4), help="group g or better (1 = best)")
    tgt.add_argument("--target-total", type=float, metavar="T", help="a total of at least T")
    g.add_argument("--lock", action="append", default=[], metavar="CODE",
                   help="a dimension (or, with --level sub, a sub-dimension) that must not move")
    g.add_argument("--cap", action="append", default=[], metavar="CODE=V", help="highest value for an indicator")
    g.add_argument("--weight", action="append", default=[], metavar="CODE=W",
                   help="effort weight of an indicator (0.001-1000)")
    g.add_argument("--weights", choices=("gap", "equal"), default=None,
                   help="default weights: gap (harder near the national best) or equal (same as --effort)")
    g.add_argument("--level", choices=LEVELS, default="dim",
                   help="plan per dimension (dim, default) or per sub-dimension (sub)")
    g.add_argument("--effort", choices=EFFORTS, default=None,
                   help=f"effort model: plausible (distance in typical one-year changes), gap or equal "
                        f"(default {DEFAULT_EFFORT})")
    g.add_argument("--probability", type=float, metavar="P", help="with odds: reach the target with chance >= P")
    g.add_argument("--draws", type=int, default=5000, help="draws for --probability (default 5000)")
    g.add_argument("--seed", type=int, default=7, help="random seed for --probability (default 7)")
    tb = sub.add_parser("table", help="the national table of a year")
    add_common(tb, province=False)
    tb.set_defaults(handler=_table)
    tb.add_argument("--csv", action="store_true", help="print CSV")


def _text_standing(label: str, s: dict, lang: str) -> str:
    return (f"{label}: {fmt_num(s['total'], lang)} · {t('cli.rank', lang)} {s['rank']}/{s['of']} · "
            f"{s['group_name']}")


def _score_or_whatif(args: argparse.Namespace, out, err) -> int:
    lang = args.lang
    ds = load(args)
    province = find_province(ds, args.province)
    changes = tuple(parse_change(c) for c in getattr(args, "change", []))
    outcome = apply(ds, Scenario(args.year, province, changes))
    if args.command == "score":
        doc = standing_json(ds, args.year, outcome.baseline, lang)
        print(json.dumps(doc, ensure_ascii=False, indent=2) if args.json
              else _text_standing(f"{doc['province']} {args.year}", doc, lang), file=out)
        return 0
    doc = outcome_json(ds, outcome, lang)
    history = change_history(ds)
    unusual = realism_warnings(history, outcome)
    doc["warnings"] += [dict(w, message=warning_text(w, lang)) for w in unusual]
    if args.draws is not None:
        odds = simulate(ds, outcome.scenario, _noise_model(args), history)
        if args.target_rank is not None and not 1 <= args.target_rank <= outcome.baseline.of:
            raise InputError("input.bad_target_rank", value=args.target_rank, of=outcome.baseline.of)
        doc["baseline"].update(odds_json(odds, "baseline", args.target_rank))
        doc["scenario"].update(odds_json(odds, "scenario", args.target_rank))
        doc["uncertainty"] = odds.params()
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2), file=out)
    else:
        print(_text_standing(t("cli.baseline", lang), doc["baseline"], lang), file=out)
        print(_text_standing(t("cli.scenario", lang), doc["scenario"], lang), file=out)
        if "rank_median" in doc["scenario"]:
            for which in ("baseline", "scenario"):
                o = doc[which]
                print(f"  {t('cli.' + which, lang)}: {t('cli.rank_range', lang, p5=o['rank_p5'], median=o['rank_median'], p95=o['rank_p95'])}",
                      file=out)
        for w in doc["warnings"]:
            print(f"! {w['message']}", file=out)
    return 0


def _pairs(texts: list[str]) -> tuple[tuple[str, float], ...]:
    """CODE=V arguments (a target-style change each) as (code, value) pairs."""
    out = []
    for text in texts:
        try:
            c = parse_change(text)
        except InputError:
            raise InputError("input.bad_pair", value=text) from None
        if c.mode != "target":
            raise InputError("input.bad_pair", value=text)
        out.append((c.code, c.value))
    return tuple(out)


def _goal(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    province = find_province(ds, args.province)
    if args.target_rank is not None:
        target = Target("rank", args.target_rank)
    elif args.target_group is not None:
        target = Target("group", args.target_group)
    else:
        target = Target("total", args.target_total)
    if args.seed < 0:
        raise InputError("input.goal_bad_seed", value=args.seed)
    if args.effort and args.weights and args.effort != args.weights:
        raise InputError("input.goal_effort_conflict", effort=args.effort, weights=args.weights)
    req = GoalRequest(args.year, province, target, locked=tuple(args.lock), caps=_pairs(args.cap),
                      weights=_pairs(args.weight), weighting=args.weights, probability=args.probability,
                      model=NoiseModel(draws=args.draws, seed=args.seed), level=args.level, effort=args.effort)
    plan = seek(ds, req, change_history(ds))
    doc = plan_json(ds, plan, args.lang)
    extra, steps = plan_extras(ds, plan, args.lang)
    doc.update(extra)
    for d, e in zip(doc["plan"], steps):
        d.update(e)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2), file=out)
        return 0
    lang = args.lang
    key = "cli.goal_met" if doc["already_met"] else "cli.goal_plan" if doc["reachable"] else "cli.goal_unreachable"
    print(t(key, lang, total=fmt_num(doc["total"], lang), rank=f"{doc['rank']}/{doc['of']}", group=doc["group_name"],
            caps=", ".join(doc["binding_caps"]) or "–"), file=out)
    for step in doc["plan"]:
        steps_text = fmt_num(step["typical_steps"], lang, 1) if step["typical_steps"] is not None else "–"
        print("  " + t("cli.goal_step", lang, code=step["code"], name=step["name"],
                       start=fmt_num(step["from"], lang, 4), end=fmt_num(step["to"], lang, 4),
                       change=fmt_num(step["change"], lang, 4, sign=True), share=round(100 * step["share"]),
                       steps=steps_text), file=out)
    return 0


def _noise_model(args: argparse.Namespace) -> NoiseModel:
    se = tuple((c.code, c.value) for c in map(parse_change, args.se)) or None
    if se and any(v < 0 or v > 2 for _, v in se):
        raise InputError("input.bad_se")
    return NoiseModel(draws=args.draws, seed=args.seed, rivals_move=not args.no_rivals, own_trend=args.trend,
                      survey_noise=args.survey_noise or bool(se), se=se)


def _table(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    rows = national_rows(national_baseline(ds, args.year), ds.table(args.year).dim_codes)
    if args.json:
        print(json.dumps({"year": args.year, "rows": rows}, ensure_ascii=False, indent=2), file=out)
    elif args.csv:
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    else:
        for r in rows:
            print(f"{r['rank']:>3}  {r['province']:<20} {fmt_num(r['total'], args.lang, 4):>8}  "
                  f"{t('group.' + str(r['group']), args.lang)}", file=out)
    return 0
