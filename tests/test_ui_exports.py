"""The download buttons: drawn without building the files; the files are built by the callables on click."""
import datetime as dt
import io

import openpyxl
from streamlit.testing.v1 import AppTest

from sim.scenario import Change, NamedScenario, Scenario
from ui.exports import builders, file_stem


def _page(count: int = 1, lang: str = "vi", nameable: bool = False):
    import streamlit as st

    from sim.scenario import Change, NamedScenario, Scenario
    from ui.exports import export_buttons
    st.session_state.setdefault("lang", lang)
    items = [NamedScenario(f"S{i}", Scenario(2024, "Son La", (Change("5", 0.1 * i),))) for i in range(1, count + 1)]
    export_buttons(items, key_prefix="t.", nameable=nameable)


def test_the_workbook_is_deferred_and_the_brief_waits_for_its_button():
    at = AppTest.from_function(_page, default_timeout=60).run()
    buttons = at.get("download_button")
    assert not at.exception and len(buttons) == 1
    assert buttons[0].proto.deferred_file_id and not buttons[0].proto.url  # nothing built during the run
    assert buttons[0].proto.label == "Tải sổ tính Excel (.xlsx)"
    assert at.button(key="t.export.btn.pdf_make").label == "Tạo bản tóm tắt PDF"


def test_making_the_brief_builds_it_once_then_offers_its_download(monkeypatch):
    import formats.pdf
    calls = []
    monkeypatch.setattr(formats.pdf, "to_pdf", lambda *a, **k: calls.append(a) or b"%PDF-1.3 test")
    at = AppTest.from_function(_page, default_timeout=60).run()
    at.button(key="t.export.btn.pdf_make").click().run()
    assert not at.exception and len(calls) == 1
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải sổ tính Excel (.xlsx)", "Tải bản tóm tắt PDF"]
    at.run()  # a rerun (or a second click landing after the build) finds the bytes: no second build
    assert len(calls) == 1 and not [b for b in at.button if b.key == "t.export.btn.pdf_make"]


def test_the_brief_is_built_under_a_visible_spinner(monkeypatch):
    import contextlib

    import streamlit as st

    import formats.pdf
    events = []

    @contextlib.contextmanager
    def spinner(text, *a, **k):
        events.append(("spinner", text))
        yield
        events.append(("done", text))

    monkeypatch.setattr(st, "spinner", spinner)
    monkeypatch.setattr(formats.pdf, "to_pdf", lambda *a, **k: events.append(("build", "")) or b"%PDF")
    at = AppTest.from_function(_page, default_timeout=60).run()
    at.button(key="t.export.btn.pdf_make").click().run()
    assert not at.exception
    assert events == [("spinner", "Đang tạo bản tóm tắt…"), ("build", ""), ("done", "Đang tạo bản tóm tắt…")]


def test_a_refused_brief_is_one_line_in_the_users_language(monkeypatch):
    import formats.pdf
    from sim.errors import InputError

    def refuse(*a, **k):
        raise InputError("export.no_scenarios")
    monkeypatch.setattr(formats.pdf, "to_pdf", refuse)
    at = AppTest.from_function(_page, default_timeout=60).run()
    at.button(key="t.export.btn.pdf_make").click().run()
    from sim.i18n import t
    said = t("book.export_failed", "vi", problem=t("export.no_scenarios", "vi"))  # ui.exports.guarded's one line
    assert not at.exception and [w.value.replace('\\', '') for w in at.warning] == [said] and "không có kịch bản nào để xuất" in said
    assert at.button(key="t.export.btn.pdf_make")  # nothing held: the make button stays


def test_pdf_button_is_disabled_past_what_a_brief_holds():
    at = AppTest.from_function(_page, kwargs={"count": 5}, default_timeout=60).run()
    (xlsx,) = at.get("download_button")
    assert not at.exception and not xlsx.proto.disabled and at.button(key="t.export.btn.pdf_make").disabled


def test_the_on_screen_scenario_can_be_named_before_export(monkeypatch):
    import formats.pdf
    names = []
    monkeypatch.setattr(formats.pdf, "to_pdf", lambda ds, items, *a, **k: names.append(items[0].name) or b"%PDF")
    at = AppTest.from_function(_page, kwargs={"nameable": True}, default_timeout=60).run()
    at.text_input(key="t.export.name").input("  Phương án A:   thủ tục ").run()
    at.button(key="t.export.btn.pdf_make").click().run()
    assert not at.exception and names == ["Phương án A: thủ tục"]


def test_builders_make_the_files_when_called():
    items = [NamedScenario("Nhanh", Scenario(2024, "Son La", (Change("5", 0.4),)))]
    xlsx, _ = builders(items, None, "vi", dt.date(2026, 11, 26))
    assert openpyxl.load_workbook(io.BytesIO(xlsx())).sheetnames[1] == "Nhanh"
    assert file_stem(items, "vi") == "papi-kich-ban-son-la-2024" and file_stem(items, "en") == "papi-scenarios-son-la-2024"
