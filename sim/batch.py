"""Many scenarios of one province in one year, evaluated in one numpy pass.

Rank and group depend only on our total while every other province keeps its published score, so
a batch needs the others' totals once: rank = 1 + the number of others strictly above (a binary
search in whole units of 0.0001), group = the best group whose exact lowest score (found once per
group, cut-offs moving with our own score: ranking.min_score_for_group) we reach. This is the same
arithmetic as scenario.apply, which the tests check row by row.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import Dataset
from .ranking import from_units, min_score_for_group, to_units
from .scenario import ranked_table, require_province, year_table


@dataclass(frozen=True, eq=False)
class Field:
    """Everyone else's totals in one year, ready to place any total of ours."""
    year: int
    province: str
    baseline: float
    of: int
    others_desc: np.ndarray   # units, highest first
    group_floor: np.ndarray   # units: the lowest total in group 1, 2, 3 (cut-offs moving with ours)


def field_of(values: np.ndarray, k: int, rule: str, year: int = 0, province: str = "") -> Field:
    """The field of row ``k`` in any column of scores (a total, a dimension or a sub-dimension; NaN =
    no score, left out)."""
    present = ~np.isnan(values)
    others = values[present & (np.arange(len(values)) != k)]
    floors = np.array([int(to_units(min_score_for_group(others, g, rule))) for g in (1, 2, 3)], dtype=np.int64)
    desc = np.sort(to_units(others))[::-1]
    return Field(year, province, float(values[k]), int(present.sum()), desc, floors)


def field_for(ds: Dataset, year: int, province: str) -> Field:
    """Everyone else's totals in ``year``, for placing totals of ``province``."""
    table = year_table(ds, year)
    names, total, _ = ranked_table(table)
    i = require_province(table, names, province)
    return field_of(total, i, ds.tie_rule(year), year, province)


@dataclass(frozen=True, eq=False)
class Placed:
    """Rank, group and distance to the next group of each total in a batch (arrays aligned)."""
    total: np.ndarray
    rank: np.ndarray
    group: np.ndarray
    to_next_group: np.ndarray  # NaN in group 1


def place(f: Field, totals: np.ndarray) -> Placed:
    """Place many totals of ours (one per scenario) among the others, exactly at 4 dp."""
    units = to_units(totals)
    # others strictly above: others_desc is descending, so count those > units
    above = np.searchsorted(-f.others_desc, -units, side="left")
    rank = 1 + above
    group = 4 - (units[:, None] >= f.group_floor[None, ::-1]).sum(axis=1)
    nxt = np.where(group > 1, f.group_floor[np.clip(group - 2, 0, 2)] - units, 0)
    to_next = np.where(group > 1, from_units(np.maximum(nxt, 1)), np.nan)
    return Placed(from_units(units), rank, group, to_next)


def evaluate(ds: Dataset, year: int, province: str, total_changes: np.ndarray) -> Placed:
    """Rank, group and distance to the next group for each total change of ours (m scenarios)."""
    f = field_for(ds, year, province)
    return place(f, f.baseline + np.asarray(total_changes, dtype=float))
