"""Load and validate the bundled PAPI data into per-year tables.

A dataset is a folder of files (see data/README.md): ``structure.csv`` (the index hierarchy, as data),
``provinces.csv``, ``papi_scores.csv`` (one published score per row, with its source),
``subdimensions.csv`` (every province's sub-dimension scores 2018-2024), ``subdimension_exceptions.csv``
(the sets known not to add up, each named with its reason), ``group_rules.csv`` (each edition's tie rule)
and ``breaks.csv`` (construction breaks: no change may span one). Validation happens once, here; every
error names the file, row and column. The loaded dataset is read-only (arrays and mappings), since
one copy is shared by every session of the app.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .csvread import read_rows
from .errors import DataError
from .ranking import DP

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCORES_FILE, PROVINCES_FILE, STRUCTURE_FILE = "papi_scores.csv", "provinces.csv", "structure.csv"
SUBS_FILE, EXCEPTIONS_FILE = "subdimensions.csv", "subdimension_exceptions.csv"
RULES_FILE, BREAKS_FILE = "group_rules.csv", "breaks.csv"
SUB_COLUMNS = ("year", "province", "code", "name", "score", "source", "note")
EXCEPTION_COLUMNS = ("year", "province", "code", "kind", "value", "expected", "reason", "source")
EXCEPTION_KINDS = ("sum", "below_scale")
RULE_COLUMNS = ("year", "tie_rule", "basis", "source")
BREAK_COLUMNS = ("code", "first_year", "kind", "note")
TIE_RULES = ("lower", "upper")
# A full sub-dimension set (subdimensions.csv, ~9 significant digits) adds up to its 4-dp dimension.
SUB_SUM_TOLERANCE = 0.0001
LEVELS = ("total", "dimension", "subdimension")
SCORE_COLUMNS = ("year", "province", "level", "code", "name", "score", "source", "crosscheck")
PROVINCE_COLUMNS = ("province", "name_vi", "region", "region_vi", "papi_order")
STRUCTURE_COLUMNS = ("code", "level", "parent", "year_from", "year_to", "scale_min", "scale_max",
                     "name_en", "name_vi", "name_source")
# Published totals agree with the sum of their 4-dp dimensions within 0.0002 (shared data check [2]).
# The 8-dimension framework (structure.csv: dimensions 7 and 8 from 2018): the one first year of every
# comparison across years (odds, levers, effort, added editions); tests/test_data.py checks it against the data.
FRAMEWORK_START = 2018
TOTAL_TOLERANCE = 0.001
# Sub-dimensions printed in reports (papi_scores.csv) may have 2 dp: allow half a unit of the last digit each.
SUB_TOLERANCE_EACH = 0.005


def code_key(code: str) -> tuple[int, ...]:
    """The one sort order of indicator codes: by number, part by part ("6.9" before "6.10", "9" before "10")."""
    return tuple(int(p) for p in code.split("."))


@dataclass(frozen=True)
class Indicator:
    """One node of the PAPI hierarchy as it stood over a span of years."""
    code: str
    level: str
    parent: str
    year_from: int
    year_to: int
    scale_min: float
    scale_max: float
    name_en: str
    name_vi: str
    name_source: str

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def in_force(self, year: int) -> bool:
        return self.year_from <= year <= self.year_to


@dataclass(frozen=True)
class Province:
    name: str       # ASCII English spelling, as PAPI prints it ("Son La")
    name_vi: str    # with diacritics ("Sơn La")
    region: str
    region_vi: str

    def label(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name


@dataclass(frozen=True, eq=False)
class YearTable:
    """Every province's scores in one year. Missing scores are NaN, never zero.

    ``total`` is the official published total where one exists, otherwise the sum of the
    dimensions (only when all are present; ``total_official`` says which).

    Every score is held at 4 dp (DP), however the table was built: the reports print
    sub-dimensions at 4 dp while subdimensions.csv carries ~9 digits, and a plan printed at 4 dp must
    reach what the engine computed (the files are checked at full precision before this rounding).
    """
    year: int
    provinces: tuple[str, ...]
    dim_codes: tuple[str, ...]
    dims: np.ndarray            # shape (provinces, dimensions)
    total: np.ndarray           # shape (provinces,)
    total_official: np.ndarray  # bool, shape (provinces,)
    subs: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # province -> {code: score}
    sub_codes: tuple[str, ...] = ()  # the sub-dimension codes with data this year, in code order
    sub_values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))  # (provinces, sub_codes); NaN = none

    def __post_init__(self) -> None:
        for name in ("dims", "total", "sub_values"):
            values = np.round(np.asarray(getattr(self, name), dtype=float), DP)
            values.setflags(write=False)
            object.__setattr__(self, name, values)
        object.__setattr__(self, "subs", MappingProxyType(
            {p: MappingProxyType({c: round(float(v), DP) for c, v in s.items()}) for p, s in self.subs.items()}))

    def index(self, province: str) -> int:
        return self.provinces.index(province)

    @property
    def scale(self) -> tuple[float, float]:
        """Range of the total: 8-80 from 2018, 6-60 before."""
        return float(len(self.dim_codes)), 10.0 * len(self.dim_codes)


@dataclass(frozen=True, eq=False)
class Dataset:
    """The whole validated dataset: structure, provinces, per-year tables and per-figure sources."""
    structure: tuple[Indicator, ...]
    provinces: tuple[Province, ...]
    tables: Mapping[int, YearTable]
    sources: Mapping[tuple[int, str, str], str]  # (year, province, code or "total") -> source
    tie_rules: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({"default": "lower"}))
    breaks: frozenset[tuple[str, int]] = frozenset()  # (code, first year not comparable with the one before)
    exceptions: Mapping[tuple[int, str, str, str], str] = field(default_factory=dict)  # (year, province, code, kind) -> reason
    added_years: frozenset[int] = frozenset()  # years added from a user's file this session (sim.editions)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.tables))

    def table(self, year: int) -> YearTable:
        return self.tables[year]

    @cached_property
    def _province_by_name(self) -> Mapping[str, Province]:
        """Built on first use (every label on a screen looks a province up); read-only afterwards."""
        return MappingProxyType({p.name: p for p in self.provinces})

    def province(self, name: str) -> Province:
        return self._province_by_name[name]

    def indicator(self, code: str, year: int) -> Indicator:
        return next(i for i in self.structure if i.code == code and i.in_force(year))

    @cached_property
    def _node(self) -> Mapping[str, Indicator]:
        """Code -> a structure row: a code's level and parent never change across its spans."""
        return MappingProxyType({i.code: i for i in self.structure})

    def level(self, code: str) -> str:
        """"dimension" or "subdimension", as structure.csv says (a code it lacks, e.g. one a user typed, by
        its form: "6.9" names a sub-dimension, so the message about it can say which kind is unknown)."""
        node = self._node.get(code)
        return node.level if node else ("subdimension" if "." in code else "dimension")

    def parent(self, code: str) -> str:
        """The dimension a sub-dimension belongs to (structure.csv); "" for a dimension."""
        node = self._node.get(code)
        return node.parent if node else (code.split(".")[0] if "." in code else "")

    def indicators(self, year: int, level: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.structure if i.level == level and i.in_force(year))

    def source(self, year: int, province: str, code: str = "total") -> str | None:
        return self.sources.get((year, province, code))

    def tie_rule(self, year: int) -> str:
        """The edition's rule for a province exactly on a group cut-off (data/group_rules.csv)."""
        return self.tie_rules.get(str(year), self.tie_rules["default"])

    def comparable(self, code: str, year_a: int, year_b: int) -> bool:
        """Whether an indicator's values of two years may be compared: it exists with the same scale in
        both, and no construction break lies between them."""
        a, b = min(year_a, year_b), max(year_a, year_b)
        ia = next((i for i in self.structure if i.code == code and i.in_force(a)), None)
        ib = next((i for i in self.structure if i.code == code and i.in_force(b)), None)
        if ia is None or ib is None or (ia.scale_min, ia.scale_max) != (ib.scale_min, ib.scale_max):
            return False
        return not any(c == code and a < y <= b for c, y in self.breaks)


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers (the header is line 1); refuses a file whose columns differ, that is
    not UTF-8, has a field over 128 KiB or a repeated header column (see sim.csvread)."""
    return read_rows(path, columns)


def _number(text: str, file: str, line: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError("not_a_number", file, line, column, value=text) from None
    if not math.isfinite(value):
        raise DataError("not_a_number", file, line, column, value=text)
    return value


def _integer(text: str, file: str, line: int, column: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise DataError("not_an_integer", file, line, column, value=text) from None


def load_structure(path: Path) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    for line, r in _read_csv(path, STRUCTURE_COLUMNS):
        if r["level"] not in ("dimension", "subdimension"):
            raise DataError("unknown_level", path.name, line, "level", value=r["level"])
        lo = _number(r["scale_min"], path.name, line, "scale_min")
        hi = _number(r["scale_max"], path.name, line, "scale_max")
        if not lo < hi:
            raise DataError("bad_scale", path.name, line, "scale_max", low=lo, high=hi)
        ind = Indicator(r["code"], r["level"], r["parent"],
                        _integer(r["year_from"], path.name, line, "year_from"),
                        _integer(r["year_to"], path.name, line, "year_to"),
                        lo, hi, r["name_en"], r["name_vi"], r["name_source"])
        if any(o.code == ind.code and o.year_from <= ind.year_to and ind.year_from <= o.year_to for o in out):
            raise DataError("duplicate_row", path.name, line, "code", value=ind.code)
        out.append(ind)
    return tuple(out)


def load_provinces(path: Path) -> tuple[Province, ...]:
    out: list[Province] = []
    for line, r in _read_csv(path, PROVINCE_COLUMNS):
        if not r["province"].strip():
            raise DataError("empty_value", path.name, line, "province")
        if any(p.name == r["province"] for p in out):
            raise DataError("duplicate_row", path.name, line, "province", value=r["province"])
        out.append(Province(r["province"], r["name_vi"], r["region"], r["region_vi"]))
    return tuple(out)


def load_rules(path: Path) -> Mapping[str, str]:
    """Each edition's tie rule, by year (and ``default`` for any other year)."""
    out: dict[str, str] = {}
    for line, r in _read_csv(path, RULE_COLUMNS):
        key = r["year"].strip()
        if key != "default":
            _integer(key, path.name, line, "year")
        if r["tie_rule"] not in TIE_RULES:
            raise DataError("unknown_tie_rule", path.name, line, "tie_rule", value=r["tie_rule"])
        if key in out:
            raise DataError("duplicate_row", path.name, line, "year", value=key)
        if not r["source"].strip():
            raise DataError("empty_value", path.name, line, "source")
        out[key] = r["tie_rule"]
    if "default" not in out:
        raise DataError("missing_default_rule", path.name, "-", "year")
    return MappingProxyType(out)


def load_breaks(path: Path, structure: tuple[Indicator, ...]) -> frozenset[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    known = {i.code for i in structure}
    for line, r in _read_csv(path, BREAK_COLUMNS):
        if r["code"] not in known:
            raise DataError("unknown_code", path.name, line, "code", value=r["code"], year="-")
        key = (r["code"], _integer(r["first_year"], path.name, line, "first_year"))
        if key in out:
            raise DataError("duplicate_row", path.name, line, "code", value=f"{key[0]} {key[1]}")
        out.add(key)
    return frozenset(out)


def _load_exceptions(path: Path) -> dict[tuple[int, str, str, str], tuple[float, float, str, int]]:
    """Known departures from the rules, each with its reason: (year, province, code, kind) -> (value,
    expected, reason, line). ``sum``: a dimension whose sub-dimensions do not add up to it exactly;
    ``below_scale``: a sub-dimension published below its nominal minimum."""
    out = {}
    for line, r in _read_csv(path, EXCEPTION_COLUMNS):
        if r["kind"] not in EXCEPTION_KINDS:
            raise DataError("unknown_level", path.name, line, "kind", value=r["kind"])
        key = (_integer(r["year"], path.name, line, "year"), r["province"], r["code"], r["kind"])
        for column in ("reason", "source"):
            if not r[column].strip():
                raise DataError("empty_value", path.name, line, column)
        out[key] = (_number(r["value"], path.name, line, "value"),
                    _number(r["expected"], path.name, line, "expected"), r["reason"], line)
    return out


def _printed_tolerance(text: str) -> float:
    """Half a unit of the last printed digit ("1.57" -> 0.005)."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10.0 ** -decimals + 1e-9


def load_dataset(data_dir: Path | str = DATA_DIR) -> Dataset:
    """Read and validate a data folder; raise DataError naming file, row and column on any fault."""
    data_dir = Path(data_dir)
    structure = load_structure(data_dir / STRUCTURE_FILE)
    provinces = load_provinces(data_dir / PROVINCES_FILE)
    rules = load_rules(data_dir / RULES_FILE)
    breaks = load_breaks(data_dir / BREAKS_FILE, structure)
    exceptions = _load_exceptions(data_dir / EXCEPTIONS_FILE)
    known = {p.name for p in provinces}
    used: set[tuple[int, str, str, str]] = set()  # exceptions that were needed: an unneeded one is stale
    records: dict[tuple[int, str, str, str], tuple[float, int, str]] = {}
    sources: dict[tuple[int, str, str], str] = {}
    printed: list[tuple[tuple[int, str, str, str], str, int]] = []  # report values, checked against the full set
    sub_rows = _read_csv(data_dir / SUBS_FILE, SUB_COLUMNS)
    sub_years = {r["year"] for _, r in sub_rows}
    for f, rows in ((SCORES_FILE, _read_csv(data_dir / SCORES_FILE, SCORE_COLUMNS)), (SUBS_FILE, sub_rows)):
        for line, r in rows:
            year = _integer(r["year"], f, line, "year")
            prov, code = r["province"], r["code"]
            level = r["level"] if f == SCORES_FILE else "subdimension"
            if prov not in known:
                raise DataError("unknown_province", f, line, "province", value=prov)
            if level not in LEVELS:
                raise DataError("unknown_level", f, line, "level", value=level)
            score = _number(r["score"], f, line, "score")
            if level == "total":
                if code:
                    raise DataError("unknown_code", f, line, "code", value=code, year=year)
                n = len([i for i in structure if i.level == "dimension" and i.in_force(year)])
                lo, hi = float(n), 10.0 * n
            else:
                ind = next((i for i in structure if i.code == code and i.level == level and i.in_force(year)), None)
                if ind is None:
                    raise DataError("unknown_code", f, line, "code", value=code, year=year)
                lo, hi = ind.scale_min, ind.scale_max
            # scales like 10/3 are stored rounded; a published score may sit on the rounded edge
            if not (lo - 1e-4 <= score <= hi + 1e-4):
                listed = exceptions.get((year, prov, code, "below_scale"))
                if listed is None or abs(listed[0] - score) > 1e-9:
                    raise DataError("out_of_scale", f, line, "score", value=score, low=lo, high=hi)
                used.add((year, prov, code, "below_scale"))
            if not r["source"].strip():
                raise DataError("empty_value", f, line, "source")
            key = (year, prov, level, code)
            if f == SCORES_FILE and level == "subdimension" and r["year"] in sub_years:
                printed.append((key, r["score"], line))  # a report's value: a cross-check of subdimensions.csv
                continue
            if key in records:
                raise DataError("duplicate_row", f, line, "code",
                                value=f"{year} {prov} {level} {code}".strip(), first=records[key][1])
            records[key] = (score, line, f)
            sources[(year, prov, code or "total")] = r["source"]
    for key, text, line in printed:
        full = records.get(key)
        if full is None or abs(full[0] - float(text)) > _printed_tolerance(text):
            raise DataError("printed_mismatch", SCORES_FILE, line, "score", value=text,
                            expected="-" if full is None else round(full[0], 4))
    by_year: dict[int, dict[tuple[str, str, str], tuple[float, int, str]]] = {}
    for (year, prov, level, code), rec in records.items():
        by_year.setdefault(year, {})[(prov, level, code)] = rec
    tables = {y: _year_table(y, structure, provinces, by_year[y], exceptions, used) for y in sorted(by_year)}
    for key, (_, _, _, line) in exceptions.items():
        if key not in used:
            raise DataError("stale_exception", EXCEPTIONS_FILE, line, "code", value=" ".join(map(str, key)))
    return Dataset(structure, provinces, MappingProxyType(tables), MappingProxyType(sources), rules, breaks,
                   MappingProxyType({k: v[2] for k, v in exceptions.items()}))


def _check_subs(year: int, prov: str, code: str, parts: dict[str, float], dim: float, line: int, file: str,
                expected_codes: tuple[str, ...], exceptions: dict, used: set) -> None:
    """A dimension's sub-dimensions add up to it. The full 2018+ set must be complete and add up within
    0.0001 unless the set is listed, with its reason, in subdimension_exceptions.csv (and then it must
    add up to exactly the listed sum); report values printed at 2 dp get half a unit each."""
    if math.isnan(dim):
        raise DataError("subs_without_dimension", file, line, "code", value=code)
    total = sum(parts.values())
    if file == SCORES_FILE:
        if abs(total - dim) > SUB_TOLERANCE_EACH * len(parts) + 0.001:
            raise DataError("subs_do_not_sum", file, line, "score", value=code, province=prov, year=year,
                            total=round(total, 4), expected=dim, difference=round(total - dim, 4))
        return
    missing = [c for c in expected_codes if c not in parts]
    if missing:
        raise DataError("subs_incomplete", file, line, "code", value=code, province=prov, year=year,
                        missing=", ".join(missing))
    listed = exceptions.get((year, prov, code, "sum"))
    if listed is not None:
        used.add((year, prov, code, "sum"))
        if abs(total - listed[0]) > 0.00005 or abs(dim - listed[1]) > 0.00005:
            raise DataError("exception_mismatch", EXCEPTIONS_FILE, listed[3], "value",
                            value=round(total, 4), expected=listed[0])
        if abs(total - dim) <= SUB_SUM_TOLERANCE:
            raise DataError("stale_exception", EXCEPTIONS_FILE, listed[3], "code", value=f"{year} {prov} {code} sum")
        return
    if abs(total - dim) > SUB_SUM_TOLERANCE:
        raise DataError("subs_do_not_sum", file, line, "score", value=code, province=prov, year=year,
                        total=round(total, 4), expected=dim, difference=round(total - dim, 4))


def _year_table(year: int, structure: tuple[Indicator, ...], provinces: tuple[Province, ...],
                records: dict[tuple[str, str, str], tuple[float, int, str]], exceptions: dict,
                used: set) -> YearTable:
    """Assemble one year and check that each total and dimension equals the sum of its parts."""
    dim_codes = tuple(i.code for i in structure if i.level == "dimension" and i.in_force(year))
    in_force = [i for i in structure if i.level == "subdimension" and i.in_force(year)]
    present = {k[0] for k in records}
    names = tuple(p.name for p in provinces if p.name in present)
    subs_of: dict[str, dict[str, float]] = {}
    for (prov, level, code), rec in records.items():
        if level == "subdimension":
            subs_of.setdefault(prov, {})[code] = rec[0]
    sub_codes = tuple(i.code for i in in_force if any(i.code in v for v in subs_of.values()))
    dims = np.full((len(names), len(dim_codes)), np.nan)
    total = np.full(len(names), np.nan)
    official = np.zeros(len(names), dtype=bool)
    sub_values = np.full((len(names), len(sub_codes)), np.nan)
    subs: dict[str, Mapping[str, float]] = {}
    for i, prov in enumerate(names):
        for j, code in enumerate(dim_codes):
            if (rec := records.get((prov, "dimension", code))) is not None:
                dims[i, j] = rec[0]
        prov_subs = subs_of.get(prov, {})
        if prov_subs:
            subs[prov] = MappingProxyType(dict(sorted(prov_subs.items())))
        for j, code in enumerate(sub_codes):
            sub_values[i, j] = prov_subs.get(code, np.nan)
        for j, code in enumerate(dim_codes):
            parts = {c: v for c, v in prov_subs.items() if c.split(".")[0] == code}
            if not parts:
                continue
            first = records[(prov, "subdimension", sorted(parts)[0])]
            expected = tuple(ind.code for ind in in_force if ind.parent == code)
            _check_subs(year, prov, code, parts, dims[i, j], first[1], first[2], expected, exceptions, used)
        complete = not np.isnan(dims[i]).any()
        if (rec := records.get((prov, "total", ""))) is not None:
            if not complete:
                raise DataError("total_without_dimensions", SCORES_FILE, rec[1], "score")
            if abs(rec[0] - dims[i].sum()) > TOTAL_TOLERANCE:
                raise DataError("total_mismatch", SCORES_FILE, rec[1], "score",
                                value=rec[0], expected=round(float(dims[i].sum()), 4))
            total[i], official[i] = rec[0], True
        elif complete:
            total[i] = round(float(dims[i].sum()), 4)
    for a in (dims, total, official, sub_values):
        a.setflags(write=False)
    return YearTable(year, names, dim_codes, dims, total, official, MappingProxyType(subs), sub_codes, sub_values)
