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


DATA = str(ROOT / "views" / "data.py")


def test_data_page_pins_the_chosen_row_and_names_the_groups(ds):
    """Defect 26: Son La (rank 25) sits below the first screen of the table, so its row is pinned above it;
    the group column shows each group's short name, never a bare digit."""
    at = open_app(province="son-la", year="2024")
    at.switch_page(DATA).run()
    assert not at.exception
    b = baseline(ds, 2024, "Son La")
    pinned = at.table[0].value
    assert len(pinned) == 1 and pinned.iloc[0, 1] == "Sơn La" and int(pinned.iloc[0, 0]) == b.rank
    from sim.i18n import t
    assert pinned.iloc[0, 3] == t(f"group_short.{b.group}", "vi")
    groups = set(at.dataframe[0].value["group"])
    assert groups == {t(f"group_short.{g}", "vi") for g in (1, 2, 3, 4)}


def test_data_page_on_34_units_says_estimate_in_its_title_and_figures(units_ds):
    """Defect 11: on 34 units the table is an estimate: its title, the note over it and the rank line say so,
    and none calls it "đã công bố" (published) as a fact about these figures."""
    at = open_app(province="son-la", year="2024")
    at.radio(key="units").set_value("2025").run()
    at.switch_page(DATA).run()
    assert not at.exception
    title = next(m.value for m in at.markdown if m.value.startswith("###"))
    assert "ước tính" in title and "34" in title
    b = baseline(units_ds, 2024, "Son La")
    captions = [c.value for c in at.caption]
    assert f"Dòng tô màu: Sơn La (Son La), hạng ước tính {b.rank}/{b.of}." in captions
    assert any(c.startswith("Mọi điểm, hạng và nhóm của 34 tỉnh") for c in captions)
    assert "(ước tính)" in at.dataframe[0].proto.columns.encode().decode("unicode_escape")


def test_the_34_unit_source_caption_is_in_the_users_language_without_file_names(units_ds):
    """Defect 20: the History caption read "estimate: population-weighted mean of Son La 100.0% (merger_2025.csv,
    population.csv (2019 census))" inside Vietnamese; it is now worded in the user's language, names and weights
    kept, no file name."""
    at = open_app(province="son-la", year="2024")
    at.radio(key="units").set_value("2025").run()
    at = history_page(at)
    assert set(at.dataframe[0].value.iloc[:, 2]) == {"ước tính"}  # the kind of every total in the table
    caption = next(c.value for c in at.caption if c.value.startswith("Năm 2024, số của đơn vị này"))
    assert "Sơn La 100,0%" in caption and "không phải số liệu PAPI đã công bố" in caption
    assert not any(w in caption for w in (".csv", "estimate", "population", "census"))


def test_source_note_rewords_an_estimate_and_leaves_other_sources_alone(units_ds, ds):
    from sim.units import estimate_shares, source_note
    src = units_ds.source(2024, "Phu Tho", "total")
    shares = dict(estimate_shares(src))
    assert set(shares) == {"Phu Tho", "Hoa Binh"} and sum(shares.values()) == pytest.approx(100, abs=0.11)
    names = {p.name: p.name_vi for p in ds.provinces}
    vi, en = source_note(src, "vi", names), source_note(src, "en")
    assert "Phú Thọ" in vi and "Hòa Bình" in vi and "," in vi.split("Phú Thọ ")[1][:5] and ".csv" not in vi
    assert "Phu Tho" in en and "Hoa Binh" in en and ".csv" not in en
    assert source_note(ds.source(2024, "Son La", "total"), "vi") == ds.source(2024, "Son La", "total")
    assert source_note(None, "vi") is None
