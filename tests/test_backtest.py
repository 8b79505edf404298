"""The odds' track record (issue 20, item 5): coverage recomputed by a second, simple implementation."""
import io
import json
from dataclasses import replace

import numpy as np

from commands.main import run
from sim.backtest import backtest, backtest_json

UNIT = 10_000


def _ranks(units: np.ndarray) -> np.ndarray:
    """Competition ranks, written plainly: 1 + how many are strictly above."""
    return np.array([1 + int((units > u).sum()) for u in units])


def simple_coverage(ds, year_from: int, draws: int, seed: int) -> tuple[int, int]:
    """(inside, n) for one year pair under the baseline model, from the raw tables: the history of changes
    known at ``year_from`` (pairs from 2018 ending at it or before), the same random draw of whole changes,
    then each province's 5% and 95% rank and the real rank of the year after."""
    rows = []
    years = [y for y in ds.years if 2018 <= y <= year_from]
    for a, b in zip(years, years[1:]):
        ta, tb = ds.table(a), ds.table(b)
        for p in ta.provinces:
            if p in tb.provinces:
                d = tb.dims[tb.index(p)] - ta.dims[ta.index(p)]
                if not np.isnan(d).any():
                    rows.append(d)
    change = np.array(rows).sum(axis=1)
    t0 = ds.table(year_from)
    names = [p for p, v in zip(t0.provinces, t0.total) if not np.isnan(v)]
    total = np.array([v for v in t0.total if not np.isnan(v)])
    rng = np.random.default_rng(seed)
    drawn = total[None, :] + change[rng.integers(0, len(change), size=(draws, len(names)))]
    ranks = np.array([_ranks(np.rint(row * UNIT).astype(np.int64)) for row in drawn])  # (draws, provinces)
    t1 = ds.table(year_from + 1)
    real_names = [p for p, v in zip(t1.provinces, t1.total) if not np.isnan(v)]
    real = dict(zip(real_names, _ranks(np.rint(np.array([v for v in t1.total if not np.isnan(v)]) * UNIT))))
    inside = n = 0
    for j, p in enumerate(names):
        if p not in real:
            continue
        r = np.sort(ranks[:, j])
        p5 = next(k for k in range(1, len(names) + 1) if (r <= k).sum() >= 0.05 * draws)
        p95 = next(k for k in range(1, len(names) + 1) if (r <= k).sum() >= 0.95 * draws)
        n += 1
        inside += p5 <= real[p] <= p95
    return inside, n


def test_coverage_matches_a_second_implementation(ds):
    doc = backtest_json(backtest(ds, draws=300, seed=3, models=("baseline",)), 300, 3, ("baseline",))
    row = next(r for r in doc["rows"] if r["year_from"] == 2021)
    inside, n = simple_coverage(ds, 2021, 300, 3)
    assert (row["inside"], row["n"]) == (inside, n) and n > 50
    assert row["coverage_5_95"] == round(inside / n, 4)


def test_no_look_ahead(ds):
    """A pair is fitted only on the years before it: removing every later year changes nothing in it."""
    early = replace(ds, tables={y: t for y, t in ds.tables.items() if y <= 2022})
    full = backtest_json(backtest(ds, 300, 7), 300, 7)
    cut = backtest_json(backtest(early, 300, 7), 300, 7)
    assert [r for r in full["rows"] if r["year_to"] <= 2022] == cut["rows"]
    for r in full["rows"]:
        assert all(b <= r["year_from"] for _, b in r["history_pairs"])


def test_backtest_cli_json():
    out, err = io.StringIO(), io.StringIO()
    assert run(["backtest", "--json", "--draws", "300"], out=out, err=err) == 0, err.getvalue()
    doc = json.loads(out.getvalue())
    rows = {r["year_from"]: r for r in doc["rows"]}
    assert sorted(rows) == [2018, 2019, 2020, 2021, 2022, 2023] and doc["seed"] == 7 and doc["draws"] == 300
    assert rows[2018]["too_few_years"] and rows[2018]["coverage_5_95"] is None
    assert rows[2019]["too_few_years"] and not rows[2020]["too_few_years"]
    assert set(rows[2021]["coverage_by_model"]) == {"baseline", "no_rivals", "trend", "survey_noise"}
    o = doc["overall"]
    pooled = (2020, 2021, 2022, 2023)
    assert o["left_out"] == [[2018, 2019], [2019, 2020]] and o["n"] == sum(rows[y]["n"] for y in pooled)
    assert o["coverage_5_95"] == round(sum(rows[y]["inside"] for y in (2020, 2021, 2022, 2023)) / o["n"], 4)
    cal = doc["calibration"]
    assert [c["bin_lo"] for c in cal] == [k / 10 for k in range(10)] and sum(c["n"] for c in cal) == 4 * o["n"]
    assert all(c["bin_lo"] <= c["predicted"] <= c["bin_hi"] for c in cal if c["n"])
    # with rivals frozen each province draws alone: its range is narrow but not a single rank for everyone
    assert 0.3 < rows[2021]["coverage_by_model"]["no_rivals"] <= 1


def test_backtest_text_is_vietnamese_and_bad_draws_one_line():
    out, err = io.StringIO(), io.StringIO()
    assert run(["backtest", "--draws", "300"], out=out, err=err) == 0
    assert "khoảng 5–95%" in out.getvalue() and "300 lần mô phỏng" in out.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert run(["backtest", "--draws", "5"], out=out, err=err) == 2 and err.getvalue().count("\n") == 1
