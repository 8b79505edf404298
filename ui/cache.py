"""The app's one cache layer: every st.cache_* of the app lives here (tests/test_cache.py checks), and every
key holds everything that decides the answer: the basis (63 provinces or the 34-unit estimate), the editions
in the session by content and by file name (``data_key()``), then the request (year, province, ...). Two
sessions therefore share a result only when it is the same answer. Every cache is bounded; results are
read-only (st.cache_data hands each caller its own copy, st.cache_resource objects are never mutated)."""
from __future__ import annotations

import hashlib
import json
from functools import reduce

import streamlit as st

from sim import compare
from sim.data import DATA_DIR, Dataset
from sim.editions import Added, add_year
from sim.goal import seek
from sim.goal_request import GOAL_DRAWS, GoalRequest, Plan, Target
from sim.levels import IndicatorHistory, all_histories
from sim.levers import LeverRow, lever_table
from sim.load import load_dataset
from sim.realism import History, change_history
from sim.scenario import Change, NamedScenario, Scenario
from sim.story import Story
from sim.uncertainty import DEFAULT_SEED, NoiseModel, Odds, simulate
from sim.units import BASES, Merger, UnitEstimate, load_merger, merge_dataset
from workshop.store import Store

EDITIONS = "added_editions"  # where ui/editions.py keeps this session's added files (session state)
PER_DATA = 16  # entries of a cache holding one object per set of data (datasets, histories: a few MB each)
PER_REQUEST = 64  # entries of a cache of answers (plans, odds, lever tables: small)


@st.cache_resource(show_spinner=False, max_entries=1)
def bundled_dataset() -> Dataset:
    """The bundled data, loaded and validated once per server process (read-only afterwards)."""
    return load_dataset()


@st.cache_resource(show_spinner=False, max_entries=1)
def bundled_digest() -> str:
    """Fingerprint of the bundled data files, so a key names the bundled data by content too."""
    h = hashlib.sha256()
    for path in sorted(p for p in DATA_DIR.iterdir() if p.suffix == ".csv"):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


@st.cache_resource(show_spinner=False, max_entries=1)
def merger() -> Merger:
    """The 63 -> 34 mapping with its 2019 populations (validated once per process)."""
    return load_merger(provinces=bundled_dataset().provinces)


def units() -> str:
    """The sidebar's basis: "63" (PAPI as published) or "2025" (34 units, estimated)."""
    return st.session_state.get("units", BASES[0])


def added() -> tuple[Added, ...]:
    """The editions this session added (ui/editions.py), in the order they were added."""
    return st.session_state.get(EDITIONS, ())


def editions_key(editions: tuple[Added, ...]) -> str:
    """The bundled data and ``editions``, each by content (sha256 of the bytes) and by name (the file name is
    shown as the source): two sessions with the same bytes under two names get two datasets."""
    return json.dumps([bundled_digest(), [[a.year, a.digest, a.source] for a in editions]], ensure_ascii=False)


def data_key() -> str:
    """What the session's data depends on (basis, bundled data, added editions): part of every data cache key."""
    return json.dumps([units(), editions_key(added())], ensure_ascii=False)


def with_editions(editions: tuple[Added, ...]) -> Dataset:
    """The bundled data plus ``editions`` (the bundled dataset itself when there are none)."""
    return _with_editions(editions_key(editions), editions) if editions else bundled_dataset()


@st.cache_resource(show_spinner=False, max_entries=PER_DATA)
def _with_editions(key: str, _editions: tuple[Added, ...]) -> Dataset:
    return reduce(lambda ds, a: add_year(ds, a.year, a.rows, source=a.source), _editions, bundled_dataset())


def estimate(editions: tuple[Added, ...] | None = None) -> UnitEstimate:
    """The 34-unit estimate of the bundled data plus ``editions`` (default: this session's), with the old
    provinces each year left out."""
    editions = added() if editions is None else editions
    return _estimate(editions_key(editions), editions)


@st.cache_resource(show_spinner=False, max_entries=PER_DATA)
def _estimate(key: str, _editions: tuple[Added, ...]) -> UnitEstimate:
    return merge_dataset(with_editions(_editions), merger())


def dataset() -> Dataset:
    """The session's data: the bundled data plus any edition this session added, on the sidebar's basis."""
    return with_editions(added()) if units() == BASES[0] else estimate().dataset


def history() -> History:
    """The 2018+ one-year changes (read-only), of this session's data and basis."""
    return _history(data_key())


@st.cache_resource(show_spinner=False, max_entries=PER_DATA)
def _history(data: str) -> History:
    return change_history(dataset())


def _scenario(year: int, province: str, changes: tuple[tuple[str, float, str], ...]) -> Scenario:
    return Scenario(year, province, tuple(Change(c, v, m) for c, v, m in changes))


def as_key(scenario: Scenario) -> tuple[tuple[str, float, str], ...]:
    return tuple((c.code, c.value, c.mode) for c in scenario.changes)


def odds(year: int, province: str, changes: tuple[tuple[str, float, str], ...], model: NoiseModel) -> Odds:
    """Monte Carlo odds for a scenario (about 70 ms for 10,000 draws; cached per scenario, model and data)."""
    return _odds(year, province, changes, model, data_key())


@st.cache_data(show_spinner=False, max_entries=PER_REQUEST)
def _odds(year: int, province: str, changes: tuple[tuple[str, float, str], ...], model: NoiseModel,
          data: str) -> Odds:
    return simulate(dataset(), _scenario(year, province, changes), model, history())


def goal_plan(req: GoalRequest) -> Plan:
    """Goal seeking (a few ms; with odds about a second, hence the cache), keyed by the whole request and the
    session's data."""
    return _goal_plan(req, data_key())


@st.cache_data(show_spinner=False, max_entries=PER_REQUEST)
def _goal_plan(req: GoalRequest, data: str) -> Plan:
    return seek(dataset(), req, history())


def goal_request(year: int, province: str, kind: str, value: float, locked: tuple[str, ...] = (),
                 caps: tuple[tuple[str, float], ...] = (), weights: tuple[tuple[str, float], ...] = (),
                 effort: str | None = None, probability: float | None = None, level: str = "dim",
                 draws: int = GOAL_DRAWS, seed: int = DEFAULT_SEED) -> GoalRequest:
    """The goal page's request as sim reads it (odds with the CLI's default draws and seed)."""
    return GoalRequest(year, province, Target(kind, value), locked, caps, weights, None, probability,
                       NoiseModel(draws=draws, seed=seed), level, effort)


def histories() -> dict[str, IndicatorHistory]:
    """Every indicator's one-year changes over comparable years, on the session's basis (read-only arrays)."""
    return _histories(data_key())


@st.cache_resource(show_spinner=False, max_entries=PER_DATA)
def _histories(data: str) -> dict[str, IndicatorHistory]:
    return all_histories(dataset())


def levers(year: int, province: str) -> tuple[LeverRow, ...]:
    """The lever table of a province-year (tens of ms; cached per province, year, basis and data)."""
    return _levers(year, province, data_key())


@st.cache_data(show_spinner=False, max_entries=PER_REQUEST)
def _levers(year: int, province: str, data: str) -> tuple[LeverRow, ...]:
    return lever_table(dataset(), year, province, histories())


def weak_spots(year: int, province: str, level: str = "dimension") -> tuple[str, ...]:
    """The province's weak dimensions (or sub-dimensions), worst first (sim.compare.weak_spots on the
    session's data and basis)."""
    return _weak_spots(year, province, level, data_key())


@st.cache_data(show_spinner=False, max_entries=PER_REQUEST)
def _weak_spots(year: int, province: str, level: str, data: str) -> tuple[str, ...]:
    return compare.weak_spots(dataset(), year, province, level)


@st.cache_resource(show_spinner=False, max_entries=4)
def store_at(path: str) -> Store:
    """One workshop Store per database file per server process (it holds only its path: no shared mutable
    state)."""
    return Store(path)


def track_record() -> dict:
    """The odds' track record under the baseline model (sim.story.track_record, about half a second)."""
    return _track_record(data_key())


@st.cache_data(show_spinner=False, max_entries=PER_DATA)
def _track_record(data: str) -> dict:
    return backtest_doc()["overall"]  # = sim.story.track_record: the backtest's defaults, the baseline model


def backtest_doc(draws: int = 2_000, seed: int = 7, models: tuple[str, ...] = ("baseline",)) -> dict:
    """``python -m sim backtest --json`` of this session's data for ``models`` (the baseline alone: half a
    second; every model: a few seconds), cached per data."""
    return _backtest_doc(draws, seed, models, data_key())


@st.cache_data(show_spinner=False, max_entries=PER_DATA)
def _backtest_doc(draws: int, seed: int, models: tuple[str, ...], data: str) -> dict:
    from sim.backtest import backtest, backtest_json
    return backtest_json(backtest(dataset(), draws, seed, models), draws, seed, models)


def story(named: NamedScenario) -> Story:
    """One scenario's story (sim.story, a quarter of a second), cached per name, scenario and data."""
    sc = named.scenario
    return _story(named.name, sc.year, sc.province, as_key(sc), data_key())


@st.cache_data(show_spinner=False, max_entries=PER_REQUEST)
def _story(name: str, year: int, province: str, changes: tuple[tuple[str, float, str], ...], data: str) -> Story:
    from sim.story import build_story
    record = track_record() if year >= 2018 else {}
    return build_story(dataset(), NamedScenario(name, _scenario(year, province, changes)), history(), record)
