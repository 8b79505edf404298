"""Checks for numbers a user types (CLI options, app fields): finite and inside a documented range,
or refused with a one-line InputError whose key names the text in ``locales/``.

Ranges (also in README.md):
- seed: 0 .. 2**32 - 1 (what numpy's generator takes without wrapping; the app offers the same);
- draws: 100 .. 200,000 (below 100 the odds are noise; above, a run takes seconds and memory grows);
- a ``--change`` value: at most 100 in size (ten times the 1-10 scale; anything past the scale is
  clamped and reported, anything past this bound is a typing error);
- a survey standard error: 0 .. 2 points;
- a probability: strictly between 0 and 1.
"""
from __future__ import annotations

import math

from .errors import InputError

SEED_RANGE = (0, 2**32 - 1)
DRAWS_RANGE = (100, 200_000)
CHANGE_BOUND = 100.0
SE_RANGE = (0.0, 2.0)
# A target (``5=0,4``) that lowers a dimension by more than this many points reads like a change typed
# without its sign: the front ends say plainly that it is a target.
TARGET_DROP_NOTE = 1.0


def finite(value: float, what: str, typed: str | None = None) -> float:
    """``value`` as a float, or InputError("input.not_finite") naming ``what`` (an option or field) and
    the text as the user ``typed`` it (400 nines overflow to inf; the message shows the nines)."""
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError("input.not_finite", what=what, value=shown(typed or value)) from None
    if not math.isfinite(v):
        raise InputError("input.not_finite", what=what, value=shown(typed or value))
    return v


def seed(value: int) -> int:
    """A random seed in SEED_RANGE."""
    if not isinstance(value, int) or not SEED_RANGE[0] <= value <= SEED_RANGE[1]:
        raise InputError("input.bad_seed", value=shown(value), low=SEED_RANGE[0], high=SEED_RANGE[1])
    return value


def draws(value: int) -> int:
    """A number of Monte Carlo draws in DRAWS_RANGE."""
    if not isinstance(value, int) or not DRAWS_RANGE[0] <= value <= DRAWS_RANGE[1]:
        raise InputError("input.bad_draws", value=shown(value))
    return value


def probability(value: float) -> float:
    """A probability strictly between 0 and 1 (0 and 1 ask for nothing, or for certainty)."""
    v = finite(value, "--probability")
    if not 0.0 < v < 1.0:
        raise InputError("input.bad_probability", value=shown(value))
    return v


def change_value(code: str, value: float, typed: str | None = None) -> float:
    """The number of one change (``5=+0.4`` or ``8=4.5``): finite and at most CHANGE_BOUND in size."""
    v = finite(value, code, typed)
    if abs(v) > CHANGE_BOUND:
        raise InputError("input.change_too_large", code=code, value=shown(typed or value), bound=int(CHANGE_BOUND))
    return v


def standard_error(code: str, value: float) -> float:
    """A survey standard error in SE_RANGE."""
    v = finite(value, code)
    if not SE_RANGE[0] <= v <= SE_RANGE[1]:
        raise InputError("input.bad_se")
    return v


def unique_codes(option: str, codes: list[str] | tuple[str, ...]) -> None:
    """Refuse an option that names the same code twice (the last one would silently win)."""
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise InputError("input.duplicate_option", option=option, code=code)
        seen.add(code)


def target_notes(outcome) -> tuple[dict, ...]:
    """Warnings (kind ``target_below_baseline``) for targets that lower a dimension by more than
    TARGET_DROP_NOTE: ``5=0,4`` sets dimension 5 to 0.4 (clamped to the scale), it does not add 0.4."""
    modes = {c.code: (c.mode, c.value) for c in outcome.scenario.changes}
    out = []
    for a in outcome.applied:
        mode, value = modes.get(a.code, ("delta", 0.0))
        if mode == "target" and a.before - a.after > TARGET_DROP_NOTE:
            out.append({"kind": "target_below_baseline", "code": a.code, "value": float(value),
                        "before": round(a.before, 4), "after": round(a.after, 4)})
    return tuple(out)


def shown(value: object, limit: int = 40) -> str:
    """A user's value as shown in a message, on one line; a very long one (5,000 digits) shows its start
    and its length in characters, so the message stays one readable line."""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else f"{text[:limit // 2]}… ({len(text)})"
