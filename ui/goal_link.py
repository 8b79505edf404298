"""The goal page's settings in the URL (formats/goal_link.py): read once when the page first opens in a session,
checked against the data, and written back on every run, so a plan can be bookmarked or shared."""
from __future__ import annotations

import streamlit as st

from formats.goal_link import PARAMS, GoalLink, from_params, to_params
from sim.goal import variables

from .common import lang, num, plain, tr
from .url import echo, mirror

OPENED = "goal.link_read"  # set once the page has taken its settings from the URL in this session
LINK_SENT = "goal.link_sent"  # the goal settings this session last wrote to the address


def read_link(ds, year: int, province: str, of: int) -> list[str]:
    """On the page's first run in a session, put the URL's goal settings into session state (before the widgets
    are drawn) and return one plain-text notice per refused parameter; later runs return nothing."""
    ss = st.session_state
    if ss.get(OPENED):
        return []
    ss[OPENED] = True
    g, bad = from_params({k: st.query_params[k] for k in PARAMS if k in st.query_params})
    notices = [tr("goal.bad_param", name=name, value=plain(echo(value, lang()))) for name, value in bad]
    if g.kind == "rank" and not 1 <= g.value <= of:
        notices.append(tr("goal.bad_param", name="goal", value=plain(st.query_params["goal"])))
    elif g.kind is not None:
        ss["goal.kind"] = g.kind
        ss[f"goal.{g.kind}"] = num(g.value, 4) if g.kind == "total" else int(g.value)
    level = g.level or ss.get("goal.level", "dim")
    if g.level is not None:
        ss["goal.level"] = g.level
    if g.effort is not None:
        ss["goal.effort"] = g.effort
    if g.locks is not None:
        codes = set(variables(ds, year, province, level))
        if unknown := [c for c in g.locks if c not in codes]:
            notices.append(tr("goal.bad_param", name="lock", value=plain(", ".join(unknown))))
        ss[lock_key(level)] = [c for c in g.locks if c in codes]
    if g.probability is not None:
        ss["goal.odds"], ss["goal.p"] = True, g.probability
    return notices


def lock_key(level: str) -> str:
    """The session-state key of the locked indicators at ``level`` (dimensions and sub-dimensions apart)."""
    return f"goal.lock.{level}" if level == "sub" else "goal.lock"


def write_link(kind: str, value: float | None, level: str, effort: str, locks: tuple[str, ...],
               probability: float | None) -> None:
    """Mirror the page's settings in the URL; a parameter the page no longer sets is removed."""
    mirror(to_params(GoalLink(kind, value, level, effort, locks, probability)), PARAMS, LINK_SENT)
