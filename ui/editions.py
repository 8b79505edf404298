"""New PAPI editions added in this session (the Data page's uploader): kept in ``st.session_state``, never
written anywhere. The bundled dataset stays shared and read-only; a session with added years gets its own
Dataset, built once per set of added files (by content and by name) in ui/cache.py."""
from __future__ import annotations

import hashlib
from functools import reduce

import streamlit as st

from sim.data import Dataset
from sim.editions import Added, YearRow, add_year

from . import cache

STATE = cache.EDITIONS


def added() -> tuple[Added, ...]:
    return st.session_state.get(STATE, ())


def session_key() -> str:
    """Fingerprint of this session's added editions, by content and by file name: part of every cache key that
    depends on the data, so two sessions that added different files, or the same bytes under two names, never
    share a result."""
    return cache.editions_key(added())


def with_editions(base: Dataset, editions: tuple[Added, ...]) -> Dataset:
    """``base`` plus ``editions``: on the bundled dataset built once per set of editions (ui/cache.py), on any
    other base built afresh (its content is not in the cache key)."""
    if base is cache.bundled_dataset():
        return cache.with_editions(editions)
    return reduce(lambda ds, a: add_year(ds, a.year, a.rows, source=a.source), editions, base)


def add(base: Dataset, year: int, rows: tuple[YearRow, ...], source: str, data: bytes) -> None:
    """Add a validated edition to the session, whole or not at all: the new dataset is built first (raising
    InputError for a bundled year) and only then recorded. A year this session added before is replaced."""
    new = Added(year, rows, source, hashlib.sha256(data).hexdigest()[:16])
    editions = tuple(a for a in added() if a.year != year) + (new,)
    with_editions(base, editions)  # raises before anything changes
    st.session_state[STATE] = editions
