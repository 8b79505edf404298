"""Read a new PAPI edition from an uploaded file (bytes and its name), check it whole, and hand the engine
its rows. Pure: no Streamlit, no printing; every problem is data (``records.Problem``).

**The CSV format** is exactly what ``python -m sim table --year Y --csv`` writes, so an export reads back:

    province,total,rank,group,d1,d2,d3,d4,d5,d6,d7,d8

- ``province``: the PAPI spelling or the Vietnamese name, diacritics, case, spacing and hyphens optional
  ("Son La", "Sơn La", "SON LA"). One row per province; a province without scores is simply left out.
- ``d1`` … ``d8``: every dimension of the year (1-10 each), required, never empty.
- ``total``: optional, may be empty (then the sum of the dimensions is used, flagged as not official); where
  given it must equal the sum of the dimensions within 0.0002 (published totals do, at 4 dp).
- ``rank`` and ``group``: optional, and **ignored** (only checked to be whole numbers): the engine recomputes
  both with its own rule, since the editions differ in their tie rule. A file whose figures disagree is not
  refused; the summary says how many the engine placed differently.
- ``year``: optional (the year can instead be given by the caller, ``--year``); where both are given they must
  agree, and every row must carry the same year (2018-2100, the 8-dimension framework).
- ``s1.1`` … ``s8.3``: optional sub-dimension columns (those in force that year; a year after the bundled data
  uses the latest year's set). A dimension's set comes whole or not at all; in a row, a set may be left empty;
  a filled set must add up to its dimension within 0.0001 per sub-dimension.
- Numbers: a decimal point or a decimal comma (``5,8739``; quote it in a comma-separated file, or separate the
  columns with ``;``, as Vietnamese spreadsheets do). No thousands separators, NaN or infinity.
- Columns are separated by commas, semicolons or tabs (Excel's "Unicode text" is UTF-16 with tabs).
- Encoding: UTF-8, UTF-8 with a BOM, or UTF-16 with a BOM (what Excel's "Unicode text" writes). Anything else is
  refused, naming those three.
- Limits: at most 2 MB and 200 data rows (an edition has at most 63 provinces); a workbook at most 2 MB, 60 MB
  unpacked, 20,000 rows and 300 columns.
- A row whose scores are all empty is a province missing that year (missing, not zero), as in the template.
- Problems are listed top to bottom, each with its row (the file's line; the header is row 1) and column.
- An ``.xlsx`` file is read as the official PAPI provincial workbook (``workbook.py``).
``template_csv`` writes the blank template.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

import numpy as np

from sim.data import FRAMEWORK_START, Dataset
from sim.editions import LAST_YEAR, YearRow, structure_for
from sim.i18n import t
from sim.ranking import groups as engine_groups
from sim.ranking import ranks as engine_ranks
from sim.text import safe_text

from . import workbook
from .records import Cell, Problem, Record, check_records, parse_number, problem

MAX_BYTES = 2_000_000
MAX_ROWS = 200
OPTIONAL = ("year", "total", "rank", "group")


@dataclass(frozen=True)
class Edition:
    """A file read and checked: valid when ``problems`` is empty (then ``year`` and ``rows`` are complete)."""
    filename: str
    kind: str                              # "csv" or "xlsx"
    year: int | None
    rows: tuple[YearRow, ...]
    problems: tuple[Problem, ...]
    differs: int = 0                       # provinces whose given rank or group the engine does not reproduce
    units: tuple[tuple[str, str], ...] = ()  # the workbook's 34-unit mapping rows: (old province, new unit)

    @property
    def valid(self) -> bool:
        return not self.problems


def read_edition(data: bytes, filename: str, ds: Dataset, year: int | None = None) -> Edition:
    """Read ``data`` (a CSV or an official .xlsx workbook), check every cell, and collect every problem.
    Text the file brings (its name, province names echoed in problems, the new units' names) only ever
    leaves here through sim.text.safe_text: a control, non-character or bidi override becomes U+FFFD."""
    ed = _read(data, filename, ds, year)
    return replace(ed, filename=safe_text(ed.filename), problems=tuple(_safe_problem(p) for p in ed.problems),
                   units=tuple((safe_text(a), safe_text(b)) for a, b in ed.units))


def _safe_problem(p: Problem) -> Problem:
    return replace(p, column=None if p.column is None else safe_text(p.column),
                   params=tuple((k, safe_text(v) if isinstance(v, str) else v) for k, v in p.params))


def _read(data: bytes, filename: str, ds: Dataset, year: int | None) -> Edition:
    kind = "xlsx" if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")) else "csv"
    gate = _gate(data)
    if gate:
        return Edition(filename, kind, year, (), (gate,))
    if kind == "xlsx":
        got = workbook.read(data, ds, year)
        return _finish(filename, kind, ds, got.year, got.records, got.problems, got.units)
    text, bad = _decode(data)
    if bad:
        return Edition(filename, kind, year, (), (bad,))
    y, records, problems = _read_csv(text, ds, year)
    return _finish(filename, kind, ds, y, records, problems, ())


def _finish(filename, kind, ds, year, records, problems, units) -> Edition:
    problems = list(problems)
    rows: tuple[YearRow, ...] = ()
    differs = 0
    # without a year the cells are still checked (on the latest year's structure), so every problem shows
    checked = check_records(ds, structure_for(ds, year if year is not None else max(ds.years)), records)
    problems += checked.problems
    if year is not None and not problems and not checked.rows:
        problems.append(problem("edition.no_scores"))
    if year is not None and not problems:
        rows = checked.rows
        differs = _differs(rows, checked.ranks, checked.groups, ds.tie_rule(year))
    problems.sort(key=lambda p: p.row or 0)  # top to bottom, as the user reads the file; whole-file ones first
    return Edition(filename, kind, year, rows, tuple(problems), differs, tuple(units))


def _differs(rows: tuple[YearRow, ...], given_ranks: dict[str, int], given_groups: dict[str, int], rule: str) -> int:
    """How many provinces' given rank or group the engine's recomputation does not reproduce."""
    totals = np.array([r.total if r.total is not None else round(sum(v for _, v in r.dims), 4) for r in rows])
    rk, gr = engine_ranks(totals), engine_groups(totals, rule)
    return sum(1 for i, r in enumerate(rows) if given_ranks.get(r.province, rk[i]) != rk[i]
               or given_groups.get(r.province, gr[i]) != gr[i])


def _gate(data: bytes) -> Problem | None:
    """Refusals that make reading pointless: empty, oversized, or a binary file that is not a spreadsheet."""
    if len(data) > MAX_BYTES:
        return problem("edition.too_large", size=round(len(data) / 1e6, 1), limit=MAX_BYTES / 1e6)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        return problem("edition.empty")
    if data[:4] == b"PK\x03\x04":
        return None
    if data[:5] == b"%PDF-":
        return problem("edition.not_text")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return problem("edition.old_xls")
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return problem("edition.utf32")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return None
    head = data[:4096]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or controls > len(head) // 100:
        return problem("edition.not_text")
    return None


def _decode(data: bytes) -> tuple[str, Problem | None]:
    """Text from UTF-8 (BOM optional) or UTF-16 with a BOM; anything else is named as refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return "", problem("edition.not_utf")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        return "", problem("edition.not_utf", line, None)


def _read_csv(text: str, ds: Dataset, year: int | None) -> tuple[int | None, list[Record], list[Problem]]:
    """Header and rows of a CSV, with every structural problem (columns, field counts, year)."""
    first = text.split("\n", 1)[0]
    # a comma (table --csv), a semicolon (spreadsheets in Vietnamese) or a tab (Excel's "Unicode text")
    delimiter = max((",", ";", "\t"), key=first.count)  # the most frequent in the header; a tie keeps the comma
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as e:
        return year, [], [problem("edition.bad_csv", detail=str(e))]
    numbered = [(i, r) for i, r in enumerate(lines, start=1) if any(c.strip() for c in r)]
    if not numbered:
        return year, [], [problem("edition.empty")]
    (hline, header), body = numbered[0], numbered[1:]
    if len(body) > MAX_ROWS:
        return year, [], [problem("edition.too_many_rows", rows=len(body), limit=MAX_ROWS)]
    names = [h.strip().lower() for h in header]
    out: list[Problem] = []
    year = _year(names, body, year, out)
    inds = structure_for(ds, year if year is not None else max(ds.years))
    dims = [i.code for i in inds if i.level == "dimension"]
    subs = [i for i in inds if i.level == "subdimension"]
    known = {"province", *OPTIONAL, *(f"d{c}" for c in dims), *(f"s{i.code}" for i in subs)}
    cols = _columns(names, body, known, hline, out)
    for need in ["province", *(f"d{c}" for c in dims)]:
        if need not in cols:
            out.append(problem("edition.missing_column", hline, need))
    sets = {}
    for d in dims:
        codes = [i.code for i in subs if i.parent == d]
        present = [c for c in codes if f"s{c}" in cols]
        if present:
            out.extend(problem("edition.missing_column", hline, f"s{c}") for c in codes if c not in present)
            sets[d] = present
    if not body:
        out.append(problem("edition.no_rows"))
    records = []
    for line, r in body:
        if len(r) != len(header):
            out.append(problem("edition.field_count", line, None, found=len(r), expected=len(header)))
            continue
        def cell(name: str) -> Cell | None:
            j = cols.get(name)
            return Cell(r[j], line, name) if j is not None else None
        if "province" not in cols:
            continue
        records.append(Record(
            province=cell("province"), dims={c: cell(f"d{c}") for c in dims if f"d{c}" in cols},
            total=cell("total"), rank=cell("rank"), group=cell("group"),
            subs={d: {c: cell(f"s{c}") for c in codes} for d, codes in sets.items()}))
    return year, records, out


def _columns(names: list[str], body, known: set[str], hline: int, out: list[Problem]) -> dict[str, int]:
    """Column name -> index; duplicates, unknown names and unnamed columns holding values are problems
    (an unnamed column left wholly empty, as spreadsheets often add, is ignored)."""
    cols: dict[str, int] = {}
    for j, name in enumerate(names):
        if not name:
            if any(j < len(r) and r[j].strip() for _, r in body):
                out.append(problem("edition.unnamed_column", hline, f"#{j + 1}"))
            continue
        if name in cols:
            out.append(problem("edition.duplicate_column", hline, name, first=cols[name] + 1))
        elif name not in known:
            out.append(problem("edition.unknown_column", hline, name))
        else:
            cols[name] = j
    return cols


def _year(names: list[str], body, given: int | None, out: list[Problem]) -> int | None:
    """The edition's year: the caller's, the ``year`` column's (one year for every row), or a problem."""
    j = names.index("year") if "year" in names else None
    found = given
    if j is not None:
        for line, r in body:
            if len(r) != len(names):
                continue  # a misaligned row is reported once, by its field count
            v = parse_number(r[j])
            if v is None or v != int(v):
                out.append(problem("edition.bad_year_cell", line, "year", value=r[j].strip()[:40]))
                continue
            if found is None:
                found = int(v)
            elif int(v) != found:
                out.append(problem("edition.year_mismatch", line, "year", value=int(v), expected=found))
    if found is None:
        out.append(problem("edition.no_year"))
        return None
    if not FRAMEWORK_START <= found <= LAST_YEAR:
        out.append(problem("edition.bad_year", value=found, low=FRAMEWORK_START, high=LAST_YEAR))
        return None
    return found


def template_csv(ds: Dataset, year: int, subs: bool = False) -> str:
    """The blank template of an edition: the header ``table --csv`` writes plus ``year`` (and, if asked, the
    sub-dimension columns), one row per province of the dataset, scores to fill in."""
    inds = structure_for(ds, year)
    header = ["province", "total", "rank", "group", *(f"d{i.code}" for i in inds if i.level == "dimension")]
    if subs:
        header += [f"s{i.code}" for i in inds if i.level == "subdimension"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*header, "year"])
    for p in ds.provinces:
        w.writerow([p.name, *([""] * (len(header) - 1)), year])
    return buf.getvalue()


def summary(ed: Edition, lang: str) -> str:
    """One line: what a valid file holds (the CLI prints it; the app shows it)."""
    with_subs = sum(1 for r in ed.rows if r.subs)
    official = sum(1 for r in ed.rows if r.total is not None)
    return t("edition.valid", lang, file=ed.filename, year=ed.year, n=len(ed.rows),
             dims=len(ed.rows[0].dims) if ed.rows else 0, subs=with_subs, official=official, differs=ed.differs)
