"""The story of a scenario (issue 20, item 2): every step's figures against the engine computed another way."""
import io
import json

import numpy as np
import pytest

from commands.main import run
from sim.goal import GoalRequest, Target, seek
from sim.realism import change_history
from sim.scenario import Change, NamedScenario, Scenario, apply, baseline, unscored
from sim.story import build_story, default_top_k, movers, odds_words, track_record
from sim.story_text import story_json, story_steps
from sim.uncertainty import NoiseModel, simulate

CHANGES = (Change("3", 0.3), Change("5", 0.4), Change("8", 0.5))
NAMED = NamedScenario("Cải cách thủ tục", Scenario(2023, "Son La", CHANGES))


@pytest.fixture(scope="module")
def story(ds):
    return build_story(ds, NAMED, change_history(ds))


@pytest.mark.parametrize("p, vi, en", [
    (0.5, "khoảng 1 trong 2 khả năng", "about 1 in 2"),
    (0.48, "khoảng 1 trong 2 khả năng", "about 1 in 2"),
    (0.33, "khoảng 1 trong 3 khả năng", "about 1 in 3"),
    (0.7, "khoảng 7 trong 10 khả năng", "about 7 in 10"),
    (0.005, "gần như không có khả năng (dưới 1 trong 100)", "hardly any chance (under 1 in 100)"),
    (0.995, "gần như chắc chắn (trên 99 trong 100)", "almost certain (over 99 in 100)"),
])
def test_odds_in_plain_words(p, vi, en):
    assert odds_words(p, "vi") == vi and odds_words(p, "en") == en


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_odds_words_refuse_what_is_not_a_chance(p):
    with pytest.raises(ValueError):
        odds_words(p, "vi")


def test_where_we_stand_is_the_published_standing_and_its_year_on_year(story):
    b = story.outcome.baseline
    assert (round(b.total, 4), b.rank, b.of, b.group) == (42.3966, 30, 61, 2)
    p = story.yoy.previous
    assert (p.year, round(p.total_change, 4), p.rank_change) == (2022, 1.5272, 16)
    assert [y for y, *_ in story.trend] == [2018, 2019, 2020, 2021, 2022, 2023]
    assert story.trend[1][2:] == (11, 63)


def test_where_we_stand_says_which_provinces_the_rank_leaves_out(ds):
    # the sidebar says 63 provinces, the rank says /61: the step names the two with no total, from the data
    s = build_story(ds, NamedScenario("A", Scenario(2024, "Son La", CHANGES)), change_history(ds))
    lines = story_steps(ds, s, "vi")[0].lines
    assert lines[-1] == ("Hạng tính trong 61 tỉnh có điểm năm 2024; 2 tỉnh không có điểm tổng trong dữ liệu chính thức "
                         "nên không được xếp hạng (không tính là 0): Vĩnh Phúc, Tiền Giang.")
    assert story_json(ds, s, "vi")["where"]["unscored"] == ["Vinh Phuc", "Tien Giang"]
    # the published editions' counts (DOMAIN.md: of 63 in 2019 and 2020, of 60 in 2021, of 61 in 2022-2024)
    assert {y: len(unscored(ds, y)) for y in (2019, 2020, 2021, 2022, 2023, 2024)} == {
        2019: 0, 2020: 0, 2021: 3, 2022: 2, 2023: 2, 2024: 2}
    from sim.editions import add_year
    from tests.test_editions import rows_from
    added = add_year(ds, 2025, rows_from(ds)[:13])  # a user's file with 13 provinces: its words, not "official"
    mine = build_story(added, NamedScenario("A", Scenario(2025, "Son La", CHANGES)), change_history(added))
    assert story_steps(added, mine, "vi")[0].lines[-1].startswith("Hạng tính trong 13 tỉnh có điểm năm 2025 trong tệp bạn đã nạp; 50 tỉnh")
    full = build_story(ds, NamedScenario("A", Scenario(2019, "Son La", CHANGES)), change_history(ds))
    assert not any("Hạng tính trong" in x for x in story_steps(ds, full, "vi")[0].lines)  # 63 of 63: nothing to say


def test_what_it_buys_is_the_engine_and_against_last_year(ds, story):
    o = apply(ds, NAMED.scenario)
    assert story.outcome.result.total == o.result.total and story.outcome.result.rank == o.result.rank
    assert story.scenario_yoy.previous.rank_change == 46 - o.result.rank


def test_changes_in_typical_one_year_changes(ds, story):
    from sim.effort import change_panel
    panel = change_panel(ds)
    for m in story.moves:
        sd = np.nanstd(panel.dev[:, panel.codes.index(m.code)], ddof=1)
        assert m.typical > 0 and abs(m.typical - sd) / sd < 0.05  # the shrunk covariance's diagonal
        assert m.typical_steps == pytest.approx(m.change / m.typical)


def test_odds_are_the_odds_page_numbers_for_the_same_seed(ds, story):
    o = simulate(ds, NAMED.scenario, NoiseModel(draws=10_000, seed=7), change_history(ds))
    i, s = o.us, o.result
    d = story.odds
    assert d.target_group == 1 and d.k == default_top_k(61) == 20
    assert d.p_target == float(s.p_group[i, 0]) and d.p_top_k == s.p_rank_at_most(i, 20)
    assert (d.rank_p5, d.rank_p95) == (int(s.rank_p5[i]), int(s.rank_p95[i]))


def test_track_record_is_the_backtest_overall(ds, story):
    rec = track_record(ds)
    assert story.odds.record_share == rec["coverage_5_95"] and story.odds.record_n == rec["n"] > 0
    assert story.odds.record_left_out == ((2018, 2019), (2019, 2020))


def test_goal_uses_only_the_changed_indicators(ds, story):
    plan = seek(ds, GoalRequest(2023, "Son La", Target("group", 1), only=("3", "5", "8")), change_history(ds))
    assert story.goal_only == ("3", "5", "8")
    assert [(s.code, s.end) for s in story.goal.steps] == [(s.code, s.end) for s in plan.steps]
    assert {s.code for s in story.goal.steps} <= {"3", "5", "8"}


def simple_movers(ds, changes: dict[str, float]) -> tuple[set, int]:
    """Province-years moving each dimension at least as far, from the raw dimension tables."""
    years = [y for y in ds.years if y >= 2018]
    found, looked = set(), 0
    for a, b in zip(years, years[1:]):
        ta, tb = ds.table(a), ds.table(b)
        for p in ta.provinces:
            if p not in tb.provinces:
                continue
            d = {c: tb.dims[tb.index(p), tb.dim_codes.index(c)] - ta.dims[ta.index(p), ta.dim_codes.index(c)]
                 for c in changes}
            if any(np.isnan(v) for v in d.values()):
                continue
            looked += 1
            if all(round(d[c] * 10_000) >= round(v * 10_000) for c, v in changes.items()):
                found.add((p, a, b))
    return found, looked


def test_movers_recomputed_from_the_tables(ds):
    o = apply(ds, Scenario(2023, "Son La", (Change("5", 0.2), Change("8", 0.2))))
    found, looked, single = movers(ds, o)
    expect, n = simple_movers(ds, {"5": 0.2, "8": 0.2})
    assert {(m.province, m.year_from, m.year_to) for m in found} == expect and looked == n and expect
    assert [m.year_to for m in found] == sorted((m.year_to for m in found), reverse=True)
    assert dict(single)["5"] == len(simple_movers(ds, {"5": 0.2})[0])


def test_2018_has_no_year_on_year_and_says_why(ds):
    s = build_story(ds, NamedScenario("A", Scenario(2018, "Son La", (Change("5", 0.4),))), change_history(ds))
    assert s.yoy.previous is None and s.yoy.reason == "framework"
    steps = story_steps(ds, s, "vi")
    assert "2018" in steps[0].lines[0] or "khung" in steps[0].lines[0]


def test_steps_in_vietnamese_carry_the_numbers(ds, story):
    steps = story_steps(ds, story, "vi")
    assert [x.key for x in steps] == ["where", "change", "buys", "odds", "goal", "movers"]
    assert steps[0].headline.startswith("42,40 điểm · hạng 30/61")
    assert steps[0].lines[0] == "So với năm 2022: +1,53 điểm, tăng 16 bậc"
    assert "khả năng" in steps[3].headline


def test_cli_story_json_is_story_json(ds, story):
    out, err = io.StringIO(), io.StringIO()
    code = run(["story", "--year", "2023", "--province", "Sơn La", "--json", "--lang", "vi", "--name", NAMED.name,
                "--change", "3=+0.3", "--change", "5=+0.4", "--change", "8=+0.5"], out=out, err=err)
    assert code == 0, err.getvalue()
    doc = json.loads(out.getvalue())
    assert doc == json.loads(json.dumps(story_json(ds, story, "vi")))
    assert doc["where"]["previous"]["total_change"] == 1.5272 and doc["where"]["previous"]["rank_change"] == 16
    assert doc["odds"]["p_target_words"].startswith("khoảng")


def test_cli_story_bad_change_is_one_line():
    out, err = io.StringIO(), io.StringIO()
    code = run(["story", "--year", "2023", "--province", "Son La", "--change", "5=abc"], out=out, err=err)
    assert code != 0 and len(err.getvalue().strip().splitlines()) == 1


def test_story_charts(story):
    import pandas as pd
    from charts.story import calibration_chart, coverage_chart, group_chance_chart, trend_chart
    spec = trend_chart(story.trend, "vi", {"x": "Năm", "y": "Tổng", "rank": "Hạng"}).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["reverse"] is True
    assert [r["label"] for r in spec["datasets"][next(iter(spec["datasets"]))]][-1] == "30/61"
    g = group_chance_chart(story.odds.p_group, "vi", {"y": "P", "group": "G", "title": "T"}).to_dict()
    assert [r["p_label"] for r in g["datasets"][next(iter(g["datasets"]))]][0].endswith("%")
    cov = coverage_chart(pd.DataFrame([{"pair": "2020→2021", "coverage": 0.7, "label": "70%", "label_at": 0.7}]),
                         {"title": "T", "y": "Y", "nominal": 0.9}).to_dict()
    assert any(d == [{"nominal": 0.9}] for d in cov["datasets"].values())
    cal = calibration_chart(pd.DataFrame([{"predicted": 0.1, "observed": 0.12, "n": 40, "predicted_label": "10%",
                                           "observed_label": "12%"}]), {"title": "T", "x": "X", "y": "Y", "n": "N"})
    assert cal.to_dict()["layer"][1]["mark"]["type"] == "circle"


def test_record_text_says_which_years_were_too_few(ds):
    from sim.backtest import backtest, backtest_json
    from sim.story_text import calibration_gap, coverage_rows, record_text
    doc = backtest_json(backtest(ds, 300, 3, ("baseline",)), 300, 3, ("baseline",))
    rows = coverage_rows(doc, "en")
    assert [r["label"] for r in rows[:2]] == ["too few years", "too few years"] and rows[2]["coverage"] is not None
    gap = calibration_gap(doc)
    bins = [b for b in doc["calibration"] if b["n"]]
    assert gap == pytest.approx(sum(b["n"] * abs(b["predicted"] - b["observed"]) for b in bins) / sum(b["n"] for b in bins))
    text = record_text(doc, "en")
    assert "2018→2019, 2019→2020: too few earlier years" in text and f"of {doc['overall']['n']} province-years" in text


def test_movers_of_an_early_year_stay_in_its_framework(ds):
    s = build_story(ds, NamedScenario("A", Scenario(2015, "Son La", (Change("5", 0.4),))), change_history(ds))
    assert s.mover_first == 2011 and s.movers and all(m.year_to <= 2017 for m in s.movers)
    assert s.odds is None  # no odds model before 2018: step 4 says so
    assert "trước năm 2018" in story_steps(ds, s, "vi")[3].headline


def test_the_change_step_says_when_a_change_passes_the_national_best(ds, story):
    """Committee review round 2: the slide and the brief said only "2,2 lần mức thay đổi điển hình" for a plan
    that puts 5 and 3 above every province's score; the what-if page flags it, so the story does too."""
    plan = NamedScenario("Phương án A", Scenario(2024, "Son La", (Change("5", 0.5), Change("3", 0.5), Change("8", 0.5))))
    change = next(st for st in story_steps(ds, build_story(ds, plan, change_history(ds)), "vi") if st.key == "change")
    assert change.lines[0] == ("Vượt điểm cao nhất cả nước năm 2024, mức chưa tỉnh nào đạt: 5 lên 7,64 (cao nhất 7,59, "
                               "Hậu Giang); 3 lên 4,96 (cao nhất 4,61, Thái Bình)")
    other = next(st for st in story_steps(ds, story, "vi") if st.key == "change")  # 2023: only 5 passes the best
    assert [line for line in other.lines if line.startswith("Vượt")] == [
        "Vượt điểm cao nhất cả nước năm 2023, mức chưa tỉnh nào đạt: 5 lên 7,71 (cao nhất 7,64, Bạc Liêu)"]


def test_a_minimum_on_the_cut_off_says_so(ds):
    """Committee review round 2 (M-3): the least-effort plan clears the top group's cut-off by the data's last
    digit; "Kết quả: … Nhóm đạt điểm cao nhất" alone read as safe."""
    plan = NamedScenario("A", Scenario(2024, "Son La", (Change("5", 0.5), Change("3", 0.5), Change("8", 0.5))))
    goal = next(st for st in story_steps(ds, build_story(ds, plan, change_history(ds)), "vi") if st.key == "goal")
    assert goal.lines[-1] == "Mức tối thiểu này vừa chạm ngưỡng: chỉ cần một tỉnh khác tăng nhẹ là không còn đạt."
