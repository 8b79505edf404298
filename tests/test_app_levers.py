"""AppTest tests of the lever page: the table is the engine's lever table, and a step loads into the what-if."""
from sim.i18n import fmt_num
from sim.levels import all_histories
from sim.levers import lever_table
from sim.scenario import baseline
from tests.conftest import ROOT
from tests.test_app import metrics, open_app

LEVERS = str(ROOT / "views" / "levers.py")


def test_lever_page_shows_the_engine_lever_table(ds):
    at = open_app()
    year = at.session_state["year"]
    at.switch_page(LEVERS).run()
    assert not at.exception
    rows = [r for r in lever_table(ds, year, "Son La", all_histories(ds)) if r.step_kind == "p75"]
    df = at.table[0].value
    assert len(df) == len(rows) == 8 + len(ds.table(year).sub_codes)
    by_code = {r.code: r for r in rows}
    for label, row in df.iterrows():
        code = label.split("\\. ")[0].replace("\\", "")  # the label is "CODE. name", Markdown-escaped
        r = by_code[code]
        assert row.iloc[5] == fmt_num(r.total, "vi") and int(row.iloc[6]) == r.rank
        assert int(row.iloc[7]) == r.rank_gain


def test_level_filter_and_step_switch(ds):
    at = open_app()
    at.switch_page(LEVERS).run()
    at.segmented_control(key="levers.level").set_value("dimension").run()
    assert len(at.table[0].value) == 8
    at.segmented_control(key="levers.step").set_value("p90").run()
    assert not at.exception and len(at.table[0].value) == 8


def test_try_a_lever_loads_its_step_into_the_what_if(ds):
    at = open_app()
    year = at.session_state["year"]
    at.switch_page(LEVERS).run()
    at.segmented_control(key="levers.level").set_value("dimension").run()
    at.selectbox(key="levers.pick").set_value("5").run()
    at.button(key="levers.btn.try").click().run()
    assert not at.exception
    step = next(r for r in lever_table(ds, year, "Son La") if r.code == "5" and r.step_kind == "p75")
    assert metrics(at)[:2] == [fmt_num(step.total, "vi"), f"{step.rank}/{baseline(ds, year, 'Son La').of}"]


def test_years_before_2018_say_so(ds):
    at = open_app(year="2016")
    at.switch_page(LEVERS).run()
    assert not at.exception and not at.table and at.info


def test_lever_page_in_english(ds):
    at = open_app(lang="en")
    at.switch_page(LEVERS).run()
    assert not at.exception and "Levers" in at.markdown[0].value
    at.selectbox(key="levers.sort").set_value("weakest").run()
    assert not at.exception
