"""What an uploaded .xlsx may cost, checked on the zip before openpyxl reads a single sheet.

openpyxl, even in read-only mode, builds a whole row at a time and keeps every shared string: a 163 kB
upload holding one row of 2.5 million cells (52 MB unpacked) took the server from 177 MB to 1.76 GB. So
every worksheet's XML is first streamed through expat with a running count, and the file is refused as soon
as a bound is passed (which for a bomb is after a few hundred cells, not 2.5 million):

- ``MAX_SHEET_COLS`` columns (300): a cell further right is refused, never silently cut;
- ``MAX_SHEET_ROWS`` rows (20,000) in a sheet and ``MAX_CELLS`` cells (300,000) in the whole workbook;
- ``MAX_SHARED_STRINGS`` bytes (8 MB) of shared-string XML (openpyxl holds all of them at once).

The scan holds one cell at a time; with these bounds a workbook costs at most about 100 MB more than the
idle server to read (measured by tests/test_hostile_files.py). The official PAPI workbook (63 provinces,
some 150 rows) is far inside every bound.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile

from .records import Problem, problem

MAX_SHEET_ROWS, MAX_SHEET_COLS = 20_000, 300
MAX_CELLS = 300_000
MAX_SHARED_STRINGS = 8_000_000
_SHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_REF = re.compile(r"([A-Z]{1,3})")


def column_number(ref: str) -> int:
    """``"A1"`` → 1, ``"KN7"`` → 300 (a reference that is not one counts as far right, so it is refused)."""
    m = _REF.match(ref)
    if not m:
        return MAX_SHEET_COLS + 1
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    return n


def check_workbook(z: zipfile.ZipFile) -> Problem | None:
    """The first bound the workbook's sheets pass, as a Problem, or None when it may be read."""
    for info in z.infolist():
        if info.filename == "xl/sharedStrings.xml" and info.file_size > MAX_SHARED_STRINGS:
            return problem("book.too_many_strings", size=round(info.file_size / 1e6, 1),
                           limit=MAX_SHARED_STRINGS / 1e6)
    cells = 0
    for name in sorted(n for n in z.namelist() if _SHEET_XML.match(n)):
        got = _scan(z, name, cells)
        if isinstance(got, Problem):
            return got
        cells = got
    return None


def _scan(z: zipfile.ZipFile, name: str, cells: int) -> int | Problem:
    """Stream one sheet's XML: the running cell count, or the first bound it passes."""
    rows = col = 0
    row_el = None
    try:
        with z.open(name) as fh:
            for event, el in ET.iterparse(fh, events=("start", "end")):
                tag = el.tag.rsplit("}", 1)[-1]
                if event == "start" and tag == "row":
                    rows, col, row_el = rows + 1, 0, el
                    if rows > MAX_SHEET_ROWS:
                        return problem("edition.too_many_rows", rows=f"> {MAX_SHEET_ROWS}", limit=MAX_SHEET_ROWS)
                elif event == "start" and tag == "c":
                    ref = el.get("r")
                    col = column_number(ref) if ref else col + 1
                    cells += 1
                    if cells > MAX_CELLS:
                        return problem("book.too_many_cells", limit=MAX_CELLS)
                elif event == "end" and tag == "c":
                    if col > MAX_SHEET_COLS and any((child.text or "").strip() for child in el.iter()):
                        return problem("book.too_many_columns", number=col, limit=MAX_SHEET_COLS)
                    if row_el is not None:
                        row_el.clear()  # one cell held at a time, however long the row
                elif event == "end" and tag == "row":
                    el.clear()
                elif event == "end" and tag == "sheetData":
                    el.clear()
    except (ET.ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError):
        return problem("edition.bad_workbook")
    return cells
