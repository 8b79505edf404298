"""The PDF brief for a steering committee: 1-2 A4 pages, in the user's language (fpdf2).

Page 1: province, year and date; each scenario's headline (total, rank, group, what moved, what changed,
what is still to go); the side-by-side table; a grouped chart of what each scenario changes. Page 2:
the app's four charts for the first scenario, rendered from the same Altair specs (charts.whatif),
the goal plan if any, and the sources and assumptions. Numbers are written as the app writes them
(42,40 in Vietnamese). The font (DejaVu Sans, assets/fonts, open licence) is embedded; all text is
NFC-normalised, so stacked Vietnamese tone marks come out as single glyphs. Nothing is fetched.
"""
from __future__ import annotations

import datetime as dt
import io

from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from charts import brief as brief_charts
from charts import whatif as whatif_charts
from sim.data import Dataset
from sim.errors import InputError
from sim.i18n import fmt_num, fmt_pct, t
from sim.scenario import NamedScenario

from .chart_png import FONT_DIR, to_jpeg
from .summary import (MAX_BRIEF_SCENARIOS, Entry, blocks, change_items, comparison, entries, fmt_points, group_name,
                      indicator_label, movement, nfc, province_name, sources, today_text, write_value)

MAX_SCENARIOS = MAX_BRIEF_SCENARIOS
MARGIN = 12         # mm
FONT = "DejaVu"
INK, MUTED, RULE, HEAD_FILL, BEST_FILL = (27, 27, 27), (95, 95, 95), (200, 200, 200), (220, 230, 241), (226, 239, 218)


def _size(picture: bytes) -> tuple[int, int]:
    """Pixel width and height of a PNG or JPEG (Pillow reads only the header)."""
    with Image.open(io.BytesIO(picture)) as im:
        return im.size


class _Brief(FPDF):
    def __init__(self, lang: str, footer_text: str, fonts: dict | None = None) -> None:
        super().__init__(format="A4", unit="mm")
        self.lang, self.footer_text = lang, footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 4)
        if fonts:  # a scratch copy for measuring shares the parsed fonts (parsing one costs ~50 ms)
            self.fonts.update(fonts)
        else:
            self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.font(7, colour=MUTED)
        self.cell(0, 4, nfc(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, t("export.pdf.page", self.lang, n=self.page_no(), total="{nb}"), align="R")

    def font(self, size: float, bold: bool = False, colour=INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)

    def para(self, text: str, size: float = 8.5, bold: bool = False, colour=INK, h: float | None = None,
             indent: float = 0) -> None:
        self.font(size, bold, colour)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, h or size * 0.45, nfc(text), align="L", new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.ln(1.5)
        self.para(text, 10.5, bold=True, h=5.5)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.l_margin + self.epw, self.get_y())
        self.ln(1)

    def picture(self, png: bytes, x: float, w: float) -> float:
        """Place a PNG at the current y, ``w`` mm wide; returns its height in mm."""
        pw, ph = _size(png)
        h = w * ph / pw
        self.image(io.BytesIO(png), x=x, y=self.get_y(), w=w, h=h)
        return h

    def room(self, h: float) -> None:
        if self.get_y() + h > self.page_break_trigger:
            self.add_page()


def _headline(pdf: _Brief, ds: Dataset, e: Entry, colour: str, lang: str) -> None:
    o = e.outcome
    b, r = o.baseline, o.result
    pdf.room(18)
    y = pdf.get_y() + 1.2
    pdf.set_fill_color(*bytes.fromhex(colour[1:]))
    pdf.rect(pdf.l_margin, y, 2.6, 2.6, style="F")
    pdf.set_fill_color(255, 255, 255)  # tables fill their cells with the current colour
    pdf.set_x(pdf.l_margin + 4)
    pdf.font(9.5, bold=True)
    name = e.name + (f"  ·  {nfc(e.named.note)}" if e.named.note else "")
    pdf.multi_cell(pdf.epw - 4, 4.6, name, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.para(t("export.pdf.headline", lang, total=fmt_num(r.total, lang), change=fmt_num(r.total - b.total, lang, sign=True),
               rank=f"{r.rank}/{r.of}", was=f"{b.rank}/{b.of}", group=group_name(r.group, lang)), 8.8, bold=True, indent=4)
    if o.applied:
        pdf.para(f"{t('head.scenario_says', lang)} {movement(ds, o, lang)}", 8, indent=4)
        pdf.para(f"{t('export.changes', lang)}: " + "; ".join(change_items(ds, o, lang)), 8, indent=4)
    else:
        pdf.para(t("export.no_changes", lang), 8, indent=4)
    gaps = []
    if r.next_up:
        gaps.append(t("head.to_next_rank", lang, points=fmt_points(r.to_next_rank, lang),
                      province=province_name(ds, r.next_up, lang)))
    if r.to_next_group is not None:
        gaps.append(t("head.to_next_group", lang, points=fmt_points(r.to_next_group, lang),
                      group=group_name(r.group - 1, lang).lower()))
    if gaps:
        pdf.para(t("export.pdf.distances", lang, items=" · ".join(gaps)), 7.5, colour=MUTED, indent=4)
    pdf.ln(1.2)


def _table(pdf: _Brief, ds: Dataset, bs, lang: str) -> None:
    cols, rows = comparison(ds, bs, lang)
    label_w = 62 if len(cols) <= 5 else 50
    col_w = (pdf.epw - label_w) / len(cols)
    size = 7.5 if len(cols) <= 5 else 6.5
    keep = [r for r in rows if r.key not in ("of", "group", "next_up")]  # the rank cell says "25/61"
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
    pdf.para(t("export.pdf.best", lang), 7, colour=MUTED)


def _plan(pdf: _Brief, ds: Dataset, plan, lang: str) -> None:
    req, res = plan.request, plan.outcome.result
    value = fmt_num(req.target.value, lang, 2) if req.target.kind == "total" else int(req.target.value)
    target = t(f"export.plan.target.{req.target.kind}", lang, value=value)
    pdf.heading(t("export.plan.title", lang))
    pdf.para(t("export.plan.summary", lang, target=target, total=fmt_num(res.total, lang), rank=f"{res.rank}/{res.of}",
               group=group_name(res.group, lang)), 8)
    if plan.probability is not None:
        pdf.para(f"{t('export.plan.probability', lang)}: {fmt_pct(plan.probability, lang)}", 8)
    if not plan.steps:
        pdf.para(t("export.plan.none", lang), 8)
        return
    pdf.font(7)
    with pdf.table(col_widths=(44, 13, 13, 14, 14), width=pdf.epw, line_height=3.4, padding=0.6,
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


def _charts(ds: Dataset, items: tuple[Entry, ...], lang: str) -> dict[str, bytes]:
    """Every chart the brief shows, as JPEG (rendered once; the PDF embeds JPEG as it is)."""
    lead = items[0].outcome
    out = {"compare": to_jpeg(brief_charts.comparison(ds, [(e.name, e.outcome) for e in items], lang), width=300)}
    out["national"] = to_jpeg(whatif_charts.national(ds, lead, lang), width=720, height=250)
    out["profile"] = to_jpeg(whatif_charts.profile(ds, lead, lang), width=170, height=210)
    out["waterfall"] = to_jpeg(whatif_charts.waterfall(ds, lead, lang), width=330, height=230)
    out["near"] = to_jpeg(whatif_charts.neighbours(ds, lead, lang), width=260)
    return out


def _height(pdf: _Brief, draw) -> float:
    """Height in mm that ``draw(pdf)`` takes, measured on a scratch document with the same margins."""
    scratch = _Brief(pdf.lang, "", fonts=pdf.fonts)
    scratch.set_margins(pdf.l_margin, MARGIN, pdf.r_margin)
    scratch.add_page()
    y0 = scratch.get_y()
    draw(scratch)
    return scratch.get_y() - y0 + (scratch.page_no() - 1) * scratch.eph


def _page_one(pdf: _Brief, ds: Dataset, items, bs, places: str, date: str, lang: str) -> None:
    pdf.add_page()
    pdf.para(t("export.brief_title", lang), 15, bold=True, h=7)
    pdf.para(places, 12, bold=True, h=6)
    pdf.para(t("export.prepared", lang, date=date), 8, colour=MUTED)
    palette = brief_charts.PALETTE
    n = 0
    for b in bs:
        base = b.baseline
        pdf.ln(1)
        pdf.para(t("export.pdf.baseline", lang, total=fmt_num(base.total, lang), rank=f"{base.rank}/{base.of}",
                   group=group_name(base.group, lang)) + (f" ({province_name(ds, b.province, lang)} {b.year})"
                                                          if len(bs) > 1 else ""), 9, colour=MUTED)
        pdf.ln(1)
        for e in b.entries:
            _headline(pdf, ds, e, palette[n % len(palette)], lang)
            n += 1
    pdf.heading(t("export.pdf.comparison", lang))
    _table(pdf, ds, bs, lang)


def _layout(ds: Dataset, items: tuple[Entry, ...], lang: str, plan, date: str, pics: dict) -> _Brief:
    """Page 1: headlines, table, the grouped chart in the room left; page 2: the app's charts, scaled so
    that they, the plan and the sources share one page."""
    bs = blocks(items)
    places = " · ".join(t("export.place", lang, province=province_name(ds, b.province, lang), year=b.year) for b in bs)
    pdf = _Brief(lang, f"PAPI What-If · {places} · {date}")
    pdf.set_title(nfc(f"{t('export.brief_title', lang)}: {places}"))
    pdf.set_creator("PAPI What-If")
    _page_one(pdf, ds, items, bs, places, date, lang)
    aspect = {k: (lambda s: s[1] / s[0])(_size(v)) for k, v in pics.items()}
    room = pdf.page_break_trigger - pdf.get_y() - 2
    compare_first = pdf.page_no() == 1 and room >= 40
    if compare_first:
        w = min(pdf.epw * 0.9, room / aspect["compare"])
        pdf.ln(1)
        pdf.set_y(pdf.get_y() + pdf.picture(pics["compare"], pdf.l_margin, w))
    pdf.add_page()
    pdf.heading(t("export.pdf.charts", lang, name=items[0].name))
    half = (pdf.epw - 5) / 2
    src = sources(ds, bs, lang, date, plan is not None)

    def draw_sources(p: _Brief) -> None:
        p.heading(t("export.src.heading", lang))
        for x in src:
            p.para(x, 6.8, colour=MUTED, h=3.1)

    fixed = _height(pdf, draw_sources) + 6
    near_w = pdf.epw * 0.42  # the plan takes the rest of that row
    plan_h = 0.0
    if plan is not None:
        plan_h = _height(pdf, lambda p: (p.set_left_margin(p.l_margin + near_w + 5), _plan(p, ds, plan, lang)))
    rows = [pdf.epw * aspect["national"], half * max(aspect["profile"], aspect["waterfall"]), near_w * aspect["near"]]
    if not compare_first:
        rows.insert(0, pdf.epw * 0.8 * aspect["compare"])
    avail = pdf.page_break_trigger - pdf.get_y() - fixed - 2 * len(rows)
    k = avail / sum(rows)
    if rows[-1] * k < plan_h:  # the plan beside the last chart is the taller of the two
        k = (avail - plan_h) / sum(rows[:-1])
    k = min(1.0, max(0.4, k))
    if not compare_first:
        pdf.set_y(pdf.get_y() + pdf.picture(pics["compare"], pdf.l_margin, pdf.epw * 0.8 * k) + 2)
    pdf.set_y(pdf.get_y() + pdf.picture(pics["national"], pdf.l_margin, pdf.epw * k) + 2)
    y = pdf.get_y()
    h1 = pdf.picture(pics["profile"], pdf.l_margin, half * k)
    h2 = pdf.picture(pics["waterfall"], pdf.l_margin + half * k + 5, half * k)
    pdf.set_y(y + max(h1, h2) + 2)
    y = pdf.get_y()
    h = pdf.picture(pics["near"], pdf.l_margin, near_w * k)
    if plan is not None:
        old = pdf.l_margin
        pdf.set_left_margin(old + near_w + 5)
        pdf.set_xy(pdf.l_margin, y)
        _plan(pdf, ds, plan, lang)
        pdf.set_left_margin(old)
    pdf.set_y(max(pdf.get_y(), y + h) + 1)
    draw_sources(pdf)
    return pdf


def to_pdf(ds: Dataset, scenarios: list[NamedScenario], lang: str, plan=None, today: dt.date | None = None) -> bytes:
    """The brief as PDF bytes; raises InputError beyond MAX_SCENARIOS (the workbook takes them all)."""
    if len(scenarios) > MAX_SCENARIOS:
        raise InputError("export.too_many", max=MAX_SCENARIOS, n=len(scenarios))
    items = entries(ds, scenarios, lang)
    date = today_text(today or dt.date.today(), lang)
    pdf = _layout(ds, items, lang, plan, date, _charts(ds, items, lang))
    return bytes(pdf.output())
