"""The what-if screen's sentences: what moved, the standing line, the cut-offs (the lines under the levers are
the lever panel's, ui/lever_panel.py).

Plain functions of a ``Screen`` (the province-year on show, in one language) and an Outcome; no widgets,
no session state, so they are built and tested like any other text. Province names come from data files:
every one goes through ``plain()`` before it joins Markdown.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

from sim import words
from sim.editions import total_kind
from sim.compare import DimensionStats, dimension_stats
from sim.data import Dataset, YearTable
from sim.i18n import fmt_num, t
from sim.levels import dropped_subs
from sim.ranking import MARGIN
from sim.scenario import Outcome, Standing

from .common import plain


@dataclass(frozen=True)
class Screen:
    """What the what-if page shows: one province-year of one dataset, in one language (built once per run;
    the figures it derives are computed on first use)."""
    ds: Dataset
    lang: str
    year: int
    province: str
    weak: tuple[str, ...]  # the province's weak spots, worst first
    estimate: bool = False  # the 34-unit basis: every figure is an estimate and is marked so

    @cached_property
    def table(self) -> YearTable:
        return self.ds.table(self.year)

    @cached_property
    def stats(self) -> Mapping[str, DimensionStats]:
        return dimension_stats(self.ds, self.year)

    @cached_property
    def subs(self) -> Mapping[str, float]:
        return self.table.subs.get(self.province, {})

    @cached_property
    def place(self) -> str:
        return self.label(self.province)

    def tr(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def num(self, value: float | None, dp: int = 2, sign: bool = False) -> str:
        return fmt_num(value, self.lang, dp, sign)

    def group_name(self, group: int) -> str:
        return words.group_name(group, self.lang)

    def points(self, value: float) -> str:
        """Points still needed, at the data's 4 dp: 2 dp would round 0,8504 down to a 0,85 that falls short."""
        return self.num(value, 4)

    def dim_name(self, code: str) -> str:
        return words.indicator_name(self.ds, code, self.year, self.lang)

    def indicator(self, code: str) -> str:
        """"5.1. Tên": the label the brief and the workbook use too (sim.words)."""
        return words.indicator_label(self.ds, code, self.year, self.lang)

    def label(self, province: str) -> str:
        return words.province_name(self.ds, province, self.lang)


def movement(s: Screen, o: Outcome) -> str:
    """The plain sentence under the headline (sim.words, as the brief and the workbook say it); province
    names from data files go in through ``plain()``."""
    return f"**{s.tr('head.scenario_says')}** " + words.movement(s.ds, o, s.lang, quote=plain)


def gap(s: Screen, total: float, cut: float) -> tuple[str, str]:
    """The text key and size of the distance to a cut-off: "vượt 0,42" or "còn thiếu 0,13", never "-0,00"."""
    above = round(total - cut, 4)
    if above > 0:
        return "head.cutoff_above", s.num(above, 4 if above < 0.005 else 2)
    short = round(MARGIN - above, 4)  # a group is entered strictly above its cut-off, at the data's precision
    return "head.cutoff_below", s.num(short, 4 if short < 0.005 else 2)


def _gaps(s: Screen, st_: Standing) -> list[str]:
    """One standing's own distances upward: to the next place and to the next group (cut-offs moving)."""
    gaps = []
    if st_.next_up:
        gaps.append(s.tr("head.to_next_rank", points=s.points(st_.to_next_rank), province=plain(s.label(st_.next_up))))
    if st_.to_next_group is not None:
        gaps.append(s.tr("head.to_next_group", points=s.points(st_.to_next_group),
                         group=s.group_name(st_.group - 1).lower()))
    return gaps


def standing_line(s: Screen, o: Outcome) -> str:
    """Baseline with the baseline's own gaps; once a scenario is applied, the scenario's gaps, labelled as its
    own (one caption, below the levers)."""
    b, r = o.baseline, o.result
    gaps = [s.tr("head.baseline_estimate" if s.estimate else "head.baseline", total=s.num(b.total), rank=f"{b.rank}/{b.of}", group=s.group_name(b.group),
                 official=s.tr(f"head.{total_kind(s.ds, s.year, s.province)}"))]  # a typed total is never "official"
    gaps += _gaps(s, b)
    if b.on_cutoffs:
        gaps.append(s.tr("head.on_cutoff"))
    line = " · ".join(gaps)
    if o.applied:
        scenario = _gaps(s, r) or [s.tr("head.top_group_first")]
        if r.on_cutoffs:
            scenario.append(s.tr("head.on_cutoff"))
        line += ". " + s.tr("head.scenario_gaps", gaps=" · ".join(scenario)) + "."
    return line


def cutoffs(s: Screen, o: Outcome) -> str:
    """The scenario's cut-offs, with how far above each one we are. No shortfall to a cut-off we are below:
    the cut-offs move as we move, so the only true figure is the standing line's "cần thêm"."""
    parts = []
    for g, c in enumerate(o.result.cutoffs.as_tuple(), start=1):
        if round(o.result.total - c, 4) > 0:
            key, size = gap(s, o.result.total, c)
            parts.append(s.tr(key, group=s.group_name(g).lower(), cut=s.num(c, 4), gap=size, province=plain(s.place)))
        else:
            parts.append(s.tr("head.cutoff_only", group=s.group_name(g).lower(), cut=s.num(c, 4)))
    return s.tr("head.cutoffs", cuts=" · ".join(parts)) + ". " + s.tr("head.cutoffs_moving")


def dropped_line(s: Screen, opened: list[str]) -> str:
    """Why an opened dimension's sub-dimension codes skip one ("Nội dung 5.2 (...) chỉ được khảo sát đến năm
    2020"); "" if none."""
    items = []
    for dim in opened:
        n = sum(i.parent == dim for i in s.ds.indicators(s.year, "subdimension"))  # the dimension's parts this year
        items += [s.tr("whatif.dropped_item", code=plain(code), name=plain(s.ds.indicator(code, last).name(s.lang)),
                       last=last, next=last + 1, dim=plain(dim), n=n) for code, last in dropped_subs(s.ds, s.year, dim)]
    return "".join(" " + item for item in items)
