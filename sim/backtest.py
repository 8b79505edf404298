"""A track record for the odds: how the model's statements about next year held, year by year.

For every year pair Y -> Y+1 of the 8-dimension framework (2018 on), the odds model (sim.uncertainty) is fitted
only on the one-year changes known at Y (pairs ending at Y or before: no look-ahead) and draws every ranked
province's rank and group in Y+1 from its published Y total. The statements are then checked against what
was published for Y+1:

- **coverage**: the share of province-years whose real Y+1 rank fell inside the stated 5-95% range
  (rank_p5 <= rank <= rank_p95; nominally about 90%), for the baseline model and each switch (rivals frozen,
  own trend, survey noise);
- **calibration** of P(group): every province-year's four predicted group chances against whether the
  province really was in that group, pooled in bins of predicted chance.

Real outcomes are the published ones of Y+1 (rank among that year's ranked provinces; a province not ranked in
both years is left out). A pair with fewer than MIN_PAIRS earlier year pairs to fit on is reported with
``too_few_years`` and left out of ``overall`` and the calibration; with none at all it has no odds.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .data import FRAMEWORK_START, Dataset
from .errors import InputError
from .scenario import Scenario, national_baseline
from .realism import History, change_history
from .uncertainty import DEFAULT_SEED, NoiseModel, RankStats, simulate

MIN_PAIRS = 2
DEFAULT_DRAWS = 2_000
NOMINAL = 0.90           # the 5-95% range
BINS = 10                # calibration bins of width 0.1
MODELS = ("baseline", "no_rivals", "trend", "survey_noise")


def model_for(name: str, draws: int, seed: int) -> NoiseModel:
    """The baseline model or one switch of it, as the Odds page offers them."""
    base = NoiseModel(draws=draws, seed=seed)
    return {"baseline": base, "no_rivals": replace(base, rivals_move=False), "trend": replace(base, own_trend=True),
            "survey_noise": replace(base, survey_noise=True)}[name]


def history_until(h: History, year: int) -> History:
    """The one-year changes known at ``year``: the pairs that end at it or before."""
    keep = h.end_years <= year
    if not keep.any():
        return History((), (), (), np.zeros(0, dtype=int), np.zeros((0, 0)))
    return History(tuple(p for p in h.pairs if p[1] <= year), h.dim_codes,
                   tuple(p for p, k in zip(h.provinces, keep) if k), h.end_years[keep], h.changes[keep])


@dataclass(frozen=True)
class Checked:
    """One model's statements for one year pair, province by province (aligned with ``provinces``)."""
    provinces: tuple[str, ...]
    rank_p5: np.ndarray
    rank_p95: np.ndarray
    p_group: np.ndarray       # (provinces, 4)
    real_rank: np.ndarray
    real_group: np.ndarray

    @property
    def inside(self) -> np.ndarray:
        return (self.rank_p5 <= self.real_rank) & (self.real_rank <= self.rank_p95)


@dataclass(frozen=True)
class PairResult:
    year_from: int
    year_to: int
    history_pairs: tuple[tuple[int, int], ...]
    too_few_years: bool
    checked: dict[str, Checked | None]   # model name -> statements (None: no odds, e.g. no history)

    @property
    def n(self) -> int:
        c = self.checked.get("baseline")
        return 0 if c is None else len(c.provinces)


def _check(ds: Dataset, stats: RankStats, year_to: int) -> Checked:
    real = national_baseline(ds, year_to)
    keep = [j for j, p in enumerate(stats.provinces) if p in real.provinces]
    at = [real.provinces.index(stats.provinces[j]) for j in keep]
    return Checked(tuple(stats.provinces[j] for j in keep), stats.rank_p5[keep], stats.rank_p95[keep],
                   stats.p_group[keep], real.rank[at].astype(int), real.group[at].astype(int))


def _statements(ds: Dataset, year: int, names: tuple[str, ...], model: NoiseModel, h: History) -> RankStats:
    """Every province's own statement: one run serves all when rivals move (each province's row is its
    odds); with rivals frozen only the province asked about draws, so each gets its own run."""
    if model.rivals_move:
        return simulate(ds, Scenario(year, names[0]), model, h).baseline
    rows = [simulate(ds, Scenario(year, p), model, h) for p in names]
    pick = lambda f: np.array([f(o.baseline)[o.us] for o in rows])  # noqa: E731
    return RankStats(names, pick(lambda s: s.rank_mean), pick(lambda s: s.rank_median), pick(lambda s: s.rank_p5),
                     pick(lambda s: s.rank_p95), np.stack([o.baseline.p_group[o.us] for o in rows]),
                     np.zeros((0, 0)), np.zeros(0), np.zeros(0))


def pair_years(ds: Dataset) -> tuple[tuple[int, int], ...]:
    """Consecutive years of the current framework from FRAMEWORK_START on."""
    years = [y for y in ds.years if y >= FRAMEWORK_START]
    codes = ds.table(years[-1]).dim_codes if years else ()
    return tuple((a, b) for a, b in zip(years, years[1:])
                 if ds.table(a).dim_codes == codes and ds.table(b).dim_codes == codes)


def backtest(ds: Dataset, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
             models: tuple[str, ...] = MODELS) -> tuple[PairResult, ...]:
    """Every year pair's statements under each model, fitted only on earlier pairs."""
    full = change_history(ds)
    out = []
    for a, b in pair_years(ds):
        h = history_until(full, a)
        names = national_baseline(ds, a).provinces
        checked: dict[str, Checked | None] = {}
        for name in models:
            try:
                stats = _statements(ds, a, names, model_for(name, draws, seed), h)
            except InputError:  # no history yet, or survey noise not estimable from one pair
                checked[name] = None
                continue
            checked[name] = _check(ds, stats, b)
        out.append(PairResult(a, b, h.pairs, len(h.pairs) < MIN_PAIRS, checked))
    return tuple(out)


def calibration(checks: list[Checked], bins: int = BINS) -> list[dict]:
    """P(group) against what happened, pooled over province-years and the four groups, per bin."""
    p = np.concatenate([c.p_group.ravel() for c in checks]) if checks else np.zeros(0)
    hit = np.concatenate([(c.real_group[:, None] == np.arange(1, 5)[None, :]).ravel() for c in checks]) \
        if checks else np.zeros(0, dtype=bool)
    at = np.minimum((p * bins).astype(int), bins - 1)
    rows = []
    for k in range(bins):
        m = at == k
        rows.append({"bin_lo": round(k / bins, 4), "bin_hi": round((k + 1) / bins, 4), "n": int(m.sum()),
                     "predicted": round(float(p[m].mean()), 4) if m.any() else None,
                     "observed": round(float(hit[m].mean()), 4) if m.any() else None})
    return rows


def _coverage(c: Checked | None) -> float | None:
    return None if c is None or not len(c.provinces) else round(float(c.inside.mean()), 4)


def backtest_json(results: tuple[PairResult, ...], draws: int, seed: int, models: tuple[str, ...] = MODELS) -> dict:
    """The CLI's ``backtest --json`` document (fields are added, never renamed)."""
    rows = []
    for r in results:
        base = r.checked.get("baseline")
        rows.append({
            "year_from": r.year_from, "year_to": r.year_to, "n": r.n, "coverage_5_95": _coverage(base),
            "inside": None if base is None else int(base.inside.sum()),
            "coverage_by_model": {m: _coverage(r.checked.get(m)) for m in models},
            "mean_range_width": None if base is None or not r.n else
            round(float((base.rank_p95 - base.rank_p5 + 1).mean()), 2),
            "history_pairs": [list(p) for p in r.history_pairs], "too_few_years": r.too_few_years})
    used = [r for r in results if not r.too_few_years]
    overall: dict = {"n": sum(r.n for r in used), "years": [[r.year_from, r.year_to] for r in used],
                     "left_out": [[r.year_from, r.year_to] for r in results if r.too_few_years],
                     "nominal": NOMINAL, "coverage_by_model": {}}
    for m in models:
        checks = [r.checked[m] for r in used if r.checked.get(m) is not None]
        n = sum(len(c.provinces) for c in checks)
        overall["coverage_by_model"][m] = round(sum(int(c.inside.sum()) for c in checks) / n, 4) if n else None
    overall["coverage_5_95"] = overall["coverage_by_model"].get("baseline")
    base_checks = [r.checked["baseline"] for r in used if r.checked.get("baseline") is not None]
    return {"draws": draws, "seed": seed, "models": list(models), "min_pairs": MIN_PAIRS, "rows": rows,
            "overall": overall, "calibration": calibration(base_checks),
            "calibration_by_model": {m: calibration([r.checked[m] for r in used if r.checked.get(m) is not None])
                                     for m in models}}
