"""``python -m sim``: parse the command line and dispatch to the command modules.

Exit codes: 0 success, 2 a request or data file that cannot be taken (message on stderr, one line,
no traceback). Each module in ``MODULES`` adds its subcommands with ``register(sub)`` and sets a
``handler(args, out, err) -> int`` default.
"""
from __future__ import annotations

import argparse
import sys

from sim.errors import SimError

from . import engine, export, levers, trend, validate

MODULES = (engine, levers, trend, validate, export)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2, no traceback (argparse's contract)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m sim", description="PAPI What-If: scores, scenarios, rankings.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in MODULES:
        module.register(sub)
    return parser


def run(argv: list[str] | None = None, out=sys.stdout, err=sys.stderr) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args, out, err)
    except SimError as e:
        print(e.message(args.lang), file=err)
        return 2


def main() -> None:
    try:
        code = run()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. `python -m sim table --csv | head`: the reader left, not an error
        sys.stdout = None  # type: ignore[assignment]  # nothing more can be written
        code = 0
    sys.exit(code)
