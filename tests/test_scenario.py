import numpy as np
import pytest

from sim.errors import InputError
from sim.ranking import MARGIN
from sim.scenario import Change, Scenario, apply, baseline, parse_change


def whatif(ds, *changes, year=2023, province="Son La"):
    return apply(ds, Scenario(year, province, tuple(parse_change(c) for c in changes)))


def test_empty_scenario_reproduces_the_published_table(ds):
    o = whatif(ds)
    assert o.result == o.baseline
    np.testing.assert_array_equal(o.national_result.total, o.national_baseline.total)
    assert o.overtaken == () and o.warnings == ()


def test_a_delta_moves_the_total_by_exactly_that_much_and_reranks(ds):
    o = whatif(ds, "5=+0.4")
    assert o.result.total == pytest.approx(42.3966 + 0.4)
    assert o.result.dimensions["5"] == pytest.approx(7.3132 + 0.4)
    others = np.delete(o.national_baseline.total, o.national_baseline.provinces.index("Son La"))
    assert o.result.rank == 1 + int((others > o.result.total).sum())
    assert set(o.overtaken) == {p for p, t in zip(o.national_baseline.provinces, o.national_baseline.total)
                                if 42.3966 < t < 42.7966}


def test_a_target_sets_the_value(ds):
    o = whatif(ds, "8=4.5")
    assert o.result.dimensions["8"] == 4.5
    assert o.applied[0].change == pytest.approx(4.5 - 3.1295)


def test_values_beyond_the_scale_are_clamped_and_reported(ds):
    o = whatif(ds, "8=+9", "7=-5")
    assert o.result.dimensions["8"] == 10.0 and o.result.dimensions["7"] == 1.0
    assert {(w["code"], w["applied"]) for w in o.warnings} == {("8", 10.0), ("7", 1.0)}


def test_sub_dimension_change_moves_its_dimension_and_total(ds):
    o = whatif(ds, "6.1=+0.2")
    assert o.result.dimensions["6"] == pytest.approx(7.5906 + 0.2)
    assert o.result.total == pytest.approx(42.3966 + 0.2)
    clamped = whatif(ds, "6.1=3")  # 4 sub-dimensions: each spans 0.25-2.5
    assert clamped.applied[0].after == 2.5 and clamped.warnings


def test_cutoffs_move_with_our_score_and_regroup_others(ds):
    o = whatif(ds, "8=+3")
    nat = o.national_result
    assert o.result.group == 1
    assert nat.group[nat.provinces.index("Ha Noi")] == 2  # pushed out: Ha Noi is now 16th
    assert o.result.cutoffs != o.baseline.cutoffs


@pytest.mark.parametrize("year,province", [(2023, "Son La"), (2024, "Son La"), (2022, "Son La"),
                                           (2023, "Cao Bang"), (2021, "Ha Noi"), (2016, "Dak Nong")])
def test_points_to_next_rank_and_group_are_exact(ds, year, province):
    b = baseline(ds, year, province)
    code = "1"
    up = whatif(ds, f"{code}=+{b.to_next_rank:.4f}", year=year, province=province)
    assert up.result.rank == b.rank - 1 and b.next_up in up.overtaken
    short = whatif(ds, f"{code}=+{b.to_next_rank - 2 * MARGIN:.4f}", year=year, province=province)
    assert short.result.rank == b.rank
    if b.to_next_group is not None:
        g = whatif(ds, f"{code}=+{b.to_next_group:.4f}", year=year, province=province)
        assert g.result.group == b.group - 1
        s = whatif(ds, f"{code}=+{b.to_next_group - 2 * MARGIN:.4f}", year=year, province=province)
        assert s.result.group == b.group


def test_the_leader_has_nothing_above(ds):
    b = baseline(ds, 2023, "Thua Thien-Hue")
    assert b.rank == 1 and b.next_up is None and b.to_next_rank is None and b.to_next_group is None


def test_being_overtaken_is_reported(ds):
    o = whatif(ds, "4=-1")
    assert o.result.rank > o.baseline.rank and len(o.overtaken_by) == o.result.rank - o.baseline.rank


@pytest.mark.parametrize("text,change", [("5=+0.4", Change("5", 0.4)), ("5=-0,3", Change("5", -0.3)),
                                         ("8=4.5", Change("8", 4.5, "target")), (" 6.1 = +0.2 ", Change("6.1", 0.2))])
def test_parse_change(text, change):
    assert parse_change(text) == change


@pytest.mark.parametrize("changes,key", [
    (("5=+x",), "input.bad_change"), (("9=+1",), "input.unknown_dimension"),
    (("5=+1", "5=+2"), "input.duplicate_change"), (("6=+1", "6.1=+0.1"), "input.dimension_and_sub"),
    (("6.1=+0.1", "6=+1"), "input.dimension_and_sub"), (("5.2=+0.1",), "input.unknown_sub")])
def test_bad_changes_are_refused_with_a_reason(ds, changes, key):
    with pytest.raises(InputError) as e:
        whatif(ds, *changes)
    assert e.value.key == key and e.value.message("vi") != e.value.message("en")


def test_provinces_without_a_score_cannot_be_simulated(ds):
    with pytest.raises(InputError) as e:
        whatif(ds, year=2023, province="Quang Ninh")
    assert e.value.key == "input.no_data"
    with pytest.raises(InputError) as e:
        whatif(ds, year=2022, province="Bac Giang")
    assert e.value.key == "input.no_total"
    with pytest.raises(InputError) as e:
        whatif(ds, year=2030)
    assert e.value.key == "input.unknown_year"


@pytest.mark.parametrize("text,value", [("4,5", 4.5), ("4.5", 4.5), (" 45 ", 45.0), ("-0,25", -0.25)])
def test_parse_decimal(text, value):
    from sim.scenario import parse_decimal
    assert parse_decimal(text) == value


@pytest.mark.parametrize("text", ["", "4,5,1", "abc", "1e3", "4.5x"])
def test_parse_decimal_refuses(text):
    from sim.scenario import parse_decimal
    with pytest.raises(InputError) as e:
        parse_decimal(text)
    assert e.value.key == "input.bad_number"


def test_a_scenario_landing_exactly_on_a_rival_ties_with_it(ds):
    """Son La 2023 with D6 = 7.5205 totals exactly Dak Lak's 42.3265: they share the rank, and no
    point is needed to pass anyone but Dak Lak's next above (float noise once gave rank 31)."""
    o = apply(ds, Scenario(2023, "Son La", (parse_change("6=7.5205"),)))
    nat = o.national_result
    dak_lak = nat.rank[nat.provinces.index("Dak Lak")]
    assert o.result.total == 42.3265 and o.result.rank == dak_lak
    assert o.result.next_up != "Dak Lak"


def test_sub_dimension_change_moves_total_rank_and_group_like_a_dimension_change(ds):
    for year, province, sub in ((2024, "Ha Noi", "5.3"), (2018, "Son La", "8.1"), (2021, "Can Tho", "3.2")):
        by_sub = apply(ds, Scenario(year, province, (parse_change(f"{sub}=+0.2"),)))
        by_dim = apply(ds, Scenario(year, province, (parse_change(f"{sub.split('.')[0]}=+0.2"),)))
        for field in ("total", "rank", "group", "to_next_rank", "to_next_group"):
            assert getattr(by_sub.result, field) == pytest.approx(getattr(by_dim.result, field), abs=1e-9), field
        assert by_sub.result.subdimensions[sub] == pytest.approx(by_sub.baseline.subdimensions[sub] + 0.2)
        assert set(by_sub.result.subdimension_ranks) == set(ds.table(year).sub_codes)


def test_a_code_that_does_not_exist_that_year_names_the_codes_that_do(ds):
    for year, code in ((2023, "5.2"), (2018, "8.3")):
        with pytest.raises(InputError) as e:
            apply(ds, Scenario(year, "Son La", (parse_change(f"{code}=+0.1"),)))
        assert e.value.key == "input.unknown_sub" and "5.1" in e.value.message("en")
