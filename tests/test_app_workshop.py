"""AppTest tests of links (?s=, ?w=), hostile URL values and the workshop page; the store is a real
SQLite file in tmp_path (PAPI_WORKSHOP_DB)."""
import json
import re
import sqlite3

import pytest
from streamlit.testing.v1 import AppTest

from formats.pack import write_pack
from sim.i18n import fmt_num
from sim.scenario import Change, NamedScenario, Scenario, apply, baseline
from tests.conftest import ROOT
from tests.panel_support import lever, metrics as panel_metrics
from tests.test_app import open_app
from workshop.store import Store

APP = str(ROOT / "app.py")
WORKSHOP = str(ROOT / "views" / "workshop.py")
WJ = "\u2060"  # plain() breaks every autolink with a word joiner: "http:\u2060//"


@pytest.fixture(autouse=True)
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "workshops.sqlite3"
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(path))
    return path


def headline(at) -> list[str]:
    return panel_metrics(at)[:2]


def expected(o) -> list[str]:
    return [fmt_num(o.result.total, "vi"), f"{o.result.rank}/{o.result.of}"]


# ---- links that reopen a scenario -------------------------------------------------------------------

def test_a_link_opens_the_scenario_with_the_headline_sim_computes(ds):
    at = open_app(year="2023", s="v1~5d0.4~8t4.5")
    o = apply(ds, Scenario(2023, "Son La", (Change("5", 0.4), Change("8", 4.5, "target"))))
    assert headline(at) == expected(o) and not at.warning
    assert lever(at, "8").value == 4.5


def test_a_link_with_a_sub_dimension_turns_on_its_sub_dimension_sliders(ds):
    at = open_app(year="2023", s="v1~6.1t2.2")
    assert at.pills(key="sublevels").value == ["6"] and lever(at, "6.1").value == 2.2
    assert headline(at) == expected(apply(ds, Scenario(2023, "Son La", (Change("6.1", 2.2, "target"),))))


def test_the_url_follows_the_sliders_and_reopens_the_same_headline(ds):
    at = open_app(year="2023")
    assert "s" not in at.query_params
    lever(at, "5").set_value(8.0).run()
    lever(at, "3").set_value(5.0).run()
    assert at.query_params["s"] == "v1~3t5~5t8"
    again = open_app(year="2023", s="v1~3t5~5t8")
    assert headline(again) == headline(at)
    at.button(key="btn.reset").click().run()
    assert "s" not in at.query_params


def test_a_bad_link_keeps_the_other_parameters(ds):
    at = open_app(s="v2~5d1", year="2022", province="ha-noi", lang="en")
    assert len(at.warning) == 1 and "v2" in at.warning[0].value and "not supported" in at.warning[0].value
    assert headline(at) == [fmt_num(baseline(ds, 2022, "Ha Noi").total, "en"), f"{baseline(ds, 2022, 'Ha Noi').rank}/61"]


def test_a_link_naming_a_sub_dimension_the_data_lacks_gives_a_notice(ds):
    at = open_app(year="2023", province="Ha Noi", s="v1~6.9t1")
    assert any("6\\.9" in w.value for w in at.warning)
    assert headline(at) == expected(apply(ds, Scenario(2023, "Ha Noi")))


# ---- hostile URL values: a notice in plain text, the default, no exception ---------------------------

HOSTILE = [
    # (id, query, text the notice must contain, already escaped as Markdown source)
    ("markdown link", {"province": "[x](http://e.x)"}, r"\[x\]\(http\:" + WJ + r"//e\.x\)"),
    ("image", {"province": "![i](http://e.x/a.png)"}, r"\!\[i\]\(http\:" + WJ + r"//e\.x/a\.png\)"),
    ("katex", {"province": "$x$"}, r"\$x\$"),
    ("newline heading", {"province": "a\n# h"}, r"a \# h"),
    ("html", {"province": "<img src=x onerror=alert(1)>"}, r"\<img src=x onerror=alert\(1\)\>"),
    ("bold in lang", {"lang": "**fr**"}, r"\*\*fr\*\*"),
    ("superscript year", {"year": "²"}, "²"),
    ("5,000-digit year", {"year": "9" * 5000}, "4940"),
    ("negative year", {"year": "-2023"}, r"\-2023"),
    ("markdown link in s", {"s": "[x](http://e.x)"}, r"\[x\]\(http\:" + WJ + r"//e\.x\)"),
    ("huge s", {"s": "v1~" + "5" * 5000}, "5003"),
    ("malformed w", {"w": "[x](http://e.x)"}, "22"),
    ("unknown w", {"w": "A" * 22}, ""),
    ("sql in w", {"w": "x' OR '1'='1"}, "22"),
    ("sql in province", {"province": "x'); DROP TABLE workshops;--"}, r"DROP TABLE workshops;\-\-"),
]


@pytest.mark.parametrize("case,query,shown", HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_url_value_is_shown_as_text_and_falls_back(ds, case, query, shown):
    at = open_app(**query)
    assert len(at.warning) == 1 and shown in at.warning[0].value
    assert not_markup(at.warning[0].value)
    assert at.session_state["province"] == "Son La" and at.session_state["year"] == ds.years[-1]
    assert at.session_state["lang"] == "vi"
    if "w" in query:
        assert not at.session_state["workshop"]


def not_markup(value: str) -> bool:
    """One line, and once every backslash-escaped character is dropped no Markdown, HTML or KaTeX opener is left."""
    bare = re.sub(r"\\.", "", value)
    return "\n" not in value and not re.search(r"[\[\]$#<>*`!]|\]\(", bare)


def test_the_markup_check_catches_raw_markup():
    assert not not_markup("Province '[x](http://e.x)' not found")
    assert not not_markup("a\n# h") and not not_markup("$x$") and not_markup(r"'\[x\]' \$x\$")


def test_unknown_parameters_are_ignored_and_kept(ds):
    at = open_app(foo="[x](http://e.x)", year="2023")
    assert not at.warning and at.query_params["foo"] == "[x](http://e.x)"


# ---- the workshop page -------------------------------------------------------------------------------

def workshop(at) -> AppTest:
    at.switch_page(WORKSHOP).run()
    assert not at.exception
    return at


def save(at, name, note="") -> AppTest:
    at.text_input(key="ws.name").input(name)
    at.text_area(key="ws.note").input(note)
    at.button(key="ws.btn.save").click().run()
    assert not at.exception
    return at


def table_with(at, index_name: str):
    """The static table whose first column (its index) is headed ``index_name``, or None."""
    return next((t.value for t in at.table if t.value.index.name == index_name), None)


def listed(at) -> list[str]:
    """The saved scenarios' names, as the list shows them (cells are Markdown-escaped)."""
    table = table_with(at, "Tên")
    return [name.replace("\\", "") for name in table.index] if table is not None else []


def test_opening_the_page_creates_no_workshop_until_the_first_save(db_path):
    at = workshop(open_app())
    assert any("Chưa có xưởng" in i.value for i in at.info) and not at.session_state["workshop"]
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT COUNT(*) FROM workshops").fetchone()[0] == 0


def test_saving_keeps_the_sliders_scenario_under_a_name_and_a_new_session_sees_it(ds, db_path):
    at = open_app(year="2023")
    lever(at, "5").set_value(8.0).run()
    save(workshop(at), "Cải cách nhanh", "Sở Nội vụ")
    code = at.session_state["workshop"]
    assert listed(at) == ["Cải cách nhanh"] and any("Cải cách nhanh" in s.value for s in at.success)
    assert f"?w={code}" in at.code[0].value
    (saved,) = Store(db_path).list(code)
    assert saved.changes == (Change("5", 8.0, "target"),) and saved.note == "Sở Nội vụ"
    other = workshop(open_app(w=code, year="2023"))  # a second laptop, or after a server restart
    assert listed(other) == ["Cải cách nhanh"] and other.session_state["workshop"] == code


def test_an_empty_name_is_refused_with_a_notice_and_nothing_saved():
    at = save(workshop(open_app()), "   ")
    assert len(at.warning) == 1 and "80" in at.warning[0].value and listed(at) == []


def test_a_name_with_markdown_is_shown_as_text():
    at = save(workshop(open_app()), "[x](http://e.x) # h")
    assert any(r"\[x\]\(http\:" + WJ + r"//e\.x\) \# h" in s.value for s in at.success)


def test_load_into_the_sliders_switches_year_and_shows_the_saved_headline(ds, db_path):
    at = open_app(year="2023")
    at.pills(key="sublevels").set_value(["6"]).run()
    lever(at, "6.1").set_value(2.2).run()
    lever(at, "8").set_value(4.5).run()
    save(workshop(at), "Plan")
    code = at.session_state["workshop"]
    fresh = workshop(open_app(w=code))  # opens on the latest year
    fresh.button(key="ws.btn.load").click().run()
    assert not fresh.exception and fresh.session_state["year"] == 2023
    o = apply(ds, Scenario(2023, "Son La", (Change("6.1", 2.2, "target"), Change("8", 4.5, "target"))))
    assert headline(fresh) == expected(o) and fresh.pills(key="sublevels").value == ["6"]


def test_rename_duplicate_and_delete(db_path):
    at = save(workshop(open_app()), "A")
    at.text_input(key="ws.rename_to").input("B")
    at.button(key="ws.btn.rename").click().run()
    assert listed(at) == ["B"]
    at.button(key="ws.btn.duplicate").click().run()
    assert listed(at) == ["B", "B (2)"]
    at.button(key="ws.btn.delete").click().run()
    assert listed(at) == ["B (2)"]
    code = at.session_state["workshop"]
    assert [h.name for h in Store(db_path).history(code, 1)] == ["A", "B"]


def test_two_people_overwriting_one_scenario_keep_both_versions(db_path):
    alice = save(workshop(open_app()), "Plan")
    code = alice.session_state["workshop"]
    bob = workshop(open_app(w=code))  # both now see version 1
    alice.button(key="ws.btn.update").click().run()
    bob.button(key="ws.btn.update").click().run()
    assert not bob.exception and len(bob.warning) == 1
    notice = bob.warning[0].value
    assert "phiên bản 1" in notice and "phiên bản 2" in notice and "'Plan'" in notice and "Plan \\(2\\)" in notice
    names = sorted(s.name for s in Store(db_path).list(code))
    assert names == ["Plan", "Plan (2)"]
    assert Store(db_path).list(code)[0].version == 2


def test_a_pack_uploads_all_its_scenarios(ds, db_path):
    pack = write_pack([NamedScenario("Fast", Scenario(2023, "Son La", (Change("5", 0.4),)), "Sở Nội vụ"),
                       NamedScenario("Health", Scenario(2023, "Son La", (Change("6.1", 2.2, "target"),)))])
    at = workshop(open_app(year="2023"))
    at.file_uploader(key="ws.upload").set_value(("pack.json", pack, "application/json")).run()
    assert not at.exception and listed(at) == ["Fast", "Health"]
    assert any("2" in s.value and "pack\\.json" in s.value for s in at.success)


@pytest.mark.parametrize("data,problem", [
    (b"{nope", "JSON"),
    (json.dumps({"format": "papi-whatif-pack", "version": 9, "scenarios": []}).encode(), "9"),
    (json.dumps({"format": "papi-whatif-pack", "version": 1, "scenarios": [
        {"name": "A", "year": 2023, "province": "Son La", "changes": []},
        {"name": "B", "year": "2023", "province": "Son La", "changes": []}]}).encode(), "kịch bản 2, trường 'year'"),
])
def test_a_bad_pack_gives_one_line_and_keeps_the_list(data, problem):
    at = save(workshop(open_app()), "Kept")
    at.file_uploader(key="ws.upload").set_value(("bad.json", data, "application/json")).run()
    assert not at.exception and listed(at) == ["Kept"]
    (w,) = at.warning
    assert "\n" not in w.value and problem in w.value.replace("\\", "")


def test_comparing_two_saved_scenarios_with_the_baseline(ds):
    at = open_app(year="2023")
    lever(at, "5").set_value(8.0).run()
    save(workshop(at), "Five")
    at.switch_page(str(ROOT / "views" / "whatif.py")).run()
    lever(at, "5").set_value(ds.table(2023).dims[ds.table(2023).index("Son La"), 4]).run()
    lever(at, "8").set_value(4.5).run()
    save(workshop(at), "Eight")
    at.multiselect(key="ws.compare").set_value([1, 2]).run()
    assert not at.exception
    table = table_with(at, "Chỉ tiêu")  # a static table: long names wrap at 1366 px (cells Markdown-escaped)
    assert list(table.columns) == ["Hiện trạng", "Five", "Eight"]
    five = apply(ds, Scenario(2023, "Son La", (Change("5", 8.0, "target"),))).result
    eight = apply(ds, Scenario(2023, "Son La", (Change("8", 4.5, "target"),))).result
    total = table.iloc[0]
    assert total.iloc[1].startswith(fmt_num(five.total, "vi", 4)) and total.iloc[2].startswith(fmt_num(eight.total, "vi", 4))
    best = 1 if five.total > eight.total else 2
    assert total.iloc[best].endswith("★") and not total.iloc[0].endswith("★")
    assert "ws.export.btn.xlsx" in {b.key for b in at.get("download_button")} and at.button(key="ws.export.btn.pdf_make")
    assert len(at.get("vega_lite_chart")) == 1


def bare(text: str) -> str:
    """A Markdown-escaped table cell as the reader sees it."""
    return text.replace("\\", "")


def chart_spec(at) -> dict:
    """The page's one chart as drawn: its spec, with the datasets Streamlit sends apart put back."""
    import pyarrow as pa
    (chart,) = at.get("vega_lite_chart")
    spec = json.loads(chart.proto.spec)
    spec["datasets"] = {d.name: pa.ipc.open_stream(d.data.data).read_pandas().to_dict("records")
                        for d in chart.proto.datasets}
    return spec


def test_the_saved_list_shows_every_column_with_the_changes_in_full(ds):
    at = open_app(year="2023")
    lever(at, "5").set_value(8.0).run()
    lever(at, "3").set_value(5.0).run()
    save(workshop(at), "Phương án A: Kế hoạch +0,5 (5, 3, 8)", "Sở Nội vụ chủ trì")
    assert not at.dataframe  # a scrolling grid cut "Thay đổi" and hid two columns at 1366 px
    table = table_with(at, "Tên").map(bare).rename(columns=bare)
    assert list(table.columns) == ["Ghi chú", "Thay đổi", "Tỉnh, năm", "Phiên bản, cập nhật (UTC)"]
    row = table.iloc[0]
    assert row["Thay đổi"] == "3 → 5,00 · 5 → 8,00" and row["Tỉnh, năm"].startswith("Sơn La")
    assert row["Phiên bản, cập nhật (UTC)"].startswith("bản 1, 20") and "T" not in row["Phiên bản, cập nhật (UTC)"]


def test_the_saved_list_shows_a_fine_plan_exactly(db_path):
    db = Store(db_path)
    code = db.create_workshop()
    db.save(code, NamedScenario("B", Scenario(2023, "Son La", (Change("3", 0.0983), Change("5", 0.3)))))
    at = workshop(open_app(year="2023", w=code))
    assert bare(table_with(at, "Tên").iloc[0, 1]) == "3: +0,0983 · 5: +0,30"


def test_the_compare_rule_is_one_to_four_in_the_label_and_the_hint_and_one_scenario_compares(ds):
    at = open_app(year="2023")
    lever(at, "5").set_value(8.0).run()
    save(workshop(at), "Five")
    box = at.multiselect(key="ws.compare")
    assert box.label.startswith("Chọn 1–4 kịch bản") and box.max_selections == 4
    assert any("từ 1 đến 4" in c.value for c in at.caption)
    box.set_value([1]).run()
    assert not at.exception and list(table_with(at, "Chỉ tiêu").columns) == ["Hiện trạng", "Five"]


def test_the_comparison_chart_draws_each_scenarios_change_with_full_names(ds, db_path):
    names = ["Phương án A: Kế hoạch +0,5 (5, 3, 8)", "Phương án B: ít nhất để vào nhóm cao nhất"]
    db = Store(db_path)
    code = db.create_workshop()
    for name, step in zip(names, (0.5, 0.1)):
        db.save(code, NamedScenario(name, Scenario(2023, "Son La", (Change("5", step),))))
    at = workshop(open_app(year="2023", w=code))
    at.multiselect(key="ws.compare").set_value([1, 2]).run()
    assert not at.exception
    spec = chart_spec(at)
    bars = spec["layer"][0]
    values = spec["datasets"][bars["data"]["name"]]
    assert {(v["series"], v["code"], v["change"], v["change_label"]) for v in values} == {
        (names[0], "5", 0.5, "+0,50"), (names[1], "5", 0.1, "+0,10")}
    assert bars["encoding"]["x"]["field"] == "change" and bars["encoding"]["color"]["legend"]["labelLimit"] == 0
    assert values[0]["name"] == "5. Thủ tục hành chính công"
    assert " ".join(spec["title"]["text"]) == "Mỗi kịch bản thay đổi chỉ số nào"
