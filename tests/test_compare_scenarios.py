"""Scenario comparison: the numbers are sim.scenario.apply's, the baseline is always the first column."""
import pytest

from charts.compare import CHANGE_PALETTE, compare_chart, compare_frame
from sim.compare_scenarios import compare, dimension_changes
from sim.errors import InputError
from sim.scenario import Change, NamedScenario, Scenario, apply, baseline

FAST = NamedScenario("Fast wins", Scenario(2023, "Son La", (Change("5", 0.4), Change("8", 4.5, "target"))))
SUB = NamedScenario("Health", Scenario(2023, "Son La", (Change("6.1", 2.2, "target"),)))
DIM6 = NamedScenario("Services", Scenario(2023, "Son La", (Change("6", 0.3),)))


def test_columns_are_the_baseline_then_each_scenario_as_sim_computes_them(ds):
    c = compare(ds, [FAST, SUB])
    b = baseline(ds, 2023, "Son La")
    fast, sub = apply(ds, FAST.scenario).result, apply(ds, SUB.scenario).result
    assert c.names == ("Fast wins", "Health") and c.of == b.of
    assert c.row("total").values == (b.total, fast.total, sub.total)
    assert c.row("rank").values == (b.rank, fast.rank, sub.rank)
    assert c.row("group").values == (b.group, fast.group, sub.group)
    assert c.row("to_next_group").values == (b.to_next_group, fast.to_next_group, sub.to_next_group)
    assert c.row("dimension", "8").values == (b.dimensions["8"], 4.5, b.dimensions["8"])


def test_the_best_value_of_each_row_is_marked(ds):
    c = compare(ds, [FAST, SUB])
    assert c.row("total").best == (False, True, False)      # Fast wins has the highest total
    assert c.row("rank").best == (False, True, False)       # and so the best (lowest) rank
    assert c.row("dimension", "1").best == (False, False, False)  # nobody moved it: no mark


def test_ties_mark_every_best_column(ds):
    c = compare(ds, [FAST, NamedScenario("Copy", FAST.scenario)])
    assert c.row("total").best == (False, True, True)


def test_sub_dimension_rows_appear_only_where_a_scenario_moves_one(ds):
    assert [r.code for r in compare(ds, [FAST]).rows if r.key == "subdimension"] == []
    c = compare(ds, [SUB, DIM6, FAST])
    row = c.row("subdimension", "6.1")
    base_61 = ds.table(2023).subs["Son La"]["6.1"]
    assert row.values == (base_61, 2.2, None, base_61)  # Services moves all of dimension 6: no 6.1 value
    assert row.best == (False, True, False, False)


def test_the_top_group_has_no_distance_and_counts_as_best(ds):
    top = NamedScenario("Top", Scenario(2023, "Son La", (Change("5", 10, "target"), Change("8", 10, "target"))))
    c = compare(ds, [SUB, top])
    assert c.row("to_next_group").values[2] is None and c.row("to_next_group").best == (False, False, True)


def test_scenarios_of_another_province_or_year_are_refused(ds):
    other = NamedScenario("Ha Noi", Scenario(2023, "Ha Noi"))
    with pytest.raises(InputError) as e:
        compare(ds, [FAST, other])
    assert e.value.key == "compare.mixed" and "Ha Noi" in e.value.message("en")


@pytest.mark.parametrize("n", [0, 5])
def test_one_to_four_scenarios(ds, n):
    with pytest.raises(InputError) as e:
        compare(ds, [NamedScenario(f"s{i}", FAST.scenario) for i in range(n)])
    assert e.value.key == "compare.count"


def test_dimension_changes_are_each_scenarios_move_in_whole_units_of_a_ten_thousandth(ds):
    c = compare(ds, [FAST, SUB, DIM6])
    b = baseline(ds, 2023, "Son La").dimensions
    changes = dict(dimension_changes(c))
    assert set(changes) == {"5", "6", "8"}  # the dimensions nobody moves are left out
    assert changes["5"] == (0.4, 0.0, 0.0) and changes["8"] == (round(4.5 - b["8"], 4), 0.0, 0.0)
    assert changes["6"] == (0.0, round(apply(ds, SUB.scenario).result.dimensions["6"] - b["6"], 4), 0.3)
    assert dimension_changes(compare(ds, [NamedScenario("None", Scenario(2023, "Son La"))])) == ()


TEXT = {"title": "Mỗi kịch bản thay đổi chỉ số nào", "x": "Thay đổi", "dimension": "D", "series": "S", "change": "C"}
LONG = ["Phương án A: Kế hoạch +0,5 (5, 3, 8)", "Phương án B: ít nhất để vào nhóm cao nhất",
        "Phương án C: thận trọng (+0,25)"]


def _chart(ds, scenarios):
    c = compare(ds, scenarios)
    rows = [(code, f"{code}. Công khai, minh bạch trong việc ra quyết định", name, v, f"{v:+.2f}")
            for code, changes in dimension_changes(c) for name, v in zip(c.names, changes)]
    return compare_chart(compare_frame(rows), "vi", TEXT).to_dict()


def test_the_comparison_chart_draws_the_changes_so_a_tenth_of_a_point_shows(ds):
    plans = [NamedScenario(name, Scenario(2023, "Son La", (Change("5", d), Change("3", d))))
             for name, d in zip(LONG, (0.5, 0.1, 0.25))]
    spec = _chart(ds, plans)
    bars = spec["layer"][0]
    values = spec["datasets"][bars["data"]["name"]]
    assert len(values) == 2 * 3  # two dimensions moved, three scenarios: no baseline bars
    assert next(v["change"] for v in values if v["code"] == "5" and v["series"] == LONG[1]) == 0.1
    x = bars["encoding"]["x"]
    assert x["field"] == "change" and x["scale"]["domain"][0] == 0 and x["scale"]["domain"][1] < 1  # not 0-10
    assert bars["encoding"]["yOffset"]["field"] == "series" and bars["encoding"]["y"]["field"] == "dimension"
    assert "replace(datum.label, '.', ',')" in str(x)


def test_the_comparison_chart_legend_shows_every_full_name_below_the_bars(ds):
    spec = _chart(ds, [NamedScenario(name, Scenario(2023, "Son La", (Change("5", 0.1),))) for name in LONG])
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == LONG and colour["legend"]["labelLimit"] == 0
    assert colour["legend"]["orient"] == "bottom" and colour["legend"]["columns"] == 1
    assert colour["scale"]["range"] == list(CHANGE_PALETTE[:3])


def test_the_comparison_chart_names_every_dimension_on_its_axis_in_full(ds):
    spec = _chart(ds, [FAST])
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelLimit"] == 0 and axis["labelFontSize"] >= 12 and "split" in axis["labelExpr"]
    values = next(iter(spec["datasets"].values()))
    assert {v["dimension"] for v in values} == {f"{c}. Công khai, minh bạch\ntrong việc ra quyết định" for c in "58"}
    assert {v["name"] for v in values} == {f"{c}. Công khai, minh bạch trong việc ra quyết định" for c in "58"}


def test_scenario_colours_are_the_pdf_briefs():
    from charts.palette import SCENARIOS
    assert list(CHANGE_PALETTE) == list(SCENARIOS)
