"""The workshop page's session side: the shared store, this session's workshop code, and the callbacks
that record what a button asked for (the page script does the writing, with the version the user saw)."""
from __future__ import annotations

import streamlit as st

from sim.scenario import Change
from workshop.records import client_key
from workshop.store import Store, default_db

from . import cache
from .common import num


_store_at = cache.store_at  # one Store per database file per process (ui/cache.py holds every cache)


def store() -> Store:
    """The workshop database (``PAPI_WORKSHOP_DB``: a path or a postgresql:// URL; default
    ``workshops.sqlite3`` beside app.py)."""
    return _store_at(default_db())


def client() -> str | None:
    """This visitor as the store's creation bound counts them (a hash of their address, never the address).
    Streamlit gives no address for a loopback peer: that is our nginx (deploy/), whose X-Real-IP is the
    visitor's, or a laptop without a proxy, which has no header and no bound. A visitor reaching a replica
    directly has their own address, and a header they send is not read."""
    ip = st.context.ip_address
    if ip is None:
        ip = st.context.headers.get("X-Real-IP")
    return client_key(ip) if ip else None


def _exact(value: float) -> int:
    """Decimals that show a value exactly: 2, or 4 for a finer plan (+0,0983 must not read +0,10)."""
    return 2 if round(value, 2) == round(value, 4) else 4


def change_summary(changes: tuple[Change, ...]) -> str:
    """Changes as a short line in the user's language: "5: +0,40 · 8 → 4,50 · 3: +0,0983"."""
    return " · ".join(f"{c.code}: {num(c.value, _exact(c.value), sign=True)}" if c.mode == "delta"
                      else f"{c.code} → {num(c.value, _exact(c.value))}" for c in changes)


def intend(action: str, scenario_id: int = 0, version: int = 0) -> None:
    """Callback of the list's buttons: remember the action and the version the user was looking at,
    with the texts typed for it (name, note, new name)."""
    ss = st.session_state
    ss["ws.intent"] = {"action": action, "id": scenario_id, "version": version,
                       "name": ss.get("ws.name", ""), "note": ss.get("ws.note", ""),
                       "rename_to": ss.get("ws.rename_to", "")}
