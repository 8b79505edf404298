"""The lever panel: the what-if page's headline and levers, drawn and updated in the browser
(st.components.v2, no iframe, static files in ui/lever_panel/) so a key press moves the headline within a frame.

The browser decides no number: it gets sim.headline_lookup's integers and Python's strings, adds and looks up.
After a move it sends the lever values back (on release, or ~150 ms after the last key); the callback records
them, ``take_moves`` writes them into the levers' session keys before the page computes, and the page's own
figures (``shown``) replace the panel's. The panel marks itself ``data-mismatch`` should the two ever differ.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

from sim.compare import past_best
from sim.data import Dataset
from sim.headline_lookup import Lookup, from_outcome, headline_text, lookup, panel_texts
from sim.previous import indicator_change, previous_year
from sim.ranking import UNIT, to_units
from sim.report import warning_text
from sim.scenario import Outcome

from .cache import dataset, units
from .sliders import REV, is_open, lever_key, record, scale_text, take, take_number
from .subs import sub_rows
from .whatif_text import Screen

KEY = "panel"
ACK = "panel.ack"  # the last move of the panel's that Python has taken
CLEAR = "panel.clear"  # an exact value was taken: the panel empties its field
_FILES = Path(__file__).resolve().parent / "lever_panel"
_MOUNT = st.components.v2.component(
    "papi_lever_panel", html=(_FILES / "panel.html").read_text(encoding="utf-8"),
    css=(_FILES / "panel.css").read_text(encoding="utf-8"), js=(_FILES / "panel.js").read_text(encoding="utf-8"))


@lru_cache(maxsize=32)
def _lookup(ds: Dataset, year: int, province: str) -> Lookup:
    return lookup(ds, year, province)


@lru_cache(maxsize=32)
def _texts(ds: Dataset, year: int, province: str, lang: str, estimate: bool) -> dict:
    return panel_texts(ds, _lookup(ds, year, province), lang, estimate)


def place(year: int, province: str) -> str:
    """What a panel message must have been made for: basis, year, province (not the language: a move made just
    before a language switch still counts)."""
    return "|".join((units(), str(year), province))


def on_scenario() -> None:
    """The component's callback: record the message (the script acts on it in ``take_moves``)."""
    state = st.session_state.get(KEY)
    record(state.get("scenario") if state is not None else None)


def _opened(lk: Lookup) -> list[str]:
    return [lv.code for lv in lk.levers if not lv.sub and is_open(lv.code)
            and any(x.parent == lv.code and x.sub for x in lk.levers)]


def take_moves() -> None:
    """Run first on every page, before the URL is written and anything is computed from the levers: the
    panel's lever values (checked: whole units on the lever's scale, for this place and revision) go into
    the levers' keys; a typed value goes through sliders.take_number."""
    ss = st.session_state
    msg = take()
    if not isinstance(msg, dict) or type(msg.get("seq")) is not int:
        return
    ss[ACK] = max(ss.get(ACK, 0), msg["seq"])
    year, province = ss["year"], ss["province"]
    if msg.get("place") != place(year, province) or msg.get("rev") != ss.get(REV, 0) \
            or not isinstance(msg.get("values"), dict):
        return  # made for another place, or before a preset / reset / link: Python's values stand
    lk = _lookup(dataset(), year, province)
    opened = set(_opened(lk))
    for lv in lk.levers:
        v = msg["values"].get(lv.code)
        if type(v) is int and lv.low <= v <= lv.high and (lv.parent in opened) == lv.sub:
            ss[lever_key(lv.code)] = v / UNIT
    typed = msg.get("typed")
    if isinstance(typed, dict) and isinstance(typed.get("text"), str) and len(typed["text"]) <= 40:
        lv = next((x for x in lk.levers if x.code == typed.get("code")), None)
        if lv is not None:
            had = ss.get(REV, 0)
            take_number(lv.code, typed["text"], lv.low / UNIT, lv.high / UNIT)
            ss[CLEAR] = ss.get(REV, 0) != had


def _yoy(s: Screen, code: str, value: float) -> list[str]:
    """The lever's value (the scenario's) against the previous edition's published value, as the press writes
    it; nothing across the 2018 framework change or a construction break (the headline says why)."""
    change = indicator_change(s.ds, s.year, s.province, code, value)
    before = previous_year(s.ds, s.year)
    return [] if change is None else [s.tr("slider.yoy", year=before, change=s.num(change, sign=True))]


def _notes(s: Screen, o: Outcome, unusual: tuple[dict, ...], lk: Lookup, short: bool) -> dict[str, str]:
    """The plain line under each lever (the old slider's caption): where it stands, and its flags; ``short``
    (compact mode): the flags alone, each a brief phrase."""
    tr, num, r = s.tr, s.num, o.result
    notes = {}
    for lv in lk.levers:
        if lv.sub:
            continue
        st_ = s.stats[lv.code]
        flags = []
        if past_best(r.dimensions[lv.code], st_.best):
            flags.append(tr("slider.past_best_short") if short else
                         tr("slider.past_best", best=num(st_.best), province=s.label(st_.best_province)))
        warned = [w for w in unusual if w["code"] == lv.code]
        if short:
            notes[lv.code] = " · ".join(flags + [tr("slider.unusual_short", change=num(w["change"], sign=True),
                                                    percent=w["percent"]) for w in warned])
            continue
        line = tr("slider.marks_dim", baseline=num(lv.base / UNIT), median=num(st_.median), best=num(st_.best),
                  best_province=s.label(st_.best_province), rank=r.dimension_ranks[lv.code], of=r.of,
                  group=s.group_name(r.dimension_groups[lv.code]).lower())
        notes[lv.code] = " · ".join(flags + [line] + _yoy(s, lv.code, r.dimensions[lv.code])
                                    + ["⚠ " + warning_text(w, s.lang) for w in warned])
    for code in _opened(lk):
        for row in sub_rows(s.ds, o, code, s.lang):
            flag = tr("slider.bottom_quartile") if row.bottom_quartile else ""
            past = "" if not row.past_best else (tr("slider.past_best_short") if short else tr(
                "slider.past_best", best=num(row.best), province=s.label(row.best_province)))
            if short:
                notes[row.code] = " · ".join(filter(None, [past, flag]))
                continue
            notes[row.code] = " · ".join(filter(None, [past, tr(
                "slider.marks_sub", baseline=num(row.baseline), median=num(row.median), best=num(row.best),
                best_province=s.label(row.best_province), rank=row.rank, of=row.of,
                group=s.group_name(row.group).lower()), *_yoy(s, row.code, row.value), flag]))
    return notes


def draw(s: Screen, o: Outcome, unusual: tuple[dict, ...], compact: bool) -> None:
    """The panel for the page's province-year, with Python's values and Python's figures for them."""
    ss = st.session_state
    lk = _lookup(s.ds, s.year, s.province)
    texts = _texts(s.ds, s.year, s.province, s.lang, s.estimate)
    ss.setdefault(REV, 0)
    levers = []
    for lv in lk.levers:
        weak = f" · {s.tr('slider.weak')}" if not lv.sub and lv.code in s.weak else ""
        levers.append({"code": lv.code, "parent": lv.parent, "base": lv.base, "low": lv.low, "high": lv.high,
                       "page": lv.page, "label": s.indicator(lv.code) + weak,  # "5.1. Tên", as the brief says
                       "field_help": s.tr("slider.number_help", low=scale_text(lv.low / UNIT, s.lang),
                                          high=scale_text(lv.high / UNIT, s.lang))})
    values = {lv.code: int(to_units(ss.get(lever_key(lv.code), lv.base / UNIT))) for lv in lk.levers}
    error = ss.get("num_error")
    data = {
        "place": place(s.year, s.province), "rev": ss[REV], "ack": ss.get(ACK, 0), "clear_typed": bool(ss.pop(CLEAR, False)),
        "base_total": lk.base_total, "others": list(lk.others), "enter": list(lk.enter),
        "previous": list(lk.previous) if lk.previous else None, "levers": levers, "opened": _opened(lk),
        "values": values, "compact": compact, "notes": _notes(s, o, unusual, lk, compact),
        "error": list(error) if error else None,
        "texts": {**texts, "dim_sum": s.tr("panel.dim_sum", value="{value}"),
                  "total_help": s.tr("head.total_help_n", baseline=s.num(lk.base_total / UNIT, 4),
                                     n=len(s.table.dim_codes), low=s.num(s.table.scale[0], 0),
                                     high=s.num(s.table.scale[1], 0))},
        "field_label": s.tr("panel.field", name="{name}"),
        "shown": headline_text(lk, texts, from_outcome(lk, o), bool(o.applied)),
    }
    _MOUNT(key=KEY, data=data, on_scenario_change=on_scenario)

