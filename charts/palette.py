"""One colour per compared scenario, shared by every chart that sets scenarios side by side.

The PDF brief (headline squares, its change chart) and the app's comparison chart (charts/compare.py)
take their colours from here, so "Phương án A" is the same colour on screen and on paper. Pure data.
"""
from __future__ import annotations

from .specs import GREY, US

BASELINE = GREY
# scenario A, B, C, ... in order; the first four stay apart for common colour-vision deficiencies
SCENARIOS = (US, "#2b4a6f", "#1b7837", "#e08214", "#6a51a3", "#35978f", "#8c510a", "#c51b7d")


def scenario_colour(i: int) -> str:
    """The colour of the ``i``-th compared scenario (0 = the first), repeating past the palette."""
    return SCENARIOS[i % len(SCENARIOS)]


def scenario_colours(n: int) -> list[str]:
    """The colours of ``n`` scenarios, in order."""
    return [scenario_colour(i) for i in range(n)]
