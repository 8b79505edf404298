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

REPLACEMENT = "\ufffd"
_BIDI = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A)) | {0x2028, 0x2029}


def _unsafe(ch: str) -> bool:
    o = ord(ch)
    return (o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or 0xFDD0 <= o <= 0xFDEF
            or (o & 0xFFFE) == 0xFFFE or o in _BIDI)


def first_unsafe(text: str, allow: str = "") -> str | None:
    """The first character of ``text`` no writer may receive (``allow``: controls the caller takes, such as
    ``"\\n\\t"`` in a note), or None when the whole text is safe. The one rule every check uses."""
    return next((ch for ch in text if ch not in allow and _unsafe(ch)), None)


def safe_text(text: object, allow: str = "") -> str:
    """``text`` with every unsafe character replaced by U+FFFD: for text that is only echoed or shown
    (a province name in a message, a file name), where refusing would hide what was wrong."""
    s = str(text)
    if first_unsafe(s, allow) is None:
        return s
    return "".join(REPLACEMENT if ch not in allow and _unsafe(ch) else ch for ch in s)


def code_point(ch: str) -> str:
    """How a refused character is named in a message: ``U+FFFE``."""
    return f"U+{ord(ch):04X}"
