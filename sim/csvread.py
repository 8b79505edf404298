"""Reading a CSV data file safely: UTF-8 only, bounded fields, one header column per name.

Any fault becomes a DataError naming the file, row and column, never a traceback:
- encoding: UTF-8, with or without a byte-order mark. UTF-16/UTF-32 (named by their byte-order mark),
  binary files (a NUL byte) and anything else that is not UTF-8 (Latin-1, cp1258 ...) are refused with
  the row and column of the first offending byte; re-save the file as UTF-8.
- size: a field longer than MAX_FIELD characters (128 KiB) is refused.
- header: a column name given twice is refused (a dict reader would silently keep the last one).
Nothing is changed on the way in: a name starting with ``=`` is data like any other. Where a CSV is
written for spreadsheets (``table --csv``), ``neutralise`` guards the text cells.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import DataError, SimError
from .text import code_point, first_unsafe, safe_text

MAX_FIELD = 128 * 1024  # characters in one field; csv's own default limit, stated here so it cannot drift
_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
         (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))
# A text cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class UnsafeCharacter(DataError):
    """A character no file writer can carry (a control, non-character or bidi override), with its place."""

    def __init__(self, file: str, row: int | str, column: str, char: str) -> None:
        self.problem, self.file, self.row, self.column = "unsafe_char", file, row, column
        SimError.__init__(self, "text.data_char", file=file, row=row, column=column, char=char)


def read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows of ``path`` with their line numbers (the header is line 1), as dicts keyed by ``columns``;
    refuses a file whose header differs from ``columns`` (missing, unknown or repeated names)."""
    name = path.name
    if not path.is_file():
        raise DataError("missing_file", name, "-", "-")
    try:
        raw = path.read_bytes()
    except OSError as e:  # unreadable (permissions, a device): say so, never a traceback
        raise DataError("unreadable_file", name, "-", "-", detail=e.strerror or type(e).__name__) from None
    text = _decode(raw, name)
    if (ch := first_unsafe(text, allow="\r\n\t")) is not None:  # sim.text: what no writer can carry
        row, col = _where(raw, raw.index(ch.encode("utf-8", errors="surrogatepass")))
        raise UnsafeCharacter(name, row, col, code_point(ch))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _next(reader, name) or []
    seen: set[str] = set()
    for col in header:
        if col in seen:
            raise DataError("duplicate_column", name, 1, col)
        seen.add(col)
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataError("missing_column", name, 1, missing[0])
    extra = [c for c in header if c not in columns]
    if extra:
        raise DataError("unknown_column", name, 1, extra[0])
    rows = []
    line = 1  # records are numbered as before (header 1, then 2, 3 ...); blank lines are skipped
    while (fields := _next(reader, name)) is not None:
        if not fields:
            continue
        line += 1
        if len(fields) != len(header):
            raise DataError("wrong_field_count", name, line, "-")
        for col, value in zip(header, fields):
            if len(value) > MAX_FIELD:
                raise DataError("field_too_large", name, line, col, size=len(value), limit=MAX_FIELD)
        rows.append((line, dict(zip(header, fields))))
    return rows


def _decode(raw: bytes, name: str) -> str:
    """UTF-8 text (a UTF-8 byte-order mark dropped), or a DataError saying where it stops being UTF-8."""
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            raise DataError("not_utf8", name, 1, "-", encoding=encoding)
    if b"\x00" in raw:
        row, col = _where(raw, raw.index(b"\x00"))
        raise DataError("binary_file", name, row, col)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row, col = _where(raw, e.start)
        raise DataError("not_utf8", name, row, col, encoding=f"0x{raw[e.start]:02X}") from None


def _where(raw: bytes, offset: int) -> tuple[int, str]:
    """Line (1-based) and header column of byte ``offset``: the fields before it on its line are counted
    (quotes respected), and the header names the column when it is readable."""
    # a line ends with LF, CRLF or a bare CR (old Mac files): counted so, and never handed to csv, which
    # refuses a line break inside what it is given as one line
    line = raw.count(b"\n", 0, offset) + raw.count(b"\r", 0, offset) - raw.count(b"\r\n", 0, offset) + 1
    start = max(raw.rfind(b"\n", 0, offset), raw.rfind(b"\r", 0, offset)) + 1
    before = raw[start:offset].decode("utf-8", errors="replace")
    first = re.split(rb"\r\n|\r|\n", raw, maxsplit=1)[0].decode("utf-8-sig", errors="replace")
    try:
        index = len(next(csv.reader([before + "x"]), [""])) - 1
        header = next(csv.reader([first]), [])
    except csv.Error:  # anything else csv cannot take: count the commas
        index, header = before.count(","), first.split(",")
    return line, safe_text(header[index]) if index < len(header) else str(index + 1)


def _next(reader, name: str) -> list[str] | None:
    """The next record, or None at the end; csv's own complaints (a field over its limit) as DataError."""
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            raise DataError("field_too_large", name, reader.line_num, "-", size=f"> {MAX_FIELD}",
                            limit=MAX_FIELD) from None
        raise DataError("csv_error", name, reader.line_num, "-", detail=str(e)) from None


def neutralise(text: str) -> str:
    """A text cell made safe for a spreadsheet: one starting like a formula (``=``, ``+``, ``-``, ``@``,
    tab, carriage return) gets a leading apostrophe, which spreadsheets show as text (OWASP's advice)."""
    return "'" + text if text.startswith(FORMULA_START) else text
