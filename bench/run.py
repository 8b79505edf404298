"""Speed figures, measured not hoped: prints medians over repeated runs.

    python bench/run.py            # all
    python bench/run.py engine     # one

Targets (from the issues): one scenario well under 1 ms of engine time; a slider rerun of the
app under 150 ms (AppTest); 10,000 Monte Carlo draws over 61 provinces under 100 ms; a deterministic
goal-seeking plan under 200 ms.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.data import load_dataset  # noqa: E402
from sim.scenario import Scenario, apply, parse_change  # noqa: E402


def _median_ms(fn, repeat: int, number: int = 1) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t) / number)
    return statistics.median(times) * 1000


def bench_engine(ds) -> None:
    sc = Scenario(2023, "Son La", (parse_change("5=+0.4"), parse_change("8=4.5")))
    ms = _median_ms(lambda: apply(ds, sc), repeat=30, number=100)
    print(f"engine   apply one scenario, 61 provinces, 8 dimensions: median {ms * 1000:.0f} µs (target < 1000 µs)")


def bench_app(ds) -> None:
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    values = [round(6.0 + 0.05 * k, 2) for k in range(30)]
    times = []
    for v in values:
        at.select_slider(key="dim.5").set_value(v)
        t = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t)
    assert not at.exception
    print(f"app      AppTest rerun after a dimension-5 slider move: median {statistics.median(times) * 1000:.0f} ms "
          f"over {len(times)} reruns (target < 150 ms)")


def bench_odds(ds) -> None:
    from sim.uncertainty import NoiseModel, change_history, simulate
    h = change_history(ds)
    sc = Scenario(2023, "Son La", (parse_change("5=+0.4"), parse_change("8=4.5")))
    for noise in (False, True):
        model = NoiseModel(draws=10_000, seed=7, survey_noise=noise)
        ms = _median_ms(lambda: simulate(ds, sc, model, h), repeat=15)
        print(f"odds     10,000 draws x 61 provinces, baseline + scenario, survey noise {'on ' if noise else 'off'}: "
              f"median {ms:.0f} ms (target < 100 ms)")


def bench_goal(ds) -> None:
    from sim.goal import GoalRequest, Target, seek
    from sim.uncertainty import NoiseModel, change_history
    h = change_history(ds)
    for target in (Target("rank", 15), Target("group", 1), Target("total", 45.0)):
        req = GoalRequest(2023, "Son La", target)
        ms = _median_ms(lambda: seek(ds, req, h), repeat=30)
        print(f"goal     {target.kind} {target.value:g}, deterministic: median {ms:.1f} ms (target < 200 ms)")
    req = GoalRequest(2023, "Son La", Target("rank", 15), probability=0.8, model=NoiseModel(draws=5_000, seed=7))
    ms = _median_ms(lambda: seek(ds, req, h), repeat=5)
    print(f"goal     rank 15 with P >= 0.8 (5,000 draws, bisection): median {ms:.0f} ms")


def bench_goal_sub(ds) -> None:
    """A sub-level goal plan, each effort model (target <= 50 ms), on the first province-year with sub-dimensions."""
    from sim.goal import GoalRequest, Target, seek, variables
    from sim.uncertainty import change_history
    h = change_history(ds)
    year, province = next(((y, p) for y, p in ((2024, "Ha Noi"), (2023, "Son La"))
                           if variables(ds, y, p, "sub") != ds.table(y).dim_codes), (2023, "Son La"))
    n = sum("." in c for c in variables(ds, year, province, "sub"))
    for effort in ("plausible", "gap", "equal"):
        req = GoalRequest(year, province, Target("rank", 10), level="sub", effort=effort)
        seek(ds, req, h)  # the change panel and covariance are built once per dataset
        ms = _median_ms(lambda: seek(ds, req, h), repeat=30)
        print(f"goal     sub-level plan, {province} {year} ({n} sub-dimensions), rank 10, effort {effort}: "
              f"median {ms:.1f} ms (target <= 50 ms)")


def bench_goal_evidence(ds) -> None:
    """Which effort model's plans look most like real one-year improvements (the default's evidence)."""
    from sim.goal_evidence import compare_models
    from sim.uncertainty import change_history
    h = change_history(ds)
    for level in ("dim", "sub"):
        for s in compare_models(ds, h, level).values():
            print(f"evidence {level} {s.effort:<9}: {s.cases} real improvements >= 0.3; cosine median "
                  f"{s.cosine_median:.3f}, mean {s.cosine_mean:.3f}; distance median {s.distance_median:.2f} "
                  f"typical changes; closest plan in {100 * s.best_share:.0f}% of cases")


def bench_levers(ds) -> None:
    import numpy as np

    from sim.batch import evaluate
    from sim.levels import all_histories
    from sim.levers import lever_table
    deltas = np.round(np.random.default_rng(7).uniform(-2, 4, 1000), 4)
    ms = _median_ms(lambda: evaluate(ds, 2024, "Son La", deltas), repeat=30)
    print(f"batch    1,000 scenarios of one province-year in one pass: median {ms:.1f} ms (target <= 10 ms)")
    h = all_histories(ds)
    ms = _median_ms(lambda: lever_table(ds, 2024, "Son La", h), repeat=15)
    print(f"levers   full lever table, 36 levers x 2 steps, Son La 2024: median {ms:.1f} ms (target <= 50 ms)")
    ms = _median_ms(lambda: all_histories(ds), repeat=5)
    print(f"levers   one-year histories of every indicator (built once, cached): median {ms:.0f} ms")


BENCHES = {"engine": bench_engine, "odds": bench_odds, "goal": bench_goal, "app": bench_app, "levers": bench_levers,
           "goal_sub": bench_goal_sub, "goal_evidence": bench_goal_evidence}

if __name__ == "__main__":
    ds = load_dataset()
    for name in sys.argv[1:] or list(BENCHES):
        BENCHES[name](ds)
