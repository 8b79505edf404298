"""AppTest of the history page and of the 63 / 34 switch: widgets by key, numbers from sim/."""
import pytest

from sim.peers import find_peers
from sim.scenario import Change, Scenario, apply, baseline
from sim.units import load_merger, merge_dataset
from tests.conftest import ROOT
from tests.test_app import metrics, open_app

HISTORY = str(ROOT / "views" / "history.py")


@pytest.fixture(scope="module")
def units_ds(ds):
    return merge_dataset(ds, load_merger(provinces=ds.provinces)).dataset


def history_page(at):
    at.switch_page(HISTORY).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("province", ["Son La", "Ha Noi", "Quang Ninh"])
def test_history_page_opens_for_three_provinces(ds, province):
    at = history_page(open_app(province=province, lang="en"))
    label = ds.province(province).name
    assert f"History & peers: {label}" in at.markdown[0].value
    assert len(at.get("vega_lite_chart")) >= 3  # total, rank, indicator (+ the 2011-2017 panel)
    assert at.selectbox(key="hist.code").value == "5"


def test_history_table_shows_the_published_ranks(ds):
    at = history_page(open_app())
    table = at.dataframe[0].value
    ranks = dict(zip(table.iloc[:, 0], table.iloc[:, 3]))
    assert ranks["2019"] == "11/63" and ranks["2023"] == "30/61" and ranks["2024"] == "25/61"


def test_peers_table_and_reach_button_load_the_what_if_slider(ds):
    at = history_page(open_app(year="2024"))
    at.selectbox(key="hist.code").set_value("8").run()
    at.selectbox(key="hist.from").set_value(2019).run()
    assert not at.exception
    r = find_peers(ds, "Son La", "8", 2019, 2024)
    assert at.dataframe[-1].value.iloc[0, 0].endswith(f"({r.peers[0].province})")
    at.button(key="hist.btn.reach.0").click().run()
    assert not at.exception
    o = apply(ds, Scenario(2024, "Son La", (Change("8", round(r.peers[0].end, 4), "target"),)))
    assert at.session_state["dim.8"] == round(r.peers[0].end, 4)
    assert metrics(at)[1] == f"{o.result.rank}/{o.result.of}"


def test_a_span_across_a_break_is_refused_on_the_page():
    """1.1 changed construction in 2019 and 2022 (data/breaks.csv): the default span stays inside 2022-2024,
    a span from 2018 is refused with the break named, and no reach button is offered."""
    at = history_page(open_app(year="2024", lang="en"))
    at.selectbox(key="hist.code").set_value("1.1").run()
    assert not at.exception and at.session_state["hist.from"] == 2022
    assert all(int(y) >= 2018 for y in at.selectbox(key="hist.from").options)
    at.selectbox(key="hist.from").set_value(2018).run()
    assert not at.exception and any("crosses the break of indicator 1.1 in 2019" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key and b.key.startswith("hist.btn.reach.")]


def test_switching_to_34_units_shows_of_34_and_the_estimate_notice(units_ds):
    at = open_app()
    year = at.session_state["year"]
    at.radio(key="units").set_value("2025").run()
    assert not at.exception
    b = baseline(units_ds, year, "Son La")
    assert metrics(at)[1] == f"{b.rank}/34"
    assert any("Chưa có kỳ PAPI nào trên 34 đơn vị; đây là ước tính" in i.value for i in at.info)


def test_units_switch_maps_an_old_province_to_its_unit_and_back():
    at = open_app(province="bac-kan", lang="en")
    assert at.session_state["province"] == "Bac Kan"
    at.radio(key="units").set_value("2025").run()
    assert not at.exception and at.session_state["province"] == "Thai Nguyen"
    assert any("No PAPI edition on the 34 units" in i.value for i in at.info)
    at.radio(key="units").set_value("63").run()
    assert not at.exception and at.session_state["province"] == "Thai Nguyen"


def test_34_units_on_the_history_page_and_the_data_page(units_ds):
    at = open_app(lang="en")
    at.radio(key="units").set_value("2025").run()
    at = history_page(at)
    assert "/34" in " ".join(at.dataframe[0].value.iloc[:, 3])
    at.switch_page(str(ROOT / "views" / "data.py")).run()
    assert not at.exception and len(at.dataframe[0].value) == len(units_ds.table(at.session_state["year"]).provinces)



@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "views").glob("*.py")))
def test_every_page_opens_on_34_units_with_the_notice(page):
    at = open_app(lang="en")
    at.radio(key="units").set_value("2025").run()
    at.switch_page(str(ROOT / "views" / page)).run()
    assert not at.exception
    assert any("No PAPI edition on the 34 units exists yet; these are estimates" in i.value for i in at.info)


def test_levers_page_follows_the_basis(units_ds):
    """The lever table is cached per basis: the 34-unit page shows ranks out of 34, not the 63-basis table."""
    at = open_app()
    at.switch_page(str(ROOT / "views" / "levers.py")).run()
    before = at.table[0].value
    at.radio(key="units").set_value("2025").run()
    at.switch_page(str(ROOT / "views" / "levers.py")).run()
    assert not at.exception and not at.table[0].value.equals(before)
