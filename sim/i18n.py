"""User-visible text and number formatting, for the CLI and the app alike.

Every string lives in ``locales/<lang>.json`` (one file per language); this module only looks
them up and formats numbers the way each language writes them (Vietnamese: 42,40).
"""
from __future__ import annotations

import json
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


@cache
def catalogue(lang: str) -> Mapping[str, str]:
    """The key -> text table of one language, read once and shared by every session of the server:
    a read-only mapping, so no session can change another's text."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    with open(LOCALES_DIR / f"{lang}.json", encoding="utf-8") as fh:
        return MappingProxyType(json.load(fh))


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """The text for ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``."""
    text = catalogue(lang)[key]
    return text.format(**params) if params else text


def fmt_num(value: float | None, lang: str = DEFAULT_LANG, dp: int = 2, sign: bool = False) -> str:
    """A number as the language writes it: ``42,40`` in Vietnamese, ``42.40`` in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    # half away from zero on the number as written (43,885 -> 43,89), as the lever panel rounds its whole
    # units: binary floats would round 43.885 down and the panel's headline and the page would differ by 0,01
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-dp), rounding=ROUND_HALF_UP)
    exact = abs(exact) if exact == 0 else exact  # never "-0,00"
    text = f"{exact:+,.{dp}f}" if sign else f"{exact:,.{dp}f}"
    if lang == "vi":  # Vietnamese swaps the separators: 1.234,56
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_pct(share: float, lang: str = DEFAULT_LANG, dp: int = 0) -> str:
    """A share in [0, 1] as a percentage string (``97%``; ``12,5%`` in Vietnamese)."""
    return fmt_num(100.0 * share, lang, dp) + "%"
