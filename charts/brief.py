"""Charts that compare several scenarios (the PDF brief's grouped chart). Pure: no streamlit.

The figures come from sim (each scenario's Outcome); this module only lays them out and labels them
in the user's language.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from sim.data import Dataset
from sim.i18n import fmt_num, t
from sim.scenario import Outcome
from sim.words import indicator_label

from . import specs
from .palette import scenario_colours

MIN_HEIGHT = 150  # px: one moved dimension still gets a chart tall enough to read


def comparison_frame(ds: Dataset, outcomes: list[tuple[str, Outcome]], lang: str) -> pd.DataFrame:
    """One row per (scenario, dimension): the change from the baseline, labelled."""
    rows = []
    for name, o in outcomes:
        year = o.scenario.year
        for code, base in o.baseline.dimensions.items():
            change = o.result.dimensions[code] - base
            rows.append({"scenario": name, "code": code,
                         "dimension": indicator_label(ds, code, year, lang),
                         "change": round(change, 4),
                         "change_label": fmt_num(change, lang, 2, sign=True) if abs(change) > 1e-9 else ""})
    return pd.DataFrame(rows)


def comparison(ds: Dataset, outcomes: list[tuple[str, Outcome]], lang: str, legend: bool = True) -> alt.LayerChart:
    """Grouped bars: for each dimension, each scenario's change from the baseline (one colour a scenario,
    charts.palette). ``legend=False`` for a page that writes the full scenario names beside the chart
    itself (the PDF), since a chart legend cuts or shrinks a long name."""
    df = comparison_frame(ds, outcomes, lang)
    moved = set(df.loc[df["change"] != 0, "code"])
    if moved:  # dimensions no scenario moves would be empty rows
        df = df[df["code"].isin(moved)]
    names = list(dict.fromkeys(df["scenario"]))
    order = list(dict.fromkeys(df["dimension"]))
    y = alt.Y("dimension:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelFontSize=12))
    colour = alt.Color("scenario:N", sort=names, title=None,
                       scale=alt.Scale(domain=names, range=scenario_colours(len(names))),
                       legend=alt.Legend(orient="top", columns=1, labelLimit=0, labelFontSize=12) if legend else None)
    lo, hi = min(0.0, float(df["change"].min())), max(0.0, float(df["change"].max()))
    pad = max(0.1, (hi - lo) * 0.18)  # room for the value labels
    x = alt.X("change:Q", scale=alt.Scale(domain=[lo - (pad if lo < 0 else 0), hi + pad], nice=False),
              axis=specs.axis(lang, t("chart.compare.x", lang)))
    bars = alt.Chart(df).mark_bar(height=alt.RelativeBandSize(0.9)).encode(
        y=y, yOffset=alt.YOffset("scenario:N", sort=names), x=x, color=colour,
        tooltip=[alt.Tooltip("scenario:N", title=t("chart.compare.series", lang)),
                 alt.Tooltip("dimension:N", title=t("chart.dimension", lang)),
                 alt.Tooltip("change_label:N", title=t("chart.change", lang))])
    labels = alt.Chart(df).mark_text(align="left", dx=3, fontSize=10).encode(
        y=y, yOffset=alt.YOffset("scenario:N", sort=names), x=x, text="change_label:N")
    rule = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color="#1b1b1b").encode(x="zero:Q")
    height = max(MIN_HEIGHT, len(order) * (14 * len(names) + 12))
    return alt.layer(bars, labels, rule).properties(
        title=specs.title_params(t("chart.compare.title", lang)), height=height)
