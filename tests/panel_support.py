"""The lever panel as the AppTest tests see it: its data (what Python handed the browser), and moves sent the way
the panel's JavaScript sends them (a message the callback would record, taken by the next run). AppTest runs no
JavaScript, so the browser's half is tested in tests/test_browser_panel.py."""
from __future__ import annotations

import json

from sim.ranking import UNIT
from ui.lever_panel import KEY
from ui.sliders import INBOX


def panel_data(at) -> dict:
    found = [e for e in at.get("bidi_component") if e.proto.component_name == "papi_lever_panel"]
    assert len(found) == 1, "the what-if page draws one lever panel"
    return json.loads(found[0].proto.json)


def metrics(at) -> list[str]:
    """Python's headline on the panel: total, rank, group (what the metrics used to show)."""
    shown = panel_data(at)["shown"]
    return [shown["total"], shown["rank"], shown["group"]]


def send(at, values: dict[str, int] | None = None, typed: dict | None = None):
    """One panel message, as panel.js builds it, recorded for the next run (as the component's callback does)."""
    d = panel_data(at)
    at.session_state[INBOX] = {"seq": d["ack"] + 1, "rev": d["rev"], "place": d["place"],
                               "values": {**d["values"], **(values or {})}, "typed": typed}
    return at


class Lever:
    """What ``at.select_slider(key="dim.5")`` was to the old sliders: the value, and a move."""

    def __init__(self, at, code: str) -> None:
        self.at, self.code = at, code

    @property
    def value(self) -> float:
        return round(panel_data(self.at)["values"][self.code] / UNIT, 4)

    @property
    def active(self) -> bool:
        d = panel_data(self.at)
        lv = next(x for x in d["levers"] if x["code"] == self.code)
        return (lv["parent"] in d["opened"]) == (lv["parent"] != lv["code"])

    def set_value(self, value: float):
        return send(self.at, {self.code: round(value * UNIT)})


class Exact:
    """A lever's exact-value field: the typed text goes back with the panel's values."""

    def __init__(self, at, code: str) -> None:
        self.at, self.code = at, code

    def set_value(self, text: str):
        return send(self.at, typed={"code": self.code, "text": text})


def lever(at, code: str) -> Lever:
    return Lever(at, code)


def exact(at, code: str) -> Exact:
    return Exact(at, code)


def notes(at) -> list[str]:
    """The lines under the levers and a refused value's message (the old sliders' captions)."""
    d = panel_data(at)
    return list(d["notes"].values()) + ([d["error"][1]] if d["error"] else [])


assert KEY == "panel"


def labels(at) -> list[str]:
    """The headline's three labels (total, rank, group)."""
    t = panel_data(at)["texts"]
    return [t["total"], t["rank"], t["group"]]


def arrow_value(base: float, presses: int) -> float:
    """Where ArrowRight ``presses`` times takes a lever from ``base``: the next 0,01 above, then 0,01 a press."""
    first = (round(base * UNIT) // 100 + 1) * 100
    return (first + (presses - 1) * 100) / UNIT
