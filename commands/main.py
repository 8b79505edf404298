"""``python -m sim``: parse the command line and dispatch to the command modules.

Exit codes: 0 success, 2 a request or data file that cannot be taken (message on stderr, one line,
no traceback). Usage errors too are one line in the user's language (``--lang``, read from the raw
arguments before parsing; Vietnamese by default), never argparse's English usage block.
Each module in ``MODULES`` adds its subcommands with ``register(sub)`` and sets a
``handler(args, out, err) -> int`` default. What ``--help`` shows comes from the locales (``cli.help.*``,
see ``_translate``): the ``help=`` texts in the modules are only the English originals, for the reader.
"""
from __future__ import annotations

import argparse
import re
import sys

from sim.errors import InputError, SimError
from sim.i18n import DEFAULT_LANG, LANGS, catalogue, t
from sim.cli_parser import Parser, UsageError, usage_error
from sim.inputs import shown

from . import backtest, engine, export, levers, story, trend, validate

MODULES = (engine, levers, trend, validate, export, backtest, story)


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


# numbers the help texts quote ({seed} etc. in locales cli.help.*)
_HELP_PARAMS = {"seed": engine.DEFAULT_SEED, "max_seed": 2**32 - 1, "goal_draws": engine.GOAL_DRAWS, "effort": engine.DEFAULT_EFFORT}


def _help(keys: tuple[str, ...], lang: str) -> str | None:
    """The first of ``keys`` the locales have, filled in; None when none is there."""
    found = next((k for k in keys if k in catalogue(lang)), None)
    return None if found is None else t(found, lang, **_HELP_PARAMS)


def _translate(parser: argparse.ArgumentParser, name: str, lang: str) -> None:
    """Every text of one parser's --help from the locales: section titles, each option's help and the
    placeholder of its value (``cli.help.opt.<command>.<dest>``, else ``cli.help.opt.<dest>``)."""
    parser.lang = lang
    for group in parser._action_groups:
        if group is parser._positionals:
            group.title = t("usage.positionals", lang)
        elif group is parser._optionals:
            group.title = t("usage.options", lang)
        else:
            group.title = t(f"cli.help.group.{name}", lang)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = t(f"cli.help.cmd.{choice.dest}", lang)
            continue
        if action.help is not argparse.SUPPRESS:
            action.help = _help((f"cli.help.opt.{name}.{action.dest}", f"cli.help.opt.{action.dest}"), lang)
        metavar = _help((f"cli.help.metavar.{action.dest}",), lang)
        if metavar is not None and not action.choices:
            action.metavar = metavar


def build_parser(lang: str = DEFAULT_LANG) -> argparse.ArgumentParser:
    """The whole command line, its --help in ``lang`` (defect 28: it was English whatever the language)."""
    parser = Parser(prog="python -m sim", description=t("cli.help.description", lang))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for module in MODULES:
        module.register(sub)
    _translate(parser, "", lang)
    for name, sub_parser in sub.choices.items():
        sub_parser.description = t(f"cli.help.cmd.{name}", lang)
        _translate(sub_parser, name, lang)
    return parser


def run(argv: list[str] | None = None, out=sys.stdout, err=sys.stderr) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = detect_lang(argv)
    try:
        args = build_parser(lang).parse_args(argv)
    except UsageError as e:
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
