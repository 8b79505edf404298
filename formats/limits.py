"""Bounds on a named scenario, shared by the link, the pack file and the workshop store.

One place, so a scenario the store accepts always fits a pack and a link, and the other way round.
"""
from __future__ import annotations

import re

from sim.errors import InputError
from sim.ranking import DP
from sim.text import code_point, first_unsafe

NAME_MAX = 80            # characters in a scenario's name
NOTE_MAX = 500           # characters in its note (owner agency, assumptions)
CHANGES_MAX = 40         # changes in one scenario (2018+ has 8 dimensions and 28-29 sub-dimensions)
SCENARIO_BYTES_MAX = 4096  # UTF-8 bytes of the note plus the changes written as a link value
VALUE_ABS_MAX = 10.0     # a change or target lies within ±10 (every PAPI scale is 1-10 or narrower)
YEAR_MIN, YEAR_MAX = 2006, 2100  # a year a pack or link may name (the data decides whether it exists)
PROVINCE_MAX = 60        # characters in a province name
CODE = re.compile(r"[1-9][0-9]?(\.[1-9][0-9]?)?")  # "5", "6.1"


def check_name(name: object) -> str:
    """A scenario name: text, 1-80 characters once trimmed, on one line, only characters every writer can
    carry (sim.text: no controls, lone surrogates, non-characters or bidi overrides)."""
    if not isinstance(name, str) or not name.strip():
        raise InputError("workshop.bad_name", max=NAME_MAX)
    if (ch := first_unsafe(name, allow="\n\r\t")) is not None:
        raise InputError("text.bad_char", char=code_point(ch))
    name = " ".join(name.split())
    if len(name) > NAME_MAX:
        raise InputError("workshop.bad_name", max=NAME_MAX)
    return name


def check_note(note: object) -> str:
    """A note: text up to 500 characters (line breaks allowed, other control characters not)."""
    if not isinstance(note, str):
        raise InputError("workshop.bad_note", max=NOTE_MAX)
    if (ch := first_unsafe(note, allow="\n\t")) is not None:
        raise InputError("text.bad_char", char=code_point(ch))
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise InputError("workshop.bad_note", max=NOTE_MAX)
    return note


def check_value(value: object) -> float:
    """A change's number: a finite real within ±10, kept at 4 dp."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError("workshop.bad_value", value=str(value)[:40], max=VALUE_ABS_MAX)
    if not (-VALUE_ABS_MAX <= value <= VALUE_ABS_MAX):  # also refuses nan and inf, and a 400-digit
        raise InputError("workshop.bad_value", value=str(value)[:40], max=VALUE_ABS_MAX)  # int before float()
    v = float(value)
    if not (-VALUE_ABS_MAX <= v <= VALUE_ABS_MAX):
        raise InputError("workshop.bad_value", value=str(value)[:40], max=VALUE_ABS_MAX)
    return round(v, DP) + 0.0  # + 0.0 turns -0.0 into 0.0


def check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise InputError("workshop.bad_year", value=str(year)[:40], low=YEAR_MIN, high=YEAR_MAX)
    return year


def check_province(province: object) -> str:
    if not isinstance(province, str) or not province.strip() or len(province) > PROVINCE_MAX:
        raise InputError("workshop.bad_province", max=PROVINCE_MAX)
    if (ch := first_unsafe(province)) is not None:
        raise InputError("text.bad_char", char=code_point(ch))
    return province
