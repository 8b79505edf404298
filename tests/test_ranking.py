import numpy as np
import pytest

from sim.ranking import MARGIN, cutoffs, group_of, groups, on_cutoff, quantile, ranks, threshold_for_group


def test_quantile_is_numpy_linear():
    rng = np.random.default_rng(1)
    for n in (4, 7, 60, 61, 63):
        v = np.sort(rng.normal(40, 2, n))
        for q in (0.25, 0.5, 0.75):
            assert quantile(v, q) == pytest.approx(np.quantile(v, q), abs=1e-12)


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


@pytest.mark.parametrize("seed", range(20))
def test_threshold_for_group_agrees_with_recomputing_the_groups(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 64))
    others = np.round(rng.normal(42, 2, n - 1), 4)
    for g in (1, 2, 3):
        th = threshold_for_group(others, g)
        above = np.append(others, th + MARGIN)
        at = np.append(others, th)
        assert groups(above)[-1] <= g
        assert groups(at)[-1] > g  # exactly on the threshold is not enough
