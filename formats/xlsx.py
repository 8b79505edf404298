"""The Excel workbook of a list of named scenarios, in the user's language (xlsxwriter).

Sheets: the comparison (a baseline column per province-year, then its scenarios), one sheet per
scenario (result, changes, dimensions), the national table before and after, the goal plan if any,
and the sources and assumptions. Numbers are real numbers with number formats (scores at 4 dp, whole
ranks); every text goes through ``write_string``, so nothing a name carries ever becomes a formula,
and text that starts like a formula (= + - @) also gets Excel's quote prefix, so it stays text when
someone edits the cell.
"""
from __future__ import annotations

import datetime as dt

from sim.data import Dataset
from sim.i18n import fmt_num, t
from sim.scenario import NamedScenario
from sim.words import group_name, indicator_label, movement, nfc, province_name

from .summary import Block, Entry, blocks, comparison, entries, sources, today_text
from .summary_odds import BRIEF_ONLY
from .xlsx_book import MAX_SHEET, WIDTH_MAX, Book, Sheet, sheet_name

__all__ = ["to_xlsx", "sheet_name"]


def _comparison_sheet(book: Book, sh: Sheet, ds: Dataset, bs: tuple[Block, ...], lang: str) -> None:
    cols, rows = comparison(ds, bs, lang)
    rows = tuple(r for r in rows if r.key not in BRIEF_ONLY)
    sh.text(0, 0, t("export.sheet.comparison", lang), "title", fit=False)
    sh.text(1, 0, t("export.pdf.best", lang), "muted", fit=False)
    sh.header(2, [t("export.col.measure", lang)] + [c.title for c in cols])
    for i, row in enumerate(rows, start=3):
        sh.text(i, 0, row.label)
        best = row.best()
        for j, value in enumerate(row.values):
            if row.key == "to_next_group" and value is None:  # in the top group: say so, as the app does
                sh.text(i, j + 1, t("export.top_group", lang), "best" if j in best else "")
                continue
            sh.cell(i, j + 1, row, value, "best" if j in best else "")
    sh.ws.freeze_panes(3, 1)
    sh.finish()
    for j in range(len(cols)):  # scenario titles wrap rather than widen a column past a number's need
        sh.ws.set_column(j + 1, j + 1, min(max(sh.widths.get(j + 1, 0) + 2, 14), 28))


def _scenario_sheet(sh: Sheet, ds: Dataset, e: Entry, lang: str) -> None:
    o, year = e.outcome, e.outcome.scenario.year
    b, r = o.baseline, o.result
    sh.text(0, 0, t("export.scenario_title", lang, name=e.name), "title", fit=False)
    sh.text(1, 0, t("export.place", lang, province=province_name(ds, o.scenario.province, lang), year=year), fit=False)
    row = 2
    if e.named.note:
        sh.text(row, 0, t("export.note", lang, note=nfc(e.named.note)), fit=False)
        row += 1
    sh.text(row, 0, f"{t('export.row.moved', lang)}: {movement(ds, o, lang)}", fit=False)
    row += 2
    sh.text(row, 0, t("export.result", lang), "bold")
    row += 1
    sh.header(row, [t("export.col.measure", lang), t("chart.baseline", lang), t("chart.scenario", lang),
                    t("export.col.change", lang)])
    results = [
        ("export.row.total", b.total, r.total, "score", r.total - b.total, "change"),
        ("export.row.rank", b.rank, r.rank, "rank", b.rank - r.rank, "rankdiff"),
        ("export.row.of", b.of, r.of, "count", None, ""),
        ("export.row.group", b.group, r.group, "group", None, ""),
        ("export.row.to_next_rank", b.to_next_rank, r.to_next_rank, "points", None, ""),
        ("export.row.to_next_group", b.to_next_group, r.to_next_group, "points", None, ""),
    ]
    for key, v0, v1, kind, diff, dkind in results:
        row += 1
        sh.text(row, 0, t(key, lang))
        for c, v in ((1, v0), (2, v1)):
            if key == "export.row.to_next_group" and v is None:
                sh.text(row, c, t("export.top_group", lang))
            else:
                sh.num(row, c, v, kind)
        if dkind:
            sh.num(row, 3, diff, dkind)
    for key, v0, v1 in (("export.row.group_name", group_name(b.group, lang), group_name(r.group, lang)),
                        ("export.row.next_up", b.next_up and province_name(ds, b.next_up, lang),
                         r.next_up and province_name(ds, r.next_up, lang)),
                        ("export.row.official", _official(ds, year, b, lang), _official(ds, year, r, lang))):
        row += 1
        sh.text(row, 0, t(key, lang))
        sh.text(row, 1, v0 or "–")
        sh.text(row, 2, v1 or "–")
    row += 2
    sh.text(row, 0, t("export.changes", lang), "bold")
    row += 1
    if not o.applied:
        sh.text(row, 0, t("export.no_changes", lang), "muted", fit=False)
    else:
        sh.header(row, [t("export.col.indicator", lang), t("export.col.level", lang), t("export.col.from", lang),
                        t("export.col.requested", lang), t("export.col.to", lang), t("export.col.change", lang),
                        t("export.col.clamped", lang)])
        for a in o.applied:
            row += 1
            sh.text(row, 0, indicator_label(ds, a.code, year, lang))
            sh.text(row, 1, t(f"export.level.{a.level}", lang))
            for c, v in ((2, a.before), (3, a.requested), (4, a.after)):
                sh.num(row, c, v, "score")
            sh.num(row, 5, a.change, "change")
            sh.text(row, 6, t("export.yes" if a.clamped else "export.no", lang))
    row += 2
    sh.text(row, 0, t("export.dimensions", lang), "bold")
    row += 1
    sh.header(row, [t("export.col.indicator", lang), t("chart.baseline", lang), t("chart.scenario", lang),
                    t("export.col.change", lang), t("export.col.group_baseline", lang),
                    t("export.col.group_scenario", lang), t("export.col.rank_baseline", lang),
                    t("export.col.rank_scenario", lang)])
    for code, v0 in b.dimensions.items():
        row += 1
        v1 = r.dimensions[code]
        sh.text(row, 0, indicator_label(ds, code, year, lang))
        sh.num(row, 1, v0, "score")
        sh.num(row, 2, v1, "score", "best" if v1 > v0 + 1e-12 else "")
        sh.num(row, 3, v1 - v0, "change")
        sh.num(row, 4, b.dimension_groups.get(code), "group")
        sh.num(row, 5, r.dimension_groups.get(code), "group")
        sh.num(row, 6, b.dimension_ranks.get(code), "rank")
        sh.num(row, 7, r.dimension_ranks.get(code), "rank")
    sh.ws.freeze_panes(2, 1)
    sh.finish()
    sh.ws.set_column(0, 0, min(max(sh.widths.get(0, 0) + 2, 30), WIDTH_MAX))


def _national_sheet(sh: Sheet, ds: Dataset, blk: Block, lang: str) -> None:
    base = blk.entries[0].outcome.national_baseline
    us = blk.province
    sh.text(0, 0, t("export.national_note", lang, year=blk.year, province=province_name(ds, us, lang)), "muted",
            fit=False)
    nats = [(t("chart.baseline", lang), base)] + [(e.name, e.outcome.national_result) for e in blk.entries]
    for k, (title, _) in enumerate(nats):
        c = 1 + 3 * k
        sh.ws.merge_range(1, c, 1, c + 2, "", sh.book.fmt("head"))
        sh.text(1, c, title, "head", fit=False)
    sh.text(1, 0, "", "head")
    sh.header(2, [t("export.col.province", lang)] + [t(f"export.col.{k}", lang) for k in ("total", "rank", "group")]
              * len(nats))
    order = sorted(range(len(base.provinces)), key=lambda i: (base.rank[i], base.provinces[i]))
    for row, i in enumerate(order, start=3):
        style = "us" if base.provinces[i] == us else ""
        sh.text(row, 0, province_name(ds, base.provinces[i], lang), style)
        for k, (_, nat) in enumerate(nats):
            c = 1 + 3 * k
            sh.num(row, c, float(nat.total[i]), "score", style)
            sh.num(row, c + 1, int(nat.rank[i]), "rank", style)
            sh.num(row, c + 2, int(nat.group[i]), "group", style)
    sh.ws.freeze_panes(3, 1)
    sh.finish()


def _plan_sheet(sh: Sheet, ds: Dataset, plan, lang: str) -> None:
    req, res = plan.request, plan.outcome.result
    year = req.year
    value = fmt_num(req.target.value, lang, 2) if req.target.kind == "total" else int(req.target.value)
    target = t(f"export.plan.target.{req.target.kind}", lang, value=value)
    sh.text(0, 0, t("export.plan.title", lang), "title", fit=False)
    sh.text(1, 0, t("export.place", lang, province=province_name(ds, req.province, lang), year=year), fit=False)
    yes_no = lambda v: t("export.yes" if v else "export.no", lang)  # noqa: E731
    facts = [("export.plan.target", target, None), ("export.plan.reachable", yes_no(plan.reachable), None),
             ("export.plan.already_met", yes_no(plan.already_met), None),
             ("export.plan.needed", plan.needed if plan.needed == plan.needed and abs(plan.needed) != float("inf")
              else None, "points"),
             ("export.row.total", res.total, "score"), ("export.row.rank", res.rank, "rank"),
             ("export.row.of", res.of, "count"), ("export.row.group", res.group, "group"),
             ("export.row.group_name", group_name(res.group, lang), None),
             ("export.plan.slack", plan.slack if abs(plan.slack) != float("inf") else None, "points"),
             ("export.plan.binding", ", ".join(plan.binding_caps) or "–", None)]
    if plan.probability is not None:
        facts.append(("export.plan.probability", plan.probability, "share"))
    row = 2
    for key, v, kind in facts:
        row += 1
        sh.text(row, 0, t(key, lang))
        if kind:
            sh.num(row, 1, v, kind)
        else:
            sh.text(row, 1, v)
    row += 2
    sh.header(row, [t("export.col.indicator", lang), t("export.col.from", lang), t("export.col.to", lang),
                    t("export.col.change", lang), t("export.col.share", lang), t("export.col.cap", lang),
                    t("export.col.cap_reason", lang), t("export.col.weight", lang)])
    header_row = row
    for s in plan.limits:
        row += 1
        style = "best" if s.change > 0 else ""
        sh.text(row, 0, indicator_label(ds, s.code, year, lang), style)
        sh.num(row, 1, s.start, "score", style)
        sh.num(row, 2, s.end, "score", style)
        sh.num(row, 3, s.change, "change", style)
        sh.num(row, 4, s.share, "share", style)
        sh.num(row, 5, s.cap, "score", style)
        sh.text(row, 6, t(f"goal.reason.{s.cap_reason}", lang), style)
        sh.num(row, 7, s.weight, "weight", style)
    sh.ws.freeze_panes(header_row + 1, 1)
    sh.finish()


def _sources_sheet(sh: Sheet, paragraphs: list[str], lang: str) -> None:
    sh.text(0, 0, t("export.src.heading", lang), "title", fit=False)
    for i, p in enumerate(paragraphs, start=2):
        sh.text(i, 0, p, "wrap", fit=False)
    sh.ws.set_column(0, 0, 110)
    sh.ws.freeze_panes(1, 0)


def _short_name(name: str, fallback: str) -> str:
    """A scenario's sheet name, never cut mid-word: the name if it fits Excel's 31 characters, else its label
    before a colon ("Phương án B: ít nhất để vào nhóm cao nhất" -> "Phương án B") if that fits, else
    ``fallback`` ("Kịch bản 2"). The sheet's first cell holds the full name."""
    whole = " ".join(nfc(name).split())
    if len(whole) <= MAX_SHEET:
        return whole
    label = whole.split(":", 1)[0].strip()
    return label if ":" in whole and 0 < len(label) <= MAX_SHEET else fallback


def to_xlsx(ds: Dataset, scenarios: list[NamedScenario], lang: str, plan=None, today: dt.date | None = None) -> bytes:
    """The workbook as bytes. Raises InputError when a scenario cannot be applied (or none is given)."""
    items = entries(ds, scenarios, lang)
    bs = blocks(items)
    date = today_text(today or dt.date.today(), lang)
    book = Book()
    fixed = {k: t(f"export.sheet.{k}", lang) for k in ("comparison", "plan", "sources")}
    for name in fixed.values():
        book.used.add(name.lower())
    book.wb.set_properties({"title": t("export.brief_title", lang), "comments": "PAPI What-If"})
    comp = book.wb.add_worksheet(fixed["comparison"])
    for n, e in enumerate(items, start=1):
        name = sheet_name(_short_name(e.name, t("export.default_name", lang, n=n)), book.used,
                          t("export.default_name", lang, n=n))
        _scenario_sheet(book.sheet(name), ds, e, lang)
    for blk in bs:
        wanted = t("export.sheet.national", lang, year=blk.year, province=province_name(ds, blk.province, lang))
        _national_sheet(book.sheet(sheet_name(wanted, book.used, wanted[:MAX_SHEET])), ds, blk, lang)
    if plan is not None:
        _plan_sheet(book.sheet(fixed["plan"]), ds, plan, lang)
    _sources_sheet(book.sheet(fixed["sources"]), sources(ds, bs, lang, date, plan is not None), lang)
    _comparison_sheet(book, Sheet(book, comp), ds, bs, lang)
    comp.activate()
    return book.close()


def _official(ds: Dataset, year: int, standing, lang: str) -> str:
    """Whether a standing's total is the published one: a total typed in an uploaded edition is named as
    such, never "yes" (the rule of sim.editions.total_kind)."""
    if not standing.total_official:
        return t("export.no", lang)
    return t("edition.total_uploaded" if year in ds.added_years else "export.yes", lang)
