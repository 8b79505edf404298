"""The lever table: for every dimension and sub-dimension of a province, how far it can realistically
move in a year and what that buys.

Rank depends only on the total, so +0.1 buys the same on every lever; what differs is the room a lever
has left and how far such a lever has actually moved in one year. For each lever:
- where the province stands on it now: its national rank and group among the provinces with a score;
- room: to the top of its scale and to the national best that year;
- realistic steps: the 75th and 90th percentiles of all provinces' historical one-year *gains* of that
  lever (the changes that were increases), over comparable consecutive years only (levels.py), clamped
  to the room left on the scale;
- what each step buys: the new total, rank (and places gained), group and distance to the next group,
  the lever's own new national rank and group, and the share of today's distance to the next group it
  covers. All scenarios of one table are placed in one batch (batch.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .batch import field_for, field_of, place
from .data import FRAMEWORK_START, Dataset
from .errors import InputError
from .levels import IndicatorHistory, all_histories, column
from .scenario import baseline, year_table

STEP_KINDS = {"p75": 0.75, "p90": 0.90}


@dataclass(frozen=True)
class LeverRow:
    code: str
    level: str
    value: float
    lever_rank_now: int
    lever_group_now: int
    room_scale: float
    room_best: float
    step_kind: str          # p75 | p90
    step: float             # the realistic step, clamped to the room on the scale
    history_step: float     # the percentile before clamping
    total: float
    rank: int
    rank_gain: int
    group: int
    to_next_group: float | None
    share_of_gap: float | None  # step / today's distance to the next group (None in group 1)
    lever_rank: int
    lever_group: int
    observations: int


def lever_table(ds: Dataset, year: int, province: str,
                histories: dict[str, IndicatorHistory] | None = None) -> tuple[LeverRow, ...]:
    """Every lever of the province that year, two realistic steps each (p75 and p90 of one-year gains).
    ``histories`` (levels.all_histories) can be passed in when it is cached."""
    table = year_table(ds, year)
    if year < FRAMEWORK_START:
        raise InputError("input.levers_years", year=year, first=FRAMEWORK_START)
    histories = histories if histories is not None else all_histories(ds)
    base = baseline(ds, year, province)
    rule = ds.tie_rule(year)
    k = table.index(province)
    specs = []  # (code, value, room_scale, room_best, raw steps, steps, observations, lever now, lever after)
    for code in (*table.dim_codes, *table.sub_codes):
        col = column(table, code)
        v = float(col[k])
        if np.isnan(v):
            continue
        ind = ds.indicator(code, year)
        hist = histories.get(code) or IndicatorHistory(code, (), np.zeros(0))
        gains = hist.gains
        raw = np.quantile(gains, list(STEP_KINDS.values())) if len(gains) else np.zeros(len(STEP_KINDS))
        steps = np.round(np.clip(raw, 0.0, ind.scale_max - v), 4)
        lever = place(field_of(col, k, rule), v + np.concatenate([[0.0], steps]))
        specs.append((code, v, ind.scale_max - v, max(float(np.nanmax(col)) - v, 0.0), raw, steps,
                      len(hist.changes), lever))
    totals = place(field_for(ds, year, province), base.total + np.concatenate([s[5] for s in specs]))
    gap_now = base.to_next_group
    rows, j = [], 0
    for code, v, room_scale, room_best, raw, steps, n, lever in specs:
        for m, kind in enumerate(STEP_KINDS):
            group = int(totals.group[j])
            rows.append(LeverRow(
                code=code, level=ds.level(code), value=v, lever_rank_now=int(lever.rank[0]),
                lever_group_now=int(lever.group[0]), room_scale=room_scale, room_best=room_best, step_kind=kind,
                step=float(steps[m]), history_step=float(raw[m]), total=float(totals.total[j]),
                rank=int(totals.rank[j]), rank_gain=base.rank - int(totals.rank[j]), group=group,
                to_next_group=None if group == 1 else float(totals.to_next_group[j]),
                share_of_gap=float(steps[m]) / gap_now if gap_now else None,
                lever_rank=int(lever.rank[m + 1]), lever_group=int(lever.group[m + 1]), observations=n))
            j += 1
    return tuple(rows)


def lever_json(row: LeverRow) -> dict:
    """One row as the CLI prints it (field names are a public contract: add, never rename)."""
    r4 = lambda x: None if x is None else round(float(x), 4)  # noqa: E731
    return {"code": row.code, "level": row.level, "step_kind": row.step_kind, "step": r4(row.step),
            "total": r4(row.total), "rank": row.rank, "rank_gain": row.rank_gain, "group": row.group,
            "to_next_group": r4(row.to_next_group), "lever_rank": row.lever_rank, "lever_group": row.lever_group,
            "value": r4(row.value), "lever_rank_now": row.lever_rank_now, "lever_group_now": row.lever_group_now,
            "room_scale": r4(row.room_scale), "room_best": r4(row.room_best), "history_step": r4(row.history_step),
            "share_of_gap": None if row.share_of_gap is None else round(row.share_of_gap, 4),
            "observations": row.observations}
