"""The Excel workbook and the PDF brief: opened the way a reader opens them (openpyxl, pdftotext)."""
import datetime as dt
import io
import os
import shutil
import subprocess
import unicodedata

import openpyxl
import pytest

from formats.chart_png import to_png
from formats.pdf import to_pdf
from formats.xlsx import sheet_name, to_xlsx
from sim.compare_scenarios import MAX_SIDE_BY_SIDE
from sim.errors import InputError
from sim.goal import GoalRequest, Target, seek
from sim.i18n import fmt_num
from sim.report import national_rows, outcome_json, plan_json
from sim.scenario import Change, NamedScenario, Scenario, apply
from sim.realism import change_history

TODAY = dt.date(2026, 11, 26)
HOSTILE = "=HYPERLINK(\"http://x\",\"y\")"


def named(name, *changes, year=2024, province="Son La", note=""):
    return NamedScenario(name, Scenario(year, province, tuple(changes)), note)


FOUR = [named("Thắng nhanh", Change("5", 0.4), note="Sở Nội vụ"),
        named(HOSTILE, Change("8", 0.6), Change("3", 0.3)),
        named("Chính quyền điện tử", Change("8", 4.5, "target")),
        named("+0,5 trọng tâm", Change("5", 0.5), Change("3", 0.5), Change("8", 0.5))]


@pytest.fixture(scope="module")
def plan(ds):
    return seek(ds, GoalRequest(2024, "Son La", Target("rank", 15)), change_history(ds))


@pytest.fixture(scope="module")
def book(ds, plan):
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, FOUR, "vi", plan, TODAY)))


def _rows(ws):
    return {r[0].value: r for r in ws.iter_rows() if r[0].value is not None}


# ---- workbook ------------------------------------------------------------------------------------

def test_workbook_has_the_expected_sheets(book):
    assert book.sheetnames == ["So sánh", "Thắng nhanh", '=HYPERLINK("http x","y")', "Chính quyền điện tử",
                               "+0,5 trọng tâm", "Toàn quốc 2024 Sơn La", "Kế hoạch mục tiêu", "Nguồn và giả định"]


def test_comparison_numbers_are_sims_numbers(ds, book):
    rows = _rows(book["So sánh"])
    docs = [outcome_json(ds, apply(ds, n.scenario), "vi") for n in FOUR]
    totals = [c.value for c in rows["Tổng điểm"][1:]]
    assert totals == [docs[0]["baseline"]["total"]] + [d["scenario"]["total"] for d in docs]
    assert [c.value for c in rows["Hạng"][1:]] == [docs[0]["baseline"]["rank"]] + [d["scenario"]["rank"] for d in docs]
    assert [c.value for c in rows["8. Quản trị điện tử"][1:]] == \
        [docs[0]["baseline"]["dimensions"]["8"]] + [d["scenario"]["dimensions"]["8"] for d in docs]
    assert all(c.data_type == "n" and c.number_format == "0.0000" for c in rows["Tổng điểm"][1:])
    assert rows["Hạng"][1].number_format == "0"


def test_comparison_marks_the_best_value_of_a_row(book):
    cells = _rows(book["So sánh"])["Tổng điểm"][1:]
    best = max(cells, key=lambda c: c.value)
    assert best.font.b and not min(cells, key=lambda c: c.value).font.b


def test_scenario_sheet_holds_result_changes_and_groups(ds, book):
    o = apply(ds, FOUR[0].scenario)
    rows = _rows(book["Thắng nhanh"])
    assert [rows["Tổng điểm"][k].value for k in (1, 2)] == [round(o.baseline.total, 4), round(o.result.total, 4)]
    assert rows["Hạng"][2].value == o.result.rank and rows["Hạng"][3].value == o.baseline.rank - o.result.rank
    assert rows["Điểm cần thêm để vượt tỉnh ngay trên"][2].value == round(o.result.to_next_rank, 4)
    change = rows["5. Thủ tục hành chính công"]  # first the change row, then the dimension row (same label)
    dim = [r for r in book["Thắng nhanh"].iter_rows() if r[0].value == "5. Thủ tục hành chính công"]
    assert dim[0][5].value == 0.4 and dim[-1][5].value == o.result.dimension_groups["5"]
    assert change[0].value and rows["Ghi chú: Sở Nội vụ"]


def test_national_sheet_is_the_table_before_and_after(ds, book):
    o = apply(ds, FOUR[2].scenario)
    ws = book["Toàn quốc 2024 Sơn La"]
    body = [r for r in ws.iter_rows(min_row=4, values_only=True)]
    before = national_rows(o.national_baseline, ds.table(2024).dim_codes)
    assert [r[0] for r in body] == [ds.province(r["province"]).name_vi for r in before]
    after = {r["province"]: r for r in national_rows(o.national_result, ds.table(2024).dim_codes)}
    for row, ref in zip(body, before):  # columns: baseline (1-3), then 3 per scenario; FOUR[2] is the third
        a = after[ref["province"]]
        assert row[1:4] == (ref["total"], ref["rank"], ref["group"]) and row[10:13] == (a["total"], a["rank"], a["group"])


def test_plan_sheet_equals_the_plan(ds, plan, book):
    doc = plan_json(ds, plan, "vi")
    rows = _rows(book["Kế hoạch mục tiêu"])
    assert rows["Tổng điểm"][1].value == doc["total"] and rows["Hạng"][1].value == doc["rank"]
    for step in doc["plan"]:
        label = f"{step['code']}. {ds.indicator(step['code'], 2024).name_vi}"
        assert (rows[label][1].value, rows[label][2].value) == (step["from"], step["to"])


def test_formula_like_names_stay_text(book):
    ws = book['=HYPERLINK("http x","y")']
    cell = ws["A1"]
    assert cell.value == f"Kịch bản: {HOSTILE}" and cell.data_type == "s"
    head = [c for c in book["So sánh"][3] if c.value == HOSTILE][0]
    assert head.data_type == "s" and head.quotePrefix
    assert not [c for s in book for r in s.iter_rows() for c in r if c.data_type == "f"]


def test_a_formula_like_province_free_text_is_quoted(ds):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, [named("@SUM(A1)", note="-1+2")], "en", today=TODAY)))
    ws = wb.worksheets[1]
    assert ws.title == "@SUM(A1)"
    note = [c for r in ws.iter_rows() for c in r if c.value == "Note: -1+2"]
    assert note and note[0].data_type == "s"
    assert [c for c in wb["Comparison"][3] if c.value == "@SUM(A1)"][0].quotePrefix


def test_diacritics_are_intact_and_composed(ds):
    decomposed = unicodedata.normalize("NFD", "Kịch bản Sơn La")
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, [named(decomposed, Change("5", 0.4))], "vi", today=TODAY)))
    assert wb.sheetnames[1] == "Kịch bản Sơn La"
    assert wb["Nguồn và giả định"]["A1"].value == "Nguồn và giả định"
    assert any(c.value == "Sơn La" for c in wb["Toàn quốc 2024 Sơn La"]["A"])


def test_headers_are_frozen_and_columns_fit(book):
    for ws in book:
        assert ws.freeze_panes, ws.title
    ws = book["So sánh"]
    assert ws.column_dimensions["A"].width >= len("2. Công khai, minh bạch trong việc ra quyết định")


@pytest.mark.parametrize("wanted,used,expected", [
    ("a/b:c*d?e[f]g\\h", set(), "a b c d e f g h"),
    ("x" * 40, set(), "x" * 31),
    ("So sánh", {"so sánh"}, "So sánh (2)"),
    ("'quoted'", set(), "quoted"),
    ("   ", set(), "Kịch bản 1"),
    ("History", set(), "History (2)"),
])
def test_sheet_names_are_valid(wanted, used, expected):
    name = sheet_name(wanted, set(used), "Kịch bản 1")
    assert name == expected and len(name) <= 31


def test_english_workbook(ds):
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, FOUR[:1], "en", today=TODAY)))
    assert wb.sheetnames == ["Comparison", "Thắng nhanh", "National 2024 Son La", "Sources and assumptions"]


def test_mixed_provinces_get_a_baseline_each(ds):
    two = [named("A", Change("5", 0.4)), named("B", Change("5", 0.4), province="Ha Noi")]
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, two, "en", today=TODAY)))
    head = [c.value for c in wb["Comparison"][3]]
    assert head == ["Measure", "Baseline: Son La 2024", "A", "Baseline: Ha Noi 2024", "B"]
    assert "National 2024 Ha Noi" in wb.sheetnames


def test_no_scenario_is_refused(ds):
    with pytest.raises(InputError) as e:
        to_xlsx(ds, [], "vi")
    assert e.value.key == "export.no_scenarios"


# ---- brief ---------------------------------------------------------------------------------------

def _need(tool):
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} (poppler-utils) is required in CI")
        pytest.skip(f"{tool} (poppler-utils) not installed")


def pdf_text(data, tmp_path):
    _need("pdftotext")
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(data, tmp_path):
    _need("pdfinfo")
    path = tmp_path / "pages.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture(scope="module")
def brief_four(ds, plan):
    return to_pdf(ds, FOUR, "vi", plan, TODAY)


@pytest.fixture(scope="module")
def brief_one(ds):
    return to_pdf(ds, [named(unicodedata.normalize("NFD", "Cải cách hành chính"), Change("5", 0.4))], "vi", None, TODAY)


def test_brief_of_four_names_the_province_and_every_total(ds, brief_four, tmp_path):
    text = pdf_text(brief_four, tmp_path)
    assert "Sơn La" in text and "26/11/2026" in text
    for n in FOUR:
        assert fmt_num(apply(ds, n.scenario).result.total, "vi") in text


def test_brief_of_four_with_a_plan_has_at_most_six_pages(brief_four, tmp_path):
    # charts at a legible size (tests/test_visual_pdf.py) take more than the two pages they were squeezed into,
    # and the first scenario's story has the first page to itself (issue 20)
    assert brief_four.startswith(b"%PDF") and pdf_pages(brief_four, tmp_path) in (3, 4, 5, 6)


def test_brief_of_one_has_three_to_five_pages(ds, brief_one, tmp_path):
    assert pdf_pages(brief_one, tmp_path) in (3, 4, 5)
    total = apply(ds, Scenario(2024, "Son La", (Change("5", 0.4),))).result.total
    assert fmt_num(total, "vi") in pdf_text(brief_one, tmp_path)


def test_brief_text_is_composed_vietnamese(brief_one, tmp_path):
    text = pdf_text(brief_one, tmp_path)
    assert "Cải cách hành chính" in text and "Tóm tắt kịch bản PAPI" in text
    assert unicodedata.normalize("NFC", text) == text


def test_brief_embeds_the_shipped_font(brief_one):
    assert b"DejaVuSans" in brief_one


def test_brief_refuses_more_scenarios_than_fit(ds):
    with pytest.raises(InputError) as e:
        to_pdf(ds, FOUR * 2, "vi")
    assert e.value.key == "export.too_many" and str(MAX_SIDE_BY_SIDE) in e.value.message("en")


def test_chart_rendering_fetches_nothing():
    spec = {"data": {"url": "https://example.com/data.csv"}, "mark": "point",
            "encoding": {"x": {"field": "a", "type": "quantitative"}}}
    with pytest.raises(Exception):
        to_png(spec)


def test_moved_sub_dimensions_get_a_row(ds):
    two = [named("sub", Change("6.1", 0.2)), named("dim", Change("6", 0.3))]
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, two, "en", today=TODAY)))
    row = _rows(wb["Comparison"])[f"6.1. {ds.indicator('6.1', 2024).name_en}"]
    base = ds.table(2024).subs["Son La"]["6.1"]
    # the dimension-level scenario moved 6 as a whole: its sub-dimension is unknown, not the baseline
    assert [c.value for c in row[1:]] == [round(base, 4), round(base + 0.2, 4), None]


# ---- issue 16: the workbook and the brief as the committee reads them --------------------------------

LONG = named("Phương án B: ít nhất để vào nhóm cao nhất (5, 8)", Change("5", 1.0), Change("8", 0.5))
TOP = named("Phương án A", Change("5", 0.5), Change("3", 0.5), Change("8", 0.5))


@pytest.fixture(scope="module")
def top_book(ds):
    return openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, [TOP, LONG], "vi", today=TODAY)))


def test_a_long_name_gets_a_whole_sheet_name_and_its_full_name_in_a1(ds, top_book):
    assert top_book.sheetnames[1:3] == ["Phương án A", "Phương án B"]  # "Phương án B: ..." cut at its colon
    assert top_book["Phương án B"]["A1"].value == f"Kịch bản: {LONG.name}"
    plain_long = named("Kế hoạch cải cách thủ tục hành chính của tỉnh năm 2025", Change("5", 0.2))
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, [TOP, plain_long], "vi", today=TODAY)))
    assert wb.sheetnames[1:3] == ["Phương án A", "Kịch bản 2"] and wb["Kịch bản 2"]["A1"].value.endswith("năm 2025")


def test_top_group_scenarios_say_so_instead_of_a_blank(top_book):
    row = _rows(top_book["So sánh"])["Điểm cần thêm để lên nhóm trên"]
    assert [c.value for c in row[2:]] == ["đã ở nhóm cao nhất"] * 2
    sheet = _rows(top_book["Phương án A"])["Điểm cần thêm để lên nhóm trên"]
    assert sheet[2].value == "đã ở nhóm cao nhất" and isinstance(sheet[1].value, float)


def test_every_tie_of_the_best_is_bold(top_book):
    rows = _rows(top_book["So sánh"])
    for label in ("Tổng điểm", "Hạng", "Nhóm (1 = cao nhất)", "8. Quản trị điện tử"):
        cells = rows[label][1:]
        assert [c.font.b for c in cells] == [False, True, True], label


def test_best_counts_numpy_numbers_and_ignores_float_noise():
    import numpy as np

    from formats.summary import Row
    assert Row("group", "", "group", (np.int64(2), 1, np.int64(1)), "low").best() == {1, 2}
    assert Row("total", "", "score", (43.8876, 45.3876, 43.8876 + 1.0 + 0.5000000000001), "high").best() == {1, 2}


def test_sources_cite_the_official_dataset_in_the_users_language(ds, top_book, tmp_path):
    text = " ".join(str(c.value) for r in top_book["Nguồn và giả định"].iter_rows() for c in r if c.value)
    brief = " ".join(pdf_text(to_pdf(ds, [TOP], "vi", None, TODAY), tmp_path).split())
    for where in (text, brief):
        assert "Dữ liệu PAPI cấp tỉnh (CECODES, RTA, UNDP), papi.org.vn; tệp 2024PAPI_ProvincialIndicators; bản PAPI " \
               "2024" in where
        assert "github" not in where.lower() and "data/README.md" not in where and "built by" not in where
        assert "8 chỉ số nội dung 2011" not in where and "6 chỉ số, thang 6–60, năm 2011–2017" in where


def test_a_single_scenario_brief_titles_its_table_for_one(ds, tmp_path):
    text = pdf_text(to_pdf(ds, [TOP], "vi", None, TODAY), tmp_path)
    assert "Kịch bản so với hiện trạng" in text and "So sánh các kịch bản" not in text


def test_brief_writes_every_gap_at_one_precision(ds, tmp_path):
    text = " ".join(pdf_text(to_pdf(ds, [TOP, LONG], "vi", None, TODAY), tmp_path).split())
    o = apply(ds, TOP.scenario)
    assert fmt_num(o.baseline.to_next_rank, "vi", 4) in text and fmt_num(o.result.to_next_rank, "vi", 4) in text
    assert "đã ở nhóm cao nhất" in text


def test_a_total_typed_in_an_uploaded_edition_is_not_called_official_in_the_workbook(ds):
    from formats.edition import read_edition
    from sim.editions import add_year
    from tests.edition_files import shifted_csv
    ed = read_edition(shifted_csv(ds), "papi_2025.csv", ds, 2025)
    ds25 = add_year(ds, ed.year, ed.rows, source="papi_2025.csv")
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds25, [named("Thử", Change("5", 0.1), year=2025)], "vi")))
    rows = _rows(book["Thử"])
    assert [rows["Tổng điểm chính thức"][k].value for k in (1, 2)] == ["tổng điểm do người dùng tải lên"] * 2
    bundled = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, [named("Thử", Change("5", 0.1))], "vi")))
    assert _rows(bundled["Thử"])["Tổng điểm chính thức"][1].value == "có"


def test_the_paper_names_a_sub_dimension_as_the_screen_does(ds):
    from sim.words import indicator_label
    # the screen writes "CODE. name" for dimensions and sub-dimensions alike (ui/whatif.py, views/*.py)
    assert indicator_label(ds, "5.1", 2024, "vi") == f"5.1. {ds.indicator('5.1', 2024).name('vi')}"
    assert indicator_label(ds, "5", 2024, "vi") == f"5. {ds.indicator('5', 2024).name('vi')}"
