"""The panel's integer lookup against the engine: the group is monotone in our total, the thresholds reproduce
the groups apply computes (cut-offs moving with us, under each edition's tie rule) on thousands of totals, the
rank and the next province up agree, and a lever move maps to the total and dimensions exactly as apply."""
from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sim.load import load_dataset
from sim.headline_lookup import (Lookup, fmt_units, from_outcome, group_of, headline, headline_text, lookup, panel_texts,
                                 rank_of)
from sim.i18n import fmt_num
from sim.ranking import UNIT, groups, ranks, to_units
from sim.scenario import Change, Scenario, apply, ranked_table
from sim.units import BASES, on_basis

MANY = settings(max_examples=3000, deadline=None)
SOME = settings(max_examples=300, deadline=None)


@cache
def ds(basis: str = BASES[0]):
    base = load_dataset()
    return base if basis == BASES[0] else on_basis(base, basis)


@cache
def lk(basis: str, year: int, province: str) -> Lookup:
    return lookup(ds(basis), year, province)


@st.composite
def place(draw):
    basis = draw(st.sampled_from(BASES))
    d = ds(basis)
    year = draw(st.sampled_from(d.years))
    return basis, year, draw(st.sampled_from(ranked_table(d.table(year))[0]))


def _apply_group_rank(lookup_: Lookup, total: int) -> tuple[int, int]:
    """What the engine's national table says for us at ``total`` among the others (the same call apply makes)."""
    values = np.append(np.array(lookup_.others, dtype=float), total) / UNIT
    return int(groups(values, lookup_.rule)[-1]), int(ranks(values)[-1])


@MANY
@given(place(), st.data())
def test_thresholds_reproduce_the_engine_groups_and_ranks(where, data):
    lookup_ = lk(*where)
    # a total near an other province's, near a threshold, or anywhere: ties and cut-offs are where it breaks
    anchor = data.draw(st.sampled_from(lookup_.others + lookup_.enter + (lookup_.base_total,)))
    total = data.draw(st.one_of(st.integers(anchor - 3, anchor + 3), st.integers(60_000, 800_000)))
    assert (group_of(lookup_, total), rank_of(lookup_, total)) == _apply_group_rank(lookup_, total)


@SOME
@given(place(), st.integers(0, 700_000), st.integers(1, 50_000))
def test_group_is_monotone_in_our_total(where, low, rise):
    lookup_ = lk(*where)
    assert group_of(lookup_, low + rise) <= group_of(lookup_, low)
    assert rank_of(lookup_, low + rise) <= rank_of(lookup_, low)


@SOME
@given(place(), st.data())
def test_lever_moves_give_apply_headline(where, data):
    basis, year, province = where
    lookup_ = lk(*where)
    dims = [lv for lv in lookup_.levers if not lv.sub]
    opened = {lv.parent for lv in lookup_.levers if lv.sub and data.draw(st.booleans())}
    values, changes = {}, []
    for lv in lookup_.levers:
        if lv.sub != (lv.parent in opened) or not data.draw(st.booleans()):
            continue
        value = data.draw(st.integers(lv.low, lv.high))
        values[lv.code] = value
        changes.append(Change(lv.code, value / UNIT, "target"))
    h = headline(lookup_, values, opened)
    o = apply(ds(basis), Scenario(year, province, tuple(changes)))
    r = o.result
    assert (h.total, h.rank, h.group) == (int(to_units(r.total)), r.rank, r.group)
    assert {c: h.dimensions[c] for c in r.dimensions} == {c: int(to_units(v)) for c, v in r.dimensions.items()}
    assert (lookup_.names[h.next_up] if h.next_up is not None else None) == r.next_up
    assert h.to_next_rank == (None if r.to_next_rank is None else int(to_units(r.to_next_rank)))
    assert h.to_next_group == (None if r.to_next_group is None else int(to_units(r.to_next_group)))
    assert len(dims) == len(r.dimensions)


@pytest.mark.parametrize("year", [2011, 2015, 2019, 2024])
def test_empty_headline_is_the_published_standing(year):
    for province in ranked_table(ds().table(year))[0][::7]:
        h = headline(lk(BASES[0], year, province), {})
        b = apply(ds(), Scenario(year, province)).baseline
        assert (h.total, h.rank, h.group) == (int(to_units(b.total)), b.rank, b.group)


@settings(max_examples=2000, deadline=None)
@given(st.integers(-900_000, 900_000), st.sampled_from(["vi", "en"]), st.sampled_from([0, 2, 4]), st.booleans())
def test_fmt_units_is_fmt_num_away_from_ties(units, lang, dp, sign):
    step = 10 ** (4 - dp)
    if dp < 4 and abs(units) % step * 2 == step or (abs(units) * 2 + step) // (2 * step) == 0:
        return  # an exact tie (fmt_units rounds half away from zero, on integers) or a signed zero
    assert fmt_units(units, lang, dp, sign) == fmt_num(units / UNIT, lang, dp, sign)


def test_fmt_units_ties_and_decimal_comma():
    assert fmt_units(423_850, "vi") == "42,39"
    assert fmt_units(423_849, "en") == "42.38"
    assert fmt_units(-1, "vi", 2, sign=True) == "+0,00"
    assert fmt_units(-50, "vi", 2, sign=True) == "-0,01"
    assert fmt_units(8_504, "vi", 4) == "0,8504"


def test_texts_are_in_the_language_and_keyed_by_integers():
    lookup_ = lk(BASES[0], 2024, "Son La")
    vi = panel_texts(ds(), lookup_, "vi")
    assert vi["rank_of"][25] == f"25/{lookup_.of}" and vi["decimal"] == ","
    assert vi["groups"][1] != panel_texts(ds(), lookup_, "en")["groups"][1]
    assert "{points}" in vi["to_next_rank"] and "{province}" in vi["to_next_rank"]
    assert len(vi["names"]) == lookup_.of - 1


@SOME
@given(place(), st.data(), st.sampled_from(["vi", "en"]))
def test_panel_strings_equal_the_strings_of_apply(where, data, lang):
    basis, year, province = where
    lookup_ = lk(*where)
    texts = panel_texts(ds(basis), lookup_, lang)
    dims = [lv for lv in lookup_.levers if not lv.sub]
    moved = data.draw(st.lists(st.sampled_from(dims), max_size=3, unique=True))
    values = {lv.code: data.draw(st.integers(lv.low, lv.high)) for lv in moved}
    changes = tuple(Change(c, v / UNIT, "target") for c, v in values.items())
    o = apply(ds(basis), Scenario(year, province, changes))
    moved_any = any(values[c] != lookup_.lever(c).base for c in values)
    assert headline_text(lookup_, texts, headline(lookup_, values), moved_any) == \
        headline_text(lookup_, texts, from_outcome(lookup_, o), bool(o.applied) and moved_any)


@given(st.integers(min_value=-800_000, max_value=800_000), st.sampled_from(["vi", "en"]), st.booleans())
@example(438_850, "vi", False)  # 43.885 is 43.88499... as a float: f"{:.2f}" wrote 43,88
@example(-50, "en", True)
def test_the_panels_numbers_are_written_as_the_page_writes_them(units, lang, sign):
    """The panel's integer rounding (half away from zero) and fmt_num agree on every 4-dp value, ties included
    (43,885 is 43,89 in both), so its headline and the page never differ by 0,01."""
    from sim.headline_lookup import fmt_units
    from sim.i18n import fmt_num
    assert fmt_units(units, lang, sign=sign) == fmt_num(units / 10_000, lang, sign=sign)
