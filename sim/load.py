"""Load and validate a PAPI data folder into a ``sim.data.Dataset``.

A dataset is a folder of files (see data/README.md): ``structure.csv`` (the index hierarchy, as data),
``provinces.csv``, ``papi_scores.csv`` (one published score per row, with its source),
``subdimensions.csv`` (every province's sub-dimension scores 2018-2024), ``subdimension_exceptions.csv``
(the sets known not to add up, each named with its reason), ``group_rules.csv`` (each edition's tie rule)
and ``breaks.csv`` (construction breaks: no change may span one). Validation happens once, here; every
error names the file, row and column. The loaded dataset is read-only (arrays and mappings).
"""
from __future__ import annotations

import math
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .csvread import read_rows
from .data import DATA_DIR, Dataset, Indicator, Province, YearTable
from .errors import DataError

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
TOTAL_TOLERANCE = 0.001
# Sub-dimensions printed in reports (papi_scores.csv) may have 2 dp: allow half a unit of the last digit each.
SUB_TOLERANCE_EACH = 0.005




def number(text: str, file: str, line: int, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError("not_a_number", file, line, column, value=text) from None
    if not math.isfinite(value):
        raise DataError("not_a_number", file, line, column, value=text)
    return value


def integer(text: str, file: str, line: int, column: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise DataError("not_an_integer", file, line, column, value=text) from None


def load_structure(path: Path) -> tuple[Indicator, ...]:
    out: list[Indicator] = []
    for line, r in read_rows(path, STRUCTURE_COLUMNS):
        if r["level"] not in ("dimension", "subdimension"):
            raise DataError("unknown_level", path.name, line, "level", value=r["level"])
        lo = number(r["scale_min"], path.name, line, "scale_min")
        hi = number(r["scale_max"], path.name, line, "scale_max")
        if not lo < hi:
            raise DataError("bad_scale", path.name, line, "scale_max", low=lo, high=hi)
        ind = Indicator(r["code"], r["level"], r["parent"],
                        integer(r["year_from"], path.name, line, "year_from"),
                        integer(r["year_to"], path.name, line, "year_to"),
                        lo, hi, r["name_en"], r["name_vi"], r["name_source"])
        if any(o.code == ind.code and o.year_from <= ind.year_to and ind.year_from <= o.year_to for o in out):
            raise DataError("duplicate_row", path.name, line, "code", value=ind.code)
        out.append(ind)
    return tuple(out)


def load_provinces(path: Path) -> tuple[Province, ...]:
    out: list[Province] = []
    for line, r in read_rows(path, PROVINCE_COLUMNS):
        if not r["province"].strip():
            raise DataError("empty_value", path.name, line, "province")
        if any(p.name == r["province"] for p in out):
            raise DataError("duplicate_row", path.name, line, "province", value=r["province"])
        out.append(Province(r["province"], r["name_vi"], r["region"], r["region_vi"]))
    return tuple(out)


def load_rules(path: Path) -> Mapping[str, str]:
    """Each edition's tie rule, by year (and ``default`` for any other year)."""
    out: dict[str, str] = {}
    for line, r in read_rows(path, RULE_COLUMNS):
        key = r["year"].strip()
        if key != "default":
            integer(key, path.name, line, "year")
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
    for line, r in read_rows(path, BREAK_COLUMNS):
        if r["code"] not in known:
            raise DataError("unknown_code", path.name, line, "code", value=r["code"], year="-")
        key = (r["code"], integer(r["first_year"], path.name, line, "first_year"))
        if key in out:
            raise DataError("duplicate_row", path.name, line, "code", value=f"{key[0]} {key[1]}")
        out.add(key)
    return frozenset(out)


def _load_exceptions(path: Path) -> dict[tuple[int, str, str, str], tuple[float, float, str, int]]:
    """Known departures from the rules, each with its reason: (year, province, code, kind) -> (value,
    expected, reason, line). ``sum``: a dimension whose sub-dimensions do not add up to it exactly;
    ``below_scale``: a sub-dimension published below its nominal minimum."""
    out = {}
    for line, r in read_rows(path, EXCEPTION_COLUMNS):
        if r["kind"] not in EXCEPTION_KINDS:
            raise DataError("unknown_level", path.name, line, "kind", value=r["kind"])
        key = (integer(r["year"], path.name, line, "year"), r["province"], r["code"], r["kind"])
        for column in ("reason", "source"):
            if not r[column].strip():
                raise DataError("empty_value", path.name, line, column)
        out[key] = (number(r["value"], path.name, line, "value"),
                    number(r["expected"], path.name, line, "expected"), r["reason"], line)
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
    sub_rows = read_rows(data_dir / SUBS_FILE, SUB_COLUMNS)
    sub_years = {r["year"] for _, r in sub_rows}
    for f, rows in ((SCORES_FILE, read_rows(data_dir / SCORES_FILE, SCORE_COLUMNS)), (SUBS_FILE, sub_rows)):
        for line, r in rows:
            year = integer(r["year"], f, line, "year")
            prov, code = r["province"], r["code"]
            level = r["level"] if f == SCORES_FILE else "subdimension"
            if prov not in known:
                raise DataError("unknown_province", f, line, "province", value=prov)
            if level not in LEVELS:
                raise DataError("unknown_level", f, line, "level", value=level)
            score = number(r["score"], f, line, "score")
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
