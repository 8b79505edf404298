"""The PAPI domain as the engine holds it: the hierarchy (``Indicator``), the provinces, the per-year tables
and the whole read-only ``Dataset``. ``sim.load`` reads and validates the data folder into these; every
other module only reads them. One copy is shared by every session of the app, so nothing here is mutable.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import numpy as np

from .ranking import DP

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
# The 8-dimension framework (structure.csv: dimensions 7 and 8 from 2018): the one first year of every
# comparison across years (odds, levers, effort, added editions); tests/test_data.py checks it against the data.
FRAMEWORK_START = 2018


def level_of(code: str) -> str:
    """A code's level by its form ("6.1" names a sub-dimension): the rule for a code the structure may not hold
    (one a user typed, a slider key). With a Dataset at hand, ``ds.level`` reads structure.csv first."""
    return "subdimension" if "." in code else "dimension"


def parent_of(code: str) -> str:
    """A sub-dimension's dimension by its form ("6.1" -> "6"); a dimension is its own parent here (the form
    rule of ``ds.parent``, which says "" for a dimension as structure.csv does)."""
    return code.split(".")[0]


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
        return node.level if node else level_of(code)

    def parent(self, code: str) -> str:
        """The dimension a sub-dimension belongs to (structure.csv); "" for a dimension."""
        node = self._node.get(code)
        return node.parent if node else (parent_of(code) if level_of(code) == "subdimension" else "")

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
