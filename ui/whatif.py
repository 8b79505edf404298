"""The what-if workspace: the lever panel (headline and one lever per dimension, ui/lever_panel.py), the
sentences that follow it, comparative charts.

Laid out for one projector screen (1366x768): the quick scenarios, then the panel, then the charts. The panel
follows a key press in the browser and is never rebuilt by a rerun (it stays at the same place with the same
key), so a lever keeps keyboard focus: a presenter can press an arrow key again and again.

A module, not the page script itself: views/whatif.py only calls ``render()``, so a rerun runs already
compiled code (Streamlit's test runner compiles a page script on every run).
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import streamlit as st

from charts import whatif as whatif_charts
from sim.compare import PLAN_PROVINCE
from sim.report import outcome_json, warning_text
from sim.scenario import NamedScenario, Outcome, apply
from sim.sources import citation
from sim.realism import realism_warnings
from sim.units import BASES

from .cache import history
from .common import dataset, lang, plain, show_spec, units
from .exports import export_buttons
from . import lever_panel
from .lever_panel import take_moves
from .sliders import is_open, on_sublevels, preset, reset_sliders, scenario_from_state, source_label
from .state import kept, weak_spots
from .url import sync_query_params
from .whatif_text import Screen, cutoffs, dropped_line, movement, standing_line

# compact mode's one style rule (less empty header), read once from the repo: a constant, no user text in it
OPEN_PAUSE_S = 0.25  # after the first element of a page opened from elsewhere: the browser draws it, at the top
SHOWN_SOURCE = "whatif.shown_source"  # the source line the shell drew on the last full run
COMPACT_CSS = (Path(__file__).resolve().parent.parent / "assets" / "compact.css").read_text(encoding="utf-8")


def _presets(s: Screen) -> None:
    """Quick scenarios in one row that wraps (never cut): short labels, explained in a caption under the
    levers (preset_legend). No help tooltips: a page opened from another page's button (goal -> "apply")
    finds the pointer over this row, and a tooltip would cover the sentence under the headline."""
    ss, tr = st.session_state, s.tr
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    row.button(tr("preset.weak"), key="btn.preset.focus", on_click=preset, args=("focus",))
    row.button(tr("preset.median_short"), key="btn.preset.median", on_click=preset, args=("median",))
    with row.popover(tr("preset.best_short")):
        names = {code: s.indicator(code) for code in s.table.dim_codes}
        st.selectbox(tr("preset.best_dim"), s.table.dim_codes, key="preset_best_code", format_func=names.get)
        st.button(tr("preset.best"), key="btn.preset.best", on_click=preset, args=("best",), width="stretch")
    if s.province == PLAN_PROVINCE:  # Sơn La's own plan areas, a named preset for that province only
        row.button(tr("preset.plan", province=plain(s.place)), key="btn.preset.plan", on_click=preset, args=("plan",))
    row.button(tr("preset.reset_short"), key="btn.reset", on_click=reset_sliders, icon=":material/restart_alt:")

    row = st.container(horizontal=True, gap="medium", vertical_alignment="center")
    opened = [c for c in s.table.dim_codes if any(s.ds.parent(k) == c for k in s.subs)]
    if opened:  # one control opens any dimension into its sub-dimensions (one element, not one per dimension)
        ss["sublevels"] = [c for c in opened if ss.get(f"sublevel.{c}")]
        row.markdown(tr("slider.open_subs"), width="content")
        row.pills(tr("slider.open_subs"), opened, key="sublevels", selection_mode="multi", on_change=on_sublevels,
                  args=(tuple(opened),), help=tr("slider.open_subs_help"), label_visibility="collapsed")
    ss.setdefault("whatif.compact", False)
    row.toggle(tr("whatif.compact"), key="whatif.compact", help=tr("whatif.compact_help"))


def preset_legend(s: Screen) -> str:
    """What each quick scenario does (the buttons carry no tooltips)."""
    weak_names = ", ".join(s.indicator(c) for c in s.weak) or "–"
    plan = " " + s.tr("preset.plan_help", province=s.place) if s.province == PLAN_PROVINCE else ""
    return plain(s.tr("preset.legend", weak=s.tr("preset.weak_help", province=s.place, names=weak_names), plan=plan))


def _json_file(s: Screen, outcome: Outcome, unusual: tuple[dict, ...]):
    """The scenario as the CLI's JSON, built only when the button is clicked (never on a slider move), with
    the realism warnings the screen shows. Captures plain values: it runs outside the script run."""
    ds, language = s.ds, s.lang

    def build() -> str:
        doc = outcome_json(ds, outcome, language)
        doc["warnings"] += [dict(w, message=warning_text(w, language)) for w in unusual]
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return build


def _workspace(s: Screen) -> None:
    """The page's shell (where the scenario came from, the title, the quick scenarios), then ``_live``: what a
    lever move changes. The shell is drawn on a full run only; a move reruns ``_live`` alone."""
    ss, tr = st.session_state, s.tr
    # first on the page: where a scenario opened from another page came from (a slot drawn on every run)
    slot, named = st.empty(), source_label(scenario_from_state(s.year, s.province).changes)
    ss[SHOWN_SOURCE] = named
    if named:
        slot.info(tr("whatif.source_line", source=plain(named)), icon=":material/input:")
    if ss.pop("whatif.opened", False):
        # Opened by another page's button (ui.state.follow_goto_whatif): the browser keeps that page's scroll
        # position unless it gets to draw the new page short once. Measured in Chromium (levers -> what-if):
        # without this pause 2 of 5 opened mid-page, with it 0 of 11. Only on that one run, never on a slider move.
        time.sleep(OPEN_PAUSE_S)
    st.markdown(f"#### {tr('whatif.title', province=plain(s.place), year=s.year)}")
    _presets(s)
    compact = bool(ss["whatif.compact"])
    if compact:
        st.html(COMPACT_CSS)  # a style-only block takes no room on the page
    _live(s, compact)


@st.fragment
def _live(s: Screen, compact: bool) -> None:
    """Everything a lever move changes: the panel, the sentences under it, the charts, the exports. A fragment,
    so the panel's move reruns this part only (Python runs less and sends fewer elements; the sidebar, the
    title and the quick scenarios stay as drawn). Presets, the sub-dimension control, the compact switch and the
    sidebar sit outside it: they rerun the whole page."""
    ss, tr = st.session_state, s.tr
    take_moves()  # a fragment rerun skips app.py: the move and the URL are taken here (on a full run: no-ops)
    sync_query_params()
    scenario = scenario_from_state(s.year, s.province)
    if source_label(scenario.changes) != ss.get(SHOWN_SOURCE):
        st.rerun()  # the line naming the scenario's source is in the shell: the first move after it redraws all
    outcome = apply(s.ds, scenario)
    unusual = realism_warnings(history(), outcome)
    ss["scenario_moved"] = bool(scenario.changes)
    # a basis switch carries the scenario over as these deltas (ui.state.on_place_change)
    ss["scenario.deltas"] = tuple((a.code, round(a.after - a.before, 4)) for a in outcome.applied if a.after != a.before)
    lever_panel.draw(s, outcome, unusual, compact)
    st.markdown(movement(s, outcome))
    low, high = s.table.scale
    st.caption(standing_line(s, outcome))
    st.caption(tr("whatif.level_subs_n" if s.subs else "whatif.level_dims_n", n=len(s.table.dim_codes), low=s.num(low, 0),
                  high=s.num(high, 0), source=tr("whatif.source_short")) + " " + tr("slider.legend_weak")
               + dropped_line(s, [c for c in s.table.dim_codes if is_open(c)]))
    st.caption(cutoffs(s, outcome))
    st.caption(preset_legend(s))
    with st.container():
        for w in outcome.warnings:
            st.warning(warning_text(w, s.lang))

    show_spec(whatif_charts.spec("national", s.ds, outcome, s.lang))
    views = {"profile": tr("chart.profile.tab"), "waterfall": tr("chart.waterfall.tab"), "near": tr("chart.near.tab")}
    st.segmented_control(tr("chart.more"), list(views), key="chart_view", format_func=views.get,
                         label_visibility="collapsed", required=True, on_change=kept("chart_view", "profile"))
    show_spec(whatif_charts.spec(ss["chart_view"], s.ds, outcome, s.lang))

    row = st.container(horizontal=True, gap="small")
    row.download_button(tr("whatif.export"), _json_file(s, outcome, unusual),
                        file_name=f"papi_whatif_{s.province.replace(' ', '_')}_{s.year}.json", mime="application/json",
                        key="btn.export", on_click="ignore", icon=":material/download:")
    export_buttons([NamedScenario(tr("whatif.export_name"), outcome.scenario)], key_prefix="whatif.", row=row,
                   nameable=True)


def render() -> None:
    """The what-if page for the session's province, year and language."""
    ss = st.session_state
    year, province = ss["year"], ss["province"]
    ds = dataset()
    s = Screen(ds, lang(), year, province, weak_spots(year, province), estimate=units() == BASES[1])
    _workspace(s)
    # the official dataset in the user's language (data/citations.csv), as text, never a link
    st.caption(s.tr("whatif.footer", source=plain(citation(ds, year, province, s.lang))))
