import io
import json
import subprocess
import sys

import pytest

from commands.main import run
from tests.conftest import ROOT

STANDING_KEYS = {"year", "province", "total", "rank", "of", "group", "group_name", "dimensions", "dimension_groups"}


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = run(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_score_json(ds):
    code, out, _ = cli("score", "--year", "2023", "--province", "Sơn La", "--json", "--lang", "en")
    doc = json.loads(out)
    assert code == 0 and STANDING_KEYS <= doc.keys()
    assert (doc["total"], doc["rank"], doc["of"], doc["group"]) == (42.3966, 30, 61, 2)
    assert doc["group_name"] == "High-average" and doc["dimension_groups"]["8"] == 3
    assert set(doc["dimensions"]) == {str(c) for c in range(1, 9)}


def test_whatif_json_has_baseline_and_scenario(ds):
    code, out, _ = cli("whatif", "--year", "2023", "--province", "son la", "--change", "5=+0.4",
                       "--change", "8=4.5", "--json")
    doc = json.loads(out)
    assert code == 0
    assert STANDING_KEYS <= doc["baseline"].keys() and STANDING_KEYS <= doc["scenario"].keys()
    assert {"overtaken", "to_next_rank", "to_next_group", "warnings"} <= doc.keys()
    assert doc["scenario"]["total"] == round(42.3966 + 0.4 + (4.5 - 3.1295), 4)
    assert doc["scenario"]["rank"] < doc["baseline"]["rank"] and "Binh Thuan" in doc["overtaken"]
    assert doc["baseline"]["group_name"] == "Nhóm trung bình cao"


def test_whatif_warns_when_clamped():
    code, out, _ = cli("whatif", "--year", "2023", "--province", "Son La", "--change", "8=+9", "--json", "--lang", "en")
    w = json.loads(out)["warnings"]
    assert code == 0 and w[0]["kind"] == "clamped" and "outside the scale" in w[0]["message"]


def test_table_csv():
    code, out, _ = cli("table", "--year", "2023", "--csv")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "province,total,rank,group,d1,d2,d3,d4,d5,d6,d7,d8,year" and len(lines) == 62
    assert any(line.startswith("Son La,42.3966,30,2,") and line.endswith(",2023") for line in lines)


@pytest.mark.parametrize("args,needle", [
    (("score", "--year", "2023", "--province", "Son Laa", "--lang", "en"), "Closest names: Son La"),
    (("whatif", "--year", "2023", "--province", "Son La", "--change", "5=abc", "--lang", "en"), "cannot read the change"),
    (("score", "--year", "2030", "--province", "Son La", "--lang", "en"), "no PAPI data for 2030"),
    (("score", "--year", "2023", "--province", "Quang Ninh"), "không có điểm PAPI năm 2023"),
])
def test_bad_requests_exit_2_with_a_message(args, needle):
    code, out, err = cli(*args)
    assert code == 2 and needle in err and out == ""


def test_bad_data_folder_is_reported_not_raised(tmp_path):
    code, _, err = cli("score", "--year", "2023", "--province", "Son La", "--data", str(tmp_path), "--lang", "en")
    assert code == 2 and "structure.csv" in err and "missing" in err


def test_module_entry_point_exits_2_without_traceback():
    p = subprocess.run([sys.executable, "-m", "sim", "score", "--year", "x", "--province", "Son La"],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr and "--year" in p.stderr
    p = subprocess.run([sys.executable, "-m", "sim", "score", "--year", "2023", "--province", "Nowhere"],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_whatif_with_odds_adds_the_distribution_to_both_standings():
    args = ("whatif", "--year", "2023", "--province", "Son La", "--change", "5=+0.4", "--draws", "2000",
            "--seed", "7", "--target-rank", "15", "--json")
    code, out, _ = cli(*args)
    doc = json.loads(out)
    for which in ("baseline", "scenario"):
        s = doc[which]
        assert s["rank_p5"] <= s["rank_median"] <= s["rank_p95"]
        assert sum(s["p_group"].values()) == pytest.approx(1.0, abs=1e-3) and "15" in s["p_rank_at_most"]
    assert doc["scenario"]["p_rank_at_most"]["15"] >= doc["baseline"]["p_rank_at_most"]["15"]
    assert doc["uncertainty"]["seed"] == 7 and doc["uncertainty"]["draws"] == 2000
    assert json.loads(cli(*args)[1]) == doc  # same seed, same figures
    assert any(w["kind"] == "unusual_change" and w["code"] == "5" for w in doc["warnings"])


@pytest.mark.parametrize("extra,needle", [(("--draws", "10"), "draws"), (("--target-rank", "99"), "99"),
                                          (("--se", "5=9"), "standard error")])
def test_bad_odds_arguments_exit_2(extra, needle):
    code, _, err = cli("whatif", "--year", "2023", "--province", "Son La", "--draws", "1000", *extra, "--lang", "en")
    assert code == 2 and needle in err


def test_goal_json():
    code, out, _ = cli("goal", "--year", "2023", "--province", "Son La", "--target-rank", "15", "--json")
    doc = json.loads(out)
    assert code == 0 and {"plan", "total", "rank", "group", "reachable", "binding_caps"} <= doc.keys()
    assert doc["reachable"] and doc["rank"] <= 15 and doc["plan"]
    assert {"code", "from", "to", "change"} <= doc["plan"][0].keys()
    assert sum(s["share"] for s in doc["plan"]) == pytest.approx(1.0, abs=1e-3)


def test_goal_locks_caps_and_unreachable():
    code, out, _ = cli("goal", "--year", "2023", "--province", "Son La", "--target-rank", "1", "--lock", "1",
                       "--lock", "2", "--lock", "4", "--lock", "6", "--cap", "8=3.5", "--json")
    doc = json.loads(out)
    assert code == 0 and not doc["reachable"] and "8" in doc["binding_caps"]
    assert {s["code"] for s in doc["plan"]} == {"3", "5", "7", "8"}
    assert doc["limits"]["8"] == {"cap": 3.5, "reason": "user", "weight": doc["limits"]["8"]["weight"]}


@pytest.mark.parametrize("extra,needle", [(("--target-rank", "15", "--cap", "8=x"), "CODE=VALUE"),
                                          (("--target-rank", "15", "--lock", "12"), "no dimension 12"),
                                          (("--target-total", "99"), "outside the scale")])
def test_goal_bad_arguments_exit_2(extra, needle):
    code, _, err = cli("goal", "--year", "2023", "--province", "Son La", *extra, "--lang", "en")
    assert code == 2 and needle in err


def test_score_json_carries_sub_dimensions_with_their_groups_and_ranks(ds):
    code, out, _ = cli("score", "--year", "2024", "--province", "Ha Noi", "--json")
    doc = json.loads(out)
    assert code == 0 and set(doc["subdimensions"]) == set(ds.table(2024).sub_codes)
    assert set(doc["subdimension_groups"]) == set(doc["subdimension_ranks"]) == set(doc["subdimensions"])
    assert all(g in (1, 2, 3, 4) for g in doc["subdimension_groups"].values())


def test_whatif_moves_a_sub_dimension_of_any_province(ds):
    code, out, _ = cli("whatif", "--year", "2024", "--province", "Ha Noi", "--change", "5.3=+0.2", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["changes"][0]["level"] == "subdimension"
    assert doc["scenario"]["total"] == round(doc["baseline"]["total"] + 0.2, 4)
    assert doc["scenario"]["subdimensions"]["5.3"] == round(doc["baseline"]["subdimensions"]["5.3"] + 0.2, 4)


@pytest.mark.parametrize("year,code", [(2023, "5.2"), (2018, "8.3")])
def test_a_sub_dimension_that_does_not_exist_that_year_exits_2_naming_the_codes_that_do(year, code):
    rc, out, err = cli("whatif", "--year", str(year), "--province", "Son La", "--change", f"{code}=+0.1", "--lang", "en")
    assert rc == 2 and out == "" and "5.1" in err and "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize("change", [("5=+999",), ("5=-101",), ("5=+1", "5=+2"), ("5=abc",)])
def test_export_checks_its_changes_as_whatif_does(tmp_path, change):
    """Issue 16.5: export --change 5=+999 exited 0; it now refuses what whatif refuses, with the same line."""
    where = ("--year", "2024", "--province", "Son La", "--lang", "en")
    changes = [a for c in change for a in ("--change", c)]
    w_code, _, w_err = cli("whatif", *where, *changes)
    out = tmp_path / "brief.xlsx"
    code, _, err = cli("export", *where, *changes, "--format", "xlsx", "--out", str(out))
    assert (code, err) == (w_code, w_err) and code == 2 and err.count("\n") == 1 and not out.exists()


SL23 = ("--year", "2023", "--province", "Son La", "--json", "--lang", "en")


@pytest.mark.parametrize("command,option,comma", [
    ("goal", "--target-total", "45,5"),
    ("goal", "--probability", "0,8"),
    ("goal", "--cap", "8=4,5"),
    ("goal", "--weight", "8=2,5"),
    ("whatif", "--change", "5=+0,5"),
    ("whatif", "--change", "8=4,5"),
    ("whatif", "--se", "5=0,2"),
])
def test_every_cli_number_takes_a_decimal_comma_like_the_app(command, option, comma):
    """Defect 29: '45,5' was 'not a number' on the CLI while the app takes it; the comma and the point
    give the same document."""
    extra = {"--probability": ("--target-total", "45", "--draws", "200"), "--se": ("--draws", "200"),
             "--cap": ("--target-rank", "15"), "--weight": ("--target-rank", "15")}.get(option, ())
    runs = [cli(command, *SL23, *extra, option, value) for value in (comma, comma.replace(",", "."))]
    assert runs[0][0] == 0 and runs[0] == runs[1]


def test_export_and_peers_take_a_decimal_comma_too(tmp_path):
    code, _, err = cli("export", "--year", "2023", "--province", "Son La", "--format", "xlsx", "--target-total", "45,5",
                       "--out", str(tmp_path / "b.xlsx"))
    assert (code, err) == (0, "")
    peers = ("peers", "--province", "Son La", "--code", "8", "--from", "2019", "--to", "2024", "--json", "--similar")
    assert cli(*peers, "0,5") == cli(*peers, "0.5") and cli(*peers, "0,5")[0] == 0


def test_a_number_the_cli_cannot_read_is_still_one_line_in_the_users_language():
    code, _, err = cli("goal", "--year", "2023", "--province", "Son La", "--target-total", "45,x")
    assert code == 2 and err == "--target-total: '45,x' không phải là số\n"


@pytest.mark.parametrize("option,value", [("--seed", "0"), ("--target-rank", "0"), ("--seed", "5"),
                                          ("--target-rank", "3")])
def test_odds_options_without_draws_are_refused_even_when_zero(option, value):
    """Issue 17.10: --seed 0 and --target-rank 0 were silently ignored (0 == False) while --seed 5 was refused."""
    code, out, err = cli("whatif", "--year", "2023", "--province", "Son La", option, value, "--lang", "en")
    assert code == 2 and out == "" and err.count("\n") == 1 and option in err and "--draws" in err


COMMANDS = ("score", "whatif", "goal", "table", "levers", "trend", "peers", "validate", "template", "export")
ENGLISH_IN_HELP = ("usage:", "options:", "show this help", "PAPI year", "print JSON", "language of", "default",
                   "YEAR", "PROVINCE", "CODE")


def _help_text(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as done:
        run([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommands_help_is_in_vietnamese_by_default(capsys, command):
    """Defect 28: `python -m sim template --help` (and every --help) was English in the Vietnamese CLI."""
    text = _help_text(capsys, command)
    assert text.startswith("cách dùng: python -m sim " + command) and "tùy chọn:" in text
    assert "hiện trợ giúp này rồi thoát" in text
    assert not [w for w in ENGLISH_IN_HELP if w in text]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_option_of_every_command_has_help_from_the_locales(lang):
    import argparse
    from commands.main import build_parser
    parser = build_parser(lang)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert all(c.help for c in sub._choices_actions)
    for name, p in sub.choices.items():
        for action in p._actions:
            assert action.help, (lang, name, action.dest)
        assert all(g.title for g in p._action_groups)


def test_help_follows_lang_en(capsys):
    text = _help_text(capsys, "whatif", "--lang", "en")
    assert text.startswith("usage: python -m sim whatif") and "show this help message and exit" in text
    assert "odds (Monte Carlo; 2018 on):" in text and "--change CODE=±D|V" in text


def test_top_level_help_lists_the_commands_in_vietnamese(capsys):
    text = _help_text(capsys)
    assert "tham số theo vị trí:" in text and "bảng điểm toàn quốc của một năm" in text


def test_template_help_in_a_real_process_is_vietnamese():
    done = subprocess.run([sys.executable, "-m", "sim", "template", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "in mẫu CSV trống của một kỳ mới" in done.stdout and "--year NĂM" in done.stdout
