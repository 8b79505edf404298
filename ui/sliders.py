"""The levers' state: which session keys hold the scenario, and the scenario they describe.

A lever's value lives in ``st.session_state`` under ``dim_key(code)`` or ``sub_key(code)`` (a dimension
opened into its sub-dimensions has ``sublevel_key(code)`` on). The lever panel, the presets, a goal plan, a
link, a saved scenario all write there; ``scenario_from_state`` reads it back. Every write that does not come
from the panel's own move bumps ``REV``, so the panel takes Python's values instead of its own.
One pattern for input: a callback records (``record``), the script acts (``take``) before it draws.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import streamlit as st

from formats.link import to_link
from sim import compare
from sim.compare import preset_best, preset_median
from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, fmt_num
from sim.scenario import Change, Scenario, apply, parse_decimal
from sim.spread import spread_change

from .common import dataset

SLIDER_STEP = 0.01
SOURCE = "whatif.source"  # (label, link value): where the scenario on the levers came from, while it is unchanged
REV = "panel.rev"  # bumped by every write that is not the panel's own move
ERROR = "num_error"  # (code, one-line message) of a refused exact value
INBOX = "panel.inbox"  # what a callback recorded, for the script to act on


def dim_key(code: str) -> str:
    return f"dim.{code}"


def sub_key(code: str) -> str:
    return f"sub.{code}"


def sublevel_key(code: str) -> str:
    return f"sublevel.{code}"


def lever_key(code: str) -> str:
    """The key of a dimension's or a sub-dimension's value."""
    return sub_key(code) if dataset().level(code) == "subdimension" else dim_key(code)  # structure.csv decides


def is_open(code: str) -> bool:
    return bool(st.session_state.get(sublevel_key(code)))


def bump() -> None:
    st.session_state[REV] = st.session_state.get(REV, 0) + 1


@lru_cache(maxsize=64)
def _grid(low: float, high: float) -> tuple[float, ...]:
    """The 0.01 grid over a scale (the same for every slider of that scale: built once)."""
    steps = np.arange(round(low / SLIDER_STEP), round(high / SLIDER_STEP) + 1) * SLIDER_STEP
    return tuple(g for g in np.round(steps, 2).tolist() if low - 1e-9 <= g <= high + 1e-9)


def slider_options(low: float, high: float, *exact: float) -> list[float]:
    """A 0.01 grid over the scale plus exact values, one value per shown label (the bench's plain pages use it:
    Streamlit maps a select_slider's shown label back to its value, the earliest exact value winning)."""
    by_label: dict[float, float] = {}
    for v in exact:
        if low - 1e-9 <= v <= high + 1e-9:
            by_label.setdefault(round(float(v), 2), round(float(v), 4))
    out = [g for g in _grid(low, high) if g not in by_label]
    out.extend(by_label.values())
    out.sort()
    return out


def scenario_from_state(year: int, province: str) -> Scenario:
    """The changes the levers describe: a target for each dimension or sub-dimension moved."""
    ss, ds = st.session_state, dataset()
    table = ds.table(year)
    base = table.dims[table.index(province)]
    subs = table.subs.get(province, {})
    changes = []
    for j, code in enumerate(table.dim_codes):
        if is_open(code):
            for sub_code, value in sorted(subs.items()):
                if ds.parent(sub_code) == code and abs(ss.get(sub_key(sub_code), value) - value) > 1e-9:
                    changes.append(Change(sub_code, float(ss[sub_key(sub_code)]), "target"))
        elif abs(ss.get(dim_key(code), base[j]) - base[j]) > 1e-9:
            changes.append(Change(code, float(ss[dim_key(code)]), "target"))
    return Scenario(year, province, tuple(changes))


def reset_sliders() -> None:
    for key in [k for k in st.session_state if k.startswith(("dim.", "sub.", "sublevel"))]:
        del st.session_state[key]
    st.session_state.pop(ERROR, None)
    st.session_state.pop(SOURCE, None)
    bump()


def name_source(label: str) -> None:
    """Remember where the scenario now on the levers came from; the what-if page names it while unchanged."""
    ss = st.session_state
    ss[SOURCE] = (label, to_link(scenario_from_state(ss["year"], ss["province"]).changes))


def source_label(changes: tuple[Change, ...]) -> str | None:
    """The name of the scenario on the levers, if it came from elsewhere and is unchanged since."""
    named = st.session_state.get(SOURCE)
    return named[0] if named and named[1] == to_link(changes) else None


def load_changes(changes: tuple[Change, ...], source: str = "") -> None:
    """Set the levers from a list of changes (presets, goal plans, links, saved scenarios); ``source`` names
    the scenario on the what-if page. Checked by ``apply`` before anything moves (a bad code is refused whole).
    A sub-dimension change opens its dimension (its other sub-dimensions start at baseline)."""
    ss, ds = st.session_state, dataset()
    outcome = apply(ds, Scenario(ss["year"], ss["province"], changes))
    reset_sliders()
    for a in outcome.applied:
        if a.level == "subdimension":
            ss[sublevel_key(ds.parent(a.code))] = True
        ss[lever_key(a.code)] = round(a.after, 4)
    if source:
        name_source(source)


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


def scale_text(value: float, lang: str) -> str:
    """A scale's end as written: "1", "10"; a sub-dimension's "0,25", "3,33"."""
    return fmt_num(value, lang, 0 if float(value).is_integer() else 2)


def take_number(code: str, text: str, low: float, high: float) -> None:
    """An exact value typed for a lever: "4,5" and "4.5" set it; anything else (not a number, not finite, off
    the scale) leaves the lever and records the one-line message the panel shows under it."""
    ss = st.session_state
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
        ss[ERROR] = (code, e.message(lang))
        return
    ss.pop(ERROR, None)
    ss[lever_key(code)] = round(value, 4)
    bump()


def record(message: object) -> None:
    """A callback's one job: keep what arrived; ``take`` acts on it during the script."""
    st.session_state[INBOX] = message


def take() -> object | None:
    return st.session_state.pop(INBOX, None)


def on_sublevels(codes: tuple[str, ...]) -> None:
    """The "open into sub-dimensions" control: each dimension whose state changed goes through on_sublevel."""
    ss = st.session_state
    chosen = set(ss.get("sublevels") or ())
    for code in codes:
        if (code in chosen) != is_open(code):
            ss[sublevel_key(code)] = code in chosen
            on_sublevel(code)
    bump()


def on_sublevel(code: str) -> None:
    """The sub-dimension switch of a dimension: whatever it drops is said, never lost silently."""
    ss, ds = st.session_state, dataset()
    year, province = ss["year"], ss["province"]
    table = ds.table(year)
    lang = ss.get("lang", DEFAULT_LANG)
    base = float(table.dims[table.index(province), table.dim_codes.index(code)])
    if is_open(code):  # switched on: the dimension's change is spread over its sub-dimensions
        moved = round(ss.get(dim_key(code), base) - base, 4)
        ss.pop(dim_key(code), None)
        if abs(moved) > 1e-9:
            own = {k: v for k, v in table.subs.get(province, {}).items() if ds.parent(k) == code}
            inds = {k: ds.indicator(k, year) for k in own}
            spread = spread_change(own, {k: min(i.scale_min, own[k]) for k, i in inds.items()},
                                   {k: i.scale_max for k, i in inds.items()}, moved)
            for k, v in spread.values.items():
                ss[sub_key(k)] = v
            parts = ", ".join(f"{k}: {fmt_num(v - own[k], lang, 4, sign=True)}" for k, v in spread.values.items())
            notice = ("notice.sublevel_spread", {"code": code, "change": fmt_num(moved, lang, 2, sign=True), "parts": parts})
            if abs(spread.left_over) >= 1e-9:
                notice = ("notice.sublevel_spread_part", {**notice[1], "left": fmt_num(spread.left_over, lang, 4, sign=True)})
            ss["notices"] = [*ss.get("notices", []), notice]
        return
    subs = table.subs.get(province, {})
    dropped = [k for k in list(ss) if isinstance(k, str) and k.startswith(sub_key(code + "."))]
    if any(abs(ss[k] - subs.get(k[4:], ss[k])) > 1e-9 for k in dropped):
        ss["notices"] = [*ss.get("notices", []), ("notice.sublevel_off", {"code": code, "value": fmt_num(base, lang)})]
    for k in dropped:
        del ss[k]
