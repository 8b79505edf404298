"""The what-if page after the 2026-12 walkthrough (issue 16): the 63/34 basis in the link, "ước tính" beside
every 34-unit figure, a basis switch that keeps the scenario, sub-dimensions that keep a dimension's change,
the source of a scenario opened from another page, compact mode's flags, and figures equal to the CLI's."""
import json
import subprocess
import sys

import pytest

from sim.i18n import fmt_num
from sim.ranking import UNIT
from sim.scenario import Change, Scenario, apply
from sim.units import on_basis
from tests.conftest import ROOT
from tests.panel_support import exact, labels, lever, notes, panel_data
from tests.test_app import goal_page, metrics, open_app

PLAN = tuple(Change(c, 0.5, "delta") for c in ("5", "3", "8"))


@pytest.fixture(scope="module")
def ds34(ds):
    return on_basis(ds, "2025")


def shown(element) -> str:
    """An element's text as the reader sees it (plain() escapes Markdown specials with backslashes)."""
    return element.value.replace("\\", "")


def headline(o, lang="vi"):
    r = o.result
    return [fmt_num(r.total, lang), f"{r.rank}/{r.of}"]


# ---- defect 6 / missing 8: the basis travels in the link ------------------------------------------

def test_a_34_unit_link_opens_on_34_units_with_the_same_headline(ds34):
    at = open_app(year="2024")
    at.radio(key="units").set_value("2025").run()
    at.button(key="btn.preset.plan").click().run()
    assert at.query_params["units"] == "2025" and at.query_params["s"]
    copied = dict(at.query_params)
    fresh = open_app(**copied)
    o = apply(ds34, Scenario(2024, "Son La", PLAN))
    assert fresh.session_state["units"] == "2025" and not fresh.warning
    assert metrics(fresh)[:2] == metrics(at)[:2] == headline(o)


def test_the_default_basis_stays_out_of_the_link():
    at = open_app()
    assert "units" not in at.query_params
    at.radio(key="units").set_value("2025").run()
    at.radio(key="units").set_value("63").run()
    assert "units" not in at.query_params


@pytest.mark.parametrize("raw", ["34", "abc", "2025 ", "<b>x</b>"])
def test_a_bad_basis_in_the_link_gives_a_notice_and_the_63_provinces(ds, raw):
    at = open_app(units=raw)
    assert not at.exception and at.session_state["units"] == "63"
    assert any("Tham số cơ sở" in w.value for w in at.warning) and metrics(at)[1].endswith("/61")


# ---- defect 11: every 34-unit figure says it is an estimate ----------------------------------------

def test_on_34_units_total_rank_and_group_say_estimate_and_on_63_they_do_not(ds34):
    at = open_app(year="2024")
    assert not any("ước tính" in label for label in labels(at))
    at.radio(key="units").set_value("2025").run()
    b = apply(ds34, Scenario(2024, "Son La")).baseline
    assert metrics(at) == [fmt_num(b.total, "vi"), f"{b.rank}/34", "Nhóm trung bình cao"]  # never cut by "…"
    assert labels(at) == ["Tổng điểm ước tính (kịch bản)", "Xếp hạng ước tính (kịch bản)",
                                            "Nhóm ước tính (kịch bản)"]
    assert any(c.value.startswith("Hiện trạng (ước tính): ") for c in at.caption)
    at.radio(key="lang").set_value("en").run()
    assert all(label.startswith("Estimated ") for label in labels(at))


# ---- defect 24: switching the basis keeps an unmerged province's scenario ------------------------

def test_switching_to_34_units_keeps_son_las_scenario_and_says_why(ds34):
    at = open_app(year="2024")
    at.button(key="btn.preset.plan").click().run()
    at.radio(key="units").set_value("2025").run()
    assert not at.exception
    assert metrics(at)[:2] == headline(apply(ds34, Scenario(2024, "Son La", PLAN)))
    texts = [w.value for w in at.warning]
    assert any("giữ nguyên" in t for t in texts) and not any("tỉnh/năm khác" in t for t in texts)


def test_switching_the_basis_for_a_merged_province_resets_with_the_true_reason(ds):
    at = open_app(year="2024", province="Yen Bai")
    lever(at, "5").set_value(9.0).run()
    at.radio(key="units").set_value("2025").run()
    texts = [w.value for w in at.warning]
    assert at.session_state["province"] == "Lao Cai" and any("đã chuyển sang 34 tỉnh" in t for t in texts)
    assert not any("tỉnh/năm khác" in t for t in texts)


# ---- defect 13: opening a dimension into sub-dimensions keeps its change ---------------------------

def test_opening_dimension_5_spreads_its_change_exactly_and_the_headline_stays(ds):
    at = open_app(year="2024")
    at.button(key="btn.preset.plan").click().run()
    before = metrics(at)
    at.pills(key="sublevels").set_value(["5"]).run()
    assert not at.exception and metrics(at) == before
    subs = ds.table(2024).subs["Son La"]
    moved = [round(lever(at, f"{c}").value * UNIT) - round(subs[c] * UNIT)
             for c in sorted(subs) if c.startswith("5.")]
    assert sum(moved) == 5000 and max(moved) - min(moved) <= 1
    assert any("được chia cho các thành phần" in w.value for w in at.warning)


def test_a_sub_dimension_has_an_exact_value_field_on_its_own_scale(ds):
    at = open_app(year="2024")
    at.pills(key="sublevels").set_value(["5"]).run()
    exact(at, "5.1").set_value("2,5").run()
    assert lever(at, "5.1").value == 2.5
    o = apply(ds, Scenario(2024, "Son La", (Change("5.1", 2.5, "target"),)))
    assert metrics(at)[:2] == headline(o)
    exact(at, "5.1").set_value("4").run()
    assert lever(at, "5.1").value == 2.5
    error = panel_data(at)["error"]
    assert error[0] == "5.1" and "0,33–3,33" in error[1]


# ---- defect 22: a scenario opened from another page is named, first on the page ---------------------

def test_the_goal_plan_applied_is_named_first_on_the_page_until_the_sliders_move():
    at = goal_page(open_app(year="2023"))
    at.button(key="goal.btn.apply").click().run()
    assert at.info and shown(at.info[0]) == "Kịch bản: kế hoạch ít nỗ lực nhất (Mục tiêu)"
    lever(at, "1").set_value(6.0).run()
    assert not any(shown(i).startswith("Kịch bản:") for i in at.info)


def test_a_lever_step_names_the_page_it_came_from():
    at = open_app(year="2024")
    at.switch_page(str(ROOT / "views" / "levers.py")).run()
    at.button(key="levers.btn.try").click().run()
    assert not at.exception and "Mô phỏng PAPI" in at.markdown[0].value
    # the lever and its step, e.g. "Kịch bản: Đòn bẩy: 6. Kiểm soát tham nhũng trong khu vực công +0,60"
    named = [shown(i) for i in at.info if shown(i).startswith("Kịch bản: Đòn bẩy: ")]
    assert len(named) == 1 and named[0].split()[-1].startswith("+"), named


def test_loading_a_saved_scenario_names_it_with_its_page(tmp_path, monkeypatch):
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(tmp_path / "w.sqlite3"))
    at = open_app(year="2024")
    at.button(key="btn.preset.plan").click().run()
    at.switch_page(str(ROOT / "views" / "workshop.py")).run()
    at.text_input(key="ws.name").input("Phương án B")
    at.button(key="ws.btn.save").click().run()
    at.button(key="ws.btn.load").click().run()
    assert not at.exception and any(shown(i) == "Kịch bản: Phương án B (Xưởng kịch bản)" for i in at.info)


def test_the_state_functions_take_an_optional_source_label():
    import inspect

    from ui import state
    for fn in (state.apply_plan, state.goto_whatif, state.load_changes, state.load_saved):
        assert inspect.signature(fn).parameters["source"].default == ""


# ---- defect 23: no tooltip waits under the pointer on the quick-scenario row -------------------------

def test_quick_scenario_buttons_carry_no_tooltip_and_are_explained_in_a_caption():
    at = open_app(year="2024")
    for key in ("btn.preset.focus", "btn.preset.median", "btn.preset.plan", "btn.reset"):
        assert not at.button(key=key).help, key
    assert any(shown(c).startswith("Kịch bản nhanh:") for c in at.caption)


# ---- defect 32: compact mode keeps the realism flags --------------------------------------------

def test_compact_mode_still_shows_an_unusual_change_under_its_slider():
    at = open_app(year="2024")
    at.button(key="btn.preset.plan").click().run()
    full = [n for n in notes(at) if "⚠ 5:" in n or "⚠ 3:" in n]
    at.toggle(key="whatif.compact").set_value(True).run()
    assert not any("hiện trạng" in n for n in notes(at))  # the figures line is folded away
    short = [n for n in notes(at) if "+0,50 lớn hơn 99% thay đổi 1 năm" in n]
    assert len(full) == len(short) == 2 and all("vượt mức cao nhất" in c for c in short)
    assert at.get("html")  # the one constant style rule that trims the empty header


# ---- defect 34: the plan preset names the province as the language writes it ----------------------

@pytest.mark.parametrize("lang,label", [("vi", "Kế hoạch Sơn La (5, 3, 8)"), ("en", "Son La's plan (5, 3, 8)")])
def test_the_plan_preset_names_the_province_in_the_users_language(lang, label):
    assert open_app(lang=lang).button(key="btn.preset.plan").label == label


# ---- issue 16: numbers a committee can check against the CLI -------------------------------------

def cli(*args) -> dict:
    out = subprocess.run([sys.executable, "-m", "sim", "whatif", "--year", "2024", "--province", "Son La", "--json",
                          *args], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


@pytest.mark.parametrize("basis", ["63", "2025"])
def test_the_plan_headline_and_its_gaps_equal_the_cli(basis):
    at = open_app(year="2024", units=basis)
    at.button(key="btn.preset.plan").click().run()
    doc = cli("--units", basis, "--change", "5=+0.5", "--change", "3=+0.5", "--change", "8=+0.5")
    r, b = doc["scenario"], doc["baseline"]
    assert metrics(at) == [fmt_num(r["total"], "vi"), f"{r['rank']}/{r['of']}", r["group_name"]]
    line = next(c.value for c in at.caption if c.value.startswith("Hiện trạng"))
    assert f"cần thêm {fmt_num(b['to_next_rank'], 'vi', 4)} điểm để vượt" in line.split("Kịch bản:")[0]
    assert f"cần thêm {fmt_num(b['to_next_group'], 'vi', 4)} điểm để vào" in line.split("Kịch bản:")[0]
    assert f"cần thêm {fmt_num(r['to_next_rank'], 'vi', 4)} điểm để vượt" in line.split("Kịch bản:")[1]


# ---- defect 33: the national chart reads on a projector -------------------------------------------

def _layers(spec: dict) -> list[dict]:
    return spec["layer"]


def test_the_national_chart_names_provinces_at_12_px_over_four_distinct_bands(ds):
    from charts import whatif
    spec = whatif.spec("national", ds, apply(ds, Scenario(2024, "Son La", PLAN)), "vi")
    band, _tick, dots, names = _layers(spec)
    assert dots["encoding"]["x"]["axis"]["labelFontSize"] >= 11 and names["mark"]["fontSize"] >= 11
    colours = band["encoding"]["color"]["scale"]["range"]
    opacity = band["mark"]["opacity"]

    def seen(hex_: str) -> tuple[float, ...]:  # the tint over the white page
        rgb = [int(hex_[i:i + 2], 16) for i in (1, 3, 5)]
        return tuple(255 - opacity * (255 - c) for c in rgb)
    tints = [seen(c) for c in colours]
    closest = min(sum((a - b) ** 2 for a, b in zip(tints[i], tints[j])) ** 0.5
                  for i in range(4) for j in range(i + 1, 4))
    assert len(set(colours)) == 4 and closest >= 30  # the old pale pair (2, 3) differed by about 15
