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
from .i18n import DEFAULT_LANG, LANGS, fmt_num, t
from .names import find_province
from .report import national_rows, outcome_json, standing_json, warning_text
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
