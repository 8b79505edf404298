"""argparse in the user's language, for both command lines (``python -m sim`` and ``python -m workshop``).

argparse prints its own English ("usage:") and exits with its usage block on a bad argument; our CLIs print
one translated line instead, so the parser raises ``UsageError`` with argparse's message for the caller to
translate, and its help layout takes the word "usage:" from the locales."""
from __future__ import annotations

import argparse
import re

from .errors import InputError
from .i18n import DEFAULT_LANG, t
from .inputs import shown


class UsageError(Exception):
    """argparse's (English) complaint, raised instead of printed so that the caller can translate it."""


class Formatter(argparse.HelpFormatter):
    """argparse's help layout with its one English word of its own, "usage:", from the locales."""
    lang = DEFAULT_LANG

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, t("usage.prefix", self.lang) if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """A parser whose language is ``lang`` (set on every parser a CLI makes) and whose errors are raised."""
    lang = DEFAULT_LANG

    def error(self, message: str) -> None:  # usage errors: exit 2, no traceback (argparse's contract)
        raise UsageError(message)

    def _get_formatter(self) -> argparse.HelpFormatter:
        formatter = Formatter(prog=self.prog)
        formatter.lang = self.lang
        return formatter


# argparse's messages (Python 3.11) -> locales key and the parts the translation needs
_USAGE = (
    (r"the following arguments are required: (?P<names>.+)", "usage.required"),
    (r"argument (?P<option>\S+?)(?:/\S+)?: invalid int value: ['\"](?P<value>.*)['\"]", "usage.bad_int"),
    (r"argument (?P<option>\S+?)(?:/\S+)?: invalid (?:float|decimal) value: ['\"](?P<value>.*)['\"]", "usage.bad_float"),
    (r"argument (?P<option>\S+?)(?:/\S+)?: invalid choice: (?P<value>'.*'|\".*\"|\S+) \(choose from (?P<choices>.*)\)",
     "usage.bad_choice"),
    (r"argument (?P<option>\S+?)(?:/\S+)?: expected one argument", "usage.expected_value"),
    (r"argument (?P<option>\S+?)(?:/\S+)?: ignored explicit argument '(?P<value>.*)'", "usage.no_value"),
    (r"argument (?P<option>\S+?)(?:/\S+)?: not allowed with argument (?P<other>\S+)", "usage.not_allowed_with"),
    (r"one of the arguments (?P<names>.+) is required", "usage.one_of_required"),
    (r"unrecognized arguments: (?P<names>.+)", "usage.unrecognized"),
    (r"ambiguous option: (?P<option>\S+?)(=.*)? could match (?P<names>.+)", "usage.ambiguous"),
)


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def usage_error(message: str, prog: str = "python -m sim") -> InputError:
    """argparse's message as an InputError with a locales key (``usage.other`` when it is new to us); ``prog``
    is the command line whose --help the message points to."""
    for pattern, key in _USAGE:
        if m := re.fullmatch(pattern, message, flags=re.S):
            params = {k: shown(v.replace("'", "")) if k in ("choices", "names") else shown(_unquote(v))
                      for k, v in m.groupdict().items() if v is not None}
            return InputError(key, prog=prog, **params)
    return InputError("usage.other", detail=shown(message, 200), prog=prog)
