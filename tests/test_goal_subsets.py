"""Plans a department can act on (issue 20, item 3): --only and --max-indicators, checked against a generic
solver (scipy SLSQP on the same quadratic cost) and a brute-force enumeration written here."""
import io
import json
from itertools import combinations

import numpy as np
import pytest
from scipy.optimize import minimize

from commands.main import run
from sim.goal import GoalRequest, Target, seek
from sim.realism import change_history

BASE = ("goal", "--year", "2023", "--province", "Sơn La", "--json", "--lang", "en")


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run([*BASE, *args], out=out, err=err)
    return code, (json.loads(out.getvalue()) if code == 0 else None), err.getvalue()


def slsqp(needed: float, room: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float]:
    """min sum w x^2, sum x = needed, 0 <= x <= room (the gap effort's cost), by a generic solver."""
    res = minimize(lambda x: float(w @ x**2), room * needed / room.sum(), jac=lambda x: 2 * w * x, method="SLSQP",
                   bounds=list(zip(np.zeros(len(room)), room)),
                   constraints=[{"type": "eq", "fun": lambda x: x.sum() - needed}], options={"ftol": 1e-14})
    assert res.success
    return res.x, float(res.fun)


def test_only_moves_nothing_else_and_matches_a_generic_solver(ds):
    caps = ("--cap", "3=6", "--cap", "5=9", "--cap", "8=6")  # above the national best: the target is reachable
    code, doc, err = cli("--target-group", "1", "--only", "3", "--only", "5", "--only", "8", *caps)
    assert code == 0, err
    assert doc["reachable"] and doc["group"] == 1 and doc["only"] == ["3", "5", "8"]
    assert {s["code"] for s in doc["plan"]} <= {"3", "5", "8"}
    codes = ["3", "5", "8"]
    lim = doc["limits"]
    start = {s["code"]: s["from"] for s in doc["plan"]}
    room = np.array([lim[c]["cap"] - start[c] for c in codes])
    w = np.array([lim[c]["weight"] for c in codes])
    x, _ = slsqp(doc["needed"], room, w)
    got = np.array([next(s["change"] for s in doc["plan"] if s["code"] == c) for c in codes])
    assert np.abs(got - x).max() < 1e-4
    # nothing else changed: every other dimension and sub-dimension is the published one
    plan = seek(ds, GoalRequest(2023, "Son La", Target("group", 1), only=("3", "5", "8"),
                                caps=(("3", 6.0), ("5", 9.0), ("8", 6.0))), change_history(ds))
    before, after = plan.outcome.baseline, plan.outcome.result
    assert [c for c in before.dimensions if before.dimensions[c] != after.dimensions[c]] == codes
    assert all(v == before.subdimensions[c] for c, v in after.subdimensions.items() if c.split(".")[0] not in codes)
    assert round(before.total + got.sum(), 4) == doc["total"]


def test_only_with_default_caps_takes_each_named_dimension_to_its_cap():
    code, doc, _ = cli("--target-group", "1", "--only", "3", "--only", "5", "--only", "8")
    assert code == 0 and doc["reachable"] is False  # 0.0649 short with the named areas at the national best
    assert {s["code"]: s["to"] for s in doc["plan"]} == {c: doc["limits"][c]["cap"] for c in ("3", "5", "8")}


def brute_force(doc: dict, start: dict[str, float], n: int) -> tuple[tuple[str, ...], float]:
    """The cheapest subset of at most n dimensions reaching the need (gap effort: cost sum w x^2)."""
    lim, need = doc["limits"], doc["needed"]
    best: tuple[tuple[str, ...], float] = ((), np.inf)
    for k in range(1, n + 1):
        for s in combinations(sorted(lim), k):
            room = np.array([lim[c]["cap"] - start[c] for c in s])
            if room.sum() < need or (room <= 0).any():
                continue
            _, cost = slsqp(need, room, np.array([lim[c]["weight"] for c in s]))
            if cost < best[1] - 1e-9:
                best = (s, cost)
    return best


@pytest.mark.parametrize("n", [2, 3])
def test_max_indicators_at_dimension_level_is_the_cheapest_subset(ds, n):
    t = ds.table(2023)
    start = {c: float(t.dims[t.index("Son La"), j]) for j, c in enumerate(t.dim_codes)}
    code, doc, err = cli("--target-group", "1", "--max-indicators", str(n))
    assert code == 0, err
    assert doc["method"] == "exact" and doc["max_indicators"] == n and doc["reachable"]
    chosen, cost = brute_force(doc, start, n)
    assert tuple(sorted(s["code"] for s in doc["plan"])) == chosen
    assert abs(doc["cost"] - cost) < 1e-3 and doc["group"] == 1
    _, free, _ = cli("--target-group", "1")
    assert doc["bound_cost"] == pytest.approx(free["cost"], abs=1e-3) and doc["bound_gap"] > 0


def test_max_indicators_at_sub_level_states_its_method():
    code, small, _ = cli("--target-rank", "20", "--level", "sub", "--max-indicators", "3")
    assert code == 0 and small["method"] == "exact" and len(small["plan"]) <= 3
    code, big, _ = cli("--target-rank", "20", "--level", "sub", "--max-indicators", "5")
    assert code == 0 and big["method"] == "greedy" and len(big["plan"]) <= 5 and big["bound_gap"] >= 0
    assert big["cost"] <= small["cost"] + 1e-9 or not small["reachable"]


@pytest.mark.parametrize("args, key", [
    (("--max-indicators", "0"), "1 to 8"),
    (("--max-indicators", "9"), "1 to 8"),
    (("--only", "3", "--lock", "3"), "--only and --lock"),
    (("--only", "3", "--cap", "5=8"), "not among the --only"),
    (("--only", "9"), "no dimension 9"),
])
def test_bad_requests_are_one_line(args, key):
    code, _, err = cli("--target-group", "1", *args)
    assert code == 2 and key in err and err.count("\n") == 1 and "Traceback" not in err


def test_max_indicators_with_odds():
    code, doc, err = cli("--target-rank", "20", "--max-indicators", "2", "--probability", "0.5", "--draws", "500")
    assert code == 0, err
    assert doc["reachable"] and len(doc["plan"]) <= 2 and doc["method"] == "exact" and doc["probability"] >= 0.5
    assert doc["bound_cost"] is not None
