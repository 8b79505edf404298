"""Year on year, as the press writes it: a standing against the previous edition's, on the same basis.

"Tăng 1,52 điểm so với năm 2022 … tăng 16 bậc": the change in total and in rank against the edition just
before, in whole units of 0.0001. There is none across the 2018 framework change (6 dimensions on 6-60 to 8
on 8-80), none across a construction break of the indicator (sim.trend.breaks: breaks are data), and none
where the previous edition has no ranked total for the province; each "none" carries a reason key.
Sign of ``rank_change``: positive = places gained (46 -> 30 is +16), as "tăng 16 bậc" reads.
A scenario is compared with the previous year's real standing: the scenario's total and rank against
what was published then.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from .data import Dataset
from .i18n import fmt_num, t
from .ranking import UNIT, to_units
from .scenario import Standing, national_baseline
from .trend import TOTAL, breaks, crosses_break

REASONS = ("first_year", "framework", "construction", "no_score")


@dataclass(frozen=True)
class Previous:
    """The previous edition's published standing and the change to ours (positive rank_change = gained)."""
    year: int
    total: float
    rank: int
    of: int
    group: int
    total_change: float
    rank_change: int
    of_changed: bool  # the ranked count differs (61 vs 63): ranks compare only loosely
    of_now: int = 0   # the ranked count of the year compared


@dataclass(frozen=True)
class YearOnYear:
    """``previous`` or, when there is none to compare with, ``reason`` (one of REASONS); per indicator,
    the change of its score since the previous edition (None across a break or where a year lacks it)."""
    previous: Previous | None
    reason: str | None
    dimension_changes: dict[str, float | None] = field(default_factory=dict)
    subdimension_changes: dict[str, float | None] = field(default_factory=dict)


def previous_year(ds: Dataset, year: int) -> int | None:
    """The edition just before ``year`` in the dataset (None for the first)."""
    earlier = [y for y in ds.years if y < year]
    return max(earlier) if earlier else None


def change_units(now: float, before: float) -> float:
    """now - before, exact at 4 dp (whole units of 0.0001, no float noise)."""
    return int(to_units(now) - to_units(before)) / UNIT


def _break_reason(ds: Dataset, code: str, before: int, year: int) -> str | None:
    b = crosses_break(breaks(ds, code), before, year)
    if b is None:
        return None
    return "framework" if b.kind == "framework" else "construction"


def _value(ds: Dataset, year: int, province: str, code: str) -> float:
    table = ds.table(year)
    if province not in table.provinces:
        return math.nan
    if ds.level(code) == "subdimension":
        return table.subs.get(province, {}).get(code, math.nan)
    if code not in table.dim_codes:
        return math.nan
    return float(table.dims[table.index(province), table.dim_codes.index(code)])


def indicator_change(ds: Dataset, year: int, province: str, code: str, now: float) -> float | None:
    """``now`` (this year's value of a dimension or sub-dimension, published or a scenario's) against the
    previous edition's published value; None across a break or where that year has no value."""
    before = previous_year(ds, year)
    if before is None or now is None or math.isnan(now) or _break_reason(ds, code, before, year) is not None:
        return None
    old = _value(ds, before, province, code)
    return None if math.isnan(old) else change_units(now, old)


def compare_total(ds: Dataset, year: int, province: str, total: float, rank: int,
                  of: int) -> tuple[Previous | None, str | None]:
    """A total and rank of ``year`` (published or a scenario's) against the previous edition's published
    standing: (Previous, None), or (None, reason) when there is nothing comparable."""
    before = previous_year(ds, year)
    if before is None:
        return None, "first_year"
    reason = _break_reason(ds, TOTAL, before, year)
    if reason is not None:
        return None, reason
    nat = national_baseline(ds, before)
    if province not in nat.provinces:
        return None, "no_score"
    i = nat.provinces.index(province)
    old_total, old_rank = float(nat.total[i]), int(nat.rank[i])
    return Previous(before, old_total, old_rank, len(nat.provinces), int(nat.group[i]),
                    change_units(total, old_total), old_rank - rank, len(nat.provinces) != of, of), None


def year_on_year(ds: Dataset, year: int, s: Standing) -> YearOnYear:
    """Standing ``s`` of ``year`` (the published one or a scenario's) against the previous edition."""
    dims = {c: indicator_change(ds, year, s.province, c, v) for c, v in s.dimensions.items()}
    subs = {c: indicator_change(ds, year, s.province, c, v) for c, v in s.subdimensions.items()}
    prev, reason = compare_total(ds, year, s.province, s.total, s.rank, s.of)
    return YearOnYear(prev, reason, dims, subs)


def previous_json(yoy: YearOnYear, lang: str = "en") -> dict:
    """The fields a standing gains in the CLI's JSON: ``previous`` (object or null), ``previous_reason``
    (null or {kind, message}), ``dimension_changes`` and ``subdimension_changes`` (number or null each)."""
    p = yoy.previous
    return {
        "previous": None if p is None else {
            "year": p.year, "total": round(p.total, 4), "rank": p.rank, "of": p.of, "group": p.group,
            "total_change": round(p.total_change, 4), "rank_change": p.rank_change, "of_changed": p.of_changed},
        "previous_reason": None if yoy.reason is None else {
            "kind": yoy.reason, "message": t(f"yoy.reason.{yoy.reason}", lang)},
        "dimension_changes": {c: None if v is None else round(v, 4) for c, v in yoy.dimension_changes.items()},
        "subdimension_changes": {c: None if v is None else round(v, 4) for c, v in yoy.subdimension_changes.items()},
    }


def yoy_sentence(yoy: YearOnYear | tuple[Previous | None, str | None], lang: str = "en") -> str:
    """The change as the press writes it, one line: "so với năm 2022: +1,53 điểm, tăng 16 bậc" (2 dp, as
    printed; the exact change is in the JSON), the ranked counts named once where they differ; without a
    previous edition, the reason."""
    prev, reason = (yoy.previous, yoy.reason) if isinstance(yoy, YearOnYear) else yoy
    if prev is None:
        return t(f"yoy.reason.{reason}", lang)
    n = abs(prev.rank_change)
    places = t("yoy.up", lang, n=n) if prev.rank_change > 0 else t("yoy.down", lang, n=n) if prev.rank_change < 0 \
        else t("yoy.same_rank", lang)
    text = t("yoy.sentence", lang, year=prev.year, change=fmt_num(prev.total_change, lang, 2, sign=True), places=places)
    if prev.of_changed:
        text += " " + t("yoy.of_changed", lang, year=prev.year, before=prev.of, now=prev.of_now)
    return text
