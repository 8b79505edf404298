"""The 34 provincial units in force from 1 July 2025, estimated from the 63 old provinces.

No PAPI edition on the 34 units exists. A unit's score on each dimension and sub-dimension is the
population-weighted mean of its old provinces' scores (2019 census shares, ``population.csv``), with the
weights renormalised over the old provinces that have that score; every old province left out is named
in ``UnitEstimate.missing``. A unit's total is the sum of its estimated dimensions (4 dp, never official).
The result is an ordinary ``Dataset``, so every engine function works on the 34-unit basis unchanged.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .csvread import read_rows
from .data import DATA_DIR, Dataset, Province, YearTable
from .errors import DataError
from .i18n import fmt_num, t
from .load import integer, load_provinces, number
from .ranking import DP

MERGER_FILE, POPULATION_FILE = "merger_2025.csv", "population.csv"
MERGER_COLUMNS = ("old_province_vi", "old_province_en", "new_province_vi", "new_province_en", "source",
                  "old_gso_code", "new_gso_code")
POPULATION_COLUMNS = ("province_vi", "province_en", "year", "population_thousands", "source")
UNIT_COUNT = 34       # Resolution 202/2025/QH15
POPULATION_YEAR = 2019  # census year of the weights: one year for every province, never mixed
BASES = ("63", "2025")  # the two bases a front end can choose


@dataclass(frozen=True)
class Unit:
    """A post-2025 unit and the old provinces it took in (largest population first)."""
    name: str
    name_vi: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Merger:
    """The 63 -> 34 mapping and the population that weights it."""
    units: tuple[Unit, ...]
    unit_of: dict[str, str]        # old province -> unit
    population: dict[str, float]   # old province -> thousands, 2019 census
    source: str

    def unit(self, name: str) -> Unit:
        return next(u for u in self.units if u.name == name)

    def weights(self, unit: str) -> dict[str, float]:
        """Each member's population share in its unit (before renormalising over missing scores)."""
        members = self.unit(unit).members
        whole = sum(self.population[m] for m in members)
        return {m: self.population[m] / whole for m in members}


@dataclass(frozen=True)
class Gap:
    """An old province whose score was missing for a unit's estimate in one year."""
    year: int
    unit: str
    province: str
    codes: tuple[str, ...]  # the dimension or sub-dimension codes it lacked (all dimensions: no data at all)


@dataclass(frozen=True, eq=False)
class UnitEstimate:
    dataset: Dataset
    merger: Merger
    missing: tuple[Gap, ...]

    def missing_in(self, year: int) -> tuple[Gap, ...]:
        return tuple(g for g in self.missing if g.year == year)


def load_merger(data_dir: Path | str = DATA_DIR, provinces: tuple[Province, ...] | None = None) -> Merger:
    """Read and validate the mapping and the populations: each old province once, every one known to
    ``provinces.csv``, 34 units, every population positive."""
    data_dir = Path(data_dir)
    known = {p.name for p in (provinces or load_provinces(data_dir / "provinces.csv"))}
    unit_of: dict[str, str] = {}
    names_vi: dict[str, str] = {}
    f = MERGER_FILE
    for line, r in read_rows(data_dir / f, MERGER_COLUMNS):
        old, new = r["old_province_en"].strip(), r["new_province_en"].strip()
        if old not in known:
            raise DataError("unknown_province", f, line, "old_province_en", value=old)
        if old in unit_of:
            raise DataError("duplicate_row", f, line, "old_province_en", value=old)
        if not new or not r["new_province_vi"].strip():
            raise DataError("empty_value", f, line, "new_province_en")
        unit_of[old] = new
        names_vi.setdefault(new, r["new_province_vi"].strip())
    if set(unit_of) != known:
        raise DataError("merger_incomplete", f, "-", "old_province_en",
                        names=", ".join(sorted(known - set(unit_of))))
    if len(set(unit_of.values())) != UNIT_COUNT:
        raise DataError("merger_unit_count", f, "-", "new_province_en", n=len(set(unit_of.values())),
                        expected=UNIT_COUNT)
    population: dict[str, float] = {}
    f = POPULATION_FILE
    for line, r in read_rows(data_dir / f, POPULATION_COLUMNS):
        name = r["province_en"].strip()
        if name not in known:
            raise DataError("unknown_province", f, line, "province_en", value=name)
        if name in population:
            raise DataError("duplicate_row", f, line, "province_en", value=name)
        if integer(r["year"], f, line, "year") != POPULATION_YEAR:
            raise DataError("population_year", f, line, "year", value=r["year"], expected=POPULATION_YEAR)
        value = number(r["population_thousands"], f, line, "population_thousands")
        if value <= 0:
            raise DataError("not_positive", f, line, "population_thousands", value=value)
        population[name] = value
    if set(population) != known:
        raise DataError("merger_incomplete", f, "-", "province_en", names=", ".join(sorted(known - set(population))))
    units = tuple(Unit(u, names_vi[u], tuple(sorted((m for m in unit_of if unit_of[m] == u),
                                                    key=lambda m: -population[m])))
                  for u in dict.fromkeys(unit_of.values()))
    return Merger(units, unit_of, population, f"{MERGER_FILE}, {POPULATION_FILE} ({POPULATION_YEAR} census)")


def _unit_province(ds: Dataset, unit: Unit) -> Province:
    """Names from the merger file; region of the namesake old province, else of the most populous one."""
    namesake = next((m for m in unit.members if m == unit.name), unit.members[0])
    p = ds.province(namesake)
    return Province(unit.name, unit.name_vi, p.region, p.region_vi)


def _weighted(values: dict[str, float], weights: dict[str, float]) -> float:
    """Population-weighted mean over the members with a value (weights renormalised); NaN if none."""
    have = {m: v for m, v in values.items() if not math.isnan(v)}
    if not have:
        return math.nan
    whole = sum(weights[m] for m in have)
    return sum(weights[m] * v for m, v in have.items()) / whole


def _unit_year(ds: Dataset, merger: Merger, year: int) -> tuple[YearTable, list[Gap], dict]:
    table = ds.table(year)
    rows, totals, subs, gaps, sources = [], [], {}, [], {}
    units = merger.units
    missing_row = np.full(len(table.dim_codes), np.nan)
    dims_of = {p: table.dims[i] for i, p in enumerate(table.provinces)}  # old province -> dimension row
    for unit in units:
        w = merger.weights(unit.name)
        dims = []
        lacking: dict[str, list[str]] = {m: [] for m in unit.members}
        for j, code in enumerate(table.dim_codes):
            values = {m: float(dims_of.get(m, missing_row)[j]) for m in unit.members}
            for m, v in values.items():
                if math.isnan(v):
                    lacking[m].append(code)
            dims.append(round(_weighted(values, w), DP))
        unit_subs = _unit_subs(table, dims_of, unit, w, lacking)
        if unit_subs:
            subs[unit.name] = unit_subs
        for m in unit.members:
            if lacking[m]:
                gaps.append(Gap(year, unit.name, m, tuple(lacking[m])))
        rows.append(dims)
        totals.append(round(sum(dims), DP) if not any(math.isnan(d) for d in dims) else math.nan)
        used = [m for m in unit.members if m in dims_of and len(lacking[m]) < len(table.dim_codes)]
        sources[(year, unit.name, "total")] = _source_text(used, w, merger)
    dims_a = np.array(rows, dtype=float).reshape(len(units), len(table.dim_codes))
    total_a = np.array(totals, dtype=float)
    keep = ~np.isnan(dims_a).all(axis=1)
    names = tuple(u.name for u, k in zip(units, keep) if k)
    subs = {u: s for u, s in subs.items() if u in names}
    sub_codes = tuple(c for c in table.sub_codes if any(c in s for s in subs.values()))
    sub_values = np.array([[subs.get(u, {}).get(c, np.nan) for c in sub_codes] for u in names],
                          dtype=float).reshape(len(names), len(sub_codes))
    # replace() keeps any other field of the year as it is
    out = replace(table, provinces=names, dims=dims_a[keep], total=total_a[keep],
                  total_official=np.zeros(len(names), dtype=bool),
                  subs=MappingProxyType({u: MappingProxyType(s) for u, s in subs.items()}),
                  sub_codes=sub_codes, sub_values=sub_values)
    for a in (out.dims, out.total, out.total_official, out.sub_values):
        a.setflags(write=False)
    return out, gaps, sources


def _unit_subs(table: YearTable, dims_of: dict[str, np.ndarray], unit: Unit, w: dict[str, float],
               lacking: dict[str, list[str]]) -> dict[str, float]:
    """Sub-dimension estimates of a unit, for each dimension where every member with that dimension's
    score also has all its sub-dimensions (so the estimated parts still add up to the estimated whole);
    a member lacking some records the codes in ``lacking``."""
    codes = sorted({c for m in unit.members for c in table.subs.get(m, {})})
    out: dict[str, float] = {}
    for dim in table.dim_codes:
        parts = [c for c in codes if c.split(".")[0] == dim]
        if not parts:
            continue
        j = table.dim_codes.index(dim)
        with_dim = [m for m in unit.members if m in dims_of and not math.isnan(dims_of[m][j])]
        short = [m for m in with_dim if any(c not in table.subs.get(m, {}) for c in parts)]
        for m in short:
            lacking[m].extend(c for c in parts if c not in table.subs.get(m, {}))
        if short or not with_dim:
            continue
        for c in parts:
            out[c] = round(_weighted({m: table.subs[m][c] for m in with_dim}, w), DP)
    return out


def _source_text(used: list[str], w: dict[str, float], merger: Merger) -> str:
    whole = sum(w[m] for m in used) or 1.0
    shares = ", ".join(f"{m} {100 * w[m] / whole:.1f}%" for m in used)
    return f"estimate: population-weighted mean of {shares} ({merger.source}); not a published PAPI figure"


# _source_text's sentence, read back by source_note (the stored text stays as it is for the CLI's JSON)
_SOURCE_TEXT = re.compile(r"estimate: population-weighted mean of (?P<shares>.*?) \(.*\); not a published PAPI figure")


def estimate_shares(text: str | None) -> tuple[tuple[str, float], ...] | None:
    """The (old province, weight in %) of a 34-unit estimate's source text; None for any other source."""
    m = _SOURCE_TEXT.fullmatch(text or "")
    if m is None:
        return None
    parts = [part.rsplit(" ", 1) for part in m["shares"].split(", ")]
    return tuple((name, float(pct.rstrip("%"))) for name, pct in parts)


def source_note(text: str | None, lang: str, names: Mapping[str, str] | None = None) -> str | None:
    """A figure's source as the user reads it: a 34-unit estimate worded in ``lang``, with the old provinces'
    names (``names``: English name -> name in ``lang``) and their weights but no internal file names; any
    other source (a data file's own text) as it is written."""
    shares = estimate_shares(text)
    if shares is None:
        return text
    names = names or {}
    listed = ", ".join(f"{names.get(p, p)} {fmt_num(pct, lang, 1)}%" for p, pct in shares)
    return t("data.estimate_source", lang, shares=listed, census=POPULATION_YEAR)


def merge_dataset(ds: Dataset, merger: Merger) -> UnitEstimate:
    """The dataset on the 34-unit basis, every year, with every old province left out of an estimate named."""
    provinces = tuple(_unit_province(ds, u) for u in merger.units)
    tables, gaps, sources = {}, [], {}
    for year in ds.years:
        table, g, s = _unit_year(ds, merger, year)
        tables[year] = table
        gaps += g
        sources.update(s)
    for (year, unit, _), text in list(sources.items()):
        for code in tables[year].dim_codes:
            sources[(year, unit, code)] = text
    # the old provinces' listed data exceptions do not apply to the units
    derived = replace(ds, provinces=provinces, tables=MappingProxyType(tables), sources=MappingProxyType(sources),
                      exceptions=MappingProxyType({}))
    return UnitEstimate(derived, merger, tuple(gaps))


def on_basis(ds: Dataset, basis: str, data_dir: Path | str = DATA_DIR) -> Dataset:
    """``ds`` itself for "63"; the 34-unit estimate for "2025"."""
    if basis == "63":
        return ds
    if basis == "2025":
        return merge_dataset(ds, load_merger(data_dir, ds.provinces)).dataset
    raise ValueError(f"unknown basis {basis!r}; expected one of {BASES}")
