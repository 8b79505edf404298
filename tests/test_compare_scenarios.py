"""Scenario comparison: the numbers are sim.scenario.apply's, the baseline is always the first column."""
import pytest

from charts.compare import compare_chart, compare_frame
from sim.compare_scenarios import compare
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


def test_the_grouped_chart_carries_the_comparison_values(ds):
    c = compare(ds, [FAST, SUB])
    columns = ["Baseline", *c.names]
    rows = [(r.code, f"{r.code}. name", col, v, f"{v:.2f}") for r in c.rows if r.key == "dimension"
            for col, v in zip(columns, r.values)]
    spec = compare_chart(compare_frame(rows), "vi", {"title": "So sánh", "y": "Điểm", "dimension": "D",
                                                     "series": "S"}).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert len(values) == 8 * 3 and spec["encoding"]["xOffset"]["field"] == "series"
    assert next(v["value"] for v in values if v["code"] == "8" and v["series"] == "Fast wins") == 4.5
    assert spec["encoding"]["color"]["scale"]["domain"] == columns
    assert "replace(datum.label, '.', ',')" in str(spec["encoding"]["y"])
