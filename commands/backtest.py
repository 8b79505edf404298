"""The odds' track record: ``backtest`` checks every past year's stated rank ranges and group chances against
what was published the year after (sim.backtest). JSON fields are stable (added, never renamed); see README.md.
"""
from __future__ import annotations

import argparse

from sim import inputs
from sim.backtest import DEFAULT_DRAWS, DEFAULT_SEED, backtest, backtest_json
from sim.i18n import fmt_num, fmt_pct, t

from .common import add_common, dump_json, load


def register(sub) -> None:
    """Add backtest to the subcommand parser ``sub``."""
    b = sub.add_parser("backtest",
                       help="how the odds held: real next-year ranks inside the stated 5th-95th percentile range")
    add_common(b, province=False, year=False)
    b.add_argument("--draws", type=int, default=None,
                   help=f"draws per year and model, 100-200000 (default {DEFAULT_DRAWS})")
    b.add_argument("--seed", type=int, default=None, help=f"random seed (default {DEFAULT_SEED})")
    b.set_defaults(handler=_backtest)


def _backtest(args: argparse.Namespace, out, err) -> int:
    draws = inputs.draws(DEFAULT_DRAWS if args.draws is None else args.draws)
    seed = inputs.seed(DEFAULT_SEED if args.seed is None else args.seed)
    ds = load(args)
    doc = backtest_json(backtest(ds, draws, seed), draws, seed)
    doc["units"] = args.units
    if args.json:
        dump_json(doc, out)
        return 0
    lang = args.lang
    for r in doc["rows"]:
        pairs = len(r["history_pairs"])
        if r["coverage_5_95"] is None:
            print(t("backtest.row_none", lang, year_from=r["year_from"], year_to=r["year_to"]), file=out)
            continue
        key = "backtest.row_few" if r["too_few_years"] else "backtest.row"
        print(t(key, lang, year_from=r["year_from"], year_to=r["year_to"], inside=r["inside"], n=r["n"],
                share=fmt_pct(r["coverage_5_95"], lang), pairs=pairs), file=out)
    o = doc["overall"]
    if o["coverage_5_95"] is not None:
        print(t("backtest.overall", lang, share=fmt_pct(o["coverage_5_95"], lang), n=o["n"],
                nominal=fmt_pct(o["nominal"], lang), draws=fmt_num(draws, lang, 0), seed=seed), file=out)
    return 0
