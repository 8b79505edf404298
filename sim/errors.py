"""Errors that carry a message key, so each front end can show them in the user's language."""
from __future__ import annotations

import math

from .i18n import fmt_num, t


def _shown(params: dict, lang: str) -> dict:
    """Decimal numbers written the way the language writes them (100,0 in Vietnamese), up to 4 dp."""
    out = {}
    for k, v in params.items():
        if isinstance(v, float) and math.isfinite(v):
            text = f"{v:.4f}".rstrip("0")
            dp = max(1, len(text.split(".")[1]))
            out[k] = fmt_num(v, lang, dp)
        else:
            out[k] = v
    return out


class SimError(Exception):
    """Base error: ``key`` names a text in ``locales/``; ``params`` fill its placeholders."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **_shown(self.params, lang))


class DataError(SimError):
    """A data file is malformed; params always include ``file``, ``row`` and ``column``."""

    def __init__(self, problem: str, file: str, row: int | str, column: str, **params: object) -> None:
        self.problem = problem
        self.file, self.row, self.column = file, row, column
        super().__init__(f"data.{problem}", file=file, row=row, column=column, **params)

    def message(self, lang: str = "en") -> str:
        where = t("data.where", lang, file=self.file, row=self.row, column=self.column)
        return f"{where}: {t(self.key, lang, **_shown(self.params, lang))}"


class InputError(SimError):
    """A user's request (province, year, change, target) cannot be taken as it is."""
