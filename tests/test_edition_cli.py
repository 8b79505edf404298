"""``python -m sim validate`` and ``--add``: exit codes, one-line messages in both languages, and the
``table --csv`` round trip."""
import io
import json
import subprocess
import sys

import pytest

from commands.main import run
from tests.conftest import ROOT
from tests.edition_files import dims_only_csv, shifted_csv


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run([str(a) for a in args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("year", range(2019, 2025))
def test_table_csv_round_trips_through_validate(tmp_path, year):
    code, text, _ = cli("table", "--year", year, "--csv")
    path = tmp_path / f"papi_{year}.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("validate", path, "--lang", "en")  # the year column: no --year needed (issue 16.4)
    assert (code, err) == (0, "")
    n = len(text.strip().splitlines()) - 1
    assert out.count("\n") == 1 and f"valid PAPI {year} edition, {n} provinces" in out and "(0 differ" in out


def test_table_csv_round_trips_through_validate_and_add_with_no_flag(ds, tmp_path):
    """Issue 16.4: validate refused what table --csv wrote ("missing year"); the file, given the next
    year (as a user starting a new edition from last year's table would), is added by --add and the app's
    reader alike."""
    from formats.edition import read_edition
    _, text, _ = cli("table", "--year", 2024, "--csv")
    path = tmp_path / "papi.csv"
    path.write_text(text, encoding="utf-8")
    assert cli("validate", path)[0] == 0
    new = tmp_path / "papi_2025.csv"
    new.write_text(text.replace(",2024\n", ",2025\n"), encoding="utf-8")
    code, out, err = cli("validate", new, "--lang", "en")
    assert (code, err) == (0, "") and "valid PAPI 2025 edition, 61 provinces" in out
    code, out, _ = cli("score", "--add", new, "--year", 2025, "--province", "Son La", "--json")
    assert code == 0 and json.loads(out)["total"] == ds.table(2024).total[ds.table(2024).index("Son La")]
    ed = read_edition(new.read_bytes(), new.name, ds)  # what the app's uploader calls
    assert ed.valid and ed.year == 2025


def test_valid_file_exits_0_with_one_line_in_vietnamese(ds, tmp_path):
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(shifted_csv(ds))
    code, out, err = cli("validate", path)
    assert code == 0 and err == "" and out.count("\n") == 1
    assert out.startswith("papi_2025.csv: kỳ PAPI 2025 hợp lệ, 61 tỉnh")


def _bad_file(ds, tmp_path):
    text = shifted_csv(ds).decode().replace("Son La,", "Son Laa,").replace(",Tay Ninh,", ",Tay Ninh,")
    lines = text.splitlines()
    lines[2] = lines[2].replace(lines[2].split(",")[5], "abc", 1)
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("lang,words", [("en", ("problems found: 2", "row 3, column d2", "unknown province 'Son Laa'")),
                                        ("vi", ("số lỗi tìm thấy: 2", "dòng 3, cột d2", "không nhận ra tỉnh 'Son Laa'"))])
def test_invalid_file_exits_2_listing_every_problem_one_line_each(ds, tmp_path, lang, words):
    code, out, err = cli("validate", _bad_file(ds, tmp_path), "--lang", lang)
    lines = err.strip().splitlines()
    assert code == 2 and out == "" and len(lines) == 3
    assert words[0] in lines[0] and words[1] in lines[1] and words[2] in lines[2]
    assert "Traceback" not in err


def test_validate_json_lists_problems_with_row_and_column(ds, tmp_path):
    code, out, _ = cli("validate", _bad_file(ds, tmp_path), "--json", "--lang", "en")
    doc = json.loads(out)
    assert code == 2 and doc["valid"] is False
    assert [(p["key"], p["row"], p["column"]) for p in doc["problems"]][0] == ("edition.not_a_number", 3, "d2")


def test_missing_file_is_one_line_exit_2(tmp_path):
    code, _, err = cli("validate", tmp_path / "nope.csv", "--lang", "en")
    assert code == 2 and err.strip().count("\n") == 0 and "cannot read the file" in err


def test_score_with_an_added_year(ds, tmp_path):
    path = tmp_path / "new2025.csv"
    path.write_bytes(shifted_csv(ds))
    code, out, _ = cli("score", "--add", path, "--year", 2025, "--province", "Son La", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["year"] == 2025
    assert doc["total"] == pytest.approx(round(ds.table(2024).dims[ds.table(2024).index("Son La")].sum() + 0.8, 4),
                                         abs=2e-4)


def test_add_refuses_a_bundled_year(tmp_path):
    _, text, _ = cli("table", "--year", 2023, "--csv")
    path = tmp_path / "again.csv"
    path.write_text(text, encoding="utf-8")
    code, _, err = cli("score", "--add", path, "--year", 2023, "--province", "Son La", "--lang", "en")
    assert code == 2 and "already in the data" in err and err.count("\n") == 1


def test_add_refuses_an_invalid_file_with_its_first_problem(ds, tmp_path):
    code, _, err = cli("table", "--add", _bad_file(ds, tmp_path), "--year", 2024, "--lang", "en")
    assert code == 2 and err.count("\n") == 1
    assert "bad.csv was not added (2 problems; the first: row 3, column d2" in err


def test_exit_codes_through_a_real_process(ds, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(shifted_csv(ds))
    ok = subprocess.run([sys.executable, "-m", "sim", "validate", str(good)], cwd=ROOT, capture_output=True, text=True)
    bad = subprocess.run([sys.executable, "-m", "sim", "validate", str(_bad_file(ds, tmp_path))], cwd=ROOT,
                         capture_output=True, text=True)
    assert (ok.returncode, bad.returncode) == (0, 2) and "Traceback" not in bad.stderr


def test_template_prints_the_table_header():
    code, out, _ = cli("template", "--year", 2025)
    _, table, _ = cli("table", "--year", 2024, "--csv")
    assert code == 0 and out.splitlines()[0] == table.splitlines()[0]
    assert len(out.splitlines()) == 64


def test_template_refuses_a_year_outside_the_framework():
    code, out, err = cli("template", "--year", 1999, "--lang", "vi")
    assert code == 2 and out == "" and err.count("\n") == 1 and "1999" in err


@pytest.mark.parametrize("code", ["1", "3", "5", "8"])
def test_peers_span_into_an_added_edition_with_dimensions_only(ds, tmp_path, code):
    """Defect 7: a 2025 file with the same 8 dimensions continues the series; the span 2024-2025 is not refused."""
    path = tmp_path / "papi_2025.csv"
    path.write_bytes(dims_only_csv(ds))
    rc, out, err = cli("peers", "--add", path, "--province", "Son La", "--code", code, "--from", "2024", "--to", "2025",
                       "--json")
    assert (rc, err) == (0, "")
    doc = json.loads(out)
    assert doc["from"] == 2024 and doc["to"] == 2025 and doc["considered"] > 50
