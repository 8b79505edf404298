"""The workshop's comparison chart: how much each compared scenario changes each dimension.

Changes, not scores: on a 1-10 scale a +0,10 to +0,50 plan is invisible, while a bar per scenario from zero
shows it at once (the PDF brief's "which dimensions does each scenario change" chart, in its colours).
Built from a long frame the page fills with labels already in the user's language. Pure: the changes
come from ``sim.compare_scenarios.dimension_changes``.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .palette import SCENARIOS
from .specs import FIT_X, axis, title_params, wrap_expr, wrap_lines

# one colour a scenario, the PDF brief's own (charts.palette), so "Phương án B" has one colour on screen and
# on paper
CHANGE_PALETTE = SCENARIOS

COLUMNS = ["code", "dimension", "name", "series", "change", "change_label"]
NAME_WIDTH = 26  # characters per line of a dimension's name on the axis (it wraps, never cut)
BAR = 16         # px per bar
GAP = 14         # px between dimensions
LINE = 17        # px per line of a wrapped name: a row is never shorter than its name


def compare_frame(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    """Long frame from (code, dimension name, scenario name, change, change label) rows, in display order;
    the axis copy of the name is wrapped at ``NAME_WIDTH`` characters."""
    df = pd.DataFrame(rows, columns=["code", "name", "series", "change", "change_label"])
    df.insert(1, "dimension", ["\n".join(wrap_lines(n, NAME_WIDTH)) for n in df["name"]])
    return df[COLUMNS]


def compare_chart(df: pd.DataFrame, lang: str, text: dict) -> alt.LayerChart:
    """Horizontal bars from zero: one row per dimension (its full name on the axis), one bar per scenario,
    labelled with its change; the legend below, one full scenario name a line.

    ``df``: the columns of ``compare_frame``; ``text``: title, x, dimension, series, change.
    """
    dims = list(dict.fromkeys(df["dimension"]))
    series = list(dict.fromkeys(df["series"]))
    lo, hi = min(0.0, float(df["change"].min())), max(0.0, float(df["change"].max()))
    pad = max(0.1, (hi - lo) * 0.2)  # room for the value labels beyond the longest bar
    x = alt.X("change:Q", scale=alt.Scale(domain=[lo - (pad if lo < 0 else 0), hi + pad], nice=False),
              axis=axis(lang, text["x"], labelFontSize=12, titleFontSize=13, tickCount=6))
    y = alt.Y("dimension:N", sort=dims, title=None,
              axis=alt.Axis(labelLimit=0, labelFontSize=13, labelExpr=wrap_expr(), labelPadding=6))
    offset = alt.YOffset("series:N", sort=series)
    colour = alt.Color("series:N", sort=series, title=None,
                       scale=alt.Scale(domain=series, range=list(CHANGE_PALETTE[:len(series)])),
                       legend=alt.Legend(orient="bottom", direction="vertical", columns=1, labelLimit=0,
                                         labelFontSize=13, symbolType="square"))
    tooltip = [alt.Tooltip("series:N", title=text["series"]), alt.Tooltip("name:N", title=text["dimension"]),
               alt.Tooltip("change_label:N", title=text["change"])]
    bars = alt.Chart(df).mark_bar(height=alt.RelativeBandSize(0.85)).encode(
        y=y, yOffset=offset, x=x, color=colour, tooltip=tooltip)
    labels = alt.Chart(df).mark_text(
        fontSize=12, align=alt.expr("datum.change < 0 ? 'right' : 'left'"), dx=alt.expr("datum.change < 0 ? -4 : 4"),
    ).encode(y=y, yOffset=offset, x=x, text="change_label:N")
    zero = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#1b1b1b").encode(x="zero:Q")
    lines = max(d.count("\n") + 1 for d in dims)
    height = len(dims) * (max(BAR * len(series), LINE * lines) + GAP)
    return alt.layer(bars, labels, zero).properties(title=title_params(text["title"]), height=height, autosize=FIT_X)
