"""How sure are we? Rank and group odds under rivals' moves and survey noise (the Monte Carlo model).

The model, in plain words (also shown in the app and README):
- **Rivals move.** Next year every province's total changes by a one-year change drawn at random from
  the bundled history: all provinces' observed changes between consecutive years from 2018 on (the
  8-dimension framework only). Whole change vectors are drawn, so dimensions keep their correlation.
- **Own trend** (optional): a province's draws are shifted by how much its own recent changes (last
  ``trend_years`` pairs) exceeded the national average change.
- **Our province** gets the scenario's changes on top of the same kind of draw, also when rivals keep
  this year's scores (``rivals_move`` off: then only our province draws, and its own trend applies to it
  alone).
- **Survey noise** (optional, separate): each dimension score carries a normal error with standard error
  ``se``; by default estimated from the data (below), or set by the user. The official confidence
  intervals are not in our data.
- **SE estimate.** If a province's true score follows a random walk and each published score adds
  independent survey error of variance s², successive changes have covariance -s². So s² is estimated as
  minus the covariance of consecutive changes of the same province (year means removed), per dimension,
  floored at 0. With survey noise on, it is counted once more on top of the historical changes, which
  already contain it: the odds are then conservative.
Draws share random numbers between baseline and scenario, so their difference is the scenario's alone.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .data import FRAMEWORK_START, Dataset
from .errors import InputError
from .ranking import QUARTERS, to_units
from .realism import History, change_history, estimate_se
from .scenario import Scenario, apply, ranked_table



def make_rng(seed: None | int | np.random.Generator) -> np.random.Generator:
    """The one door for randomness: a seed or a Generator in, a Generator out."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


DEFAULT_SEED = 7  # every run's seed unless the user gives one: app, CLI and backtest reproduce each other


@dataclass(frozen=True)
class NoiseModel:
    """The switches of one run. ``se`` overrides the estimate: ((code, value), ...)."""
    draws: int = 10_000
    seed: int = DEFAULT_SEED
    rivals_move: bool = True
    own_moves: bool = True  # our province draws its one-year change (off only to check the odds collapse)
    own_trend: bool = False
    trend_years: int = 3
    survey_noise: bool = False
    se: tuple[tuple[str, float], ...] | None = None


@dataclass(frozen=True, eq=False)
class RankStats:
    """Rank and group distribution of every ranked province under one set of draws."""
    provinces: tuple[str, ...]
    rank_mean: np.ndarray
    rank_median: np.ndarray
    rank_p5: np.ndarray
    rank_p95: np.ndarray
    p_group: np.ndarray         # (provinces, 4)
    rank_counts: np.ndarray     # (provinces, provinces): draws at each rank 1..n
    p_ahead_of_us: np.ndarray   # share of draws where each province finishes above ours
    us_totals: np.ndarray       # our province's total in each draw

    def p_rank_at_most(self, i: int, k: int) -> float:
        return float(self.rank_counts[i, :k].sum() / self.rank_counts[i].sum())


@dataclass(frozen=True, eq=False)
class Odds:
    scenario: Scenario
    model: NoiseModel
    baseline: RankStats
    result: RankStats
    us: int
    history_pairs: tuple[tuple[int, int], ...]
    observations: int
    se_used: dict[str, float] = field(default_factory=dict)

    def params(self) -> dict:
        """The run's parameters, for export alongside its results."""
        m = self.model
        return {"seed": m.seed, "draws": m.draws, "rivals_move": m.rivals_move, "own_trend": m.own_trend,
                "trend_years": m.trend_years, "survey_noise": m.survey_noise,
                "se": {c: round(v, 4) for c, v in self.se_used.items()} if m.survey_noise else None,
                "se_source": ("user" if m.se else "estimated") if m.survey_noise else None,
                "history_pairs": [list(p) for p in self.history_pairs], "observations": self.observations,
                "mc_se_max": round(mc_se(0.5, m.draws), 4), "prob_decimals": prob_decimals(m.draws)}


def _ranks_and_groups(draws: np.ndarray, rule: str = "lower") -> tuple[np.ndarray, np.ndarray]:
    """Competition ranks and groups per draw (row), exactly as sim.ranking does for one table: every
    draw's totals are taken at the data's precision (whole units of 0.0001), cut-offs in quarter-units."""
    return _ranks_and_groups_units(to_units(draws), rule)


def _ranks_and_groups_units(units: np.ndarray, rule: str) -> tuple[np.ndarray, np.ndarray]:
    """``_ranks_and_groups`` on totals already in whole units (int64)."""
    d, n = units.shape
    order = np.argsort(-units, axis=1, kind="stable")
    desc = np.take_along_axis(units, order, axis=1)
    new = np.ones((d, n), dtype=bool)
    new[:, 1:] = desc[:, 1:] != desc[:, :-1]
    # a tied run shares the rank of its first member: 1 + the number strictly above
    rank_sorted = np.maximum.accumulate(np.where(new, np.arange(n), 0), axis=1) + 1
    ranks = np.empty_like(rank_sorted)
    np.put_along_axis(ranks, order, rank_sorted, axis=1)
    asc = desc[:, ::-1]
    u4 = 4 * units
    group = np.ones((d, n), dtype=np.int8)
    for k in QUARTERS:  # type-7 quantile k/4 per row, exact in quarter-units
        i, f4 = divmod((n - 1) * k, 4)
        cut4 = 4 * asc[:, i] if f4 == 0 or i + 1 >= n else 4 * asc[:, i] + f4 * (asc[:, i + 1] - asc[:, i])
        below = u4 < cut4[:, None] if rule == "upper" else u4 <= cut4[:, None]
        group += below
    return ranks, group


def _stats(names: tuple[str, ...], draws: np.ndarray, us: int, rule: str) -> RankStats:
    units = to_units(draws)  # once: ranks, groups and "ahead of us" all compare whole units
    ranks, group = _ranks_and_groups_units(units, rule)
    d, n = draws.shape
    counts = np.bincount((np.arange(n) * n + ranks - 1).ravel(), minlength=n * n).reshape(n, n)
    cum = counts.cumsum(axis=1)

    def pct(q: float) -> np.ndarray:  # smallest rank whose cumulative share reaches q (inverted CDF)
        return np.argmax(cum >= q * d, axis=1) + 1

    p_group = np.stack([(group == g).mean(axis=0) for g in (1, 2, 3, 4)], axis=1)
    mean = (counts * np.arange(1, n + 1)).sum(axis=1) / d
    return RankStats(names, mean, pct(0.5), pct(0.05), pct(0.95), p_group, counts,
                     (units > units[:, [us]]).mean(axis=0), draws[:, us].copy())


def simulate(ds: Dataset, scenario: Scenario, model: NoiseModel = NoiseModel(),
             history: History | None = None) -> Odds:
    """Monte Carlo odds of rank and group, baseline vs scenario, for every ranked province."""
    outcome = apply(ds, scenario)
    h = history if history is not None else change_history(ds)
    if h.n == 0:
        raise InputError("input.no_history", first=FRAMEWORK_START)
    if scenario.year < FRAMEWORK_START or ds.table(scenario.year).dim_codes != h.dim_codes:
        raise InputError("input.odds_years", year=scenario.year, first=FRAMEWORK_START)
    if model.draws < 100 or model.draws > 200_000:
        raise InputError("input.bad_draws", value=model.draws)
    names, total, _ = ranked_table(ds.table(scenario.year))
    us = names.index(scenario.province)
    rng = make_rng(model.seed)
    n, d = len(names), model.draws
    moves = np.zeros((d, n))
    drawn = h.total[rng.integers(0, h.n, size=(d, n))]  # one stream whichever provinces move
    moving = np.full(n, model.rivals_move)
    moving[us] = model.own_moves
    moves[:, moving] += drawn[:, moving]
    if model.own_trend:
        moves[:, moving] += _excess_trend(h, names, model.trend_years)[None, moving]
    se = {}
    if model.survey_noise:
        se = dict(model.se) if model.se else estimate_se(h)
        sd_total = float(np.sqrt(sum(v * v for c, v in se.items() if c in h.dim_codes)))
        moves += rng.normal(0.0, sd_total, size=(d, n))
    base = total[None, :] + moves
    scen = base.copy()
    scen[:, us] += outcome.result.total - outcome.baseline.total
    rule = ds.tie_rule(scenario.year)
    return Odds(scenario, model, _stats(names, base, us, rule), _stats(names, scen, us, rule), us, h.pairs, h.n,
                se if model.survey_noise else {})


def _excess_trend(h: History, names: tuple[str, ...], years: int) -> np.ndarray:
    """Each province's mean total change over its last ``years`` pairs minus the national mean then."""
    last = sorted(set(h.end_years.tolist()))[-years:]
    keep = np.isin(h.end_years, last)
    national = h.total[keep].mean()
    out = np.zeros(len(names))
    for j, p in enumerate(names):
        mine = keep & (np.array(h.provinces) == p)
        if mine.any():
            out[j] = h.total[mine].mean() - national
    return out


def mc_se(p: float, draws: int) -> float:
    """Monte Carlo standard error of a probability estimated as a share of ``draws`` draws:
    sqrt(p(1-p)/n); at most 0.5/sqrt(n), i.e. 0.005 at 10,000 draws."""
    return float(np.sqrt(p * (1.0 - p) / draws))


def prob_decimals(draws: int) -> int:
    """Decimals a percentage can carry at ``draws`` draws: one unit of the last digit shown is at least
    the worst-case standard error (50/sqrt(n) percentage points). Whole percent up to 250,000 draws."""
    worst = 50.0 / np.sqrt(draws)
    return max(0, int(np.floor(-np.log10(worst) + 1e-12)))


def odds_json(o: Odds, which: str, target_rank: int | None) -> dict:
    """The odds fields added to one standing in the CLI's JSON (``which``: baseline | scenario), each
    probability with its Monte Carlo standard error (``*_se``)."""
    s = o.baseline if which == "baseline" else o.result
    i, n = o.us, o.model.draws
    pg = {str(g): float(s.p_group[i, g - 1]) for g in (1, 2, 3, 4)}
    out = {"rank_mean": round(float(s.rank_mean[i]), 2), "rank_p5": int(s.rank_p5[i]),
           "rank_median": int(s.rank_median[i]), "rank_p95": int(s.rank_p95[i]),
           "p_group": {g: round(p, 4) for g, p in pg.items()},
           "p_group_se": {g: round(mc_se(p, n), 4) for g, p in pg.items()}}
    if target_rank is not None:
        p = s.p_rank_at_most(i, target_rank)
        out["p_rank_at_most"] = {str(target_rank): round(p, 4)}
        out["p_rank_at_most_se"] = {str(target_rank): round(mc_se(p, n), 4)}
    return out


def tied_rivals(o: Odds, low: float = 0.2, high: float = 0.8) -> list[tuple[str, float]]:
    """Provinces that finish above ours in between ``low`` and ``high`` of the scenario's draws:
    statistically tied with us. Sorted by that share, highest first."""
    p = o.result.p_ahead_of_us
    out = [(name, float(p[j])) for j, name in enumerate(o.result.provinces) if j != o.us and low <= p[j] <= high]
    return sorted(out, key=lambda x: -x[1])


def odds_export(o: Odds, target_rank: int | None = None) -> dict:
    """Parameters and results of one run, for download: every province, baseline and scenario."""
    def rows(s: RankStats) -> list[dict]:
        return [{"province": name, "rank_mean": round(float(s.rank_mean[j]), 2), "rank_p5": int(s.rank_p5[j]),
                 "rank_median": int(s.rank_median[j]), "rank_p95": int(s.rank_p95[j]),
                 **{f"p_group_{g}": round(float(s.p_group[j, g - 1]), 4) for g in (1, 2, 3, 4)},
                 **{f"p_group_{g}_se": round(mc_se(float(s.p_group[j, g - 1]), o.model.draws), 4) for g in (1, 2, 3, 4)}}
                for j, name in enumerate(s.provinces)]
    return {"year": o.scenario.year, "province": o.scenario.province,
            "changes": [{"code": c.code, "value": c.value, "mode": c.mode} for c in o.scenario.changes],
            "parameters": o.params(),
            "ours": {"baseline": odds_json(o, "baseline", target_rank), "scenario": odds_json(o, "scenario", target_rank)},
            "baseline": rows(o.baseline), "scenario": rows(o.result)}
