"""The project's one vocabulary: how an indicator, a group, a province and a scenario's effect are named.

The screen, the charts, the brief, the workbook and the CLI's human output all call these and add only
their own markup (the screen passes ``quote`` so a province name from a data file stays plain text), so
a scenario reads the same everywhere: "5.1. Tên" on screen is "5.1. Tên" on paper.
"""
from __future__ import annotations

import unicodedata
from typing import Callable

from .data import Dataset
from .i18n import fmt_num, t
from .scenario import Outcome

SHOWN_NAMES = 5  # provinces named in a "what moved" sentence before "and N more"


def nfc(text: object) -> str:
    """Text in composed form: a Vietnamese vowel with two marks becomes one code point, so fonts draw
    the marks stacked, and a name typed on another keyboard compares equal."""
    return unicodedata.normalize("NFC", str(text))


def _same(text: str) -> str:
    return text


def province_name(ds: Dataset, province: str, lang: str) -> str:
    """A province as the user's language names it (its data file's label)."""
    return nfc(ds.province(province).label(lang))


def indicator_name(ds: Dataset, code: str, year: int, lang: str) -> str:
    """An indicator's name alone, in the structure of that year."""
    return nfc(ds.indicator(code, year).name(lang))


def indicator_label(ds: Dataset, code: str, year: int, lang: str) -> str:
    """"5. Public Administrative Procedures", "6.1. Public Health": the code, a full stop, the name."""
    return nfc(f"{code}. {ds.indicator(code, year).name(lang)}")


def group_name(group: int, lang: str) -> str:
    """A quartile group's name ("Top group" for 1)."""
    return t(f"group.{group}", lang)


def names(ds: Dataset, provinces: tuple[str, ...], lang: str, quote: Callable[[str], str] = _same) -> str:
    """The first few province names, then "and N more"; ``quote`` is the caller's markup for a name."""
    text = ", ".join(quote(province_name(ds, p, lang)) for p in provinces[:SHOWN_NAMES])
    more = len(provinces) - SHOWN_NAMES
    return text + (t("move.and_more", lang, n=more) if more > 0 else "")


def movement(ds: Dataset, o: Outcome, lang: str, quote: Callable[[str], str] = _same) -> str:
    """The "what moved" sentence: places, group, who we pass and who passes us (or that nothing moved)."""
    if not o.applied:
        return t("move.none", lang)
    b, r = o.baseline, o.result
    parts = [t("move.up", lang, n=b.rank - r.rank) if r.rank < b.rank
             else t("move.down", lang, n=r.rank - b.rank) if r.rank > b.rank else t("move.same_rank", lang)]
    which = "up" if r.group < b.group else "down" if r.group > b.group else "same"
    parts.append(t(f"move.group_{which}", lang, group=group_name(r.group, lang).lower()))
    if o.overtaken:
        parts.append(t("move.overtakes", lang, names=names(ds, o.overtaken[::-1], lang, quote)))
    if o.overtaken_by:
        parts.append(t("move.overtaken_by", lang, names=names(ds, o.overtaken_by, lang, quote)))
    return "; ".join(parts) + "."


def change_items(ds: Dataset, o: Outcome, lang: str) -> list[str]:
    """Each applied change in words: "5. Public Administrative Procedures 7.15 → 7.55 (+0.40)"."""
    year = o.scenario.year
    return [f"{indicator_label(ds, a.code, year, lang)} {fmt_num(a.before, lang)} → {fmt_num(a.after, lang)} "
            f"({fmt_num(a.change, lang, sign=True)})" for a in o.applied]
