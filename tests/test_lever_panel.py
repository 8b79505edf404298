"""The lever panel's Python half and its static files: safe by construction (no innerHTML, nothing fetched), and a
message from the browser is user input (whole units on the lever's scale, for this place and revision, or it
changes nothing)."""
from __future__ import annotations

import re

import pytest

from sim.ranking import UNIT
from tests.conftest import ROOT
from tests.panel_support import lever, metrics, panel_data, send
from tests.test_app import open_app
from ui.sliders import INBOX

FILES = ROOT / "ui" / "lever_panel"


def test_the_panel_code_is_static_and_writes_text_only():
    js = (FILES / "panel.js").read_text(encoding="utf-8")
    html = (FILES / "panel.html").read_text(encoding="utf-8")
    css = (FILES / "panel.css").read_text(encoding="utf-8")
    for bad in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert bad not in js
    for bad in ("fetch(", "XMLHttpRequest", "WebSocket", "import(", "http://", "https://", "sendBeacon"):
        assert bad not in js + html + css
    assert "<script" not in html and "url(" not in css
    assert 'data-testid="headline-total"' in html and 'data-testid="headline-rank"' in html


def test_every_key_and_the_slider_roles_are_in_the_code():
    js = (FILES / "panel.js").read_text(encoding="utf-8")
    for key in ("ArrowRight", "ArrowLeft", "PageUp", "PageDown", "Home", "End"):
        assert key in js
    for attr in ('role: "slider"', '"aria-valuemin"', '"aria-valuemax"', '"aria-valuenow"', '"aria-valuetext"',
                 "pointerdown", "setPointerCapture"):
        assert attr in js


def test_the_panel_gets_the_lookup_and_pythons_strings(ds):
    at = open_app()
    d = panel_data(at)
    assert d["place"] == "63|2024|Son La" and d["texts"]["decimal"] == ","
    assert all(type(v) is int for v in d["values"].values()) and d["others"] == sorted(d["others"], reverse=True)
    assert len(d["others"]) + 1 == int(d["shown"]["rank"].split("/")[1])
    assert len(str(d)) < 60_000  # sent on every rerun


@pytest.mark.parametrize("value", [10 * UNIT + 1, 0, 5.5, True, "50000", None])
def test_a_value_off_the_scale_or_not_whole_units_changes_nothing(value):
    at = open_app()
    before = (metrics(at), lever(at, "5").value)
    send(at, {"5": value}).run()
    assert not at.exception and (metrics(at), lever(at, "5").value) == before


def test_a_message_for_another_place_or_an_older_revision_is_dropped():
    at = open_app()
    d = panel_data(at)
    at.session_state[INBOX] = {"seq": 1, "rev": d["rev"], "place": "63|2023|Son La",
                               "values": {**d["values"], "5": 90_000}, "typed": None}
    at.run()
    assert lever(at, "5").value != 9.0
    at.button(key="btn.preset.median").click().run()  # a preset: a new revision
    at.session_state[INBOX] = {"seq": 2, "rev": d["rev"], "place": d["place"], "values": {**d["values"], "5": 90_000},
                               "typed": None}
    at.run()
    assert lever(at, "5").value != 9.0 and panel_data(at)["ack"] == 2  # acknowledged, not applied


def test_a_move_is_acknowledged_and_the_url_follows_in_the_same_run():
    at = open_app()
    lever(at, "5").set_value(8.5).run()
    assert panel_data(at)["ack"] == 1 and "5t8.5" in str(at.query_params["s"])


def test_a_sub_dimension_lever_moves_only_when_its_dimension_is_open():
    at = open_app(province="ha-noi", year="2024")
    before = metrics(at)
    sub = next(lv for lv in panel_data(at)["levers"] if lv["code"] == "5.3")
    send(at, {"5.3": sub["high"]}).run()
    assert metrics(at) == before
    at.pills(key="sublevels").set_value(["5"]).run()
    send(at, {"5.3": sub["high"]}).run()
    assert metrics(at) != before and re.fullmatch(r"\d+/\d+", metrics(at)[1])


def test_a_move_made_just_before_a_language_switch_still_counts():
    at = open_app()
    lever(at, "5").set_value(8.5)  # the panel's message, still on its way when the language changes
    at.radio(key="lang").set_value("en").run()
    assert lever(at, "5").value == 8.5 and "." in metrics(at)[0]
