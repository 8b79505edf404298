"""Chart specs of the history page: a province's path by year against the national band, and its rank.

Every line is drawn per ``segment`` (``detail``), so points on either side of a construction break or a
missing year are never joined; breaks are dashed rules between the years, labelled. Years sit on a
quantitative axis so a rule can stand half-way between two years. Labels come formatted from the caller.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .specs import FIT_X, GREY, US, axis, title_params

BAND = "#9ecae1"
BEST = "#1b7837"


def _year_scale(years: list[int]) -> alt.Scale:
    return alt.Scale(domain=[min(years) - 0.5, max(years) + 0.5], nice=False)


def _year_axis(title: str, years: list[int]) -> alt.X:
    lo, hi = min(years), max(years)
    return alt.X("year:Q", scale=_year_scale(years),
                 axis=alt.Axis(title=title, format="d", values=list(range(lo, hi + 1)), grid=False))


def _break_rules(breaks: pd.DataFrame, years: list[int]) -> list[alt.Chart]:
    """Dashed rules at ``at`` (year - 0.5) with a short label; nothing when there is no break in range."""
    if breaks.empty:
        return []
    x = alt.X("at:Q", scale=_year_scale(years))
    rule = alt.Chart(breaks).mark_rule(strokeDash=[6, 4], color="#555", strokeWidth=1.5).encode(
        x=x, tooltip=[alt.Tooltip("note:N", title="")])
    text = alt.Chart(breaks).mark_text(align="left", baseline="top", dx=3, dy=2, fontSize=11, color="#555").encode(
        x=x, y=alt.value(0), text="label:N")
    return [rule, text]


def indicator_chart(points: pd.DataFrame, breaks: pd.DataFrame, lang: str, text: dict) -> alt.LayerChart:
    """Our value by year (red), the national q25-q75 band, the median and the best, per segment.

    ``points``: year, segment, value, q25, q75, median, best, value_label, median_label, best_label, band_label;
    ``breaks``: at, label, note. ``text``: title, subtitle, x, y, ours, median, best, band; optional
    legend_columns (1 in a narrow column, so no legend entry is cut off).
    """
    years = sorted(points["year"].unique().tolist())
    x = _year_axis(text["x"], years)
    y_scale = alt.Scale(zero=False)
    tip = [alt.Tooltip("year:Q", title=text["x"], format="d"),
           alt.Tooltip("value_label:N", title=text["ours"]),
           alt.Tooltip("median_label:N", title=text["median"]),
           alt.Tooltip("band_label:N", title=text["band"]),
           alt.Tooltip("best_label:N", title=text["best"])]
    base = alt.Chart(points)
    band = base.mark_area(opacity=0.35, color=BAND).encode(
        x=x, y=alt.Y("q25:Q", scale=y_scale, axis=axis(lang, text["y"])), y2="q75:Q", detail="segment:N")
    median = base.mark_line(color=GREY, strokeWidth=1.5).encode(x=x, y=alt.Y("median:Q", scale=y_scale),
                                                                detail="segment:N")
    best = base.mark_line(color=BEST, strokeDash=[2, 3], strokeWidth=1.5).encode(
        x=x, y=alt.Y("best:Q", scale=y_scale), detail="segment:N")
    ours = base.mark_line(color=US, strokeWidth=2.5, point=alt.OverlayMarkDef(size=60, color=US)).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale), detail="segment:N", tooltip=tip)
    legend = pd.DataFrame({"series": [text["ours"], text["median"], text["band"], text["best"]]})
    key = alt.Chart(legend).mark_point(opacity=0).encode(
        color=alt.Color("series:N", scale=alt.Scale(domain=list(legend["series"]), range=[US, GREY, BAND, BEST]),
                        legend=alt.Legend(title=None, orient="bottom", columns=text.get("legend_columns", 2),
                                          labelLimit=0)))
    return alt.layer(band, median, best, ours, *_break_rules(breaks, years), key).properties(
        title=title_params(text["title"], text.get("subtitle")), height=280, autosize=FIT_X)


def rank_chart(points: pd.DataFrame, breaks: pd.DataFrame, text: dict) -> alt.LayerChart:
    """Our rank by year (1 at the top), per segment; ``points``: year, segment, rank, rank_label, group_label."""
    years = sorted(points["year"].unique().tolist())
    x = _year_axis(text["x"], years)
    worst = int(points["of"].max())
    line = alt.Chart(points).mark_line(color=US, strokeWidth=2.5, point=alt.OverlayMarkDef(size=60, color=US)).encode(
        x=x, y=alt.Y("rank:Q", scale=alt.Scale(domain=[worst, 1], nice=False),
                  axis=alt.Axis(title=text["y"], format="d", values=sorted({1, *range(10, worst + 1, 10), worst}))),
        detail="segment:N",
        tooltip=[alt.Tooltip("year:Q", title=text["x"], format="d"), alt.Tooltip("rank_label:N", title=text["y"]),
                 alt.Tooltip("group_label:N", title=text["group"])])
    labels = alt.Chart(points).mark_text(dy=-12, fontSize=11, color=US).encode(x=x, y="rank:Q", text="rank_label:N")
    return alt.layer(line, labels, *_break_rules(breaks, years)).properties(
        title=title_params(text["title"], text.get("subtitle")), height=280, autosize=FIT_X)
