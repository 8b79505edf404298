"""The what-if workspace: sliders per dimension, live total, rank and group, comparative charts."""
from __future__ import annotations

import json

import streamlit as st

from sim.compare import (
    FOCUS_DIMENSIONS,
    dimension_stats,
    weak_dimensions,
)
from sim.report import outcome_json, warning_text
from sim.scenario import Outcome, apply
from sim.uncertainty import realism_warnings
from charts import whatif as whatif_charts
from ui.cache import history
from ui.common import dataset, dim_name, formatter, group_name, lang, num, show_chart, tr
from ui.state import preset, reset_sliders, scenario_from_state, slider_options

ds = dataset()
ss = st.session_state
year, province = ss["year"], ss["province"]
table = ds.table(year)
stats = dimension_stats(ds, year)
weak = weak_dimensions(ds, year, province)
subs = table.subs.get(province, {})


def _names(provinces: tuple[str, ...], shown: int = 5) -> str:
    """The first few province names, then "and N more"."""
    text = ", ".join(ds.province(p).label(lang()) for p in provinces[:shown])
    return text + (tr("move.and_more", n=len(provinces) - shown) if len(provinces) > shown else "")


def _movement(o: Outcome) -> str:
    """The plain sentence under the headline: places, group, who we pass."""
    b, r = o.baseline, o.result
    parts = []
    if r.rank < b.rank:
        parts.append(tr("move.up", n=b.rank - r.rank))
    elif r.rank > b.rank:
        parts.append(tr("move.down", n=r.rank - b.rank))
    else:
        parts.append(tr("move.same_rank"))
    if r.group < b.group:
        parts.append(tr("move.group_up", group=group_name(r.group).lower()))
    elif r.group > b.group:
        parts.append(tr("move.group_down", group=group_name(r.group).lower()))
    else:
        parts.append(tr("move.group_same", group=group_name(r.group).lower()))
    if o.overtaken:
        parts.append(tr("move.overtakes", names=_names(o.overtaken[::-1])))
    if o.overtaken_by:
        parts.append(tr("move.overtaken_by", names=_names(o.overtaken_by)))
    return "; ".join(parts) + "."


def _headline(o: Outcome) -> None:
    b, r = o.baseline, o.result
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("head.total"), num(r.total), num(r.total - b.total, sign=True) if o.applied else None,
              help=tr("head.total_help", baseline=num(b.total, 4)))
    c2.metric(tr("head.rank"), f"{r.rank}/{r.of}", (b.rank - r.rank) if o.applied else None,
              help=tr("head.rank_help", baseline=f"{b.rank}/{b.of}"))
    c3.metric(tr("head.group"), group_name(r.group),
              (tr("head.group_delta", before=group_name(b.group)) if r.group != b.group else None),
              delta_color="normal" if r.group < b.group else "inverse")
    st.caption(tr("head.baseline", total=num(b.total), rank=f"{b.rank}/{b.of}", group=group_name(b.group),
                  official=tr("head.official") if b.total_official else tr("head.derived")))
    if o.applied:
        st.markdown(f"**{tr('head.scenario_says')}** " + _movement(o))
    gaps = []
    if r.next_up:
        gaps.append(tr("head.to_next_rank", points=num(r.to_next_rank), province=ds.province(r.next_up).label(lang())))
    if r.to_next_group is not None:
        gaps.append(tr("head.to_next_group", points=num(r.to_next_group), group=group_name(r.group - 1).lower()))
    if r.on_cutoffs:
        gaps.append(tr("head.on_cutoff"))
    if gaps:
        st.caption(" · ".join(gaps))
    st.caption(tr("head.cutoffs", cuts=" · ".join(
        tr("head.cutoff", group=group_name(g).lower(), cut=num(c, 4), gap=num(r.total - c, 2, sign=True))
        for g, c in enumerate(r.cutoffs.as_tuple(), start=1))))
    for w in o.warnings:
        st.warning(warning_text(w, lang()))


def _presets() -> None:
    st.markdown(f"**{tr('preset.title')}**")
    a, b = st.columns(2)
    a.button(tr("preset.focus"), key="btn.preset.focus", on_click=preset, args=("focus",), width="stretch",
             help=tr("preset.focus_help"))
    b.button(tr("preset.median"), key="btn.preset.median", on_click=preset, args=("median",), width="stretch",
             help=tr("preset.median_help"))
    c, d = st.columns([3, 2], vertical_alignment="bottom")
    names = {code: f"{code}. {dim_name(code, year)}" for code in table.dim_codes}
    c.selectbox(tr("preset.best_dim"), table.dim_codes, key="preset_best_code", format_func=names.get)
    d.button(tr("preset.best"), key="btn.preset.best", on_click=preset, args=("best",), width="stretch")
    st.button(tr("preset.reset"), key="btn.reset", on_click=reset_sliders, icon=":material/restart_alt:")


def _dimension_slider(j: int, code: str, o: Outcome) -> None:
    base = float(table.dims[table.index(province), j])
    s = stats[code]
    flags = (" ★" if code in FOCUS_DIMENSIONS else "") + (" ⚠" if code in weak else "")
    label = f"{code}. {dim_name(code, year)}{flags}"
    if subs and any(k.split(".")[0] == code for k in subs):
        st.toggle(tr("slider.sublevel"), key=f"sublevel.{code}", help=tr("slider.sublevel_help"))
    if ss.get(f"sublevel.{code}"):
        st.markdown(label)
        for sub_code in sorted(k for k in subs if k.split(".")[0] == code):
            ind = ds.indicator(sub_code, year)
            key = f"sub.{sub_code}"
            ss.setdefault(key, subs[sub_code])
            st.select_slider(f"{sub_code}. {ind.name(lang())}", slider_options(ind.scale_min, ind.scale_max,
                             ss[key], subs[sub_code]), key=key, format_func=formatter())
    else:
        key = f"dim.{code}"
        ss.setdefault(key, base)
        # exact options: current value, baseline, and the targets the presets set (median, best, baseline + 0.5)
        st.select_slider(label, slider_options(1.0, 10.0, ss[key], base, s.median, s.best, base + 0.5),
                         key=key, format_func=formatter(), help=tr("slider.help"))
    now = o.result.dimensions[code]
    for w in unusual:
        if w["code"] == code:
            st.caption(":warning: " + warning_text(w, lang()))
    st.caption(tr("slider.marks", baseline=num(base), median=num(s.median), best=num(s.best),
                  best_province=ds.province(s.best_province).label(lang()),
                  group=group_name(o.result.dimension_groups[code]).lower(),
                  change=num(now - base, sign=True)))


def _charts(o: Outcome) -> None:
    show_chart(whatif_charts.national(ds, o, lang()))
    views = {"profile": tr("chart.profile.tab"), "waterfall": tr("chart.waterfall.tab"), "near": tr("chart.near.tab")}
    ss.setdefault("chart_view", "profile")
    view = st.segmented_control(tr("chart.more"), list(views), key="chart_view", format_func=views.get,
                                label_visibility="collapsed", required=True)
    show_chart(whatif_charts.CHARTS[view](ds, o, lang()))


st.markdown(f"### {tr('whatif.title', province=ds.province(province).label(lang()), year=year)}")
st.caption(tr("whatif.level_subs" if subs else "whatif.level_dims", source=tr("whatif.source_short")))
outcome = apply(ds, scenario_from_state(year, province))
unusual = realism_warnings(history(), outcome)
_headline(outcome)
left, right = st.columns([2, 3], gap="large")
with left:
    _presets()
    st.caption(tr("slider.legend"))
    for j, code in enumerate(table.dim_codes):
        _dimension_slider(j, code, outcome)
with right:
    _charts(outcome)
st.download_button(tr("whatif.export"), json.dumps(outcome_json(ds, outcome, lang()), ensure_ascii=False, indent=2),
                   file_name=f"papi_whatif_{province.replace(' ', '_')}_{year}.json", mime="application/json",
                   key="btn.export", icon=":material/download:")
st.caption(tr("whatif.footer", source=ds.source(year, province, "total") or ds.source(year, province, "1")))
