"""Chart builders produce valid Vega-Lite (``to_dict()`` validates) carrying sim/'s numbers, name what
they show (no label limit, titles wrapped, legends in rows) and are built once per text."""
import pandas as pd
import pytest

from charts import specs as charts
from charts import whatif
from sim.scenario import Scenario, apply, parse_change


def _outcome(ds, *changes, province="Son La", year=2023):
    return apply(ds, Scenario(year, province, tuple(parse_change(c) for c in changes or ("5=+0.4", "8=4.5"))))


@pytest.mark.parametrize("kind", ["national", "profile", "waterfall", "near"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_what_if_chart_is_valid_vega_lite_in_both_languages(ds, kind, lang):
    spec = whatif.CHARTS[kind](ds, _outcome(ds), lang).to_dict()  # validates against the schema
    assert spec["autosize"]["type"] == "fit-x"  # the plot keeps its height; labels are added around it


def test_the_live_spec_is_the_export_chart_with_its_rows_swapped(ds):
    o = _outcome(ds)
    live = whatif.spec("national", ds, o, "vi")
    rows = live["datasets"]["rows"]
    assert len(rows) == o.result.of and next(r for r in rows if r["is_us"])["scenario"] == o.result.total
    assert [r["order"] for r in rows] == list(range(len(rows)))
    assert all(d["data"] == {"name": "rows"} for d in live["layer"][1:])


def test_a_spec_is_built_once_per_text_and_only_its_rows_change(ds):
    a, b = _outcome(ds, "5=+0.1"), _outcome(ds, "5=+0.9")
    sa, sb = whatif.spec("national", ds, a, "vi"), whatif.spec("national", ds, b, "vi")
    assert {k: v for k, v in sa.items() if k != "datasets"} == {k: v for k, v in sb.items() if k != "datasets"}
    assert sa["layer"] is sb["layer"]  # the same cached template
    assert sa["datasets"] != sb["datasets"]


def test_national_chart_names_every_province_and_our_neighbours(ds):
    o = _outcome(ds)
    spec = whatif.spec("national", ds, o, "vi")
    axis = spec["layer"][1]["encoding"]["x"]["axis"]
    assert axis["labelOverlap"] is False and axis["labelLimit"] == 0  # all 61 names, none cut
    named = [r["near_label"] for r in spec["datasets"]["rows"] if r["near_label"]]
    assert len(named) == 2 * whatif.NEAR + 1 and ds.province("Son La").label("vi") in named
    assert "Sơn La" in str(axis["labelColor"])  # ours is coloured on the axis too


def test_waterfall_labels_every_bar_in_full(ds):
    o = _outcome(ds, "5=+0.4", "8=+0.3", "3=-0.2")
    spec = whatif.spec("waterfall", ds, o, "vi")
    rows = spec["datasets"]["rows"]
    assert [r["name"] for r in rows][1:-1] == [f"{c}. {ds.indicator(c, 2023).name('vi')}" for c in ("3", "5", "8")]
    assert all(r["step_label"].replace("\n", " ") == r["name"] for r in rows)  # wrapped, never cut
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == 0


def test_long_titles_wrap_instead_of_ending_in_an_ellipsis(ds):
    spec = whatif.spec("national", ds, _outcome(ds), "vi")
    lines = spec["title"]["text"] + spec["title"]["subtitle"]
    assert isinstance(spec["title"]["text"], list) and all(len(line) <= 95 for line in lines)
    assert " ".join(spec["title"]["text"]) == "Tổng điểm PAPI 2023 của mọi tỉnh: hiện trạng và kịch bản"


def test_legends_wrap_into_rows_and_are_never_cut(ds):
    spec = whatif.spec("national", ds, _outcome(ds), "vi")
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["columns"] == 2 and legend["labelLimit"] == 0


def test_profile_says_six_dimensions_before_2018(ds):
    spec = whatif.spec("profile", ds, _outcome(ds, "1=+0.2", year=2016), "vi")
    assert "6 chỉ số" in " ".join(spec["title"]["text"])
    assert len({r["order"] for r in spec["datasets"]["rows"]}) == 6


def test_rank_interval_chart_shows_every_row_readably(ds):
    df = pd.DataFrame({"label": ["A", "B"], "rank_p5": [1, 2], "rank_median": [1, 2], "rank_p95": [2, 3],
                       "is_us": [True, False], "order": [1.2, 1.8]})
    text = dict.fromkeys(["title", "subtitle", "x", "province", "median"], "T")
    spec = charts.rank_interval_chart(df, text).to_dict()
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelOverlap"] is False and axis["labelLimit"] == 0 and spec["height"]["step"] >= 16


def test_wrap_breaks_at_spaces_only():
    assert whatif.wrap("5. Thủ tục hành chính công", 12) == "5. Thủ tục\nhành chính\ncông"
    assert whatif.wrap("Supercalifragilistic", 5) == "Supercalifragilistic"

