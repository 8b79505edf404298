"""Presenter view (issue 20, item 2) with AppTest: six steps, the scenario's name on each, every number the
step shows from sim.story_text, buttons and the key listener's trigger move between steps."""
import pytest

from sim.realism import change_history
from sim.scenario import Change, NamedScenario, Scenario
from sim.story import build_story
from sim.story_text import story_steps
from tests.conftest import ROOT
from tests.test_app import open_app

PRESENT = str(ROOT / "views" / "present.py")
LINK = "v1~3d0.3~5d0.4~8d0.5"


def texts(at) -> list[str]:
    return [m.value.replace("\\", "") for m in at.markdown]


@pytest.fixture(scope="module")
def expected(ds):
    named = NamedScenario("Kịch bản trên trang Mô phỏng",
                          Scenario(2023, "Son La", (Change("3", 0.3), Change("5", 0.4), Change("8", 0.5))))
    return story_steps(ds, build_story(ds, named, change_history(ds)), "vi")


def test_every_step_shows_the_story_and_the_name(expected):
    at = open_app(year="2023", s=LINK)
    at.switch_page(PRESENT).run()
    assert not at.exception
    for k, step in enumerate(expected):
        shown = texts(at)
        assert shown[0] == "**Kịch bản trên trang Mô phỏng**"
        assert f"## {step.title}" in shown and f"### {step.headline}" in shown
        assert all(line in shown for line in step.lines)
        assert at.session_state["present.step"] == k
        if k < len(expected) - 1:
            at.button(key="present.btn.next").click().run()
            assert not at.exception
    assert at.button(key="present.btn.next").disabled
    at.button(key="present.btn.prev").click().run()
    assert at.session_state["present.step"] == len(expected) - 2


def test_english_and_the_published_result_without_changes(ds):
    at = open_app(year="2023", lang="en")
    at.switch_page(PRESENT).run()
    assert not at.exception
    shown = texts(at)
    assert "## Where we stand: Son La, PAPI 2023" in shown and "Vs 2022: +1.53 points, up 16 places" in shown
    at.button(key="present.btn.next").click().run()
    assert "### This scenario changes nothing: it is the published result." in texts(at)


def test_a_saved_workshop_scenario_by_name(tmp_path, monkeypatch):
    from workshop.store import Store
    db = tmp_path / "w.sqlite3"
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(db))
    store = Store(db)
    code = store.create_workshop()
    store.save(code, NamedScenario("Phương án B", Scenario(2024, "Son La", (Change("5", 0.5),))))
    at = open_app(w=code)
    at.switch_page(PRESENT).run()
    assert not at.exception
    at.selectbox(key="present.source").set_value("Phương án B").run()
    assert not at.exception and texts(at)[0] == "**Phương án B**"
    at.button(key="present.btn.next").click().run()
    assert any("5. " in x and "+0,50" in x for x in texts(at))
    # a bookmark names it: /present?w=CODE&scenario=NAME; a name not in the workshop opens the what-if scenario
    at = open_app(w=code, scenario="Phương án B")
    at.switch_page(PRESENT).run()
    assert not at.exception and texts(at)[0] == "**Phương án B**"
    at = open_app(w=code, scenario="**Không có**")
    at.switch_page(PRESENT).run()
    assert not at.exception and texts(at)[0] == "**Kịch bản trên trang Mô phỏng**"


def test_history_table_has_year_on_year_columns():
    at = open_app(year="2023")
    at.switch_page(str(ROOT / "views" / "history.py")).run()
    assert not at.exception
    df = at.dataframe[0].value
    row = df[df["Năm"] == "2023"].iloc[0]
    assert row["Thay đổi điểm"] == "+1,53" and row["Thay đổi thứ hạng"] == "tăng 16 bậc"
    assert df[df["Năm"] == "2024"].iloc[0]["Thay đổi điểm"] == "+1,49"
    assert df[df["Năm"] == "2018"].iloc[0]["Thay đổi điểm"] == "–"
    captions = [c.value for c in at.caption]
    # said once per table (2018 on: 61, 63 and 60 ranked; the early table: 63 and 61)
    assert sum("Số tỉnh được xếp hạng khác nhau giữa các năm (61, 63, 60)" in c for c in captions) == 1


def test_odds_page_shows_the_track_record(ds):
    from sim.backtest import backtest, backtest_json
    from sim.story_text import record_text
    at = open_app(year="2023")
    at.switch_page(str(ROOT / "views" / "odds.py")).run()
    assert not at.exception
    doc = backtest_json(backtest(ds, 2000, 7, ("baseline",)), 2000, 7, ("baseline",))
    sentence = record_text(doc, "vi")
    assert "2018→2019, 2019→2020: chưa đủ số năm trước đó" in sentence and "86%" in sentence
    assert sentence in [m.value.replace("\\", "") for m in at.markdown]


def test_a_saved_name_is_plain_text(tmp_path, monkeypatch):
    from workshop.store import Store
    db = tmp_path / "w.sqlite3"
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(db))
    store = Store(db)
    code = store.create_workshop()
    name = "[bấm](http://example.com) **đậm** <b>x</b>"
    store.save(code, NamedScenario(name, Scenario(2024, "Son La", (Change("5", 0.5),))))
    at = open_app(w=code, scenario=name)
    at.switch_page(PRESENT).run()
    assert not at.exception
    first = at.markdown[0].value
    assert "\\[bấm\\]" in first and "\\*\\*đậm\\*\\*" in first and "\\<b\\>" in first  # escaped, never markup
