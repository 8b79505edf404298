"""A scenario's changes as a short, versioned, human-readable URL value (the ``s`` query parameter).

Grammar (version 1), using only characters a URL carries unescaped (RFC 3986 "unreserved")::

    link    = "v1" *( "~" change )          ; at most 40 changes, at most 512 characters
    change  = code op number
    code    = dim [ "." sub ]               ; dim, sub: 1-99 without a leading zero ("5", "6.1")
    op      = "d"                           ; delta: adds to the baseline
            / "t"                           ; target: sets the value
    number  = [ "-" ] int [ "." 1*4DIGIT ]  ; int: "0" or 1-99; |number| <= 10; 4 dp at most

Example: ``v1~5d0.4~8t4.5~6.1d-0.2`` is "+0.4 on dimension 5, dimension 8 to 4.5, -0.2 on 6.1".
``+`` and ``=`` were avoided on purpose: a query string decodes ``+`` as a space, and ``=`` is escaped.
The parser is strict: an unknown version, a malformed change, a repeated code, a number beyond ±10
or a value too long is refused with an InputError naming the problem; nothing is guessed. Whether the
codes exist for a year and province is the engine's call (``sim.scenario.apply``), not this module's.
"""
from __future__ import annotations

import re

from sim.errors import InputError
from sim.scenario import Change

from .limits import CHANGES_MAX, DP, VALUE_ABS_MAX, check_value

VERSION = "v1"
SEPARATOR = "~"
LINK_MAX = 512
OPS = {"d": "delta", "t": "target"}
_CHANGE = re.compile(r"(?P<code>[1-9][0-9]?(?:\.[1-9][0-9]?)?)(?P<op>[dt])"
                     r"(?P<num>-?(?:0|[1-9][0-9]?)(?:\.[0-9]{1,4})?)")


def number_text(value: float) -> str:
    """A number at 4 dp without trailing zeros: 0.4 -> "0.4", 4.5 -> "4.5", 2.0 -> "2", -0.0 -> "0"."""
    text = f"{round(value, DP) + 0.0:.{DP}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def to_link(changes: tuple[Change, ...] | list[Change]) -> str:
    """The link value of a list of changes (``v1`` alone when there are none)."""
    if len(changes) > CHANGES_MAX:
        raise InputError("link.too_many", max=CHANGES_MAX)
    parts = [VERSION]
    seen: set[str] = set()
    for ch in changes:
        if not re.fullmatch(r"[1-9][0-9]?(\.[1-9][0-9]?)?", ch.code):
            raise InputError("link.bad_change", index=len(parts), value=ch.code)
        if ch.code in seen:
            raise InputError("link.duplicate", code=ch.code)
        seen.add(ch.code)
        op = "d" if ch.mode == "delta" else "t"
        parts.append(f"{ch.code}{op}{number_text(check_value(ch.value))}")
    return SEPARATOR.join(parts)


def from_link(text: str) -> tuple[Change, ...]:
    """Parse a link value into changes (values at 4 dp); InputError on anything not in the grammar."""
    if not isinstance(text, str):
        raise InputError("link.bad_version", value="")
    if len(text) > LINK_MAX:
        raise InputError("link.too_long", length=len(text), max=LINK_MAX)
    head, *items = text.split(SEPARATOR)
    if head != VERSION:
        raise InputError("link.bad_version", value=head[:20])
    if len(items) > CHANGES_MAX:
        raise InputError("link.too_many", max=CHANGES_MAX)
    changes: list[Change] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        m = _CHANGE.fullmatch(item)
        if not m:
            raise InputError("link.bad_change", index=index, value=item[:20])
        value = float(m["num"])
        if abs(value) > VALUE_ABS_MAX:
            raise InputError("link.bad_change", index=index, value=item[:20])
        if m["code"] in seen:
            raise InputError("link.duplicate", code=m["code"])
        seen.add(m["code"])
        changes.append(Change(m["code"], round(value, DP) + 0.0, OPS[m["op"]]))
    return tuple(changes)
