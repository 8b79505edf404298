"""The comparison chart: each dimension's score under the baseline and every compared scenario.

A grouped bar chart (one group per dimension, one bar per column of the comparison table), built from a
long frame the page fills with labels already in the user's language. Pure: no figure is computed here.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .specs import GREY, US, _axis, _title

# baseline grey, then up to four scenarios in colours that stay apart for common colour-vision deficiencies
SERIES_COLOURS = (GREY, US, "#2b4a6f", "#1b7837", "#e08214")


COLUMNS = ["code", "dimension", "series", "value", "value_label"]


def compare_frame(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    """Long frame from (code, dimension name, column label, value, value label) rows, in display order."""
    return pd.DataFrame(rows, columns=COLUMNS)


def compare_chart(df: pd.DataFrame, lang: str, text: dict) -> alt.Chart:
    """Grouped bars: x = dimension code (its name in the tooltip, so no label is cut), bars side by side
    per column (baseline first), y = score 1-10.

    ``df``: the columns of ``compare_frame``; ``text``: title, y, dimension, series.
    """
    dims = list(dict.fromkeys(df["code"]))
    series = list(dict.fromkeys(df["series"]))
    colours = list(SERIES_COLOURS[:len(series)])
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("code:N", sort=dims, title=text["dimension"], axis=alt.Axis(labelAngle=0, labelFontSize=13)),
        xOffset=alt.XOffset("series:N", sort=series),
        y=alt.Y("value:Q", scale=alt.Scale(domain=[0, 10]), axis=_axis(lang, text["y"])),
        color=alt.Color("series:N", sort=series, title=None, scale=alt.Scale(domain=series, range=colours),
                        legend=alt.Legend(orient="top", labelLimit=260)),
        tooltip=[alt.Tooltip("dimension:N", title=text["dimension"]), alt.Tooltip("series:N", title=text["series"]),
                 alt.Tooltip("value_label:N", title=text["y"])],
    ).properties(title=_title(text["title"]), height=320)
