import numpy as np
import pytest

from sim.compare import (
    FOCUS_DIMENSIONS,
    baseline_frame,
    dimension_stats,
    national_frame,
    neighbourhood_frame,
    preset_best,
    preset_focus,
    preset_median,
    profile_frame,
    waterfall_frame,
    weak_dimensions,
)
from sim.scenario import Scenario, apply, baseline


def test_dimension_stats_are_median_and_best_of_provinces_with_a_score(ds):
    st = dimension_stats(ds, 2023)["8"]
    col = ds.table(2023).dims[:, 7]
    assert st.median == np.median(col[~np.isnan(col)]) and st.best == np.nanmax(col) and st.n == 61


def test_dimension_groups_count_provinces_without_a_total(ds):
    # 2022: Bac Giang has D3 but no total; it still belongs to D3's distribution
    col = ds.table(2022).dims[:, 2]
    son_la = col[ds.table(2022).index("Son La")]
    assert (~np.isnan(col)).sum() == 62
    assert baseline(ds, 2022, "Son La").dimension_ranks["3"] == 1 + int((col[~np.isnan(col)] > son_la).sum())


def test_weak_dimensions_are_those_below_the_median_worst_first(ds):
    weak = weak_dimensions(ds, 2023, "Son La")
    stats, b = dimension_stats(ds, 2023), baseline(ds, 2023, "Son La")
    assert set(weak) == {c for c, v in b.dimensions.items() if v < stats[c].median}
    gaps = [stats[c].median - b.dimensions[c] for c in weak]
    assert gaps == sorted(gaps, reverse=True)


def test_presets(ds):
    focus = apply(ds, Scenario(2023, "Son La", preset_focus(ds, 2023, "Son La")))
    assert focus.result.total == pytest.approx(42.3966 + 0.5 * len(FOCUS_DIMENSIONS))
    med = apply(ds, Scenario(2023, "Son La", preset_median(ds, 2023, "Son La")))
    stats = dimension_stats(ds, 2023)
    assert all(v >= stats[c].median - 1e-12 for c, v in med.result.dimensions.items())
    best = apply(ds, Scenario(2023, "Son La", preset_best(ds, 2023, "Son La", "8")))
    assert best.result.dimensions["8"] == stats["8"].best
    assert preset_focus(ds, 2016, "Son La")[-1].code == "3"  # no D8 before 2018


def test_chart_frames_agree_with_the_outcome(ds):
    o = apply(ds, Scenario(2023, "Son La", preset_focus(ds, 2023, "Son La")))
    nat = national_frame(ds, o)
    us = nat[nat["is_us"]].iloc[0]
    assert (us["scenario"], us["rank_scenario"], us["group_scenario"]) == (o.result.total, o.result.rank, o.result.group)
    assert len(nat) == 61 and list(nat["rank_scenario"]) == sorted(nat["rank_scenario"])
    wf = waterfall_frame(o)
    assert wf["end"].iloc[-1] == pytest.approx(wf[wf.step == "dimension"]["change"].sum() + o.baseline.total)
    assert list(wf[wf.step == "dimension"]["code"]) == sorted(c.code for c in preset_focus(ds, 2023, "Son La"))
    prof = profile_frame(ds, o)
    assert prof.set_index("code")["group_scenario"].to_dict() == o.result.dimension_groups
    near = neighbourhood_frame(ds, o, k=3)
    assert len(near) == 7 and near[near["is_us"]]["gap"].iloc[0] == 0
    assert (near["gap"].iloc[:3] > 0).all() and (near["gap"].iloc[4:] <= 0).all()


def test_baseline_frame(ds):
    df = baseline_frame(ds, 2023)
    assert len(df) == 61 and df.iloc[0]["rank"] == 1
    assert df.set_index("province").loc["Son La", "total"] == 42.3966


def test_weak_spots_are_the_provinces_own_bottom_quartile_weakest_first(ds):
    from sim.compare import indicator_stats, weak_spots
    from sim.scenario import baseline
    for year, province in ((2024, "Son La"), (2023, "Ha Noi"), (2024, "Can Tho")):
        spots = weak_spots(ds, year, province)
        b = baseline(ds, year, province)
        stats = indicator_stats(ds, year)
        in_bottom = [b.dimension_groups[c] == 4 for c in spots]
        # the bottom quartile when there is one, else the dimensions furthest below the median
        assert spots and (all(in_bottom) or (not any(b.dimension_groups[c] == 4 for c in b.dimensions)
                                             and all(b.dimensions[c] < stats[c].median for c in spots)))
        gap = [(stats[c].median - b.dimensions[c]) / 9 for c in spots]
        assert gap == sorted(gap, reverse=True)
    assert weak_spots(ds, 2024, "Son La") != weak_spots(ds, 2024, "Ha Noi")  # no longer one plan for all


def test_sub_dimension_weak_spots_use_the_sub_dimension_groups(ds):
    from sim.compare import weak_spots
    from sim.scenario import baseline
    b = baseline(ds, 2024, "Son La")
    spots = weak_spots(ds, 2024, "Son La", "subdimension")
    assert spots and all(b.subdimension_groups[c] == 4 for c in spots)


def test_focus_preset_acts_on_weak_spots_and_son_la_keeps_its_plan(ds):
    from sim.compare import preset_focus, preset_plan, weak_spots
    assert [c.code for c in preset_focus(ds, 2024, "Ha Noi")] == list(weak_spots(ds, 2024, "Ha Noi"))
    assert [c.code for c in preset_plan(ds, 2024, "Son La")] == ["5", "3", "8"]
    assert preset_plan(ds, 2024, "Ha Noi") == ()


def test_indicator_stats_cover_dimensions_and_sub_dimensions(ds):
    from sim.compare import indicator_stats
    st = indicator_stats(ds, 2024)
    assert len(st) == 8 + 28 and st["5.3"].level == "subdimension" and st["5.3"].n == 61
    col = ds.table(2024).sub_values[:, ds.table(2024).sub_codes.index("5.3")]
    assert st["5.3"].best == np.nanmax(col) and st["5.3"].q25 <= st["5.3"].median <= st["5.3"].q75


def test_past_best_compares_whole_units_not_float_noise():
    from sim.compare import past_best
    assert past_best(7.6390, 7.5900) and past_best(7.5901, 7.59)
    assert not past_best(7.59, 7.59) and not past_best(0.1 + 0.2, 0.3)  # 0.30000000000000004 is 0,3000
