"""Chart specs of the presenter view and the brief's first page: the rank path of step (a) and the group
chances of step (d). Small and large-lettered, for a projector; numbers come formatted for the language."""
from __future__ import annotations

import altair as alt
import pandas as pd

from sim.i18n import fmt_pct, t

from .specs import BAND_COLOURS, FIT_X, US

HEIGHT = 230


def trend_frame(trend: tuple[tuple[int, float, int, int], ...]) -> pd.DataFrame:
    """(year, total, rank, of) rows as the chart draws them, each labelled "30/61"."""
    return pd.DataFrame([{"year": y, "rank": r, "of": n, "label": f"{r}/{n}"} for y, _, r, n in trend])


def trend_chart(trend: tuple[tuple[int, float, int, int], ...], lang: str, text: dict) -> alt.LayerChart:
    """Rank by year (1 at the top), each point labelled "rank/of": how we got here."""
    df = trend_frame(trend)
    worst = int(df["of"].max())
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0, labelFontSize=14))
    y = alt.Y("rank:Q", title=text["rank"], scale=alt.Scale(reverse=True, domain=[1, worst], nice=False),
              axis=alt.Axis(labelFontSize=13, titleFontSize=13, tickMinStep=1, format="d"))
    line = alt.Chart(df).mark_line(point=alt.OverlayMarkDef(size=70, filled=True, color=US), color=US,
                                   strokeWidth=3).encode(x=x, y=y)
    labels = alt.Chart(df).mark_text(dy=-14, fontSize=14, fontWeight="bold", color="#222").encode(
        x=x, y=y, text="label:N")
    return alt.layer(line, labels).properties(height=HEIGHT, autosize=FIT_X)


def group_frame(p_group: tuple[float, ...], lang: str) -> pd.DataFrame:
    return pd.DataFrame([{"group": g, "group_label": t(f"group_short.{g}", lang), "p": float(p),
                          "p_label": fmt_pct(float(p), lang)} for g, p in enumerate(p_group, start=1)])


def group_chance_chart(p_group: tuple[float, ...], lang: str, text: dict) -> alt.LayerChart:
    """The scenario's chance of each group next year, one bar each in the group's colour, labelled."""
    df = group_frame(p_group, lang)
    order = list(df["group_label"])
    y = alt.Y("group_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=14))
    x = alt.X("p:Q", scale=alt.Scale(domain=[0, 1.2], nice=False),
              axis=alt.Axis(format="%", title=text["y"], values=[0, 0.25, 0.5, 0.75, 1], labelFontSize=12))
    colour = alt.Color("group:O", scale=alt.Scale(domain=list(BAND_COLOURS), range=list(BAND_COLOURS.values())),
                       legend=None)
    bars = alt.Chart(df).mark_bar().encode(y=y, x=x, color=colour)
    labels = alt.Chart(df).mark_text(align="left", dx=4, fontSize=15, fontWeight="bold").encode(
        y=y, x="p:Q", text="p_label:N")
    return alt.layer(bars, labels).properties(title=alt.TitleParams(text["title"], anchor="start", fontSize=15),
                                              height=HEIGHT - 40, autosize=FIT_X)


def coverage_chart(df: pd.DataFrame, text: dict) -> alt.LayerChart:
    """Per year pair, the share of real next-year ranks inside the stated 5-95% range, against the nominal
    90% (a dashed rule). ``df``: pair, coverage (NaN where too few earlier years), label."""
    x = alt.X("pair:N", sort=list(df["pair"]), title=None,
              axis=alt.Axis(labelAngle=0, labelFontSize=11, labelOverlap=False, labelLimit=0))
    y = alt.Y("coverage:Q", scale=alt.Scale(domain=[0, 1.1], nice=False),
              axis=alt.Axis(format="%", title=text["y"], values=[0, 0.25, 0.5, 0.75, 0.9, 1], labelFontSize=12))
    bars = alt.Chart(df).mark_bar(color="#2b4a6f", width=alt.RelativeBandSize(0.6)).encode(x=x, y=y)
    # "chưa đủ năm" on two lines over an empty bar: one line would run into its neighbour's
    labels = alt.Chart(df).mark_text(dy=-8, fontSize=12, lineBreak=" ", baseline="bottom").encode(
        x=x, y=alt.Y("label_at:Q"), text="label:N")
    rule = alt.Chart(pd.DataFrame({"nominal": [text["nominal"]]})).mark_rule(strokeDash=[6, 4], color=US).encode(
        y="nominal:Q")
    return alt.layer(bars, labels, rule).properties(title=alt.TitleParams(text["title"], anchor="start", fontSize=15),
                                                    height=HEIGHT, autosize=FIT_X)


def calibration_chart(df: pd.DataFrame, text: dict) -> alt.LayerChart:
    """Predicted P(group) against how often it happened, per bin (a point sized by how many), and the
    diagonal where they would agree. ``df``: predicted, observed, n."""
    scale = alt.Scale(domain=[0, 1], nice=False)
    x = alt.X("predicted:Q", scale=scale, axis=alt.Axis(format="%", title=text["x"], labelFontSize=12))
    y = alt.Y("observed:Q", scale=scale, axis=alt.Axis(format="%", title=text["y"], labelFontSize=12))
    diag = alt.Chart(pd.DataFrame({"a": [0.0, 1.0]})).mark_line(color="#8c8c8c", strokeDash=[4, 4]).encode(
        x=alt.X("a:Q", scale=scale), y=alt.Y("a:Q", scale=scale))
    points = alt.Chart(df).mark_circle(color="#2b4a6f", opacity=0.85).encode(
        x=x, y=y, size=alt.Size("n:Q", legend=None, scale=alt.Scale(range=[40, 500])),
        tooltip=[alt.Tooltip("predicted_label:N", title=text["x"]), alt.Tooltip("observed_label:N", title=text["y"]),
                 alt.Tooltip("n:Q", title=text["n"])])
    return alt.layer(diag, points).properties(title=alt.TitleParams(text["title"], anchor="start", fontSize=15),
                                              height=HEIGHT, autosize=FIT_X)
