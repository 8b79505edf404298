"""What the workbook and the brief both say about a list of named scenarios, computed once by sim.

Every figure comes from ``sim.scenario.apply`` and ``sim.report.outcome_json``; this module only
arranges them (which baseline a scenario compares with, which rows a comparison has) and words them
in the user's language with the app's own texts (``move.*``, ``group.*``).
"""
from __future__ import annotations

import datetime as dt
import numbers
import unicodedata
from dataclasses import dataclass

from sim.data import Dataset
from sim.errors import InputError
from sim.i18n import fmt_num, fmt_pct, t
from sim.previous import compare_total
from sim.report import outcome_json
from sim.scenario import NamedScenario, Outcome, Scenario, apply
from sim.sources import citation
from sim.story import ODDS_DRAWS, ODDS_SEED, Chances, chances, default_target_group
from sim.uncertainty import FIRST_YEAR, change_history

SHOWN_NAMES = 5  # provinces named in a "what moved" sentence before "and N more"
MAX_BRIEF_SCENARIOS = 4  # side by side on 2 legible pages (issue 9: 2-4); the workbook takes any number


def nfc(text: object) -> str:
    """Text in composed form: a Vietnamese vowel with two marks becomes one code point, so fonts draw
    the marks stacked, and a name typed on another keyboard compares equal."""
    return unicodedata.normalize("NFC", str(text))


@dataclass(frozen=True, eq=False)
class Entry:
    """One named scenario with its outcome (sim.scenario.apply) and its JSON (sim.report.outcome_json)."""
    named: NamedScenario
    outcome: Outcome
    doc: dict

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
    out = []
    for named in scenarios:
        o = apply(ds, named.scenario)
        out.append(Entry(named, o, outcome_json(ds, o, lang)))
    return tuple(out)


def blocks(items: tuple[Entry, ...]) -> tuple[Block, ...]:
    """Entries grouped by (year, province), in order of first appearance."""
    keys: dict[tuple[int, str], list[Entry]] = {}
    for e in items:
        keys.setdefault((e.outcome.scenario.year, e.outcome.scenario.province), []).append(e)
    return tuple(Block(y, p, tuple(es)) for (y, p), es in keys.items())


def province_name(ds: Dataset, province: str, lang: str) -> str:
    return nfc(ds.province(province).label(lang))


def indicator_label(ds: Dataset, code: str, year: int, lang: str) -> str:
    """"5. Public Administrative Procedures", "6.1. Public Health": written as the screen writes them, so
    the brief, the workbook and the app name an indicator alike."""
    return nfc(f"{code}. {ds.indicator(code, year).name(lang)}")


def group_name(g: int, lang: str) -> str:
    return t(f"group.{g}", lang)


def _names(ds: Dataset, provinces: tuple[str, ...], lang: str) -> str:
    text = ", ".join(province_name(ds, p, lang) for p in provinces[:SHOWN_NAMES])
    more = len(provinces) - SHOWN_NAMES
    return text + (t("move.and_more", lang, n=more) if more > 0 else "")


def movement(ds: Dataset, o: Outcome, lang: str) -> str:
    """The app's "what moved" sentence: places, group, who we pass and who passes us."""
    b, r = o.baseline, o.result
    parts = [t("move.up", lang, n=b.rank - r.rank) if r.rank < b.rank
             else t("move.down", lang, n=r.rank - b.rank) if r.rank > b.rank else t("move.same_rank", lang)]
    which = "up" if r.group < b.group else "down" if r.group > b.group else "same"
    parts.append(t(f"move.group_{which}", lang, group=group_name(r.group, lang).lower()))
    if o.overtaken:
        parts.append(t("move.overtakes", lang, names=_names(ds, o.overtaken[::-1], lang)))
    if o.overtaken_by:
        parts.append(t("move.overtaken_by", lang, names=_names(ds, o.overtaken_by, lang)))
    return "; ".join(parts) + "."


def change_items(ds: Dataset, o: Outcome, lang: str) -> list[str]:
    """Each applied change in words: "5. Public Administrative Procedures 7.15 → 7.55 (+0.40)"."""
    year = o.scenario.year
    return [f"{indicator_label(ds, a.code, year, lang)} {fmt_num(a.before, lang)} → {fmt_num(a.after, lang)} "
            f"({fmt_num(a.change, lang, sign=True)})" for a in o.applied]


@dataclass(frozen=True)
class Row:
    """One comparison row: a label, a kind (how to write and rank it) and one value per column."""
    key: str
    label: str
    kind: str                 # "score" | "change" | "rank" | "group" | "points" | "text"
    values: tuple             # float | int | str | None per column
    better: str = ""          # "high" | "low" | "" (no best marked)

    def best(self) -> set[int]:
        """Columns holding the best value of the row, every tie of it (none when all columns tie or nothing
        compares). Compared in whole units of 0.0001, the data's precision; numpy numbers count too."""
        nums = [(i, _units(v)) for i, v in enumerate(self.values)
                if isinstance(v, numbers.Real) and not isinstance(v, bool)]
        if not self.better or len({u for _, u in nums}) < 2:
            return set()
        target = max(u for _, u in nums) if self.better == "high" else min(u for _, u in nums)
        return {i for i, u in nums if u == target}


def _units(value: float) -> int:
    """A score in whole units of 0.0001 (45.38760000001 and 45.3876 are the same score)."""
    return round(float(value) * 10_000)


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
    rows += _yoy_rows(ds, bs, cols, stands, lang) + _odds_rows(ds, bs, cols, lang)
    years = {b.year for b in bs}
    year = min(years)
    dim_codes = list(dict.fromkeys(c for s in stands for c in s.dimensions))
    for code in dim_codes:
        label = indicator_label(ds, code, year, lang) if len(years) == 1 else code
        rows.append(Row(f"d{code}", label, "score", tuple(s.dimensions.get(code) for s in stands), "high"))
    moved_subs = sorted({c for a in applied for c in a if "." in c}, key=lambda c: tuple(map(int, c.split("."))))
    for code in moved_subs:
        vals = []
        for c, s, a in zip(cols, stands, applied):
            b = bs[c.block]
            base = ds.table(b.year).subs.get(b.province, {}).get(code)
            parent_moved = code.split(".")[0] in a
            vals.append(a[code].after if code in a else None if parent_moved else base)
        label = indicator_label(ds, code, year, lang) if len(years) == 1 else code
        rows.append(Row(f"s{code}", label, "score", tuple(vals), "high"))
    return tuple(cols), tuple(rows)


def _yoy_rows(ds: Dataset, bs: tuple[Block, ...], cols, stands, lang: str) -> list[Row]:
    """Each column's change in total and in rank against the previous edition (sim.previous; none across
    the 2018 framework change or where the province had no ranked total)."""
    prev = [compare_total(ds, bs[c.block].year, bs[c.block].province, s.total, s.rank, s.of)[0]
            for c, s in zip(cols, stands)]
    return [Row("yoy_total", t("brief.row.yoy_total", lang), "change",
                tuple(None if p is None else p.total_change for p in prev)),
            Row("yoy_rank", t("brief.row.yoy_rank", lang), "rankdiff",
                tuple(None if p is None else p.rank_change for p in prev))]


def column_chances(ds: Dataset, bs: tuple[Block, ...]) -> list[Chances | None]:
    """Every column's odds next year (sim.story.chances: the Odds page's model, 10,000 draws, seed 7), the
    baseline column's from its block's first scenario run; None before 2018 (no odds model)."""
    h = change_history(ds)
    out: list[Chances | None] = []
    for b in bs:
        if b.year < FIRST_YEAR or h.n == 0:
            out += [None] * (1 + len(b.entries))
            continue
        runs = [chances(ds, e.outcome.scenario, h) for e in b.entries]
        out += [runs[0][0], *(r[1] for r in runs)]
    return out


def _target_label(bs: tuple[Block, ...], targets: list[int], lang: str) -> str:
    """The target row's label: the group named where every column aims at the same one."""
    if len(set(targets)) > 1:
        return t("brief.row.p_target", lang)
    g = targets[0]
    if all(b.baseline.group == 1 for b in bs):
        return t("brief.row.p_target_top", lang)
    return t("brief.row.p_target_of" if g > 1 else "brief.row.p_target_in", lang, group=group_name(g, lang).lower())


def _odds_rows(ds: Dataset, bs: tuple[Block, ...], cols, lang: str) -> list[Row]:
    if all(b.year < FIRST_YEAR for b in bs):
        return []
    ch = column_chances(ds, bs)
    targets = [default_target_group(bs[c.block].baseline.group) for c in cols]
    label = _target_label(bs, targets, lang)
    rows = [Row("p_target", label, "share", tuple(None if x is None else x.p_target(g) for x, g in zip(ch, targets)),
                "high")]
    rows += [Row(f"p_group{g}", t("brief.row.p_group", lang, group=group_name(g, lang)), "share",
                 tuple(None if x is None else x.p_group[g - 1] for x in ch)) for g in (1, 2, 3, 4)]
    k = next((x.k for x in ch if x is not None), None)
    if k is not None:
        rows.append(Row("p_top_k", t("brief.row.p_top_k", lang, k=k), "share",
                        tuple(None if x is None else x.p_top_k for x in ch), "high"))
    rows += [Row("rank_p5", t("brief.row.rank_p5", lang), "rank", tuple(None if x is None else x.rank_p5 for x in ch)),
             Row("rank_p95", t("brief.row.rank_p95", lang), "rank", tuple(None if x is None else x.rank_p95 for x in ch))]
    # the same figures in two short rows, for the brief's table (the workbook keeps the numbers apart)
    rows += [Row("p_groups", t("brief.row.p_groups", lang), "text", tuple(
                 None if x is None else " · ".join(fmt_pct(v, lang) for v in x.p_group) for x in ch)),
             Row("rank_range", t("brief.row.rank_range", lang), "text", tuple(
                 None if x is None else f"{x.rank_p5}–{x.rank_p95}" for x in ch))]
    return rows


BRIEF_ONLY = ("p_groups", "rank_range")                     # rows the workbook leaves out
WORKBOOK_ONLY = ("p_group1", "p_group2", "p_group3", "p_group4", "rank_p5", "rank_p95")  # and the brief


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
    out += [t("export.src.scenario", lang), t("export.src.ranks", lang), t("export.src.groups", lang),
            t("brief.src.yoy", lang)]
    if any(b.year >= FIRST_YEAR for b in bs):
        out.append(t("brief.src.odds", lang, draws=fmt_num(ODDS_DRAWS, lang, 0), seed=ODDS_SEED))
    if with_plan:
        out.append(t("export.src.plan", lang))
    out.append(t("export.src.tool", lang, date=today))
    return [nfc(p) for p in out]


def today_text(today: dt.date, lang: str) -> str:
    """A date as each language writes it: 26/11/2026 in Vietnamese, 2026-11-26 in English."""
    return today.strftime("%d/%m/%Y") if lang == "vi" else today.isoformat()
