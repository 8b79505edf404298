"""Altair chart builders: each takes frames computed by sim/ plus display labels, returns a chart.

No chart computes a figure: labels (already formatted in the user's language) are passed in.
Vietnamese axis numbers get a decimal comma through ``labelExpr``.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd

# Altair validates every schema object as it is built (~100 ms a rerun for these charts). The specs are
# validated in full by the tests (``chart.to_dict()``), so building skips it. A library setting, set once.
alt.utils.schemapi.disable_debug_mode()

GROUP_COLOURS = {1: "#1b7837", 2: "#a6dba0", 3: "#f4c39b", 4: "#d6604d"}
US = "#b3261e"
GREY = "#8c8c8c"
# the national chart's group bands: four hues strong enough to tell apart behind the dots on a projector
# (the pale tints of GROUP_COLOURS at low opacity made "trung bình cao" and "trung bình thấp" look alike)
BAND_COLOURS = {1: "#1b7837", 2: "#7fc97f", 3: "#fdb863", 4: "#d73027"}


def axis(lang: str, title: str, **kw) -> alt.Axis:
    expr = "replace(datum.label, '.', ',')" if lang == "vi" else "datum.label"
    return alt.Axis(title=title, labelExpr=expr, **kw)


def wrap_lines(text: str, width: int) -> list[str]:
    """A title as lines of at most ``width`` characters (Vega draws a list as several lines), so a long
    Vietnamese title wraps instead of ending in an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def title_params(text: str, subtitle: str | None = None) -> alt.TitleParams:
    return alt.TitleParams(text=wrap_lines(text, 60), subtitle=wrap_lines(subtitle or "", 95), anchor="start", fontSize=18,
                           subtitleFontSize=13, limit=0)


# The plot keeps its height and fits the width: axis labels, titles and legends are added around it,
# so nothing is squeezed out (Streamlit's default "fit" would shrink the plot to make room).
FIT_X = {"type": "fit-x", "contains": "padding"}


def _sorted(field: str, order_field: str = "order") -> alt.EncodingSortField:
    """Sort a nominal axis by a data column, so a spec does not depend on the rows it draws
    (the app builds each spec once and only swaps its data)."""
    return alt.EncodingSortField(field=order_field, op="min", order="ascending")


def wrap_expr() -> str:
    """Axis labels with a line break in the data ("\\n") are drawn on several lines."""
    return "split(datum.label, '\\n')"


def national_chart(df, bands, lang: str, text: dict) -> alt.LayerChart:
    """Every province's total, sorted, baseline tick vs scenario dot; ours highlighted; group bands behind.

    ``df``: rows with label, order, baseline, scenario, is_us, near_label and tooltip labels; ``bands``:
    group, lo, hi, name. Either may be a DataFrame or ``alt.Data(name=...)`` (data supplied later).
    Every province is named on the x axis (vertical labels); ours and its neighbours are also named
    above their dots.
    """
    y = alt.Y("scenario:Q", scale=alt.Scale(zero=False), axis=axis(lang, text["y"]))
    band = alt.Chart(bands).mark_rect(opacity=0.3).encode(
        y=alt.Y("lo:Q", scale=alt.Scale(zero=False)), y2="hi:Q",
        color=alt.Color("group:O", scale=alt.Scale(domain=list(BAND_COLOURS), range=list(BAND_COLOURS.values())),
                        legend=alt.Legend(title=None, labelExpr=text["group_legend_expr"], orient="top",
                                          direction="horizontal", columns=2, labelLimit=0, symbolType="square")),
        tooltip=[alt.Tooltip("name:N", title=text["group"])])
    tooltip = [alt.Tooltip("label:N", title=text["province"]),
               alt.Tooltip("baseline_label:N", title=text["baseline"]),
               alt.Tooltip("scenario_label:N", title=text["scenario"]),
               alt.Tooltip("rank_label:N", title=text["rank"]),
               alt.Tooltip("group_label:N", title=text["group"])]
    us_test = f"datum.value == {json.dumps(text.get('us_label', ''), ensure_ascii=False)}"
    x = alt.X("label:N", sort=_sorted("label"), axis=alt.Axis(
        title=None, labelAngle=-90, labelFontSize=12, labelOverlap=False, labelLimit=0, labelPadding=4,
        labelColor={"condition": {"test": us_test, "value": US}, "value": "#3a3a3a"},
        labelFontWeight={"condition": {"test": us_test, "value": "bold"}, "value": "normal"}))
    base_tick = alt.Chart(df).mark_tick(color=GREY, thickness=2, size=9).encode(x=x, y="baseline:Q", tooltip=tooltip)
    dots = alt.Chart(df).mark_circle(opacity=0.95).encode(
        x=x, y=y, tooltip=tooltip,
        size=alt.condition("datum.is_us", alt.value(220), alt.value(45)),
        color=alt.condition("datum.is_us", alt.value(US), alt.value("#2b4a6f")))
    # vertical names above our dot and our neighbours' (one column per province, so they never overlap)
    names = alt.Chart(df).mark_text(angle=270, align="left", baseline="middle", dx=12, fontSize=13,
                                        fontWeight="bold").encode(
        x=x, y=y, text="near_label:N", color=alt.condition("datum.is_us", alt.value(US), alt.value("#1b1b1b")))
    return alt.layer(band, base_tick, dots, names).properties(
        title=title_params(text["title"], text["subtitle"]), height=300, autosize=FIT_X).resolve_scale(color="independent")


def profile_chart(df, lang: str, text: dict) -> alt.Chart:
    """Our dimension profile (baseline, scenario) against the national median and best.

    ``df``: long format with columns dimension (line breaks allowed), order, series_label, value,
    value_label; or ``alt.Data``. ``text["series"]`` lists the four series labels in order.
    """
    series = text["series"]
    return alt.Chart(df).mark_point(filled=True, size=140).encode(
        # never drop a label (Vega hides overlapping ones: English names of three lines lost rows 2, 4, 6, 8)
        y=alt.Y("dimension:N", sort=_sorted("dimension"), title=None,
                axis=alt.Axis(labelLimit=0, labelFontSize=12, labelExpr=wrap_expr(), labelOverlap=False)),
        x=alt.X("value:Q", scale=alt.Scale(domain=[1, 10]), axis=axis(lang, text["x"])),
        color=alt.Color("series_label:N", sort=series, title=None,
                        legend=alt.Legend(orient="top", direction="horizontal", columns=2, labelLimit=0),
                        scale=alt.Scale(domain=series, range=["#f4a582", US, GREY, "#1b1b1b"])),
        shape=alt.Shape("series_label:N", sort=series, title=None,
                        scale=alt.Scale(domain=series, range=["circle", "circle", "diamond", "triangle-up"])),
        tooltip=[alt.Tooltip("name:N", title=text["dimension"]), alt.Tooltip("series_label:N", title=" "),
                 alt.Tooltip("value_label:N", title=text["x"])],
    ).properties(title=title_params(text["title"]), height=alt.Step(48), autosize=FIT_X)  # room for 3 lines


def waterfall_chart(df, lang: str, text: dict) -> alt.LayerChart:
    """From the baseline total to the scenario total, one bar per dimension that moved.

    Horizontal, so every bar carries its full name on the axis (long names wrap at "\\n").
    ``df``: step_label, order, lo, hi, change_label, kind, name; or ``alt.Data``.
    """
    y = alt.Y("step_label:N", sort=_sorted("step_label"), title=None,
              axis=alt.Axis(labelLimit=0, labelFontSize=12, labelExpr=wrap_expr(), labelOverlap=False))
    x = alt.X("lo:Q", scale=alt.Scale(zero=False, padding=24), axis=axis(lang, text["y"]))
    bars = alt.Chart(df).mark_bar(height=alt.RelativeBandSize(0.6)).encode(
        y=y, x=x, x2="hi:Q",
        color=alt.Color("kind:N", legend=None, scale=alt.Scale(domain=["total", "up", "down"],
                                                               range=["#2b4a6f", "#1b7837", "#d6604d"])),
        tooltip=[alt.Tooltip("name:N", title=" "), alt.Tooltip("change_label:N", title=text["change"])])
    labels = alt.Chart(df).mark_text(align="left", dx=6, fontSize=13).encode(y=y, x=alt.X("hi:Q"), text="change_label:N")
    return alt.layer(bars, labels).properties(title=title_params(text["title"]), height=alt.Step(44), autosize=FIT_X)


def neighbourhood_chart(df, lang: str, text: dict) -> alt.LayerChart:
    """The provinces just above and below us: a bar from our total to theirs, labelled with the gap.

    ``df``: label, order, scenario, gap, gap_label, scenario_label, is_us, us_total; or ``alt.Data``.
    """
    y = alt.Y("label:N", sort=_sorted("label"), title=None, axis=alt.Axis(labelFontSize=13, labelLimit=0))
    bars = alt.Chart(df).mark_bar(height=16).encode(
        y=y, x=alt.X("us_total:Q", scale=alt.Scale(zero=False, padding=40), axis=axis(lang, text["x"])), x2="scenario:Q",
        color=alt.condition("datum.gap > 0", alt.value("#2b4a6f"), alt.value("#9ecae1")),
        tooltip=[alt.Tooltip("label:N", title=text["province"]), alt.Tooltip("scenario_label:N", title=text["x"]),
                 alt.Tooltip("gap_label:N", title=text["gap"])])
    dots = alt.Chart(df).mark_circle(size=120).encode(
        y=y, x="scenario:Q", color=alt.condition("datum.is_us", alt.value(US), alt.value("#2b4a6f")))
    labels = alt.Chart(df).mark_text(align="left", dx=8, fontSize=13).encode(y=y, x="scenario:Q", text="gap_label:N")
    return alt.layer(bars, dots, labels).properties(title=title_params(text["title"], text["subtitle"]), height=alt.Step(32),
                                                    autosize=FIT_X)


def _vs_colour(series: list[str]) -> alt.Color:
    """Colour of the two series the odds charts compare: baseline (light) and scenario (ours)."""
    return alt.Color("series_label:N", sort=series, title=None, legend=alt.Legend(orient="top"),
                     scale=alt.Scale(domain=series, range=["#9ecae1", US]))


def group_odds_chart(df: pd.DataFrame, text: dict) -> alt.LayerChart:
    """P(group) for baseline and scenario: one row per group, its full name on the axis (a vertical chart
    dropped the two middle names for lack of room), the two bars side by side, each labelled.
    ``df``: group_label, series_label, p, p_label."""
    series = list(dict.fromkeys(df["series_label"]))
    order = list(dict.fromkeys(df["group_label"]))
    y = alt.Y("group_label:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelOverlap=False, labelFontSize=13, labelPadding=6))
    offset = alt.YOffset("series_label:N", sort=series)
    x = alt.X("p:Q", scale=alt.Scale(domain=[0, 1.15], nice=False),  # room for "100%" after a full bar
              axis=alt.Axis(format="%", title=text["y"], values=[0, 0.25, 0.5, 0.75, 1], labelFontSize=12))
    tooltip = [alt.Tooltip("group_label:N", title=text["group"]), alt.Tooltip("series_label:N", title=" "),
               alt.Tooltip("p_label:N", title=text["y"])]
    bars = alt.Chart(df).mark_bar(height=alt.RelativeBandSize(0.9)).encode(
        y=y, yOffset=offset, x=x, color=_vs_colour(series), tooltip=tooltip)
    labels = alt.Chart(df).mark_text(align="left", dx=4, fontSize=12).encode(y=y, yOffset=offset, x="p:Q",
                                                                             text="p_label:N")
    return alt.layer(bars, labels).properties(title=title_params(text["title"]), height=300, autosize=FIT_X)


def rank_odds_chart(df: pd.DataFrame, text: dict) -> alt.Chart:
    """P(rank = r) for baseline and scenario as two lines over the ranks that exist, 1 to ``text["of"]``
    (overlapping bars hid each other). ``df``: rank, series_label, p, p_label, every rank of both series."""
    series = list(dict.fromkeys(df["series_label"]))
    x = alt.X("rank:Q", title=text["x"], scale=alt.Scale(domain=[1, text["of"]], nice=False),
              axis=alt.Axis(labelFontSize=12, tickMinStep=1, format="d"))
    tooltip = [alt.Tooltip("rank:Q", title=text["x"]), alt.Tooltip("series_label:N", title=" "),
               alt.Tooltip("p_label:N", title=text["y"])]
    # whole-percent ticks: "%" labels carry no decimal point to translate into a Vietnamese comma
    y = alt.Y("p:Q", axis=alt.Axis(format="%", title=text["y"], labelFontSize=12, tickMinStep=0.01))
    # one legend for colour and dash (same field, title and place), so it shows the dashed baseline line
    dash = alt.StrokeDash("series_label:N", sort=series, title=None, legend=alt.Legend(orient="top"),
                          scale=alt.Scale(domain=series, range=[[6, 3], [1, 0]]))
    lines = alt.Chart(df).mark_line(strokeWidth=2.5, interpolate="monotone").encode(
        x=x, y=y, color=_vs_colour(series), strokeDash=dash, tooltip=tooltip)
    return lines.properties(title=title_params(text["title"]), height=300, autosize=FIT_X)


def rank_interval_chart(df: pd.DataFrame, text: dict) -> alt.LayerChart:
    """Every province's 5-95% rank range and median under the scenario, ours highlighted.

    ``df``: label, rank_p5, rank_median, rank_p95, is_us, order.
    """
    order = list(df.sort_values("order")["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelFontSize=12, labelLimit=0, labelOverlap=False))
    colour = alt.condition("datum.is_us", alt.value(US), alt.value("#5b7aa0"))
    tooltip = [alt.Tooltip("label:N", title=text["province"]), alt.Tooltip("rank_p5:Q", title="p5"),
               alt.Tooltip("rank_median:Q", title=text["median"]), alt.Tooltip("rank_p95:Q", title="p95")]
    rule = alt.Chart(df).mark_rule(strokeWidth=3).encode(
        # ranks that exist only, 1 to the number ranked (a "nice" scale ran 65 -> 0)
        y=y, x=alt.X("rank_p5:Q", scale=alt.Scale(reverse=True, domain=[1, len(df)], nice=False, zero=False),
                     title=text["x"]),
        x2="rank_p95:Q", color=colour, tooltip=tooltip)
    tick = alt.Chart(df).mark_tick(thickness=3, size=12, color="#1b1b1b").encode(y=y, x="rank_median:Q", tooltip=tooltip)
    return alt.layer(rule, tick).properties(title=title_params(text["title"], text["subtitle"]), height=alt.Step(18),
                                            autosize=FIT_X)


PLAN_FONT = 14  # px: the plan chart's names and labels, readable on a projector (the review measured ~10 px)
PLAN_WRAP = 30  # characters a line of an indicator's name (wrapped, never cut with an ellipsis)


def plan_chart(df: pd.DataFrame, lang: str, text: dict) -> alt.LayerChart:
    """Per dimension: the plan's move from baseline to target (bar), and its cap (tick).

    ``df``: dimension, start, end, cap, change_label, cap_label. Each change label sits right of both the bar
    and the cap tick, so the tick never crosses it; names wrap onto several lines.
    """
    df = df.assign(name=["\n".join(wrap_lines(d, PLAN_WRAP)) for d in df["dimension"]],
                   label_at=df[["end", "cap"]].max(axis=1))
    lines = max((n.count("\n") + 1 for n in df["name"]), default=1)
    y = alt.Y("name:N", sort=list(df["name"]), title=None,
              axis=alt.Axis(labelLimit=0, labelFontSize=PLAN_FONT, labelExpr=wrap_expr(), labelPadding=8))
    x = alt.X("start:Q", scale=alt.Scale(domain=[1, 10]), axis=axis(lang, text["x"], labelFontSize=PLAN_FONT,
                                                                      titleFontSize=PLAN_FONT))
    tooltip = [alt.Tooltip("dimension:N", title=" "), alt.Tooltip("change_label:N", title=text["change"]),
               alt.Tooltip("cap_label:N", title=text["cap"])]
    base = alt.Chart(df).mark_bar(height=16, color="#d9d9d9").encode(y=y, x=alt.X("one:Q", scale=alt.Scale(domain=[1, 10])),
                                                                    x2="start:Q", tooltip=tooltip)
    move = alt.Chart(df).mark_bar(height=16, color=US).encode(y=y, x=x, x2="end:Q", tooltip=tooltip)
    cap = alt.Chart(df).mark_tick(color="#1b1b1b", thickness=3, size=24).encode(y=y, x="cap:Q", tooltip=tooltip)
    # dx clears the 3 px tick at the cap; the right padding leaves room for a label near the top of the scale
    label = alt.Chart(df).mark_text(align="left", dx=8, fontSize=PLAN_FONT).encode(y=y, x="label_at:Q",
                                                                                  text="change_label:N")
    return alt.layer(base, move, cap, label).properties(title=title_params(text["title"], text["subtitle"]),
                                                        height=alt.Step(max(34, 18 * lines + 8)),
                                                        padding={"left": 5, "top": 5, "bottom": 5, "right": 70})
