"""The engine's invariants, stated once and checked on random cases (hypothesis):
an empty scenario reproduces the published table; rank and group never get worse when our total rises;
a goal plan reaches its target (and an unreachable one cannot be reached within the caps)."""
from __future__ import annotations

from functools import cache

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.load import load_dataset
from sim.goal import GoalRequest, Target, default_limits, seek
from sim.report import plan_json
from sim.scenario import Change, Scenario, apply, national_baseline, ranked_table
from sim.realism import change_history

FAST = settings(max_examples=50, deadline=None)


@cache
def ds():
    return load_dataset()


@cache
def history():
    return change_history(ds())


def ranked(year: int) -> tuple[str, ...]:
    return ranked_table(ds().table(year))[0]


@st.composite
def year_and_province(draw, first_year: int = 0):
    year = draw(st.sampled_from([y for y in ds().years if y >= first_year]))
    return year, draw(st.sampled_from(ranked(year)))


def test_an_empty_scenario_reproduces_the_published_table_of_every_year():
    for year in ds().years:
        table, nat = ds().table(year), national_baseline(ds(), year)
        totals = ranked_table(table)[1]
        for i, p in enumerate(nat.provinces):
            s = apply(ds(), Scenario(year, p)).result
            assert s.total == table.total[table.index(p)]
            assert s.rank == 1 + int((totals > s.total).sum())  # the published rule: 1 + those strictly above
            assert (s.rank, s.group, s.of) == (nat.rank[i], nat.group[i], len(nat.provinces))
    son_la = apply(ds(), Scenario(2023, "Son La")).result  # published: 42.3966, rank 30 of 61, high-average
    assert (son_la.total, son_la.rank, son_la.of, son_la.group) == (42.3966, 30, 61, 2)


@FAST
@given(year_and_province())
def test_an_empty_scenario_changes_nothing(case):
    year, province = case
    o = apply(ds(), Scenario(year, province))
    assert o.result == o.baseline and not o.overtaken and not o.overtaken_by and not o.warnings


@FAST
@given(year_and_province(), st.data())
def test_rank_and_group_never_get_worse_when_our_total_rises(case, data):
    year, province = case
    codes = ds().table(year).dim_codes
    steps = st.integers(min_value=0, max_value=300).map(lambda k: k / 100)  # 0 to 3 points, 0.01 apart
    first = data.draw(st.lists(steps, min_size=len(codes), max_size=len(codes)), label="first")
    more = data.draw(st.lists(steps, min_size=len(codes), max_size=len(codes)), label="more")

    def outcome(deltas):
        return apply(ds(), Scenario(year, province, tuple(Change(c, d) for c, d in zip(codes, deltas) if d > 0)))

    a, b = outcome(first), outcome([x + y for x, y in zip(first, more)])
    assert b.result.total >= a.result.total - 1e-9
    assert b.result.rank <= a.result.rank
    assert b.result.group <= a.result.group
    assert a.result.rank <= a.baseline.rank and a.result.group <= a.baseline.group


def _meets(result, target: Target) -> bool:
    if target.kind == "rank":
        return result.rank <= target.value
    if target.kind == "group":
        return result.group <= target.value
    return result.total >= target.value - 1e-9


def _target(draw, year: int, province: str, level: str = "dim", slack: float = 0.0) -> Target:
    """A rank, group or total the province could aim for: up to first place, the top group, or its total with
    every indicator of ``level`` at its cap (plus ``slack``, a little past what is reachable)."""
    base = apply(ds(), Scenario(year, province)).baseline
    kind = draw(st.sampled_from(["rank", "group", "total"]))
    if kind == "rank":
        return Target(kind, draw(st.integers(min_value=1, max_value=base.rank)))
    if kind == "group":
        return Target(kind, draw(st.integers(min_value=1, max_value=base.group)))
    now = {**base.dimensions, **base.subdimensions}
    limits = default_limits(ds(), year, province, history(), level=level)
    best = base.total + sum(max(cap - now[c], 0.0) for c, (cap, _, _) in limits.items())
    return Target(kind, round(draw(st.floats(min_value=base.total, max_value=best + slack)), 4))


@st.composite
def goals(draw):
    year, province = draw(year_and_province(first_year=2018))
    return year, province, _target(draw, year, province)


@FAST
@given(goals())
def test_a_goal_plan_reaches_its_target_when_it_says_so(goal):
    year, province, target = goal
    plan = seek(ds(), GoalRequest(year, province, target), history())
    changes = tuple(Change(s.code, s.end, "target") for s in plan.steps)
    result = apply(ds(), Scenario(year, province, changes)).result
    assert result.total == plan.outcome.result.total
    assert _meets(result, target) == plan.reachable
    if not plan.reachable:  # every dimension at its cap does not reach it either
        limits = default_limits(ds(), year, province, history())
        at_caps = tuple(Change(c, cap, "target") for c, (cap, _, _) in limits.items())
        assert not _meets(apply(ds(), Scenario(year, province, at_caps)).result, target)


@FAST
@given(year_and_province(first_year=2018))
def test_the_plan_never_exceeds_a_cap_or_lowers_a_dimension(case):
    year, province = case
    plan = seek(ds(), GoalRequest(year, province, Target("rank", 1)), history())
    for s in plan.limits:
        assert s.start - 1e-9 <= s.end <= max(s.cap, s.start) + 1e-9
    assert np.isfinite(plan.cost)


@st.composite
def goals_at_either_level(draw):
    year, province = draw(year_and_province(first_year=2018))
    level = draw(st.sampled_from(["dim", "sub"]))
    return year, province, level, _target(draw, year, province, level, slack=0.01)


@FAST
@given(goals_at_either_level())
def test_a_plan_applied_exactly_as_printed_reaches_its_target_and_its_printed_caps_are_the_caps_used(goal):
    """Issue 16.1: sub-dimensions carry more digits than are printed; the plan and caps a user reads
    (4 dp, the JSON document) are what the engine computed with, at both levels."""
    year, province, level, target = goal
    plan = seek(ds(), GoalRequest(year, province, target, level=level), history())
    doc = plan_json(ds(), plan)
    printed = tuple(Change(s["code"], s["to"], "target") for s in doc["plan"])
    result = apply(ds(), Scenario(year, province, printed)).result
    assert result.total == plan.outcome.result.total == doc["total"]
    assert _meets(result, target) == plan.reachable
    for s in plan.limits:
        assert doc["limits"][s.code]["cap"] == s.cap == round(s.cap, 4)
        assert s.end <= s.cap or s.end == s.start
    at_caps = tuple(Change(c, v["cap"], "target") for c, v in doc["limits"].items())
    best = apply(ds(), Scenario(year, province, at_caps)).result
    assert _meets(best, target) == plan.reachable or plan.already_met
    if not plan.reachable:  # the best the plan reports is everything at its printed cap
        assert best.total == doc["total"]
