"""Session state: defaults, query parameters, the scenario the sliders describe, and callbacks.

All state lives in ``st.session_state`` (one per browser session). Callbacks only set state;
the page scripts compute from it.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import streamlit as st

from formats.limits import PROVINCE_MAX
from formats.link import VERSION as EMPTY_LINK, from_link, to_link
from sim import compare
from sim.compare import preset_best, preset_median
from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, LANGS, fmt_num, t
from sim.names import find_province
from sim.scenario import Change, Scenario, apply, parse_decimal, ranked_table
from sim.spread import spread_change
from sim.units import BASES
from workshop.store import valid_code

from . import cache
from .common import dataset, tr, units

DEFAULT_PROVINCE = "Son La"
SLIDER_STEP = 0.01
# Widget state that must outlive its page (Streamlit drops a widget's state on a run where it is not
# drawn) and a language switch (Streamlit keeps these widgets' state as the *shown* label, which the
# switch changes). Buttons are never re-set (Streamlit forbids it).
PERSISTENT_WIDGETS = ("lang", "year", "province", "dim.", "sub.", "sublevel.", "preset_best_code", "chart_view", "odds.",
                      "goal.", "levers.", "units", "hist.", "ws.compare", "whatif.compact")
BUTTON_MARK = "btn."  # every button key contains it: "btn.reset", "odds.btn.export"
ECHO_MAX = 60  # characters of a bad URL value quoted back in a notice
SOURCE = "whatif.source"  # (label, link value): where the scenario on the sliders came from, while it is unchanged


def ranked_provinces(year: int) -> tuple[str, ...]:
    return ranked_table(dataset().table(year))[0]


def echo(value: str, lang: str) -> str:
    """A URL value to quote back in a notice: whole when short, else its start and how much is left out."""
    value = str(value)
    if len(value) <= ECHO_MAX:
        return value
    return t("notice.more_chars", lang, shown=value[:ECHO_MAX], n=len(value) - ECHO_MAX)


def _year_param(raw: str, ds, notices: list, lang: str) -> int:
    """``year``: four ASCII digits naming a year with data (``str.isdigit`` would take "²" and 5,000 digits)."""
    year = ds.years[-1]
    if re.fullmatch(r"[0-9]{4}", raw) and int(raw) in ds.years:
        return int(raw)
    notices.append(("notice.bad_year", {"value": echo(raw, lang), "default": year}))
    return year


def _province_param(raw: str, ds, year: int, notices: list, lang: str) -> str:
    try:
        if len(raw) > PROVINCE_MAX:
            raise InputError("notice.bad_province", value=raw)
        found = find_province(ds, raw)
    except InputError:
        notices.append(("notice.bad_province", {"value": echo(raw, lang)}))
        return DEFAULT_PROVINCE
    if found in ranked_provinces(year):
        return found
    notices.append(("notice.province_no_score", {"value": found, "year": year}))
    return DEFAULT_PROVINCE


def _scenario_param(raw: str, year: int, province: str, notices: list, lang: str) -> None:
    """``s``: the link value of a scenario (formats.link); loaded into the sliders once checked."""
    try:
        changes = from_link(raw)
        apply(dataset(), Scenario(year, province, changes))  # codes exist for this year and province
    except InputError as e:
        notices.append(("notice.bad_link", {"problem": e.message(lang)}))
        return
    load_changes(changes)


def _workshop_param(raw: str, notices: list, lang: str) -> str | None:
    """``w``: a workshop code that exists in the store; anything else: a notice and no workshop yet."""
    from .workshop import store  # the store opens its file only when a link names a workshop
    if not valid_code(raw):
        notices.append(("notice.bad_workshop", {"problem": t("workshop.bad_code", lang)}))
        return None
    try:
        found = store().exists(raw)
    except InputError as e:  # the store's file cannot be used: this page still opens, with the reason
        notices.append(("notice.bad_workshop", {"problem": e.message(lang)}))
        return None
    if not found:
        notices.append(("notice.bad_workshop", {"problem": t("workshop.unknown_code", lang)}))
        return None
    return raw


def init_session() -> None:
    """First run of a session: take language, year, province, scenario and workshop from the URL.

    An invalid parameter falls back to its default and leaves a notice for app.py to show (as plain
    text); the other parameters are still taken, and unknown parameters are left alone.
    """
    ss = st.session_state
    if "year" in ss:
        return
    qp = st.query_params
    notices: list[tuple[str, dict]] = []
    lang = qp.get("lang", DEFAULT_LANG)
    if lang not in LANGS:
        notices.append(("notice.bad_lang", {"value": echo(lang, DEFAULT_LANG)}))
        lang = DEFAULT_LANG
    if "units" in qp:  # the basis first: the year's and province's data depend on it
        if qp["units"] in BASES:
            ss["units"] = qp["units"]
        else:
            notices.append(("notice.bad_units", {"value": echo(qp["units"], lang)}))
    ds = dataset()
    year = _year_param(qp["year"], ds, notices, lang) if "year" in qp else ds.years[-1]
    province = _province_param(qp["province"], ds, year, notices, lang) if "province" in qp else DEFAULT_PROVINCE
    ss.update(lang=lang, year=year, province=province, notices=notices)
    if "s" in qp:
        _scenario_param(qp["s"], year, province, notices, lang)
    ss["workshop"] = _workshop_param(qp["w"], notices, lang) if "w" in qp else None


def sync_query_params() -> None:
    """Mirror the choice in the URL, so a view can be bookmarked or shared: place, language, the basis
    (``units``, absent on the default 63), the scenario the sliders describe (``s``, absent at the baseline)
    and the workshop (``w``). Also notes the view shown, so a basis switch knows what it switched from."""
    ss = st.session_state
    params = {"lang": ss["lang"], "year": str(ss["year"]), "province": ss["province"]}
    ss["view.shown"] = (units(), ss["year"], ss["province"])
    if units() != BASES[0]:
        params["units"] = units()
    link = to_link(scenario_from_state(ss["year"], ss["province"]).changes)
    if link != EMPTY_LINK:
        params["s"] = link
    if ss.get("workshop"):
        params["w"] = ss["workshop"]
    qp = st.query_params
    if any(qp.get(k) != v for k, v in params.items()):
        qp.update(params)
    for key in ("s", "w", "units"):
        if key in qp and key not in params:
            del qp[key]


def persist_widgets() -> None:
    """Run first on every page: re-set each persistent widget's value, so it survives both a page that
    does not draw it and a language switch."""
    ss = st.session_state
    for key in [k for k in ss if isinstance(k, str) and k.startswith(PERSISTENT_WIDGETS)]:
        if BUTTON_MARK not in key:
            ss[key] = ss[key]


def on_place_change() -> None:
    """Year, province or basis changed: sliders start again from the new baseline, and the user is told
    when that dropped a scenario, with the true reason. A basis switch that keeps the province and year
    (Sơn La is the same place on 63 and 34) keeps the scenario's changes instead."""
    ss = st.session_state
    moved = ss.pop("scenario_moved", False)  # set by the what-if page on each run
    deltas = ss.pop("scenario.deltas", ())  # the what-if page's changes, as deltas from its baseline
    shown = ss.get("view.shown")
    basis_changed = shown is not None and shown[0] != units()
    if ss["province"] not in ranked_provinces(ss["year"]):
        ss["notices"] = [("notice.province_no_score", {"value": ss["province"], "year": ss["year"]})]
        ss["province"] = DEFAULT_PROVINCE if DEFAULT_PROVINCE in ranked_provinces(ss["year"]) \
            else ranked_provinces(ss["year"])[0]
    reset_sliders()
    reset_goal_limits()
    if not moved:
        return
    lang = ss.get("lang", DEFAULT_LANG)
    place = {"province": dataset().province(ss["province"]).label(lang), "year": ss["year"],
             "basis": t(f"units.{units()}", lang)}
    if basis_changed and (shown[1], shown[2]) == (ss["year"], ss["province"]) and deltas:
        try:
            load_changes(tuple(Change(code, delta, "delta") for code, delta in deltas))
        except InputError:
            reset_sliders()
        else:
            ss["notices"] = [*ss.get("notices", []), ("notice.scenario_kept_basis", place)]
            return
    key = "notice.scenario_reset_basis" if basis_changed else "notice.scenario_reset"
    ss["notices"] = [*ss.get("notices", []), (key, place)]


def reset_sliders() -> None:
    for key in [k for k in st.session_state if k.startswith(("dim.", "sub.", "sublevel", "num."))]:
        del st.session_state[key]
    st.session_state.pop("num_error", None)
    st.session_state.pop(SOURCE, None)


def reset_goal_limits() -> None:
    """Caps and weights are per province and year: their defaults are filled in again."""
    for key in [k for k in st.session_state if k.startswith(("goal.cap.", "goal.weight."))]:
        del st.session_state[key]


def name_source(label: str) -> None:
    """Remember where the scenario now on the sliders came from; the what-if page names it while the
    sliders still describe that scenario."""
    ss = st.session_state
    ss[SOURCE] = (label, to_link(scenario_from_state(ss["year"], ss["province"]).changes))


def source_label(changes: tuple[Change, ...]) -> str | None:
    """The name of the scenario on the sliders, if it came from elsewhere and is unchanged since."""
    named = st.session_state.get(SOURCE)
    return named[0] if named and named[1] == to_link(changes) else None


def goto_whatif(source: str = "") -> None:
    """Callback helper: open the what-if page on the next run; ``source`` names the scenario there
    (default: the page it came from)."""
    if source:
        name_source(source)
    st.session_state["goto_whatif"] = True


def follow_goto_whatif() -> None:
    """Run first on a page whose callback asked to open the what-if page (a plan, a lever step, a peer's
    reach, a saved scenario): Streamlit cannot switch pages inside a callback. A scenario not yet named
    is named after this page."""
    ss = st.session_state
    if ss.pop("goto_whatif", False):
        if source_label(scenario_from_state(ss["year"], ss["province"]).changes) is None:
            name_source(tr("whatif.from_page", page=ss.get("page.title", "")))
        ss["whatif.opened"] = True
        st.switch_page("views/whatif.py")


def apply_plan(ends: tuple[tuple[str, float], ...], source: str = "") -> None:
    """Callback of "apply to the sliders": set the sliders to a goal plan, then go to the workspace."""
    load_changes(tuple(Change(code, value, "target") for code, value in ends))
    goto_whatif(source or tr("whatif.from_goal", page=tr("nav.goal")))


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


def load_changes(changes: tuple[Change, ...], source: str = "") -> None:
    """Callback: set the sliders from a list of changes (presets, goal plans, links, saved scenarios);
    ``source``, if given, names the scenario on the what-if page.

    A dimension change sets its ``dim.CODE`` slider; a sub-dimension change sets ``sub.CODE`` and turns on
    its dimension's ``sublevel.DIM`` toggle (the other sub-dimensions of that dimension start at baseline).
    """
    ss, ds = st.session_state, dataset()
    year, province = ss["year"], ss["province"]
    outcome = apply(ds, Scenario(year, province, changes))  # refuses unknown codes before anything moves
    reset_sliders()
    for a in outcome.applied:
        if a.level == "subdimension":
            ss[f"sublevel.{a.code.split('.')[0]}"] = True
            ss[f"sub.{a.code}"] = round(a.after, 4)
        else:
            ss[f"dim.{a.code}"] = round(a.after, 4)
    if source:
        name_source(source)


def weak_spots(year: int, province: str) -> tuple[str, ...]:
    """The chosen province's weak dimensions, worst first (sim.compare.weak_spots on the session's data; cached
    and bounded in ui/cache.py, keyed by basis and editions)."""
    return cache.weak_spots(year, province)


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


def load_saved(year: int, province: str, changes: tuple[Change, ...], name: str, source: str = "") -> None:
    """Callback of "load into the sliders": switch province and year if needed, set the sliders, go to the
    what-if page. A scenario that no longer fits the data leaves a notice and the sliders as they were."""
    ss = st.session_state
    if year not in dataset().years or province not in ranked_provinces(year):
        ss["ws.flash"] = [("warn", tr("input.no_data", province=province, year=year))]
        return
    before = {k: ss[k] for k in ss if isinstance(k, str) and k.startswith(("year", "province", "dim.", "sub.", "sublevel."))}
    ss["year"], ss["province"] = year, province
    try:
        load_changes(changes)
    except InputError as e:
        reset_sliders()
        ss.update(before)
        ss["ws.flash"] = [("warn", e.message(ss["lang"]))]
        return
    if (before["year"], before["province"]) != (year, province):
        reset_goal_limits()
    goto_whatif(source or tr("whatif.from_saved", name=name, page=tr("nav.workshop")))


def on_number(code: str, low: float, high: float) -> None:
    """Callback of a dimension's or sub-dimension's number field: "4,5" and "4.5" set the slider; anything
    else (not a number, not finite, off the scale) leaves the slider and records a one-line notice for the
    page (the typed text stays, to be corrected)."""
    ss = st.session_state
    text = ss.get(f"num.{code}", "")
    lang = ss.get("lang", DEFAULT_LANG)
    try:
        try:
            value = parse_decimal(text)
        except InputError:
            raise InputError("input.not_a_number", value=text) from None
        if not math.isfinite(value) or not low - 1e-9 <= value <= high + 1e-9:
            raise InputError("input.out_of_scale", value=text.strip(), code=code, low=scale_text(low, lang),
                             high=scale_text(high, lang))
    except InputError as e:
        ss["num_error"] = (code, e.message(lang))
        return
    ss.pop("num_error", None)
    ss[f"sub.{code}" if "." in code else f"dim.{code}"] = round(value, 4)
    # Emptied once applied: the slider shows the value and the field's placeholder repeats it. A field kept
    # in step with the slider would be sent back stale by a browser mid-rerun and undo a key press.
    ss[f"num.{code}"] = ""


def scale_text(value: float, lang: str) -> str:
    """A scale's end as written: "1", "10"; a sub-dimension's "0,25", "3,33"."""
    return fmt_num(value, lang, 0 if float(value).is_integer() else 2)


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
    if ss.get(f"sublevel.{code}"):  # switched on: the dimension's change is spread over its sub-dimensions
        moved = round(ss.get(f"dim.{code}", base) - base, 4)
        ss.pop(f"dim.{code}", None)
        if abs(moved) > 1e-9:
            own = {k: v for k, v in table.subs.get(province, {}).items() if k.split(".")[0] == code}
            inds = {k: ds.indicator(k, year) for k in own}
            spread = spread_change(own, {k: min(i.scale_min, own[k]) for k, i in inds.items()},
                                   {k: i.scale_max for k, i in inds.items()}, moved)
            for k, v in spread.values.items():
                ss[f"sub.{k}"] = v
            parts = ", ".join(f"{k}: {fmt_num(v - own[k], lang, 4, sign=True)}" for k, v in spread.values.items())
            notice = ("notice.sublevel_spread", {"code": code, "change": fmt_num(moved, lang, 2, sign=True), "parts": parts})
            if abs(spread.left_over) >= 1e-9:
                notice = ("notice.sublevel_spread_part", {**notice[1], "left": fmt_num(spread.left_over, lang, 4, sign=True)})
            ss["notices"] = [*ss.get("notices", []), notice]
        return
    subs = table.subs.get(province, {})
    dropped = [k for k in list(ss) if isinstance(k, str) and k.startswith(f"sub.{code}.")]
    if any(abs(ss[k] - subs.get(k[4:], ss[k])) > 1e-9 for k in dropped):
        ss["notices"] = [*ss.get("notices", []), ("notice.sublevel_off", {"code": code, "value": fmt_num(base, lang)})]
    for k in dropped:
        del ss[k]
