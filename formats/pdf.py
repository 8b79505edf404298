"""The PDF brief for a steering committee: 2-4 A4 pages, in the user's language (fpdf2).

First the province, year and date; each scenario's headline (total, rank, group, what moved, what
changed, what is still to go); the side-by-side table; a grouped chart of what each scenario changes.
Then the app's four charts for the first scenario, rendered from the same Altair specs (charts.whatif)
and placed by formats.pdf_charts (each at its own aspect ratio, one common scale, its title written as
text), the goal plan if any, and the sources and assumptions; body text at 9 pt or more. Numbers are
written as the app writes them (42,40 in Vietnamese). The page machinery is formats.pdf_doc; all text is
NFC-normalised, so stacked Vietnamese tone marks come out as single glyphs. Nothing is fetched.
"""
from __future__ import annotations

import datetime as dt

from fpdf.fonts import FontFace

from charts.palette import scenario_colour
from sim.compare_scenarios import MAX_SIDE_BY_SIDE
from sim.data import Dataset
from sim.errors import InputError
from sim.i18n import fmt_num, fmt_pct, t
from sim.scenario import NamedScenario
from sim.words import change_items, group_name, indicator_label, movement, nfc, province_name

from .pdf_charts import BriefChart, brief_charts_for
from .pdf_story import story_page
from .pdf_doc import BEST_FILL, BODY, HEAD_FILL, MUTED, _Brief, _height, _legend, _need, _Placed, _row
from .summary import Entry, blocks, comparison, entries, fmt_points, sources, today_text, write_value
from .summary_odds import WORKBOOK_ONLY


def _headline(pdf: _Brief, ds: Dataset, e: Entry, colour: str, lang: str) -> None:
    o = e.outcome
    b, r = o.baseline, o.result
    pdf.room(18)
    y = pdf.get_y() + 1.2
    pdf.set_fill_color(*bytes.fromhex(colour[1:]))
    pdf.rect(pdf.l_margin, y, 2.6, 2.6, style="F")
    pdf.set_fill_color(255, 255, 255)  # tables fill their cells with the current colour
    pdf.set_x(pdf.l_margin + 4)
    pdf.font(10.5, bold=True)
    name = e.name + (f"  ·  {nfc(e.named.note)}" if e.named.note else "")
    pdf.multi_cell(pdf.epw - 4, 5.0, name, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.para(t("export.pdf.headline", lang, total=fmt_num(r.total, lang), change=fmt_num(r.total - b.total, lang, sign=True),
               rank=f"{r.rank}/{r.of}", was=f"{b.rank}/{b.of}", group=group_name(r.group, lang)), 9.5, bold=True, indent=4)
    if o.applied:
        pdf.para(f"{t('head.scenario_says', lang)} {movement(ds, o, lang)}", indent=4)
        pdf.para(f"{t('export.changes', lang)}: " + "; ".join(change_items(ds, o, lang)), indent=4)
    else:
        pdf.para(t("export.no_changes", lang), indent=4)
    gaps = []
    if r.next_up:
        gaps.append(t("head.to_next_rank", lang, points=fmt_points(r.to_next_rank, lang),
                      province=province_name(ds, r.next_up, lang)))
    if r.to_next_group is not None:
        gaps.append(t("head.to_next_group", lang, points=fmt_points(r.to_next_group, lang),
                      group=group_name(r.group - 1, lang).lower()))
    if gaps:
        pdf.para(t("export.pdf.distances", lang, items=" · ".join(gaps)), colour=MUTED, indent=4)
    pdf.ln(1.2)


def _table(pdf: _Brief, ds: Dataset, bs, lang: str) -> None:
    cols, rows = comparison(ds, bs, lang)
    label_w = 62 if len(cols) <= 5 else 50
    col_w = (pdf.epw - label_w) / len(cols)
    size = BODY
    keep = [r for r in rows if r.key not in ("of", "group", "next_up", *WORKBOOK_ONLY)]  # the rank cell says "25/61"
    pdf.font(size)
    best_face = FontFace(emphasis="BOLD", fill_color=BEST_FILL)
    with pdf.table(col_widths=(label_w, *([col_w] * len(cols))), width=pdf.epw, line_height=size * 0.5,
                   text_align=("LEFT", *(["RIGHT"] * len(cols))), borders_layout="HORIZONTAL_LINES",
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL), padding=0.8,
                   first_row_as_headings=True, cell_fill_mode="NONE") as table:
        head = table.row()
        head.cell(t("export.col.measure", lang))
        for c in cols:
            head.cell(nfc(c.title), align="RIGHT")
        of = next(r for r in rows if r.key == "of").values
        for row in keep:
            cells = table.row()
            cells.cell(nfc(row.label))
            best = row.best()
            for j, v in enumerate(row.values):
                text = f"{v}/{of[j]}" if row.key == "rank" else write_value(row, v, lang)
                cells.cell(text, style=best_face if j in best else None)
    pdf.para(t("export.pdf.best", lang), colour=MUTED)


def _plan(pdf: _Brief, ds: Dataset, plan, lang: str) -> None:
    req, res = plan.request, plan.outcome.result
    value = fmt_num(req.target.value, lang, 2) if req.target.kind == "total" else int(req.target.value)
    target = t(f"export.plan.target.{req.target.kind}", lang, value=value)
    pdf.heading(t("export.plan.title", lang))
    pdf.para(t("export.plan.summary", lang, target=target, total=fmt_num(res.total, lang), rank=f"{res.rank}/{res.of}",
               group=group_name(res.group, lang)))
    if plan.probability is not None:
        pdf.para(f"{t('export.plan.probability', lang)}: {fmt_pct(plan.probability, lang)}")
    if not plan.steps:
        pdf.para(t("export.plan.none", lang))
        return
    pdf.font(BODY)
    with pdf.table(col_widths=(44, 13, 13, 14, 14), width=pdf.epw, line_height=BODY * 0.5, padding=0.6,
                   text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"), borders_layout="HORIZONTAL_LINES",
                   headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL), align="LEFT",
                   cell_fill_mode="NONE") as table:
        head = table.row()
        for key in ("export.col.indicator", "export.col.from", "export.col.to", "export.col.change", "export.col.share"):
            head.cell(t(key, lang))
        for s in plan.steps:
            row = table.row()
            row.cell(indicator_label(ds, s.code, req.year, lang))
            row.cell(fmt_num(s.start, lang))
            row.cell(fmt_num(s.end, lang))
            row.cell(fmt_num(s.change, lang, sign=True))
            row.cell(fmt_pct(s.share, lang))


def _page_one(pdf: _Brief, ds: Dataset, items, bs, places: str, date: str, lang: str) -> None:
    """The title, then the first scenario's story (formats.pdf_story) alone on the first page; the headlines
    of every scenario and the side-by-side table from the second."""
    pdf.add_page()
    pdf.para(t("export.brief_title", lang), 15, bold=True, h=7)
    pdf.para(places, 12, bold=True, h=6)
    pdf.para(t("export.prepared", lang, date=date), colour=MUTED)
    pdf.ln(2)
    story_page(pdf, ds, items[0].named, lang)
    pdf.add_page()
    n = 0
    for b in bs:
        base = b.baseline
        pdf.ln(1)
        pdf.para(t("export.pdf.baseline", lang, total=fmt_num(base.total, lang), rank=f"{base.rank}/{base.of}",
                   group=group_name(base.group, lang)) + (f" ({province_name(ds, b.province, lang)} {b.year})"
                                                          if len(bs) > 1 else ""), 9.5, colour=MUTED)
        pdf.ln(1)
        for e in b.entries:
            _headline(pdf, ds, e, scenario_colour(n), lang)
            n += 1
    pdf.heading(t("export.pdf.comparison" if len(items) > 1 else "export.pdf.comparison_one", lang))
    _table(pdf, ds, bs, lang)


def _layout(ds: Dataset, items: tuple[Entry, ...], lang: str, plan, date: str, charts: tuple[BriefChart, ...]) -> _Brief:
    """Headlines and table, then every chart in order (a new page only where one does not fit), the plan
    beside the neighbours chart when there is room, then the sources."""
    bs = blocks(items)
    places = " · ".join(t("export.place", lang, province=province_name(ds, b.province, lang), year=b.year) for b in bs)
    pdf = _Brief(lang, f"PAPI What-If · {places} · {date}")
    pdf.set_title(nfc(f"{t('export.brief_title', lang)}: {places}"))
    pdf.set_creator("PAPI What-If")
    _page_one(pdf, ds, items, bs, places, date, lang)
    placed = {c.key: _Placed(c) for c in charts}
    pdf.ln(2)
    _row(pdf, [placed["compare"]], legend=_legend(items) if len(items) > 1 else None)
    heading = t("export.pdf.charts", lang, name=items[0].name)
    pdf.room(_height(pdf, lambda p: p.heading(heading)) + _need(pdf, [placed["national"]]))  # kept together
    pdf.heading(heading)
    _row(pdf, [placed["national"]])
    _row(pdf, [placed["profile"], placed["waterfall"]])
    _row(pdf, [placed["near"]])  # at its own size: beside the plan it would shrink below a legible 7 pt
    if plan is not None:
        pdf.room(_height(pdf, lambda p: _plan(p, ds, plan, lang)))
        _plan(pdf, ds, plan, lang)
        pdf.ln(2)
    src = sources(ds, bs, lang, date, plan is not None)
    pdf.room(_height(pdf, lambda p: _sources(p, src)))
    _sources(pdf, src)
    return pdf


def _sources(pdf: _Brief, paragraphs: list[str]) -> None:
    pdf.heading(t("export.src.heading", pdf.lang))
    for x in paragraphs:
        pdf.para(x, colour=MUTED)


def to_pdf(ds: Dataset, scenarios: list[NamedScenario], lang: str, plan=None, today: dt.date | None = None) -> bytes:
    """The brief as PDF bytes; raises InputError beyond MAX_SIDE_BY_SIDE (the workbook takes them all)."""
    if len(scenarios) > MAX_SIDE_BY_SIDE:
        raise InputError("export.too_many", max=MAX_SIDE_BY_SIDE, n=len(scenarios))
    items = entries(ds, scenarios, lang)
    date = today_text(today or dt.date.today(), lang)
    pdf = _layout(ds, items, lang, plan, date, brief_charts_for(ds, items, lang))
    return bytes(pdf.output())
