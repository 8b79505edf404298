"""``python -m sim export``: both formats written, a bad --out or pack refused in one line, exit 2."""
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from commands.export import parse_pack
from commands.main import run
from sim.errors import InputError
from sim.scenario import Change, Scenario, apply, parse_change
from tests.conftest import ROOT

SCENARIO = ("--year", "2024", "--province", "Son La", "--change", "5=+0.4")


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def pack(*scenarios, **top):
    doc = {"format": "papi-whatif-pack", "version": 1, "scenarios": list(scenarios)} | top
    return json.dumps(doc, ensure_ascii=False).encode()


GOOD = {"name": "Thắng nhanh", "note": "Sở Nội vụ", "year": 2024, "province": "Son La",
        "changes": [{"code": "5", "value": 0.4, "mode": "delta"}, {"code": "8", "value": 4.5, "mode": "target"}]}


def test_export_xlsx_writes_a_workbook_with_sims_total(ds, tmp_path):
    out = tmp_path / "plan.xlsx"
    code, text, err = cli("export", *SCENARIO, "--format", "xlsx", "--out", str(out), "--name", "Nhanh")
    assert code == 0 and err == "" and "plan.xlsx" in text
    total = apply(ds, Scenario(2024, "Son La", (parse_change("5=+0.4"),))).result.total
    ws = openpyxl.load_workbook(out)["Nhanh"]
    assert [r for r in ws.iter_rows() if r[0].value == "Tổng điểm"][0][2].value == round(total, 4)


def test_export_pdf_from_a_pack_with_a_plan(tmp_path):
    src, out = tmp_path / "pack.json", tmp_path / "brief.pdf"
    src.write_bytes(pack(GOOD, dict(GOOD, name="Hai", changes=[{"code": "3", "value": 0.3, "mode": "delta"}])))
    code, text, _ = cli("export", "--pack", str(src), "--format", "pdf", "--out", str(out), "--target-group", "1",
                        "--json")
    doc = json.loads(text)
    assert code == 0 and out.read_bytes().startswith(b"%PDF")
    assert doc["scenarios"] == ["Thắng nhanh", "Hai"] and doc["plan"] is True and doc["bytes"] == out.stat().st_size


def test_existing_out_is_refused_without_force(tmp_path):
    out = tmp_path / "plan.xlsx"
    out.write_bytes(b"keep me")
    code, _, err = cli("export", *SCENARIO, "--format", "xlsx", "--out", str(out), "--lang", "en")
    assert code == 2 and "--force" in err and out.read_bytes() == b"keep me"
    assert cli("export", *SCENARIO, "--format", "xlsx", "--out", str(out), "--force")[0] == 0
    assert out.read_bytes().startswith(b"PK")


@pytest.mark.parametrize("where", ["missing/dir/plan.xlsx", "."])
def test_bad_out_path_fails_in_one_line(tmp_path, where):
    target = tmp_path / where
    code, out, err = cli("export", *SCENARIO, "--format", "xlsx", "--out", str(target), "--lang", "en")
    assert code == 2 and out == "" and err.startswith("cannot write") and err.count("\n") == 1
    assert not list(tmp_path.glob(".export-*"))


def test_bad_out_path_has_no_traceback_as_a_process(tmp_path):
    r = subprocess.run([sys.executable, "-m", "sim", "export", *SCENARIO, "--format", "xlsx",
                        "--out", str(tmp_path / "no" / "x.xlsx")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.startswith("không ghi được tệp")


@pytest.mark.parametrize("args,needle", [
    ((), "--year and --province"),
    (("--pack", "x.json", "--year", "2024"), "cannot be combined"),
    (("--pack", "does-not-exist.json"), "cannot read the scenario pack"),
    (("--year", "2024", "--province", "Son Laa"), "Closest names: Son La"),
    (("--year", "2024", "--province", "Son La", "--change", "9=+1"), "no dimension 9"),
])
def test_bad_requests_exit_2(tmp_path, args, needle):
    code, _, err = cli("export", *args, "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"), "--lang", "en")
    assert code == 2 and needle in err and err.count("\n") == 1


# one row per defect: (id, pack bytes, the message key the reader answers with)
BAD_PACKS = [
    ("not json", b"{nope", "pack.not_json"),
    ("not utf-8", b"\xff\xfe", "pack.not_json"),
    ("wrong format", pack(GOOD, format="other"), "pack.bad_format"),
    ("future version", pack(GOOD, version=2), "pack.bad_version"),
    ("no scenarios", pack(), "export.no_scenarios"),
    ("year as text", pack(dict(GOOD, year="2024")), "pack.bad_field"),
    ("unknown province", pack(GOOD, dict(GOOD, name="Hai", province="Atlantis")), "pack.bad_field"),
    ("bad mode", pack(dict(GOOD, changes=[{"code": "5", "value": 0.4, "mode": "add"}])), "pack.bad_field"),
    ("name too long", pack(dict(GOOD, name="x" * 500)), "pack.bad_field"),
]


@pytest.mark.parametrize("raw,key", [r[1:] for r in BAD_PACKS], ids=[r[0] for r in BAD_PACKS])
def test_bad_packs_are_named(ds, raw, key):
    with pytest.raises(InputError) as e:
        parse_pack(raw, ds)
    assert e.value.key == key and "\n" not in e.value.message("vi")


def test_a_bad_pack_exits_2_in_one_line(tmp_path):
    src = tmp_path / "pack.json"
    src.write_bytes(pack(dict(GOOD, province="Atlantis")))
    code, _, err = cli("export", "--pack", str(src), "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"))
    assert code == 2 and err.startswith("kịch bản 1") and err.count("\n") == 1


def test_pack_reads_both_kinds_of_change_and_any_spelling(ds):
    got = parse_pack(pack(GOOD, dict(GOOD, name="Hai", province="sơn la",
                                     changes=[{"code": "6.1", "value": -0.2, "mode": "delta"}])), ds)
    assert got[0].scenario.changes == (Change("5", 0.4), Change("8", 4.5, "target"))
    assert got[1].scenario.province == "Son La" and got[1].scenario.changes == (Change("6.1", -0.2),)
    assert got[0].note == "Sở Nội vụ"


def test_a_pack_too_big_for_a_brief_is_refused_but_the_workbook_takes_it(tmp_path):
    src = tmp_path / "pack.json"
    src.write_bytes(pack(*[dict(GOOD, name=f"S{k}") for k in range(5)]))
    code, _, err = cli("export", "--pack", str(src), "--format", "pdf", "--out", str(tmp_path / "b.pdf"), "--lang", "en")
    assert code == 2 and "at most 4 scenarios" in err and not (tmp_path / "b.pdf").exists()
    assert cli("export", "--pack", str(src), "--format", "xlsx", "--out", str(tmp_path / "b.xlsx"))[0] == 0
    assert len(openpyxl.load_workbook(tmp_path / "b.xlsx").sheetnames) == 1 + 5 + 2
