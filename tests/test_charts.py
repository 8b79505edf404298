"""Chart builders produce valid Vega-Lite (``to_dict()`` validates) carrying sim/'s numbers."""
import pandas as pd

from charts import specs as charts
from sim.compare import national_frame, neighbourhood_frame, waterfall_frame
from sim.scenario import Scenario, apply, parse_change


def _outcome(ds):
    return apply(ds, Scenario(2023, "Son La", (parse_change("5=+0.4"), parse_change("8=4.5"))))


def test_national_chart(ds):
    o = _outcome(ds)
    df = national_frame(ds, o)
    for col in ("label", "us_label", "baseline_label", "scenario_label", "rank_label", "group_label"):
        df[col] = df["province"]
    bands = pd.DataFrame({"group": [1, 2, 3, 4], "lo": [44, 42, 40, 38], "hi": [47, 44, 42, 40], "name": list("abcd")})
    text = dict.fromkeys(["title", "subtitle", "y", "group", "province", "baseline", "scenario", "rank"], "T")
    spec = charts.national_chart(df, bands, "vi", {**text, "title": "Tổng điểm", "group_legend_expr": "datum.label"}).to_dict()
    assert spec["title"]["text"] == "Tổng điểm"
    values = next(v for k, v in spec["datasets"].items() if len(v) == 61)
    us = next(r for r in values if r["is_us"])
    assert us["scenario"] == o.result.total
    assert "replace(datum.label, '.', ',')" in str(spec)  # Vietnamese decimal comma on the axis


def test_waterfall_and_neighbourhood_charts(ds):
    o = _outcome(ds)
    wf = waterfall_frame(o)
    wf["step_label"], wf["kind"], wf["change_label"] = wf["step"] + wf["code"], "up", "x"
    wf["lo"], wf["hi"] = wf["start"], wf["end"]
    spec = charts.waterfall_chart(wf, "en", {"title": "W", "y": "y", "change": "c"}).to_dict()
    assert spec["title"]["text"] == "W" and "replace" not in str(spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"])
    near = neighbourhood_frame(ds, o)
    near["label"], near["gap_label"], near["scenario_label"], near["us_total"] = near["province"], "g", "s", o.result.total
    spec = charts.neighbourhood_chart(near, "vi", dict.fromkeys(["title", "subtitle", "x", "province", "gap"], "N")).to_dict()
    assert spec["title"]["text"] == "N"
