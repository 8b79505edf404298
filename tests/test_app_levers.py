"""AppTest tests of the lever page: the table is the engine's lever table, and a step loads into the what-if."""
from sim.i18n import fmt_num
from sim.levels import all_histories
from sim.levers import lever_table
from sim.scenario import baseline
from tests.conftest import ROOT
from tests.test_app import metrics, open_app

LEVERS = str(ROOT / "views" / "levers.py")
GROUP_SHORT = {1: "Cao nhất", 2: "Trung bình cao", 3: "Trung bình thấp", 4: "Thấp nhất"}


def test_lever_page_shows_the_engine_lever_table(ds):
    at = open_app()
    year = at.session_state["year"]
    at.switch_page(LEVERS).run()
    assert not at.exception
    rows = [r for r in lever_table(ds, year, "Son La", all_histories(ds)) if r.step_kind == "p75"]
    df = at.table[0].value.rename(columns=lambda c: c.replace("\\", ""))
    assert len(df) == len(rows) == 8 + len(ds.table(year).sub_codes)
    by_code = {r.code: r for r in rows}
    for label, row in df.iterrows():
        code = label.split("\\. ")[0].replace("\\", "")  # the label is "CODE. name", Markdown-escaped
        r = by_code[code]
        assert row["Tổng điểm sau bước"] == fmt_num(r.total, "vi") and int(row["Hạng tổng điểm sau bước"]) == r.rank
        assert int(row["Số bậc tăng"]) == r.rank_gain
        assert row["Hạng riêng ở đòn bẩy: nay → sau bước"] == f"{r.lever_rank_now} → {r.lever_rank}"
        assert row["Nhóm sau bước"] == GROUP_SHORT[r.group]


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


def test_lever_headings_say_what_each_column_is_and_the_explanation_comes_first(ds):
    at = open_app()
    at.switch_page(LEVERS).run()
    headings = [c.replace("\\", "") for c in at.table[0].value.columns]
    assert headings == ["Điểm hiện tại", "Bước tăng một năm", "Còn cách tỉnh tốt nhất",
                        "Hạng riêng ở đòn bẩy: nay → sau bước", "Tổng điểm sau bước", "Hạng tổng điểm sau bước",
                        "Số bậc tăng", "Nhóm sau bước", "Còn thiếu để lên nhóm trên"]
    # the explanation is drawn before the table (the page's element order), not under its 72 rows
    order = [type(e).__name__ for e in at.main]
    first_table = order.index("Table")
    helps = [i for i, e in enumerate(at.main) if type(e).__name__ == "Caption" and "Hạng riêng ở đòn bẩy" in e.value]
    assert helps and helps[0] < first_table


def test_lever_chart_labels_are_big_enough_for_a_projector():
    import pandas as pd
    from charts.levers import lever_chart
    df = pd.DataFrame({"label": ["6. Cung ứng dịch vụ công ⚠"], "level": ["dimension"], "level_label": ["Chỉ số"],
                       "rank_gain": [7], "step_label": ["+0,60"], "lever_move": ["39 → 11"],
                       "bar_label": ["+0,60 (hạng riêng 39 → 11)"], "is_weak": [True]})
    text = dict.fromkeys(["title", "subtitle", "x", "lever", "step", "gain", "lever_rank"], "T")
    spec = lever_chart(df, text).to_dict()
    bars, labels = spec["layer"]
    assert bars["encoding"]["y"]["axis"]["labelFontSize"] >= 12 and bars["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert labels["mark"]["fontSize"] >= 12 and bars["encoding"]["x"]["axis"]["labelFontSize"] >= 12
