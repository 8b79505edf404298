"""Scenario links: lossless round trips (dimensions and sub-dimensions), URL-safe, strict parser."""
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formats.link import LINK_MAX, from_link, to_link
from sim.errors import InputError
from sim.scenario import Change, Scenario, apply

DIMS = [str(d) for d in range(1, 9)]
SUBS = ["1.1", "2.4", "3.3", "5.4", "6.1", "6.2", "8.3"]


def test_a_readable_example():
    changes = (Change("5", 0.4), Change("8", 4.5, "target"), Change("6.1", -0.2))
    assert to_link(changes) == "v1~5d0.4~8t4.5~6.1d-0.2"
    assert from_link("v1~5d0.4~8t4.5~6.1d-0.2") == changes


def test_no_change_is_the_version_alone():
    assert to_link(()) == "v1" and from_link("v1") == ()


@pytest.mark.parametrize("text", ["v1~5d0.4", "v1~8t4.5~5d-10", "v1~6.1t2.2~6.2d0.0001", "v1~1t10~2t1~3d0"])
def test_canonical_links_read_and_write_back_the_same(text):
    assert to_link(from_link(text)) == text


values = st.floats(min_value=-10, max_value=10, allow_nan=False).map(lambda v: round(v, 4) + 0.0)
change = st.builds(Change, st.sampled_from(DIMS + SUBS), values, st.sampled_from(["delta", "target"]))
change_lists = st.lists(change, max_size=12, unique_by=lambda c: c.code).map(tuple)


@given(change_lists)
@settings(max_examples=300, deadline=None)
def test_link_round_trip_is_lossless_at_4_dp(changes):
    link = to_link(changes)
    assert from_link(link) == changes
    assert len(link) <= LINK_MAX


@given(change_lists)
@settings(max_examples=100, deadline=None)
def test_a_link_needs_no_escaping_in_a_url(changes):
    link = to_link(changes)
    assert quote(link, safe="") == link and urlencode({"s": link}) == f"s={link}"


def test_the_engine_gives_the_same_result_after_a_round_trip(ds):
    changes = (Change("5", 0.4), Change("8", 4.5, "target"), Change("6.1", 0.1234))
    before = apply(ds, Scenario(2023, "Son La", changes)).result
    after = apply(ds, Scenario(2023, "Son La", from_link(to_link(changes)))).result
    assert (after.total, after.rank, after.group) == (before.total, before.rank, before.group)


MALFORMED = [
    ("empty", "", "link.bad_version"),
    ("future version", "v2~5d1", "link.bad_version"),
    ("no version", "5d0.4", "link.bad_version"),
    ("upper-case version", "V1~5d1", "link.bad_version"),
    ("unknown op", "v1~5x1", "link.bad_change"),
    ("no number", "v1~5d", "link.bad_change"),
    ("leading zero code", "v1~05d1", "link.bad_change"),
    ("exponent", "v1~5d1e3", "link.bad_change"),
    ("nan", "v1~5dnan", "link.bad_change"),
    ("inf", "v1~5dinf", "link.bad_change"),
    ("beyond ten", "v1~5d10.5", "link.bad_change"),
    ("five decimals", "v1~5d0.12345", "link.bad_change"),
    ("plus sign", "v1~5d+0.4", "link.bad_change"),
    ("plus decoded as a space", "v1~5 0.4", "link.bad_change"),
    ("superscript digit", "v1~5d²", "link.bad_change"),
    ("full-width digit", "v1~５d1", "link.bad_change"),
    ("three-level code", "v1~6.1.2d1", "link.bad_change"),
    ("empty item", "v1~~5d1", "link.bad_change"),
    ("markdown", "v1~[x](http://e.x)", "link.bad_change"),
    ("repeated code", "v1~5d1~5t2", "link.duplicate"),
    ("too many", "v1" + "".join(f"~{d}.{s}d0" for d in range(1, 9) for s in range(1, 7)), "link.too_many"),
    ("too long", "v1~" + "5" * 5000, "link.too_long"),
]


@pytest.mark.parametrize("case,text,key", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_link_is_refused_with_its_own_message(case, text, key):
    with pytest.raises(InputError) as e:
        from_link(text)
    assert e.value.key == key
    message = e.value.message("vi")
    assert "\n" not in message and len(message) < 300


def test_the_message_names_the_change_that_is_wrong():
    with pytest.raises(InputError) as e:
        from_link("v1~5d0.4~8q4")
    assert "change 2 '8q4'" in e.value.message("en")
