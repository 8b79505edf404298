"""Read the official PAPI provincial workbook (.xlsx, read with openpyxl) where its layout is recognised.

The layout, from the public description of the files on papi.org.vn (DOMAIN.md, "The official data
workbook"; we have not seen such a file ourselves, so anything else is refused saying what was expected):

- a sheet named like ``2024_VIE_ENG`` (the year is taken from it);
- a header row holding a "Thang điểm/Scale" column and one column per province, the labels in column A;
  province names may differ in spacing, case, hyphens and diacritics ("Thừa Thiên  Huế", "TP. Hồ Chí Minh");
  blank separator columns are skipped, and so is a national column ("Toàn quốc", "Cả nước", "National");
  a province column left wholly empty is a province missing that year;
- rows above the header are metadata; a text row there labelled as the new units (its label mentions "34",
  "tỉnh mới" or "new province"), as in the 2024 file, is read as the 63 → 34 mapping;
- one block per indicator under the header: a label row, "Chỉ số nội dung N" (2018-2019) or "Dimension N"
  (2020-2024) for dimension N, "Nội dung thành phần N.M" / "Sub-dimension N.M" for a sub-dimension, "Tổng điểm"
  / "Total" for the total; then, in recent files, rows labelled "Unweighted" ("Không trọng số"), "Weighted",
  "95% CI", "Standard Error". The Unweighted row is used; where a block has no such rows, its label row's values.
  Rows of other indicators are skipped. Every dimension of the year must be there; the total and
  sub-dimensions are optional.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import openpyxl
from openpyxl.utils import get_column_letter

from sim.data import FRAMEWORK_START, Dataset
from sim.editions import LAST_YEAR, structure_for

from .records import Cell, Problem, Record, match_province, parse_number, problem
from .xlsx_guard import MAX_SHEET_COLS, MAX_SHEET_ROWS, check_workbook

MAX_UNPACKED = 60_000_000   # bytes once unzipped: a 2 MB upload may not unpack into a memory bomb
_SHEET = re.compile(r"^\s*(\d{4})\s*[_ -]?\s*vie\s*[_ -]?\s*eng\s*$", re.IGNORECASE)
_SEP = r"(?:^|[/|]\s*)"
_DIM = re.compile(_SEP + r"(?:chi so noi dung|dimension)\s*(\d{1,2})(?![\d.])")
_SUB = re.compile(_SEP + r"(?:noi dung thanh phan|sub-? ?dimension)\s*(\d{1,2})\.(\d{1,2})(?![\d.])")
_TOTAL = re.compile(_SEP + r"(?:tong diem|diem tong hop|papi tong hop|total papi|papi total|total score|total|"
                    r"aggregate)(?:\s*(?:[:(/|-]|$))")
_KINDS = (("unweighted", re.compile(r"\b(?:unweighted|khong trong so|chua gia quyen|khong gia quyen)\b")),
          ("weighted", re.compile(r"\b(?:weighted|co trong so|gia quyen)\b")),
          ("ci", re.compile(r"(?:\b95\s*%|\bci\b|khoang tin cay|confidence)")),
          ("se", re.compile(r"(?:standard error|sai so chuan|\bse\b|std\.? ?err)")))
_SCALE = re.compile(r"(?:thang diem|\bscale\b)")
_NATIONAL = re.compile(r"^(?:toan quoc|ca nuoc|national|trung binh|average|mean)\b")
_UNITS = re.compile(r"(?:\b34\b|tinh moi|tinh, thanh moi|tinh/thanh moi|new province|new unit|sau sap xep)")


@dataclass(frozen=True)
class WorkbookRead:
    year: int | None
    records: list[Record]
    problems: list[Problem]
    units: tuple[tuple[str, str], ...]


def simplify(text: object) -> str:
    """Lower case, no diacritics (đ → d), single spaces: how labels are compared."""
    s = "" if text is None else str(text)
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.lower().split())


def read(data: bytes, ds: Dataset, year: int | None) -> WorkbookRead:
    """The province records of an official workbook, or the problems that make it unrecognised."""
    rows, sheet_year, bad = _sheet(data, year)
    if bad:
        return WorkbookRead(year, [], [bad], ())
    out: list[Problem] = []
    if year is not None and year != sheet_year:
        out.append(problem("edition.year_mismatch", None, None, value=sheet_year, expected=year))
    if not FRAMEWORK_START <= sheet_year <= LAST_YEAR:
        return WorkbookRead(None, [], [problem("edition.bad_year", value=sheet_year, low=FRAMEWORK_START, high=LAST_YEAR)], ())
    h = _header_row(rows)
    if h is None:
        return WorkbookRead(sheet_year, [], [problem("edition.wb_no_header")], ())
    header = rows[h]
    scale_col = next(j for j, v in enumerate(header) if _SCALE.search(simplify(v)))
    if scale_col == 0 or _SCALE.search(simplify(rows[h][0])) or match_province(ds, str(header[0] or ""))[0]:
        return WorkbookRead(sheet_year, [], [problem("edition.wb_layout", h + 1, "A")], ())
    prov_cols = [j for j, v in enumerate(header) if j not in (0, scale_col) and simplify(v)
                 and not _NATIONAL.search(simplify(v))]
    blocks, block_problems = _blocks(rows, h)
    out += block_problems
    inds = structure_for(ds, sheet_year)
    dims = [i.code for i in inds if i.level == "dimension"]
    subs = [i for i in inds if i.level == "subdimension"]
    for d in dims:
        if ("dim", d) not in blocks:
            out.append(problem("edition.wb_missing_dimension", None, None, code=d))
    sets = {}
    for d in dims:
        codes = [i.code for i in subs if i.parent == d]
        if any(("sub", c) in blocks for c in codes):
            out.extend(problem("edition.wb_missing_sub", None, None, code=c) for c in codes if ("sub", c) not in blocks)
            sets[d] = codes
    for key in blocks:
        if key[0] == "sub" and key[1] not in {i.code for i in subs}:
            out.append(problem("edition.wb_unknown_sub", blocks[key] + 1, "A", code=key[1], year=sheet_year))
    value_rows = [r for r in blocks.values()]
    for j in range(1, max(len(r) for r in rows)):
        if j not in prov_cols and j != scale_col and not simplify(header[j] if j < len(header) else None):
            if any(j < len(rows[r]) and rows[r][j] not in (None, "") for r in value_rows):
                out.append(problem("edition.unnamed_column", h + 1, get_column_letter(j + 1)))
    if out:
        return WorkbookRead(sheet_year, [], out, ())

    def cell(r: int, j: int) -> Cell:
        return Cell(rows[r][j] if j < len(rows[r]) else None, r + 1, get_column_letter(j + 1))
    records = []
    for j in prov_cols:
        dim_cells = {d: cell(blocks[("dim", d)], j) for d in dims}
        total = cell(blocks[("total", "")], j) if ("total", "") in blocks else None
        if all(c.empty for c in dim_cells.values()) and (total is None or total.empty):
            continue  # a province missing that year (missing, not zero)
        records.append(Record(province=cell(h, j), dims=dim_cells, total=total,
                              subs={d: {c: cell(blocks[("sub", c)], j) for c in codes} for d, codes in sets.items()}))
    units, unit_problems = _units(rows[:h], header, prov_cols, ds)
    return WorkbookRead(sheet_year, records, unit_problems, units)


def _sheet(data: bytes, year: int | None) -> tuple[list[list], int, Problem | None]:
    """The cells of the ``YYYY_VIE_ENG`` sheet as lists (row by row), its year, or why not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = z.namelist()
            unpacked = sum(i.file_size for i in z.infolist())
            if "xl/workbook.xml" not in names:
                return [], 0, problem("edition.not_spreadsheet")
            if unpacked > MAX_UNPACKED:
                return [], 0, problem("edition.too_large", size=round(unpacked / 1e6, 1), limit=MAX_UNPACKED / 1e6)
            too_much = check_workbook(z)  # rows, columns, cells, shared strings: before openpyxl reads anything
    except zipfile.BadZipFile:
        return [], 0, problem("edition.not_spreadsheet")
    if too_much is not None:
        return [], 0, too_much
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged third-party file can fail anywhere inside the reader; say so, never crash
        return [], 0, problem("edition.bad_workbook")
    try:
        matches = [(int(m.group(1)), n) for n in wb.sheetnames if (m := _SHEET.match(n))]
        if year is not None and len(matches) > 1:
            matches = [m for m in matches if m[0] == year] or matches
        if len(matches) != 1:
            return [], 0, problem("edition.wb_no_sheet", found=", ".join(wb.sheetnames)[:200] or "-")
        sheet_year, name = matches[0]
        rows = []
        for r in wb[name].iter_rows(values_only=True, max_col=MAX_SHEET_COLS):
            rows.append(list(r))
            if len(rows) > MAX_SHEET_ROWS:
                return [], 0, problem("edition.too_many_rows", rows=f"> {MAX_SHEET_ROWS}", limit=MAX_SHEET_ROWS)
    finally:
        wb.close()
    if not rows:
        return [], 0, problem("edition.empty")
    return rows, sheet_year, None


def _header_row(rows: list[list]) -> int | None:
    """The first row with a "Thang điểm/Scale" cell and at least ten other non-numeric cells (the provinces)."""
    for i, r in enumerate(rows[:200]):
        texts = [simplify(v) for v in r if isinstance(v, str) and v.strip()]
        if any(_SCALE.search(v) for v in texts) and len(texts) >= 11:
            return i
    return None


def _kind(label: str) -> str | None:
    return next((k for k, rx in _KINDS if rx.search(label)), None)


def _indicator(label: str) -> tuple[str, str] | None | bool:
    """("dim", "3"), ("sub", "6.1"), ("total", ""), None (another indicator) or False (conflicting labels)."""
    dims = {m.group(1).lstrip("0") for m in _DIM.finditer(label)}
    subs = {f"{int(a)}.{int(b)}" for a, b in _SUB.findall(label)}
    if len(dims) + len(subs) > 1:
        return False
    if dims:
        return "dim", dims.pop()
    if subs:
        return "sub", subs.pop()
    return ("total", "") if _TOTAL.search(label) else None


def _blocks(rows: list[list], h: int) -> tuple[dict[tuple[str, str], int], list[Problem]]:
    """For every recognised indicator, the row (0-based) whose values are used: its Unweighted row, or its
    label row where the block has no kind rows."""
    out: list[Problem] = []
    found: dict[tuple[str, str], int] = {}
    current: tuple[str, str] | None = None
    label_row, kinds_seen, unweighted = -1, False, None
    seen_indicator = False

    def close() -> None:
        if current is None:
            return
        use = unweighted if unweighted is not None else (None if kinds_seen else label_row)
        if use is None or not any(parse_number(v) is not None for v in rows[use][1:]):
            out.append(problem("edition.wb_no_unweighted", label_row + 1, "A", label=_quote(rows[label_row][0])))
        elif current in found:
            out.append(problem("edition.wb_duplicate_indicator", label_row + 1, "A", label=_quote(rows[label_row][0]),
                               first=found[current] + 1))
        else:
            found[current] = use

    for i in range(h + 1, len(rows)):
        label = simplify(rows[i][0] if rows[i] else None)
        ind = _indicator(label) if label else None
        kind = _kind(label) if label else None
        if ind is False:
            out.append(problem("edition.wb_label_conflict", i + 1, "A", label=_quote(rows[i][0])))
            continue
        if ind:
            close()
            current, label_row, kinds_seen, unweighted, seen_indicator = ind, i, False, None, True
            if kind == "unweighted":
                unweighted = i
            kinds_seen = kind is not None
        elif kind:
            if not seen_indicator:
                out.append(problem("edition.wb_orphan_row", i + 1, "A", label=_quote(rows[i][0])))
            kinds_seen = True
            if kind == "unweighted" and current is not None:
                unweighted = i if unweighted is None else unweighted
        elif label:
            close()
            current, seen_indicator = None, True
    close()
    return found, out


def _quote(value: object) -> str:
    return " ".join(str(value or "").split())[:60]


def _units(meta: list[list], header: list, prov_cols: list[int], ds: Dataset
           ) -> tuple[tuple[tuple[str, str], ...], list[Problem]]:
    """The 63 → 34 mapping from a metadata row labelled as the new units (2024 files), if there is one."""
    for i, r in enumerate(meta):
        if not _UNITS.search(simplify(r[0] if r else None)):
            continue
        values = [r[j] if j < len(r) else None for j in prov_cols]
        if any(parse_number(v) is not None for v in values if v not in (None, "")):
            continue  # a code row; the names row is the mapping
        out: list[Problem] = []
        pairs = []
        for j, v in zip(prov_cols, values):
            name = match_province(ds, str(header[j]))[0]
            if not simplify(v):
                out.append(problem("edition.wb_unit_missing", i + 1, get_column_letter(j + 1)))
            elif name:
                pairs.append((name, " ".join(str(v).split())))
        if len({u for _, u in pairs}) > 34:
            out.append(problem("edition.wb_too_many_units", i + 1, "A", n=len({u for _, u in pairs})))
        return tuple(pairs), out
    return (), []
