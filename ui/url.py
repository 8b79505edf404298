"""The URL in and out: the first run of a session takes language, basis, year, province, scenario and
workshop from the query parameters (a bad one falls back with a notice), and every run mirrors the choice
back, so a view can be bookmarked or shared."""
from __future__ import annotations

import re

import streamlit as st

from formats.limits import PROVINCE_MAX
from formats.link import VERSION as EMPTY_LINK, from_link, to_link
from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, LANGS, t
from sim.names import find_province
from sim.units import BASES
from workshop.store import valid_code

from .common import dataset, units
from .sliders import load_changes, scenario_from_state
from .state import DEFAULT_PROVINCE, ranked_provinces

URL_SENT = "url.sent"  # the parameters this session last wrote to the address
ECHO_MAX = 60  # characters of a bad URL value quoted back in a notice


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
    try:  # applied once: load_changes refuses codes this year and province lack before anything moves
        load_changes(from_link(raw))
    except InputError as e:
        notices.append(("notice.bad_link", {"problem": e.message(lang)}))


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
    mirror(params, ("s", "w", "units"), URL_SENT)


def mirror(params: dict[str, str], managed: tuple[str, ...], sent_key: str) -> None:
    """Write ``params`` into the address, and remove those of the ``managed`` keys it lacks.

    A run starts from the address the browser had when it asked for the run, which can be older than what an
    overlapping run has already sent (a lever moved again while Python drew the last move). So what this
    session last wrote (kept under ``sent_key``) is compared too; else the older run's address lands last."""
    ss, qp = st.session_state, st.query_params
    if params != ss.get(sent_key) or any(qp.get(k) != v for k, v in params.items()):
        qp.update(params)
        ss[sent_key] = params
    for key in managed:
        if key in qp and key not in params:
            del qp[key]
