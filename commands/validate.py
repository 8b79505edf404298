"""``python -m sim validate FILE``: check a new PAPI edition (CSV or the official .xlsx) before loading it.

Exit 0 with a one-line summary when the file is valid; exit 2 listing every problem, one line each, with
its row and column, in the user's language (stderr). The format is documented in ``formats/edition.py``.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from formats.edition import read_edition, summary, template_csv
from sim.data import DATA_DIR
from sim.editions import check_year
from sim.i18n import DEFAULT_LANG, LANGS, t
from sim.load import load_dataset

from .common import dump_json, read_file


def register(sub) -> None:
    v = sub.add_parser("validate", help="check a new PAPI edition file (CSV or the official .xlsx workbook)")
    v.add_argument("file", type=Path, help="the file to check")
    v.add_argument("--year", type=int, help="the edition's year, where the file has no year column")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="language of messages")
    v.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the bundled data)")
    v.set_defaults(handler=_validate)
    tp = sub.add_parser("template", help="print the blank CSV template of a new edition")
    tp.add_argument("--year", type=int, required=True, help="the edition's year, e.g. 2025")
    tp.add_argument("--subs", action="store_true", help="add the sub-dimension columns s1.1 … s8.3")
    tp.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="language of messages")
    tp.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the bundled data)")
    tp.set_defaults(handler=_template)


def _template(args: argparse.Namespace, out, err) -> int:
    ds = load_dataset(args.data)
    check_year(ds, args.year, replace=True)  # only the range: a template for a bundled year is harmless
    out.write(template_csv(ds, args.year, subs=args.subs))
    return 0


def _validate(args: argparse.Namespace, out, err) -> int:
    ds = load_dataset(args.data)
    ed = read_edition(read_file(args.file), args.file.name, ds, args.year)
    if args.json:
        doc = {"file": args.file.name, "valid": ed.valid, "year": ed.year, "provinces": len(ed.rows),
               "problems": [{"key": p.key, "row": p.row, "column": p.column, "message": p.message(args.lang)}
                            for p in ed.problems]}
        dump_json(doc, out)
        return 0 if ed.valid else 2
    if ed.valid:
        print(summary(ed, args.lang), file=out)
        return 0
    print(t("cli.validate_problems", args.lang, file=args.file.name, n=len(ed.problems)), file=err)
    for p in ed.problems:
        print(f"  {p.message(args.lang)}", file=err)
    return 2
