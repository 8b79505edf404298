"""What the workbook and the brief both say about a list of named scenarios, computed once by sim.

Every figure comes from ``sim.scenario.apply``; the words come from ``sim.words`` (the screen's own
vocabulary) and the side-by-side rules from ``sim.compare_scenarios``. This module only arranges them:
which baseline a scenario compares with, which rows a comparison has, how a cell is written.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.compare_scenarios import best, moved_subdimensions, sub_value
from sim.data import Dataset
from sim.errors import InputError
from sim.i18n import fmt_num, fmt_pct, t
from sim.scenario import NamedScenario, Outcome, apply
from sim.sources import citation
from sim.words import group_name, indicator_label, nfc, province_name

from .summary_odds import odds_rows, sources_odds, yoy_rows


@dataclass(frozen=True, eq=False)
class Entry:
    """One named scenario with its outcome (sim.scenario.apply)."""
    named: NamedScenario
    outcome: Outcome

    @property
    def name(self) -> str:
        return nfc(self.named.name)


@dataclass(frozen=True, eq=False)
class Block:
    """Scenarios sharing a year and a province, hence one baseline column."""
    year: int
    province: str
    entries: tuple[Entry, ...]

    @property
    def baseline(self):
        return self.entries[0].outcome.baseline


def entries(ds: Dataset, scenarios: list[NamedScenario], lang: str) -> tuple[Entry, ...]:
    """Apply every scenario (raises InputError for an empty list or a scenario sim refuses)."""
    if not scenarios:
        raise InputError("export.no_scenarios")
    return tuple(Entry(named, apply(ds, named.scenario)) for named in scenarios)


def blocks(items: tuple[Entry, ...]) -> tuple[Block, ...]:
    """Entries grouped by (year, province), in order of first appearance."""
    keys: dict[tuple[int, str], list[Entry]] = {}
    for e in items:
        keys.setdefault((e.outcome.scenario.year, e.outcome.scenario.province), []).append(e)
    return tuple(Block(y, p, tuple(es)) for (y, p), es in keys.items())


@dataclass(frozen=True)
class Row:
    """One comparison row: a label, a kind (how to write and rank it) and one value per column."""
    key: str
    label: str
    kind: str                 # "score" | "change" | "rank" | "group" | "points" | "text"
    values: tuple             # float | int | str | None per column
    better: str = ""          # "high" | "low" | "" (no best marked)

    def best(self) -> set[int]:
        """Columns holding the best value of the row (sim.compare_scenarios.best, the workshop's rule)."""
        if not self.better:
            return set()
        return {i for i, b in enumerate(best(self.values, self.better == "high")) if b}


@dataclass(frozen=True)
class Column:
    """A comparison column: the baseline of a block, or one scenario."""
    title: str
    block: int
    is_baseline: bool


def comparison(ds: Dataset, bs: tuple[Block, ...], lang: str) -> tuple[tuple[Column, ...], tuple[Row, ...]]:
    """The side-by-side table: a baseline column per block, then its scenarios; rows for total, rank,
    group, distances, each dimension, and each sub-dimension that some scenario moved."""
    cols: list[Column] = []
    stands: list = []      # Standing per column
    applied: list[dict] = []  # code -> Applied for scenario columns ({} for baselines)
    for k, b in enumerate(bs):
        title = t("chart.baseline", lang) if len(bs) == 1 else t(
            "export.col.baseline_of", lang, province=province_name(ds, b.province, lang), year=b.year)
        cols.append(Column(title, k, True))
        stands.append(b.baseline)
        applied.append({})
        for e in b.entries:
            cols.append(Column(e.name, k, False))
            stands.append(e.outcome.result)
            applied.append({a.code: a for a in e.outcome.applied})
    base_total = [bs[c.block].baseline.total for c in cols]
    rows = [
        Row("total", t("export.row.total", lang), "score", tuple(s.total for s in stands), "high"),
        Row("change", t("export.row.change", lang), "change",
            tuple(s.total - b for s, b in zip(stands, base_total)), "high"),
        Row("rank", t("export.row.rank", lang), "rank", tuple(s.rank for s in stands), "low"),
        Row("of", t("export.row.of", lang), "count", tuple(s.of for s in stands)),
        Row("group", t("export.row.group", lang), "group", tuple(s.group for s in stands), "low"),
        Row("group_name", t("export.row.group_name", lang), "text", tuple(group_name(s.group, lang) for s in stands)),
        # distances are not ranked: a column with none ("–") is already first or in the top group
        Row("to_next_rank", t("export.row.to_next_rank", lang), "points", tuple(s.to_next_rank for s in stands)),
        Row("next_up", t("export.row.next_up", lang), "text",
            tuple(province_name(ds, s.next_up, lang) if s.next_up else None for s in stands)),
        Row("to_next_group", t("export.row.to_next_group", lang), "points",
            tuple(s.to_next_group for s in stands)),
    ]
    rows += yoy_rows(ds, bs, cols, stands, lang, Row) + odds_rows(ds, bs, cols, lang, Row)
    years = {b.year for b in bs}
    year = min(years)
    dim_codes = list(dict.fromkeys(c for s in stands for c in s.dimensions))
    for code in dim_codes:
        label = indicator_label(ds, code, year, lang) if len(years) == 1 else code
        rows.append(Row(f"d{code}", label, "score", tuple(s.dimensions.get(code) for s in stands), "high"))
    for code in moved_subdimensions([e.outcome for b in bs for e in b.entries]):
        base = [ds.table(bs[c.block].year).subs.get(bs[c.block].province, {}).get(code) for c in cols]
        vals = [sub_value(a, code, ds.parent(code), v) for a, v in zip(applied, base)]
        label = indicator_label(ds, code, year, lang) if len(years) == 1 else code
        rows.append(Row(f"s{code}", label, "score", tuple(vals), "high"))
    return tuple(cols), tuple(rows)


def write_value(row: Row, value, lang: str) -> str:
    """A comparison cell as the app writes it (42,40 in Vietnamese; ranks as "25/61" need ``of``)."""
    if value is None:  # no group above the top group: say so, as the app does
        return t("export.top_group", lang) if row.key == "to_next_group" else "–"
    if row.kind == "score":
        return fmt_num(value, lang, 2)
    if row.kind in ("change",):
        return fmt_num(value, lang, 2, sign=True)
    if row.kind == "points":
        return fmt_points(value, lang)
    if row.kind == "share":
        return fmt_pct(value, lang)
    if row.kind == "rankdiff":
        return f"{int(value):+d}"
    return nfc(value)


POINTS_DP = 4  # points still needed: the data's precision, for every value of the kind ("0,0600 · 0,0036")


def fmt_points(value: float, lang: str) -> str:
    """Points still needed, always at 4 decimals: a gap of 0,0036 is never a misleading "0,00", and a row
    of gaps never mixes precisions."""
    return fmt_num(value, lang, POINTS_DP)


def sources(ds: Dataset, bs: tuple[Block, ...], lang: str, today: str, with_plan: bool) -> list[str]:
    """The sources-and-assumptions paragraphs, for the workbook's last sheet and the brief's footer."""
    out = [t("export.src.data", lang)]
    for b in bs:
        out.append(t("export.src.figures", lang, province=province_name(ds, b.province, lang), year=b.year,
                     source=citation(ds, b.year, b.province, lang)))
    out += [t("export.src.scenario", lang), t("export.src.ranks", lang), t("export.src.groups", lang)]
    out += sources_odds(bs, lang)
    if with_plan:
        out.append(t("export.src.plan", lang))
    out.append(t("export.src.tool", lang, date=today))
    return [nfc(p) for p in out]


def today_text(today: dt.date, lang: str) -> str:
    """A date as each language writes it: 26/11/2026 in Vietnamese, 2026-11-26 in English."""
    return today.strftime("%d/%m/%Y") if lang == "vi" else today.isoformat()
