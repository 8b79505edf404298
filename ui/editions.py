"""New PAPI editions added in this session (the Data page's uploader): kept in ``st.session_state``, never
written anywhere. The bundled dataset stays shared and read-only; a session with added years gets its own
Dataset, built once per set of added files and cached under their fingerprint."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import reduce

import streamlit as st

from sim.data import Dataset
from sim.editions import YearRow, add_year

STATE = "added_editions"


# One accepted file: its year, rows, name and a fingerprint of its bytes.
@dataclass(frozen=True)
class Added:
    year: int
    rows: tuple[YearRow, ...]
    source: str
    digest: str


def added() -> tuple[Added, ...]:
    return st.session_state.get(STATE, ())


def session_key() -> str:
    """Fingerprint of this session's added editions ("" with none): part of every cache key that depends on
    the data, so two sessions that added different files never share a result."""
    return "|".join(f"{a.year}:{a.digest}" for a in added())


def with_editions(base: Dataset, editions: tuple[Added, ...]) -> Dataset:
    """``base`` plus ``editions`` (``base`` itself when there are none)."""
    if not editions:
        return base
    return _build("|".join(f"{a.year}:{a.digest}" for a in editions), base, editions)


@st.cache_resource(show_spinner=False, max_entries=32)
def _build(key: str, _base: Dataset, _editions: tuple[Added, ...]) -> Dataset:
    return reduce(lambda ds, a: add_year(ds, a.year, a.rows, source=a.source), _editions, _base)


def add(base: Dataset, year: int, rows: tuple[YearRow, ...], source: str, data: bytes) -> None:
    """Add a validated edition to the session, whole or not at all: the new dataset is built first (raising
    InputError for a bundled year) and only then recorded. A year this session added before is replaced."""
    new = Added(year, rows, source, hashlib.sha256(data).hexdigest()[:16])
    editions = tuple(a for a in added() if a.year != year) + (new,)
    with_editions(base, editions)  # raises before anything changes
    st.session_state[STATE] = editions
