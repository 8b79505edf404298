"""Bounds on a named scenario, shared by the link, the pack file and the workshop store.

One place, so a scenario the store accepts always fits a pack and a link, and the other way round.
"""
from __future__ import annotations

import re

from sim.errors import InputError

NAME_MAX = 80            # characters in a scenario's name
NOTE_MAX = 500           # characters in its note (owner agency, assumptions)
CHANGES_MAX = 40         # changes in one scenario (2018+ has 8 dimensions and 28-29 sub-dimensions)
SCENARIO_BYTES_MAX = 4096  # UTF-8 bytes of the note plus the changes written as a link value
VALUE_ABS_MAX = 10.0     # a change or target lies within ±10 (every PAPI scale is 1-10 or narrower)
YEAR_MIN, YEAR_MAX = 2006, 2100  # a year a pack or link may name (the data decides whether it exists)
PROVINCE_MAX = 60        # characters in a province name
CODE = re.compile(r"[1-9][0-9]?(\.[1-9][0-9]?)?")  # "5", "6.1"
DP = 4                   # scores are published at 4 decimal places


def check_name(name: object) -> str:
    """A scenario name: text, 1-80 characters once trimmed, no line breaks or control characters."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("workshop.bad_name", max=NAME_MAX)
    name = " ".join(name.split())
    if len(name) > NAME_MAX or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise InputError("workshop.bad_name", max=NAME_MAX)
    return name


def check_note(note: object) -> str:
    """A note: text up to 500 characters (line breaks allowed, other control characters not)."""
    if not isinstance(note, str):
        raise InputError("workshop.bad_note", max=NOTE_MAX)
    note = note.strip()
    if len(note) > NOTE_MAX or any((ord(ch) < 32 and ch not in "\n\t") or ord(ch) == 127 for ch in note):
        raise InputError("workshop.bad_note", max=NOTE_MAX)
    return note


def check_value(value: object) -> float:
    """A change's number: a finite real within ±10, kept at 4 dp."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError("workshop.bad_value", value=str(value)[:40], max=VALUE_ABS_MAX)
    v = float(value)
    if not (-VALUE_ABS_MAX <= v <= VALUE_ABS_MAX):  # also refuses nan and inf
        raise InputError("workshop.bad_value", value=str(value)[:40], max=VALUE_ABS_MAX)
    return round(v, DP) + 0.0  # + 0.0 turns -0.0 into 0.0


def check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError("workshop.bad_year", value=str(year)[:40], low=YEAR_MIN, high=YEAR_MAX)
    return year


def check_province(province: object) -> str:
    if not isinstance(province, str) or not province.strip() or len(province) > PROVINCE_MAX:
        raise InputError("workshop.bad_province", max=PROVINCE_MAX)
    return province
