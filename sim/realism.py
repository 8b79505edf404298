"""Is a change realistic? The bundled history of one-year changes, and where a proposed change sits in it.

The what-if page runs this on every slider move (``realism_warnings``), so it stays apart from the Monte
Carlo model (sim.uncertainty), which only the odds page and ``--draws`` need. ``History`` holds every
province's observed dimension changes between consecutive years of the current framework; a change past
the 95th percentile of them (or below the 5th) is flagged. ``estimate_se`` reads the survey error off the
same history (the Monte Carlo model's survey noise).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import FRAMEWORK_START, Dataset
from .errors import InputError
from .scenario import Outcome

REALISM_PERCENTILE = 0.95

@dataclass(frozen=True, eq=False)
class History:
    """Observed one-year changes of provinces with all dimensions in both years."""
    pairs: tuple[tuple[int, int], ...]
    dim_codes: tuple[str, ...]
    provinces: tuple[str, ...]   # one per observation
    end_years: np.ndarray        # (m,)
    changes: np.ndarray          # (m, dimensions)

    @property
    def total(self) -> np.ndarray:
        return self.changes.sum(axis=1)

    @property
    def n(self) -> int:
        return len(self.provinces)


def change_history(ds: Dataset, first_year: int = FRAMEWORK_START) -> History:
    """Every province's dimension changes between consecutive years, from ``first_year`` on."""
    years = [y for y in ds.years if y >= first_year]
    if len(years) < 2:  # a data folder without two such years: no history (realism and odds say so)
        return History((), (), (), np.zeros(0, dtype=int), np.zeros((0, 0)))
    pairs, provs, ends, rows = [], [], [], []
    codes = ds.table(years[-1]).dim_codes
    for a, b in zip(years, years[1:]):
        ta, tb = ds.table(a), ds.table(b)
        if ta.dim_codes != codes or tb.dim_codes != codes:
            continue
        pairs.append((a, b))
        for p in ta.provinces:
            if p in tb.provinces:
                d = tb.dims[tb.index(p)] - ta.dims[ta.index(p)]
                if not np.isnan(d).any():
                    provs.append(p)
                    ends.append(b)
                    rows.append(d)
    if not rows:
        return History((), (), (), np.zeros(0, dtype=int), np.zeros((0, 0)))
    ends_a, rows_a = np.array(ends), np.array(rows)
    for a in (ends_a, rows_a):
        a.setflags(write=False)  # one History is shared by every session of the app
    return History(tuple(pairs), codes, tuple(provs), ends_a, rows_a)


def estimate_se(h: History) -> dict[str, float]:
    """Survey standard error per dimension: sqrt(-cov(consecutive changes)), year means removed."""
    dev = h.changes.copy()
    for y in np.unique(h.end_years):
        dev[h.end_years == y] -= h.changes[h.end_years == y].mean(axis=0)
    lookup = {(p, int(y)): k for k, (p, y) in enumerate(zip(h.provinces, h.end_years))}
    first, second = [], []
    for (p, y), k in lookup.items():
        if (nxt := lookup.get((p, y + 1))) is not None:
            first.append(dev[k])
            second.append(dev[nxt])
    if len(first) < 3:
        raise InputError("input.se_not_estimable", n=len(first))
    a, b = np.array(first), np.array(second)
    cov = ((a - a.mean(axis=0)) * (b - b.mean(axis=0))).sum(axis=0) / (len(a) - 1)
    return {c: float(np.sqrt(max(-v, 0.0))) for c, v in zip(h.dim_codes, cov)}


@dataclass(frozen=True)
class Realism:
    """Where a proposed one-year change of a dimension sits among the historical ones."""
    code: str
    change: float
    share_below: float  # share of historical changes strictly smaller
    share_above: float  # share strictly larger
    flagged: bool       # beyond the 95th percentile (or below the 5th)
    n: int


def realism(h: History, code: str, change: float) -> Realism:
    col = h.changes[:, h.dim_codes.index(code)]
    below, above = float((col < change).mean()), float((col > change).mean())
    hi, lo = np.quantile(col, REALISM_PERCENTILE), np.quantile(col, 1 - REALISM_PERCENTILE)
    flagged = bool(change > hi or change < lo) and abs(change) > 1e-12
    return Realism(code, change, below, above, flagged, len(col))


def realism_warnings(h: History, outcome: Outcome) -> tuple[dict, ...]:
    """CLI/app warnings for dimension changes beyond the historical 5-95% range (2018+ years only)."""
    out = []
    if outcome.scenario.year < FRAMEWORK_START:
        return ()
    if h.n == 0:  # nothing to compare with: say so instead of staying silent
        return ({"kind": "no_history", "code": None, "since": FRAMEWORK_START},)
    for code, before in outcome.baseline.dimensions.items():
        change = outcome.result.dimensions[code] - before
        if code not in h.dim_codes or abs(change) <= 1e-12:  # an unmoved dimension is never flagged
            continue
        r = realism(h, code, change)
        if r.flagged:
            out.append({"kind": "unusual_change", "code": code, "change": round(r.change, 4),
                        "share": round(r.share_below if r.change > 0 else r.share_above, 4),
                        "percent": round(100 * (r.share_below if r.change > 0 else r.share_above)),
                        "n": r.n, "since": h.pairs[0][0]})
    return tuple(out)
