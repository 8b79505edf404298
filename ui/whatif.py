"""The what-if workspace: sliders per dimension, live total, rank and group, comparative charts.

Laid out for one projector screen (1366x768): the headline, then the levers in two columns, then the
charts. Every element above a slider is drawn on every run, in the same order, with stable keys (texts
change, elements never appear or vanish), so a slider keeps keyboard focus across reruns: a presenter
can press an arrow key again and again.

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
from .common import dataset, formatter, lang, plain, plain_label, show_spec, units
from .exports import export_buttons
from .state import (on_number, on_sublevels, preset, reset_sliders, scale_text, scenario_from_state, slider_options,
                    source_label, weak_spots)
from .subs import sub_rows
from .whatif_text import Screen, cutoffs, flags, marks, movement, standing_line

# compact mode's one style rule (less empty header), read once from the repo: a constant, no user text in it
OPEN_PAUSE_S = 0.25  # after the first element of a page opened from elsewhere: the browser draws it, at the top
COMPACT_CSS = (Path(__file__).resolve().parent.parent / "assets" / "compact.css").read_text(encoding="utf-8")


def _headline(s: Screen, o: Outcome) -> None:
    b, r = o.baseline, o.result
    low, high = s.table.scale
    # on the 34-unit basis every figure is an estimate, and its label says so right above the number (beside
    # it, "(ước tính)" would be cut with an ellipsis at the metric's size); the longer labels take more room
    est = "_estimate" if s.estimate else ""
    widths = [1.3, 1.25, 2.2] if s.estimate else [1.25, 1, 2.4]  # the group's full name needs the room
    c1, c2, c3 = st.columns(widths, vertical_alignment="top")
    c1.metric(s.tr("head.total" + est), s.num(r.total), s.num(r.total - b.total, sign=True) if o.applied else None,
              help=s.tr("head.total_help_n", baseline=s.num(b.total, 4), n=len(s.table.dim_codes),
                        low=s.num(low, 0), high=s.num(high, 0)))
    c2.metric(s.tr("head.rank" + est), f"{r.rank}/{r.of}", (b.rank - r.rank) if o.applied else None,
              help=s.tr("head.rank_help", baseline=f"{b.rank}/{b.of}"))
    c3.metric(s.tr("head.group" + est), s.group_name(r.group),
              (s.tr("head.group_delta", before=s.group_name(b.group)) if r.group != b.group else None),
              delta_color="normal" if r.group < b.group else "inverse")
    st.markdown(movement(s, o))
    _presets(s)


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
    opened = [c for c in s.table.dim_codes if any(k.split(".")[0] == c for k in s.subs)]
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


def _subdimensions(s: Screen, code: str, label: str, base: float, o: Outcome) -> None:
    """A dimension opened into its sub-dimensions: its name, how its score follows them, one slider each."""
    ss, tr, num = st.session_state, s.tr, s.num
    st.markdown(f"**{plain(label)}**")
    st.caption(tr("slider.dim_from_subs", name=tr("level.dimension").capitalize(), before=num(base, 4),
                  after=num(o.result.dimensions[code], 4)))
    error = ss.get("num_error")
    for row in sub_rows(s.ds, o, code, s.lang):
        key = f"sub.{row.code}"
        ss.setdefault(key, row.baseline)
        low, high = scale_text(row.low, s.lang), scale_text(row.high, s.lang)
        line = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
        line.select_slider(plain_label(s.indicator(row.code)), slider_options(row.low, row.high, ss[key], row.baseline,
                           row.median, row.best), key=key, format_func=formatter(), width="stretch")
        # the same exact-value field as a dimension's, on the sub-dimension's own scale
        line.text_input(tr("slider.number"), key=f"num.{row.code}", on_change=on_number,
                        args=(row.code, row.low, row.high), label_visibility="collapsed",
                        help=tr("slider.number_help", low=low, high=high), width=84, placeholder=num(ss[key]))
        if error and error[0] == row.code:
            st.caption(":red[⛔ " + error[1] + "]")
            continue
        flag = f" · **{tr('slider.bottom_quartile')}**" if row.bottom_quartile else ""
        st.caption(tr("slider.marks_sub", baseline=num(row.baseline), median=num(row.median), best=num(row.best),
                      best_province=plain_label(s.label(row.best_province)), rank=row.rank, of=row.of,
                      group=s.group_name(row.group).lower()) + flag)


def _dimension(s: Screen, j: int, code: str, o: Outcome, compact: bool, unusual: tuple[dict, ...]) -> None:
    ss, tr, num = st.session_state, s.tr, s.num
    base = float(s.table.dims[s.table.index(s.province), j])
    name = s.indicator(code)
    label = name + (f" · {tr('slider.weak')}" if code in s.weak else "")
    if ss.get(f"sublevel.{code}") and any(k.split(".")[0] == code for k in s.subs):
        _subdimensions(s, code, label, base, o)
        return
    key = f"dim.{code}"
    ss.setdefault(key, base)
    stats = s.stats[code]
    error = ss.get("num_error")
    line = marks(s, code, base, o, unusual, error[1] if error and error[0] == code else None)
    # one horizontal block (not three column blocks): fewer elements for the browser to redraw per move
    row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
    # exact options: current value, baseline, and the targets the presets set (median, best, baseline + 0.5)
    row.select_slider(plain_label(label), slider_options(1.0, 10.0, ss[key], base, stats.median, stats.best, base + 0.5),
                      key=key, format_func=formatter(),
                      help=tr("slider.help_n", name=plain_label(name), low=num(1, 0), high=num(10, 0)) + ("\n\n" + line if compact else ""),
                      width="stretch")
    row.text_input(tr("slider.number"), key=f"num.{code}", on_change=on_number, args=(code, 1.0, 10.0),
                   label_visibility="collapsed", help=tr("slider.number_help", low=num(1, 0), high=num(10, 0)),
                   width=84, placeholder=num(ss[key]))  # empty until typed in: never two-way bound to the slider
    if not compact:
        st.caption(line)
    else:  # compact: the figures go to the help, but a flag stays under its slider (one slot, always drawn)
        slot, shown = st.empty(), flags(s, code, o, unusual, error[1] if error and error[0] == code else None, short=True)
        if shown:
            slot.caption(" · ".join(shown))


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
    """Everything a slider move changes. Not an st.fragment: slider values set in a fragment rerun were
    lost on the next page switch (Streamlit 1.67), and the browser gained little from skipping the shell."""
    ss, tr = st.session_state, s.tr
    scenario = scenario_from_state(s.year, s.province)
    outcome = apply(s.ds, scenario)
    unusual = realism_warnings(history(), outcome)
    ss["scenario_moved"] = bool(scenario.changes)
    # a basis switch carries the scenario over as these deltas (ui.state.on_place_change)
    ss["scenario.deltas"] = tuple((a.code, round(a.after - a.before, 4)) for a in outcome.applied if a.after != a.before)

    # first on the page: where a scenario opened from another page came from (a slot drawn on every run)
    slot, named = st.empty(), source_label(scenario.changes)
    if named:
        slot.info(tr("whatif.source_line", source=plain(named)), icon=":material/input:")
    if ss.pop("whatif.opened", False):
        # Opened by another page's button (ui.state.follow_goto_whatif): the browser keeps that page's scroll
        # position unless it gets to draw the new page short once. Measured in Chromium (levers -> what-if):
        # without this pause 2 of 5 opened mid-page, with it 0 of 11. Only on that one run, never on a slider move.
        time.sleep(OPEN_PAUSE_S)
    st.markdown(f"#### {tr('whatif.title', province=plain(s.place), year=s.year)}")
    _headline(s, outcome)
    compact = bool(ss["whatif.compact"])
    if compact:
        st.html(COMPACT_CSS)  # a style-only block takes no room on the page
    codes = s.table.dim_codes
    columns = st.columns(2, gap="medium")
    half = (len(codes) + 1) // 2
    for j, code in enumerate(codes):
        with columns[j // half]:
            _dimension(s, j, code, outcome, compact, unusual)
    low, high = s.table.scale
    st.caption(standing_line(s, outcome))
    st.caption(tr("whatif.level_subs_n" if s.subs else "whatif.level_dims_n", n=len(codes), low=s.num(low, 0),
                  high=s.num(high, 0), source=tr("whatif.source_short")) + " " + tr("slider.legend_weak"))
    st.caption(cutoffs(s, outcome))
    st.caption(preset_legend(s))
    with st.container():
        for w in outcome.warnings:
            st.warning(warning_text(w, s.lang))

    show_spec(whatif_charts.spec("national", s.ds, outcome, s.lang))
    views = {"profile": tr("chart.profile.tab"), "waterfall": tr("chart.waterfall.tab"), "near": tr("chart.near.tab")}
    ss.setdefault("chart_view", "profile")
    st.segmented_control(tr("chart.more"), list(views), key="chart_view", format_func=views.get,
                         label_visibility="collapsed", required=True)
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
