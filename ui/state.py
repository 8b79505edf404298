"""Session state that outlives a page: persistent widgets, the place (year, province, basis) and the
navigation between pages. The URL is ui/url.py; the levers and the scenario they describe are ui/sliders.py.

All state lives in ``st.session_state`` (one per browser session). Callbacks only record; the page scripts
act on it.
"""
from __future__ import annotations

import streamlit as st

from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, t
from sim.scenario import Change, ranked_table

from . import cache
from .common import dataset, tr, units
from .sliders import load_changes, name_source, reset_sliders, scenario_from_state, source_label

DEFAULT_PROVINCE = "Son La"
# Widget state that must outlive its page (Streamlit drops a widget's state on a run where it is not
# drawn) and a language switch (Streamlit keeps these widgets' state as the *shown* label, which the
# switch changes). Buttons are never re-set (Streamlit forbids it).
PERSISTENT_WIDGETS = ("lang", "year", "province", "dim.", "sub.", "sublevel.", "preset_best_code", "odds.",
                      "goal.", "levers.", "units", "hist.", "ws.compare", "whatif.compact")
BUTTON_MARK = "btn."  # every button key contains it: "btn.reset", "odds.btn.export"


def ranked_provinces(year: int) -> tuple[str, ...]:
    return ranked_table(dataset().table(year))[0]


KEPT = "kept."  # the plain copy of a widget drawn inside a fragment (ui.whatif's chart choice, the export name)


def kept(key: str, default: object):
    """For a widget inside an ``st.fragment``: hand it its value from a plain copy, and return the on_change
    callback that updates the copy. Streamlit drops the state of such a widget, once changed in a fragment
    run, when another page is opened (seen in Chromium; AppTest keeps it), which re-setting it in
    ``persist_widgets`` cannot undo: it is already gone when the next run starts."""
    ss = st.session_state
    ss.setdefault(KEPT + key, default)
    ss[key] = ss[KEPT + key]
    return lambda: ss.__setitem__(KEPT + key, ss[key])


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


def reset_goal_limits() -> None:
    """Caps and weights are per province and year: their defaults are filled in again."""
    for key in [k for k in st.session_state if k.startswith(("goal.cap.", "goal.weight."))]:
        del st.session_state[key]


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


def weak_spots(year: int, province: str) -> tuple[str, ...]:
    """The chosen province's weak dimensions, worst first (sim.compare.weak_spots on the session's data; cached
    and bounded in ui/cache.py, keyed by basis and editions)."""
    return cache.weak_spots(year, province)


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
