"""The brief's page machinery (fpdf2): an A4 document with the brief's fonts, text sizes and footer, and
the rows of charts formats.pdf places on it.

A chart row sets one or more charts (formats.pdf_charts) side by side at one common scale (MM_PER_PX),
each at its own aspect ratio under its title written as text, and starts a new page when the row does not
fit in what is left of this one. The font (DejaVu Sans, assets/fonts, open licence) is embedded.
"""
from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image

from charts.palette import scenario_colour
from sim.i18n import t
from sim.words import nfc

from .chart_png import FONT_DIR
from .pdf_charts import MM_PER_PX, BriefChart
from .summary import Entry

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
    """An A4 page of the brief: margins, the embedded font, the footer with the page number."""

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


def _height(pdf: _Brief, draw) -> float:
    """Height in mm that ``draw(pdf)`` takes, measured on a scratch document with the same margins."""
    scratch = _Brief(pdf.lang, "", fonts=pdf.fonts)
    scratch.set_margins(pdf.l_margin, MARGIN, pdf.r_margin)
    scratch.add_page()
    y0 = scratch.get_y()
    draw(scratch)
    return scratch.get_y() - y0 + (scratch.page_no() - 1) * scratch.eph


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
