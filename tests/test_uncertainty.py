import csv
import shutil

import numpy as np
import pytest

from sim.data import DATA_DIR
from sim.load import load_dataset
from sim.errors import InputError
from sim.ranking import groups, ranks
from sim.scenario import Change, Scenario, apply, national_baseline, parse_change
from sim.realism import change_history, estimate_se, realism, realism_warnings
from sim.uncertainty import (
    NoiseModel,
    _ranks_and_groups,
    make_rng,
    odds_export,
    odds_json,
    simulate,
    tied_rivals,
)

SON_LA = Scenario(2023, "Son La", (parse_change("5=+0.4"), parse_change("8=4.5")))
QUIET = NoiseModel(draws=200, rivals_move=False, own_moves=False, survey_noise=False)


@pytest.fixture(scope="module")
def hist(ds):
    return change_history(ds)


def test_history_is_2018_on_and_complete_provinces_only(ds, hist):
    assert hist.pairs == ((2018, 2019), (2019, 2020), (2020, 2021), (2021, 2022), (2022, 2023), (2023, 2024))
    assert hist.n == 362 and not np.isnan(hist.changes).any()
    k = next(i for i, (p, y) in enumerate(zip(hist.provinces, hist.end_years)) if p == "Son La" and y == 2023)
    np.testing.assert_allclose(hist.changes[k], ds.table(2023).dims[ds.table(2023).index("Son La")]
                               - ds.table(2022).dims[ds.table(2022).index("Son La")])


def test_with_all_noise_off_the_odds_collapse_to_the_deterministic_table(ds, hist):
    o = simulate(ds, SON_LA, QUIET, hist)
    out = apply(ds, SON_LA)
    for stats, nat in ((o.baseline, out.national_baseline), (o.result, out.national_result)):
        np.testing.assert_array_equal(stats.rank_p5, nat.rank)
        np.testing.assert_array_equal(stats.rank_p95, nat.rank)
        np.testing.assert_array_equal(stats.p_group.argmax(axis=1) + 1, nat.group)
        assert set(np.unique(stats.p_group)) <= {0.0, 1.0}


def test_vectorised_ranks_and_groups_match_sim_ranking_with_ties():
    rng = make_rng(3)
    draws = np.round(rng.normal(42, 1, (50, 23)), 1)  # 1 dp: many ties
    r, g = _ranks_and_groups(draws)
    for row in range(50):
        np.testing.assert_array_equal(r[row], ranks(draws[row]))
        np.testing.assert_array_equal(g[row], groups(draws[row]))


def test_probabilities_sum_to_one_and_same_seed_same_result(ds, hist):
    a = simulate(ds, SON_LA, NoiseModel(draws=2000, seed=11, survey_noise=True), hist)
    b = simulate(ds, SON_LA, NoiseModel(draws=2000, seed=11, survey_noise=True), hist)
    c = simulate(ds, SON_LA, NoiseModel(draws=2000, seed=12, survey_noise=True), hist)
    np.testing.assert_allclose(a.result.p_group.sum(axis=1), 1.0)
    np.testing.assert_allclose(a.baseline.rank_counts.sum(axis=1), 2000)
    np.testing.assert_array_equal(a.result.rank_counts, b.result.rank_counts)
    assert not np.array_equal(a.result.rank_counts, c.result.rank_counts)


@pytest.mark.parametrize("model", [NoiseModel(draws=3000), NoiseModel(draws=3000, survey_noise=True, own_trend=True)])
def test_more_improvement_never_lowers_the_odds(ds, hist, model):
    top, within = [], []
    for delta in np.arange(0.0, 3.01, 0.25):
        o = simulate(ds, Scenario(2023, "Son La", (Change("5", float(delta)),)), model, hist)
        top.append(o.result.p_group[o.us, 0])
        within.append(o.result.p_rank_at_most(o.us, 20))
    assert top == sorted(top) and within == sorted(within) and top[-1] > top[0]


def _two_province_data(tmp_path):
    """Two provinces: X changes +1 (2022->23), Y changes -1; in 2023 X = 41, Y = 39 (no official totals)."""
    d = tmp_path / "tiny"
    d.mkdir()
    for f in ("structure.csv", "provinces.csv", "group_rules.csv", "breaks.csv"):
        shutil.copy(DATA_DIR / f, d / f)
    (d / "subdimensions.csv").write_text("year,province,code,name,score,source,note\n", encoding="utf-8")
    (d / "subdimension_exceptions.csv").write_text("year,province,code,kind,value,expected,reason,source\n",
                                                  encoding="utf-8")
    rows = []
    for year, x, y in ((2022, 5.0, 5.0), (2023, 5.125, 4.875)):
        for prov, v in (("Ha Giang", x), ("Cao Bang", y)):
            rows += [[year, prov, "dimension", str(c), "n", v, "synthetic test data", ""] for c in range(1, 9)]
    with open(d / "papi_scores.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["year", "province", "level", "code", "name", "score", "source", "crosscheck"])
        w.writerows(rows)
    return load_dataset(d)


def test_a_small_synthetic_case_with_a_known_answer(tmp_path):
    ds = _two_province_data(tmp_path)
    h = change_history(ds)
    assert sorted(h.total.round(6)) == [-1.0, 1.0]
    # Y (39) reaches X (41) only when Y draws +1 and X draws -1: a tie at 40, which shares rank 1. P = 1/4.
    o = simulate(ds, Scenario(2023, "Cao Bang"), NoiseModel(draws=40_000, seed=1), h)
    assert o.baseline.p_rank_at_most(o.us, 1) == pytest.approx(0.25, abs=0.01)
    # with +2.5 for Y, it is first unless it draws -1 while X draws +1: P(rank 1) = 3/4
    o = simulate(ds, Scenario(2023, "Cao Bang", (Change("1", 2.5),)), NoiseModel(draws=40_000, seed=1), h)
    assert o.result.p_rank_at_most(o.us, 1) == pytest.approx(0.75, abs=0.01)


def test_with_rivals_frozen_our_province_still_draws_its_change(ds, hist):
    """Issue 16.2: --no-rivals froze our province too (every draw gave the same rank)."""
    o = simulate(ds, SON_LA, NoiseModel(draws=2000, rivals_move=False), hist)
    i = o.us
    assert o.result.rank_p5[i] < o.result.rank_p95[i]
    moved = np.round(o.result.us_totals - apply(ds, SON_LA).result.total, 4)
    assert len(np.unique(moved)) > 50 and set(moved) <= set(np.round(hist.total, 4))
    for j in range(len(o.result.provinces)):  # a frozen rival's rank moves only as we pass it or not
        if j != i:
            assert np.count_nonzero(o.result.rank_counts[j]) <= 2
    trend = simulate(ds, SON_LA, NoiseModel(draws=2000, rivals_move=False, own_trend=True), hist)
    assert all(np.count_nonzero(trend.result.rank_counts[j]) <= 2 for j in range(len(o.result.provinces)) if j != i)


def test_no_rivals_on_the_cli_keeps_our_rank_drawing():
    import json
    from tests.test_cli import cli
    code, out, _ = cli("whatif", "--year", "2023", "--province", "Son La", "--draws", "1000", "--no-rivals", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["scenario"]["rank_p5"] < doc["scenario"]["rank_p95"]
    assert doc["uncertainty"]["rivals_move"] is False


def test_estimated_standard_errors_are_plausible_and_documented_range(hist):
    se = estimate_se(hist)
    assert set(se) == set(hist.dim_codes)
    assert all(0.0 <= v < 0.6 for v in se.values())  # PAPI's published 95% CIs are a few tenths wide


def test_survey_noise_widens_the_rank_range(ds, hist):
    quiet = simulate(ds, SON_LA, NoiseModel(draws=4000, rivals_move=False, own_moves=False), hist)
    noisy = simulate(ds, SON_LA, NoiseModel(draws=4000, rivals_move=False, own_moves=False, survey_noise=True), hist)
    i = quiet.us
    assert quiet.result.rank_p95[i] - quiet.result.rank_p5[i] == 0
    assert noisy.result.rank_p95[i] - noisy.result.rank_p5[i] > 5
    user = simulate(ds, SON_LA, NoiseModel(draws=4000, rivals_move=False, own_moves=False, se=(("5", 0.0),)), hist)
    assert user.se_used == {} and user.result.rank_p5[i] == user.result.rank_p95[i]


def test_realism_percentiles(hist):
    col = hist.changes[:, hist.dim_codes.index("8")]
    r = realism(hist, "8", 0.8)
    assert r.share_below == pytest.approx((col < 0.8).mean()) and r.n == 362
    assert realism(hist, "8", float(np.quantile(col, 0.99))).flagged
    assert not realism(hist, "8", 0.0).flagged
    assert realism(hist, "8", float(np.quantile(col, 0.01))).flagged


def test_realism_warnings_name_the_unusual_dimensions(ds, hist):
    w = realism_warnings(hist, apply(ds, SON_LA))
    assert [x["code"] for x in w] == ["5", "8"] and w[1]["percent"] >= 95


def test_odds_json_and_params(ds, hist):
    o = simulate(ds, SON_LA, NoiseModel(draws=1000, seed=7), hist)
    j = odds_json(o, "scenario", 15)
    assert {"rank_p5", "rank_median", "rank_p95", "p_group", "p_rank_at_most"} <= j.keys()
    assert sum(j["p_group"].values()) == pytest.approx(1.0, abs=1e-3)
    assert o.params()["observations"] == 362 and o.params()["seed"] == 7


def test_refuses_years_before_the_8_dimension_framework(ds):
    with pytest.raises(InputError) as e:
        simulate(ds, Scenario(2016, "Son La"), NoiseModel(draws=200))
    assert e.value.key == "input.odds_years"


def test_national_baseline_is_untouched_by_a_run(ds, hist):
    before = national_baseline(ds, 2023).total.copy()
    simulate(ds, SON_LA, NoiseModel(draws=500), hist)
    np.testing.assert_array_equal(national_baseline(ds, 2023).total, before)


def test_tied_rivals_and_export(ds, hist):
    o = simulate(ds, SON_LA, NoiseModel(draws=3000, seed=7), hist)
    tied = tied_rivals(o)
    assert tied and all(0.2 <= p <= 0.8 for _, p in tied) and "Son La" not in dict(tied)
    assert [p for _, p in tied] == sorted((p for _, p in tied), reverse=True)
    doc = odds_export(o, 15)
    assert doc["parameters"]["draws"] == 3000 and len(doc["scenario"]) == 61
    ours = next(r for r in doc["scenario"] if r["province"] == "Son La")
    assert ours["rank_median"] == doc["ours"]["scenario"]["rank_median"]
