"""Altair chart -> PNG with vl-convert, offline: no font, script or data is fetched.

vl-convert bundles the Vega JavaScript; the fonts come from ``assets/fonts`` (DejaVu Sans, shipped with
the repo under its open licence), registered once per process, and every external URL is refused
(``allowed_base_urls=[]``), so a chart can only draw the data inlined in its spec.
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import vl_convert as vlc

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT = "DejaVu Sans"


@cache
def _fonts() -> None:
    vlc.register_font_directory(str(FONT_DIR))


CONFIG = {"font": FONT, "background": "white", "title": {"font": FONT},
          "axis": {"labelFont": FONT, "titleFont": FONT}, "legend": {"labelFont": FONT, "titleFont": FONT}}


def _spec(chart, width: int | None, height: int | None = None) -> dict:
    _fonts()
    spec = chart.to_dict(validate=False) if hasattr(chart, "to_dict") else dict(chart)
    if width is not None:  # the app draws a chart at the page's width; a file needs a fixed one
        spec["width"] = width  # of the plot area; axis labels and legends add to it
    if height is not None:
        spec["height"] = height
    return spec


def to_png(chart, width: int | None = None, scale: float = 2.0, height: int | None = None) -> bytes:
    """The chart as PNG bytes at ``scale`` (2 = print quality); ``width``, ``height`` in CSS pixels."""
    return vlc.vegalite_to_png(_spec(chart, width, height), scale=scale, config=CONFIG, allowed_base_urls=[])


def to_jpeg(chart, width: int | None = None, scale: float = 1.5, quality: int = 90, height: int | None = None) -> bytes:
    """The chart as JPEG bytes: a PDF embeds them as they are (a PNG is decoded and recompressed)."""
    return vlc.vegalite_to_jpeg(_spec(chart, width, height), scale=scale, quality=quality, config=CONFIG,
                                allowed_base_urls=[])
