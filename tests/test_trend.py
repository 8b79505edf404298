"""Trends and peers: values equal the data, published Son La facts, no line or span across a break."""
import json
import math

import pytest

from sim.errors import InputError
from sim.peers import find_peers, reach_scenario
from sim.scenario import apply, national_baseline
from sim.trend import (
    TOTAL,
    breaks,
    crosses_break,
    framework_start,
    series,
    trend,
    value,
)
from tests.test_cli import cli

# Published: DOMAIN.md, "Our data: 2019 rank 11/63, 2020 45/63, 2021 50/60, 2022 46/61, 2023 30/61, 2024 25/61"
SON_LA_RANKS = {2019: (11, 63), 2020: (45, 63), 2021: (50, 60), 2022: (46, 61), 2023: (30, 61), 2024: (25, 61)}
def test_trend_rows_equal_the_data(ds):
    for r in trend(ds, "Son La"):
        table = ds.table(r.year)
        k = table.index("Son La")
        assert r.dimensions == {c: float(table.dims[k, j]) for j, c in enumerate(table.dim_codes)}
        assert r.total == float(table.total[k]) and r.subdimensions == table.subs.get("Son La", {})
        nat = national_baseline(ds, r.year)
        i = nat.provinces.index("Son La")
        assert (r.rank, r.of, r.group) == (int(nat.rank[i]), len(nat.provinces), int(nat.group[i]))


def test_trend_reproduces_the_published_son_la_ranks(ds):
    got = {r.year: (r.rank, r.of) for r in trend(ds, "Son La") if r.year in SON_LA_RANKS}
    assert got == SON_LA_RANKS
    assert next(r for r in trend(ds, "Son La") if r.year == 2023).total == 42.3966


def test_2011_2017_is_flagged_as_the_six_dimension_era(ds):
    rows = {r.year: r for r in trend(ds, "Son La")}
    assert rows[2017].era == "2011-2017" and rows[2017].scale == (6.0, 60.0) and len(rows[2017].dimensions) == 6
    assert rows[2018].era == "2018-2024" and rows[2018].scale == (8.0, 80.0)
    assert framework_start(ds) == 2018


def test_the_total_series_never_joins_2017_and_2018(ds):
    s = series(ds, "Son La", TOTAL)
    assert [b.year for b in s.breaks] == [2018] and s.breaks[0].kind == "framework"
    assert all(not (min(seg.years) < 2018 <= max(seg.years)) for seg in s.segments)


@pytest.mark.parametrize("code", ["1", "5", "8", "1.1", "3.2", "5.1", "6.1", "8.1", "8.3", TOTAL])
def test_no_segment_crosses_a_break(ds, code):
    for province in ("Son La", "Ha Noi", "Lao Cai"):
        s = series(ds, province, code)
        for seg in s.segments:
            assert crosses_break(s.breaks, seg.years[0], seg.years[-1]) is None


def test_a_missing_year_starts_a_new_segment(ds):
    s = series(ds, "Quang Ninh", "1")  # no data for Quang Ninh in 2021 and 2023
    assert all(2021 not in seg.years and not (seg.years[0] < 2021 < seg.years[-1]) for seg in s.segments)


def test_series_point_matches_the_national_quartiles(ds):
    from sim.compare import dimension_stats
    p = series(ds, "Son La", "8").point(2023)
    st = dimension_stats(ds, 2023)["8"]
    assert p.value == value(ds, 2023, "Son La", "8") and p.median == pytest.approx(st.median)
    assert p.best == st.best and p.best_province == st.best_province and p.q25 <= p.median <= p.q75


def test_sub_dimension_breaks_come_from_breaks_csv(ds):
    """data/breaks.csv: 1.1 changed construction in 2019 and 2022; 5.1 changed scale in 2021 (and row)."""
    assert [(b.year, b.kind) for b in breaks(ds, "1.1")] == [(2018, "framework"), (2019, "construction"),
                                                             (2022, "construction")]
    assert [b.year for b in breaks(ds, "1.2") if b.year > 2018] == []
    assert 2021 in [b.year for b in breaks(ds, "5.1")]
    for code, year in ds.breaks:
        assert year in [b.year for b in breaks(ds, code)]


def test_peers_improved_and_stayed_improved(ds):
    r = find_peers(ds, "Son La", "8", 2019, 2024)
    assert r.peers and "Son La" not in [p.province for p in r.peers]
    changes = [p.change for p in r.peers]
    assert changes == sorted(changes, reverse=True)
    for p in r.peers:
        assert p.start == value(ds, 2019, p.province, "8") and p.end == value(ds, 2024, p.province, "8")
        prev = next(v for y in (2023, 2022, 2021, 2020, 2019) if not math.isnan(v := value(ds, y, p.province, "8")))
        recent = (p.end + prev) / 2  # the last two years with a score
        assert p.end > p.start and recent > p.start and p.recent == pytest.approx(recent)
        assert p.similar == (abs(p.start - r.own_start) <= r.tolerance + 1e-9)


def test_a_province_that_fell_back_is_not_a_peer(ds):
    """A province whose 2023-2024 mean is not above its 2019 value is left out even if 2024 is above."""
    r = find_peers(ds, "Son La", "8", 2019, 2024, top=100)
    names = {p.province for p in r.peers}
    for p in ds.tables[2019].provinces:
        a, b, c = (value(ds, y, p, "8") for y in (2019, 2023, 2024))
        if p != "Son La" and not math.isnan(a + b + c) and c > a and (b + c) / 2 <= a:
            assert p not in names


def test_recent_is_the_last_two_years_with_a_score_not_two_calendar_years(ds):
    """Bac Giang has no 2021 score: over 2019-2022 its "recent" is the mean of 2022 and 2020 (README: "the last two
    years with a score"), not 2022 alone. On dimension 7 that mean is below its 2019 start, so it is no peer."""
    assert math.isnan(value(ds, 2021, "Bac Giang", "7"))
    start, prior, end = (value(ds, y, "Bac Giang", "7") for y in (2019, 2020, 2022))
    assert end > start and (end + prior) / 2 <= start
    assert "Bac Giang" not in {p.province for p in find_peers(ds, "Son La", "7", 2019, 2022, top=100).peers}
    peer = next(p for p in find_peers(ds, "Son La", "6", 2019, 2022, top=100).peers if p.province == "Bac Giang")
    assert peer.recent == pytest.approx((value(ds, 2022, "Bac Giang", "6") + value(ds, 2020, "Bac Giang", "6")) / 2)


@pytest.mark.parametrize("code, start, end", [("8", 2017, 2019), ("1", 2016, 2019), ("1.1", 2019, 2023),
                                              ("5.1", 2019, 2022)])
def test_a_peer_span_never_crosses_a_break(ds, code, start, end):
    with pytest.raises(InputError) as e:
        find_peers(ds, "Son La", code, start, end)
    assert e.value.key in ("input.span_crosses_break", "input.code_not_in_force")


def test_bad_spans_are_refused(ds):
    for start, end, key in ((2024, 2019, "input.bad_span"), (2019, 2030, "input.unknown_year")):
        with pytest.raises(InputError) as e:
            find_peers(ds, "Son La", "8", start, end)
        assert e.value.key == key


def test_reach_what_x_reached_sets_our_value_to_the_peer_end(ds):
    r = find_peers(ds, "Son La", "8", 2019, 2024)
    top = r.peers[0]
    sc = reach_scenario(ds, r, top, 2024)
    o = apply(ds, sc)
    assert sc.changes[0].mode == "target" and o.result.dimensions["8"] == pytest.approx(round(top.end, 4))


def test_reach_refuses_a_year_built_differently(ds):
    r = find_peers(ds, "Son La", "1", 2012, 2016)
    with pytest.raises(InputError) as e:
        reach_scenario(ds, r, r.peers[0], 2024)
    assert e.value.key == "input.reach_other_era"


def test_cli_trend_json_contract():
    code, out, _ = cli("trend", "--province", "Son La", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["province"] == "Son La"
    row = next(r for r in doc["rows"] if r["year"] == 2023)
    assert {"year", "total", "rank", "of", "group", "dimensions"} <= row.keys()
    assert (row["total"], row["rank"], row["of"], row["group"]) == (42.3966, 30, 61, 2)
    assert next(r for r in doc["rows"] if r["year"] == 2015)["era"] == "2011-2017"


def test_cli_trend_units_2025_ranks_of_34():
    code, out, _ = cli("trend", "--province", "Son La", "--json", "--units", "2025")
    rows = {r["year"]: r for r in json.loads(out)["rows"]}
    assert code == 0 and rows[2024]["of"] == 34 and max(r["of"] for r in rows.values()) == 34


def test_cli_trend_text_separates_the_eras():
    code, out, _ = cli("trend", "--province", "son la", "--lang", "en")
    assert code == 0 and "scale 6–60" in out and "scale 8–80" in out and "30/61" in out


def test_cli_peers_json():
    code, out, _ = cli("peers", "--province", "Son La", "--code", "8", "--from", "2019", "--to", "2024", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["peers"] and doc["from"] == 2019 and doc["to"] == 2024
    p = doc["peers"][0]
    assert {"province", "region", "start", "end", "change", "similar_start", "reach"} <= p.keys()
    assert p["reach"]["change"] == f"8={p['end']}"


def test_cli_peers_across_the_2018_break_exits_2_with_one_line():
    code, out, err = cli("peers", "--province", "Son La", "--code", "1", "--from", "2016", "--to", "2019")
    assert code == 2 and out == "" and err.count("\n") == 1 and "2018" in err
