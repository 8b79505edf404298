"""The comparison rows both take-home files add for each column (issue 20): the change against the previous
edition (sim.previous) and the odds next year (sim.story.chances: the Odds page's default model, 10,000 draws,
seed 7), written with the app's texts. formats.summary places them in its side-by-side table."""
from __future__ import annotations

from sim.data import FRAMEWORK_START, Dataset
from sim.i18n import fmt_pct, t
from sim.previous import compare_total
from sim.realism import change_history
from sim.story import Chances, chances, default_target_group
from sim.words import group_name

BRIEF_ONLY = ("p_groups", "rank_range")                     # rows the workbook leaves out
WORKBOOK_ONLY = ("p_group1", "p_group2", "p_group3", "p_group4", "rank_p5", "rank_p95")  # and the brief


def yoy_rows(ds: Dataset, bs, cols, stands, lang: str, row) -> list:
    """Each column's change in total and in rank against the previous edition (none across the 2018
    framework change or where the province had no ranked total). ``row`` builds a formats.summary.Row."""
    prev = [compare_total(ds, bs[c.block].year, bs[c.block].province, s.total, s.rank, s.of)[0]
            for c, s in zip(cols, stands)]
    return [row("yoy_total", t("brief.row.yoy_total", lang), "change",
                tuple(None if p is None else p.total_change for p in prev)),
            row("yoy_rank", t("brief.row.yoy_rank", lang), "rankdiff",
                tuple(None if p is None else p.rank_change for p in prev))]


def column_chances(ds: Dataset, bs) -> list[Chances | None]:
    """Every column's odds next year, the baseline column's from its block's first scenario run; None
    before 2018 (no odds model)."""
    h = change_history(ds)
    out: list[Chances | None] = []
    for b in bs:
        if b.year < FRAMEWORK_START or h.n == 0:
            out += [None] * (1 + len(b.entries))
            continue
        runs = [chances(ds, e.outcome.scenario, h) for e in b.entries]
        out += [runs[0][0], *(r[1] for r in runs)]
    return out


def _target_label(bs, targets: list[int], lang: str) -> str:
    """The target row's label: the group named where every column aims at the same one."""
    if len(set(targets)) > 1:
        return t("brief.row.p_target", lang)
    g = targets[0]
    if all(b.baseline.group == 1 for b in bs):
        return t("brief.row.p_target_top", lang)
    return t("brief.row.p_target_of" if g > 1 else "brief.row.p_target_in", lang, group=group_name(g, lang).lower())


def odds_rows(ds: Dataset, bs, cols, lang: str, row) -> list:
    """P(target), P(each group), P(top K) and the 5-95% rank range per column; the brief's two short text
    rows too (BRIEF_ONLY). Nothing where every block is before 2018."""
    if all(b.year < FRAMEWORK_START for b in bs):
        return []
    ch = column_chances(ds, bs)
    targets = [default_target_group(bs[c.block].baseline.group) for c in cols]
    rows = [row("p_target", _target_label(bs, targets, lang), "share",
                tuple(None if x is None else x.p_target(g) for x, g in zip(ch, targets)), "high")]
    rows += [row(f"p_group{g}", t("brief.row.p_group", lang, group=group_name(g, lang)), "share",
                 tuple(None if x is None else x.p_group[g - 1] for x in ch)) for g in (1, 2, 3, 4)]
    k = next((x.k for x in ch if x is not None), None)
    if k is not None:
        rows.append(row("p_top_k", t("brief.row.p_top_k", lang, k=k), "share",
                        tuple(None if x is None else x.p_top_k for x in ch), "high"))
    rows += [row("rank_p5", t("brief.row.rank_p5", lang), "rank", tuple(None if x is None else x.rank_p5 for x in ch)),
             row("rank_p95", t("brief.row.rank_p95", lang), "rank", tuple(None if x is None else x.rank_p95 for x in ch))]
    # the same figures in two short rows, for the brief's table (the workbook keeps the numbers apart)
    rows += [row("p_groups", t("brief.row.p_groups", lang), "text", tuple(
                 None if x is None else " · ".join(fmt_pct(v, lang) for v in x.p_group) for x in ch)),
             row("rank_range", t("brief.row.rank_range", lang), "text", tuple(
                 None if x is None else f"{x.rank_p5}–{x.rank_p95}" for x in ch))]
    return rows


def sources_odds(bs, lang: str) -> list[str]:
    """The sources paragraphs of the rows above: how year on year and the odds were made (draws, seed)."""
    from sim.i18n import fmt_num
    from sim.story import ODDS_DRAWS, ODDS_SEED
    out = [t("brief.src.yoy", lang)]
    if any(b.year >= FRAMEWORK_START for b in bs):
        out.append(t("brief.src.odds", lang, draws=fmt_num(ODDS_DRAWS, lang, 0), seed=ODDS_SEED))
    return out
