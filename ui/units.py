"""The 63-province / 34-unit switch of the sidebar, and the notice every page shows on the 34-unit basis."""
from __future__ import annotations

import streamlit as st

from sim.units import BASES, Merger

from .cache import estimate, merger  # noqa: F401  (cached per process / per set of editions, in ui/cache.py)
from .common import bundled_dataset, lang, plain, tr, units
from .state import on_place_change


def province_on_basis(province: str, basis: str, m: Merger) -> str:
    """The same place on the other basis: an old province's unit, or a unit's namesake (else most populous)
    old province."""
    if basis == BASES[1]:
        return m.unit_of.get(province, province)
    if province in m.unit_of:
        return province
    members = m.unit(province).members
    return province if province in members else members[0]


def on_units_change() -> None:
    """Callback: keep the province (mapped to the new basis), then start again from its baseline."""
    ss = st.session_state
    ss["province"] = province_on_basis(ss["province"], ss["units"], merger())
    on_place_change()


def units_switch() -> None:
    """The sidebar radio: 63 provinces (before 7/2025) or 34 units (from 7/2025)."""
    names = {b: tr(f"units.{b}") for b in BASES}  # bound now: a widget may format outside the run
    st.radio(tr("units.label"), BASES, key="units", format_func=names.get, on_change=on_units_change,
             help=tr("units.help"))


def units_notice() -> None:
    """On the 34-unit basis: say that these are estimates, how they are made, and who is missing this year."""
    if units() != BASES[1]:
        return
    year = st.session_state["year"]
    prov = {p.name: p for p in bundled_dataset().provinces}
    unit_vi = {u.name: u.name_vi for u in merger().units}
    parts = []
    for g in estimate().missing_in(year):
        if all("." in c for c in g.codes):
            continue  # sub-dimension gaps are named on the history page, for the unit shown
        name = prov[g.province].label(lang())
        unit = unit_vi[g.unit] if lang() == "vi" else g.unit
        parts.append(tr("units.gap", province=name, unit=unit, codes=", ".join(c for c in g.codes if "." not in c)))
    text = tr("units.notice")
    if parts:
        text += " " + tr("units.missing", year=year, names="; ".join(parts))
    st.info(plain(text), icon=":material/info:")
