"""Text is text on screen: no link the app did not write, no Markdown from a URL, a user or a data file.

Streamlit renders GFM, which turns bare ``https://…``, ``www.…`` and e-mail addresses into links even when
every special character is escaped; and widget labels (a slider's) take Markdown too. Each test collects
every text body the page rendered as Markdown and checks it for an autolink or live markup.
"""
from __future__ import annotations

import re
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sim.data import DATA_DIR
from sim.load import load_dataset
from tests.conftest import ROOT
from tests.test_app import open_app
from workshop.store import Store

APP = str(ROOT / "app.py")
# what GFM's autolink-literal extension links without markup, once escapes are removed
AUTOLINK = re.compile(r"(?:https?://|www\.|[\w.+-]@)", re.IGNORECASE)
LIVE_MARKUP = re.compile(r"!\[|\]\(|<img|<a\b|\*\*b\*\*")  # the app writes its own **bold**; not these
EVIL = "https://127.0.0.1:9/dang-nhap"


def shown(text: str) -> str:
    """The characters Markdown shows: escapes removed. GFM looks for autolinks in this text, so an escaped
    ``https\\://`` is still a link; only a character that cannot be part of one (a word joiner) breaks it."""
    return re.sub(r"\\(.)", r"\1", text)


def live(text: str) -> str:
    """The text with every escaped character blanked: what is left can still start markup."""
    return re.sub(r"\\(.)", "\u0000", text)


def rendered(at: AppTest) -> list[str]:
    """Every body and label of the run that Streamlit renders as Markdown."""
    texts = []
    for kind in ("markdown", "caption", "warning", "error", "info", "success"):
        texts += [e.value for e in at.get(kind)]
    for kind in ("select_slider", "slider", "text_input", "selectbox", "button", "multiselect"):
        for w in at.get(kind):
            texts += [w.proto.label, getattr(w.proto, "help", "") or ""]
    for table in at.get("table"):
        df = table.value
        texts += [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel()] + [str(i) for i in df.index]
    return texts


def assert_inert(at: AppTest) -> None:
    assert not at.exception
    for text in rendered(at):
        assert not AUTOLINK.search(shown(text)), text
        assert not LIVE_MARKUP.search(live(text)), text


@pytest.mark.parametrize("query", [{"province": EVIL}, {"province": "www.example.com/login", "lang": "en"},
                                   {"province": "admin@example.com"}, {"lang": "https://e.example/x"},
                                   {"year": "http://e.example"}, {"s": "https://e.example/"}],
                         ids=["province-url", "province-www", "province-email", "lang-url", "year-url", "link-url"])
def test_a_url_in_a_parameter_is_not_a_link_in_the_notice(query):
    at = open_app(**query)
    assert at.warning, "a notice was expected"
    assert_inert(at)


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "workshops.sqlite3"
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(path))
    return Store(path)


def test_a_url_saved_as_a_scenario_name_is_not_a_link_in_the_comparison(db):
    from sim.scenario import Change, NamedScenario, Scenario
    code = db.create_workshop()
    for name in (EVIL, "www.evil.example", "boss@evil.example"):
        db.save(code, NamedScenario(name, Scenario(2023, "Son La", (Change("5", 0.4),))))
    at = open_app(w=code, year="2023")
    at.switch_page(str(ROOT / "views" / "workshop.py")).run()
    at.multiselect(key="ws.compare").set_value([1, 2, 3]).run()
    assert at.table, "the comparison table was expected"
    assert_inert(at)


MARKDOWN_NAME = "![x](http://img.example/x.png) **b** www.e.example"


@pytest.fixture
def markdown_data(tmp_path, monkeypatch):
    """A data folder whose dimension 5 and Son La names hold Markdown, served as the bundled data."""
    import ui.cache
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder, ignore=shutil.ignore_patterns("*.md"))
    for name, old in (("structure.csv", "Public Administrative Procedures"), ("structure.csv", "Thủ tục hành chính công"),
                      ("provinces.csv", "Sơn La")):
        p = folder / name
        text = p.read_text(encoding="utf-8")
        assert old in text
        p.write_text(text.replace(old, MARKDOWN_NAME + " " + old), encoding="utf-8")
    monkeypatch.setattr(ui.cache, "load_dataset", lambda: load_dataset(folder))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield folder
    st.cache_resource.clear()  # no other test may see these names
    st.cache_data.clear()


@pytest.mark.parametrize("page", [None, "data.py"], ids=["whatif", "data"])
def test_markdown_in_data_names_stays_text_in_labels_and_captions(markdown_data, page):
    at = open_app(year="2023")
    if page:
        at.switch_page(str(ROOT / "views" / page)).run()
    texts = rendered(at)
    if not page:  # the what-if page's labels are in the lever panel, which writes them with textContent only
        from tests.panel_support import panel_data
        texts = texts + [lv["label"] for lv in panel_data(at)["levers"]]  # verbatim (tests/test_lever_panel.py)
    assert any("img.example" in t for t in texts), "the data names were expected on the page"
    assert_inert(at)
