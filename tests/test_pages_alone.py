"""Each page opened alone, without app.py: its session state preset (as the sidebar would leave it), the page
file run as the whole app runs it. A page that needs something only app.py sets fails here, and a page's
own figures are checked against sim/ without booting the other pages (the whole-app tests are in
tests/test_app*.py). The page runs through runpy so that views/ is not first on sys.path (``workshop``
would then name views/workshop.py instead of the workshop package)."""
import pytest
from streamlit.testing.v1 import AppTest

from sim.goal import seek
from sim.goal_request import GOAL_DRAWS, GoalRequest, Target
from sim.i18n import fmt_num
from sim.realism import change_history
from sim.scenario import baseline
from sim.uncertainty import DEFAULT_SEED, NoiseModel
from sim.units import on_basis
from sim.words import group_name, province_name
from tests.conftest import ROOT

YEAR = 2023


def open_page(name: str, province: str = "Son La", lang: str = "vi", **state) -> AppTest:
    at = AppTest.from_string(f"import runpy\nrunpy.run_path({str(ROOT / 'views' / f'{name}.py')!r})\n",
                             default_timeout=60)
    for key, value in {"year": YEAR, "province": province, "lang": lang, **state}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def title(at) -> str:
    return at.markdown[0].value


@pytest.mark.parametrize("page", ["goal", "levers", "odds", "history", "data"])
@pytest.mark.parametrize("province, lang", [("Son La", "vi"), ("Ha Noi", "en")])
def test_a_page_opens_alone_and_names_the_province_of_its_state(ds, page, province, lang):
    at = open_page(page, province, lang)
    if page == "data":  # the national table: names the year, not a province
        assert str(YEAR) in title(at)
    else:
        assert province_name(ds, province, lang) in title(at)


def test_the_goal_page_alone_shows_the_plan_sim_computes(ds):
    at = open_page("goal")
    rank = at.number_input(key="goal.rank").value
    plan = seek(ds, GoalRequest(YEAR, "Son La", Target("rank", rank), model=NoiseModel(draws=GOAL_DRAWS, seed=DEFAULT_SEED)),
                change_history(ds))
    r = plan.outcome.result
    assert [m.value for m in at.metric][:3] == [fmt_num(r.total, "vi"), f"{r.rank}/{r.of}", group_name(r.group, "vi")]


def test_the_goal_page_alone_follows_the_basis_of_its_state(ds):
    at = open_page("goal", units="2025")
    of = baseline(on_basis(ds, "2025"), YEAR, "Son La").of
    assert of != baseline(ds, YEAR, "Son La").of and at.metric[1].value.endswith(f"/{of}")


def test_the_levers_page_alone_draws_its_chart():
    at = open_page("levers")
    assert len(at.get("vega_lite_chart")) == 1


def test_the_odds_page_alone_shows_three_figures_and_its_model_seed():
    at = open_page("odds")
    assert len(at.metric) == 3 and at.number_input(key="odds.seed").value == DEFAULT_SEED


def test_the_history_page_alone_shows_the_provinces_series(ds):
    at = open_page("history")
    assert at.get("vega_lite_chart") and at.dataframe


def test_the_data_page_alone_lists_every_province_of_the_year(ds):
    at = open_page("data")
    assert len(at.dataframe[0].value) == len(ds.table(YEAR).provinces)
