"""A catalogue of malformed edition files, one row each: the specific problem (message key, row, column) it
must yield, and the proof that nothing was added. A new defect becomes a new row here, never a new file."""
import hashlib
import io
import zipfile

import pytest

from commands.common import EditionRefused, add_editions
from formats.edition import MAX_BYTES, MAX_ROWS, read_edition, template_csv
from sim.data import DATA_DIR
from sim.i18n import LANGS
from tests.edition_files import shifted_rows, to_csv

SUBS6 = ["s6.1", "s6.2", "s6.3", "s6.4"]


def base(ds):
    """The valid 2025 file without sub-dimension columns: header, rows, and Son La's line number."""
    header, rows = shifted_rows(ds)
    keep = [j for j, h in enumerate(header) if not h.startswith("s")]
    header, rows = [header[j] for j in keep], [[r[j] for j in keep] for r in rows]
    line = 2 + next(i for i, r in enumerate(rows) if r[0] == "Son La")
    return header, rows, line


def col(header, name):
    return header.index(name)


def edit(ds, change):
    """The base file with ``change(header, rows, i)`` applied (i = Son La's row index), as UTF-8 bytes."""
    header, rows, line = base(ds)
    change(header, rows, line - 2)
    return to_csv(header, rows).encode("utf-8")


def set_cell(name, value):
    def change(header, rows, i):
        rows[i][col(header, name)] = value
    return change


def add_subs(values, header_codes=SUBS6):
    """Sub-dimension columns for dimension 6; Son La's row gets ``values``, the others stay empty."""
    def change(header, rows, i):
        header += header_codes
        for r in rows:
            r += [""] * len(header_codes)
        rows[i][-len(header_codes):] = values
    return change


def son_la_subs(ds, delta=0.0):
    """Son La's dimension 6 split in four equal parts (each rounded), the first moved by ``delta``."""
    header, rows, line = base(ds)
    d6 = float(rows[line - 2][col(header, "d6")])
    parts = [round(d6 / 4, 4)] * 3
    parts.append(round(d6 - sum(parts), 4))
    parts[0] = round(parts[0] + delta, 4)
    return parts


def xls_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    return buf.getvalue()


def son_la_line(ds):
    return base(ds)[2]


def line_of(ds, province):
    return 2 + next(i for i, r in enumerate(base(ds)[1]) if r[0] == province)


# (id, build(ds) -> (bytes, filename, given year), key, row or callable(ds), column)
L = son_la_line
CASES = [
    ("empty", lambda ds: (b"", "e.csv", None), "edition.empty", None, None),
    ("only_bom_and_blank_lines", lambda ds: (b"\xef\xbb\xbf\n\n", "e.csv", None), "edition.empty", None, None),
    ("header_only", lambda ds: (b"province,total,d1,d2,d3,d4,d5,d6,d7,d8,year\n", "h.csv", None),
     "edition.no_rows", None, None),
    ("blank_template", lambda ds: (template_csv(ds, 2025).encode(), "papi_2025.csv", None), "edition.no_scores",
     None, None),
    ("oversized", lambda ds: (b"province\n" + b"x" * MAX_BYTES, "big.csv", None), "edition.too_large", None, None),
    ("too_many_rows", lambda ds: (b"province,d1\n" + b"Son La,5\n" * (MAX_ROWS + 1), "long.csv", 2025),
     "edition.too_many_rows", None, None),
    ("binary_png", lambda ds: (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "x.csv", None),
     "edition.not_text", None, None),
    ("pdf", lambda ds: (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "x.csv", None), "edition.not_text", None, None),
    ("old_xls", lambda ds: (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "x.xls", None),
     "edition.old_xls", None, None),
    ("zip_not_workbook", lambda ds: (xls_zip(), "x.xlsx", None), "edition.not_spreadsheet", None, None),
    ("windows_1258", lambda ds: ("province,d1\nSon La,5\nHà Nam,5\n".encode("cp1258"), "x.csv", 2025),
     "edition.not_utf", 3, None),
    ("utf32", lambda ds: ("province,d1\n".encode("utf-32"), "x.csv", None), "edition.utf32", None, None),
    ("missing_column", lambda ds: (to_csv(*[[h for h in base(ds)[0] if h != "d5"],
                                            [[v for h, v in zip(base(ds)[0], r) if h != "d5"] for r in base(ds)[1]]])
                                   .encode(), "x.csv", None), "edition.missing_column", 1, "d5"),
    ("extra_column", lambda ds: (edit(ds, lambda h, rows, i: (h.append("notes"), [r.append("x") for r in rows])),
                                 "x.csv", None), "edition.unknown_column", 1, "notes"),
    ("duplicate_header", lambda ds: (edit(ds, lambda h, rows, i: (h.append("d3"), [r.append(5) for r in rows])),
                                     "x.csv", None), "edition.duplicate_column", 1, "d3"),
    ("unnamed_column_with_values", lambda ds: (edit(ds, lambda h, rows, i: (h.append(""), [r.append(1) for r in rows])),
                                               "x.csv", None), "edition.unnamed_column", 1, "#14"),
    ("unknown_province", lambda ds: (edit(ds, set_cell("province", "Son Laa")), "x.csv", None),
     "edition.unknown_province", L, "province"),
    ("duplicate_province", lambda ds: (edit(ds, set_cell("province", "Ha Noi")), "x.csv", None),
     "edition.duplicate_province", lambda ds: max(L(ds), line_of(ds, "Ha Noi")), "province"),
    ("empty_province", lambda ds: (edit(ds, set_cell("province", " ")), "x.csv", None), "edition.empty_value", L, "province"),
    ("not_a_number", lambda ds: (edit(ds, set_cell("d2", "abc")), "x.csv", None), "edition.not_a_number", L, "d2"),
    ("nan", lambda ds: (edit(ds, set_cell("d7", "nan")), "x.csv", None), "edition.not_a_number", L, "d7"),
    ("infinity", lambda ds: (edit(ds, set_cell("d1", "inf")), "x.csv", None), "edition.not_a_number", L, "d1"),
    ("two_commas", lambda ds: (edit(ds, set_cell("d8", "4,1,5")), "x.csv", None), "edition.not_a_number", L, "d8"),
    ("above_scale", lambda ds: (edit(ds, set_cell("d4", "11")), "x.csv", None), "edition.out_of_scale", L, "d4"),
    ("below_scale", lambda ds: (edit(ds, set_cell("d4", "0.5")), "x.csv", None), "edition.out_of_scale", L, "d4"),
    ("total_off_scale", lambda ds: (edit(ds, set_cell("total", "100")), "x.csv", None), "edition.out_of_scale", L, "total"),
    ("total_mismatch", lambda ds: (edit(ds, set_cell("total", "44.1")), "x.csv", None),
     "edition.total_mismatch", L, "total"),
    ("empty_dimension", lambda ds: (edit(ds, set_cell("d6", "")), "x.csv", None), "edition.empty_value", L, "d6"),
    ("field_count", lambda ds: (edit(ds, lambda h, rows, i: rows[i].append("7")), "x.csv", None),
     "edition.field_count", L, None),
    ("no_year", lambda ds: (edit(ds, lambda h, rows, i: (h.pop(), [r.pop() for r in rows])), "x.csv", None),
     "edition.no_year", None, None),
    ("mixed_years", lambda ds: (edit(ds, set_cell("year", "2026")), "x.csv", None), "edition.year_mismatch", L, "year"),
    ("year_differs_from_given", lambda ds: (edit(ds, lambda h, rows, i: None), "x.csv", 2026),
     "edition.year_mismatch", 2, "year"),
    ("bad_year_cell", lambda ds: (edit(ds, set_cell("year", "20x5")), "x.csv", None), "edition.bad_year_cell", L, "year"),
    ("year_before_2018", lambda ds: (edit(ds, lambda h, rows, i: [r.__setitem__(-1, 2017) for r in rows]), "x.csv", None),
     "edition.bad_year", None, None),
    ("rank_not_whole", lambda ds: (edit(ds, set_cell("rank", "first")), "x.csv", None), "edition.not_whole", L, "rank"),
    ("group_out_of_range", lambda ds: (edit(ds, set_cell("group", "5")), "x.csv", None), "edition.not_whole", L, "group"),
    ("subs_do_not_sum", lambda ds: (edit(ds, add_subs(son_la_subs(ds, 0.01))), "x.csv", None),
     "edition.subs_do_not_sum", L, "s6.1"),
    ("sub_set_incomplete_in_header", lambda ds: (edit(ds, add_subs(son_la_subs(ds)[:3], SUBS6[:3])), "x.csv", None),
     "edition.missing_column", 1, "s6.4"),
    ("sub_set_partly_empty", lambda ds: (edit(ds, add_subs(son_la_subs(ds)[:3] + [""])), "x.csv", None),
     "edition.empty_value", L, "s6.4"),
    ("sub_off_scale", lambda ds: (edit(ds, add_subs([3.0, 2.0, 1.5, 1.0])), "x.csv", None),
     "edition.out_of_scale", L, "s6.1"),
    ("sub_not_in_force", lambda ds: (edit(ds, add_subs([""], ["s5.2"])), "x.csv", None),
     "edition.unknown_column", 1, "s5.2"),
]


def _fingerprint(ds):
    files = sorted(DATA_DIR.glob("*.csv"))
    return (ds.years, {y: id(t) for y, t in ds.tables.items()}, len(ds.structure), len(ds.sources),
            [hashlib.sha256(f.read_bytes()).hexdigest() for f in files])


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_malformed_file_yields_its_problem_and_changes_nothing(ds, case, tmp_path):
    _, build, key, row, column = case
    data, name, year = build(ds)
    row = row(ds) if callable(row) else row
    before = _fingerprint(ds)
    ed = read_edition(data, name, ds, year)
    assert not ed.valid and ed.rows == ()
    assert (key, row, column) in [(p.key, p.row, p.column) for p in ed.problems], ed.problems
    for lang in LANGS:
        assert all("{" not in p.message(lang) and "\n" not in p.message(lang) for p in ed.problems)
    path = tmp_path / name
    path.write_bytes(data)
    try:  # the CLI's --add: refused whole (with --year as a fallback year, the CLI may read a year column)
        added = add_editions(ds, [path], year)
    except EditionRefused:
        added = None
    assert added is None or year is not None
    assert _fingerprint(ds) == before


def test_the_catalogue_is_at_least_25_files():
    assert len(CASES) >= 25 and len({c[0] for c in CASES}) == len(CASES)


def test_unknown_province_suggests_the_closest_names(ds):
    ed = read_edition(edit(ds, set_cell("province", "Son Laa")), "x.csv", ds)
    p = next(p for p in ed.problems if p.key == "edition.unknown_province")
    assert "Son La" in dict(p.params)["suggestions"]


def test_every_problem_of_a_file_is_listed_not_only_the_first(ds):
    def change(header, rows, i):
        rows[i][col(header, "d2")] = "abc"
        rows[i + 1][col(header, "d4")] = "12"
        rows[i + 2][col(header, "province")] = "Atlantis"
    ed = read_edition(edit(ds, change), "x.csv", ds)
    line = son_la_line(ds)
    assert [(p.key, p.row) for p in ed.problems] == [("edition.not_a_number", line), ("edition.out_of_scale", line + 1),
                                                      ("edition.unknown_province", line + 2)]


# ---- variants that are accepted ------------------------------------------------------------------------

def _valid_text(ds):
    header, rows, _ = base(ds)
    return to_csv(header, rows)


ACCEPTED = [
    ("utf8", lambda ds: _valid_text(ds).encode("utf-8")),
    ("utf8_bom", lambda ds: _valid_text(ds).encode("utf-8-sig")),
    ("utf16_le_bom", lambda ds: _valid_text(ds).encode("utf-16")),
    ("utf16_be_bom", lambda ds: b"\xfe\xff" + _valid_text(ds).encode("utf-16-be")),
    ("excel_unicode_text_utf16_tabs", lambda ds: to_csv(base(ds)[0], base(ds)[1], "\t").encode("utf-16")),
    ("crlf", lambda ds: _valid_text(ds).replace("\n", "\r\n").encode()),
    ("semicolons_and_decimal_commas", lambda ds: to_csv(base(ds)[0], [[str(v).replace(".", ",") for v in r]
                                                                      for r in base(ds)[1]], ";").encode()),
    ("vietnamese_names_any_case", lambda ds: edit(ds, set_cell("province", "SƠN  LA"))),
    ("upper_case_headers", lambda ds: _valid_text(ds).replace("province,total,rank,group,d1", "Province,Total,Rank,Group,D1", 1).encode()),
    ("empty_total_is_the_sum", lambda ds: edit(ds, set_cell("total", ""))),
    ("empty_unnamed_trailing_column", lambda ds: edit(ds, lambda h, rows, i: (h.append(""), [r.append("") for r in rows]))),
    ("province_without_scores_is_missing", lambda ds: edit(ds, lambda h, rows, i: rows[i].__setitem__(
        slice(1, -1), [""] * (len(rows[i]) - 2)))),
    ("sub_dimensions_that_add_up", lambda ds: edit(ds, add_subs(son_la_subs(ds)))),
]


@pytest.mark.parametrize("case", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_accepted_variants(ds, case):
    ed = read_edition(case[1](ds), "ok.csv", ds)
    assert ed.valid, [p.message("en") for p in ed.problems]
    assert ed.year == 2025 and len(ed.rows) >= len(ds.table(2024).provinces) - 1


def test_a_province_left_without_scores_is_left_out(ds):
    data = dict(ACCEPTED)["province_without_scores_is_missing"](ds)
    ed = read_edition(data, "ok.csv", ds)
    assert "Son La" not in {r.province for r in ed.rows}
    assert len(ed.rows) == len(base(ds)[1]) - 1


def test_decimal_comma_reads_the_same_numbers(ds):
    a = read_edition(dict(ACCEPTED)["utf8"](ds), "a.csv", ds)
    b = read_edition(dict(ACCEPTED)["semicolons_and_decimal_commas"](ds), "b.csv", ds)
    assert a.rows == b.rows


def test_the_template_filled_in_is_a_valid_edition(ds):
    """The blank template (one row per province, a year column) with the scores written in."""
    header, rows, _ = base(ds)
    lines = template_csv(ds, 2025).splitlines()
    t_header = lines[0].split(",")
    scores = {r[0]: dict(zip(header, r)) for r in rows}
    filled = [",".join(t_header)]
    for line in lines[1:]:
        cells = dict(zip(t_header, line.split(",")))
        cells.update({k: str(v) for k, v in scores.get(cells["province"], {}).items() if k in t_header})
        filled.append(",".join(cells[h] for h in t_header))
    ed = read_edition("\n".join(filled).encode(), "papi_2025.csv", ds)
    assert ed.valid and ed.year == 2025 and len(ed.rows) == len(rows)
