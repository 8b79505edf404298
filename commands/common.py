"""Arguments every command shares, and loading the data folder a command names (with its ``--add`` editions)."""
from __future__ import annotations

import argparse
import json
import os
import stat
from pathlib import Path

from formats.edition import MAX_BYTES, read_edition
from sim import inputs
from sim.data import DATA_DIR, Dataset
from sim.editions import add_year
from sim.errors import InputError
from sim.i18n import DEFAULT_LANG, LANGS, t
from sim.load import load_dataset
from sim.scenario import Change, parse_change
from sim.units import BASES, on_basis


def decimal(text: str) -> float:
    """A number option as the app takes it: a decimal comma or point ("45,5", "45.5"); argparse reports
    what it cannot read as a number (commands.main). Non-finite values reach sim.inputs' checks."""
    return float(text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text)


def add_common(p: argparse.ArgumentParser, province: bool = True, year: bool = True) -> None:
    """--year, --province, --json, --lang and --data, as every engine command takes them."""
    if year:
        p.add_argument("--year", type=int, required=True, help="PAPI year, e.g. 2023")
    if province:
        p.add_argument("--province", required=True, help='province name, diacritics optional ("Son La")')
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--lang", choices=LANGS, default=DEFAULT_LANG, help="language of names and messages")
    p.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: the bundled data)")
    p.add_argument("--add", type=Path, action="append", default=[], metavar="FILE",
                   help="add a new edition (CSV or official .xlsx) as an extra year for this run (repeatable)")
    p.add_argument("--units", choices=BASES, default=BASES[0],
                   help="63 provinces (PAPI as published) or the 34 units from 7/2025 (2025; estimated, "
                        "population-weighted from the old provinces)")


def load(args: argparse.Namespace) -> Dataset:
    """The dataset of ``--data`` (validated; raises DataError naming file, row and column), plus each
    ``--add`` edition (refused whole, with its first problem, unless valid), on the basis of ``--units``
    (2025: the 34-unit estimate built from it)."""
    ds = add_editions(load_dataset(args.data), getattr(args, "add", []), getattr(args, "year", None))
    return on_basis(ds, getattr(args, "units", BASES[0]), args.data)


def dump_json(doc: dict, out) -> None:
    """Strict JSON: NaN or Infinity would make the document unreadable to other tools."""
    print(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False), file=out)


def _parse_change(text: str) -> Change:
    """parse_change, its message showing at most the start of a very long value (one readable line)."""
    try:
        return parse_change(text)
    except InputError as e:
        raise InputError(e.key, **{k: inputs.shown(v, 200) for k, v in e.params.items()}) from None


def parse_changes(texts: list[str]) -> tuple[Change, ...]:
    """``--change`` options as whatif and export take them: each readable, finite and within its bound
    (sim.inputs.change_value); a code named twice is refused."""
    changes = tuple(_parse_change(c) for c in texts)
    for c, text in zip(changes, texts):
        inputs.change_value(c.code, c.value, text.split("=", 1)[-1])
    inputs.unique_codes("--change", [c.code for c in changes])
    return changes


def read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a regular file (one byte more than allowed, so the reader can refuse an
    oversized file without reading it all). A pipe, device or folder is refused before anything is read:
    opened non-blocking, so a FIFO with no writer cannot hang the command, then checked with fstat.
    OSError (missing, no permission) is left to the caller, which words it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError("limits.not_regular", file=str(path))
        os.set_blocking(fd, True)
        chunks, left = [], limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_file(path: Path) -> bytes:
    """The file's bytes, read no further than the size limit (an oversized file is refused by the reader);
    only a regular file (a FIFO or device is refused, never waited on)."""
    try:
        return read_regular(path, MAX_BYTES)
    except OSError:
        raise InputError("edition.cannot_read", file=str(path)) from None


def add_editions(ds: Dataset, paths: list[Path], year: int | None) -> Dataset:
    """``ds`` with every ``--add`` file as an extra year. A file without a year column takes ``--year``.
    An invalid file stops the command with its first problem and the way to see them all."""
    for path in paths:
        data = read_file(path)
        ed = read_edition(data, path.name, ds)
        if year is not None and any(p.key == "edition.no_year" for p in ed.problems):
            ed = read_edition(data, path.name, ds, year)
        if not ed.valid:
            raise EditionRefused(path.name, ed.problems)
        ds = add_year(ds, ed.year, ed.rows, source=path.name)
    return ds


class EditionRefused(InputError):
    """An ``--add`` file that is not valid: its first problem, worded in the user's language."""

    def __init__(self, file: str, problems) -> None:
        self.problems = problems
        super().__init__("cli.add_refused", file=file, n=len(problems))

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.params, first=self.problems[0].message(lang))
