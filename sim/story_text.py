"""A story (sim.story) in words and as JSON: one title and a few lines per step, the same for the presenter
view, the brief's first page and ``python -m sim story``. Numbers are written as the app writes them (2 dp
for scores, 4 for points still needed, whole percent for chances at 10,000 draws)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .compare import indicator_stats, past_best
from .data import Dataset
from .i18n import fmt_num, fmt_pct, t
from .previous import previous_json, yoy_sentence
from .scenario import unscored
from .story import STEPS, Story, odds_words
from .words import group_name, indicator_label, names, province_name

SHOWN = 8  # province-years named in step (f) before "N more"


@dataclass(frozen=True)
class StepText:
    """One step: its key (sim.story.STEPS), a title, a headline and the lines under it."""
    key: str
    title: str
    headline: str
    lines: tuple[str, ...]


_label, _group = indicator_label, group_name  # the app's vocabulary (sim.words): "5. Tên", "Nhóm trung bình cao"


def _names(ds: Dataset, provinces, lang: str) -> str:
    return names(ds, tuple(provinces), lang)


def _where(ds: Dataset, s: Story, lang: str) -> StepText:
    b, sc = s.outcome.baseline, s.outcome.scenario
    head = t("story.where.head", lang, total=fmt_num(b.total, lang), rank=b.rank, of=b.of, group=_group(b.group, lang))
    trend = " · ".join(t("story.where.point", lang, year=y, total=fmt_num(v, lang), rank=r, of=n)
                       for y, v, r, n in s.trend)
    # "/61" beside a basis of 63: the committee asked where the others went (the sidebar says 63 provinces)
    missing = unscored(ds, sc.year)
    key = "story.where.counted_added" if sc.year in ds.added_years else "story.where.counted"  # a user's file
    counted = (t(key, lang, of=b.of, year=sc.year, n=len(missing), names=_names(ds, missing, lang)),
               ) if missing else ()
    return StepText("where", t("story.where.title", lang, province=province_name(ds, sc.province, lang), year=sc.year),
                    head, (yoy_sentence(s.yoy, lang), t("story.where.trend", lang, points=trend), *counted))


def _change(ds: Dataset, s: Story, lang: str) -> StepText:
    year = s.outcome.scenario.year
    if not s.moves:
        return StepText("change", t("story.change.title", lang), t("story.change.none", lang), ())
    lines = tuple(t("story.change.line", lang, indicator=_label(ds, m.code, year, lang), before=fmt_num(m.before, lang),
                    after=fmt_num(m.after, lang), change=fmt_num(m.change, lang, sign=True),
                    steps=fmt_num(m.typical_steps, lang, 1)) for m in s.moves)
    # the what-if page's "vượt mức cao nhất toàn quốc", on the slide and on paper too (committee review)
    stats = indicator_stats(ds, year)
    past = [t("story.change.past_best_item", lang, code=m.code, after=fmt_num(m.after, lang),
              best=fmt_num(stats[m.code].best, lang), province=province_name(ds, stats[m.code].best_province, lang))
            for m in s.moves if m.code in stats and past_best(m.after, stats[m.code].best)]
    if past:
        lines = (t("story.change.past_best", lang, year=year, items="; ".join(past)), *lines)
    return StepText("change", t("story.change.title", lang), t("story.change.head", lang, n=len(s.moves)), lines)


def _buys(ds: Dataset, s: Story, lang: str) -> StepText:
    o = s.outcome
    b, r = o.baseline, o.result
    places = t("move.up", lang, n=b.rank - r.rank) if r.rank < b.rank else \
        t("move.down", lang, n=r.rank - b.rank) if r.rank > b.rank else t("move.same_rank", lang)
    head = t("story.buys.head", lang, total=fmt_num(r.total, lang), change=fmt_num(r.total - b.total, lang, sign=True),
             rank=r.rank, of=r.of, places=places, group=_group(r.group, lang))
    yoy = yoy_sentence(s.scenario_yoy, lang)
    lines = [t("story.buys.yoy", lang, text=yoy) if s.scenario_yoy.previous is not None else yoy]
    if o.overtaken:
        lines.append(t("story.buys.passes", lang, n=len(o.overtaken), names=_names(ds, o.overtaken[::-1], lang)))
    if r.to_next_group is not None:
        lines.append(t("story.buys.next_group", lang, points=fmt_num(r.to_next_group, lang, 4),
                       group=_group(r.group - 1, lang).lower()))
    else:
        lines.append(t("story.buys.top_group", lang))
    return StepText("buys", t("story.buys.title", lang), head, tuple(lines))


def _pair(p: tuple[int, int]) -> str:
    return f"{p[0]}→{p[1]}"


def record_sentence(s: Story, lang: str) -> str:
    """One line on how such odds held: the backtest's overall coverage, fitted only on earlier years."""
    d = s.odds
    if d is None or d.record_share is None:
        return t("story.record.none", lang)
    text = t("story.record.line", lang, inside=d.record_inside, n=d.record_n, share=fmt_pct(d.record_share, lang),
             first=_pair(d.record_years[0]), last=_pair(d.record_years[-1]))
    if d.record_left_out:
        text += " " + t("story.record.left_out", lang, pairs=", ".join(_pair(p) for p in d.record_left_out))
    return text


def _odds(ds: Dataset, s: Story, lang: str) -> StepText:
    d = s.odds
    if d is None:
        return StepText("odds", t("story.odds.title", lang), t("story.odds.not_before", lang), ())
    group = _group(d.target_group, lang).lower()
    more = ".or_better" if d.target_group > 1 else ""
    head = t("story.odds.head" + more, lang, group=group, p=fmt_pct(d.p_target, lang), words=odds_words(d.p_target, lang))
    lines = (t("story.odds.top_k", lang, k=d.k, p=fmt_pct(d.p_top_k, lang), words=odds_words(d.p_top_k, lang)),
             t("story.odds.range", lang, lo=d.rank_p5, hi=d.rank_p95),
             t("story.odds.was" + more, lang, group=group, p=fmt_pct(d.base_p_target, lang)),
             t("story.odds.model", lang, draws=fmt_num(d.draws, lang, 0), seed=d.seed),
             record_sentence(s, lang))
    return StepText("odds", t("story.odds.title", lang), head, lines)


THIN_MARGIN = 0.01  # points: a plan that clears its target by less than this is "on the line"


def _goal(ds: Dataset, s: Story, lang: str) -> StepText:
    year = s.outcome.scenario.year
    only = ", ".join(s.goal_only)
    title = t("story.goal.title", lang)
    if s.goal is None:
        key = "story.goal.top" if s.outcome.baseline.group == 1 else "story.goal.no_changes"
        return StepText("goal", title, t(key, lang), ())
    p, r = s.goal, s.goal.outcome.result
    group = _group(s.target_group, lang).lower()
    lines = tuple(t("story.goal.step", lang, indicator=_label(ds, st.code, year, lang), start=fmt_num(st.start, lang),
                    end=fmt_num(st.end, lang), change=fmt_num(st.change, lang, sign=True)) for st in p.steps)
    result = t("story.goal.result", lang, total=fmt_num(r.total, lang), rank=r.rank, of=r.of, group=_group(r.group, lang))
    if p.already_met:
        head = t("story.goal.met" + (".or_better" if s.target_group > 1 else ""), lang, group=group)
    elif p.reachable:
        head = t("story.goal.head", lang, group=group, codes=only, needed=fmt_num(p.needed, lang, 4))
    else:
        head = t("story.goal.short", lang, group=group, codes=only, short=fmt_num(-p.slack, lang, 4))
    notes = ()
    if p.reachable and not p.already_met and round(p.slack, 4) < THIN_MARGIN:
        # a least-effort plan lands on the cut-off by construction: say so, or "minimum" reads as safe
        notes = (t("story.goal.thin", lang),)
    return StepText("goal", title, head, (*lines, result, *notes))


def _movers(ds: Dataset, s: Story, lang: str) -> StepText:
    codes = ", ".join(m.code for m in s.moves if abs(m.change) > 1e-9)
    title = t("story.movers.title", lang)
    first = s.mover_first
    if not codes:
        return StepText("movers", title, t("story.change.none", lang), ())
    if not s.movers:
        return StepText("movers", title, t("story.movers.none", lang, codes=codes, looked=s.mover_pairs, first=first),
                        _single(s, lang))
    head = t("story.movers.head", lang, n=len(s.movers), looked=s.mover_pairs, codes=codes, first=first)
    lines = tuple(t("story.movers.line", lang, province=province_name(ds, m.province, lang), pair=_pair((m.year_from, m.year_to)),
                    changes=", ".join(f"{c} {fmt_num(v, lang, sign=True)}" for c, v in m.changes))
                  for m in s.movers[:SHOWN])
    more = len(s.movers) - SHOWN
    return StepText("movers", title, head, lines + ((t("story.movers.more", lang, n=more),) if more > 0 else ())
                    + _single(s, lang))


def _single(s: Story, lang: str) -> tuple[str, ...]:
    """Each change alone: how many province-years moved that indicator this far in one year."""
    return (t("story.movers.single", lang, items="; ".join(
        t("story.movers.single_item", lang, code=c, n=n, looked=s.mover_pairs) for c, n in s.single)),)


_BUILDERS = {"where": _where, "change": _change, "buys": _buys, "odds": _odds, "goal": _goal, "movers": _movers}


def _cap(text: str) -> str:
    """A line begins with a capital, as on a slide ("so với năm 2022: ..." → "So với năm 2022: ...")."""
    return text[:1].upper() + text[1:]


def story_steps(ds: Dataset, s: Story, lang: str) -> tuple[StepText, ...]:
    """The six steps in ``lang``, in order (sim.story.STEPS)."""
    steps = (_BUILDERS[k](ds, s, lang) for k in STEPS)
    return tuple(StepText(x.key, x.title, _cap(x.headline), tuple(_cap(line) for line in x.lines)) for x in steps)


def _r(x: float | None, dp: int = 4) -> float | None:
    """A figure for JSON: None where there is none (a typical change of 0 gives no "typical steps")."""
    return None if x is None or not math.isfinite(float(x)) else round(float(x), dp)


def story_json(ds: Dataset, s: Story, lang: str = "en") -> dict:
    """The CLI's ``story --json`` document (fields are added, never renamed): every step's figures, and its
    words in ``lang``."""
    o = s.outcome
    b, r = o.baseline, o.result
    d = s.odds
    g = s.goal
    return {
        "name": s.name, "year": o.scenario.year, "province": o.scenario.province,
        "where": {"total": _r(b.total), "rank": b.rank, "of": b.of, "group": b.group, **previous_json(s.yoy, lang),
                  "trend": [{"year": y, "total": _r(v), "rank": k, "of": n} for y, v, k, n in s.trend],
                  "unscored": list(unscored(ds, o.scenario.year))},
        "change": [{"code": m.code, "from": _r(m.before), "to": _r(m.after), "change": _r(m.change),
                    "typical_change": _r(m.typical), "typical_steps": _r(m.typical_steps, 2)} for m in s.moves],
        "buys": {"total": _r(r.total), "change": _r(r.total - b.total), "rank": r.rank, "of": r.of, "group": r.group,
                 "rank_gain": b.rank - r.rank, "overtaken": list(o.overtaken), "to_next_group": _r(r.to_next_group),
                 **previous_json(s.scenario_yoy, lang)},
        "odds": None if d is None else {
            "draws": d.draws, "seed": d.seed, "target_group": d.target_group, "k": d.k, "p_target": _r(d.p_target),
            "p_top_k": _r(d.p_top_k), "p_group": [_r(v) for v in d.p_group], "rank_p5": d.rank_p5,
            "rank_p95": d.rank_p95, "baseline_p_target": _r(d.base_p_target),
            "p_target_words": odds_words(d.p_target, lang), "p_top_k_words": odds_words(d.p_top_k, lang),
            "record": {"coverage_5_95": d.record_share, "inside": d.record_inside, "n": d.record_n,
                       "years": [list(p) for p in d.record_years], "left_out": [list(p) for p in d.record_left_out]}},
        "goal": None if g is None else {
            "target_group": s.target_group, "only": list(s.goal_only), "level": g.level, "reachable": g.reachable,
            "already_met": g.already_met, "needed": _r(g.needed), "slack": _r(g.slack),
            "plan": [{"code": st.code, "from": _r(st.start), "to": _r(st.end), "change": _r(st.change)} for st in g.steps],
            "total": _r(g.outcome.result.total), "rank": g.outcome.result.rank, "group": g.outcome.result.group},
        "movers": {"looked": s.mover_pairs, "n": len(s.movers), "single": dict(s.single), "first_year": s.mover_first,
                   "rows": [{"province": m.province, "year_from": m.year_from, "year_to": m.year_to,
                             "changes": dict(m.changes)} for m in s.movers]},
        "steps": [{"key": x.key, "title": x.title, "headline": x.headline, "lines": list(x.lines)}
                  for x in story_steps(ds, s, lang)],
    }


def coverage_rows(doc: dict, lang: str) -> list[dict]:
    """The backtest's year pairs as the Odds page charts them: coverage (None where too few earlier years
    or no odds) and its label."""
    out = []
    for r in doc["rows"]:
        c = None if r["too_few_years"] else r["coverage_5_95"]
        out.append({"pair": f"{r['year_from']}→{str(r['year_to'])[2:]}", "coverage": c,  # "2020→21": six fit
                    "label": fmt_pct(c, lang) if c is not None else t("odds.record.too_few", lang),
                    "label_at": c if c is not None else 0.22})  # the words stand above the empty bar's axis
    return out


def calibration_rows(doc: dict, lang: str) -> list[dict]:
    """The calibration bins that hold any province-year, labelled in ``lang``."""
    return [{"predicted": b["predicted"], "observed": b["observed"], "n": b["n"],
             "predicted_label": fmt_pct(b["predicted"], lang), "observed_label": fmt_pct(b["observed"], lang)}
            for b in doc["calibration"] if b["n"]]


def calibration_gap(doc: dict) -> float | None:
    """How far P(group) was from what happened: the gap |predicted - observed| averaged over every
    province-year-group (bins weighted by their count); None without any."""
    rows = [b for b in doc["calibration"] if b["n"]]
    n = sum(b["n"] for b in rows)
    return sum(b["n"] * abs(b["predicted"] - b["observed"]) for b in rows) / n if n else None


def record_text(doc: dict, lang: str) -> str:
    """The track record in one plain sentence, with the year pairs too few earlier years left unchecked."""
    o = doc["overall"]
    if o["coverage_5_95"] is None:
        return t("odds.record.none", lang)
    years = o["years"]
    text = t("odds.record.sentence", lang, first=_pair(years[0]), last=_pair(years[-1]), n=o["n"],
             share=fmt_pct(o["coverage_5_95"], lang), nominal=fmt_pct(o["nominal"], lang),
             gap=fmt_num(100 * (calibration_gap(doc) or 0.0), lang, 0))
    if o["left_out"]:
        text += " " + t("odds.record.left_out", lang, pairs=", ".join(_pair(tuple(p)) for p in o["left_out"]))
    return text
