"""Effort models for goal seeking, and the historical one-year changes they are built from.

A plan raises some indicators (dimensions, or sub-dimensions) by x >= 0. Three costs, all quadratic
(a quadratic cost spreads the work; a linear one would put it all on one indicator):
- ``plausible``: the squared Mahalanobis distance x' S^-1 x under the covariance S of historical one-year
  changes of that level, so the plan favours combinations provinces have actually achieved together and
  is measured in "typical one-year changes";
- ``gap``: sum w_i x_i^2 with w_i = 1 / max(gap to the national best, 0.05 / k), harder near the best
  (k: 1 for a dimension, its dimension's number of sub-dimensions for a sub-dimension; sim.goal.MIN_GAP);
- ``equal``: sum x_i^2.

Historical changes use comparable year pairs only: consecutive years from 2018, an indicator counted in a
pair only when it exists in both years with the same scale and no construction break (data/breaks.csv)
lies between them (Dataset.comparable). Each pair's national mean change is removed (rank is
relative; a nation-wide shift is nobody's effort). Because indicators have different comparable pairs,
the covariance is estimated pairwise and shrunk towards its diagonal with the Schaefer-Strimmer
intensity (target "D"), then floored to a condition number of at most MAX_CONDITION, so it inverts well.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .data import FRAMEWORK_START, Dataset, code_key

EFFORTS = ("plausible", "gap", "equal")
MAX_CONDITION = 1e4
MIN_OBS = 10


@dataclass(frozen=True, eq=False)
class Panel:
    """One-year changes, one row per (province, year pair), one column per indicator; NaN where the
    indicator is not comparable across that pair. ``dev`` has each pair's national mean removed."""
    codes: tuple[str, ...]
    pairs: tuple[tuple[int, int], ...]
    pair_of_row: np.ndarray
    raw: np.ndarray
    dev: np.ndarray

    def columns(self, codes: tuple[str, ...]) -> "Panel":
        """These indicators' columns; one without history (a data folder with no year from 2018) is all NaN,
        so it takes the fallback standard deviation instead of crashing."""
        def col(a: np.ndarray, c: str) -> np.ndarray:
            return a[:, self.codes.index(c)] if c in self.codes else np.full(len(a), np.nan)
        raw = np.column_stack([col(self.raw, c) for c in codes]) if codes else self.raw[:, :0]
        dev = np.column_stack([col(self.dev, c) for c in codes]) if codes else self.dev[:, :0]
        return Panel(codes, self.pairs, self.pair_of_row, raw, dev)

    def gains(self, code: str) -> np.ndarray:
        col = self.raw[:, self.codes.index(code)]
        return col[~np.isnan(col)]


def _values(ds: Dataset, year: int, province: str) -> dict[str, float]:
    t = ds.table(year)
    row = t.dims[t.index(province)]
    out = {c: float(v) for c, v in zip(t.dim_codes, row) if not np.isnan(v)}
    out.update(t.subs.get(province, {}))
    return out


@lru_cache(maxsize=8)
def change_panel(ds: Dataset) -> Panel:
    """Every indicator's comparable one-year changes 2018 on (dimensions and sub-dimensions)."""
    years = [y for y in ds.years if y >= FRAMEWORK_START]
    codes = sorted({c for y in years for c in ds.table(y).dim_codes}
                   | {c for y in years for s in ds.table(y).subs.values() for c in s}, key=code_key)
    pairs, rows, pair_idx = [], [], []
    for a, b in zip(years, years[1:]):
        ok = {c for c in codes if ds.comparable(c, a, b)}
        pairs.append((a, b))
        for p in ds.table(a).provinces:
            if p not in ds.table(b).provinces:
                continue
            va, vb = _values(ds, a, p), _values(ds, b, p)
            rows.append([vb[c] - va[c] if c in ok and c in va and c in vb else np.nan for c in codes])
            pair_idx.append(len(pairs) - 1)
    raw = np.array(rows, dtype=float).reshape(len(rows), len(codes))
    pair_of_row = np.array(pair_idx, dtype=int)
    dev = raw.copy()
    for k in range(len(pairs)):
        sel = pair_of_row == k
        if sel.any():
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                dev[sel] -= np.nan_to_num(np.nanmean(raw[sel], axis=0))
    for a in (raw, dev, pair_of_row):
        a.setflags(write=False)
    return Panel(tuple(codes), tuple(pairs), pair_of_row, raw, dev)


@lru_cache(maxsize=8)
def gain_quantiles(ds: Dataset, q: float) -> dict[str, float]:
    """Each indicator's q-quantile of comparable one-year changes (absent: no comparable pair)."""
    panel = change_panel(ds)
    return {c: float(np.quantile(g, q)) for c in panel.codes if len(g := panel.gains(c))}


@lru_cache(maxsize=32)
def national_bests(ds: Dataset, year: int) -> dict[str, float]:
    """The national best of every dimension and sub-dimension in one year."""
    t = ds.table(year)
    out = {c: float(np.nanmax(t.dims[:, j])) for j, c in enumerate(t.dim_codes)}
    for subs in t.subs.values():
        for c, v in subs.items():
            out[c] = max(out.get(c, -np.inf), v)
    return out


@dataclass(frozen=True, eq=False)
class Covariance:
    """The shrunk covariance of one-year changes of some indicators, and what it rests on."""
    codes: tuple[str, ...]
    cov: np.ndarray
    precision: np.ndarray      # its inverse
    typical: np.ndarray        # standard deviation of each indicator's one-year changes
    shrinkage: float           # weight on the diagonal target, 0..1
    condition: float
    observations: np.ndarray   # per indicator
    pairs: tuple[tuple[int, int], ...]


def shrunk_covariance(panel: Panel, fallback_sd: np.ndarray | None = None) -> Covariance:
    """Pairwise-complete covariance of ``panel.dev``, correlations shrunk towards 0 (Schaefer-Strimmer).
    An indicator with fewer than MIN_OBS comparable changes takes ``fallback_sd`` and no correlation."""
    x = panel.dev
    mask = ~np.isnan(x)
    n_i = mask.sum(axis=0)
    thin = n_i < MIN_OBS
    mask[:, thin] = False
    filled = np.where(mask, x, 0.0)
    var = (filled**2).sum(axis=0) / np.maximum(n_i - 1, 1)
    sd = np.sqrt(np.maximum(var, 1e-12))
    if thin.any():
        sd = np.where(thin, fallback_sd if fallback_sd is not None else 1.0, sd)
    z = filled / sd
    m = mask.astype(float)
    n = m.T @ m
    s = z.T @ z
    s2 = (z**2).T @ (z**2)
    with np.errstate(all="ignore"):
        r = np.where(n > 1, s / (n - 1), 0.0)
        w_bar = np.where(n > 0, s / n, 0.0)
        var_r = np.where(n > 1, n / (n - 1) ** 3 * (s2 - n * w_bar**2), 0.0)
    off = ~np.eye(len(sd), dtype=bool)
    denom = float((r[off] ** 2).sum())
    lam = 1.0 if denom == 0 else float(np.clip(var_r[off].sum() / denom, 0.0, 1.0))
    corr = (1 - lam) * r
    np.fill_diagonal(corr, 1.0)
    vals, vecs = np.linalg.eigh(corr)
    vals = np.maximum(vals, vals.max() / MAX_CONDITION)
    corr = (vecs * vals) @ vecs.T
    d = np.sqrt(np.diag(corr))
    corr = corr / d[:, None] / d[None, :]
    cov = corr * sd[:, None] * sd[None, :]
    cond = float(np.linalg.cond(cov))
    prec = np.linalg.inv(cov)
    prec = (prec + prec.T) / 2
    for a in (cov, prec, sd, n_i):
        a.setflags(write=False)
    return Covariance(panel.codes, cov, prec, sd, lam, cond, n_i, panel.pairs)


@lru_cache(maxsize=64)
def covariance_for(ds: Dataset, codes: tuple[str, ...]) -> Covariance:
    """The shrunk covariance of these indicators' one-year changes (cached per dataset and code set)."""
    panel = change_panel(ds)
    return shrunk_covariance(panel.columns(codes), fallback_sd(ds, panel, codes))


def fallback_sd(ds: Dataset, panel: Panel, codes: tuple[str, ...]) -> np.ndarray:
    """A sub-dimension's typical change where its history is too thin: its dimension's, divided by the
    number of sub-dimensions the dimension has (the sub-dimension's scale is 1/k of it)."""
    out = []
    for c in codes:
        is_sub = ds.level(c) == "subdimension"
        parent = ds.parent(c) if is_sub else c
        col = panel.dev[:, panel.codes.index(parent)] if parent in panel.codes else np.array([np.nan])
        col = col[~np.isnan(col)]
        k = max(1, sum(1 for o in panel.codes if ds.parent(o) == parent)) if is_sub else 1
        out.append(float(np.sqrt((col**2).sum() / max(len(col) - 1, 1))) / k if len(col) > 1 else 1.0)
    return np.array(out)


def cost_matrix(effort: str, cov: Covariance, weights: np.ndarray) -> np.ndarray:
    """H with cost = x' H x / 2 ... written so every model is the same quadratic program.

    ``weights`` are the per-indicator weights: the diagonal itself for gap/equal, a difficulty multiplier
    (default 1) on that indicator's scale for plausible (cost = (s*x)' S^-1 (s*x), s = sqrt(weight))."""
    if effort == "plausible":
        s = np.sqrt(weights)
        return 2.0 * cov.precision * s[:, None] * s[None, :]
    return np.diag(2.0 * weights)
