"""The engine's commands: score, whatif, goal and the national table.

Exit codes: 0 success, 2 a request or data file that cannot be taken (message on stderr, one line, no
traceback). JSON field names are stable; see README.md. Every JSON document is strict (no NaN or
Infinity): the numbers a user gives are checked first (sim.inputs), and an option that would be
ignored or silently overridden is refused rather than dropped.
"""
from __future__ import annotations

import argparse
import csv

from sim import inputs
from sim.csvread import neutralise
from sim.errors import InputError
from sim.effort import EFFORTS
from sim.goal import seek
from sim.goal_request import DEFAULT_EFFORT, GOAL_DRAWS, LEVELS, GoalRequest, Target
from sim.goal_json import plan_extras
from sim.i18n import fmt_num, fmt_pct, t
from sim.names import find_province
from sim.previous import previous_json, year_on_year, yoy_sentence
from sim.report import national_rows, outcome_json, plan_json, standing_json, warning_text
from sim.scenario import Change, Scenario, apply, national_baseline, parse_change, ranked_table, year_table
from sim.realism import change_history, realism_warnings
from sim.uncertainty import DEFAULT_SEED, NoiseModel, odds_json, prob_decimals, simulate
from sim.words import province_name

from .common import add_common, decimal, dump_json, load, parse_changes


# whatif options that only mean something with --draws (argparse attribute, option as typed)
ODDS_ONLY = (("seed", "--seed"), ("target_rank", "--target-rank"), ("no_rivals", "--no-rivals"),
             ("trend", "--trend"), ("survey_noise", "--survey-noise"), ("se", "--se"))


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
    odds.add_argument("--draws", type=int, help="number of draws, 100-200000, e.g. 10000 (adds rank and group odds)")
    odds.add_argument("--seed", type=int, help=f"random seed, 0-{2**32 - 1} (default {DEFAULT_SEED})")
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
    tgt.add_argument("--target-total", type=decimal, metavar="T", help="a total of at least T")
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
    g.add_argument("--only", action="append", default=[], metavar="CODE",
                   help="only this indicator may move, everything else stays (repeatable)")
    g.add_argument("--max-indicators", type=int, metavar="N",
                   help="move at most N indicators, 1-8 (the cheapest such plan; see README for the method)")
    g.add_argument("--probability", type=decimal, metavar="P", help="with odds: reach the target with chance >= P")
    g.add_argument("--draws", type=int, help=f"draws for --probability, 100-200000 (default {GOAL_DRAWS})")
    g.add_argument("--seed", type=int, help=f"random seed for --probability, 0-{2**32 - 1} (default {DEFAULT_SEED})")
    tb = sub.add_parser("table", help="the national table of a year")
    add_common(tb, province=False)
    tb.set_defaults(handler=_table)
    tb.add_argument("--csv", action="store_true", help="print CSV")


def _text_standing(label: str, s: dict, lang: str) -> str:
    return (f"{label}: {fmt_num(s['total'], lang)} · {t('cli.rank', lang)} {s['rank']}/{s['of']} · "
            f"{s['group_name']}")


def _check_odds_options(args: argparse.Namespace) -> None:
    """Refuse odds options that would be ignored (no --draws) and numbers outside their ranges."""
    if args.draws is None:
        for attr, option in ODDS_ONLY:
            value = getattr(args, attr)  # by identity: 0 == False, so "--seed 0" was taken as not given
            if value is not None and value is not False and value != []:
                raise InputError("input.needs_draws", option=option)
        return
    inputs.draws(args.draws)
    inputs.seed(DEFAULT_SEED if args.seed is None else args.seed)


def _changes(args: argparse.Namespace) -> tuple[Change, ...]:
    """The --change options, each finite and within its bound; a code named twice is refused."""
    return parse_changes(getattr(args, "change", []))


def _score_or_whatif(args: argparse.Namespace, out, err) -> int:
    lang = args.lang
    if args.command == "whatif":
        _check_odds_options(args)
    changes = _changes(args)
    ds = load(args)
    province = find_province(ds, args.province)
    outcome = apply(ds, Scenario(args.year, province, changes))
    if args.command == "score":
        doc = standing_json(ds, args.year, outcome.baseline, lang)
        yoy = year_on_year(ds, args.year, outcome.baseline)
        doc.update(previous_json(yoy, lang))
        if args.json:
            dump_json(doc, out)
        else:
            print(_text_standing(f"{province_name(ds, province, lang)} {args.year}", doc, lang), file=out)
            print("  " + yoy_sentence(yoy, lang), file=out)
        return 0
    doc = outcome_json(ds, outcome, lang)
    yoys = {which: year_on_year(ds, args.year, s) for which, s in (("baseline", outcome.baseline),
                                                                   ("scenario", outcome.result))}
    for which, yoy in yoys.items():
        doc[which].update(previous_json(yoy, lang))
    history = change_history(ds)
    notes = (*inputs.target_notes(outcome), *realism_warnings(history, outcome))
    doc["warnings"] += [dict(w, message=warning_text(w, lang)) for w in notes]
    draws = args.draws
    if draws is not None:
        model = _noise_model(args, year_table(ds, args.year).dim_codes)
        if args.target_rank is not None and not 1 <= args.target_rank <= outcome.baseline.of:
            raise InputError("input.bad_target_rank", value=inputs.shown(args.target_rank), of=outcome.baseline.of)
        odds = simulate(ds, outcome.scenario, model, history)
        doc["baseline"].update(odds_json(odds, "baseline", args.target_rank))
        doc["scenario"].update(odds_json(odds, "scenario", args.target_rank))
        doc["uncertainty"] = odds.params()
    if args.json:
        dump_json(doc, out)
        return 0
    print(_text_standing(t("cli.baseline", lang), doc["baseline"], lang), file=out)
    print("  " + yoy_sentence(yoys["baseline"], lang), file=out)
    print(_text_standing(t("cli.scenario", lang), doc["scenario"], lang), file=out)
    print("  " + yoy_sentence(yoys["scenario"], lang), file=out)
    if draws is not None:
        dp = prob_decimals(draws)
        for which in ("baseline", "scenario"):
            o = doc[which]
            parts = [t("cli.rank_range", lang, p5=o["rank_p5"], median=o["rank_median"], p95=o["rank_p95"]),
                     t("cli.p_groups", lang, p=" · ".join(fmt_pct(o["p_group"][g], lang, dp) for g in "1234"))]
            if args.target_rank is not None:
                p = o["p_rank_at_most"][str(args.target_rank)]
                parts.append(t("cli.p_top", lang, k=args.target_rank, p=fmt_pct(p, lang, dp)))
            print(f"  {t('cli.' + which, lang)}: {'; '.join(parts)}", file=out)
        print("  " + t("cli.mc_precision", lang, draws=fmt_num(draws, lang, 0),
                       se=fmt_num(100 * doc["uncertainty"]["mc_se_max"], lang, 1)), file=out)
    for w in doc["warnings"]:
        print(f"! {w['message']}", file=out)
    return 0


def _pairs(texts: list[str], option: str, finite: bool = True) -> tuple[tuple[str, float], ...]:
    """CODE=V arguments (a target-style change each) as (code, value) pairs, each value finite (unless
    ``finite`` is False: the engine's own range check then refuses it with its own message)."""
    out = []
    for text in texts:
        try:
            c = parse_change(text)
        except InputError:
            raise InputError("input.bad_pair", value=inputs.shown(text)) from None
        if c.mode != "target":
            raise InputError("input.bad_pair", value=inputs.shown(text))
        out.append((c.code, inputs.finite(c.value, f"{option} {c.code}", text.split("=", 1)[-1]) if finite else c.value))
    return tuple(out)


def _goal_request(args: argparse.Namespace, province: str) -> GoalRequest:
    """The goal options as a request: numbers finite and in range, nothing named twice or ignored."""
    if args.probability is None:
        for value, option in ((args.draws, "--draws"), (args.seed, "--seed")):
            if value is not None:
                raise InputError("input.needs_probability", option=option)
        probability = None
    else:
        probability = inputs.probability(args.probability)
    draws = inputs.draws(GOAL_DRAWS if args.draws is None else args.draws)
    seed = inputs.seed(DEFAULT_SEED if args.seed is None else args.seed)
    if args.target_rank is not None:
        target = Target("rank", args.target_rank)
    elif args.target_group is not None:
        target = Target("group", args.target_group)
    else:
        target = Target("total", inputs.finite(args.target_total, "--target-total"))
    if args.effort and args.weights and args.effort != args.weights:
        raise InputError("input.goal_effort_conflict", effort=args.effort, weights=args.weights)
    caps, weights = _pairs(args.cap, "--cap"), _pairs(args.weight, "--weight", finite=False)  # 0.001-1000 in seek
    inputs.unique_codes("--lock", args.lock)
    for option, pairs in (("--cap", caps), ("--weight", weights)):
        inputs.unique_codes(option, [c for c, _ in pairs])
        for code, _ in pairs:
            if code in args.lock:  # a locked indicator does not move: its cap or weight would be ignored
                raise InputError("input.locked_option", option=option, code=code)
    return GoalRequest(args.year, province, target, locked=tuple(args.lock), caps=caps, weights=weights,
                       weighting=args.weights, probability=probability, model=NoiseModel(draws=draws, seed=seed),
                       level=args.level, effort=args.effort, only=tuple(args.only),
                       max_indicators=args.max_indicators)


def _goal(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    province = find_province(ds, args.province)
    req = _goal_request(args, province)
    plan = seek(ds, req, change_history(ds))
    doc = plan_json(ds, plan, args.lang)
    extra, steps = plan_extras(ds, plan, args.lang)
    doc.update(extra)
    for d, e in zip(doc["plan"], steps):
        d.update(e)
    if args.json:
        dump_json(doc, out)
        return 0
    lang = args.lang
    key = "cli.goal_met" if doc["already_met"] else "cli.goal_plan" if doc["reachable"] else "cli.goal_unreachable"
    print(f"{province_name(ds, province, lang)} {args.year}: " +
          t(key, lang, total=fmt_num(doc["total"], lang), rank=f"{doc['rank']}/{doc['of']}", group=doc["group_name"],
            caps=", ".join(doc["binding_caps"]) or "–"), file=out)
    for step in doc["plan"]:
        steps_text = fmt_num(step["typical_steps"], lang, 1) if step["typical_steps"] is not None else "–"
        print("  " + t("cli.goal_step", lang, code=step["code"], name=step["name"],
                       start=fmt_num(step["from"], lang, 4), end=fmt_num(step["to"], lang, 4),
                       change=fmt_num(step["change"], lang, 4, sign=True), share=round(100 * step["share"]),
                       steps=steps_text), file=out)
    return 0


def _noise_model(args: argparse.Namespace, dim_codes: tuple[str, ...]) -> NoiseModel:
    se = _pairs(args.se, "--se") or None
    for code, value in se or ():
        if code not in dim_codes:
            raise InputError("input.unknown_dimension", code=code, year=args.year, known=", ".join(dim_codes))
        inputs.standard_error(code, value)
    inputs.unique_codes("--se", [c for c, _ in se or ()])
    return NoiseModel(draws=args.draws, seed=DEFAULT_SEED if args.seed is None else args.seed, rivals_move=not args.no_rivals,
                      own_trend=args.trend, survey_noise=args.survey_noise or bool(se), se=se)


def _table(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    if not ranked_table(year_table(ds, args.year))[0]:
        raise InputError("input.no_ranked", year=args.year)
    rows = national_rows(national_baseline(ds, args.year), ds.table(args.year).dim_codes)
    if args.json:
        dump_json({"year": args.year, "rows": rows}, out)
    elif args.csv:  # text cells that a spreadsheet would run as a formula are neutralised (see csvread)
        # the year closes each row, so the file reads back through validate / --add with no flag
        w = csv.DictWriter(out, fieldnames=[*rows[0], "year"], lineterminator="\n")
        w.writeheader()
        w.writerows({**{k: neutralise(v) if isinstance(v, str) else v for k, v in r.items()}, "year": args.year}
                    for r in rows)
    else:
        for r in rows:
            print(f"{r['rank']:>3}  {province_name(ds, r['province'], args.lang):<20} "
                  f"{fmt_num(r['total'], args.lang, 4):>8}  {t('group.' + str(r['group']), args.lang)}", file=out)
    return 0
