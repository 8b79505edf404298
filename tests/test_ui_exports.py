"""The download buttons: drawn without building the files; the files are built by the callables on click."""
import datetime as dt
import io

import openpyxl
from streamlit.testing.v1 import AppTest

from sim.scenario import Change, NamedScenario, Scenario
from ui.exports import builders, file_stem


def _page(count: int = 1, lang: str = "vi"):
    import streamlit as st

    from sim.scenario import Change, NamedScenario, Scenario
    from ui.exports import export_buttons
    st.session_state.setdefault("lang", lang)
    items = [NamedScenario(f"S{i}", Scenario(2024, "Son La", (Change("5", 0.1 * i),))) for i in range(1, count + 1)]
    export_buttons(items, key_prefix="t.")


def test_two_deferred_download_buttons():
    at = AppTest.from_function(_page, default_timeout=60).run()
    buttons = at.get("download_button")
    assert not at.exception and len(buttons) == 2
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)  # nothing built during the run
    assert [b.proto.label for b in buttons] == ["Tải sổ tính Excel (.xlsx)", "Tải bản tóm tắt PDF"]


def test_pdf_button_is_disabled_past_what_a_brief_holds():
    at = AppTest.from_function(_page, kwargs={"count": 5}, default_timeout=60).run()
    xlsx, pdf = at.get("download_button")
    assert not at.exception and not xlsx.proto.disabled and pdf.proto.disabled


def test_builders_make_the_files_when_called():
    items = [NamedScenario("Nhanh", Scenario(2024, "Son La", (Change("5", 0.4),)))]
    xlsx, _ = builders(items, None, "vi", dt.date(2026, 11, 26))
    assert openpyxl.load_workbook(io.BytesIO(xlsx())).sheetnames[1] == "Nhanh"
    assert file_stem(items, "vi") == "papi-kich-ban-son-la-2024" and file_stem(items, "en") == "papi-scenarios-son-la-2024"
