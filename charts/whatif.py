"""The what-if screen's four charts for one Outcome, labelled in a language.

Pure (no streamlit): the app's pages and the PDF brief draw the same specs. The figures come from
sim.compare; this module only adds labels in the user's language and picks the chart.

Two ways out: ``national/profile/waterfall/neighbours`` return Altair charts (for exports), and
``spec(kind, ...)`` returns the same chart as a Vega-Lite dict for the live screen. Building a chart
through Altair and ``to_dict()`` costs tens of milliseconds, more than the whole scenario; the specs
depend only on their texts (year, province, language), so each is built once per text and only its
rows are swapped on a slider move.
"""
from __future__ import annotations

from functools import lru_cache

import altair as alt
import pandas as pd

from sim.compare import dimension_stats, neighbourhood_frame, waterfall_frame
from sim.data import Dataset
from sim.i18n import fmt_num, t
from sim.scenario import Outcome
from sim.words import group_name, indicator_label, province_name

from . import specs

NEAR = 2  # neighbours named on each side of us on the national chart
WRAP = 24  # characters per line of a wrapped axis label


def wrap(text: str, width: int = WRAP) -> str:
    """Break a label into lines of at most ``width`` characters at spaces (never cut a word)."""
    return "\n".join(specs.wrap_lines(text, width))


# ---- rows (plain data, per scenario) ------------------------------------------------------------

def national_rows(ds: Dataset, o: Outcome, lang: str) -> tuple[list[dict], list[dict]]:
    """One row per ranked province (best first) and the four group bands of the scenario.

    Plain Python over the engine's arrays (the same order as sim.compare.national_frame): this runs on
    every slider move."""
    b, r = o.national_baseline, o.national_result
    order = sorted(range(len(r.provinces)), key=lambda i: (int(r.rank[i]), r.provinces[i]))
    us = next(k for k, i in enumerate(order) if r.provinces[i] == o.scenario.province)
    n = len(order)
    rows = []
    for k, i in enumerate(order):
        label = province_name(ds, r.provinces[i], lang)
        base, new = float(b.total[i]), float(r.total[i])
        rows.append({"label": label, "order": k, "baseline": base, "scenario": new, "is_us": k == us,
                     "near_label": label if abs(k - us) <= NEAR else "",
                     "baseline_label": fmt_num(base, lang, 4), "scenario_label": fmt_num(new, lang, 4),
                     "rank_label": f"{int(r.rank[i])}/{n}", "group_label": group_name(int(r.group[i]), lang)})
    cuts = o.result.cutoffs.as_tuple()
    values = [v for row in rows for v in (row["baseline"], row["scenario"])]
    edges = (max(values) + 0.3, *cuts, min(values) - 0.3)
    bands = [{"group": g, "hi": float(edges[g - 1]), "lo": float(edges[g]), "name": group_name(g, lang)} for g in (1, 2, 3, 4)]
    return rows, bands


@lru_cache(maxsize=32)
def _stats(ds: Dataset, year: int) -> dict:
    """National median and best per dimension (a year's figures never change while the app runs)."""
    return dimension_stats(ds, year)


def profile_rows(ds: Dataset, o: Outcome, lang: str) -> list[dict]:
    year = o.scenario.year
    stats = _stats(ds, year)
    names = _series(lang)
    rows = []
    for order, (code, base) in enumerate(o.baseline.dimensions.items()):
        name = indicator_label(ds, code, year, lang)
        values = (base, o.result.dimensions[code], stats[code].median, stats[code].best)
        for value, label in zip(values, names):
            rows.append({"dimension": wrap(name), "name": name, "order": order, "series_label": label,
                         "value": float(value), "value_label": fmt_num(value, lang, 4)})
    return rows


def waterfall_rows(ds: Dataset, o: Outcome, lang: str) -> list[dict]:
    year = o.scenario.year
    wf = waterfall_frame(o)
    floor = min(o.baseline.total, o.result.total) - 1.0
    rows = []
    for order, r in enumerate(wf.itertuples(index=False)):
        dim = r.step == "dimension"
        name = (t("chart.baseline", lang) if r.step == "baseline" else t("chart.scenario", lang) if r.step == "scenario"
                else indicator_label(ds, r.code, year, lang))
        rows.append({"step_label": wrap(name), "name": name, "order": order,
                     "kind": ("up" if r.change > 0 else "down") if dim else "total",
                     "lo": min(r.start, r.end) if dim else floor, "hi": max(r.start, r.end) if dim else float(r.end),
                     "change_label": fmt_num(r.change, lang, 2, sign=dim)})
    return rows


def neighbour_rows(ds: Dataset, o: Outcome, lang: str, k: int = 4) -> list[dict]:
    near = neighbourhood_frame(ds, o, k=k)
    return [{"label": f"{r.rank_scenario}. {province_name(ds, r.province, lang)}", "order": i,
             "scenario": float(r.scenario), "gap": float(r.gap), "is_us": bool(r.is_us),
             "gap_label": "" if r.is_us else fmt_num(r.gap, lang, 2, sign=True),
             "scenario_label": fmt_num(r.scenario, lang, 4), "us_total": float(o.result.total)}
            for i, r in enumerate(near.itertuples(index=False))]


# ---- texts (per year, province and language) ----------------------------------------------------

def _series(lang: str) -> tuple[str, ...]:
    return tuple(t(f"chart.{k}", lang) for k in ("baseline", "scenario", "median", "best"))


def _texts(kind: str, ds: Dataset, o: Outcome, lang: str) -> tuple[tuple[str, object], ...]:
    year, province = o.scenario.year, o.scenario.province
    label = province_name(ds, province, lang)
    if kind == "national":
        legend = " : ".join(f"datum.label == '{g}' ? '{group_name(g, lang)}'" for g in (1, 2, 3)) + f" : '{group_name(4, lang)}'"
        text = {"title": t("chart.national.title", lang, year=year),
                "subtitle": t("chart.national.subtitle", lang, province=label),
                "y": t("chart.total", lang), "group": t("chart.group", lang), "group_legend_expr": legend,
                "province": t("chart.province", lang), "baseline": t("chart.baseline", lang),
                "scenario": t("chart.scenario", lang), "rank": t("chart.rank", lang), "us_label": label}
    elif kind == "profile":
        text = {"title": t("chart.profile.title_n", lang, province=label, year=year, n=len(o.baseline.dimensions)),
                "x": t("chart.score", lang), "dimension": t("chart.dimension", lang), "series": _series(lang)}
    elif kind == "waterfall":
        text = {"title": t("chart.waterfall.title", lang), "y": t("chart.total", lang), "change": t("chart.change", lang)}
    else:
        text = {"title": t("chart.near.title", lang), "subtitle": t("chart.near.subtitle", lang),
                "x": t("chart.total", lang), "province": t("chart.province", lang), "gap": t("chart.gap", lang)}
    return tuple(sorted(text.items()))


def _rows(kind: str, ds: Dataset, o: Outcome, lang: str) -> dict[str, list[dict]]:
    if kind == "national":
        rows, bands = national_rows(ds, o, lang)
        return {"rows": rows, "bands": bands}
    return {"rows": {"profile": profile_rows, "waterfall": waterfall_rows, "near": neighbour_rows}[kind](ds, o, lang)}


def _build(kind: str, lang: str, text: dict, data: dict) -> alt.TopLevelMixin:
    rows = data["rows"]
    if kind == "national":
        return specs.national_chart(rows, data["bands"], lang, text)
    return {"profile": specs.profile_chart, "waterfall": specs.waterfall_chart, "near": specs.neighbourhood_chart}[kind](
        rows, lang, text)


def chart(kind: str, ds: Dataset, o: Outcome, lang: str) -> alt.TopLevelMixin:
    """The Altair chart of ``kind`` with its data inline (for exports and tests)."""
    data = {name: pd.DataFrame(values) for name, values in _rows(kind, ds, o, lang).items()}
    return _build(kind, lang, dict(_texts(kind, ds, o, lang)), data)


@lru_cache(maxsize=64)
def _template(kind: str, lang: str, text: tuple[tuple[str, object], ...]) -> dict:
    """The chart's Vega-Lite dict with named, empty datasets: built once per text, never mutated."""
    names = ("rows", "bands") if kind == "national" else ("rows",)
    return _build(kind, lang, dict(text), {n: alt.Data(name=n) for n in names}).to_dict(validate=False)


def spec(kind: str, ds: Dataset, o: Outcome, lang: str) -> dict:
    """The Vega-Lite dict of ``kind`` for this outcome: the cached template plus this scenario's rows.
    A new top-level dict each call (the template itself is shared)."""
    return {**_template(kind, lang, _texts(kind, ds, o, lang)), "datasets": _rows(kind, ds, o, lang)}


def national(ds: Dataset, o: Outcome, lang: str) -> alt.LayerChart:
    """Every province's total, baseline vs scenario, with the group bands behind."""
    return chart("national", ds, o, lang)


def profile(ds: Dataset, o: Outcome, lang: str) -> alt.Chart:
    """Our dimensions, baseline and scenario, against the national median and best."""
    return chart("profile", ds, o, lang)


def waterfall(ds: Dataset, o: Outcome, lang: str) -> alt.LayerChart:
    """From the baseline total to the scenario total, one bar per dimension that moved."""
    return chart("waterfall", ds, o, lang)


def neighbours(ds: Dataset, o: Outcome, lang: str, k: int = 4) -> alt.LayerChart:
    """The k provinces just above and below us after the scenario, with the gap to each."""
    data = {"rows": pd.DataFrame(neighbour_rows(ds, o, lang, k))}
    return _build("near", lang, dict(_texts("near", ds, o, lang)), data)


CHARTS = {"national": national, "profile": profile, "waterfall": waterfall, "near": neighbours}
