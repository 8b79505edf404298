"""A province's own plan areas, read from data/plan_areas.csv (with the source that names them).

The what-if page offers them as a named preset for that province only ("Sơn La's plan (5, 3, 8)"): the
file, not the code, says which province and which dimensions, in the plan's order.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .csvread import read_rows
from .errors import DataError

PLAN_FILE = Path(__file__).resolve().parent.parent / "data" / "plan_areas.csv"
PLAN_COLUMNS = ("province", "code", "area", "source")


@dataclass(frozen=True)
class PlanAreas:
    """One province's plan: the dimensions it names, in its order, and where each comes from."""
    province: str
    codes: tuple[str, ...]
    sources: tuple[str, ...]


def load_plan(path: Path = PLAN_FILE) -> PlanAreas:
    """The plan file: one province, each dimension once, no empty cell (DataError naming the row if not)."""
    rows = read_rows(path, PLAN_COLUMNS)
    if not rows:
        raise DataError("empty_value", path.name, 2, "province")
    province = rows[0][1]["province"]
    codes: list[str] = []
    for line, r in rows:
        for column in PLAN_COLUMNS:
            if not r[column].strip():
                raise DataError("empty_value", path.name, line, column)
        if r["province"] != province:
            raise DataError("duplicate_row", path.name, line, "province", value=r["province"])
        if r["code"] in codes:
            raise DataError("duplicate_row", path.name, line, "code", value=r["code"])
        codes.append(r["code"])
    return PlanAreas(province, tuple(codes), tuple(r["source"] for _, r in rows))
