"""The lever chart: what one realistic step on each lever buys, in places gained, with the lever's own
national rank before and after. Pure: labels come in already written in the user's language."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .specs import FIT_X, US, title_params

LEVEL_COLOURS = {"dimension": "#2b4a6f", "subdimension": "#7aa6c2"}
LABEL_PX = 14
BAR_LABEL_PX = 13


def lever_chart(df: pd.DataFrame, text: dict) -> alt.LayerChart:
    """One bar per lever: places gained by the step; label = the step and the lever's own rank move.

    ``df``: label, level_label, level, rank_gain, step_label, lever_move, is_weak (bool).
    """
    order = list(df["label"])
    # sizes a projector shows: names 14 px, bar labels 13 px (the reviewer measured about 9 px before)
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=LABEL_PX, labelOverlap=False))
    levels = list(dict.fromkeys(df["level_label"]))
    colour = alt.Color("level_label:N", title=None, legend=alt.Legend(orient="top", labelLimit=0, labelFontSize=LABEL_PX),
                       scale=alt.Scale(domain=levels, range=[LEVEL_COLOURS[lv] for lv in dict.fromkeys(df["level"])]))
    tooltip = [alt.Tooltip("label:N", title=text["lever"]), alt.Tooltip("step_label:N", title=text["step"]),
               alt.Tooltip("rank_gain:Q", title=text["gain"]), alt.Tooltip("lever_move:N", title=text["lever_rank"])]
    bars = alt.Chart(df).mark_bar(height=16).encode(
        y=y, x=alt.X("rank_gain:Q", title=text["x"], axis=alt.Axis(tickMinStep=1, labelFontSize=BAR_LABEL_PX,
                                                                  titleFontSize=LABEL_PX)),
        color=colour, tooltip=tooltip)
    labels = alt.Chart(df).mark_text(align="left", dx=4, fontSize=BAR_LABEL_PX).encode(
        y=y, x="rank_gain:Q", text="bar_label:N",
        color=alt.condition("datum.is_weak", alt.value(US), alt.value("#1b1b1b")))
    return alt.layer(bars, labels).properties(title=title_params(text["title"], text["subtitle"]), height=alt.Step(28),
                                              autosize=FIT_X)
