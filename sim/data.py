"""Load and validate the bundled PAPI data into per-year tables.

Three files make a dataset (see data/README.md): ``structure.csv`` (the index hierarchy, as data),
``provinces.csv`` and ``papi_scores.csv`` (one published score per row, with its source).
Validation happens once, here; every error names the file, row and column.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .csvread import read_rows
from .errors import DataError

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCORES_FILE, PROVINCES_FILE, STRUCTURE_FILE = "papi_scores.csv", "provinces.csv", "structure.csv"
LEVELS = ("total", "dimension", "subdimension")
SCORE_COLUMNS = ("year", "province", "level", "code", "name", "score", "source", "crosscheck")
PROVINCE_COLUMNS = ("province", "name_vi", "region", "region_vi", "papi_order")
STRUCTURE_COLUMNS = ("code", "level", "parent", "year_from", "year_to", "scale_min", "scale_max",
                     "name_en", "name_vi", "name_source")
# Published totals agree with the sum of their 4-dp dimensions within 0.0002 (shared data check [2]).
TOTAL_TOLERANCE = 0.001
# Sub-dimensions are printed at 2 dp in some reports: allow half a unit of the last digit each.
SUB_TOLERANCE_EACH = 0.005


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
    """
    year: int
    provinces: tuple[str, ...]
    dim_codes: tuple[str, ...]
    dims: np.ndarray            # shape (provinces, dimensions)
    total: np.ndarray           # shape (provinces,)
    total_official: np.ndarray  # bool, shape (provinces,)
    subs: dict[str, dict[str, float]] = field(default_factory=dict)  # province -> {code: score}

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
    tables: dict[int, YearTable]
    sources: dict[tuple[int, str, str], str]  # (year, province, code or "total") -> source

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted(self.tables))

    def table(self, year: int) -> YearTable:
        return self.tables[year]

    def province(self, name: str) -> Province:
        return next(p for p in self.provinces if p.name == name)

    def indicator(self, code: str, year: int) -> Indicator:
        return next(i for i in self.structure if i.code == code and i.in_force(year))

    def indicators(self, year: int, level: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.structure if i.level == level and i.in_force(year))

    def source(self, year: int, province: str, code: str = "total") -> str | None:
        return self.sources.get((year, province, code))


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


def load_dataset(data_dir: Path | str = DATA_DIR) -> Dataset:
    """Read and validate a data folder; raise DataError naming file, row and column on any fault."""
    data_dir = Path(data_dir)
    structure = load_structure(data_dir / STRUCTURE_FILE)
    provinces = load_provinces(data_dir / PROVINCES_FILE)
    known = {p.name for p in provinces}
    f = SCORES_FILE
    records: dict[tuple[int, str, str, str], tuple[float, int]] = {}
    sources: dict[tuple[int, str, str], str] = {}
    for line, r in _read_csv(data_dir / f, SCORE_COLUMNS):
        year = _integer(r["year"], f, line, "year")
        prov, level, code = r["province"], r["level"], r["code"]
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
            raise DataError("out_of_scale", f, line, "score", value=score, low=lo, high=hi)
        if not r["source"].strip():
            raise DataError("empty_value", f, line, "source")
        key = (year, prov, level, code)
        if key in records:
            raise DataError("duplicate_row", f, line, "code",
                            value=f"{year} {prov} {level} {code}".strip(), first=records[key][1])
        records[key] = (score, line)
        sources[(year, prov, code or "total")] = r["source"]
    by_year: dict[int, dict[tuple[str, str, str], tuple[float, int]]] = {}
    for (year, prov, level, code), rec in records.items():
        by_year.setdefault(year, {})[(prov, level, code)] = rec
    tables = {y: _year_table(y, structure, provinces, by_year[y]) for y in sorted(by_year)}
    return Dataset(structure, provinces, tables, sources)


def _year_table(year: int, structure: tuple[Indicator, ...], provinces: tuple[Province, ...],
                records: dict[tuple[str, str, str], tuple[float, int]]) -> YearTable:
    """Assemble one year and check that each total and dimension equals the sum of its parts."""
    dim_codes = tuple(i.code for i in structure if i.level == "dimension" and i.in_force(year))
    present = {k[0] for k in records}
    names = tuple(p.name for p in provinces if p.name in present)
    subs_of: dict[str, dict[str, float]] = {}
    for (prov, level, code), rec in records.items():
        if level == "subdimension":
            subs_of.setdefault(prov, {})[code] = rec[0]
    dims = np.full((len(names), len(dim_codes)), np.nan)
    total = np.full(len(names), np.nan)
    official = np.zeros(len(names), dtype=bool)
    subs: dict[str, dict[str, float]] = {}
    for i, prov in enumerate(names):
        for j, code in enumerate(dim_codes):
            if (rec := records.get((prov, "dimension", code))) is not None:
                dims[i, j] = rec[0]
        prov_subs = subs_of.get(prov, {})
        if prov_subs:
            subs[prov] = prov_subs
        for j, code in enumerate(dim_codes):
            parts = {c: v for c, v in prov_subs.items() if c.split(".")[0] == code}
            if not parts:
                continue
            line = records[(prov, "subdimension", sorted(parts)[0])][1]
            if math.isnan(dims[i, j]):
                raise DataError("subs_without_dimension", SCORES_FILE, line, "code", value=code)
            if abs(sum(parts.values()) - dims[i, j]) > SUB_TOLERANCE_EACH * len(parts) + 0.001:
                raise DataError("subs_do_not_sum", SCORES_FILE, line, "score", value=code,
                                total=round(sum(parts.values()), 4), expected=dims[i, j])
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
    for a in (dims, total, official):
        a.setflags(write=False)
    return YearTable(year, names, dim_codes, dims, total, official, subs)
