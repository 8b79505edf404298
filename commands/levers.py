"""``levers``: every dimension and sub-dimension of a province, the realistic one-year steps on each and
what they buy (sim.levers)."""
from __future__ import annotations

import argparse

from sim.i18n import fmt_num, t
from sim.levers import lever_json, lever_table
from sim.names import find_province
from sim.words import group_name, province_name

from .common import add_common, dump_json, load


def register(sub) -> None:
    p = sub.add_parser("levers", help="what realistic one-year steps on each lever buy")
    add_common(p)
    p.set_defaults(handler=_levers)


def _levers(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    province = find_province(ds, args.province)
    rows = lever_table(ds, args.year, province)
    if args.json:
        doc = {"year": args.year, "province": province, "rows": [lever_json(r) for r in rows]}
        dump_json(doc, out)
        return 0
    lang = args.lang
    print(t("cli.levers_head", lang, province=province_name(ds, province, lang), year=args.year), file=out)
    for r in rows:
        name = ds.indicator(r.code, args.year).name(lang)
        print(t("cli.levers_row", lang, code=r.code, name=name, kind=r.step_kind,
                step=fmt_num(r.step, lang, 2, sign=True), total=fmt_num(r.total, lang, 2),
                rank=r.rank, gain=r.rank_gain, group=group_name(r.group, lang),
                lever_rank=r.lever_rank_now, lever_rank_after=r.lever_rank), file=out)
    return 0
