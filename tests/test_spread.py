"""sim.spread: a dimension's change shared among its sub-dimensions in whole 0.0001 units."""
import pytest

from sim.ranking import UNIT
from sim.spread import spread_change


def units(values: dict) -> dict:
    return {c: round(v * UNIT) for c, v in values.items()}


def test_an_even_change_is_shared_equally_and_adds_up_exactly():
    out = spread_change({"5.1": 1.8, "5.3": 2.0, "5.4": 2.2}, dict.fromkeys(("5.1", "5.3", "5.4"), 1 / 3),
                        dict.fromkeys(("5.1", "5.3", "5.4"), 10 / 3), 0.5)
    moved = {c: units(out.values)[c] - units({"5.1": 1.8, "5.3": 2.0, "5.4": 2.2})[c] for c in out.values}
    assert sum(moved.values()) == 5000 and moved == {"5.1": 1667, "5.3": 1667, "5.4": 1666} and out.left_over == 0


def test_a_sub_dimension_at_its_scale_end_passes_the_rest_on():
    out = spread_change({"8.1": 3.3, "8.2": 1.0}, {"8.1": 1 / 3, "8.2": 1 / 3}, {"8.1": 10 / 3, "8.2": 10 / 3}, 0.5)
    assert out.values["8.1"] == pytest.approx(3.3333) and out.values["8.2"] == pytest.approx(1.4667)
    assert sum(units(out.values).values()) == round((3.3 + 1.0 + 0.5) * UNIT) and out.left_over == 0


def test_a_cut_stays_above_each_scale_minimum_and_what_does_not_fit_is_reported():
    out = spread_change({"1.1": 0.3, "1.2": 0.5}, {"1.1": 0.25, "1.2": 0.25}, {"1.1": 2.5, "1.2": 2.5}, -1.0)
    assert out.values == {"1.1": 0.25, "1.2": 0.25} and out.left_over == pytest.approx(-0.7)


def test_nothing_to_spread_changes_nothing():
    out = spread_change({"6.1": 2.0, "6.2": 1.5}, {"6.1": 0.25, "6.2": 0.25}, {"6.1": 2.5, "6.2": 2.5}, 0.0)
    assert out.values == {"6.1": 2.0, "6.2": 1.5} and out.left_over == 0
