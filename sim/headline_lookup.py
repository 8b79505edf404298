"""The headline of a scenario as an exact integer lookup, so a browser-side lever panel can follow a key
press without deciding any number itself.

Everything is in whole units of 0.0001 (``ranking.UNIT``). A move of the levers maps to the total exactly as
``scenario.apply`` does: a dimension is its baseline plus the sum of its sub-dimensions' changes, the total
the baseline total plus the sum of the dimensions' changes. The rank is 1 + the provinces strictly above;
the group comes from thresholds on our own total at which we enter each group, computed with the cut-offs
moving as we move under the edition's tie rule (``ranking.min_score_for_group``). ``headline`` is the same
arithmetic in Python; the panel's JavaScript repeats it on the integers of ``Lookup`` and nothing else.

Text is formatted here, per language: ``fmt_units`` writes a number of units with the language's decimal
mark, rounding half away from zero in integers (so the panel's figures and Python's cannot differ), and
``panel_texts`` hands over every phrase as a string or a table keyed by an integer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from . import words
from .data import Dataset, code_key
from .i18n import t
from .previous import compare_total
from .ranking import GROUPS, UNIT, min_score_for_group, to_units
from .scenario import Outcome, ranked_table, require_province, year_table

GRID = 100  # a lever's arrow step, 0.01, in units
PAGE_SHARE = 10  # PageUp/PageDown: a tenth of the lever's scale (0,9 on a dimension's 1-10)


@dataclass(frozen=True)
class Lever:
    """One lever: a dimension, or a sub-dimension of ``parent``; values in units (``low`` may sit below the
    scale's minimum when the published value does: the clamp never pushes a value up)."""
    code: str
    parent: str
    base: int
    low: int
    high: int

    @property
    def sub(self) -> bool:
        return self.parent != self.code

    @property
    def page(self) -> int:
        return max(GRID, (self.high - self.low) // PAGE_SHARE // GRID * GRID)


@dataclass(frozen=True)
class Lookup:
    """A province-year's headline as integers: the baseline, the levers, everyone else's totals (highest
    first, with names) and the lowest total of ours in each group (``enter[g-1]`` for g = 1, 2, 3)."""
    year: int
    province: str
    rule: str
    base_total: int
    levers: tuple[Lever, ...]
    others: tuple[int, ...]
    names: tuple[str, ...]
    enter: tuple[int, int, int]
    previous: tuple[int, int, int, int] | None  # (year, total, rank, ranked count) of the previous edition
    previous_reason: str | None

    @property
    def of(self) -> int:
        return len(self.others) + 1

    def lever(self, code: str) -> Lever:
        return next(lv for lv in self.levers if lv.code == code)


@dataclass(frozen=True)
class Headline:
    """The figures the panel shows, in units (None where there is none: no one above, no better group)."""
    total: int
    rank: int
    group: int
    next_up: int | None  # index into Lookup.names
    to_next_rank: int | None
    to_next_group: int | None
    dimensions: dict[str, int]


def _up(value: float) -> int:
    """A scale's end in whole units, inside the scale (a sub-dimension's scale may end at 1/3 point)."""
    return int(math.ceil(round(value * UNIT, 6)))


def _down(value: float) -> int:
    return int(math.floor(round(value * UNIT, 6)))


def lookup(ds: Dataset, year: int, province: str) -> Lookup:
    """The exact lookup of ``province`` in ``year`` (on the dataset given: its basis and editions)."""
    table = year_table(ds, year)
    rule = ds.tie_rule(year)
    names, total, dims = ranked_table(table)
    i = require_province(table, names, province)
    units = to_units(total)
    others = np.delete(units, i)
    order = np.argsort(-others, kind="stable")
    other_names = tuple(np.delete(np.array(names, dtype=object), i)[order])
    levers = []
    subs = table.subs.get(province, {})
    for j, code in enumerate(table.dim_codes):
        base = int(to_units(dims[i, j]))
        ind = ds.indicator(code, year)
        levers.append(Lever(code, code, base, min(_up(ind.scale_min), base), _down(ind.scale_max)))
        for sub_code in sorted((c for c in subs if ds.parent(c) == code), key=code_key):
            sb = int(to_units(subs[sub_code]))
            si = ds.indicator(sub_code, year)
            levers.append(Lever(sub_code, code, sb, min(_up(si.scale_min), sb), _down(si.scale_max)))
    floats = others.astype(float) / UNIT
    enter = tuple(int(to_units(min_score_for_group(floats, g, rule))) for g in GROUPS[:3])
    prev, reason = compare_total(ds, year, province, float(total[i]), 1, len(names))
    previous = None if prev is None else (prev.year, int(to_units(prev.total)), prev.rank, prev.of)
    return Lookup(year, province, rule, int(units[i]), tuple(levers), tuple(int(v) for v in others[order]),
                  other_names, enter, previous, reason)


def dimension_values(lk: Lookup, values: Mapping[str, int], opened: frozenset[str] | set[str]) -> dict[str, int]:
    """Each dimension's value (units) for lever values ``values`` (code -> units; a lever absent is at its
    baseline): an opened dimension follows its sub-dimensions, any other its own lever."""
    out = {}
    for lv in lk.levers:
        if lv.sub:
            if lv.parent in opened:
                out[lv.parent] += values.get(lv.code, lv.base) - lv.base
        else:
            out[lv.code] = lv.base if lv.code in opened else values.get(lv.code, lv.base)
    return out


def total_of(lk: Lookup, dims: Mapping[str, int]) -> int:
    return lk.base_total + sum(dims[lv.code] - lv.base for lv in lk.levers if not lv.sub)


def rank_of(lk: Lookup, total: int) -> int:
    """1 + the provinces strictly above (others are sorted highest first)."""
    return 1 + sum(1 for v in lk.others if v > total)


def group_of(lk: Lookup, total: int) -> int:
    return next((g for g, low in zip(GROUPS, lk.enter) if total >= low), 4)


def headline(lk: Lookup, values: Mapping[str, int], opened: frozenset[str] | set[str] = frozenset()) -> Headline:
    """The panel's arithmetic, in Python: the property tests hold it against ``apply``."""
    dims = dimension_values(lk, values, opened)
    total = total_of(lk, dims)
    above = sum(1 for v in lk.others if v > total)
    nxt = lk.others.index(lk.others[above - 1]) if above else None  # the nearest above; on a tie, as apply picks
    group = group_of(lk, total)
    return Headline(total, 1 + above, group, nxt,
                    lk.others[nxt] - total + 1 if nxt is not None else None,
                    max(lk.enter[group - 2] - total, 1) if group > 1 else None, dims)


def fmt_units(units: int, lang: str, dp: int = 2, sign: bool = False) -> str:
    """A number of units of 0.0001 at ``dp`` decimals (half away from zero, in integers) with the language's
    decimal mark: 42,39 in Vietnamese. The panel's JavaScript writes numbers by the same steps."""
    step = 10 ** (4 - dp)
    whole, rest = divmod(abs(int(units)), step)
    whole += rest * 2 >= step
    body = str(whole // 10 ** dp) + ((decimal_mark(lang) + str(whole % 10 ** dp).zfill(dp)) if dp else "")
    neg = units < 0 and whole != 0
    return ("-" if neg else "+" if sign else "") + body


def decimal_mark(lang: str) -> str:
    return "," if lang == "vi" else "."


def panel_texts(ds: Dataset, lk: Lookup, lang: str, estimate: bool = False) -> dict:
    """Every phrase the panel shows, in ``lang``: labels, templates (``{points}``, ``{province}``, ``{group}``,
    ``{n}``, ``{change}``, ``{places}``, ``{value}``) and tables keyed by an integer (rank, group, name index)."""
    est = "_estimate" if estimate else ""
    n = lk.of
    most = max(n, lk.previous[3] if lk.previous else 0)  # places gained or lost, at most
    return {
        "decimal": decimal_mark(lang),
        "total": t("head.total" + est, lang), "rank": t("head.rank" + est, lang), "group": t("head.group" + est, lang),
        "rank_of": {r: f"{r}/{n}" for r in range(1, n + 1)},
        "groups": {g: words.group_name(g, lang) for g in GROUPS},
        "groups_lower": {g: words.group_name(g, lang).lower() for g in GROUPS},
        "names": [words.province_name(ds, p, lang) for p in lk.names],
        "to_next_rank": t("head.to_next_rank", lang, points="{points}", province="{province}"),
        "to_next_group": t("head.to_next_group", lang, points="{points}", group="{group}"),
        "top": t("head.top_group_first", lang),
        "change": t("panel.change", lang, change="{change}"),
        "places_up": {k: t("yoy.up", lang, n=k) for k in range(1, most + 1)},
        "places_down": {k: t("yoy.down", lang, n=k) for k in range(1, most + 1)},
        "places_same": t("yoy.same_rank", lang),
        "yoy": (t("yoy.sentence", lang, year=lk.previous[0], change="{change}", places="{places}")
                + (" " + t("yoy.of_changed", lang, year=lk.previous[0], before=lk.previous[3], now=n)
                   if lk.previous[3] != n else "")
                if lk.previous else t(f"yoy.reason.{lk.previous_reason}", lang)),
        "valuetext": t("panel.valuetext", lang, name="{name}", value="{value}", base="{base}"),
    }


def from_outcome(lk: Lookup, o: Outcome) -> Headline:
    """Python's own headline (apply's result standing) in the lookup's integers, to replace the panel's."""
    r = o.result
    return Headline(int(to_units(r.total)), r.rank, r.group, lk.names.index(r.next_up) if r.next_up else None,
                    None if r.to_next_rank is None else int(to_units(r.to_next_rank)),
                    None if r.to_next_group is None else int(to_units(r.to_next_group)),
                    {c: int(to_units(v)) for c, v in r.dimensions.items()})


def _fill(template: str, **parts: str) -> str:
    for name, value in parts.items():
        template = template.replace("{" + name + "}", value)
    return template


def headline_text(lk: Lookup, texts: dict, h: Headline, moved: bool) -> dict[str, str]:
    """The headline's strings (the panel's JavaScript builds the same from the same tables): total, rank,
    group, change from the baseline (when a lever moved), year on year, the points to climb."""
    num = lambda units, dp=2, sign=False: fmt_units(units, "vi" if texts["decimal"] == "," else "en", dp, sign)
    if lk.previous:
        gained = lk.previous[2] - h.rank
        places = texts["places_up"][gained] if gained > 0 else texts["places_down"][-gained] if gained < 0 \
            else texts["places_same"]
        yoy = _fill(texts["yoy"], change=num(h.total - lk.previous[1], 2, True), places=places)
    else:
        yoy = texts["yoy"]
    climb = []
    if h.next_up is not None:
        climb.append(_fill(texts["to_next_rank"], points=num(h.to_next_rank, 4), province=texts["names"][h.next_up]))
    if h.to_next_group is not None:
        climb.append(_fill(texts["to_next_group"], points=num(h.to_next_group, 4), group=texts["groups_lower"][h.group - 1]))
    return {"total": num(h.total), "rank": texts["rank_of"][h.rank], "group": texts["groups"][h.group],
            "change": _fill(texts["change"], change=num(h.total - lk.base_total, 2, True)) if moved else "",
            "yoy": yoy, "climb": " · ".join(climb) or texts["top"]}
