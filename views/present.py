"""Presenter view: one scenario's story in six steps, one screen each (sim.story, worded by sim.story_text).

The scenario is the what-if page's (its sliders, or a link's ``s=``) or one saved in the open workshop. A
presenter's clicker sends PageDown / PageUp: a small key listener (st.components.v2, no network, no markup
from data) turns those and the arrow keys into a trigger; the buttons do the same. The step lives in session
state, so a rerun keeps it."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from sim.errors import SimError
from sim.scenario import NamedScenario
from sim.story import STEPS
from sim.story_text import story_steps
from charts.story import group_chance_chart, trend_chart
from ui.cache import story
from ui.common import dataset, lang, plain, show_chart, tr
from ui.sliders import SOURCE, scenario_from_state
from ui.workshop import store

ss = st.session_state
ds = dataset()
STEP = "present.step"
WHATIF = "whatif"

_KEYS_JS = (Path(__file__).parent.parent / "assets" / "present_keys.js").read_text(encoding="utf-8")
_keys = st.components.v2.component("papi_present_keys", js=_KEYS_JS)


def _move(by: int) -> None:
    """Callback: one step forward or back, within the six."""
    ss[STEP] = min(max(int(ss.get(STEP, 0)) + by, 0), len(STEPS) - 1)


def _on_key() -> None:
    """Callback: the step the presenter's keys lead to (browser input: a whole step in range, or nothing)."""
    goto = (ss.get("present.keys") or {}).get("goto")
    step = goto.get("step") if isinstance(goto, dict) else None
    if type(step) is int and 0 <= step < len(STEPS):
        ss[STEP] = step


def _saved() -> dict[str, NamedScenario]:
    """The open workshop's scenarios by name (none without a workshop; a store fault is one line)."""
    code = ss.get("workshop")
    if not code:
        return {}
    try:
        return {s.name: s.named for s in store().list(code)}
    except SimError as e:
        st.warning(plain(e.message(lang())))
        return {}


def _whatif_named() -> NamedScenario:
    source = ss.get(SOURCE)
    name = source[0] if source else tr("present.whatif_name")
    return NamedScenario(name, scenario_from_state(ss["year"], ss["province"]))


saved = _saved()
options = [WHATIF, *saved]
if "present.source" not in ss and st.query_params.get("scenario") in saved:
    ss["present.source"] = st.query_params["scenario"]  # a bookmark names a saved scenario (compared, never shown)
if ss.get("present.source") not in options:
    ss["present.source"] = WHATIF
ss.setdefault(STEP, 0)
_keys(key="present.keys", data={"step": int(ss[STEP]), "last": len(STEPS) - 1}, on_goto_change=_on_key)

top = st.container(horizontal=True, vertical_alignment="center", gap="small")
labels = {v: tr("present.source_whatif") if v == WHATIF else v for v in options}  # bound now: formatted outside the run
top.selectbox(tr("present.source"), options, key="present.source", label_visibility="collapsed", width=320,
              format_func=labels.get)
top.button(tr("present.prev"), key="present.btn.prev", on_click=_move, args=(-1,), icon=":material/arrow_back:",
           disabled=ss[STEP] == 0)
top.button(tr("present.next"), key="present.btn.next", on_click=_move, args=(1,), icon=":material/arrow_forward:",
           disabled=ss[STEP] == len(STEPS) - 1)
top.caption(tr("present.keys_hint"))

named = _whatif_named() if ss["present.source"] == WHATIF else saved[ss["present.source"]]
try:
    s = story(named)
except SimError as e:  # a saved scenario the current data refuses: one line, in the user's language
    st.warning(plain(e.message(lang())))
    st.stop()
k = int(ss[STEP])
step = story_steps(ds, s, lang())[k]

head = st.container(horizontal=True, vertical_alignment="bottom")
head.markdown(f"**{plain(s.name)}**", width="stretch")
head.caption(tr("present.step_of", k=k + 1, n=len(STEPS)), width="content")
st.markdown(f"## {plain(step.title)}")
st.markdown(f"### {plain(step.headline)}")
body, side = st.columns([3, 2]) if step.key in ("where", "odds") else (st.container(), None)
with body:
    for line in step.lines:
        st.markdown(plain(line))
if side is not None:
    with side:
        if step.key == "where" and len(s.trend) > 1:
            show_chart(trend_chart(s.trend, lang(), {"x": tr("hist.year"), "y": tr("chart.total"),
                                                    "rank": tr("chart.rank")}))
        elif step.key == "odds" and s.odds is not None:
            show_chart(group_chance_chart(s.odds.p_group, lang(), {"y": tr("odds.prob"), "group": tr("chart.group"),
                                                                   "title": tr("present.chart.groups")}))
