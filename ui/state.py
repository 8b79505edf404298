"""Session state: defaults, query parameters, the scenario the sliders describe, and callbacks.

All state lives in ``st.session_state`` (one per browser session). Callbacks only set state;
the page scripts compute from it.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import streamlit as st

from sim import compare
from sim.compare import preset_best, preset_median
from sim.data import Dataset
from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, LANGS, fmt_num
from sim.names import find_province
from sim.scenario import Change, Scenario, apply, parse_decimal, ranked_table

from .common import dataset

DEFAULT_PROVINCE = "Son La"
SLIDER_STEP = 0.01
# Widget state that must outlive its page (Streamlit drops a widget's state on a run where it is not
# drawn) and a language switch (Streamlit keeps these widgets' state as the *shown* label, which the
# switch changes). Buttons are never re-set (Streamlit forbids it).
PERSISTENT_WIDGETS = ("lang", "year", "province", "dim.", "sub.", "sublevel.", "preset_best_code", "chart_view", "odds.",
                      "goal.", "levers.", "units", "hist.", "whatif.compact")
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
    """Year or province changed: sliders start again from the new baseline, and the user is told
    when that dropped a scenario."""
    ss = st.session_state
    moved = ss.pop("scenario_moved", False)  # set by the what-if page on each run
    if ss["province"] not in ranked_provinces(ss["year"]):
        ss["notices"] = [("notice.province_no_score", {"value": ss["province"], "year": ss["year"]})]
        ss["province"] = DEFAULT_PROVINCE if DEFAULT_PROVINCE in ranked_provinces(ss["year"]) \
            else ranked_provinces(ss["year"])[0]
    reset_sliders()
    reset_goal_limits()
    if moved:
        ss["notices"] = [*ss.get("notices", []), ("notice.scenario_reset", {
            "province": dataset().province(ss["province"]).label(ss.get("lang", DEFAULT_LANG)), "year": ss["year"]})]


def reset_sliders() -> None:
    for key in [k for k in st.session_state if k.startswith(("dim.", "sub.", "sublevel", "num."))]:
        del st.session_state[key]
    st.session_state.pop("num_error", None)


def reset_goal_limits() -> None:
    """Caps and weights are per province and year: their defaults are filled in again."""
    for key in [k for k in st.session_state if k.startswith(("goal.cap.", "goal.weight."))]:
        del st.session_state[key]


def apply_plan(ends: tuple[tuple[str, float], ...]) -> None:
    """Callback of "apply to the sliders": set the sliders to a goal plan, then go to the workspace."""
    load_changes(tuple(Change(code, value, "target") for code, value in ends))
    st.session_state["goto_whatif"] = True


@lru_cache(maxsize=64)
def _grid(low: float, high: float) -> tuple[float, ...]:
    """The 0.01 grid over a scale (the same for every slider of that scale: built once)."""
    steps = np.arange(round(low / SLIDER_STEP), round(high / SLIDER_STEP) + 1) * SLIDER_STEP
    return tuple(g for g in np.round(steps, 2).tolist() if low - 1e-9 <= g <= high + 1e-9)


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
    out = [g for g in _grid(low, high) if g not in by_label]
    out.extend(by_label.values())
    out.sort()
    return out


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


def weak_spots(year: int, province: str) -> tuple[str, ...]:
    """The chosen province's weak dimensions, worst first (sim.compare.weak_spots on the session's data)."""
    return _weak_spots(dataset(), year, province)


@lru_cache(maxsize=256)
def _weak_spots(ds: Dataset, year: int, province: str) -> tuple[str, ...]:
    """Cached per dataset object (a session's added editions or basis make another one)."""
    return compare.weak_spots(ds, year, province)


def preset(kind: str) -> None:
    """Callback for the preset buttons."""
    ss, ds = st.session_state, dataset()
    year, province = ss["year"], ss["province"]
    if kind == "focus":
        load_changes(compare.preset_focus(ds, year, province))
    elif kind == "plan":
        load_changes(compare.preset_plan(ds, year, province))
    elif kind == "median":
        load_changes(preset_median(ds, year, province))
    elif kind == "best":
        load_changes(preset_best(ds, year, province, ss["preset_best_code"]))


def on_number(code: str, low: float, high: float) -> None:
    """Callback of a dimension's number field: "4,5" and "4.5" set the slider; anything else (not a
    number, not finite, off the scale) leaves the slider and records a one-line notice for the page
    (the typed text stays, to be corrected)."""
    ss = st.session_state
    text = ss.get(f"num.{code}", "")
    lang = ss.get("lang", DEFAULT_LANG)
    try:
        try:
            value = parse_decimal(text)
        except InputError:
            raise InputError("input.not_a_number", value=text) from None
        if not math.isfinite(value) or not low - 1e-9 <= value <= high + 1e-9:
            raise InputError("input.out_of_scale", value=text.strip(), code=code, low=fmt_num(low, lang, 0),
                             high=fmt_num(high, lang, 0))
    except InputError as e:
        ss["num_error"] = (code, e.message(lang))
        return
    ss.pop("num_error", None)
    ss[f"dim.{code}"] = round(value, 4)
    # Emptied once applied: the slider shows the value and the field's placeholder repeats it. A field kept
    # in step with the slider would be sent back stale by a browser mid-rerun and undo a key press.
    ss[f"num.{code}"] = ""


def on_sublevels(codes: tuple[str, ...]) -> None:
    """The "open into sub-dimensions" control: each dimension whose state changed goes through on_sublevel."""
    ss = st.session_state
    chosen = set(ss.get("sublevels") or ())
    for code in codes:
        if (code in chosen) != bool(ss.get(f"sublevel.{code}")):
            ss[f"sublevel.{code}"] = code in chosen
            on_sublevel(code)


def on_sublevel(code: str) -> None:
    """The sub-dimension switch of a dimension: whatever it drops is said, never lost silently."""
    ss, ds = st.session_state, dataset()
    year, province = ss["year"], ss["province"]
    table = ds.table(year)
    lang = ss.get("lang", DEFAULT_LANG)
    base = float(table.dims[table.index(province), table.dim_codes.index(code)])
    if ss.get(f"sublevel.{code}"):  # switched on: a dimension-level change is dropped
        moved = ss.get(f"dim.{code}", base) - base
        ss.pop(f"dim.{code}", None)
        if abs(moved) > 1e-9:
            ss["notices"] = [*ss.get("notices", []), ("notice.sublevel_on", {
                "code": code, "change": fmt_num(moved, lang, 2, sign=True)})]
        return
    subs = table.subs.get(province, {})
    dropped = [k for k in list(ss) if isinstance(k, str) and k.startswith(f"sub.{code}.")]
    if any(abs(ss[k] - subs.get(k[4:], ss[k])) > 1e-9 for k in dropped):
        ss["notices"] = [*ss.get("notices", []), ("notice.sublevel_off", {"code": code, "value": fmt_num(base, lang)})]
    for k in dropped:
        del ss[k]
