"""The PDF brief for a steering committee: 1-2 A4 pages, in the user's language (fpdf2).

First the province, year and date; each scenario's headline (total, rank, group, what moved, what
changed, what is still to go); the side-by-side table; a grouped chart of what each scenario changes.
Then the app's four charts for the first scenario, rendered from the same Altair specs (charts.whatif)
and placed by formats.pdf_charts (each at its own aspect ratio, one common scale, its title written as
text), the goal plan if any, and the sources and assumptions: 2-4 pages, body text at 9 pt or more.
Numbers are written as the app writes them (42,40 in Vietnamese). The font (DejaVu Sans, assets/fonts, open licence) is embedded; all text is
NFC-normalised, so stacked Vietnamese tone marks come out as single glyphs. Nothing is fetched.
"""
from __future__ import annotations

import datetime as dt
import io

from fpdf import FPDF
from fpdf.fonts import FontFace
from PIL import Image

from charts.palette import scenario_colour
from sim.data import Dataset
from sim.errors import InputError
from sim.i18n import fmt_num, fmt_pct, t
from sim.scenario import NamedScenario

from .chart_png import FONT_DIR
from .pdf_charts import MM_PER_PX, BriefChart, brief_charts_for
from .summary import (MAX_BRIEF_SCENARIOS, Entry, blocks, change_items, comparison, entries, fmt_points, group_name,
                      indicator_label, movement, nfc, province_name, sources, today_text, write_value)

MAX_SCENARIOS = MAX_BRIEF_SCENARIOS
MARGIN = 12         # mm
BODY = 9.0          # pt: the smallest text of the brief (notes and sources included)
GAP = 5             # mm between two charts side by side
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
        self.font(8, colour=MUTED)
        self.cell(0, 4, nfc(self.footer_text), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, t("export.pdf.page", self.lang, n=self.page_no(), total="{nb}"), align="R")

    def font(self, size: float, bold: bool = False, colour=INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)

    def para(self, text: str, size: float = BODY, bold: bool = False, colour=INK, h: float | None = None,
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

    def picture(self, png: bytes, x: float, w: float, y: float | None = None) -> float:
        """Place a PNG or JPEG at ``y`` (default: the current y), ``w`` mm wide at its own aspect ratio;
        returns its height in mm."""
        pw, ph = _size(png)
        h = w * ph / pw
        self.image(io.BytesIO(png), x=x, y=self.get_y() if y is None else y, w=w, h=h)
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
    pdf.para(t("export.prepared", lang, date=date), colour=MUTED)
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


class _Placed:
    """A chart's JPEG with its natural size on paper (CSS pixels x MM_PER_PX)."""

    def __init__(self, chart: BriefChart) -> None:
        self.chart, self.jpeg = chart, chart.jpeg()
        pw, ph = _size(self.jpeg)
        self.aspect = ph / pw
        self.width = pw / 2.0 * MM_PER_PX  # rendered at scale 2

    def title_height(self, pdf: _Brief, w: float) -> float:
        return _height(pdf, lambda p: (p.set_right_margin(p.w - p.l_margin - w), _title(p, self.chart)))


def _title(pdf: _Brief, chart: BriefChart) -> None:
    """A chart's title (bold) and subtitle, as text: they wrap at the chart's width and are never cut."""
    pdf.para(chart.title, 10, bold=True, h=4.8)
    if chart.subtitle:
        pdf.para(chart.subtitle, colour=MUTED)
    pdf.ln(0.8)


def _widths(pdf: _Brief, row: list[_Placed], room: float | None = None) -> list[float]:
    """Each chart's width on paper: its natural size, all shrunk together only if they pass the text width
    (or ``room`` mm, when something else shares the row)."""
    natural = sum(c.width for c in row) + GAP * (len(row) - 1)
    k = min(1.0, (room or pdf.epw) / natural)
    return [c.width * k for c in row]


def _need(pdf: _Brief, row: list[_Placed], legend=None, room: float | None = None) -> float:
    """The height in mm a row of charts takes with their titles (and the legend under the first title)."""
    widths = _widths(pdf, row, room)
    extra = _height(pdf, legend) if legend else 0.0
    return max(c.title_height(pdf, w) + c.aspect * w for c, w in zip(row, widths)) + extra + 2


def _row(pdf: _Brief, row: list[_Placed], legend=None, room: float | None = None) -> None:
    """Charts side by side at one scale, each under its own title; a new page first when the row does
    not fit in what is left of this one."""
    widths = _widths(pdf, row, room)
    pdf.room(_need(pdf, row, legend, room))
    y0, x, bottom = pdf.get_y(), pdf.l_margin, pdf.get_y()
    right = pdf.r_margin
    for c, w in zip(row, widths):
        pdf.set_right_margin(pdf.w - x - w)
        pdf.set_left_margin(x)
        pdf.set_xy(x, y0)
        _title(pdf, c.chart)
        if legend and c is row[0]:
            legend(pdf)
        h = pdf.picture(c.jpeg, x, w)
        bottom = max(bottom, pdf.get_y() + h)
        x += w + GAP
    pdf.set_left_margin(MARGIN)
    pdf.set_right_margin(right)
    pdf.set_xy(MARGIN, bottom + 3)


def _legend(items: tuple[Entry, ...]):
    """The change chart's legend as text: a colour square and the full name of each scenario."""
    def draw(pdf: _Brief) -> None:
        for n, e in enumerate(items):
            y = pdf.get_y() + 1.2
            pdf.set_fill_color(*bytes.fromhex(scenario_colour(n)[1:]))
            pdf.rect(pdf.l_margin, y, 2.6, 2.6, style="F")
            pdf.set_fill_color(255, 255, 255)
            pdf.para(e.name, indent=4)
        pdf.ln(1)
    return draw


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
    """The brief as PDF bytes; raises InputError beyond MAX_SCENARIOS (the workbook takes them all)."""
    if len(scenarios) > MAX_SCENARIOS:
        raise InputError("export.too_many", max=MAX_SCENARIOS, n=len(scenarios))
    items = entries(ds, scenarios, lang)
    date = today_text(today or dt.date.today(), lang)
    pdf = _layout(ds, items, lang, plan, date, brief_charts_for(ds, items, lang))
    return bytes(pdf.output())
