"""Peers to learn from: the provinces that improved most on one indicator over a span of years, and stayed
improved.

"Improved" means the end-year value is above the start-year value; "stayed improved" means that, and also
the mean of the last two years of the span that have a score (the end year and the latest earlier year the
province has a score in, so a missing year is skipped, not counted as "only one year") is above the start.
So a province that jumped in the last year only after falling is not shown as a model unless its two-year
level is still higher. A span never crosses a construction break (``sim.trend.breaks``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .data import Dataset
from .errors import InputError
from .scenario import Change, Scenario
from .trend import TOTAL, breaks, crosses_break, indicator_row, national_values, r4, require_code

SIMILAR_SHARE = 0.05  # "started at a similar level": within 5% of the indicator's scale range of our start


@dataclass(frozen=True)
class Peer:
    province: str
    region: str
    region_vi: str
    start: float
    end: float
    recent: float     # mean of the last two years of the span with a score
    similar: bool     # started within ±tolerance of our start

    @property
    def change(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class PeerResult:
    province: str
    code: str
    year_from: int
    year_to: int
    own_start: float
    own_end: float
    tolerance: float
    peers: tuple[Peer, ...]   # stayed improved, largest change first
    considered: int           # provinces with a score in both years (ours excluded)


def tolerance_for(ds: Dataset, code: str, year: int) -> float:
    """The default ±X for "a similar level": 5% of the scale's range (0.45 on a 1-10 dimension)."""
    if code == TOTAL:
        lo, hi = ds.table(year).scale
    else:
        ind = indicator_row(ds, code, year)
        lo, hi = ind.scale_min, ind.scale_max
    return round(SIMILAR_SHARE * (hi - lo), 4)


def check_span(ds: Dataset, code: str, year_from: int, year_to: int) -> None:
    """InputError unless both years exist, from < to, the code is in force in both and no break lies between."""
    for y in (year_from, year_to):
        if y not in ds.tables:
            raise InputError("input.unknown_year", year=y, years=", ".join(map(str, ds.years)))
    if year_from >= year_to:
        raise InputError("input.bad_span", start=year_from, end=year_to)
    require_code(ds, code, year_from)
    require_code(ds, code, year_to)
    b = crosses_break(breaks(ds, code), year_from, year_to)
    if b is not None:
        raise InputError("input.span_crosses_break", code=code, year=b.year, start=year_from, end=year_to)


def find_peers(ds: Dataset, province: str, code: str, year_from: int, year_to: int,
               tolerance: float | None = None, top: int = 10) -> PeerResult:
    """The ``top`` provinces that improved most on ``code`` from ``year_from`` to ``year_to`` and stayed improved."""
    check_span(ds, code, year_from, year_to)
    tol = tolerance_for(ds, code, year_to) if tolerance is None else tolerance
    if not (math.isfinite(tol) and tol >= 0):
        raise InputError("input.bad_tolerance", value=tol)
    if not 1 <= top <= 100:
        raise InputError("input.bad_top", value=top)
    start, end = national_values(ds, year_from, code), national_values(ds, year_to, code)
    # the span's earlier years, latest first: a province's "year before" is the latest one it has a score in
    earlier = [national_values(ds, y, code) for y in reversed(ds.years) if year_from <= y < year_to]
    own_start = start.get(province, math.nan)
    found = []
    both = [p for p in start if p in end and p != province]
    for p in both:
        before = next(v[p] for v in earlier if p in v)  # the start year at the latest
        recent = (end[p] + before) / 2
        if end[p] > start[p] and recent > start[p]:
            info = ds.province(p)
            similar = not math.isnan(own_start) and abs(start[p] - own_start) <= tol + 1e-9
            found.append(Peer(p, info.region, info.region_vi, start[p], end[p], recent, similar))
    found.sort(key=lambda pr: (-round(pr.change, 4), pr.province))
    return PeerResult(province, code, year_from, year_to, own_start, end.get(province, math.nan), tol,
                      tuple(found[:top]), len(both))


def reach_scenario(ds: Dataset, result: PeerResult, peer: Peer, year: int) -> Scenario:
    """"Reach what X reached": our province's ``code`` set to the peer's end value in ``year``.

    ``year`` must be built like the span's end year (no break between them), or the value means something else.
    """
    if code_break := crosses_break(breaks(ds, result.code), year, result.year_to):
        raise InputError("input.reach_other_era", code=result.code, year=year, break_year=code_break.year)
    require_code(ds, result.code, year)
    if result.code == TOTAL:
        raise InputError("input.reach_total")
    return Scenario(year, result.province, (Change(result.code, round(peer.end, 4), "target"),))


def peers_json(ds: Dataset, result: PeerResult, lang: str = "en") -> dict:
    """The CLI's ``peers --json`` document (fields are added, never renamed)."""
    return {
        "province": result.province, "code": result.code, "from": result.year_from, "to": result.year_to,
        "own": {"start": r4(result.own_start), "end": r4(result.own_end),
                "change": r4(result.own_end - result.own_start)},
        "tolerance": result.tolerance, "considered": result.considered,
        "definition": "end > start and mean(last two years with a score) > start",
        "peers": [{"province": p.province, "province_vi": ds.province(p.province).name_vi,
                   "region": p.region if lang == "en" else p.region_vi, "start": r4(p.start), "end": r4(p.end),
                   "change": r4(p.change), "recent": r4(p.recent), "similar_start": p.similar,
                   "reach": {"code": result.code, "value": r4(p.end), "mode": "target",
                             "change": f"{result.code}={r4(p.end)}"}}
                  for p in result.peers]}
