"""The one cache layer (ui/cache.py): two sessions in one server process share a cached answer only when it is
the same answer. Each test runs two AppTest sessions in this pytest process, so they share Streamlit's caches
exactly as two laptops on one server do."""
import re

import pytest
from streamlit.runtime.caching.cache_utils import CachedFunc

from sim.goal import GoalRequest, Target, seek
from sim.i18n import fmt_num, t
from sim.levels import all_histories
from sim.levers import lever_table
from sim.realism import change_history
from sim.uncertainty import NoiseModel
from sim.units import on_basis
from tests.conftest import ROOT
from tests.edition_files import shifted_csv
from tests.test_edition_app import upload
from tests.test_app import open_app

VIEWS = ROOT / "views"
YEAR = 2024


@pytest.fixture(scope="module")
def ds34(ds):
    return on_basis(ds, "2025")


def on_34_units(at):
    at.radio(key="units").set_value("2025").run()
    assert not at.exception and at.session_state["units"] == "2025"
    return at


def page(at, name: str):
    at.switch_page(str(VIEWS / f"{name}.py")).run()
    assert not at.exception
    return at


def goal_rank(at, rank: int):
    at.number_input(key="goal.rank").set_value(rank).run()
    assert not at.exception
    return at


def shown_plan(at) -> list[str]:
    return [m.value for m in at.metric][:3]


def expected_plan(data, province: str, rank: int) -> list[str]:
    plan = seek(data, GoalRequest(YEAR, province, Target("rank", rank), model=NoiseModel(draws=5_000, seed=7)),
                change_history(data))
    r = plan.outcome.result
    return [fmt_num(r.total, "vi"), f"{r.rank}/{r.of}", t(f"group.{r.group}", "vi")]


def test_goal_plans_follow_each_sessions_basis(ds, ds34):
    """The review's steps: a 34-unit session asks for rank 10 first, then a 63-province session asks the same."""
    units = page(on_34_units(open_app(year=str(YEAR))), "goal")
    provinces = page(open_app(year=str(YEAR)), "goal")
    unit = units.session_state["province"]
    goal_rank(units, 10)
    assert shown_plan(units)[1] == "10/34"
    goal_rank(provinces, 10)
    # the published check: `python -m sim goal --year 2024 --province "Son La" --target-rank 10` -> 45.1865, 10/61
    assert shown_plan(provinces) == ["45,19", "10/61", "Nhóm đạt điểm cao nhất"] == expected_plan(ds, "Son La", 10)
    goal_rank(provinces, 15)
    goal_rank(units, 15)  # the 63-province plan for rank 15 is cached now; the units must not see it
    assert units.success[0].value == "Mục tiêu đã đạt với hiện trạng: không cần thay đổi."
    assert shown_plan(units)[1] == f"{seek(ds34, GoalRequest(YEAR, unit, Target('rank', 15)), change_history(ds34)).outcome.result.rank}/34"
    assert shown_plan(provinces)[1] == "15/61"


def test_lever_odds_data_and_trend_pages_follow_each_sessions_basis(ds, ds34):
    units = on_34_units(open_app(year=str(YEAR)))
    provinces = open_app(year=str(YEAR))
    unit = units.session_state["province"]
    for at, data, place in ((provinces, ds, "Son La"), (units, ds34, unit), (provinces, ds, "Son La")):
        rows = [r for r in lever_table(data, YEAR, place, all_histories(data)) if r.step_kind == "p75"]
        table = page(at, "levers").table[0].value
        by_code = {r.code: r.rank for r in rows}
        rank = t("levers.col.rank", "vi")  # the total's rank after the step, found by its heading
        shown = {label.split("\\. ")[0].replace("\\", ""): int(row[rank]) for label, row in table.iterrows()}
        assert shown == by_code  # "CODE. name" (Markdown-escaped) -> rank after the lever
        of = len([t for t in data.table(YEAR).total if t == t])
        assert any(f"/{of}" in str(v) for v in page(at, "history").dataframe[0].value.iloc[:, 3])
        assert len(page(at, "data").dataframe[0].value) == len(data.table(YEAR).provinces)


def test_odds_follow_each_sessions_basis(ds, ds34):
    from sim.scenario import Scenario
    from sim.uncertainty import simulate
    units = page(on_34_units(open_app(year=str(YEAR))), "odds")
    provinces = page(open_app(year=str(YEAR)), "odds")
    unit = units.session_state["province"]
    for at, data, place in ((provinces, ds, "Son La"), (units, ds34, unit)):
        o = simulate(data, Scenario(YEAR, place, ()), NoiseModel(draws=10_000, seed=7), change_history(data))
        i = o.us
        assert at.metric[2].value == f"{o.result.rank_p5[i]}–{o.result.rank_p95[i]}"


def _source_shown(at) -> str:
    at.selectbox(key="year").set_value(2025).run()
    return next(c.value for c in at.caption if c.value.startswith("Nguồn:")).replace("\\", "")  # Markdown escapes


def test_same_bytes_under_two_file_names_keep_each_sessions_name(ds):
    data = shifted_csv(ds)
    first = upload(page(open_app(), "data"), "so_lieu_tinh_A.csv", data)
    second = upload(page(open_app(), "data"), "ban_sao_B.csv", data)
    shown_second, shown_first = _source_shown(second), _source_shown(first)
    assert "ban_sao_B.csv" in shown_second and "so_lieu_tinh_A" not in shown_second
    assert "so_lieu_tinh_A.csv" in shown_first and "ban_sao_B" not in shown_first


def test_two_sessions_with_different_editions_get_their_own_goal_plan(ds):
    from sim.editions import add_year
    from formats.edition import read_edition
    small = upload(page(open_app(), "data"), "papi_2025.csv", shifted_csv(ds, shift=0.1))
    large = upload(page(open_app(), "data"), "papi_2025.csv", shifted_csv(ds, shift=0.3))
    for at, shift in ((small, 0.1), (large, 0.3), (small, 0.1)):
        at.selectbox(key="year").set_value(2025).run()
        page(at, "goal")
        goal_rank(at, 5)
        new = add_year(ds, 2025, read_edition(shifted_csv(ds, shift=shift), "p.csv", ds).rows)
        plan = seek(new, GoalRequest(2025, "Son La", Target("rank", 5)), change_history(new))
        assert shown_plan(at)[0] == fmt_num(plan.outcome.result.total, "vi")


def _cached_functions():
    import ui.cache as cache
    return {name: f for name, f in vars(cache).items() if isinstance(f, CachedFunc)}


def test_every_cache_of_the_app_lives_in_ui_cache_and_is_bounded():
    pattern = re.compile(r"st\.cache_(data|resource)|@cache_(data|resource)")
    files = [ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    private = [f.relative_to(ROOT).as_posix() for f in files if f.name != "cache.py" and pattern.search(f.read_text())]
    assert private == []
    cached = _cached_functions()
    assert {"_goal_plan", "_odds", "_levers", "_history", "_histories", "_weak_spots", "_with_editions",
            "_estimate"} <= set(cached)
    assert {name: f._info.max_entries for name, f in cached.items() if f._info.max_entries is None} == {}


def test_the_bound_holds_old_entries_are_dropped(monkeypatch):
    """Fill a per-request cache and a per-data cache one past their bound: the oldest entry is computed again."""
    import ui.cache as cache
    calls = []
    monkeypatch.setattr(cache, "dataset", lambda: None)
    monkeypatch.setattr(cache, "histories", lambda: None)
    monkeypatch.setattr(cache, "lever_table", lambda ds, year, province, h: calls.append(province) or ())
    cache._levers.clear()
    bound = cache._levers._info.max_entries
    for i in range(bound + 1):
        cache._levers(YEAR, f"p{i}", "k")
    cache._levers(YEAR, f"p{bound}", "k")  # the newest is still there
    assert calls.count(f"p{bound}") == 1
    cache._levers(YEAR, "p0", "k")  # the oldest was dropped
    assert calls.count("p0") == 2
    cache._levers.clear()

    built = []
    monkeypatch.setattr(cache, "add_year", lambda ds, year, rows, source: built.append(source) or ds)
    cache._with_editions.clear()
    bound = cache._with_editions._info.max_entries

    class Edition:
        def __init__(self, i):
            self.year, self.rows, self.source = 2025, (), f"e{i}.csv"
    for i in range(bound + 1):
        cache._with_editions(f"k{i}", (Edition(i),))
    cache._with_editions(f"k{bound}", (Edition(bound),))
    assert built.count(f"e{bound}.csv") == 1
    cache._with_editions("k0", (Edition(0),))
    assert built.count("e0.csv") == 2
    cache._with_editions.clear()


def test_a_goal_plan_is_cached_by_the_whole_request_and_the_data(monkeypatch):
    """Equal requests share one plan; a request or data key that differs in anything computes its own."""
    import ui.cache as cache
    calls = []
    monkeypatch.setattr(cache, "dataset", lambda: None)
    monkeypatch.setattr(cache, "history", lambda: None)
    monkeypatch.setattr(cache, "seek", lambda ds, req, h: calls.append(req) or len(calls))
    cache._goal_plan.clear()
    req = cache.goal_request(YEAR, "Son La", "rank", 10.0, ("1",), effort="gap")
    same = cache.goal_request(YEAR, "Son La", "rank", 10.0, ("1",), effort="gap")
    assert cache._goal_plan(req, "63") == cache._goal_plan(same, "63") == 1
    for other, data in ((cache.goal_request(YEAR, "Son La", "rank", 10.0, ("1",), effort="equal"), "63"),
                        (cache.goal_request(YEAR, "Son La", "rank", 10.0, ("1",), effort="gap", level="sub"), "63"),
                        (cache.goal_request(YEAR, "Son La", "rank", 10.0, ("1",), effort="gap", probability=0.8), "63"),
                        (req, "2025")):
        cache._goal_plan(other, data)
    assert len(calls) == 5
    cache._goal_plan.clear()


def test_the_34_unit_estimate_follows_each_sessions_editions(ds):
    from formats.edition import read_edition
    from sim.editions import add_year
    with_2025 = on_34_units(upload(page(open_app(), "data"), "papi_2025.csv", shifted_csv(ds)))
    without = on_34_units(page(open_app(), "data"))
    assert "2025" in with_2025.selectbox(key="year").options and "2025" not in without.selectbox(key="year").options
    with_2025.selectbox(key="year").set_value(2025).run()
    new = on_basis(add_year(ds, 2025, read_edition(shifted_csv(ds), "p.csv", ds).rows), "2025")
    table = with_2025.dataframe[0].value
    assert len(table) == len(new.table(2025).provinces)
    unit = with_2025.session_state["province"]
    shown = table.loc[table["province"].str.contains(new.province(unit).name_vi, regex=False), "total"].iloc[0]
    assert shown == new.table(2025).total[new.table(2025).index(unit)]
