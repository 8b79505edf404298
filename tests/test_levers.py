"""The batch engine and the lever table agree with one-at-a-time what-if runs."""
import json

import numpy as np
import pytest

from commands.main import run
from sim.batch import evaluate
from sim.errors import InputError
from sim.levels import all_histories
from sim.levers import lever_table
from sim.scenario import Change, Scenario, apply


@pytest.fixture(scope="module")
def histories(ds):
    return all_histories(ds)


@pytest.mark.parametrize("year,province", [(2023, "Son La"), (2019, "Dien Bien"), (2024, "Ha Noi"), (2021, "Can Tho")])
def test_batch_places_every_total_as_apply_does(ds, year, province):
    rng = np.random.default_rng(year)
    deltas = np.round(rng.uniform(-3, 6, 300), 4)
    placed = evaluate(ds, year, province, deltas)
    for j in range(0, 300, 7):
        r = apply(ds, Scenario(year, province, (Change("1", float(deltas[j])),))).result
        if abs(r.total - placed.total[j]) > 1e-9:  # the dimension's scale clamped the change
            continue
        assert (int(placed.rank[j]), int(placed.group[j])) == (r.rank, r.group)
        assert (r.to_next_group is None and np.isnan(placed.to_next_group[j])) or \
            placed.to_next_group[j] == pytest.approx(r.to_next_group, abs=1e-9)


@pytest.mark.parametrize("year,province", [(2024, "Son La"), (2018, "Son La"), (2020, "Phu Yen")])
def test_lever_table_equals_one_at_a_time_whatif(ds, histories, year, province):
    rows = lever_table(ds, year, province, histories)
    assert len({r.code for r in rows}) == len(ds.table(year).dim_codes) + len(ds.table(year).sub_codes)
    for r in rows:
        o = apply(ds, Scenario(year, province, (Change(r.code, r.step),)))
        res = o.result
        places = (res.subdimension_groups, res.subdimension_ranks) if "." in r.code else \
            (res.dimension_groups, res.dimension_ranks)
        assert (round(res.total, 4), res.rank, res.group) == (round(r.total, 4), r.rank, r.group), r
        assert (places[0][r.code], places[1][r.code]) == (r.lever_group, r.lever_rank), r
        assert r.rank_gain == o.baseline.rank - res.rank
        assert 0 <= r.step <= r.room_scale + 1e-9


def test_steps_are_percentiles_of_gains_that_never_span_a_break(ds, histories):
    assert (2020, 2021) not in histories["5.3"].pairs and (2018, 2019) not in histories["8.1"].pairs
    assert (2021, 2022) not in histories["1.1"].pairs and (2019, 2020) not in histories["8.3"].pairs
    assert "5.2" in histories and all(b <= 2020 for _, b in histories["5.2"].pairs)
    rows = {(r.code, r.step_kind): r for r in lever_table(ds, 2024, "Son La", histories)}
    gains = histories["5.3"].gains
    assert rows[("5.3", "p75")].history_step == pytest.approx(np.quantile(gains, 0.75))
    assert rows[("5.3", "p90")].step >= rows[("5.3", "p75")].step


def test_levers_before_2018_are_refused(ds):
    with pytest.raises(InputError) as e:
        lever_table(ds, 2016, "Son La")
    assert e.value.key == "input.levers_years"


def test_cli_levers_json_rows_carry_the_documented_fields():
    import io
    out, err = io.StringIO(), io.StringIO()
    assert run(["levers", "--year", "2024", "--province", "Son La", "--json"], out=out, err=err) == 0
    doc = json.loads(out.getvalue())
    keys = {"code", "level", "step_kind", "step", "total", "rank", "rank_gain", "group", "to_next_group",
            "lever_rank", "lever_group"}
    assert doc["rows"] and all(keys <= set(row) for row in doc["rows"])
    assert {row["level"] for row in doc["rows"]} == {"dimension", "subdimension"}


def test_dropped_sub_dimensions_come_from_the_structure(ds):
    from sim.levels import dropped_subs
    assert dropped_subs(ds, 2024, "5") == dropped_subs(ds, 2021, "5") == (("5.2", 2020),)
    assert dropped_subs(ds, 2020, "5") == () and dropped_subs(ds, 2024, "6") == ()
    assert dropped_subs(ds, 2017, "1") == ()  # no sub-dimensions that year: nothing to explain
    from sim.editions import add_year
    from tests.test_editions import rows_from
    added = add_year(ds, 2025, rows_from(ds, shift=0.0))  # a user's year borrows 2024's rows, starting in 2025
    assert dropped_subs(added, 2025, "5") == (("5.2", 2020),)
