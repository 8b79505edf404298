"""The what-if workspace: sliders per dimension, live total, rank and group, comparative charts.

Laid out for one projector screen (1366x768): the headline, then the levers in two columns, then the
charts. Every element above a slider is drawn on every run, in the same order, with stable keys (texts
change, elements never appear or vanish), so a slider keeps keyboard focus across reruns: a presenter
can press an arrow key again and again.
"""
from __future__ import annotations

import json

import streamlit as st

from charts import whatif as whatif_charts
from sim.compare import PLAN_PROVINCE, dimension_stats
from sim.i18n import fmt_num, t
from sim.ranking import MARGIN
from sim.report import outcome_json, warning_text
from sim.scenario import NamedScenario, Outcome, apply
from sim.uncertainty import realism_warnings
from ui.cache import history
from ui.common import dataset, formatter, lang, plain, show_spec
from ui.exports import export_buttons
from ui.state import (
    on_number,
    on_sublevels,
    preset,
    reset_sliders,
    scenario_from_state,
    slider_options,
    weak_spots,
)
from ui.subs import sub_rows

ds = dataset()
ss = st.session_state
LANG = lang()  # read once: every session-state read costs microseconds, and a run formats hundreds of texts


def tr(key: str, **params: object) -> str:
    return t(key, LANG, **params)


def num(value: float | None, dp: int = 2, sign: bool = False) -> str:
    return fmt_num(value, LANG, dp, sign)


def group_name(group: int) -> str:
    return t(f"group.{group}", LANG)


def dim_name(code: str, year: int) -> str:
    return ds.indicator(code, year).name(LANG)


year, province = ss["year"], ss["province"]
table = ds.table(year)
stats = dimension_stats(ds, year)
weak = weak_spots(year, province)
subs = table.subs.get(province, {})
n_dims = len(table.dim_codes)
low, high = table.scale
place = ds.province(province).label(LANG)


def _names(provinces: tuple[str, ...], shown: int = 5) -> str:
    """The first few province names, then "and N more"."""
    text = ", ".join(plain(ds.province(p).label(LANG)) for p in provinces[:shown])  # data text, never markup
    return text + (tr("move.and_more", n=len(provinces) - shown) if len(provinces) > shown else "")


def _movement(o: Outcome) -> str:
    """The plain sentence under the headline: places, group, who we pass."""
    b, r = o.baseline, o.result
    if not o.applied:
        return tr("move.none")
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
    return f"**{tr('head.scenario_says')}** " + "; ".join(parts) + "."


def _gap(total: float, cut: float) -> tuple[str, str]:
    """The text key and size of the distance to a cut-off: "vượt 0,42" or "còn thiếu 0,13", never "-0,00"."""
    gap = round(total - cut, 4)
    if gap > 0:
        return "head.cutoff_above", num(gap, 4 if gap < 0.005 else 2)
    short = round(MARGIN - gap, 4)  # a group is entered strictly above its cut-off, at the data's precision
    return "head.cutoff_below", num(short, 4 if short < 0.005 else 2)


def _headline(o: Outcome) -> None:
    b, r = o.baseline, o.result
    # one horizontal block, not three columns: every element is redrawn on each move, blocks cost most
    row = st.container(horizontal=True, gap="medium", vertical_alignment="top")
    row.metric(tr("head.total"), num(r.total), num(r.total - b.total, sign=True) if o.applied else None,
              help=tr("head.total_help_n", baseline=num(b.total, 4), n=n_dims, low=num(low, 0), high=num(high, 0)),
               width=270)
    row.metric(tr("head.rank"), f"{r.rank}/{r.of}", (b.rank - r.rank) if o.applied else None,
              help=tr("head.rank_help", baseline=f"{b.rank}/{b.of}"), width=210)
    row.metric(tr("head.group"), group_name(r.group),
              (tr("head.group_delta", before=group_name(b.group)) if r.group != b.group else None),
              delta_color="normal" if r.group < b.group else "inverse")
    st.markdown(_movement(o))
    _presets()


def _standing_line(o: Outcome) -> str:
    """Baseline, and the points to the next place and the next group (one caption, below the levers)."""
    b, r = o.baseline, o.result
    gaps = [tr("head.baseline", total=num(b.total), rank=f"{b.rank}/{b.of}", group=group_name(b.group),
               official=tr("head.official") if b.total_official else tr("head.derived"))]
    if r.next_up:
        gaps.append(tr("head.to_next_rank", points=num(r.to_next_rank), province=ds.province(r.next_up).label(LANG)))
    if r.to_next_group is not None:
        gaps.append(tr("head.to_next_group", points=num(r.to_next_group), group=group_name(r.group - 1).lower()))
    if r.on_cutoffs:
        gaps.append(tr("head.on_cutoff"))
    return " · ".join(gaps)


def _cutoffs(o: Outcome) -> str:
    parts = []
    for g, c in enumerate(o.result.cutoffs.as_tuple(), start=1):
        key, gap = _gap(o.result.total, c)
        parts.append(tr(key, group=group_name(g).lower(), cut=num(c, 4), gap=gap))
    return tr("head.cutoffs", cuts=" · ".join(parts))


def _presets() -> None:
    """Quick scenarios in one row that wraps (never cut): short labels, the full explanation in help."""
    weak_names = ", ".join(f"{c}. {dim_name(c, year)}" for c in weak) or "–"
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    row.button(tr("preset.weak"), key="btn.preset.focus", on_click=preset, args=("focus",),
               help=tr("preset.weak_help", province=place, names=weak_names))
    row.button(tr("preset.median_short"), key="btn.preset.median", on_click=preset, args=("median",),
               help=tr("preset.median_help"))
    with row.popover(tr("preset.best_short")):
        names = {code: f"{code}. {dim_name(code, year)}" for code in table.dim_codes}
        st.selectbox(tr("preset.best_dim"), table.dim_codes, key="preset_best_code", format_func=names.get)
        st.button(tr("preset.best"), key="btn.preset.best", on_click=preset, args=("best",), width="stretch")
    if province == PLAN_PROVINCE:  # Sơn La's own plan areas, a named preset for that province only
        row.button(tr("preset.plan"), key="btn.preset.plan", on_click=preset, args=("plan",), help=tr("preset.plan_help"))
    row.button(tr("preset.reset_short"), key="btn.reset", on_click=reset_sliders, icon=":material/restart_alt:",
               help=tr("preset.reset"))

    row = st.container(horizontal=True, gap="medium", vertical_alignment="center")
    opened = [c for c in table.dim_codes if any(k.split(".")[0] == c for k in subs)]
    if opened:  # one control opens any dimension into its sub-dimensions (one element, not one per dimension)
        ss["sublevels"] = [c for c in opened if ss.get(f"sublevel.{c}")]
        row.markdown(tr("slider.open_subs"), width="content")
        row.pills(tr("slider.open_subs"), opened, key="sublevels", selection_mode="multi", on_change=on_sublevels,
                  args=(tuple(opened),), help=tr("slider.open_subs_help"), label_visibility="collapsed")
    ss.setdefault("whatif.compact", False)
    row.toggle(tr("whatif.compact"), key="whatif.compact", help=tr("whatif.compact_help"))


def _marks(code: str, base: float, o: Outcome, unusual: tuple[dict, ...]) -> str:
    """The one line under a dimension slider: where it stands, and any flag (typo, past the best, unusual)."""
    s = stats[code]
    now = o.result.dimensions[code]
    error = ss.get("num_error")
    if error and error[0] == code:
        return ":red[⛔ " + error[1] + "]"
    parts = [tr("slider.marks_dim", baseline=num(base), median=num(s.median), best=num(s.best),
                best_province=ds.province(s.best_province).label(LANG),
                rank=o.result.dimension_ranks[code], of=o.result.of,
                group=group_name(o.result.dimension_groups[code]).lower())]
    if now > s.best + 1e-9:
        parts.insert(0, "**" + tr("slider.past_best", best=num(s.best), province=ds.province(s.best_province).label(LANG)) + "**")
    parts += [":orange[⚠ " + warning_text(w, LANG) + "]" for w in unusual if w["code"] == code]
    return " · ".join(parts)


def _dimension(j: int, code: str, o: Outcome, compact: bool, unusual: tuple[dict, ...]) -> None:
    base = float(table.dims[table.index(province), j])
    name = f"{code}. {dim_name(code, year)}"
    label = name + (f" · {tr('slider.weak')}" if code in weak else "")
    has_subs = any(k.split(".")[0] == code for k in subs)
    if has_subs and ss.get(f"sublevel.{code}"):
        st.markdown(f"**{plain(label)}**")
        st.caption(tr("slider.dim_from_subs", name=tr("level.dimension").capitalize(), before=num(base, 4),
                      after=num(o.result.dimensions[code], 4)))
        for row in sub_rows(ds, o, code, LANG):
            key = f"sub.{row.code}"
            ss.setdefault(key, row.baseline)
            st.select_slider(f"{row.code}. {row.name}", slider_options(row.low, row.high, ss[key], row.baseline,
                             row.median, row.best), key=key, format_func=formatter())
            flag = f" · **{tr('slider.bottom_quartile')}**" if row.bottom_quartile else ""
            st.caption(tr("slider.marks_sub", baseline=num(row.baseline), median=num(row.median), best=num(row.best),
                          best_province=ds.province(row.best_province).label(LANG), rank=row.rank, of=row.of,
                          group=group_name(row.group).lower()) + flag)
    else:
        key = f"dim.{code}"
        ss.setdefault(key, base)
        s = stats[code]
        marks = _marks(code, base, o, unusual)
        # one horizontal block (not three column blocks): fewer elements for the browser to redraw per move
        row = st.container(horizontal=True, vertical_alignment="bottom", gap="small")
        # exact options: current value, baseline, and the targets the presets set (median, best, baseline + 0.5)
        row.select_slider(label, slider_options(1.0, 10.0, ss[key], base, s.median, s.best, base + 0.5),
                        key=key, format_func=formatter(),
                        help=tr("slider.help_n", name=name, low=num(1, 0), high=num(10, 0)) + ("\n\n" + marks if compact else ""),
                        width="stretch")
        row.text_input(tr("slider.number"), key=f"num.{code}", on_change=on_number, args=(code, 1.0, 10.0),
                     label_visibility="collapsed", help=tr("slider.number_help", low=num(1, 0), high=num(10, 0)),
                     width=84, placeholder=num(ss[key]))  # empty until typed in: never two-way bound to the slider
        if not compact:
            st.caption(marks)


def _json_file(outcome: Outcome, unusual: tuple[dict, ...], language: str):
    """The scenario as the CLI's JSON, built only when the button is clicked (never on a slider move), with
    the realism warnings the screen shows. Captures plain values: it runs outside the script run."""
    def build() -> str:
        doc = outcome_json(ds, outcome, language)
        doc["warnings"] += [dict(w, message=warning_text(w, language)) for w in unusual]
        return json.dumps(doc, ensure_ascii=False, indent=2)
    return build


def workspace() -> None:
    """Everything a slider move changes. Not an st.fragment: slider values set in a fragment rerun were
    lost on the next page switch (Streamlit 1.67), and the browser gained little from skipping the shell."""
    scenario = scenario_from_state(year, province)
    outcome = apply(ds, scenario)
    unusual = realism_warnings(history(), outcome)
    ss["scenario_moved"] = bool(scenario.changes)

    st.markdown(f"#### {tr('whatif.title', province=plain(place), year=year)}")
    _headline(outcome)
    compact = bool(ss["whatif.compact"])
    columns = st.columns(2, gap="medium")
    half = (n_dims + 1) // 2
    for j, code in enumerate(table.dim_codes):
        with columns[j // half]:
            _dimension(j, code, outcome, compact, unusual)
    st.caption(_standing_line(outcome))
    st.caption(tr("whatif.level_subs_n" if subs else "whatif.level_dims_n", n=n_dims, low=num(low, 0),
                  high=num(high, 0), source=tr("whatif.source_short")) + " " + tr("slider.legend_weak"))
    st.caption(_cutoffs(outcome))
    with st.container():
        for w in outcome.warnings:
            st.warning(warning_text(w, LANG))

    show_spec(whatif_charts.spec("national", ds, outcome, LANG))
    views = {"profile": tr("chart.profile.tab"), "waterfall": tr("chart.waterfall.tab"), "near": tr("chart.near.tab")}
    ss.setdefault("chart_view", "profile")
    st.segmented_control(tr("chart.more"), list(views), key="chart_view", format_func=views.get,
                         label_visibility="collapsed", required=True)
    show_spec(whatif_charts.spec(ss["chart_view"], ds, outcome, LANG))

    row = st.container(horizontal=True, gap="small")
    row.download_button(tr("whatif.export"), _json_file(outcome, unusual, LANG),
                        file_name=f"papi_whatif_{province.replace(' ', '_')}_{year}.json", mime="application/json",
                        key="btn.export", on_click="ignore", icon=":material/download:")
    export_buttons([NamedScenario(tr("whatif.export_name"), outcome.scenario)], key_prefix="whatif.", row=row)


workspace()
st.caption(tr("whatif.footer", source=ds.source(year, province, "total") or ds.source(year, province, "1")))
