"""``python -m sim``: score, what-if and the national table from the command line.

Exit codes: 0 success, 2 a request or data file that cannot be taken (message on stderr, no
traceback). JSON field names are stable; see README.md.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from .data import DATA_DIR, Dataset, load_dataset
from .errors import InputError, SimError
from .goal import GoalRequest, Target, seek
from .i18n import DEFAULT_LANG, LANGS, fmt_num, t
from .names import find_province
from .report import national_rows, outcome_json, plan_json, standing_json, warning_text
from .scenario import Scenario, apply, national_baseline, parse_change
from .uncertainty import NoiseModel, change_history, odds_json, realism_warnings, simulate


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2, no traceback (argparse's contract)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def _common(p: argparse.ArgumentParser, province: bool = True) -> None:
    p.add_argument("--year", type=int, required=True, help="PAPI year, e.g. 2023")
    if province:
        p.add_argument("--province", required=True, help='province name, diacritics optional ("Son La")')
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="language of names and messages")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the bundled data)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m sim", description="PAPI What-If: scores, scenarios, rankings.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _common(sub.add_parser("score", help="a province's published total, rank and groups"))
    w = sub.add_parser("whatif", help="apply dimension or sub-dimension changes")
    _common(w)
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
    _common(g)
    tgt = g.add_mutually_exclusive_group(required=True)
    tgt.add_argument("--target-rank", type=int, metavar="K", help="rank K or better")
    tgt.add_argument("--target-group", type=int, choices=(1, 2, 3, 4), help="group g or better (1 = best)")
    tgt.add_argument("--target-total", type=float, metavar="T", help="a total of at least T")
    g.add_argument("--lock", action="append", default=[], metavar="CODE", help="a dimension that must not move")
    g.add_argument("--cap", action="append", default=[], metavar="CODE=V", help="highest value for a dimension")
    g.add_argument("--weight", action="append", default=[], metavar="CODE=W", help="effort weight of a dimension")
    g.add_argument("--weights", choices=("gap", "equal"), default="gap",
                   help="default weights: gap (harder near the national best) or equal")
    g.add_argument("--probability", type=float, metavar="P", help="with odds: reach the target with chance >= P")
    g.add_argument("--draws", type=int, default=5000, help="draws for --probability (default 5000)")
    g.add_argument("--seed", type=int, default=7, help="random seed for --probability (default 7)")
    tb = sub.add_parser("table", help="the national table of a year")
    _common(tb, province=False)
    tb.add_argument("--csv", action="store_true", help="print CSV")
    return parser


def _text_standing(label: str, s: dict, lang: str) -> str:
    return (f"{label}: {fmt_num(s['total'], lang)} · {t('cli.rank', lang)} {s['rank']}/{s['of']} · "
            f"{s['group_name']}")


def run(argv: list[str] | None = None, out=sys.stdout, err=sys.stderr) -> int:
    args = build_parser().parse_args(argv)
    lang = args.lang
    try:
        ds: Dataset = load_dataset(args.data)
        if args.command == "table":
            return _table(ds, args, out)
        province = find_province(ds, args.province)
        if args.command == "goal":
            return _goal(ds, args, province, out)
        changes = tuple(parse_change(c) for c in getattr(args, "change", []))
        outcome = apply(ds, Scenario(args.year, province, changes))
    except SimError as e:
        print(e.message(lang), file=err)
        return 2
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
        try:
            odds = simulate(ds, outcome.scenario, _noise_model(args), history)
            if args.target_rank is not None and not 1 <= args.target_rank <= outcome.baseline.of:
                raise InputError("input.bad_target_rank", value=args.target_rank, of=outcome.baseline.of)
        except SimError as e:
            print(e.message(lang), file=err)
            return 2
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


def _goal(ds: Dataset, args: argparse.Namespace, province: str, out) -> int:
    if args.target_rank is not None:
        target = Target("rank", args.target_rank)
    elif args.target_group is not None:
        target = Target("group", args.target_group)
    else:
        target = Target("total", args.target_total)
    req = GoalRequest(args.year, province, target, locked=tuple(args.lock), caps=_pairs(args.cap),
                      weights=_pairs(args.weight), weighting=args.weights, probability=args.probability,
                      model=NoiseModel(draws=args.draws, seed=args.seed))
    doc = plan_json(ds, seek(ds, req, change_history(ds)), args.lang)
    if args.json:
        print(json.dumps(doc, ensure_ascii=False, indent=2), file=out)
        return 0
    lang = args.lang
    key = "cli.goal_met" if doc["already_met"] else "cli.goal_plan" if doc["reachable"] else "cli.goal_unreachable"
    print(t(key, lang, total=fmt_num(doc["total"], lang), rank=f"{doc['rank']}/{doc['of']}", group=doc["group_name"],
            caps=", ".join(doc["binding_caps"]) or "–"), file=out)
    for step in doc["plan"]:
        print(f"  {step['code']}: {fmt_num(step['from'], lang)} → {fmt_num(step['to'], lang)} "
              f"({fmt_num(step['change'], lang, sign=True)}; {round(100 * step['share'])}%)", file=out)
    return 0


def _noise_model(args: argparse.Namespace) -> NoiseModel:
    se = tuple((c.code, c.value) for c in map(parse_change, args.se)) or None
    if se and any(v < 0 or v > 2 for _, v in se):
        raise InputError("input.bad_se")
    return NoiseModel(draws=args.draws, seed=args.seed, rivals_move=not args.no_rivals, own_trend=args.trend,
                      survey_noise=args.survey_noise or bool(se), se=se)


def _table(ds: Dataset, args: argparse.Namespace, out) -> int:
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


def main() -> None:
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `python -m sim table --csv | head`: the reader left, not an error
        sys.stdout = None  # type: ignore[assignment]  # nothing more can be written
        code = 0
    sys.exit(code)
