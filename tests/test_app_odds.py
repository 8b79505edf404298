"""The odds page for a committee: readable charts (every group named, two rank curves over ranks that exist),
plain text with the technical details folded away, and a "top K" that follows the number of units."""
import json

import pandas as pd
import pyarrow as pa

from charts import specs as charts
from sim.scenario import baseline
from tests.conftest import ROOT
from tests.test_app import open_app

ODDS = str(ROOT / "views" / "odds.py")
GROUPS = ["Cao nhất", "Trung bình cao", "Trung bình thấp", "Thấp nhất"]


def odds_page(**query):
    at = open_app(**query)
    at.switch_page(ODDS).run()
    assert not at.exception
    return at


def drawn(at) -> list[dict]:
    """Every chart as drawn, with the datasets Streamlit sends apart put back."""
    out = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        spec["datasets"] = {d.name: pa.ipc.open_stream(d.data.data).read_pandas().to_dict("records")
                            for d in chart.proto.datasets}
        out.append(spec)
    return out


def titled(at, start: str) -> dict:
    return next(s for s in drawn(at) if " ".join(s["title"]["text"]).startswith(start))


def test_the_group_chart_names_all_four_groups_on_its_axis():
    spec = titled(odds_page(), "Xác suất Sơn La thuộc mỗi nhóm")
    bars = spec["layer"][0]
    y = bars["encoding"]["y"]
    assert y["field"] == "group_label" and y["sort"] == GROUPS
    assert y["axis"]["labelOverlap"] is False and y["axis"]["labelLimit"] == 0
    assert bars["encoding"]["yOffset"]["field"] == "series_label"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "p_label"  # each bar says its chance


def test_the_rank_chart_draws_two_curves_over_the_ranks_that_exist(ds):
    at = odds_page()
    of = baseline(ds, at.session_state["year"], "Son La").of
    spec = titled(at, "Phân bố thứ hạng của Sơn La")
    assert spec["mark"]["type"] == "line" and spec["encoding"]["strokeDash"]["field"] == "series_label"
    assert spec["encoding"]["x"]["scale"] == {"domain": [1, of], "nice": False}
    assert spec["encoding"]["y"]["axis"]["tickMinStep"] == 0.01  # whole percents: no "4.5%" in Vietnamese
    rows = next(iter(spec["datasets"].values()))
    assert sorted({r["rank"] for r in rows}) == list(range(1, of + 1))  # zeros too: a line needs every rank
    assert len(rows) == 2 * of


def test_the_rank_range_axis_runs_over_ranks_that_exist():
    df = pd.DataFrame({"label": list("ABC"), "rank_p5": [1, 1, 2], "rank_median": [1, 2, 3], "rank_p95": [2, 3, 3],
                       "is_us": [True, False, False], "order": [1.2, 1.8, 2.5]})
    text = dict.fromkeys(["title", "subtitle", "x", "province", "median"], "T")
    scale = charts.rank_interval_chart(df, text).to_dict()["layer"][0]["encoding"]["x"]["scale"]
    assert scale["domain"] == [1, 3] and scale["nice"] is False and scale["reverse"] is True


def test_the_default_top_k_is_a_third_of_the_units_ranked():
    at = odds_page()
    assert at.number_input(key="odds.k").value == 20  # of 61
    assert "20" in at.metric[0].label and at.number_input(key="odds.k").label.endswith("61")
    at.radio(key="units").set_value("2025").run()
    assert not at.exception and at.number_input(key="odds.k").value == 11  # of 34
    assert at.metric[0].label == "Xác suất vào top 11"


def test_a_top_k_the_user_chose_is_kept_when_the_units_change():
    at = odds_page()
    at.number_input(key="odds.k").set_value(15).run()
    at.radio(key="units").set_value("2025").run()
    assert not at.exception and at.number_input(key="odds.k").value == 15


def test_the_page_reads_plainly_and_keeps_the_technical_details_folded():
    at = odds_page()
    (tech,) = [e for e in at.expander if e.label.startswith("Chi tiết kỹ thuật")]
    assert tech.number_input(key="odds.seed").value == 7 and tech.selectbox(key="odds.draws").value == 10_000
    inside = [c.value for c in tech.caption]
    assert any("hạt giống ngẫu nhiên 7" in c and "không thêm sai số khảo sát" in c for c in inside)
    assert not any(c.rstrip().endswith("–") for c in inside)  # no bare dash for "no standard error"
    reading = [c.value for c in at.caption if c.value.startswith("Mỗi xác suất là tỉ lệ")]
    assert reading and "10.000 lần mô phỏng" in reading[0] and "±1,0 điểm phần trăm" in reading[0]
    assert "làm tròn đến phần trăm" in reading[0] and reading[0] not in inside
