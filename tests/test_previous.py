"""Year on year (issue 20, item 1): the published facts the press quotes, pinned in units of 0.0001."""
import io
import json

from commands.main import run
from sim.previous import compare_total, indicator_change, year_on_year
from sim.ranking import to_units
from sim.scenario import Change, Scenario, apply, baseline


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(args), out=out, err=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def test_son_la_2023_against_2022(ds):
    y = year_on_year(ds, 2023, baseline(ds, 2023, "Son La"))
    p = y.previous
    assert y.reason is None and (p.year, p.rank, p.of, p.rank_change) == (2022, 46, 61, 16)
    assert int(to_units(p.total_change)) == int(to_units(42.3966)) - int(to_units(40.8694)) == 15272
    assert p.of_changed is False


def test_son_la_2024_gains_149_and_five_places(ds):
    p = year_on_year(ds, 2024, baseline(ds, 2024, "Son La")).previous
    assert int(to_units(p.total_change)) == 14910 and p.rank_change == 5 and (p.rank, p.year) == (30, 2023)


def test_2018_has_no_previous_across_the_framework_change(ds):
    y = year_on_year(ds, 2018, baseline(ds, 2018, "Son La"))
    assert y.previous is None and y.reason == "framework"
    assert all(v is None for v in y.dimension_changes.values())


def test_construction_break_of_a_subdimension_gives_none(ds):
    y = year_on_year(ds, 2019, baseline(ds, 2019, "Son La"))
    assert y.subdimension_changes["1.1"] is None          # breaks.csv: 1.1 rebuilt in 2019
    assert y.subdimension_changes["1.2"] is not None and y.previous is not None
    assert y.previous.of_changed is True                   # 61 ranked in 2018, 63 in 2019


def test_scenario_compared_with_last_years_real_standing(ds):
    out = apply(ds, Scenario(2023, "Son La", (Change("3", 1.0, "delta"),)))
    p = year_on_year(ds, 2023, out.result).previous
    assert int(to_units(p.total_change)) == 15272 + 10000 and p.rank == 46
    assert p.rank_change == 46 - out.result.rank
    assert indicator_change(ds, 2023, "Son La", "3", out.result.dimensions["3"]) == \
        round(out.result.dimensions["3"] - ds.table(2022).dims[ds.table(2022).index("Son La"), 2], 4)


def test_no_score_the_year_before(ds):
    assert compare_total(ds, 2011, "Son La", 39.2172, 4, 63) == (None, "first_year")


def test_score_and_whatif_json_gain_previous(ds):
    doc = cli("score", "--year", "2023", "--province", "Sơn La", "--json", "--lang", "en")
    assert doc["previous"] == {"year": 2022, "total": 40.8694, "rank": 46, "of": 61, "group": 4,
                               "total_change": 1.5272, "rank_change": 16, "of_changed": False}
    assert doc["previous_reason"] is None
    doc = cli("score", "--year", "2018", "--province", "Sơn La", "--json")
    assert doc["previous"] is None and doc["previous_reason"]["kind"] == "framework"
    assert "2018" in doc["previous_reason"]["message"] and "\n" not in doc["previous_reason"]["message"]
    doc = cli("whatif", "--year", "2023", "--province", "Sơn La", "--change", "5=+1", "--json")
    assert doc["baseline"]["previous"]["total_change"] == 1.5272
    assert doc["scenario"]["previous"]["total_change"] == round(1.5272 + 1, 4)
    assert doc["scenario"]["previous"]["rank_change"] == 46 - doc["scenario"]["rank"]
    assert doc["scenario"]["dimension_changes"]["5"] == round(doc["baseline"]["dimension_changes"]["5"] + 1, 4)


def test_trend_rows_gain_changes(ds):
    rows = {r["year"]: r for r in cli("trend", "--province", "Sơn La", "--json")["rows"]}
    assert (rows[2023]["total_change"], rows[2023]["rank_change"]) == (1.5272, 16)
    assert (rows[2024]["total_change"], rows[2024]["rank_change"]) == (1.491, 5)
    assert rows[2018]["total_change"] is None and rows[2018]["rank_change"] is None
    assert rows[2011]["total_change"] is None
    assert rows[2019]["of_changed"] is True and rows[2023]["of_changed"] is False


def test_sentence_as_the_press_writes_it(ds):
    from sim.previous import yoy_sentence
    assert yoy_sentence(year_on_year(ds, 2023, baseline(ds, 2023, "Son La")), "vi") == \
        "so với năm 2022: +1,53 điểm, tăng 16 bậc"
    assert yoy_sentence(year_on_year(ds, 2020, baseline(ds, 2020, "Son La")), "vi") == \
        "so với năm 2019: -2,95 điểm, giảm 34 bậc"
    assert yoy_sentence(year_on_year(ds, 2019, baseline(ds, 2019, "Son La")), "en") == \
        "vs 2018: +1.33 points, up 21 places (2018 ranked 61 provinces, this year 63)"
    assert "2018" in yoy_sentence(year_on_year(ds, 2018, baseline(ds, 2018, "Son La")), "vi")


def test_whatif_text_says_the_scenario_against_last_year():
    out, err = io.StringIO(), io.StringIO()
    assert run(["whatif", "--year", "2024", "--province", "Sơn La", "--change", "3=+0.5", "--change", "5=+0.5",
                "--change", "8=+0.5"], out=out, err=err) == 0
    lines = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Kịch bản:"))
    assert lines[at + 1].strip() == "so với năm 2023: +2,99 điểm, tăng 20 bậc"
