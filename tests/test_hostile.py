"""Hostile input, one table per front door: CLI arguments, --data folders, URL parameters, typed fields.

Every row is (id, input, expected exit code or notice, expected message key). Each case asserts the exit
code (or an on-screen notice and no exception), a one-line message in the user's language made from that
key, no traceback, no Markdown rendered from the user's text, and the data left as it was.
A new defect becomes a new row here, never a new ad-hoc test file.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from commands.main import run
from sim.data import DATA_DIR
from sim.load import load_dataset
from sim.i18n import catalogue
from sim.inputs import SEED_RANGE
from tests.conftest import ROOT
from tests.test_app import open_app

SL = ("--year", "2023", "--province", "Son La")
NINES = "9" * 400
NOWHERE = "/nonexistent-hostile-folder/plan.xlsx"  # a row that wrongly got past its check fails to write here
EXPORT = ("export", *SL, "--format", "xlsx", "--out", NOWHERE)  # xlsx: the PDF writer aborts the process


# ---------------------------------------------------------------- helpers

def key_regex(key: str, lang: str) -> str:
    """The text of ``key`` in ``lang`` as a regex, each {placeholder} matching anything."""
    parts = re.split(r"\{\w+\}", catalogue(lang)[key])
    return ".*?".join(re.escape(p) for p in parts)


def assert_message(text: str, key: str, lang: str) -> None:
    """``text`` is one line, made from ``key`` in ``lang`` (and not from the other language's text)."""
    assert "Traceback" not in text
    assert text.count("\n") <= 1 and "\r" not in text.rstrip("\n"), text
    assert re.search(key_regex(key, lang), text), (key, lang, text)
    other = "en" if lang == "vi" else "vi"
    if catalogue(other)[key] != catalogue(lang)[key]:
        assert not re.search(key_regex(key, other), text) or re.search(key_regex(key, lang), text)


def digest(folder: Path) -> str:
    """One hash of every file in a data folder: a run must leave its data exactly as it was."""
    h = hashlib.sha256()
    for f in sorted(folder.iterdir()):
        h.update(f.name.encode() + (f.read_bytes() if f.is_file() else b"<not a file>"))
    return h.hexdigest()


def cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def warning_kinds(out: str) -> set[str]:
    return {w["kind"] for w in json.loads(out)["warnings"]}


# ---------------------------------------------------------------- CLI arguments
# (id, argv, exit code, message key, language of the message, check of stdout for exit 0)

CLI_CASES = [
    ("year-not-a-number", ("score", "--year", "x", "--province", "Son La"), 2, "usage.bad_int", "vi", None),
    ("year-superscript-two", ("score", "--year", "²", "--province", "Son La", "--lang", "en"), 2, "usage.bad_int", "en", None),
    ("year-5000-digits", ("score", "--year", "9" * 5000, "--province", "Son La"), 2, "usage.bad_int", "vi", None),
    ("year-unknown", ("score", "--year", "2031", "--province", "Son La", "--lang", "en"), 2, "input.unknown_year", "en", None),
    ("unknown-option", ("score", *SL, "--bogus"), 2, "usage.unrecognized", "vi", None),
    ("unknown-option-en", ("score", *SL, "--bogus", "--lang", "en"), 2, "usage.unrecognized", "en", None),
    ("lang-with-equals", ("score", *SL, "--bogus", "--lang=en"), 2, "usage.unrecognized", "en", None),
    ("province-missing", ("score", "--year", "2023"), 2, "usage.required", "vi", None),
    ("no-command", (), 2, "usage.required", "vi", None),
    ("unknown-command", ("frobnicate",), 2, "usage.bad_choice", "vi", None),
    ("lang-unknown", ("score", *SL, "--lang", "xx"), 2, "usage.bad_choice", "vi", None),
    ("option-without-value", ("score", "--province", "Son La", "--year"), 2, "usage.expected_value", "vi", None),
    ("flag-with-value", ("score", *SL, "--json=1", "--lang", "en"), 2, "usage.no_value", "en", None),
    ("goal-group-5", ("goal", *SL, "--target-group", "5"), 2, "usage.bad_choice", "vi", None),
    ("goal-two-targets", ("goal", *SL, "--target-rank", "3", "--target-total", "45"), 2, "usage.not_allowed_with", "vi", None),
    ("goal-no-target", ("goal", *SL, "--lang", "en"), 2, "usage.one_of_required", "en", None),
    ("goal-total-not-a-number", ("goal", *SL, "--target-total", "abc"), 2, "usage.bad_float", "vi", None),
    ("province-with-newline", ("score", "--year", "2023", "--province", "Son\nLa\n# x"), 2, "input.unknown_province", "vi", None),
    ("province-5000-chars", ("score", "--year", "2023", "--province", "x" * 5000, "--lang", "en"), 2, "input.unknown_province", "en", None),
    ("province-escape-codes", ("score", "--year", "2023", "--province", "\x1b[31mRed\r"), 2, "input.unknown_province", "vi", None),
    ("province-no-score", ("score", "--year", "2023", "--province", "Quang Ninh"), 2, "input.no_data", "vi", None),
    # odds options that would be ignored without --draws
    ("target-rank-without-draws", ("whatif", *SL, "--target-rank", "5"), 2, "input.needs_draws", "vi", None),
    ("se-without-draws", ("whatif", *SL, "--se", "5=0.2", "--lang", "en"), 2, "input.needs_draws", "en", None),
    ("seed-without-draws", ("whatif", *SL, "--seed", "3"), 2, "input.needs_draws", "vi", None),
    ("trend-without-draws", ("whatif", *SL, "--trend"), 2, "input.needs_draws", "vi", None),
    ("noise-without-draws", ("whatif", *SL, "--survey-noise"), 2, "input.needs_draws", "vi", None),
    ("no-rivals-without-draws", ("whatif", *SL, "--no-rivals", "--lang", "en"), 2, "input.needs_draws", "en", None),
    ("seed-negative", ("whatif", *SL, "--draws", "1000", "--seed", "-1"), 2, "input.bad_seed", "vi", None),
    ("seed-2-to-the-32", ("whatif", *SL, "--draws", "1000", "--seed", str(2**32), "--lang", "en"), 2, "input.bad_seed", "en", None),
    ("seed-at-its-maximum", ("whatif", *SL, "--draws", "100", "--seed", str(SEED_RANGE[1]), "--json"), 0, None, "vi",
     lambda out: json.loads(out)["uncertainty"]["seed"] == SEED_RANGE[1]),
    ("draws-99", ("whatif", *SL, "--draws", "99"), 2, "input.bad_draws", "vi", None),
    ("draws-200001", ("whatif", *SL, "--draws", "200001", "--lang", "en"), 2, "input.bad_draws", "en", None),
    ("draws-negative", ("whatif", *SL, "--draws", "-5"), 2, "input.bad_draws", "vi", None),
    ("se-unknown-dimension", ("whatif", *SL, "--draws", "500", "--se", "9=0.2", "--lang", "en"), 2, "input.unknown_dimension", "en", None),
    ("se-of-a-sub-dimension", ("whatif", *SL, "--draws", "500", "--se", "5.1=0.2"), 2, "input.unknown_dimension", "vi", None),
    ("se-twice", ("whatif", *SL, "--draws", "500", "--se", "5=0.2", "--se", "5=0.3"), 2, "input.duplicate_option", "vi", None),
    ("se-as-a-change", ("whatif", *SL, "--draws", "500", "--se", "5=+0.2"), 2, "input.bad_pair", "vi", None),
    ("se-too-large", ("whatif", *SL, "--draws", "500", "--se", "5=3", "--lang", "en"), 2, "input.bad_se", "en", None),
    ("se-400-nines", ("whatif", *SL, "--draws", "500", "--se", f"5={NINES}"), 2, "input.not_finite", "vi", None),
    ("target-rank-0", ("whatif", *SL, "--draws", "500", "--target-rank", "0"), 2, "input.bad_target_rank", "vi", None),
    ("target-rank-999", ("whatif", *SL, "--draws", "500", "--target-rank", "999", "--lang", "en"), 2, "input.bad_target_rank", "en", None),
    ("odds-before-2018", ("whatif", "--year", "2017", "--province", "Son La", "--draws", "500"), 2, "input.odds_years", "vi", None),
    ("odds-json-has-standard-errors", ("whatif", *SL, "--draws", "1000", "--target-rank", "15", "--json"), 0, None, "vi",
     lambda out: {"p_group_se", "p_rank_at_most_se"} <= json.loads(out)["scenario"].keys()
     and json.loads(out)["uncertainty"]["mc_se_max"] == round(0.5 / 1000**0.5, 4)),
    # --change
    ("change-400-nines", ("whatif", *SL, "--change", f"5=+{NINES}", "--json"), 2, "input.not_finite", "vi", None),
    ("change-target-400-nines", ("whatif", *SL, "--change", f"5={NINES}", "--lang", "en"), 2, "input.not_finite", "en", None),
    ("change-101", ("whatif", *SL, "--change", "5=+101", "--lang", "en"), 2, "input.change_too_large", "en", None),
    ("change-minus-101", ("whatif", *SL, "--change", "5=-101"), 2, "input.change_too_large", "vi", None),
    ("change-twice", ("whatif", *SL, "--change", "5=+0.1", "--change", "5=+0.2"), 2, "input.duplicate_option", "vi", None),
    ("change-not-a-number", ("whatif", *SL, "--change", "5=abc", "--lang", "en"), 2, "input.bad_change", "en", None),
    ("change-nan", ("whatif", *SL, "--change", "5=nan"), 2, "input.bad_change", "vi", None),
    ("change-inf", ("whatif", *SL, "--change", "5=+inf"), 2, "input.bad_change", "vi", None),
    ("change-unknown-dimension", ("whatif", *SL, "--change", "9=+1"), 2, "input.unknown_dimension", "vi", None),
    ("change-dimension-and-sub", ("whatif", *SL, "--change", "6=+0.1", "--change", "6.1=+0.1"), 2, "input.dimension_and_sub", "vi", None),
    ("change-target-far-below", ("whatif", *SL, "--change", "5=0,4", "--json"), 0, None, "vi",
     lambda out: "target_below_baseline" in warning_kinds(out)),
    ("change-beyond-scale-is-clamped", ("whatif", *SL, "--change", "8=+9", "--json"), 0, None, "vi",
     lambda out: "clamped" in warning_kinds(out) and json.loads(out)["scenario"]["dimensions"]["8"] == 10.0),
    # goal
    ("cap-twice", ("goal", *SL, "--target-rank", "15", "--cap", "8=4", "--cap", "8=5", "--lang", "en"), 2, "input.duplicate_option", "en", None),
    ("weight-twice", ("goal", *SL, "--target-rank", "15", "--weight", "8=1", "--weight", "8=2"), 2, "input.duplicate_option", "vi", None),
    ("lock-twice", ("goal", *SL, "--target-rank", "15", "--lock", "4", "--lock", "4"), 2, "input.duplicate_option", "vi", None),
    ("cap-on-a-locked-dimension", ("goal", *SL, "--target-rank", "15", "--lock", "8", "--cap", "8=5"), 2, "input.locked_option", "vi", None),
    ("weight-on-a-locked-dimension", ("goal", *SL, "--target-rank", "15", "--lock", "8", "--weight", "8=2", "--lang", "en"), 2, "input.locked_option", "en", None),
    ("cap-400-nines", ("goal", *SL, "--target-rank", "15", "--cap", f"8={NINES}"), 2, "input.not_finite", "vi", None),
    ("weight-400-nines", ("goal", *SL, "--target-rank", "15", "--weight", f"8={NINES}", "--lang", "en"), 2, "input.goal_bad_weight", "en", None),
    ("weight-zero", ("goal", *SL, "--target-rank", "15", "--weight", "8=0"), 2, "input.goal_bad_weight", "vi", None),
    ("weight-above-1000", ("goal", *SL, "--target-rank", "15", "--weight", "8=1001"), 2, "input.goal_bad_weight", "vi", None),
    ("cap-below-baseline", ("goal", *SL, "--target-rank", "15", "--cap", "8=1"), 2, "input.bad_cap", "vi", None),
    ("cap-as-a-change", ("goal", *SL, "--target-rank", "15", "--cap", "8=+1"), 2, "input.bad_pair", "vi", None),
    ("probability-0", ("goal", *SL, "--target-rank", "15", "--probability", "0"), 2, "input.bad_probability", "vi", None),
    ("probability-1.5", ("goal", *SL, "--target-rank", "15", "--probability", "1.5", "--lang", "en"), 2, "input.bad_probability", "en", None),
    ("probability-nan", ("goal", *SL, "--target-rank", "15", "--probability", "nan"), 2, "input.not_finite", "vi", None),
    ("probability-inf", ("goal", *SL, "--target-rank", "15", "--probability", "inf"), 2, "input.not_finite", "vi", None),
    ("target-total-inf", ("goal", *SL, "--target-total", "inf"), 2, "input.not_finite", "vi", None),
    ("target-total-nan", ("goal", *SL, "--target-total", "nan", "--lang", "en"), 2, "input.not_finite", "en", None),
    ("target-total-99", ("goal", *SL, "--target-total", "99"), 2, "input.bad_target_total", "vi", None),
    ("target-total-400-nines", ("goal", *SL, "--target-total", NINES), 2, "input.not_finite", "vi", None),
    ("goal-draws-without-probability", ("goal", *SL, "--target-rank", "15", "--draws", "1000"), 2, "input.needs_probability", "vi", None),
    ("goal-seed-without-probability", ("goal", *SL, "--target-rank", "15", "--seed", "3", "--lang", "en"), 2, "input.needs_probability", "en", None),
    ("goal-draws-50", ("goal", *SL, "--target-rank", "15", "--probability", "0.8", "--draws", "50"), 2, "input.bad_draws", "vi", None),
    ("goal-seed-negative", ("goal", *SL, "--target-rank", "15", "--probability", "0.8", "--seed", "-3"), 2, "input.bad_seed", "vi", None),
    ("goal-rank-0", ("goal", *SL, "--target-rank", "0"), 2, "input.bad_target_rank", "vi", None),
    ("goal-rank-10-to-the-30", ("goal", *SL, "--target-rank", str(10**30)), 2, "input.bad_target_rank", "vi", None),
    ("goal-lock-unknown", ("goal", *SL, "--target-rank", "15", "--lock", "12", "--lang", "en"), 2, "input.unknown_dimension", "en", None),
    ("goal-human-names-dimensions", ("goal", *SL, "--target-rank", "15"), 0, None, "vi",
     lambda out: "Sơn La" in out and "Thủ tục hành chính công" in out),
    ("whatif-human-prints-top-k", ("whatif", *SL, "--draws", "1000", "--target-rank", "15", "--lang", "en"), 0, None, "en",
     lambda out: "P(top 15): " in out),
    ("levers-year-not-a-number", ("levers", "--year", "²", "--province", "Son La"), 2, "usage.bad_int", "vi", None),
    ("levers-unknown-province", ("levers", "--year", "2023", "--province", "[x](http://e)", "--lang", "en"), 2,
     "input.unknown_province", "en", None),
    ("table-unknown-year", ("table", "--year", "1999", "--csv"), 2, "input.unknown_year", "vi", None),
    ("table-human-vietnamese-names", ("table", "--year", "2023"), 0, None, "vi", lambda out: "Sơn La" in out),
    # export --name/--note take the app's bounds and text rule (the --out folder does not exist: nothing is written)
    ("export-name-noncharacter", (*EXPORT, "--name", "x\ufffe"), 2, "text.bad_char", "vi", None),
    ("export-name-ffff-en", (*EXPORT, "--name", "\uffffx", "--lang", "en"), 2, "text.bad_char", "en", None),
    ("export-name-10000-chars", (*EXPORT, "--name", "n" * 10_000), 2, "workshop.bad_name", "vi", None),
    ("export-name-clear-screen", (*EXPORT, "--name", "x\x1b[2J"), 2, "text.bad_char", "vi", None),
    ("export-name-not-utf8", (*EXPORT, "--name", "b\udcff"), 2, "text.bad_char", "vi", None),  # argv's b"\xff"
    ("export-name-bidi-override", (*EXPORT, "--name", "abc\u202edcba", "--lang", "en"), 2, "text.bad_char", "en", None),
    ("export-note-100000-chars", (*EXPORT, "--note", "n" * 100_000), 2, "workshop.bad_note", "vi", None),
    ("export-note-lone-surrogate", (*EXPORT, "--note", "\ud800"), 2, "text.bad_char", "vi", None),
    # only regular files, read with a bound
    ("validate-a-folder", ("validate", str(ROOT / "data")), 2, "limits.not_regular", "vi", None),
]


@pytest.mark.parametrize("argv,code,key,lang,check", [c[1:] for c in CLI_CASES], ids=[c[0] for c in CLI_CASES])
def test_cli_argument(argv, code, key, lang, check):
    before = digest(DATA_DIR)
    got, out, err = cli(*argv)
    assert got == code, err
    if key is None:
        assert err == "" and check(out)
    else:
        assert out == ""
        assert_message(err, key, lang)
    assert digest(DATA_DIR) == before


SPECIAL_FILE_CASES = [  # (id, argv with {file}, the special file: "fifo" or a device)
    ("validate-fifo", ("validate", "{file}"), "fifo"),
    ("add-fifo", ("score", *SL, "--add", "{file}"), "fifo"),
    ("export-pack-fifo", ("export", "--pack", "{file}", "--format", "xlsx", "--out", NOWHERE), "fifo"),
    ("export-pack-dev-zero", ("export", "--pack", "{file}", "--format", "xlsx", "--out", NOWHERE), "/dev/zero"),
    ("validate-dev-zero", ("validate", "{file}"), "/dev/zero"),
    ("add-dev-zero", ("score", *SL, "--add", "{file}"), "/dev/zero"),
]


@pytest.mark.parametrize("argv,special", [c[1:] for c in SPECIAL_FILE_CASES], ids=[c[0] for c in SPECIAL_FILE_CASES])
def test_a_special_file_is_refused_not_read(tmp_path, argv, special):
    """``mkfifo f; python -m sim validate f`` waited forever for a writer and ``--pack /dev/zero`` read 4 GiB in
    14 s; both are refused at once. Run in a child with a time and memory bound, so a regression fails the
    test instead of hanging or swapping the machine."""
    import os
    import resource
    import subprocess
    import sys
    path = tmp_path / "f" if special == "fifo" else Path(special)
    if special == "fifo":
        os.mkfifo(path)
    args = [a.replace("{file}", str(path)) for a in argv]
    limit = 1 << 31  # 2 GiB of address space: the CLI needs a few hundred MB

    def bound() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        done = subprocess.run([sys.executable, "-m", "sim", *args, "--lang", "en"], cwd=ROOT, capture_output=True,
                              text=True, timeout=60, preexec_fn=bound)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the command waited on {special}")
    assert done.returncode == 2 and done.stdout == ""
    assert_message(done.stderr, "limits.not_regular", "en")


def test_the_table_has_at_least_80_rows():
    assert len(CLI_CASES) + len(DATA_CASES) + len(URL_CASES) + len(FIELD_CASES) >= 80


# ---------------------------------------------------------------- scenario packs (the app's upload, export --pack)
# (id, pack text, message key, field the message names or None)

def pack_text(name: str = '"A"', value: str = "0.4", note: str = '""', extra: str = "") -> bytes:
    return ('{"format": "papi-whatif-pack", "version": 1, "scenarios": [{"name": %s, "note": %s, %s"year": 2023, '
            '"province": "Son La", "changes": [{"code": "5", "value": %s, "mode": "delta"}]}]}'
            % (name, note, extra, value)).encode("utf-8")


PACK_CASES = [
    ("value-400-digit-integer", pack_text(value=NINES), "workshop.bad_value", "changes[1].value"),
    ("value-negative-400-digits", pack_text(value="-" + NINES), "workshop.bad_value", "changes[1].value"),
    ("duplicate-name-key", pack_text(extra='"name": "Hidden", '), "pack.duplicate_key", None),
    ("duplicate-top-key", b'{"format": "papi-whatif-pack", "format": "papi-whatif-pack", "version": 1, "scenarios": []}',
     "pack.duplicate_key", None),
    ("name-lone-surrogate", pack_text(name=r'"\ud800"'), "text.bad_char", "name"),
    ("name-fffe", pack_text(name='"x\ufffe"'), "text.bad_char", "name"),
    ("name-ffff-escaped", pack_text(name=r'"x\uffff"'), "text.bad_char", "name"),
    ("name-c1-control", pack_text(name=r'"x\u0085y"'), "text.bad_char", "name"),
    ("name-bidi-isolate", pack_text(name=r'"x\u2067y"'), "text.bad_char", "name"),
    ("note-escape", pack_text(note=r'"\u001b[2J"'), "text.bad_char", "note"),
    ("note-fdd0", pack_text(note='"\ufdd0"'), "text.bad_char", "note"),
]


@pytest.mark.parametrize("raw,key,field", [c[1:] for c in PACK_CASES], ids=[c[0] for c in PACK_CASES])
def test_pack(ds, raw, key, field):
    from formats.pack import read_pack
    from sim.errors import InputError
    with pytest.raises(InputError) as e:
        read_pack(raw, ds)
    err = e.value
    assert (getattr(err, "problem", None) or err).key == key
    if field is not None:
        assert err.field == field
    for lang in ("vi", "en"):
        assert "\n" not in err.message(lang)
        err.message(lang).encode("utf-8")  # printable as it is: no lone surrogate echoed


# ---------------------------------------------------------------- --data folders
# Each row breaks one thing in a copy of data/ (a function of the folder), then runs one command on it.

def rewrite(folder: Path, name: str, fn) -> None:
    p = folder / name
    p.write_bytes(fn(p.read_bytes()))


def reencode(name: str, encoding: str):
    def go(folder: Path) -> None:
        rewrite(folder, name, lambda b: b.decode("utf-8").encode(encoding, errors="replace"))
    return go


def mac_roman_cr(name: str):
    """An old Mac file: Mac-Roman bytes and bare CR line ends (the error reporter used to crash on it)."""
    return lambda folder: rewrite(folder, name, lambda b: b.decode("utf-8").replace("\r\n", "\r").replace("\n", "\r")
                                  .encode("mac_roman", errors="replace"))


def decomposed_cp1258(folder: Path) -> None:
    import unicodedata
    rewrite(folder, "provinces.csv",
            lambda b: unicodedata.normalize("NFD", b.decode("utf-8")).encode("cp1258", errors="replace"))


def edit_lines(name: str, fn):
    """Apply ``fn(lines) -> lines`` to a file's text lines (header included)."""
    def go(folder: Path) -> None:
        p = folder / name
        lines = p.read_text(encoding="utf-8").splitlines()
        p.write_text("\n".join(fn(lines)) + "\n", encoding="utf-8")
    return go


def replace_text(name: str, old: str, new: str, count: int = -1):
    def go(folder: Path) -> None:
        p = folder / name
        text = p.read_text(encoding="utf-8")
        assert old in text
        p.write_text(text.replace(old, new, count), encoding="utf-8")
    return go


def edit_rows(folder: Path, fn) -> None:
    """Apply ``fn(file name, row as dict) -> row or None (dropped)`` to every CSV of the folder."""
    for p in sorted(folder.glob("*.csv")):
        rows = list(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8"))))
        if not rows:
            continue
        kept = [r for r in (fn(p.name, dict(r)) for r in rows) if r is not None]
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
        p.write_text(buf.getvalue(), encoding="utf-8")


SCORE_FILES = ("papi_scores.csv", "subdimensions.csv", "subdimension_exceptions.csv")


def keep_years(pred):
    """Keep the scores of the years ``pred`` accepts, in every score file."""
    return lambda folder: edit_rows(folder, lambda f, r: r if f not in SCORE_FILES or pred(int(r["year"])) else None)


def scores_row(fn):
    """Change the first Son La 2023 dimension-5 row of papi_scores.csv with ``fn(fields) -> fields``."""
    def go(folder: Path) -> None:
        p = folder / "papi_scores.csv"
        rows = list(csv.reader(io.StringIO(p.read_text(encoding="utf-8"))))
        i = next(k for k, r in enumerate(rows) if r[:4] == ["2023", "Son La", "dimension", "5"])
        rows[i] = fn(rows[i])
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(rows)
        p.write_text(buf.getvalue(), encoding="utf-8")
    return go


def set_field(col: int, value: str):
    return scores_row(lambda r: r[:col] + [value] + r[col + 1:])


def no_ranked_2023(folder: Path) -> None:
    """2023 without a total and without dimension 8 for anyone: nobody can be ranked that year."""
    def drop(f, r):
        gone = f in SCORE_FILES and r["year"] == "2023" and (r.get("level") == "total" or r["code"].split(".")[0] == "8")
        return None if gone else r
    edit_rows(folder, drop)


def rename_son_la(new: str):
    """Son La renamed in every file that names provinces."""
    return lambda folder: edit_rows(folder, lambda f, r: {**r, "province": new} if r.get("province") == "Son La" else r)


def table_csv_is_neutralised(name: str):
    def check(out: str) -> bool:
        cells = [r[0] for r in csv.reader(io.StringIO(out))]
        return "'" + name in cells and not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    return check


SCORE = ("score", *SL, "--json")
TABLE_CSV = ("table", "--year", "2023", "--csv")
# (id, breaks the folder, argv (``--data DIR`` is added), exit code, message key, check of stdout for exit 0)
DATA_CASES = [
    ("scores-utf16", reencode("papi_scores.csv", "utf-16"), SCORE, 2, "data.not_utf8", None),
    ("scores-utf32", reencode("papi_scores.csv", "utf-32"), SCORE, 2, "data.not_utf8", None),
    ("provinces-utf16-big-endian-bom", lambda f: rewrite(f, "provinces.csv", lambda b: b"\xfe\xff" + b.decode().encode("utf-16-be")),
     SCORE, 2, "data.not_utf8", None),
    ("provinces-latin1", reencode("provinces.csv", "latin-1"), SCORE, 2, "data.not_utf8", None),
    ("provinces-cp1258", decomposed_cp1258, SCORE, 2, "data.not_utf8", None),
    ("structure-latin1-cafe", lambda f: (replace_text("structure.csv", "Participation at Local Levels", "Café")(f),
                                         reencode("structure.csv", "latin-1")(f)), SCORE, 2, "data.not_utf8", None),
    ("scores-binary", lambda f: (f / "papi_scores.csv").write_bytes(bytes(range(256)) * 40), SCORE, 2, "data.binary_file", None),
    ("scores-nul-in-a-field", set_field(6, "abc\x00def"), SCORE, 2, "data.binary_file", None),
    ("scores-bad-byte-in-source", lambda f: rewrite(f, "papi_scores.csv", lambda b: b.replace(b"https://", b"\xff\xfe://", 1)),
     SCORE, 2, "data.not_utf8", None),
    ("scores-utf8-with-bom", lambda f: rewrite(f, "papi_scores.csv", lambda b: b"\xef\xbb\xbf" + b), SCORE, 0, None,
     lambda out: json.loads(out)["rank"] == 30),
    ("scores-crlf-lines", lambda f: rewrite(f, "papi_scores.csv", lambda b: b.replace(b"\n", b"\r\n")), SCORE, 0, None,
     lambda out: json.loads(out)["rank"] == 30),
    ("field-over-128-kib", set_field(6, "x" * (128 * 1024 + 1)), SCORE, 2, "data.field_too_large", None),
    ("field-of-1-mib", set_field(6, "y" * (1 << 20)), SCORE, 2, "data.field_too_large", None),
    ("scores-duplicated-score-column", edit_lines("papi_scores.csv", lambda ls: [ls[0] + ",score"] + [x + ",1" for x in ls[1:]]),
     SCORE, 2, "data.duplicate_column", None),
    ("provinces-duplicated-column", edit_lines("provinces.csv", lambda ls: [ls[0] + ",name_vi"] + [x + ",x" for x in ls[1:]]),
     SCORE, 2, "data.duplicate_column", None),
    ("scores-missing-file", lambda f: (f / "papi_scores.csv").unlink(), SCORE, 2, "data.missing_file", None),
    ("scores-is-a-folder", lambda f: ((f / "papi_scores.csv").unlink(), (f / "papi_scores.csv").mkdir()), SCORE, 2,
     "data.missing_file", None),
    ("provinces-symlink-loop", lambda f: ((f / "provinces.csv").unlink(), (f / "provinces.csv").symlink_to("provinces.csv")),
     SCORE, 2, "data.missing_file", None),
    ("scores-empty-file", lambda f: (f / "papi_scores.csv").write_bytes(b""), SCORE, 2, "data.missing_column", None),
    ("scores-header-only", keep_years(lambda y: False), SCORE, 2, "input.unknown_year", None),
    ("scores-unknown-column", edit_lines("papi_scores.csv", lambda ls: [ls[0] + ",extra"] + [x + ",1" for x in ls[1:]]),
     SCORE, 2, "data.unknown_column", None),
    ("scores-short-row", edit_lines("papi_scores.csv", lambda ls: ls[:5] + ["2023,Son La"] + ls[5:]), SCORE, 2,
     "data.wrong_field_count", None),
    ("score-nan", set_field(5, "nan"), SCORE, 2, "data.not_a_number", None),
    ("score-400-nines", set_field(5, NINES), SCORE, 2, "data.not_a_number", None),
    ("score-out-of-scale", set_field(5, "11"), SCORE, 2, "data.out_of_scale", None),
    ("year-superscript", set_field(0, "2023²"), SCORE, 2, "data.not_an_integer", None),
    ("source-empty", set_field(6, " "), SCORE, 2, "data.empty_value", None),
    ("province-unknown", set_field(1, "Atlantis"), SCORE, 2, "data.unknown_province", None),
    ("total-mismatch", lambda f: edit_rows(f, lambda n, r: {**r, "score": "50"} if n == "papi_scores.csv" and
                                            (r["year"], r["province"], r["level"]) == ("2023", "Son La", "total") else r),
     SCORE, 2, "data.total_mismatch", None),
    ("one-year-from-2018-whatif", keep_years(lambda y: y <= 2018), ("whatif", "--year", "2018", "--province", "Son La",
     "--change", "5=+0.4", "--json"), 0, None, lambda out: "no_history" in warning_kinds(out)),
    ("one-year-from-2018-odds", keep_years(lambda y: y <= 2018), ("whatif", "--year", "2018", "--province", "Son La",
     "--draws", "500"), 2, "input.no_history", None),
    ("one-year-from-2018-goal", keep_years(lambda y: y <= 2018), ("goal", "--year", "2018", "--province", "Son La",
     "--target-rank", "5", "--json"), 0, None, lambda out: json.loads(out)["rank"] <= 5),
    ("no-year-from-2018-whatif", keep_years(lambda y: y < 2018), ("whatif", "--year", "2017", "--province", "Son La",
     "--change", "5=+0.4", "--json"), 0, None, lambda out: json.loads(out)["scenario"]["rank"] >= 1),
    ("no-year-from-2018-goal", keep_years(lambda y: y < 2018), ("goal", "--year", "2017", "--province", "Son La",
     "--target-total", "40", "--json"), 0, None, lambda out: json.loads(out)["total"] >= 40),
    ("year-with-nobody-ranked-table", no_ranked_2023, TABLE_CSV, 2, "input.no_ranked", None),
    ("year-with-nobody-ranked-score", no_ranked_2023, SCORE, 2, "input.no_total", None),
    ("provinces-mac-roman-bare-cr", mac_roman_cr("provinces.csv"), SCORE, 2, "data.not_utf8", None),
    ("structure-mac-roman-bare-cr", mac_roman_cr("structure.csv"), SCORE, 2, "data.not_utf8", None),
    ("scores-binary-with-bare-cr", lambda f: (f / "papi_scores.csv").write_bytes(b"year,\r" + bytes(range(1, 256)) * 40),
     SCORE, 2, "data.not_utf8", None),
    ("source-noncharacter", set_field(6, "abc\ufffe"), SCORE, 2, "text.data_char", None),
    ("source-escape-sequence", set_field(6, "abc\x1b[2J"), SCORE, 2, "text.data_char", None),
    ("province-bidi-override", replace_text("provinces.csv", "Sơn La", "Sơn\u202eLa"), SCORE, 2, "text.data_char", None),
    ("structure-c1-control", replace_text("structure.csv", "Participation at Local Levels", "Partic\x85ipation"),
     SCORE, 2, "text.data_char", None),
    ("formula-equals-name", rename_son_la("=cmd|' /C calc'!A0"), TABLE_CSV, 0, None,
     table_csv_is_neutralised("=cmd|' /C calc'!A0")),
    ("formula-plus-name", rename_son_la("+1+1"), TABLE_CSV, 0, None, table_csv_is_neutralised("+1+1")),
    ("formula-minus-name", rename_son_la("-2+3"), TABLE_CSV, 0, None, table_csv_is_neutralised("-2+3")),
    ("formula-at-name", rename_son_la("@SUM(A1)"), TABLE_CSV, 0, None, table_csv_is_neutralised("@SUM(A1)")),
]


@pytest.mark.parametrize("breaks,argv,code,key,check", [c[1:] for c in DATA_CASES], ids=[c[0] for c in DATA_CASES])
def test_data_folder(data_copy, breaks, argv, code, key, check):
    breaks(data_copy)
    before = digest(data_copy)
    got, out, err = cli(*argv, "--data", str(data_copy), "--lang", "en")
    assert got == code, err
    if key is None:
        assert check(out), out[:2000]
    else:
        assert out == ""
        assert_message(err, key, "en")
    assert digest(data_copy) == before


def test_a_data_error_is_vietnamese_by_default(data_copy):
    reencode("papi_scores.csv", "utf-16")(data_copy)
    code, _, err = cli(*SCORE, "--data", str(data_copy))
    assert code == 2 and "papi_scores.csv" in err
    assert_message(err, "data.not_utf8", "vi")


def test_a_duplicated_header_column_no_longer_lets_the_last_one_win(data_copy):
    """Sơn La 2018 rank 32 became 6 when a second ``score`` column silently replaced the first."""
    edit_lines("papi_scores.csv", lambda ls: [ls[0] + ",score"] + [x + ",9" for x in ls[1:]])(data_copy)
    assert cli("score", "--year", "2018", "--province", "Son La", "--data", str(data_copy))[0] == 2


# ---------------------------------------------------------------- URL parameters (AppTest)
# (id, query parameters, notice key, language, raw value that must appear escaped or None, marks)

MARKUP = {
    "link": "[text](http://example.com)",
    "image": "![x](http://example.com/x.png)",
    "katex": "$x^2$",
    "heading": "a\n# heading",
    "html": "<script>alert(1)</script>",
}
URL_CASES = [
    ("lang-unknown", {"lang": "xx"}, "notice.bad_lang", "vi", None, ()),
    ("lang-markup", {"lang": MARKUP["link"]}, "notice.bad_lang", "vi", MARKUP["link"], ()),
    ("year-superscript-two", {"year": "²"}, "notice.bad_year", "vi", None, ()),
    ("year-5000-digits", {"year": "9" * 5000, "lang": "en"}, "notice.bad_year", "en", None, ()),
    ("year-1999", {"year": "1999", "lang": "en"}, "notice.bad_year", "en", None, ()),
    ("year-negative", {"year": "-2023"}, "notice.bad_year", "vi", None, ()),
    ("province-unknown", {"province": "Nowhere", "lang": "en"}, "notice.bad_province", "en", None, ()),
    ("province-no-score", {"province": "quang-ninh", "year": "2023"}, "notice.province_no_score", "vi", None, ()),
    *[(f"province-{name}", {"province": raw, "lang": "en"}, "notice.bad_province", "en", raw, ())
      for name, raw in MARKUP.items()],
]


def _url_params(case):
    return pytest.param(*case[1:5], id=case[0], marks=case[5])


@pytest.mark.parametrize("query,key,lang,escaped", [_url_params(c) for c in URL_CASES])
def test_url_parameter(query, key, lang, escaped):
    from ui.common import plain
    at = open_app(**query)
    notices = [w.value for w in at.warning]
    hits = [n for n in notices if re.search(key_regex(key, lang), n.replace("\\", ""))]
    assert hits, notices
    assert all("\n" not in n for n in hits)
    if escaped is not None:
        assert any(plain(escaped) in n for n in hits), hits
    assert_session_data_unchanged()


def assert_session_data_unchanged() -> None:
    """The dataset every session shares is the published data, and it cannot be written to."""
    from ui.common import dataset
    shared, fresh = dataset(), load_dataset()
    assert shared.years == fresh.years
    for y in fresh.years:
        a, b = shared.table(y), fresh.table(y)
        assert np.array_equal(a.total, b.total, equal_nan=True) and np.array_equal(a.dims, b.dims, equal_nan=True)
        assert not a.total.flags.writeable and not a.dims.flags.writeable


# ---------------------------------------------------------------- typed fields (goal page, AppTest)
# (id, field key, typed text, accepted message keys, raw text that must appear escaped or None, marks)

FIELD_CASES = [
    ("total-not-a-number", "goal.total", "abc", ("input.bad_number",), None, ()),
    ("total-400-nines", "goal.total", NINES, ("input.not_finite", "input.bad_target_total", "input.bad_number"), None, ()),
    ("total-markup", "goal.total", MARKUP["link"], ("input.bad_number",), MARKUP["link"], ()),
    ("cap-not-a-number", "goal.cap.8", "abc", ("input.bad_number",), None, ()),
    ("cap-negative", "goal.cap.8", "-1", ("input.bad_cap",), None, ()),
    ("cap-nan", "goal.cap.8", "nan", ("input.bad_number",), None, ()),
    ("weight-zero", "goal.weight.8", "0", ("input.bad_weight", "input.goal_bad_weight"), None, ()),
    ("weight-400-nines", "goal.weight.8", NINES, ("input.goal_bad_weight", "input.not_finite", "input.bad_number"), None, ()),
    ("weight-exponent", "goal.weight.8", "1e5", ("input.bad_number",), None, ()),
    ("weight-markup", "goal.weight.8", MARKUP["image"], ("input.bad_number",), MARKUP["image"], ()),
]


def _field_params(case):
    return pytest.param(*case[1:5], id=case[0], marks=case[5])


@pytest.mark.parametrize("key,typed,message_keys,escaped", [_field_params(c) for c in FIELD_CASES])
def test_goal_field(key, typed, message_keys, escaped):
    from ui.common import plain
    at = open_app()
    at.switch_page(str(ROOT / "views" / "goal.py")).run()
    if key == "goal.total":
        at.radio(key="goal.kind").set_value("total").run()
    at.text_input(key=key).set_value(typed).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    hits = [e for e in errors if any(re.search(key_regex(k, "vi"), e.replace("\\", "")) for k in message_keys)]
    assert hits, errors
    assert all("\n" not in e for e in hits)
    if escaped is not None:
        assert any(plain(escaped) in e for e in hits), hits
    assert_session_data_unchanged()
