"""The lever table: every dimension and sub-dimension of the province, how far it can realistically move
in one year, and what that buys (total, rank, group; the lever's own national rank)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.levers import lever_chart
from sim.data import code_key
from sim.levers import STEP_KINDS
from sim.scenario import Change
from ui.cache import levers, weak_spots
from ui.common import dataset, framework_only, indicator_label, num, page_title, plain, show_chart, tr
from ui.sliders import load_changes
from ui.state import follow_goto_whatif, goto_whatif

ds = dataset()
ss = st.session_state
follow_goto_whatif()
year, province, label = page_title("levers.title")
framework_only(year, "levers.need_2018")
st.caption(tr("levers.intro"))

rows = levers(year, province)
weak = set(weak_spots(year, province)) | set(weak_spots(year, province, "subdimension"))
levels = {"all": tr("levers.level.all"), "dimension": tr("levers.level.dimension"),
          "subdimension": tr("levers.level.subdimension")}
steps = {kind: tr(f"levers.step.{kind}") for kind in STEP_KINDS}
ss.setdefault("levers.level", "all")
ss.setdefault("levers.step", "p75")
c1, c2 = st.columns(2)
level = c1.segmented_control(tr("levers.level"), list(levels), key="levers.level", format_func=levels.get, required=True)
kind = c2.segmented_control(tr("levers.step"), list(steps), key="levers.step", format_func=steps.get, required=True,
                            help=tr("levers.step_help"))
SORTS = {"gain": lambda r: (-r.rank_gain, -r.step, r.code), "weakest": lambda r: (-r.lever_rank_now, r.code),
         "room": lambda r: (-r.room_best, r.code), "code": lambda r: code_key(r.code)}
ss.setdefault("levers.sort", "gain")
sorts = {k: tr(f"levers.sort.{k}") for k in SORTS}  # labels made now: a widget may format later, outside the run
sort = st.selectbox(tr("levers.sort"), list(SORTS), key="levers.sort", format_func=sorts.get)
shown = sorted((r for r in rows if r.step_kind == kind and (level == "all" or r.level == level)), key=SORTS[sort])


def _name(code: str) -> str:
    return indicator_label(code, year) + (" ⚠" if code in weak else "")


table = pd.DataFrame({
    tr("levers.col.lever"): [_name(r.code) for r in shown],
    tr("levers.col.now"): [num(r.value, 2) for r in shown],
    tr("levers.col.step"): [num(r.step, 2, sign=True) for r in shown],
    tr("levers.col.room_best"): [num(r.room_best, 2) for r in shown],
    tr("levers.col.lever_ranks"): [f"{r.lever_rank_now} → {r.lever_rank}" for r in shown],
    tr("levers.col.total"): [num(r.total, 2) for r in shown],
    tr("levers.col.rank"): [r.rank for r in shown],
    tr("levers.col.gain"): [r.rank_gain for r in shown],
    tr("levers.col.group"): [tr(f"group_short.{r.group}") for r in shown],
    tr("levers.col.to_next_group"): [num(r.to_next_group, 2) if r.to_next_group is not None else tr("ws.top_group")
                                     for r in shown],
})
# what the columns mean comes first: under a 72-row table it was off the projector's screen
st.caption(tr("levers.columns_help"))
st.caption(tr("levers.legend"))
# a static table wraps long Vietnamese names instead of cutting them; the sort control above orders it.
# st.table renders its cells as Markdown, so every text cell and header goes through plain().
shown_table = table.map(lambda v: plain(v) if isinstance(v, str) else v).rename(columns=plain)
st.table(shown_table.set_index(plain(tr("levers.col.lever"))))

chart_df = pd.DataFrame({
    "label": [_name(r.code) for r in shown],
    "level": [r.level for r in shown],
    "level_label": [tr(f"levers.level.{r.level}") for r in shown],
    "rank_gain": [r.rank_gain for r in shown],
    "step_label": [num(r.step, 2, sign=True) for r in shown],
    "lever_move": [f"{r.lever_rank_now} → {r.lever_rank}" for r in shown],
    "bar_label": [tr("levers.bar", step=num(r.step, 2, sign=True), now=r.lever_rank_now, after=r.lever_rank)
                  for r in shown],
    "is_weak": [r.code in weak for r in shown],
})
show_chart(lever_chart(chart_df, {
    "title": tr("levers.chart.title", step=steps[kind]), "subtitle": tr("levers.chart.subtitle"),
    "x": tr("levers.chart.x"), "lever": tr("levers.col.lever"), "step": tr("levers.col.step"),
    "gain": tr("levers.col.gain"), "lever_rank": tr("levers.col.lever_ranks")}))

by_code = {r.code: r for r in shown}


def _try(code: str) -> None:
    """Callback: load this lever's step into the what-if sliders, then go there."""
    source = f"{tr('nav.levers')}: {names[code]} {num(by_code[code].step, 2, sign=True)}"
    load_changes((Change(code, by_code[code].step),), source=source)
    goto_whatif(source)


c3, c4 = st.columns([3, 2], vertical_alignment="bottom")
names = {code: _name(code) for code in by_code}
pick = c3.selectbox(tr("levers.pick"), list(by_code), key="levers.pick", format_func=names.get)
c4.button(tr("levers.try"), key="levers.btn.try", on_click=_try, args=(pick,), width="stretch",
          disabled=pick is None)
