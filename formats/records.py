"""What every edition reader produces, and the one set of checks all of them share.

A reader (CSV in ``edition.py``, the official workbook in ``workbook.py``) turns a file into ``Record``s whose
cells keep the spreadsheet position they came from; ``check_records`` then applies the same rules to both and
collects every problem (never only the first) as data, so the CLI and the app word it in the user's language.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from sim.data import Dataset, Indicator
from sim.editions import TOTAL_TOLERANCE, YearRow
from sim.errors import InputError
from sim.i18n import fmt_num, t
from sim.names import find_province, fold

# A set of k sub-dimensions may differ from its dimension by 0.0001 per sub-dimension: each is published at
# 4 dp (half a unit of error each) and so is the dimension.
SUB_TOLERANCE_EACH = 0.0001
_PREFIXES = ("thanhpho", "tinh", "tp")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_COMMA_NUMBER = re.compile(r"[+-]?\d*,\d+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: a locales key (``edition.*``), where (spreadsheet row and column; None
    where it is about the whole file) and the values its message needs."""
    key: str
    row: int | None = None
    column: str | None = None
    params: tuple[tuple[str, object], ...] = ()

    def detail(self, lang: str) -> str:
        """What is wrong, without where (for a table that shows row and column in their own columns)."""
        return t(self.key, lang, **{k: _local(v, lang) for k, v in self.params})

    def message(self, lang: str) -> str:
        """One line in ``lang``, prefixed with where; numbers the engine computed as the language writes them."""
        text = self.detail(lang)
        if self.row is not None and self.column is not None:
            return t("edition.where", lang, row=self.row, column=self.column) + ": " + text
        if self.row is not None:
            return t("edition.where_row", lang, row=self.row) + ": " + text
        if self.column is not None:
            return t("edition.where_column", lang, column=self.column) + ": " + text
        return text


def _local(value: object, lang: str) -> object:
    """A float at up to 4 dp without trailing zeros, with the language's decimal separator (42,39)."""
    if isinstance(value, float):
        text = fmt_num(value, lang, 4)
        point = "," if lang == "vi" else "."
        return text.rstrip("0").rstrip(point) if point in text else text
    return value


def problem(key: str, row: int | None = None, column: str | None = None, **params: object) -> Problem:
    return Problem(key, row, column, tuple(params.items()))


@dataclass(frozen=True)
class Cell:
    """A value as read (text from a CSV; text, number or None from a workbook) and where it was."""
    value: object
    row: int
    column: str

    @property
    def empty(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass(frozen=True)
class Record:
    """One province's cells. Sub-dimension sets are keyed by dimension code: {"6": {"6.1": Cell, ...}}."""
    province: Cell
    dims: dict[str, Cell]
    total: Cell | None = None
    subs: dict[str, dict[str, Cell]] = field(default_factory=dict)
    rank: Cell | None = None
    group: Cell | None = None


def match_province(ds: Dataset, text: str) -> tuple[str | None, str]:
    """The dataset's name for ``text`` (diacritics, case, spacing, hyphens and a "Tỉnh"/"TP." prefix or a
    "City" suffix do not matter), or None and the closest names."""
    key = _bare(fold(text))
    if key:
        for p in ds.provinces:
            if key in (_bare(fold(p.name)), _bare(fold(p.name_vi))):
                return p.name, ""
    try:
        return find_province(ds, text), ""
    except InputError as e:
        return None, str(e.params["suggestions"])


def _bare(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 2:
            key = key[len(prefix):]
            break
    return key[:-4] if key.endswith("city") and len(key) > 6 else key


def parse_number(value: object) -> float | None:
    """A finite number from a cell, or None. A decimal comma (5,8739, as Vietnamese spreadsheets write it)
    is read as a decimal point; thousands separators, exponents, NaN and infinity are not numbers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip()
    if _COMMA_NUMBER.fullmatch(text):
        text = text.replace(",", ".")
    return float(text) if _NUMBER.fullmatch(text) else None


def _whole(cell: Cell | None, low: int, high: int, out: list[Problem]) -> int | None:
    """An optional whole number in [low, high] (rank, group): None when empty; a problem when not."""
    if cell is None or cell.empty:
        return None
    v = parse_number(cell.value)
    if v is None or v != int(v) or not low <= v <= high:
        out.append(problem("edition.not_whole", cell.row, cell.column, value=_show(cell.value), low=low, high=high))
        return None
    return int(v)


def _show(value: object) -> str:
    """A cell's value as the message quotes it: one line, at most 40 characters, never an ellipsis."""
    return " ".join(str(value).split())[:40]


def _score(cell: Cell, scale: tuple[float, float], out: list[Problem]) -> float | None:
    if cell.empty:
        out.append(problem("edition.empty_value", cell.row, cell.column))
        return None
    v = parse_number(cell.value)
    if v is None:
        out.append(problem("edition.not_a_number", cell.row, cell.column, value=_show(cell.value)))
        return None
    if not scale[0] - 1e-4 <= v <= scale[1] + 1e-4:
        out.append(problem("edition.out_of_scale", cell.row, cell.column, value=_show(cell.value),
                           low=float(scale[0]), high=float(scale[1])))
        return None
    return v


@dataclass(frozen=True)
class Checked:
    """The outcome of the shared checks: rows for the engine (only meaningful without problems)."""
    rows: tuple[YearRow, ...]
    problems: tuple[Problem, ...]
    ranks: dict[str, int]   # the file's own ranks and groups, kept only to say whether the engine agrees
    groups: dict[str, int]


def check_records(ds: Dataset, inds: tuple[Indicator, ...], records: list[Record]) -> Checked:
    """Every cell checked: known and unique provinces, numbers on their scales, totals equal to the sum of the
    dimensions (within 0.0002), sub-dimension sets equal to their dimension (0.0001 per sub-dimension)."""
    out: list[Problem] = []
    scales = {i.code: (i.scale_min, i.scale_max) for i in inds}
    dim_codes = [i.code for i in inds if i.level == "dimension"]
    n_dims = len(dim_codes)
    seen: dict[str, int] = {}
    rows: list[YearRow] = []
    ranks: dict[str, int] = {}
    groups: dict[str, int] = {}
    for rec in records:
        name = _province(ds, rec.province, seen, out)
        if _blank(rec):
            continue  # a province left without scores is missing that year (missing, not zero)
        dims = {c: _score(rec.dims[c], scales[c], out) for c in dim_codes if c in rec.dims}
        total = None
        if rec.total is not None and not rec.total.empty:
            total = _score(rec.total, (float(n_dims), 10.0 * n_dims), out)
            if total is not None and len(dims) == n_dims and None not in dims.values():
                s = sum(dims.values())
                if abs(total - s) > TOTAL_TOLERANCE + 1e-9:
                    out.append(problem("edition.total_mismatch", rec.total.row, rec.total.column,
                                       value=_show(rec.total.value), expected=round(s, 4)))
        subs = _subs(rec, dims, scales, out)
        rank, group = _whole(rec.rank, 1, 10_000, out), _whole(rec.group, 1, 4, out)
        if name is None or len(dims) != n_dims or None in dims.values() or subs is None:
            continue
        if rank is not None:
            ranks[name] = rank
        if group is not None:
            groups[name] = group
        rows.append(YearRow(name, tuple((c, dims[c]) for c in dim_codes), total, subs))
    return Checked(tuple(rows), tuple(out), ranks, groups)


def _blank(rec: Record) -> bool:
    cells = [*rec.dims.values(), rec.total, *(c for cells in rec.subs.values() for c in cells.values())]
    return all(c is None or c.empty for c in cells)


def _province(ds: Dataset, cell: Cell, seen: dict[str, int], out: list[Problem]) -> str | None:
    if cell.empty:
        out.append(problem("edition.empty_value", cell.row, cell.column))
        return None
    name, suggestions = match_province(ds, str(cell.value))
    if name is None:
        out.append(problem("edition.unknown_province", cell.row, cell.column, value=_show(cell.value),
                           suggestions=suggestions))
        return None
    if name in seen:
        out.append(problem("edition.duplicate_province", cell.row, cell.column, value=name, first=seen[name]))
        return None
    seen[name] = cell.row
    return name


def _subs(rec: Record, dims: dict[str, float | None], scales: dict[str, tuple[float, float]],
          out: list[Problem]) -> tuple[tuple[str, float], ...] | None:
    """The row's sub-dimensions (a set left wholly empty is simply absent); None when a set is faulty."""
    values: list[tuple[str, float]] = []
    ok = True
    for dim, cells in rec.subs.items():
        if all(c.empty for c in cells.values()):
            continue
        got = {code: _score(c, scales[code], out) for code, c in cells.items()}
        if None in got.values():
            ok = False
            continue
        s, d = sum(got.values()), dims.get(dim)
        if d is not None and abs(s - d) > SUB_TOLERANCE_EACH * len(got) + 1e-9:
            first = cells[min(cells)]
            out.append(problem("edition.subs_do_not_sum", first.row, first.column, dim=dim, total=round(s, 4),
                               expected=round(d, 4), codes=", ".join(sorted(cells))))
            ok = False
            continue
        values += sorted(got.items())
    return tuple(values) if ok else None
