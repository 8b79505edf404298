"""Hostile input that reaches files: the exporters, uploaded editions, the workshop store, the workbook reader.

Sibling of tests/test_hostile.py (whose tables cover the CLI, --data folders, URL parameters, typed fields and
packs); here each case needs a process, a file system or a memory measurement of its own.
"""
from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from sim.scenario import Change, NamedScenario, Scenario
from sim.text import REPLACEMENT, first_unsafe, safe_text
from tests.conftest import ROOT
from tests.test_hostile import assert_message, cli

HOSTILE_NAMES = ["x\ufffe", "\uffffy", "lone \ud800", "clear\x1b[2J", "c1 \x85", "rtl \u202edcba", "nc \ufdd0",
                 "plane \U0001fffe", "line\u2028break"]


# ---------------------------------------------------------------- the one text rule

@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_the_text_rule_finds_and_replaces_every_unsafe_character(text):
    assert first_unsafe(text) is not None
    safe = safe_text(text)
    assert first_unsafe(safe) is None and REPLACEMENT in safe and len(safe) == len(text)
    safe.encode("utf-8")


def _unsafe_by_the_docstring(o: int) -> bool:
    """sim.text's rule written out as its docstring states it, one code point at a time."""
    return (o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or 0xFDD0 <= o <= 0xFDEF
            or (o & 0xFFFE) == 0xFFFE or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069 or o in (0x2028, 0x2029))


def test_the_rule_holds_for_every_code_point():
    """All 1,114,112 code points, each alone: the scan refuses exactly what the rule names; with the controls a
    caller allows, exactly those pass among the first 0x3000 (every control, C1 and bidi character)."""
    for o in range(0x110000):
        assert first_unsafe(chr(o)) == (chr(o) if _unsafe_by_the_docstring(o) else None), hex(o)
    for allow in ("\t", "\r\n\t", "\n\t"):
        for o in range(0x3000):
            ch = chr(o)
            assert first_unsafe(ch, allow) == (None if ch in allow or not _unsafe_by_the_docstring(o) else ch), hex(o)
        assert first_unsafe("Sơn La" + allow + "\x85\u202e", allow) == "\x85"
        assert safe_text("a\x00b\tc", allow) == "a\ufffdb\tc"
    assert safe_text("a\x00b\tc") == "a\ufffdb\ufffdc"


@pytest.mark.parametrize("text", ["Sơn La", "Thừa Thiên Huế", "a\tb", "€ 5 ½ 🙂", "\u200d", "\ufffd", "\U0010fffd"])
def test_ordinary_text_passes_the_rule_unchanged(text):
    assert first_unsafe(text, allow="\t") is None and safe_text(text, allow="\t") == text


# ---------------------------------------------------------------- exporters

SURVIVE = textwrap.dedent("""
    import io, struct, sys
    sys.path.insert(0, {root!r})
    from sim.scenario import Change, NamedScenario, Scenario
    from ui.exports import builders
    for name in {names!r}:
        print("exporting", ascii(name), file=sys.stderr, flush=True)  # the one an abort stopped at
        named = NamedScenario(name, Scenario(2023, "Son La", (Change("5", 0.4),)), "note \\x1b[2J \\ufffe")
        xlsx, pdf = builders([named], None, "vi")
        book = xlsx()
        sys.stdout.buffer.write(pdf()[:5] + struct.pack(">I", len(book)) + book)
""")
PDF_NAMES = {"fffe": "Kịch bản \ufffe", "ffff": "\uffff", "surrogate": "bad \ud800 half"}


def test_a_pdf_of_a_hostile_name_leaves_the_process_running():
    """vl-convert panics on U+FFFE in SVG text and aborts the process (every session of the server with it);
    the export guard hands the writers only text they can carry, so the process survives and both files are
    whole: a PDF, and a workbook whose sheet name openpyxl reads back. One process exports every name in turn
    (an abort on any ends it; stderr says which)."""
    done = subprocess.run([sys.executable, "-c", SURVIVE.format(root=str(ROOT), names=list(PDF_NAMES.values()))],
                          cwd=ROOT, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    out = done.stdout
    for kind in PDF_NAMES:
        head, size = out[:5], int.from_bytes(out[5:9], "big")
        book, out = out[9:9 + size], out[9 + size:]
        assert head == b"%PDF-", kind
        names = openpyxl.load_workbook(io.BytesIO(book)).sheetnames
        assert any(REPLACEMENT in n for n in names) and all(first_unsafe(n) is None for n in names), (kind, names)
    assert out == b""


def test_an_exporter_failure_is_one_line_not_a_traceback(monkeypatch):
    import formats.pdf
    from ui.exports import ExportFailed, builders

    def broken(*a, **k):
        raise ValueError("deep inside a writer\nwith a second line")
    monkeypatch.setattr(formats.pdf, "to_pdf", broken)
    _, pdf = builders([NamedScenario("A", Scenario(2023, "Son La", (Change("5", 0.4),)))], None, "en")
    with pytest.raises(ExportFailed) as e:
        pdf()
    assert_message(str(e.value), "book.export_failed", "en")


def _buttons_page(name: str) -> None:
    import streamlit as st

    from sim.scenario import Change, NamedScenario, Scenario
    from ui.exports import export_buttons
    st.session_state.setdefault("lang", "vi")
    export_buttons([NamedScenario(name, Scenario(2023, "Son La", (Change("5", 0.4),)))], key_prefix="t.")


def test_a_stored_hostile_name_gets_a_notice_instead_of_buttons():
    """A name saved before the rule (an old store row) is not exported: a one-line notice, no traceback."""
    at = AppTest.from_function(_buttons_page, kwargs={"name": "old \ufffe"}, default_timeout=60).run()
    assert not at.exception and not at.get("download_button")
    assert len(at.warning) == 1
    assert_message(at.warning[0].value, "book.unsafe_name", "vi")


# ---------------------------------------------------------------- uploaded editions

def test_an_uploaded_province_name_is_echoed_only_as_safe_text(tmp_path):
    f = tmp_path / "ed.csv"
    f.write_bytes("province,d1,d2,d3,d4,d5,d6,d7,d8\nAtl\ufffeantis\u202e\x85,5,5,5,5,5,5,5,5\n".encode("utf-8"))
    code, out, err = cli("validate", str(f), "--year", "2025", "--lang", "en")
    assert code == 2 and "Atl" in err and REPLACEMENT in err
    assert first_unsafe(err, allow="\n") is None


# ---------------------------------------------------------------- the workshop store under faults
# Tests run as root, where chmod does not stop a write: a read-only file is made with ``chattr +i`` (the
# immutable flag binds root too) and a read-only file system with a read-only bind mount; where the machine
# allows neither (no CAP_LINUX_IMMUTABLE / CAP_SYS_ADMIN) those cases are skipped, and say so.

import contextlib  # noqa: E402
import os  # noqa: E402

from workshop.store import HISTORY_PER_SCENARIO, HISTORY_PER_WORKSHOP, Store, StoreError  # noqa: E402

ONE = NamedScenario("Một", Scenario(2023, "Son La", (Change("5", 0.4),)))


def filled(path) -> tuple[Store, str]:
    db = Store(path)
    code = db.create_workshop()
    db.save(code, ONE)
    return db, code


def files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@contextlib.contextmanager
def read_only_mount(folder):
    """``folder`` seen through a read-only bind mount (a read-only file system, even for root)."""
    target = folder.parent / (folder.name + "-ro")
    target.mkdir()
    if subprocess.run(["mount", "--bind", str(folder), str(target)], capture_output=True).returncode != 0:
        pytest.skip("cannot bind-mount here (needs CAP_SYS_ADMIN): read-only file system not testable")
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True).returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield target
    finally:
        if subprocess.run(["umount", str(target)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(target)], capture_output=True)  # detach even if still busy
            pytest.fail("the store kept a file open on the read-only mount")


@contextlib.contextmanager
def immutable(path):
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here: a read-only file is not testable as root")
    try:
        yield path
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)


def corrupt(path) -> None:
    db, _ = filled(path)
    with open(path, "r+b") as fh:  # keep the 100-byte header, wreck the schema page
        fh.seek(100)
        fh.write(b"\xa5" * 3000)
    for extra in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(str(path) + extra)


def foreign(path) -> None:
    import sqlite3
    with contextlib.closing(sqlite3.connect(path)) as con:
        con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
        con.execute("INSERT INTO invoices VALUES (1, 9.5)")
        con.commit()


# (id, prepares tmp_path and returns the store's path, expected key of every call)
STORE_FAULTS = [
    ("parent-is-a-file", lambda d: (d / "f").write_text("x") and d / "f" / "ws.sqlite3", "store.unavailable"),
    ("a-directory-in-its-place", lambda d: (d / "ws.sqlite3").mkdir() or d / "ws.sqlite3", "store.unavailable"),
    ("not-sqlite", lambda d: (d / "ws.sqlite3").write_text("name,score\nA,1\n") and d / "ws.sqlite3", "store.not_a_store"),
    ("empty-sqlite-header-garbage", lambda d: (d / "ws.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
     and d / "ws.sqlite3", "store.not_a_store"),
    ("corrupt", lambda d: corrupt(d / "ws.sqlite3") or d / "ws.sqlite3", "store.not_a_store"),
    ("another-programs-database", lambda d: foreign(d / "ws.sqlite3") or d / "ws.sqlite3", "store.not_a_store"),
]


@pytest.mark.parametrize("prepare,key", [c[1:] for c in STORE_FAULTS], ids=[c[0] for c in STORE_FAULTS])
def test_a_store_fault_is_one_store_error_and_nothing_is_overwritten(tmp_path, prepare, key):
    path = prepare(tmp_path)
    before = files(tmp_path)
    db = Store(path)  # constructing never raises: the page that needs the store says why
    for call in (lambda: db.exists("A" * 22), db.create_workshop, lambda: db.list("A" * 22),
                 lambda: db.save("A" * 22, ONE)):
        with pytest.raises(StoreError) as e:
            call()
        assert e.value.key == key
        for lang in ("vi", "en"):
            assert_message(e.value.message(lang), key, lang)
    after = files(tmp_path)
    assert {name: after.get(name) for name in before} == before  # every file as it was


def test_an_unwritable_folder_is_one_store_error(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    with read_only_mount(folder) as ro:
        db = Store(ro / "ws.sqlite3")
        with pytest.raises(StoreError) as e:
            db.create_workshop()
        assert e.value.key == "store.unavailable" and not (folder / "ws.sqlite3").exists()


@pytest.mark.parametrize("how", ["read-only-file-system", "read-only-file"])
def test_a_read_only_store_can_still_be_read_and_refuses_writes(tmp_path, how):
    folder = tmp_path / "store"
    folder.mkdir()
    db, code = filled(folder / "ws.sqlite3")
    saved = db.list(code)
    cm = read_only_mount(folder) if how == "read-only-file-system" else immutable(folder / "ws.sqlite3")
    with cm as ro:
        path = (ro / "ws.sqlite3") if how == "read-only-file-system" else ro
        before = files(folder)
        ro_db = Store(path)
        assert ro_db.exists(code) and ro_db.list(code) == saved
        for write in (lambda: ro_db.save(code, NamedScenario("Hai", ONE.scenario)), ro_db.create_workshop,
                      lambda: ro_db.delete(code, saved[0].id, saved[0].version)):
            with pytest.raises(StoreError) as e:
                write()
            assert e.value.key == "store.read_only"
        assert files(folder)["ws.sqlite3"] == before["ws.sqlite3"]


def test_a_store_removed_while_the_server_runs_is_created_again(tmp_path):
    path = tmp_path / "ws.sqlite3"
    db, code = filled(path)
    for extra in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(str(path) + extra)
    assert not db.exists(code)  # was "no such table" until a restart
    with pytest.raises(Exception) as e:
        db.list(code)
    assert e.value.key == "workshop.unknown_code"
    new = db.create_workshop()
    assert db.save(new, ONE).version == 1 and path.is_file()


def test_the_history_is_bounded_per_scenario_and_per_workshop(tmp_path):
    import sqlite3
    db = Store(tmp_path / "ws.sqlite3")
    code = db.create_workshop()
    s = db.save(code, ONE)
    for k in range(HISTORY_PER_SCENARIO + 30):  # 80 overwrites of one scenario
        s = db.update(code, s.id, s.version, NamedScenario("Một", Scenario(2023, "Son La", (Change("5", k / 100),))))
    kept = db.history(code, s.id)
    assert len(kept) == HISTORY_PER_SCENARIO and kept[-1].version == s.version - 1  # the newest are kept
    for _ in range(HISTORY_PER_WORKSHOP // 10 + 5):  # scenarios saved and deleted: each leaves history behind
        t = db.save(code, NamedScenario("Tạm", ONE.scenario))
        for _ in range(9):
            t = db.update(code, t.id, t.version, NamedScenario("Tạm", ONE.scenario, "x"))
        db.delete(code, t.id, t.version)
    with contextlib.closing(sqlite3.connect(db.path)) as con:
        (n,) = con.execute("SELECT COUNT(*) FROM history WHERE workshop = ?", (code,)).fetchone()
    assert n == HISTORY_PER_WORKSHOP


PAGES = ["whatif.py", "goal.py", "levers.py", "odds.py", "history.py", "workshop.py", "data.py"]


@pytest.mark.parametrize("fault", ["a-directory-in-its-place", "not-sqlite"])
def test_with_a_broken_store_a_workshop_link_still_opens_every_page(tmp_path, monkeypatch, fault):
    """``?w=CODE`` with a store that cannot be used: every page used to fail at start-up in Streamlit's
    English error box. Now the link gives one notice in the user's language and every page works."""
    from tests.test_app import open_app
    prepare, key = next(c[1:] for c in STORE_FAULTS if c[0] == fault)
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(prepare(tmp_path)))
    at = open_app(w="A" * 22)
    assert any(key_text(key, "vi") in w.value.replace("\\", "") for w in at.warning), [w.value for w in at.warning]
    for page in PAGES:
        at.switch_page(str(ROOT / "views" / page)).run()
        assert not at.exception, page
    at.switch_page(str(ROOT / "views" / "workshop.py")).run()
    at.text_input(key="ws.name").input("Mới")
    at.button(key="ws.btn.save").click().run()  # a save: the same notice, nothing raised
    assert not at.exception
    assert any(key_text(key, "vi") in w.value.replace("\\", "") for w in at.warning)


def key_text(key: str, lang: str) -> str:
    from sim.i18n import catalogue
    return catalogue(lang)[key].split("(")[0].strip()


# ---------------------------------------------------------------- uploads that cost memory (.xlsx)

def xlsx_with_sheet(path, rows) -> None:
    """A real workbook (sheet ``2024_VIE_ENG``) whose sheet XML is replaced by ``rows``: an iterable of
    byte strings streamed into the zip, so a 52 MB sheet is written without holding it."""
    import zipfile
    base = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.title = "2024_VIE_ENG"
    wb.active["A1"] = "x"
    wb.save(base)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, src.read(info.filename))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                     b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for chunk in rows:
                fh.write(chunk)
            fh.write(b"</sheetData></worksheet>")


def one_long_row(n: int):
    yield b'<row r="1">'
    for start in range(0, n, 100_000):
        yield b"<c><v>1</v></c>" * min(100_000, n - start)
    yield b"</row>"


def grid(rows: int, cols: int):
    cell = b"".join(b"<c><v>%d</v></c>" % j for j in range(cols))
    for i in range(1, rows + 1):
        yield b'<row r="%d">' % i + cell + b"</row>"


MEASURE = textwrap.dedent("""
    import re, sys
    sys.path.insert(0, {root!r})
    from formats.edition import read_edition
    from sim.load import load_dataset

    def kib(field):
        return int(re.search(field + r":\\s+(\\d+)", open("/proc/self/status").read()).group(1))
    ds = load_dataset()
    data = open({path!r}, "rb").read()
    read_edition(b"PK\\x03\\x04 warm-up", "w.xlsx", ds)
    open("/proc/self/clear_refs", "w").write("5")  # the peak (VmHWM) starts again from the current size
    before = kib("VmRSS")
    ed = read_edition(data, "bomb.xlsx", ds)
    print((kib("VmHWM") - before) // 1024, ed.problems[0].key if ed.problems else "-")
""")
BUDGET_MB = 100  # over the idle process, README "Hostile input and its limits"


@pytest.mark.parametrize("rows,expected", [
    (lambda: one_long_row(2_500_000), "book.too_many_columns"),   # the reported bomb: 163 kB, 52 MB unpacked
    (lambda: grid(1_200, 290), "book.too_many_cells"),             # 348,000 cells
    (lambda: grid(1_000, 299), None),                              # just inside every bound: read, within budget
], ids=["one-row-of-2.5-million-cells", "too-many-cells", "largest-allowed"])
def test_a_workbook_is_bounded_before_it_is_read(tmp_path, rows, expected):
    """The peak resident memory a read adds (a child process's VmHWM, reset just before the read) stays
    within the budget, and a workbook past a bound is refused with its own message."""
    path = tmp_path / "w.xlsx"
    xlsx_with_sheet(path, rows())
    assert path.stat().st_size < 2_000_000
    done = subprocess.run([sys.executable, "-c", MEASURE.format(root=str(ROOT), path=str(path))], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    grown_mb, key = done.stdout.split()
    assert int(grown_mb) <= BUDGET_MB, f"reading grew the process by {grown_mb} MB"
    if expected is None:
        assert not key.startswith("book.") and key != "edition.too_many_rows"
    else:
        assert key == expected


def test_columns_past_300_are_refused_not_cut():
    from formats.edition import read_edition
    from formats.xlsx_guard import MAX_SHEET_COLS
    from sim.load import load_dataset
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024_VIE_ENG"
    ws.cell(row=1, column=1, value="Thang điểm/Scale")
    ws.cell(row=1, column=MAX_SHEET_COLS + 1, value="Sơn La")
    buf = io.BytesIO()
    wb.save(buf)
    ed = read_edition(buf.getvalue(), "wide.xlsx", load_dataset())
    assert [p.key for p in ed.problems] == ["book.too_many_columns"]
    assert_message(ed.problems[0].message("vi"), "book.too_many_columns", "vi")
