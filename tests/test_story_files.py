"""Take-home files carry the whole answer (issue 20, item 4): the brief's first page is the story; the brief
and the workbook hold each scenario's year on year, its chance of each group and of the target, and its 5-95%
rank range, equal to the Odds page's numbers for the same seed (sim.story.chances)."""
import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pytest

from formats.pdf import to_pdf
from formats.xlsx import to_xlsx
from sim.i18n import fmt_pct
from sim.realism import change_history
from sim.scenario import Change, NamedScenario, Scenario
from sim.story import chances, track_record
from sim.uncertainty import NoiseModel, simulate

TODAY = dt.date(2026, 11, 26)
A = NamedScenario("Cải cách thủ tục", Scenario(2023, "Son La", (Change("3", 0.3), Change("5", 0.4), Change("8", 0.5))))
B = NamedScenario("Chính quyền số", Scenario(2023, "Son La", (Change("8", 0.6),)))


def page_text(data: bytes, tmp_path, first: int, last: int) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


@pytest.fixture(scope="module")
def brief(ds):
    return to_pdf(ds, [A, B], "vi", None, TODAY)


def test_chances_are_the_odds_page_numbers(ds):
    h = change_history(ds)
    base, sc = chances(ds, A.scenario, h)
    o = simulate(ds, A.scenario, NoiseModel(draws=10_000, seed=7), h)
    assert sc.p_group == tuple(float(v) for v in o.result.p_group[o.us])
    assert base.p_group == tuple(float(v) for v in o.baseline.p_group[o.us])
    assert (sc.rank_p5, sc.rank_p95) == (int(o.result.rank_p5[o.us]), int(o.result.rank_p95[o.us]))


def test_brief_first_page_is_the_story_with_year_on_year_odds_and_track_record(ds, brief, tmp_path):
    first = page_text(brief, tmp_path, 1, 1)
    assert "Câu chuyện của kịch bản “Cải cách thủ tục”" in first
    assert "So với năm 2022: +1,53 điểm, tăng 16 bậc" in first
    _, sc = chances(ds, A.scenario, change_history(ds))
    assert f"Khả năng vào nhóm đạt điểm cao nhất: {fmt_pct(sc.p_target(1), 'vi')}, khoảng 1 trong" in first
    rec = track_record(ds)
    assert f"trong {rec['n']} lượt tỉnh-năm ({fmt_pct(rec['coverage_5_95'], 'vi')})" in first
    assert "Chính quyền số" not in first  # the second scenario starts on page 2


def test_brief_table_has_each_scenarios_odds_and_year_on_year(ds, brief, tmp_path):
    rest = page_text(brief, tmp_path, 2, 99)
    h = change_history(ds)
    for named in (A, B):
        _, sc = chances(ds, named.scenario, h)
        assert " · ".join(fmt_pct(p, "vi") for p in sc.p_group) in rest
        assert f"{sc.rank_p5}–{sc.rank_p95}" in rest
    assert "Thay đổi điểm so với kỳ trước" in rest and "+16" in rest
    assert "10.000 lần (mã lặp lại kết quả 7)" in rest  # draws and seed stated


def test_workbook_has_the_odds_per_scenario(ds):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, [A, B], "vi", None, TODAY)))
    rows = {r[0].value: [c.value for c in r[1:4]] for r in wb["So sánh"].iter_rows() if r[0].value}
    h = change_history(ds)
    (base, a), (_, b) = chances(ds, A.scenario, h), chances(ds, B.scenario, h)
    for g, label in enumerate(("Nhóm đạt điểm cao nhất", "Nhóm trung bình cao", "Nhóm trung bình thấp",
                               "Nhóm đạt điểm thấp nhất")):
        assert rows[f"Khả năng: {label}"] == [round(x.p_group[g], 4) for x in (base, a, b)]
    assert rows["Khả năng vào nhóm đạt điểm cao nhất năm sau"] == [round(x.p_target(1), 4) for x in (base, a, b)]
    assert rows["Hạng, mức 5% (tốt nhất có thể)"] == [x.rank_p5 for x in (base, a, b)]
    assert rows["Hạng, mức 95% (kém nhất có thể)"] == [x.rank_p95 for x in (base, a, b)]
    assert rows["Thay đổi điểm so với kỳ trước"][0] == 1.5272
    assert rows["Thay đổi thứ hạng so với kỳ trước (+ = tăng bậc)"][0] == 16
    assert "Khả năng từng nhóm (cao nhất · TB cao · TB thấp · thấp nhất)" not in rows  # the brief's text row
    sources = " ".join(str(c.value) for r in wb["Nguồn và giả định"].iter_rows() for c in r if c.value)
    assert "10.000 lần (mã lặp lại kết quả 7)" in sources


def test_goal_page_offers_the_plan_as_workbook_and_brief(ds):
    from tests.conftest import ROOT
    from tests.test_app import open_app
    at = open_app(year="2023")
    at.switch_page(str(ROOT / "views" / "goal.py")).run()
    assert not at.exception
    keys = {b.key for b in at.get("download_button")} | {b.key for b in at.button}
    assert "goal.export.btn.xlsx" in keys and "goal.export.btn.pdf_make" in keys
    at.button(key="goal.export.btn.pdf_make").click().run()
    assert not at.exception and "goal.export.btn.pdf" in {b.key for b in at.get("download_button")}
    data = at.session_state["goal.export.pdf_bytes"][1]
    assert data.startswith(b"%PDF") and b"/Count" in data
