"""Cached wrappers around the heavy sim/ calls. Arguments are plain hashable values; results are
never mutated by the pages (st.cache_data hands each caller its own copy)."""
from __future__ import annotations

import streamlit as st

from sim.goal import GoalRequest, Plan, Target, seek
from sim.levels import IndicatorHistory, all_histories
from sim.levers import LeverRow, lever_table
from sim.scenario import Change, Scenario
from sim.uncertainty import History, NoiseModel, Odds, change_history, simulate

from .common import data_key, dataset


def history() -> History:
    """The 2018+ one-year changes (read-only), of this session's data and basis."""
    return _history(data_key())


@st.cache_resource(show_spinner=False)
def _history(data: str) -> History:
    return change_history(dataset())


def _scenario(year: int, province: str, changes: tuple[tuple[str, float, str], ...]) -> Scenario:
    return Scenario(year, province, tuple(Change(c, v, m) for c, v, m in changes))


def as_key(scenario: Scenario) -> tuple[tuple[str, float, str], ...]:
    return tuple((c.code, c.value, c.mode) for c in scenario.changes)


def odds(year: int, province: str, changes: tuple[tuple[str, float, str], ...], model: NoiseModel) -> Odds:
    """Monte Carlo odds for a scenario (about 70 ms for 10,000 draws; cached per scenario, model and data)."""
    return _odds(year, province, changes, model, data_key())


@st.cache_data(show_spinner=False, max_entries=64)
def _odds(year: int, province: str, changes: tuple[tuple[str, float, str], ...], model: NoiseModel,
          data: str) -> Odds:
    return simulate(dataset(), _scenario(year, province, changes), model, history())


def goal_plan(year: int, province: str, kind: str, value: float, locked: tuple[str, ...],
              caps: tuple[tuple[str, float], ...], weights: tuple[tuple[str, float], ...], weighting: str,
              probability: float | None, draws: int, seed: int) -> Plan:
    """Goal seeking (a few ms; with odds about a second, hence the cache, keyed by the session's data too)."""
    return _goal_plan(year, province, kind, value, locked, caps, weights, weighting, probability, draws, seed,
                      data_key())


@st.cache_data(show_spinner=False, max_entries=64)
def _goal_plan(year: int, province: str, kind: str, value: float, locked: tuple[str, ...],
               caps: tuple[tuple[str, float], ...], weights: tuple[tuple[str, float], ...], weighting: str,
               probability: float | None, draws: int, seed: int, data: str) -> Plan:
    req = GoalRequest(year, province, Target(kind, value), locked, caps, weights, weighting, probability,
                      NoiseModel(draws=draws, seed=seed))
    return seek(dataset(), req, history())


def histories() -> dict[str, IndicatorHistory]:
    """Every indicator's one-year changes over comparable years, on the session's basis (read-only arrays)."""
    return _histories(data_key())


@st.cache_resource(show_spinner=False)
def _histories(data: str) -> dict[str, IndicatorHistory]:
    return all_histories(dataset())


def levers(year: int, province: str) -> tuple[LeverRow, ...]:
    """The lever table of a province-year (tens of ms; cached per province, year, basis and data)."""
    return _levers(year, province, data_key())


@st.cache_data(show_spinner=False, max_entries=32)
def _levers(year: int, province: str, data: str) -> tuple[LeverRow, ...]:
    return lever_table(dataset(), year, province, histories())
