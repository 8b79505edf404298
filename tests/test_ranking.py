import numpy as np
import pytest

from sim.ranking import (
    MARGIN,
    cutoffs,
    group_of,
    groups,
    min_score_for_group,
    on_cutoff,
    quantile,
    ranks,
    threshold_for_group,
)


def test_quantile_is_numpy_linear():
    rng = np.random.default_rng(1)
    for n in (4, 7, 60, 61, 63):
        v = np.sort(np.round(rng.normal(40, 2, n), 4))  # scores at the data's precision
        for q in (0.25, 0.5, 0.75):
            assert quantile(v, q) == pytest.approx(np.quantile(v, q), abs=1e-9)


def test_ranks_are_competition_ranks_and_skip_missing():
    assert ranks(np.array([3.0, 5.0, 5.0, 1.0, np.nan])).tolist() == [3, 1, 1, 4, 0]


def test_groups_on_a_small_known_case():
    # 9 scores 1..9: q75 = 7, q50 = 5, q25 = 3; a score on a cut-off falls in the lower group
    v = np.arange(1.0, 10.0)
    assert cutoffs(v).as_tuple() == (7.0, 5.0, 3.0)
    assert groups(v).tolist() == [4, 4, 4, 3, 3, 2, 2, 1, 1]
    assert group_of(7.0, cutoffs(v)) == 2 and on_cutoff(7.0, cutoffs(v)) == (1,)


def test_missing_scores_are_left_out_of_the_cutoffs():
    v = np.array([1.0, 2.0, 3.0, 4.0, 5.0, np.nan])
    assert cutoffs(v).as_tuple() == (4.0, 3.0, 2.0)
    assert groups(v)[-1] == 0


@pytest.mark.parametrize("rule", ["lower", "upper"])
@pytest.mark.parametrize("seed", range(20))
def test_threshold_for_group_agrees_with_recomputing_the_groups(seed, rule):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 64))
    others = np.round(rng.normal(42, 2, n - 1), 4)
    for g in (1, 2, 3):
        low = min_score_for_group(others, g, rule)
        assert groups(np.append(others, low), rule)[-1] <= g
        assert groups(np.append(others, low - MARGIN), rule)[-1] > g  # one unit less is not enough
        assert threshold_for_group(others, g, rule) == pytest.approx(low - MARGIN, abs=1e-12)


def test_upper_rule_puts_a_score_on_a_cut_off_in_the_upper_group():
    v = np.arange(1.0, 10.0)
    assert groups(v, "upper").tolist() == [4, 4, 3, 3, 2, 2, 1, 1, 1]
    assert group_of(7.0, cutoffs(v, "upper")) == 1


def test_scores_equal_at_4_dp_tie_whatever_the_float_noise():
    a = 42.3265
    b = 42.3966 + (7.5205 - 7.5906)  # Son La 2023 with D6 set to 7.5205: 42.326499999999996 in floats
    assert a != b
    assert ranks(np.array([a, b, 41.0])).tolist() == [1, 1, 3]
    assert groups(np.array([a, b, 41.0, 40.0, 39.0])).tolist()[:2] == [2, 2]  # both on q75: same group


def test_on_cutoff_is_strict_at_half_a_unit():
    cuts = cutoffs(np.array([1.0, 1.0001]))  # q50 = 1.00005: every score is half a unit from it
    assert 2 not in on_cutoff(1.0, cuts) and 2 not in on_cutoff(1.0001, cuts)
    assert on_cutoff(1.0, cuts) == (3,)  # q25 = 1.000025 is a quarter unit away
    assert on_cutoff(1.0, cutoffs(np.array([1.0, 1.0, 1.0]))) == (1, 2, 3)


@pytest.mark.parametrize("rule", ["lower", "upper"])
def test_places_of_all_columns_at_once_equal_column_by_column(ds, rule):
    from sim.ranking import dimension_places
    for year in (2018, 2019, 2022, 2023):
        tb = ds.table(year)
        for k in range(0, len(tb.provinces), 5):
            g, r = dimension_places(tb.sub_values, k, tb.sub_codes, rule)
            for j, code in enumerate(tb.sub_codes):
                col = tb.sub_values[:, j]
                if np.isnan(col[k]):
                    assert code not in g
                    continue
                present = ~np.isnan(col)
                pos = int(present[:k].sum())
                assert g[code] == groups(col[present], rule)[pos] and r[code] == ranks(col[present])[pos]
