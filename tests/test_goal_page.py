"""The goal page: settings shared by link (formats/goal_link.py, read back with validation), every locked
indicator in view, no misleading arrow, and a plan chart whose labels neither collide with the caps nor get cut."""
import pytest
from streamlit.proto.Metric_pb2 import Metric

from charts.specs import PLAN_FONT, plan_chart
from formats.goal_link import GoalLink, from_params, to_params
from sim.goal import GoalRequest, Target, seek
from sim.i18n import fmt_num
from sim.realism import change_history
from tests.conftest import ROOT
from tests.test_app import open_app

GOAL = str(ROOT / "views" / "goal.py")


def goal_page(**query):
    at = open_app(**query)
    at.switch_page(GOAL).run()
    assert not at.exception
    return at


# --- the link format ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("link", [
    GoalLink("rank", 10.0), GoalLink("group", 1.0, "dim", "gap", ("1", "2", "4", "6", "7"), 0.8),
    GoalLink("total", 45.5, "sub", "plausible", ("1.3", "6.2")), GoalLink(level="dim", effort="equal"),
])
def test_goal_link_round_trips(link):
    assert from_params(to_params(link)) == (link, ())


def test_goal_link_reads_the_reviews_example():
    g, bad = from_params({"goal": "group~1", "lock": "1~2~4~6~7", "p": "80", "year": "2024"})
    assert bad == () and (g.kind, g.value, g.locks, g.probability) == ("group", 1.0, ("1", "2", "4", "6", "7"), 0.8)


@pytest.mark.parametrize("name,value", [
    ("goal", "rank~0"), ("goal", "rank~15.5"), ("goal", "group~4"), ("goal", "total~45,5"), ("goal", "total~1e3"),
    ("goal", "best"), ("level", "dimension"), ("effort", "fast"), ("lock", "1~1"), ("lock", "1~x"), ("lock", ""),
    ("p", "81"), ("p", "080"), ("p", "٨٠"), ("p", "0.8"),
])
def test_goal_link_refuses_each_bad_parameter_by_name_and_keeps_the_good_ones(name, value):
    params = {"level": "sub", "effort": "equal", name: value}
    g, bad = from_params(params)
    assert bad == ((name, value),)
    assert getattr(g, {"goal": "kind", "lock": "locks", "p": "probability"}.get(name, name)) is None
    if name != "level":
        assert g.level == "sub"
    if name != "effort":
        assert g.effort == "equal"


# --- the page ----------------------------------------------------------------------------------------------

def test_a_goal_link_opens_the_same_plan(ds):
    at = goal_page(year="2024", goal="group~1", lock="1~2~4~6~7", effort="gap")
    assert at.radio(key="goal.kind").value == "group" and at.selectbox(key="goal.group").value == 1
    assert at.pills(key="goal.lock").value == ["1", "2", "4", "6", "7"]
    plan = seek(ds, GoalRequest(2024, "Son La", Target("group", 1), locked=("1", "2", "4", "6", "7")),
                change_history(ds))
    assert [m.value for m in at.metric][:2] == [fmt_num(plan.outcome.result.total, "vi"),
                                                f"{plan.outcome.result.rank}/{plan.outcome.result.of}"]
    assert list(at.dataframe[0].value.iloc[:, 0].str[:2]) == ["3.", "5.", "8."]
    assert not at.warning


def test_the_goal_settings_are_written_to_the_url():
    at = goal_page(year="2024")
    at.radio(key="goal.kind").set_value("group").run()
    at.pills(key="goal.lock").set_value(["7", "1"]).run()
    at.radio(key="goal.effort").set_value("equal").run()
    at.toggle(key="goal.odds").set_value(True).run()
    qp = at.query_params
    assert (qp["goal"], qp["lock"], qp["effort"], qp["level"], qp["p"]) == ("group~1", "1~7", "equal", "dim", "80")
    at.toggle(key="goal.odds").set_value(False).run()
    at.pills(key="goal.lock").set_value([]).run()
    assert "p" not in at.query_params and "lock" not in at.query_params
    at.radio(key="goal.kind").set_value("rank").run()
    at.number_input(key="goal.rank").set_value(10).run()
    assert at.query_params["goal"] == "rank~10"


def test_odds_and_sub_level_come_back_from_the_link():
    at = goal_page(year="2024", goal="rank~20", level="sub", lock="6.2~1.3", p="90")
    assert at.number_input(key="goal.rank").value == 20 and at.radio(key="goal.level").value == "sub"
    assert at.pills(key="goal.lock.sub").value == ["6.2", "1.3"]
    assert at.toggle(key="goal.odds").value is True and at.select_slider(key="goal.p").value == 0.9
    assert not at.warning


@pytest.mark.parametrize("query,named", [
    ({"goal": "rank~99"}, "goal=rank~99"),  # beyond the 61 provinces ranked in 2024
    ({"goal": "rank~x"}, "goal=rank~x"),
    ({"effort": "fast"}, "effort=fast"),
    ({"lock": "1~12"}, "lock=12"),  # 12 does not exist; 1 is still kept
    ({"p": "81"}, "p=81"),
])
def test_a_bad_goal_parameter_gives_a_notice_and_the_default(query, named):
    at = goal_page(year="2024", **query)
    notices = [w.value.replace("\\", "") for w in at.warning]
    assert len(notices) == 1 and named in notices[0] and "mặc định" in notices[0]
    assert at.radio(key="goal.kind").value == "rank" and at.number_input(key="goal.rank").value == 15
    assert at.radio(key="goal.effort").value == "gap" and at.toggle(key="goal.odds").value is False
    assert at.pills(key="goal.lock").value == (["1"] if "lock" in query else [])
    at.number_input(key="goal.rank").set_value(14).run()  # the notice is said once, not on every run
    assert not at.warning and not at.exception


def test_a_bad_parameter_in_english_says_so_in_english():
    at = goal_page(year="2024", lang="en", effort="fast")
    assert "Link parameter 'effort=fast' cannot be used; using the default." == at.warning[0].value.replace("\\", "")


def test_every_locked_indicator_is_named_below_the_locks():
    at = goal_page(year="2024", goal="group~1", lock="1~2~4~6~7")
    caption = next(c.value for c in at.caption if c.value.startswith("Đang giữ nguyên:")).replace("\\", "")
    for name in ("1. Tham gia của người dân ở cấp cơ sở", "2. Công khai, minh bạch trong việc ra quyết định",
                 "4. Kiểm soát tham nhũng trong khu vực công", "6. Cung ứng dịch vụ công", "7. Quản trị môi trường"):
        assert name in caption
    assert [o for o in at.pills(key="goal.lock").options] == [str(d) for d in range(1, 9)]  # short pills wrap


def test_the_probability_requirement_has_no_arrow():
    at = goal_page(year="2024", goal="group~1", lock="1~2~4~6~7", p="80")
    odds = next(m for m in at.metric if m.label == "Xác suất đạt mục tiêu")
    assert odds.value == "47%" and odds.delta == "yêu cầu: 80%"  # the review's case, CLI: 0.469
    assert odds.proto.direction == Metric.MetricDirection.NONE


def test_a_plan_that_just_reaches_its_target_says_so_instead_of_zero_slack():
    at = goal_page(year="2024", goal="group~1")  # the plan passes the cut-off by the data's 0.0001, no more
    shown = next(m for m in at.metric if m.label == "Điểm dư so với mức cần đạt")
    # was "Dư so với ngưỡng 0,0000" (defect 34), then "vừa đủ", which a committee read as safe (review M4)
    assert shown.value == "sát ngưỡng"
    assert "chỉ cần một tỉnh khác tăng điểm" in shown.help


# --- the plan chart ------------------------------------------------------------------------------------------

def _plan_frame():
    import pandas as pd
    return pd.DataFrame([
        {"dimension": "1.3. Chất lượng bầu cử trưởng thôn/tổ trưởng dân phố", "start": 4.0, "end": 4.5, "cap": 4.5,
         "one": 1.0, "change_label": "+0,50", "cap_label": "4,5000"},
        {"dimension": "8. Quản trị điện tử", "start": 3.38, "end": 3.83, "cap": 4.06, "one": 1.0,
         "change_label": "+0,45", "cap_label": "4,0600"}])


def test_plan_chart_labels_clear_the_cap_wrap_names_and_are_readable():
    spec = plan_chart(_plan_frame(), "vi", {"title": "t", "subtitle": "s", "x": "x", "change": "c", "cap": "cap"}).to_dict()
    layers = spec["layer"]
    text = next(layer for layer in layers if layer["mark"]["type"] == "text")
    tick = next(layer for layer in layers if layer["mark"]["type"] == "tick")
    rows = next(iter(spec["datasets"].values()))
    at = text["encoding"]["x"]["field"]
    assert all(r[at] >= r["cap"] and r[at] >= r["end"] for r in rows)  # right of both the bar and the tick
    assert text["mark"]["dx"] > tick["mark"]["thickness"] / 2 and text["mark"]["fontSize"] >= 13
    y_axis = text["encoding"]["y"]["axis"]
    assert y_axis["labelLimit"] == 0 and y_axis["labelFontSize"] >= 13 and PLAN_FONT >= 13
    names = [r[text["encoding"]["y"]["field"]] for r in rows]
    assert names[0].replace("\n", " ") == _plan_frame()["dimension"][0] and "\n" in names[0]
    assert all(len(line) <= 30 for n in names for line in n.split("\n"))
