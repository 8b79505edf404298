"""History commands: a province's path over the years (trend) and the peers that improved (peers).

JSON field names are stable (added, never renamed); see README.md.
"""
from __future__ import annotations

import argparse

from sim.i18n import fmt_num, t
from sim.names import find_province
from sim.peers import find_peers, peers_json
from sim.previous import compare_total
from sim.trend import trend, trend_json
from sim.words import group_name, province_name

from .common import add_common, decimal, dump_json, load


def register(sub) -> None:
    """Add trend and peers to the subcommand parser ``sub``."""
    tr = sub.add_parser("trend", help="a province's total, rank, group and scores by year")
    add_common(tr, year=False)
    tr.set_defaults(handler=_trend)
    pe = sub.add_parser("peers", help="provinces that improved most on one indicator over a span, and stayed improved")
    add_common(pe, year=False)
    pe.set_defaults(handler=_peers)
    pe.add_argument("--code", required=True, help='a dimension ("8"), a sub-dimension ("6.1") or "total"')
    pe.add_argument("--from", dest="year_from", type=int, required=True, help="first year of the span")
    pe.add_argument("--to", dest="year_to", type=int, required=True, help="last year of the span")
    pe.add_argument("--similar", type=decimal, metavar="X",
                    help="a peer started at a similar level if within ±X of ours (default: 5%% of the scale)")
    pe.add_argument("--top", type=int, default=10, help="how many peers (default 10)")


def _estimate_note(args: argparse.Namespace, err) -> None:
    if args.units == "2025":
        print(t("units.notice_cli", args.lang), file=err)


def _trend(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    province = find_province(ds, args.province)
    rows = trend(ds, province)
    doc = trend_json(rows, province, ds.province(province).name_vi)
    doc["units"] = args.units
    for r, d in zip(rows, doc["rows"]):  # year on year (sim.previous): null where not comparable
        prev = compare_total(ds, r.year, province, r.total, r.rank, r.of)[0] if r.rank else None
        d.update(total_change=None if prev is None else round(prev.total_change, 4),
                 rank_change=None if prev is None else prev.rank_change,
                 of_changed=None if prev is None else prev.of_changed)
    if args.json:
        dump_json(doc, out)
        return 0
    _estimate_note(args, err)
    lang = args.lang
    print(province_name(ds, province, lang), file=out)
    era = None
    for r in rows:
        if r.era != era:
            era = r.era
            print(t("cli.trend_era", lang, era=era, low=fmt_num(r.scale[0], lang, 0), high=fmt_num(r.scale[1], lang, 0)),
                  file=out)
        place = f"{r.rank}/{r.of} · {group_name(r.group, lang)}" if r.rank else t("cli.trend_no_total", lang)
        dims = " ".join(f"{c}:{fmt_num(v, lang)}" for c, v in r.dimensions.items())
        print(f"  {r.year}  {fmt_num(r.total, lang, 4):>8}  {place}  [{dims}]", file=out)
    return 0


def _peers(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    province = find_province(ds, args.province)
    result = find_peers(ds, province, args.code, args.year_from, args.year_to, args.similar, args.top)
    doc = peers_json(ds, result, args.lang)
    doc["units"] = args.units
    if args.json:
        dump_json(doc, out)
        return 0
    _estimate_note(args, err)
    lang = args.lang
    print(t("cli.peers_head", lang, province=province_name(ds, province, lang), code=args.code,
            start=args.year_from, end=args.year_to, own_start=fmt_num(result.own_start, lang),
            own_end=fmt_num(result.own_end, lang)), file=out)
    if not result.peers:
        print(t("cli.peers_none", lang), file=out)
    for p in result.peers:
        similar = " ≈" if p.similar else ""
        print(f"  {province_name(ds, p.province, lang):<20} {fmt_num(p.start, lang)} → {fmt_num(p.end, lang)} "
              f"({fmt_num(p.change, lang, sign=True)}){similar}  {p.region if lang == 'en' else p.region_vi}", file=out)
    print(t("cli.peers_legend", lang, tol=fmt_num(result.tolerance, lang)), file=out)
    return 0
