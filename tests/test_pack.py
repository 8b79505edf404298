"""Scenario packs: lossless JSON round trip, and a one-line message naming scenario and field for bad files."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formats.pack import FORMAT, PACK_BYTES_MAX, PackFieldError, read_pack, write_pack
from sim.errors import InputError
from sim.scenario import Change, NamedScenario, Scenario

PACK = (
    NamedScenario("Cải cách nhanh", Scenario(2023, "Son La", (Change("5", 0.4), Change("6.1", 2.2, "target"))),
                  "Sở Nội vụ; giả định: khảo sát năm 2024"),
    NamedScenario("E-government push", Scenario(2023, "Son La", (Change("8", 4.5, "target"), Change("6.4", -0.1)))),
    NamedScenario("Baseline", Scenario(2023, "Ha Noi", ())),
)


def doc(**scenario_fields):
    s = {"name": "A", "note": "", "year": 2023, "province": "Son La",
         "changes": [{"code": "5", "value": 0.4, "mode": "delta"}]}
    s.update(scenario_fields)
    return {"format": FORMAT, "version": 1, "scenarios": [s]}


def raw(d) -> bytes:
    return json.dumps(d).encode()


def test_pack_round_trip_keeps_every_field(ds):
    data = write_pack(PACK)
    assert read_pack(data) == PACK and read_pack(data, ds) == PACK
    assert "Cải cách nhanh".encode() in data  # diacritics as they are, not \\u escapes


def test_the_file_is_small_and_says_what_it_is():
    d = json.loads(write_pack(PACK))
    assert (d["format"], d["version"]) == ("papi-whatif-pack", 1) and len(write_pack(PACK)) < 2000


names = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")), min_size=1, max_size=80)
values = st.floats(min_value=-10, max_value=10, allow_nan=False).map(lambda v: round(v, 4) + 0.0)
changes = st.lists(st.builds(Change, st.sampled_from(["1", "5", "8", "6.1", "6.4", "8.3"]), values,
                             st.sampled_from(["delta", "target"])), max_size=6, unique_by=lambda c: c.code).map(tuple)
scenario = st.builds(NamedScenario, names, st.builds(Scenario, st.integers(2018, 2024), st.just("Son La"), changes),
                     st.text(max_size=40).map(lambda s: "".join(ch for ch in s if ch.isprintable()).strip()))


@given(st.lists(scenario, max_size=5, unique_by=lambda n: n.name))
@settings(max_examples=150, deadline=None)
def test_any_valid_pack_round_trips(pack):
    assert read_pack(write_pack(pack)) == tuple(pack)


def test_a_province_is_read_in_the_dataset_spelling(ds):
    (n,) = read_pack(raw(doc(province="sơn la")), ds)
    assert n.scenario.province == "Son La"


MALFORMED = [
    # (id, file bytes, expected key, scenario index or None, field or None)
    ("not json", b"{nope", "pack.not_json", None, None),
    ("not utf-8", "{}".encode("utf-16"), "pack.not_json", None, None),
    ("NaN constant", b'{"format": "papi-whatif-pack", "version": NaN}', "pack.not_json", None, None),
    ("deep nesting", b"[" * 100_000, "pack.not_json", None, None),
    ("too big", b" " * (PACK_BYTES_MAX + 1), "pack.too_big", None, None),
    ("a list", b"[]", "pack.bad_format", None, None),
    ("other format", raw({"format": "x", "version": 1, "scenarios": []}), "pack.bad_format", None, None),
    ("future version", raw({**doc(), "version": 2}), "pack.bad_version", None, None),
    ("version true", raw({**doc(), "version": True}), "pack.bad_version", None, None),
    ("unknown top field", raw({**doc(), "extra": 1}), "pack.unknown_top_field", None, None),
    ("no scenarios", raw({"format": FORMAT, "version": 1}), "pack.no_scenarios", None, None),
    ("21 scenarios", raw({**doc(), "scenarios": [doc()["scenarios"][0]] * 21}), "pack.too_many", None, None),
    ("scenario not object", raw({**doc(), "scenarios": [1]}), "pack.not_object", 1, "-"),
    ("unknown scenario field", raw(doc(owner="x")), "pack.unknown_field", 1, "owner"),
    ("missing name", raw({**doc(), "scenarios": [{"year": 2023, "province": "Son La", "changes": []}]}),
     "pack.missing_field", 1, "name"),
    ("long name", raw(doc(name="x" * 81)), "workshop.bad_name", 1, "name"),
    ("name with newline", raw(doc(name="a\nb")), None, None, None),  # line breaks fold to a space: accepted
    ("note not text", raw(doc(note=5)), "workshop.bad_note", 1, "note"),
    ("long note", raw(doc(note="n" * 501)), "workshop.bad_note", 1, "note"),
    ("year as text", raw(doc(year="2023")), "workshop.bad_year", 1, "year"),
    ("year bool", raw(doc(year=True)), "workshop.bad_year", 1, "year"),
    ("year huge", b'{"format": "papi-whatif-pack", "version": 1, "scenarios": [{"name": "A", "year": 1'
     + b"0" * 5000 + b', "province": "x", "changes": []}]}', "pack.not_json", None, None),
    ("empty province", raw(doc(province="")), "workshop.bad_province", 1, "province"),
    ("changes not a list", raw(doc(changes={"5": 0.4})), "pack.bad_changes", 1, "changes"),
    ("change missing value", raw(doc(changes=[{"code": "5", "mode": "delta"}])), "pack.missing_field", 1,
     "changes[1].value"),
    ("value as text", raw(doc(changes=[{"code": "5", "value": "0.4", "mode": "delta"}])), "workshop.bad_value", 1,
     "changes[1].value"),
    ("value overflows", b'{"format": "papi-whatif-pack", "version": 1, "scenarios": [{"name": "A", "year": 2023, '
     b'"province": "Son La", "changes": [{"code": "5", "value": 1e400, "mode": "delta"}]}]}', "workshop.bad_value", 1,
     "changes[1].value"),
    ("value beyond ten", raw(doc(changes=[{"code": "5", "value": 11, "mode": "delta"}])), "workshop.bad_value", 1,
     "changes[1].value"),
    ("bad mode", raw(doc(changes=[{"code": "5", "value": 1, "mode": "add"}])), "input.bad_change_mode", 1,
     "changes[1].mode"),
    ("bad code", raw(doc(changes=[{"code": "5a", "value": 1, "mode": "delta"}])), "pack.bad_code", 1,
     "changes[1].code"),
    ("unknown change field", raw(doc(changes=[{"code": "5", "value": 1, "mode": "delta", "x": 0}])),
     "pack.unknown_field", 1, "changes[1].x"),
    ("repeated code", raw(doc(changes=[{"code": "5", "value": 1, "mode": "delta"}] * 2)), "input.duplicate_change", 1,
     "changes"),
    ("repeated name", raw({**doc(), "scenarios": doc()["scenarios"] * 2}), "workshop.name_taken", 2, "name"),
]


@pytest.mark.parametrize("case,data,key,index,field", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_pack_names_what_is_wrong(case, data, key, index, field):
    if key is None:
        read_pack(data)
        return
    with pytest.raises(InputError) as e:
        read_pack(data)
    err = e.value
    inner = err.problem.key if isinstance(err, PackFieldError) else err.key
    assert inner == key
    for lang in ("vi", "en"):
        assert "\n" not in err.message(lang) and len(err.message(lang)) < 300
    if index is not None:
        assert (err.index, err.field) == (index, field)
        assert err.message("en").startswith(f"scenario {index}, field '{field}': ")


CHECKED = [
    ("year without data", doc(year=2030), "input.unknown_year", "year"),
    ("unknown province", doc(province="Atlantis"), "input.unknown_province", "province"),
    ("province without a score", doc(year=2023, province="Quang Ninh"), "input.no_data", "province"),
    ("unknown dimension", doc(changes=[{"code": "9", "value": 1, "mode": "delta"}]), "input.unknown_dimension", "changes"),
    ("unknown sub-dimension", doc(changes=[{"code": "6.9", "value": 1, "mode": "delta"}]), "input.unknown_sub", "changes"),
]


@pytest.mark.parametrize("case,d,key,field", CHECKED, ids=[c[0] for c in CHECKED])
def test_with_the_data_year_province_and_codes_are_checked(ds, case, d, key, field):
    with pytest.raises(PackFieldError) as e:
        read_pack(raw(d), ds)
    assert (e.value.problem.key, e.value.index, e.value.field) == (key, 1, field)


def test_writing_more_than_20_scenarios_is_refused():
    with pytest.raises(InputError) as e:
        write_pack([NamedScenario(f"s{i}", Scenario(2023, "Son La")) for i in range(21)])
    assert e.value.key == "pack.too_many"
