"""Session state: defaults, query parameters, the scenario the sliders describe, and callbacks.

All state lives in ``st.session_state`` (one per browser session). Callbacks only set state;
the page scripts compute from it.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from sim.compare import preset_best, preset_focus, preset_median
from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, LANGS
from sim.names import find_province
from sim.scenario import Change, Scenario, apply, ranked_table

from .common import dataset

DEFAULT_PROVINCE = "Son La"
SLIDER_STEP = 0.01
# Widget state that must outlive its page (Streamlit drops a widget's state on a run where it is not
# drawn) and a language switch (Streamlit keeps these widgets' state as the *shown* label, which the
# switch changes). Buttons are never re-set (Streamlit forbids it).
PERSISTENT_WIDGETS = ("lang", "year", "province", "dim.", "sub.", "sublevel.", "preset_best_code", "chart_view", "odds.",
                      "goal.", "levers.")
BUTTON_MARK = "btn."  # every button key contains it: "btn.reset", "odds.btn.export"


def ranked_provinces(year: int) -> tuple[str, ...]:
    return ranked_table(dataset().table(year))[0]


def init_session() -> None:
    """First run of a session: take language, year and province from the URL, or the defaults.

    An invalid parameter falls back to the default and leaves a notice for the page to show.
    """
    ss = st.session_state
    if "year" in ss:
        return
    ds = dataset()
    qp = st.query_params
    notices: list[tuple[str, dict]] = []
    lang = qp.get("lang", DEFAULT_LANG)
    if lang not in LANGS:
        notices.append(("notice.bad_lang", {"value": lang}))
        lang = DEFAULT_LANG
    year = ds.years[-1]
    if "year" in qp:
        raw = qp["year"]
        if raw.isdigit() and int(raw) in ds.years:
            year = int(raw)
        else:
            notices.append(("notice.bad_year", {"value": raw, "default": year}))
    province = DEFAULT_PROVINCE
    if "province" in qp:
        try:
            found = find_province(ds, qp["province"])
            if found in ranked_provinces(year):
                province = found
            else:
                notices.append(("notice.province_no_score", {"value": found, "year": year}))
        except InputError:
            notices.append(("notice.bad_province", {"value": qp["province"]}))
    ss.update(lang=lang, year=year, province=province, notices=notices)


def sync_query_params() -> None:
    """Mirror the choice in the URL, so a view can be bookmarked or shared."""
    ss = st.session_state
    st.query_params.update(lang=ss["lang"], year=str(ss["year"]), province=ss["province"])


def persist_widgets() -> None:
    """Run first on every page: re-set each persistent widget's value, so it survives both a page that
    does not draw it and a language switch."""
    ss = st.session_state
    for key in [k for k in ss if isinstance(k, str) and k.startswith(PERSISTENT_WIDGETS)]:
        if BUTTON_MARK not in key:
            ss[key] = ss[key]


def on_place_change() -> None:
    """Year or province changed: sliders start again from the new baseline."""
    ss = st.session_state
    if ss["province"] not in ranked_provinces(ss["year"]):
        ss["notices"] = [("notice.province_no_score", {"value": ss["province"], "year": ss["year"]})]
        ss["province"] = DEFAULT_PROVINCE if DEFAULT_PROVINCE in ranked_provinces(ss["year"]) \
            else ranked_provinces(ss["year"])[0]
    reset_sliders()
    reset_goal_limits()


def reset_sliders() -> None:
    for key in [k for k in st.session_state if k.startswith(("dim.", "sub.", "sublevel."))]:
        del st.session_state[key]


def reset_goal_limits() -> None:
    """Caps and weights are per province and year: their defaults are filled in again."""
    for key in [k for k in st.session_state if k.startswith(("goal.cap.", "goal.weight."))]:
        del st.session_state[key]


def apply_plan(ends: tuple[tuple[str, float], ...]) -> None:
    """Callback of "apply to the sliders": set the sliders to a goal plan, then go to the workspace."""
    load_changes(tuple(Change(code, value, "target") for code, value in ends))
    st.session_state["goto_whatif"] = True


def slider_options(low: float, high: float, *exact: float) -> list[float]:
    """A 0.01 grid over the scale plus exact values (current value first, then baseline, marks).

    Streamlit maps a slider's *shown label* back to its value, so two options that display alike
    (1.9061 and 1.91 both show as 1,91) would snap one onto the other: each label keeps one value,
    the earliest exact value winning over the grid.
    """
    by_label: dict[float, float] = {}
    for v in exact:
        if low - 1e-9 <= v <= high + 1e-9:
            by_label.setdefault(round(float(v), 2), round(float(v), 4))
    steps = np.arange(round(low / SLIDER_STEP), round(high / SLIDER_STEP) + 1) * SLIDER_STEP
    for g in np.round(steps, 2).tolist():
        if low - 1e-9 <= g <= high + 1e-9:
            by_label.setdefault(round(g, 2), g)
    return sorted(by_label.values())


def scenario_from_state(year: int, province: str) -> Scenario:
    """The changes the sliders describe: a target for each dimension or sub-dimension moved."""
    ss, ds = st.session_state, dataset()
    table = ds.table(year)
    base = table.dims[table.index(province)]
    subs = table.subs.get(province, {})
    changes = []
    for j, code in enumerate(table.dim_codes):
        if ss.get(f"sublevel.{code}"):
            for sub_code, value in sorted(subs.items()):
                if sub_code.split(".")[0] == code and abs(ss.get(f"sub.{sub_code}", value) - value) > 1e-9:
                    changes.append(Change(sub_code, float(ss[f"sub.{sub_code}"]), "target"))
        elif abs(ss.get(f"dim.{code}", base[j]) - base[j]) > 1e-9:
            changes.append(Change(code, float(ss[f"dim.{code}"]), "target"))
    return Scenario(year, province, tuple(changes))


def load_changes(changes: tuple[Change, ...]) -> None:
    """Callback: set the dimension sliders from a list of changes (presets, goal plans)."""
    ss, ds = st.session_state, dataset()
    year, province = ss["year"], ss["province"]
    reset_sliders()
    outcome = apply(ds, Scenario(year, province, changes))
    for a in outcome.applied:
        ss[f"dim.{a.code}"] = round(a.after, 4)


def preset(kind: str) -> None:
    """Callback for the preset buttons."""
    ss, ds = st.session_state, dataset()
    year, province = ss["year"], ss["province"]
    if kind == "focus":
        load_changes(preset_focus(ds, year, province))
    elif kind == "median":
        load_changes(preset_median(ds, year, province))
    elif kind == "best":
        load_changes(preset_best(ds, year, province, ss["preset_best_code"]))
