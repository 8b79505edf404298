"""Speed figures, measured not hoped: prints medians over repeated runs.

    python bench/run.py            # all
    python bench/run.py engine     # one

Targets (from the issues): one scenario well under 1 ms of engine time; a slider rerun of the
app under 150 ms (AppTest).
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


BENCHES = {"engine": bench_engine, "app": bench_app}

if __name__ == "__main__":
    ds = load_dataset()
    for name in sys.argv[1:] or list(BENCHES):
        BENCHES[name](ds)
