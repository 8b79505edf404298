"""The what-if screen's four charts for one Outcome, labelled in a language.

Pure (no streamlit): the app's pages and the PDF brief draw the same specs. The figures come from
sim.compare; this module only adds labels in the user's language and picks the chart.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from sim.compare import (
    national_frame,
    neighbourhood_frame,
    profile_frame,
    waterfall_frame,
)
from sim.data import Dataset
from sim.i18n import fmt_num, t
from sim.scenario import Outcome

from . import specs


def _dim_label(ds: Dataset, code: str, year: int, lang: str) -> str:
    return f"{code}. {ds.indicator(code, year).name(lang)}"


def _group(g: int, lang: str) -> str:
    return t(f"group.{g}", lang)


def national(ds: Dataset, o: Outcome, lang: str) -> alt.LayerChart:
    """Every province's total, baseline vs scenario, with the group bands behind."""
    year, province = o.scenario.year, o.scenario.province
    df = national_frame(ds, o)
    df["label"] = [ds.province(p).label(lang) for p in df["province"]]
    df["us_label"] = [label if us else "" for label, us in zip(df["label"], df["is_us"])]
    df["baseline_label"] = [fmt_num(v, lang, 4) for v in df["baseline"]]
    df["scenario_label"] = [fmt_num(v, lang, 4) for v in df["scenario"]]
    df["rank_label"] = [f"{r}/{len(df)}" for r in df["rank_scenario"]]
    df["group_label"] = [_group(g, lang) for g in df["group_scenario"]]
    cuts = o.result.cutoffs.as_tuple()
    values = df[["baseline", "scenario"]]
    top, bottom = float(values.max().max()) + 0.3, float(values.min().min()) - 0.3
    edges = (top, *cuts, bottom)
    bands = pd.DataFrame({"group": [1, 2, 3, 4], "hi": edges[:-1], "lo": edges[1:],
                          "name": [_group(g, lang) for g in (1, 2, 3, 4)]})
    legend = " : ".join(f"datum.label == '{g}' ? '{_group(g, lang)}'" for g in (1, 2, 3)) + f" : '{_group(4, lang)}'"
    return specs.national_chart(df, bands, lang, {
        "title": t("chart.national.title", lang, year=year),
        "subtitle": t("chart.national.subtitle", lang, province=ds.province(province).label(lang)),
        "y": t("chart.total", lang), "group": t("chart.group", lang), "group_legend_expr": legend,
        "province": t("chart.province", lang), "baseline": t("chart.baseline", lang),
        "scenario": t("chart.scenario", lang), "rank": t("chart.rank", lang)})


def profile(ds: Dataset, o: Outcome, lang: str) -> alt.Chart:
    """Our dimensions, baseline and scenario, against the national median and best."""
    year = o.scenario.year
    prof = profile_frame(ds, o)
    series = {"baseline": t("chart.baseline", lang), "scenario": t("chart.scenario", lang),
              "median": t("chart.median", lang), "best": t("chart.best", lang)}
    long = prof.melt(id_vars=["code"], value_vars=list(series), var_name="series", value_name="value")
    long["dimension"] = [_dim_label(ds, c, year, lang) for c in long["code"]]
    long["series_label"] = long["series"].map(series)
    long["value_label"] = [fmt_num(v, lang, 4) for v in long["value"]]
    return specs.profile_chart(long, lang, {
        "title": t("chart.profile.title", lang, province=ds.province(o.scenario.province).label(lang), year=year),
        "x": t("chart.score", lang), "dimension": t("chart.dimension", lang)})


def waterfall(ds: Dataset, o: Outcome, lang: str) -> alt.LayerChart:
    """From the baseline total to the scenario total, one bar per dimension that moved."""
    year = o.scenario.year
    wf = waterfall_frame(o)
    wf["step_label"] = [t("chart.baseline", lang) if s == "baseline" else t("chart.scenario", lang)
                        if s == "scenario" else _dim_label(ds, c, year, lang) for s, c in zip(wf["step"], wf["code"])]
    wf["kind"] = ["total" if s != "dimension" else ("up" if ch > 0 else "down") for s, ch in zip(wf["step"], wf["change"])]
    floor = min(o.baseline.total, o.result.total) - 1.0
    wf["lo"] = [floor if s != "dimension" else min(a, b) for s, a, b in zip(wf["step"], wf["start"], wf["end"])]
    wf["hi"] = [e if s != "dimension" else max(a, e) for s, a, e in zip(wf["step"], wf["start"], wf["end"])]
    wf["change_label"] = [fmt_num(ch, lang, 2, sign=(s == "dimension")) for s, ch in zip(wf["step"], wf["change"])]
    return specs.waterfall_chart(wf, lang, {
        "title": t("chart.waterfall.title", lang), "y": t("chart.total", lang), "change": t("chart.change", lang)})


def neighbours(ds: Dataset, o: Outcome, lang: str, k: int = 4) -> alt.LayerChart:
    """The k provinces just above and below us after the scenario, with the gap to each."""
    near = neighbourhood_frame(ds, o, k=k)
    near["label"] = [f"{r}. {ds.province(p).label(lang)}" for r, p in zip(near["rank_scenario"], near["province"])]
    near["gap_label"] = ["" if u else fmt_num(g, lang, 2, sign=True) for u, g in zip(near["is_us"], near["gap"])]
    near["scenario_label"] = [fmt_num(v, lang, 4) for v in near["scenario"]]
    near["us_total"] = o.result.total
    return specs.neighbourhood_chart(near, lang, {
        "title": t("chart.near.title", lang), "subtitle": t("chart.near.subtitle", lang), "x": t("chart.total", lang),
        "province": t("chart.province", lang), "gap": t("chart.gap", lang)})


CHARTS = {"national": national, "profile": profile, "waterfall": waterfall, "near": neighbours}
