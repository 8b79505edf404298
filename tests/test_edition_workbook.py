"""The official PAPI provincial workbook, built here with openpyxl after DOMAIN.md's description (no official
file can be fetched): its layout is read exactly, and a shuffled or unrecognised one is refused."""
import io

import numpy as np
import openpyxl
import pytest

from formats.edition import read_edition
from sim.editions import add_year
from sim.scenario import baseline

# How the workbook spells some provinces: odd spacing, case, hyphens, a "TP." prefix, other tone placement.
SPELLING = {"Thua Thien-Hue": "Thừa Thiên  Huế", "Ho Chi Minh City": "TP. Hồ Chí Minh", "Dak Lak": "ĐẮK LẮK",
            "Son La": " Sơn La ", "Hoa Binh": "Hoà Bình", "Thanh Hoa": "Thanh Hoá", "Ba Ria-Vung Tau": "Bà Rịa-Vũng Tàu",
            "Ha Noi": "Hà  Nội"}
KINDS = ("Unweighted / Không trọng số", "Weighted / Có trọng số", "95% CI (lower)", "95% CI (upper)", "Standard Error")


def unit_of(name: str) -> str:
    """A stand-in for the 34-unit mapping: Son La keeps its name, the others are paired off."""
    return "Sơn La" if name == "Son La" else f"Đơn vị {hash(name) % 30 + 1}"


def layout(ds, year=2024, sheet_year=None, recent=True, labels="vi", subs=True, values=None):
    """The sheet as a list of rows: 4 metadata rows, the header, then one block per indicator."""
    table = ds.table(2024)
    names = [p.name for p in ds.provinces]                    # every province; missing ones stay empty
    cols = []
    for i, n in enumerate(names):
        cols.append(n)
        if i % 10 == 9:
            cols.append(None)                                 # a blank separator column
    width = 2 + len(cols) + 1

    def row(label, scale=None, fn=None):
        r = [label, scale]
        for n in cols:
            r.append(None if n is None or fn is None or n not in table.provinces else fn(n))
        return r + [None]

    values = values or {}
    def dim(n, c):
        return values.get((n, c), float(table.dims[table.index(n), table.dim_codes.index(c)]))
    rows = [
        ["Mã tỉnh mới / New province code", None, *[None if n is None else i for i, n in enumerate(cols)], None],
        ["Tỉnh, thành mới (34 đơn vị) / New province (34 units)", None, *[None if n is None else unit_of(n) for n in cols], None],
        ["Nghị quyết 202/2025/QH15", *[None] * (width - 1)],
        ["Vùng / Region", None, *[None if n is None else ds.province(n).region for n in cols], None],
        ["Chỉ tiêu / Indicator", "Thang điểm/Scale", *[None if n is None else SPELLING.get(n, ds.province(n).name_vi)
                                                      for n in cols], "Toàn quốc / National"],
    ]

    def block(label, fn, scale="1-10"):
        if not recent:
            rows.append(row(label, scale, fn))
            return
        rows.append(row(label, scale))
        for k, kind in enumerate(KINDS):
            shift = (0.0, 0.37, -0.2, 0.2, -5.0)[k]
            rows.append(row(kind, None, (lambda n, f=fn, s=shift: f(n) + s if s > -5 else 0.05)))

    block("d101: Kiến thức về chức danh / Knowledge of elected positions", lambda n: 0.5, "0-1")
    for c in table.dim_codes:
        label = f"Chỉ số nội dung {c}: {ds.indicator(c, 2024).name_vi}" if labels == "vi" else \
            f"Dimension {c}: {ds.indicator(c, 2024).name_en}"
        if labels == "both":
            label = f"Chỉ số nội dung {c} / Dimension {c}"
        block(label, lambda n, c=c: dim(n, c))
        block(f"d{c}02: Another indicator / Chỉ tiêu khác", lambda n: 0.7, "0-1")
    block("Tổng điểm PAPI / PAPI total", lambda n: values.get((n, "total"), float(table.total[table.index(n)])), "8-80")
    if subs:
        for code in ("6.1", "6.2", "6.3", "6.4"):
            block(f"Nội dung thành phần {code} / Sub-dimension {code}",
                  lambda n: round(dim(n, "6") / 4, 4) if code != "6.4" else round(dim(n, "6") - 3 * round(dim(n, "6") / 4, 4), 4),
                  "0.25-2.5")
    return rows


def to_xlsx(rows, sheet="2024_VIE_ENG") -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Giới thiệu"
    ws = wb.create_sheet(sheet)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read(ds, rows, sheet="2024_VIE_ENG", year=None):
    return read_edition(to_xlsx(rows, sheet), "2024PAPI_ProvincialIndicators.xlsx", ds, year)


@pytest.mark.parametrize("labels", ["vi", "en", "both"])
def test_official_layout_reads_the_unweighted_rows(ds, labels):
    ed = read(ds, layout(ds, labels=labels))
    assert ed.valid, [p.message("en") for p in ed.problems]
    table = ds.table(2024)
    assert ed.year == 2024 and ed.kind == "xlsx"
    assert {r.province for r in ed.rows} == set(table.provinces)   # odd spellings matched, missing ones left out
    for r in ed.rows:
        np.testing.assert_allclose([v for _, v in r.dims], table.dims[table.index(r.province)], atol=1e-12)
        assert r.total == pytest.approx(float(table.total[table.index(r.province)]))


def test_sub_dimension_blocks_are_read(ds):
    ed = read(ds, layout(ds))
    son_la = next(r for r in ed.rows if r.province == "Son La")
    assert [c for c, _ in son_la.subs] == ["6.1", "6.2", "6.3", "6.4"]
    assert sum(v for _, v in son_la.subs) == pytest.approx(dict(son_la.dims)["6"], abs=1e-4)


def test_2018_style_one_row_per_indicator(ds):
    ed = read(ds, layout(ds, recent=False, subs=False))
    assert ed.valid, [p.message("en") for p in ed.problems]
    assert len(ed.rows) == len(ds.table(2024).provinces)


def test_the_34_unit_mapping_rows_are_read(ds):
    ed = read(ds, layout(ds))
    units = dict(ed.units)
    assert len(units) == len(ds.provinces) and units["Son La"] == "Sơn La"
    assert len(set(units.values())) <= 34


def test_a_new_year_from_the_workbook_becomes_a_session_year(ds):
    values = {(n, c): float(v) + 0.1 for n in ds.table(2024).provinces
              for c, v in zip(ds.table(2024).dim_codes, ds.table(2024).dims[ds.table(2024).index(n)])}
    values.update({(n, "total"): round(sum(values[(n, c)] for c in ds.table(2024).dim_codes), 4)
                   for n in ds.table(2024).provinces})
    ed = read(ds, layout(ds, values=values), sheet="2025_VIE_ENG")
    assert ed.valid and ed.year == 2025
    new = add_year(ds, ed.year, ed.rows, "workbook")
    assert 2025 in new.years and 2025 not in ds.years
    assert baseline(new, 2025, "Son La").total == pytest.approx(baseline(ds, 2024, "Son La").total + 0.8, abs=2e-4)


def _without_sheet(ds):
    return to_xlsx(layout(ds), sheet="Sheet1")


def _swap_label_column(rows):
    """Columns shuffled: the provinces first, the labels in the middle."""
    return [[r[2], r[1], r[0], *r[3:]] for r in rows]


def _kind_rows_first(rows):
    """Rows shuffled: an Unweighted row moved above every indicator label."""
    body = rows[5:]
    i = next(k for k, r in enumerate(body) if str(r[0]).startswith("Unweighted"))
    return rows[:5] + [body[i]] + body[:i] + body[i + 1:]


def _drop_dimension(rows, code="4"):
    out, skip = [], False
    for r in rows:
        label = str(r[0] or "")
        if label.startswith(("Chỉ số nội dung", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "Tổng")):
            skip = label.startswith(f"Chỉ số nội dung {code}")
        if not skip:
            out.append(r)
    return out


def _no_unweighted(rows, code="3"):
    out, inside = [], False
    for r in rows:
        label = str(r[0] or "")
        if label.startswith(("Chỉ số nội dung", "d")):
            inside = label.startswith(f"Chỉ số nội dung {code}")
        if not (inside and label.startswith("Unweighted")):
            out.append(r)
    return out


def _no_header(rows):
    return [[("Ghi chú / Notes" if v == "Thang điểm/Scale" else v) for v in r] for r in rows]


def _out_of_scale(ds):
    rows = layout(ds)
    header = rows[4]
    j = next(k for k, v in enumerate(header) if v == SPELLING["Son La"])
    i = next(k for k, r in enumerate(rows) if str(r[0]).startswith("Chỉ số nội dung 2")) + 1   # its Unweighted row
    rows[i][j] = 12.5
    return rows, i + 1, openpyxl.utils.get_column_letter(j + 1)


REFUSED = [
    ("no_sheet", lambda ds: read_edition(_without_sheet(ds), "x.xlsx", ds), "edition.wb_no_sheet", None, None),
    ("labels_not_in_column_a", lambda ds: read(ds, _swap_label_column(layout(ds))), "edition.wb_layout", 5, "A"),
    ("rows_shuffled", lambda ds: read(ds, _kind_rows_first(layout(ds))), "edition.wb_orphan_row", 6, "A"),
    ("dimension_missing", lambda ds: read(ds, _drop_dimension(layout(ds))), "edition.wb_missing_dimension", None, None),
    ("no_unweighted_row", lambda ds: read(ds, _no_unweighted(layout(ds))), "edition.wb_no_unweighted", None, "A"),
    ("no_scale_header", lambda ds: read(ds, _no_header(layout(ds))), "edition.wb_no_header", None, None),
    ("damaged_zip", lambda ds: read_edition(to_xlsx(layout(ds))[:3000], "x.xlsx", ds), "edition.not_spreadsheet", None, None),
    ("sheet_year_differs", lambda ds: read(ds, layout(ds), year=2023), "edition.year_mismatch", None, None),
]


@pytest.mark.parametrize("case", REFUSED, ids=[c[0] for c in REFUSED])
def test_unrecognised_workbooks_are_refused_saying_what_was_expected(ds, case):
    _, build, key, row, column = case
    ed = build(ds)
    assert not ed.valid and ed.rows == ()
    if key is not None:
        assert key in [p.key for p in ed.problems], [p.message("en") for p in ed.problems]
        p = next(p for p in ed.problems if p.key == key)
        assert (row is None or p.row == row) and p.column == column
    for lang in ("vi", "en"):
        assert all(p.message(lang) and "{" not in p.message(lang) for p in ed.problems)


def test_a_bad_value_is_placed_at_its_excel_row_and_column(ds):
    rows, row, letter = _out_of_scale(ds)
    ed = read(ds, rows)
    assert [(p.key, p.row, p.column) for p in ed.problems] == [("edition.out_of_scale", row, letter)]


def test_an_unknown_province_column_is_named_with_suggestions(ds):
    rows = layout(ds)
    j = rows[4].index(SPELLING["Son La"])
    rows[4][j] = "Sơn Laa"
    ed = read(ds, rows)
    p = next(p for p in ed.problems if p.key == "edition.unknown_province")
    assert (p.row, p.column) == (5, openpyxl.utils.get_column_letter(j + 1))
    assert "Son La" in dict(p.params)["suggestions"]
