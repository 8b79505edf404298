"""The brief's charts: the app's own Altair specs (charts.whatif, charts.brief), set up for A4.

The app draws a chart at the page's width and lets Vega fit the labels inside it ("fit-x"); at a fixed
print width that squeezed the plot to nothing and cut every label past the edge. Here each chart gets a
plot width meant for its place on the page, and Vega's "pad" sizing grows the image around its labels,
legend and axes, so the image holds all of its text. Its title is taken out and written by the PDF
itself (it wraps, it can be searched, it is never cut). Every chart is then placed at its own aspect
ratio and at one common scale (``MM_PER_PX``), so a 12-px label prints at the same size on every chart.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from charts import brief as brief_charts
from charts import whatif as whatif_charts
from sim.data import Dataset
from sim.words import nfc

from .chart_png import to_jpeg
from .summary import Entry

MM_PER_PX = 0.27  # one CSS pixel on paper: a 12-px label prints at 9 pt, the 10-px province names at 7.7 pt
PAGE_PX = 690     # the plot width that, with its axis, fills the A4 text width (186 mm) at MM_PER_PX
HALF_PX = 150     # the plot width of a chart set in half the text width, beside another


@dataclass(frozen=True)
class BriefChart:
    """One chart as the brief prints it: the spec rendered (no title: the PDF writes it above) and
    whether it takes the full text width or half of it."""
    key: str
    title: str
    subtitle: str
    spec: dict
    half: bool

    def jpeg(self) -> bytes:
        return to_jpeg(self.spec, scale=2.0)


def _lines(value) -> str:
    """A Vega title (a string or a list of lines) as one string."""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value if str(v))
    return str(value or "")


def _for_paper(chart, width: int, height: int | None = None) -> tuple[dict, str, str]:
    """The chart's spec with a fixed plot width, sized around its content, and its title taken out."""
    spec = copy.deepcopy(chart.to_dict(validate=False))
    title = spec.pop("title", None) or {}
    if not isinstance(title, dict):
        title = {"text": title}
    spec["width"] = width
    if height is not None:
        spec["height"] = height
    spec["autosize"] = {"type": "pad"}
    return spec, nfc(_lines(title.get("text"))), nfc(_lines(title.get("subtitle")))


def brief_charts_for(ds: Dataset, items: tuple[Entry, ...], lang: str) -> tuple[BriefChart, ...]:
    """Every chart the brief shows, in the order it places them: the change chart of all scenarios,
    then the app's four charts for the first one."""
    lead = items[0].outcome
    made = [("compare", brief_charts.comparison(ds, [(e.name, e.outcome) for e in items], lang, legend=False),
             PAGE_PX - 300, None, False),
            ("national", whatif_charts.national(ds, lead, lang), PAGE_PX - 40, 240, False),
            ("profile", whatif_charts.profile(ds, lead, lang), HALF_PX, None, True),
            ("waterfall", whatif_charts.waterfall(ds, lead, lang), HALF_PX, None, True),
            ("near", whatif_charts.neighbours(ds, lead, lang), HALF_PX + 150, 200, True)]
    out = []
    for key, chart, width, height, half in made:
        spec, title, subtitle = _for_paper(chart, width, height)
        out.append(BriefChart(key, title, subtitle, spec, half))
    return tuple(out)
