"""The Data page: a new edition is added to the session whole or not at all, and the national table
highlights the chosen province with all dimensions as short columns."""
import re

import pytest
from streamlit.testing.v1 import AppTest

from sim.compare import baseline_frame
from sim.editions import add_year
from sim.i18n import fmt_num, t
from formats.edition import read_edition
from tests.conftest import ROOT
from tests.edition_files import dims_only_csv, shifted_csv
from tests.panel_support import metrics
from tests.test_app import open_app


def data_page(**query) -> AppTest:
    at = open_app(**query)
    at.switch_page(str(ROOT / "views" / "data.py")).run()
    assert not at.exception
    return at


def upload(at, name, data, year=None) -> AppTest:
    at.file_uploader(key="edition.file").set_value((name, data, "text/csv")).run()
    if year is not None:
        at.number_input(key="edition.year").set_value(year).run()
    at.button(key="btn.edition.add").click().run()
    assert not at.exception
    return at


def test_a_valid_edition_becomes_a_year_of_this_session(ds):
    at = upload(data_page(), "papi_2025.csv", shifted_csv(ds))
    assert at.selectbox(key="year").options[0] == "2025"
    assert "2025" in at.success[0].value and not at.error
    at.selectbox(key="year").set_value(2025).run()
    assert not at.exception
    new = add_year(ds, 2025, read_edition(shifted_csv(ds), "p.csv", ds).rows)
    son_la = baseline_frame(new, 2025).set_index("province").loc["Son La"]
    table = at.dataframe[0].value
    assert table.loc[table["province"].str.startswith("Sơn La"), "total"].iloc[0] == son_la["total"]


def test_the_added_year_reaches_the_what_if_page(ds):
    at = upload(data_page(), "papi_2025.csv", shifted_csv(ds))
    at.selectbox(key="year").set_value(2025).run()
    at.switch_page(str(ROOT / "views" / "whatif.py")).run()
    assert not at.exception
    new = add_year(ds, 2025, read_edition(shifted_csv(ds), "p.csv", ds).rows)
    son_la = baseline_frame(new, 2025).set_index("province").loc["Son La"]
    assert metrics(at)[0] == fmt_num(son_la["total"], "vi")


def _bad(ds) -> bytes:
    text = shifted_csv(ds).decode().replace("Son La,", "[Son La](http://x),")
    return text.replace("Ha Noi,", "Ha Noi,99,", 1).encode()


@pytest.mark.parametrize("lang,word", [("vi", "không nhận ra tỉnh"), ("en", "unknown province")])
def test_a_bad_file_lists_every_problem_and_changes_nothing(ds, lang, word):
    at = data_page(lang=lang)
    years = list(at.selectbox(key="year").options)
    at = upload(at, "bad.csv", _bad(ds))
    assert len(at.dataframe) == 2                                     # the national table, then the problems
    problems = at.dataframe[-1].value
    assert len(problems) == 2 and word in " ".join(problems.iloc[:, 2])
    assert "[Son La](http://x)" in " ".join(problems.iloc[:, 2])      # shown as plain text in a table cell
    assert list(at.selectbox(key="year").options) == years and "added_editions" not in at.session_state
    assert at.error and not at.success


def test_a_bundled_year_is_refused_and_nothing_changes(ds):
    at = data_page()
    years = list(at.selectbox(key="year").options)
    text = shifted_csv(ds).decode().replace(",2025\n", ",2024\n")
    at = upload(at, "again.csv", text.encode())
    assert at.error and "2024" in at.error[0].value
    assert list(at.selectbox(key="year").options) == years and "added_editions" not in at.session_state


def test_a_file_without_year_column_takes_the_year_field(ds):
    lines = shifted_csv(ds).decode().splitlines()
    text = "\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n"
    at = upload(data_page(), "no_year.csv", text.encode(), year=2026)
    assert at.selectbox(key="year").options[0] == "2026"


def test_the_chosen_province_is_highlighted_and_dimensions_fit(ds):
    at = data_page(province="son-la", year="2024")
    el = at.dataframe[0]
    rows = el.value
    i = int(rows.index[rows["province"].str.startswith("Sơn La")][0])
    styles = el.proto.arrow_data.styler.styles
    highlighted = set(map(int, re.findall(r"_row(\d+)_col0\b", styles)))
    assert highlighted == {i}
    columns = el.proto.columns
    for c in range(1, 9):
        assert f'"D{c}": {{"label": "D{c}"' in columns
    assert ds.indicator("5", 2024).name_vi in columns.encode().decode("unicode_escape")
    assert any("Sơn La" in c.value and "25" in c.value for c in at.caption)


def test_reloading_an_added_year_replaces_it(ds):
    at = upload(data_page(), "papi_2025.csv", shifted_csv(ds))
    at = upload(at, "papi_2025_fixed.csv", shifted_csv(ds, shift=0.2))
    assert at.selectbox(key="year").options.count("2025") == 1 and not at.error
    assert [a.source for a in at.session_state["added_editions"]] == ["papi_2025_fixed.csv"]


def test_an_official_workbook_upload_adds_its_year(ds):
    from tests.test_edition_workbook import layout, to_xlsx
    at = data_page()
    at.file_uploader(key="edition.file").set_value(
        ("2025PAPI.xlsx", to_xlsx(layout(ds), sheet="2025_VIE_ENG"),
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    at.button(key="btn.edition.add").click().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="year").options[0] == "2025"


def test_an_added_edition_with_dimensions_only_continues_the_history(ds):
    """Defect 7: after adding 2025, History shows no break in 2025 and its peers panel takes its default span."""
    at = upload(data_page(), "papi_2025.csv", dims_only_csv(ds))
    at.selectbox(key="year").set_value(2025).run()
    at.switch_page(str(ROOT / "views" / "history.py")).run()
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]        # no "span crosses a break" refusal
    uploaded = t("sidebar.about_uploaded", "vi", year=2025)      # the sidebar's own note on the user's year
    assert not [c.value for c in at.caption if "2025:" in c.value and c.value != uploaded]  # no "2025: đổi thang đo"
    assert at.selectbox(key="hist.to").value == 2025
    assert len(at.dataframe) >= 2                               # the history table and the peers table


def test_typed_totals_of_an_added_edition_are_called_uploaded_not_official(ds):
    """Defect 27: the totals a user typed are "do người dùng tải lên" in the upload summary, the Data page and
    the History table; the bundled years stay "chính thức"."""
    at = upload(data_page(), "papi_2025.csv", dims_only_csv(ds))
    assert "61 tổng điểm do người dùng tải lên" in " ".join(c.value for c in at.caption)
    assert not [c.value for c in at.caption if "tổng điểm chính thức" in c.value]
    at.selectbox(key="year").set_value(2025).run()
    from sim.i18n import t
    assert t("data.totals_uploaded", "vi") in [c.value for c in at.caption]
    at.switch_page(str(ROOT / "views" / "history.py")).run()
    kinds = dict(zip(at.dataframe[0].value.iloc[:, 0], at.dataframe[0].value.iloc[:, 2]))
    assert kinds["2025"] == "do người dùng tải lên" and kinds["2024"] == "chính thức"


def test_the_what_if_page_never_calls_an_uploaded_total_official(ds):
    """Committee review: with a 2025 file a user uploaded, the what-if page's standing line said "tổng điểm
    chính thức" and the sidebar "báo cáo PAPI đã công bố"; both now name the file as the user's."""
    from sim.i18n import t
    at = upload(data_page(), "papi_2025.csv", shifted_csv(ds))
    at.selectbox(key="year").set_value(2025).run()
    at.switch_page(str(ROOT / "views" / "whatif.py")).run()
    assert not at.exception
    texts = [e.value for kind in ("caption", "markdown") for e in at.get(kind)]
    assert any(t("head.uploaded", "vi") in x for x in texts)
    assert t("sidebar.about_uploaded", "vi", year=2025) in texts
    assert not [x for x in texts if t("head.official", "vi") in x or x == t("sidebar.about", "vi")]
    at.selectbox(key="year").set_value(2024).run()  # a published year is the report again
    texts = [e.value for e in at.caption]
    assert t("sidebar.about", "vi") in texts and any(t("head.official", "vi") in x for x in texts)
