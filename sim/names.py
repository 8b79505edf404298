"""Find a province by name, with or without diacritics, in any case ("Sơn La", "son la", "SON LA")."""
from __future__ import annotations

import difflib
import unicodedata

from .data import Dataset
from .errors import InputError


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: diacritics, spaces and hyphens dropped."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def find_province(ds: Dataset, query: str) -> str:
    """The dataset's name for ``query``; InputError with the closest names when none matches."""
    key = fold(query)
    for p in ds.provinces:
        if key and key in (fold(p.name), fold(p.name_vi)):
            return p.name
    candidates = {fold(p.name): p.name for p in ds.provinces}
    close = difflib.get_close_matches(key, list(candidates), n=3, cutoff=0.5)
    suggestions = ", ".join(candidates[c] for c in close) or "-"
    raise InputError("input.unknown_province", value=query, suggestions=suggestions)


def search_provinces(ds: Dataset, query: str) -> list[str]:
    """Provinces whose English or Vietnamese name contains ``query`` (folded), in dataset order."""
    key = fold(query)
    return [p.name for p in ds.provinces if key in fold(p.name) or key in fold(p.name_vi)]
