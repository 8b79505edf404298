"""Low-level workbook writing: typed cells, formats created once, column widths that fit, valid sheet names.

Every text goes through ``write_string`` (never a formula); text that starts like a formula (= + - @) also
gets Excel's quote prefix, so it stays text when someone edits the cell. Numbers are rounded to the data's
precision (4 dp), as sim.report writes them.
"""
from __future__ import annotations

import io
import re

import xlsxwriter

from sim.i18n import fmt_num
from sim.report import DP

from sim.words import nfc

from .summary import Row

MAX_SHEET = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
RESERVED = {"history"}  # Excel reserves this sheet name
WIDTH_MIN, WIDTH_MAX = 8, 60

NUMBER_FORMATS = {"score": "0.0000", "points": "0.0000", "change": "+0.0000;-0.0000;0.0000", "rank": "0",
                  "count": "0", "group": "0", "share": "0%", "weight": "0.0000", "rankdiff": "+0;-0;0"}


def sheet_name(wanted: str, used: set[str], fallback: str) -> str:
    """A valid, unused sheet name: no []:*?/\\ or control characters, no apostrophe at either end,
    at most 31 characters, unique ignoring case."""
    name = _BAD_SHEET_CHARS.sub(" ", nfc(wanted))
    name = " ".join(name.split()).strip("'").strip() or fallback
    base, k = name[:MAX_SHEET].rstrip(), 1
    name = base
    while name.lower() in used or name.lower() in RESERVED:
        k += 1
        suffix = f" ({k})"
        name = base[: MAX_SHEET - len(suffix)].rstrip() + suffix
    used.add(name.lower())
    return name


def looks_like_formula(text: str) -> bool:
    return text.startswith(_FORMULA_START)


class Sheet:
    """A worksheet that remembers how wide each column's content is, and writes typed cells."""

    def __init__(self, book: "Book", ws) -> None:
        self.book, self.ws, self.widths = book, ws, {}

    def _fit(self, c: int, n: int) -> None:
        self.widths[c] = max(self.widths.get(c, 0), n)

    def text(self, r: int, c: int, value, style: str = "", fit: bool = True) -> None:
        s = nfc("" if value is None else value)
        fmt = self.book.fmt(style, quote=looks_like_formula(s))
        self.ws.write_string(r, c, s, fmt)
        if fit:
            self._fit(c, max((len(line) for line in s.splitlines()), default=0))

    def num(self, r: int, c: int, value, kind: str, style: str = "") -> None:
        if value is None:
            self.ws.write_blank(r, c, None, self.book.fmt(style))
            return
        value = round(float(value), DP)  # the data's precision, as sim.report writes it
        self.ws.write_number(r, c, value, self.book.fmt(style, number=NUMBER_FORMATS[kind]))
        self._fit(c, len(fmt_num(float(value), "en", 4)) + 1)

    def cell(self, r: int, c: int, row: Row, value, style: str = "") -> None:
        """A comparison value: a number with the row's format, or text."""
        if row.kind == "text" or isinstance(value, str):
            self.text(r, c, "–" if value is None else value, style)
        else:
            self.num(r, c, value, row.kind, style)

    def header(self, r: int, titles: list[str], c0: int = 0) -> None:
        for c, title in enumerate(titles, start=c0):
            self.text(r, c, title, "head")

    def finish(self, first_width: int | None = None) -> None:
        for c, n in self.widths.items():
            self.ws.set_column(c, c, min(max(n + 2, WIDTH_MIN), WIDTH_MAX))
        if first_width:
            self.ws.set_column(0, 0, first_width)


class Book:
    """The workbook and its formats (one Format object per style, created once)."""
    STYLES = {"": {}, "head": {"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True, "valign": "top"},
              "title": {"bold": True, "font_size": 14}, "bold": {"bold": True},
              "best": {"bold": True, "bg_color": "#E2EFDA"}, "us": {"bold": True, "bg_color": "#FCE4D6"},
              "wrap": {"text_wrap": True, "valign": "top"}, "muted": {"italic": True, "font_color": "#595959"}}

    def __init__(self) -> None:
        self.buf = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buf, {"in_memory": True, "strings_to_formulas": False,
                                                 "strings_to_numbers": False, "strings_to_urls": False})
        self._formats: dict = {}
        self.used: set[str] = set()

    def fmt(self, style: str = "", number: str | None = None, quote: bool = False):
        key = (style, number, quote)
        if key not in self._formats:
            props = dict(self.STYLES[style])
            if number:
                props["num_format"] = number
            if quote:
                props["quote_prefix"] = True
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def sheet(self, name: str) -> Sheet:
        return Sheet(self, self.wb.add_worksheet(name))

    def close(self) -> bytes:
        self.wb.close()
        return self.buf.getvalue()
