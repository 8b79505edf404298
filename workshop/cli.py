"""The store's command line: ``backup FILE`` writes the whole store as JSON, ``restore FILE`` loads one into
an empty store. The store is ``--db`` or ``PAPI_WORKSHOP_DB`` (as the app). Messages are one line in
``--lang`` (Vietnamese by default); help texts come from ``cli.help.store.*``. Exit 0, or 2 with the reason.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.cli_parser import Parser, UsageError, usage_error
from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, LANGS, t

from .backup import dump, restore
from .store import Store


def _titles(p: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    """Section titles and the -h line in ``lang`` (argparse writes them in English)."""
    p.lang = lang
    p._positionals.title, p._optionals.title = t("usage.positionals", lang), t("usage.options", lang)
    p.add_argument("-h", "--help", action="help", help=t("cli.help.store.help", lang))
    return p


def _lang(argv: list[str]) -> str:
    for i, a in enumerate(argv):
        value = a.split("=", 1)[1] if a.startswith("--lang=") else (argv[i + 1] if a == "--lang" and
                                                                      i + 1 < len(argv) else None)
        if value in LANGS:
            return value
    return DEFAULT_LANG


def parser(lang: str) -> argparse.ArgumentParser:
    p = _titles(Parser(prog="python -m workshop", description=t("cli.help.store.description", lang),
                        add_help=False), lang)
    p.add_argument("--lang", choices=LANGS, default=lang, help=t("cli.help.store.lang", lang))
    p.add_argument("--db", default=None, help=t("cli.help.store.db", lang))
    sub = p.add_subparsers(dest="command", required=True, metavar="{backup,restore}")
    for name in ("backup", "restore"):
        s = _titles(sub.add_parser(name, help=t(f"cli.help.store.{name}", lang), add_help=False,
                                   description=t(f"cli.help.store.{name}", lang)), lang)
        s.add_argument("file", type=Path, help=t(f"cli.help.store.{name}_file", lang))
    return p


def run(argv: list[str], out=sys.stdout, err=sys.stderr) -> int:
    lang = _lang(argv)
    try:
        args = parser(lang).parse_args(argv)
    except UsageError as e:
        print(t("store.cli_usage", lang, problem=usage_error(str(e), "python -m workshop").message(lang)), file=err)
        return 2
    store = Store(args.db)
    try:
        if args.command == "backup":
            data = dump(store)
            try:
                args.file.write_bytes(data)
            except OSError:
                raise InputError("store.cli_cannot_write", file=str(args.file)) from None
            n = len(json.loads(data)["tables"]["workshops"])
            print(t("store.cli_backed_up", lang, workshops=n, file=str(args.file)), file=out)
        else:
            try:
                data = args.file.read_bytes()
            except OSError:
                raise InputError("store.cli_cannot_read", file=str(args.file)) from None
            workshops, scenarios = restore(store, data)
            print(t("store.cli_restored", lang, workshops=workshops, scenarios=scenarios, file=str(args.file)),
                  file=out)
    except InputError as e:
        print(e.message(lang), file=err)
        return 2
    finally:
        store.dispose()
    return 0


def main() -> None:
    sys.exit(run(sys.argv[1:]))
