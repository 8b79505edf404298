"""``python -m sim``: parse the command line and dispatch to the command modules.

Exit codes: 0 success, 2 a request or data file that cannot be taken (message on stderr, one line,
no traceback). Usage errors too are one line in the user's language (``--lang``, read from the raw
arguments before parsing; Vietnamese by default), never argparse's English usage block.
Each module in ``MODULES`` adds its subcommands with ``register(sub)`` and sets a
``handler(args, out, err) -> int`` default.
"""
from __future__ import annotations

import argparse
import re
import sys

from sim.errors import InputError, SimError
from sim.i18n import DEFAULT_LANG, LANGS
from sim.inputs import shown

from . import engine, export, levers, trend, validate

MODULES = (engine, levers, trend, validate, export)


class _UsageError(Exception):
    """argparse's (English) complaint, raised instead of printed so that run() can translate it."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2, no traceback (argparse's contract)
        raise _UsageError(message)


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


def usage_error(message: str) -> InputError:
    """argparse's message as an InputError with a locales key (``usage.other`` when it is new to us)."""
    for pattern, key in _USAGE:
        if m := re.fullmatch(pattern, message, flags=re.S):
            params = {k: shown(v.replace("'", "")) if k in ("choices", "names") else shown(_unquote(v))
                      for k, v in m.groupdict().items() if v is not None}
            return InputError(key, **params)
    return InputError("usage.other", detail=shown(message, 200))


def detect_lang(argv: list[str]) -> str:
    """The language asked for with ``--lang X`` / ``--lang=X`` (the last one, as argparse takes it), so
    that even a usage error is written in it; Vietnamese when absent or unknown."""
    found = DEFAULT_LANG
    for i, a in enumerate(argv):
        value = argv[i + 1] if a == "--lang" and i + 1 < len(argv) else a[7:] if a.startswith("--lang=") else None
        if value is not None:
            found = value if value in LANGS else DEFAULT_LANG
    return found


def one_line(text: str) -> str:
    """A message on one line: line breaks from user values become spaces."""
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m sim", description="PAPI What-If: scores, scenarios, rankings.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in MODULES:
        module.register(sub)
    return parser


def run(argv: list[str] | None = None, out=sys.stdout, err=sys.stderr) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = detect_lang(argv)
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as e:
        print(one_line(usage_error(str(e)).message(lang)), file=err)
        return 2
    try:
        return args.handler(args, out, err)
    except SimError as e:
        print(one_line(e.message(args.lang)), file=err)
        return 2


def main() -> None:
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `python -m sim table --csv | head`: the reader left, not an error
        sys.stdout = None  # type: ignore[assignment]  # nothing more can be written
        code = 0
    sys.exit(code)
