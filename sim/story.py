"""The story of one scenario, told in six steps for a presenter and the brief's first page.

(a) where we stand and how we got here, (b) what we change, each change in typical one-year changes,
(c) what it buys, (d) how sure (chance of the target group and of the top K, the 5-95% rank range, in plain
words, with the track record of such odds), (e) the least effort that reaches the target using only the
indicators this scenario changes, (f) provinces that made such a move in one year. Every figure is computed
here from the engine (sim.scenario, sim.previous, sim.uncertainty, sim.backtest, sim.goal); the page and the
brief only word it. The odds use the Odds page's defaults (10,000 draws, seed 7), so they read the same there.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .backtest import backtest, backtest_json
from .data import FRAMEWORK_START, Dataset
from .effort import covariance_for
from .errors import InputError
from .goal import seek
from .goal_request import GoalRequest, Plan, Target
from .i18n import t
from .previous import YearOnYear, year_on_year
from .realism import History
from .scenario import NamedScenario, Outcome, Scenario, apply
from .trend import trend, value
from .uncertainty import NoiseModel, simulate

STEPS = ("where", "change", "buys", "odds", "goal", "movers")
ODDS_DRAWS, ODDS_SEED = 10_000, 7        # the Odds page's defaults
RECORD_DRAWS, RECORD_SEED = 2_000, 7     # the backtest's defaults (python -m sim backtest)
TREND_YEARS = 6                          # the small trend of step (a)


def default_top_k(n: int) -> int:
    """The "top K" the Odds page opens with: the top third of the units ranked (20 of 61, 11 of 34)."""
    return max(1, round(n / 3))


def default_target_group(group: int) -> int:
    """The group a scenario aims at: the next one up (the top group stays the top group)."""
    return max(1, group - 1)


def odds_words(p: float, lang: str) -> str:
    """A chance in plain words, as a committee hears it: "about 1 in 2", "about 7 in 10", "almost certain"."""
    if not math.isfinite(p) or not 0.0 <= p <= 1.0:
        raise ValueError(f"a probability in [0, 1], not {p!r}")
    if p < 0.01:
        return t("story.odds.hardly", lang)
    if p > 0.99:
        return t("story.odds.almost_sure", lang)
    if p <= 0.5:
        return t("story.odds.one_in", lang, n=max(2, round(1 / p)))
    return t("story.odds.k_in_10", lang, k=min(9, max(5, round(10 * p))))


@dataclass(frozen=True)
class Move:
    """One applied change, also in typical one-year changes of that indicator (sd of comparable changes)."""
    code: str
    before: float
    after: float
    change: float
    typical: float

    @property
    def typical_steps(self) -> float:
        return self.change / self.typical if self.typical > 0 else math.nan


@dataclass(frozen=True)
class Chances:
    """One standing's odds next year (the Odds page's baseline model): each group, the top K, the 5-95% rank."""
    p_group: tuple[float, float, float, float]
    p_top_k: float
    k: int
    rank_p5: int
    rank_p95: int

    def p_target(self, group: int) -> float:
        """P(group ``group`` or better)."""
        return float(sum(self.p_group[:group]))


def chances(ds: Dataset, scenario: Scenario, history: History, draws: int = ODDS_DRAWS,
            seed: int = ODDS_SEED) -> tuple[Chances, Chances]:
    """(published standing, scenario) odds from one run of sim.uncertainty.simulate, as the Odds page
    draws them with the same draws and seed (rivals move, no trend, no survey noise)."""
    o = simulate(ds, scenario, NoiseModel(draws=draws, seed=seed), history)
    k = default_top_k(len(o.result.provinces))

    def one(s) -> Chances:
        return Chances(tuple(float(v) for v in s.p_group[o.us]), s.p_rank_at_most(o.us, k), k,
                       int(s.rank_p5[o.us]), int(s.rank_p95[o.us]))
    return one(o.baseline), one(o.result)


@dataclass(frozen=True)
class OddsStep:
    """The scenario's chances under the Odds page's baseline model, and the track record of such odds."""
    draws: int
    seed: int
    target_group: int
    k: int
    p_target: float            # P(group <= target_group)
    p_top_k: float
    p_group: tuple[float, float, float, float]
    rank_p5: int
    rank_p95: int
    base_p_target: float
    record_share: float | None  # overall share of real next-year ranks inside the stated 5-95% range
    record_inside: int
    record_n: int
    record_years: tuple[tuple[int, int], ...]
    record_left_out: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Mover:
    """A province that, from one edition to the next, moved every changed indicator at least as far."""
    province: str
    year_from: int
    year_to: int
    changes: tuple[tuple[str, float], ...]


@dataclass(frozen=True, eq=False)
class Story:
    name: str
    outcome: Outcome
    yoy: YearOnYear                    # the published standing against the previous edition
    scenario_yoy: YearOnYear           # the scenario's standing against the previous edition
    trend: tuple[tuple[int, float, int, int], ...]   # (year, total, rank, of), same framework, latest last
    moves: tuple[Move, ...]
    odds: OddsStep | None              # None before FRAMEWORK_START (no odds model)
    goal: Plan | None                  # None without changes or without a group to aim at
    goal_only: tuple[str, ...]
    movers: tuple[Mover, ...]
    mover_pairs: int                   # province-years looked at for (f)
    single: tuple[tuple[str, int], ...] = ()  # per changed indicator: province-years that moved it this far
    mover_first: int = FRAMEWORK_START             # the first year (f) looked at: its framework's first in the data

    @property
    def target_group(self) -> int:
        return default_target_group(self.outcome.baseline.group)


def _trend(ds: Dataset, year: int, province: str) -> tuple[tuple[int, float, int, int], ...]:
    rows = [r for r in trend(ds, province) if r.total is not None and r.year <= year
            and (year < FRAMEWORK_START or r.year >= FRAMEWORK_START)]
    return tuple((r.year, r.total, r.rank, r.of) for r in rows[-TREND_YEARS:])


def _moves(ds: Dataset, o: Outcome) -> tuple[Move, ...]:
    codes = tuple(a.code for a in o.applied)
    typical = covariance_for(ds, codes).typical if codes else ()
    return tuple(Move(a.code, a.before, a.after, a.change, float(s)) for a, s in zip(o.applied, typical))


def track_record(ds: Dataset, draws: int = RECORD_DRAWS, seed: int = RECORD_SEED) -> dict:
    """The backtest's overall coverage of the 5-95% range under the baseline model (sim.backtest)."""
    return backtest_json(backtest(ds, draws, seed, ("baseline",)), draws, seed, ("baseline",))["overall"]


def _odds(ds: Dataset, o: Outcome, history: History, record: dict) -> OddsStep | None:
    sc = o.scenario
    if sc.year < FRAMEWORK_START or history.n == 0:
        return None
    b, s = chances(ds, sc, history)
    tg = default_target_group(o.baseline.group)
    n = record.get("n", 0)
    share = record.get("coverage_5_95")
    return OddsStep(ODDS_DRAWS, ODDS_SEED, tg, s.k, s.p_target(tg), s.p_top_k, s.p_group, s.rank_p5, s.rank_p95,
                    b.p_target(tg), share, round(share * n) if share is not None else 0, n,
                    tuple(tuple(p) for p in record.get("years", ())),
                    tuple(tuple(p) for p in record.get("left_out", ())))


def _goal(ds: Dataset, o: Outcome, history: History) -> tuple[Plan | None, tuple[str, ...]]:
    """The least effort to the target group moving only what the scenario moves (None: nothing to aim at,
    or no change to restrict to)."""
    only = tuple(a.code for a in o.applied)
    if not only or o.baseline.group == 1:
        return None, only
    level = "sub" if any("." in c for c in only) else "dim"
    req = GoalRequest(o.scenario.year, o.scenario.province, Target("group", default_target_group(o.baseline.group)),
                      level=level, only=only)
    return seek(ds, req, history), only


def _as_far(v: float, d: float) -> bool:
    """A one-year change ``v`` at least as far as the scenario's ``d``, the same way (whole 0.0001 units)."""
    return round(v * 10_000) >= round(d * 10_000) if d > 0 else round(v * 10_000) <= round(d * 10_000)


def movers(ds: Dataset, o: Outcome) -> tuple[tuple[Mover, ...], int, tuple[tuple[str, int], ...]]:
    """Province-years (consecutive years of the scenario's framework, comparable pairs only) in which every changed indicator moved at least as
    far as the scenario moves it, in the same direction; most recent first. Also how many were looked at,
    and per changed indicator how many of those moved it alone that far."""
    wanted = [(a.code, a.change) for a in o.applied if abs(a.change) > 1e-9]
    if not wanted:
        return (), 0, ()
    codes = ds.table(o.scenario.year).dim_codes  # the scenario's framework: 8 dimensions from 2018, 6 before
    years = [y for y in ds.years if ds.table(y).dim_codes == codes]
    found, looked, single = [], 0, dict.fromkeys((c for c, _ in wanted), 0)
    for a, b in zip(years, years[1:]):
        if not all(ds.comparable(c, a, b) for c, _ in wanted):
            continue
        for p in ds.table(a).provinces:
            got = [(c, value(ds, b, p, c) - value(ds, a, p, c)) for c, _ in wanted]
            if any(math.isnan(v) for _, v in got):
                continue
            looked += 1
            hits = [_as_far(v, d) for (_, d), (_, v) in zip(wanted, got)]
            for (c, _), hit in zip(wanted, hits):
                single[c] += hit
            if all(hits):
                found.append(Mover(p, a, b, tuple((c, round(v, 4)) for c, v in got)))
    return tuple(sorted(found, key=lambda m: (-m.year_to, m.province))), looked, tuple(single.items())


def build_story(ds: Dataset, named: NamedScenario, history: History, record: dict | None = None) -> Story:
    """Every step's figures for ``named`` (raises InputError for a scenario the engine refuses). ``record``:
    the track record (``track_record(ds)``), computed once by the caller, since it does not depend on the
    scenario."""
    if not named.name.strip():
        raise InputError("story.error.no_name")
    o = apply(ds, named.scenario)
    sc = o.scenario
    rec = record if record is not None else (track_record(ds) if sc.year >= FRAMEWORK_START else {})
    goal, only = _goal(ds, o, history)
    found, looked, single = movers(ds, o)
    codes = ds.table(sc.year).dim_codes
    first = min(y for y in ds.years if ds.table(y).dim_codes == codes)
    return Story(named.name, o, year_on_year(ds, sc.year, o.baseline), year_on_year(ds, sc.year, o.result),
                 _trend(ds, sc.year, sc.province), _moves(ds, o), _odds(ds, o, history, rec), goal, only,
                 found, looked, single, first)
