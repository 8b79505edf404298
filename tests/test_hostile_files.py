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


@pytest.mark.parametrize("text", ["Sơn La", "Thừa Thiên Huế", "a\tb", "€ 5 ½ 🙂", "\u200d", "\ufffd", "\U0010fffd"])
def test_ordinary_text_passes_the_rule_unchanged(text):
    assert first_unsafe(text, allow="\t") is None and safe_text(text, allow="\t") == text


# ---------------------------------------------------------------- exporters

SURVIVE = textwrap.dedent("""
    import io, sys
    sys.path.insert(0, {root!r})
    from sim.scenario import Change, NamedScenario, Scenario
    from ui.exports import builders
    named = NamedScenario({name!r}, Scenario(2023, "Son La", (Change("5", 0.4),)), "note \\x1b[2J \\ufffe")
    xlsx, pdf = builders([named], None, "vi")
    sys.stdout.buffer.write(pdf()[:5] + b"|" + xlsx())
""")


@pytest.mark.parametrize("name", ["Kịch bản \ufffe", "\uffff", "bad \ud800 half"], ids=["fffe", "ffff", "surrogate"])
def test_a_pdf_of_a_hostile_name_leaves_the_process_running(name):
    """vl-convert panics on U+FFFE in SVG text and aborts the process (every session of the server with it);
    the export guard hands the writers only text they can carry, so the process survives and both files are
    whole: a PDF, and a workbook whose sheet name openpyxl reads back."""
    done = subprocess.run([sys.executable, "-c", SURVIVE.format(root=str(ROOT), name=name)], cwd=ROOT,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    head, book = done.stdout.split(b"|", 1)
    assert head == b"%PDF-"
    names = openpyxl.load_workbook(io.BytesIO(book)).sheetnames
    assert any(REPLACEMENT in n for n in names) and all(first_unsafe(n) is None for n in names)


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
