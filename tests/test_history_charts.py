"""History chart specs: valid Vega-Lite, sim/'s numbers, lines drawn per segment, breaks as rules."""
import pandas as pd

from charts import history as charts
from sim.trend import TOTAL, breaks, breaks_frame, series, series_frame

TEXT = dict.fromkeys(["title", "subtitle", "x", "y", "ours", "median", "best", "band", "group"], "T")


def _points(ds, code, first, last):
    df = series_frame(series(ds, "Son La", code), first, last)
    for col in ("value_label", "median_label", "band_label", "best_label"):
        df[col] = "x"
    return df


def _layers(spec):
    return spec["layer"]


def test_total_chart_spans_both_eras_only_as_separate_segments(ds):
    df = _points(ds, TOTAL, 2011, 2024)
    bf = breaks_frame(breaks(ds, TOTAL), 2011, 2024)
    bf["label"] = "2018"
    spec = charts.indicator_chart(df, bf, "vi", TEXT).to_dict()
    lines = [l for l in _layers(spec) if l.get("mark", {}).get("type") in ("line", "area")]
    assert lines and all(l["encoding"]["detail"]["field"] == "segment" for l in lines)
    rows = next(v for v in spec["datasets"].values() if len(v) == len(df) and "segment" in v[0])
    assert {r["segment"] for r in rows if r["year"] < 2018}.isdisjoint({r["segment"] for r in rows if r["year"] >= 2018})
    assert any(l.get("mark", {}).get("type") == "rule" for l in _layers(spec))
    assert next(r for r in rows if r["year"] == 2023)["value"] == 42.3966


def test_indicator_chart_without_breaks_has_no_rule(ds):
    df = _points(ds, "8", 2019, 2024)
    spec = charts.indicator_chart(df, breaks_frame((), 2019, 2024), "en", TEXT).to_dict()
    assert not any(l.get("mark", {}).get("type") == "rule" for l in _layers(spec))


def test_rank_chart_puts_rank_1_on_top(ds):
    pts = pd.DataFrame({"year": [2023, 2024], "segment": [0, 0], "rank": [30, 25], "of": [61, 61],
                        "rank_label": ["30/61", "25/61"], "group_label": ["a", "b"]})
    spec = charts.rank_chart(pts, breaks_frame((), 2023, 2024), TEXT).to_dict()
    assert spec["layer"][0]["encoding"]["y"]["scale"]["domain"] == [61, 1]


def test_history_charts_keep_their_plot_height_whatever_the_legend_and_title(ds):
    """Defect 3: with Streamlit's default autosize the legend and title were taken out of the height, which
    left the total chart's plot a 30 px strip; "fit-x" keeps the plot's height and adds them around it."""
    df = _points(ds, TOTAL, 2018, 2024)
    pts = pd.DataFrame({"year": [2023, 2024], "segment": [0, 0], "rank": [30, 25], "of": [61, 61],
                        "rank_label": ["30/61", "25/61"], "group_label": ["a", "b"]})
    for spec in (charts.indicator_chart(df, breaks_frame((), 2018, 2024), "vi", TEXT).to_dict(),
                 charts.rank_chart(pts, breaks_frame((), 2023, 2024), TEXT).to_dict()):
        assert spec["autosize"]["type"] == "fit-x"
        assert spec["height"] >= 250
