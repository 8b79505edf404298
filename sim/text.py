"""Which characters a piece of text may carry into a file writer, a screen or a terminal.

One rule for names, notes, data files, uploaded provinces and ``export --name/--note``: the writers
(vl-convert's SVG text, the workbook's XML, FPDF, a terminal) either abort or write a corrupt file on
some characters, and a few more let text pose as something it is not. Refused or replaced:

- C0 controls (except those a caller allows, e.g. line breaks in a note), DEL and C1 controls: a terminal
  runs ``ESC [2J``; XML cannot hold them at all;
- lone surrogates (``"\\ud800"`` from a JSON escape): not encodable as UTF-8;
- non-characters (U+FDD0–U+FDEF and the last two code points of every plane, U+FFFE/U+FFFF ...): vl-convert
  panics on them and takes the whole process down;
- bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what a reader sees;
- the line and paragraph separators U+2028/U+2029: a message stays on one line.
"""
from __future__ import annotations

import re
from functools import lru_cache

REPLACEMENT = "\ufffd"
# the rule above as code-point ranges (first, last), scanned as one regular expression (in C, not per character)
UNSAFE_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0xD800, 0xDFFF), (0xFDD0, 0xFDEF), (0x202A, 0x202E),
                 (0x2028, 0x2029), (0x2066, 0x2069),
                 *((plane + 0xFFFE, plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)))


@lru_cache(maxsize=16)
def _pattern(allow: str) -> re.Pattern[str]:
    """One character class of every unsafe code point but those in ``allow``. Checked character by character
    in Python, the data files took 1.4 s of every command's 1.5 s start; by their distinct characters, 0.08 s."""
    keep = sorted({ord(ch) for ch in allow})
    parts = []
    for first, last in UNSAFE_RANGES:
        start = first
        for o in (k for k in keep if first <= k <= last):
            if start < o:
                parts.append((start, o - 1))
            start = o + 1
        if start <= last:
            parts.append((start, last))
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in parts) + "]")


def first_unsafe(text: str, allow: str = "") -> str | None:
    """The first character of ``text`` no writer may receive (``allow``: controls the caller takes, such as
    ``"\\n\\t"`` in a note), or None when the whole text is safe. The one rule every check uses."""
    unsafe = _pattern(allow).match
    bad = [ch for ch in set(text) if unsafe(ch)]  # each distinct character once: a data file has about a hundred
    return min(bad, key=text.index) if bad else None


def safe_text(text: object, allow: str = "") -> str:
    """``text`` with every unsafe character replaced by U+FFFD: for text that is only echoed or shown
    (a province name in a message, a file name), where refusing would hide what was wrong."""
    return _pattern(allow).sub(REPLACEMENT, str(text))


def code_point(ch: str) -> str:
    """How a refused character is named in a message: ``U+FFFE``."""
    return f"U+{ord(ch):04X}"
