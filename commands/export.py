"""``python -m sim export``: write the Excel workbook or the PDF brief of one scenario or a saved pack.

    python -m sim export --year 2024 --province "Son La" --change 5=+0.4 --format xlsx --out plan.xlsx
    python -m sim export --pack workshop.json --format pdf --out brief.pdf

An existing ``--out`` is refused unless ``--force`` (a brief someone annotated is not silently lost); the
file is written whole or not at all (a temporary file beside it, then renamed). Errors: one line in the
user's language, exit 2.

A pack is read by formats.pack.read_pack, the same validating reader as the app's upload, so a pack
downloaded from a workshop exports as it is.
"""
from __future__ import annotations

import argparse
import errno
import os
import tempfile
from pathlib import Path

from formats.limits import check_name, check_note
from formats.pack import PACK_BYTES_MAX, read_pack
from sim.errors import InputError
from sim.goal import seek
from sim.goal_request import GoalRequest, Target
from sim.i18n import t
from sim.names import find_province
from sim.scenario import NamedScenario, Scenario
from sim.realism import change_history

from .common import add_common, decimal, dump_json, load, parse_changes, read_regular

MEDIA = {"xlsx": "xlsx", "pdf": "pdf"}


def register(sub) -> None:
    """Add ``export`` to the subcommand parser ``sub``."""
    e = sub.add_parser("export", help="write the Excel workbook or the PDF brief of scenarios")
    add_common(e, province=False, year=False)
    e.set_defaults(handler=_export)
    e.add_argument("--year", type=int, help="PAPI year, e.g. 2024 (with --province)")
    e.add_argument("--province", help='province name, diacritics optional ("Son La")')
    e.add_argument("--change", action="append", default=[], metavar="CODE=±D|V",
                   help="5=+0.4 adds 0.4 to dimension 5; 8=4.5 sets dimension 8 to 4.5 (repeatable)")
    e.add_argument("--name", help="the scenario's name (default: Scenario 1)")
    e.add_argument("--note", default="", help="a note on the scenario (owner agency, assumptions)")
    e.add_argument("--pack", type=Path, metavar="FILE.json", help="export every scenario of a saved pack")
    e.add_argument("--format", choices=tuple(MEDIA), required=True, help="xlsx (workbook) or pdf (brief)")
    e.add_argument("--out", type=Path, required=True, help="the file to write")
    e.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    goal = e.add_mutually_exclusive_group()
    goal.add_argument("--target-rank", type=int, metavar="K", help="add the least-effort plan to reach rank K")
    goal.add_argument("--target-group", type=int, choices=(1, 2, 3, 4), help="add the plan to reach group G")
    goal.add_argument("--target-total", type=decimal, metavar="T", help="add the plan to reach a total of T")


_REASONS = {errno.ENOENT: "missing_dir", errno.ENOTDIR: "missing_dir", errno.EACCES: "no_permission",
            errno.EPERM: "no_permission", errno.EROFS: "no_permission", errno.EISDIR: "is_dir"}


class PathError(InputError):
    """A file that cannot be read or written: the system's reason, worded in the user's language where known."""

    def __init__(self, key: str, path: Path, error: OSError | None = None, reason: str | None = None) -> None:
        self.reason = reason or (_REASONS.get(error.errno) if error else None)
        self.system = (error.strerror or type(error).__name__) if error else ""
        super().__init__(key, path=path, reason=self.system)
        self.path = path

    def message(self, lang: str = "en") -> str:
        why = t(f"export.reason.{self.reason}", lang) if self.reason else self.system
        return t(self.key, lang, path=self.params["path"], reason=why)


def parse_pack(raw: bytes, ds) -> list[NamedScenario]:
    """A pack's scenarios, read by the workshop's own reader (formats.pack: the format the app downloads)."""
    scenarios = list(read_pack(raw, ds))
    if not scenarios:
        raise InputError("export.no_scenarios")
    return scenarios


def _read_pack(path: Path, ds) -> list[NamedScenario]:
    try:
        raw = read_regular(path, PACK_BYTES_MAX)  # a regular file only, read with a bound (not /dev/zero)
        if len(raw) > PACK_BYTES_MAX:
            size = max(path.stat().st_size, len(raw))
            raise InputError("export.pack_too_big", path=path, size=size, max=PACK_BYTES_MAX)
    except OSError as e:
        reason = "missing_file" if e.errno == errno.ENOENT else None
        raise PathError("export.pack_unreadable", path, e, reason) from None
    return parse_pack(raw, ds)


def _scenarios(args: argparse.Namespace, ds) -> list[NamedScenario]:
    if args.pack is not None:
        if args.year is not None or args.province or args.change or args.name:
            raise InputError("export.pack_and_scenario")
        return _read_pack(args.pack, ds)
    if args.year is None or not args.province:
        raise InputError("export.need_scenario")
    # the app's own bounds (formats.limits): 80 characters, 500 for the note, only text every writer carries
    name = check_name(args.name) if args.name else t("export.default_name", args.lang, n=1)
    note = check_note(args.note)
    province = find_province(ds, args.province)
    changes = parse_changes(args.change)  # the same checks as whatif (readable, within ±100, once each)
    return [NamedScenario(name, Scenario(args.year, province, changes), note)]


def _plan(args: argparse.Namespace, ds, first: NamedScenario):
    """The goal plan for the first scenario's province and year, when a target was asked for."""
    for kind in ("rank", "group", "total"):
        value = getattr(args, f"target_{kind}")
        if value is not None:
            req = GoalRequest(first.scenario.year, first.scenario.province, Target(kind, value))
            return seek(ds, req, change_history(ds))
    return None


def write_atomically(path: Path, data: bytes, force: bool) -> None:
    """Write ``data`` to ``path`` whole or not at all; refuse an existing file unless ``force``."""
    if path.is_dir():
        raise PathError("export.out_unwritable", path, reason="is_dir")
    if path.exists() and not force:
        raise InputError("export.out_exists", path=path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".export-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as e:
        raise PathError("export.out_unwritable", path, e) from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _export(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    scenarios = _scenarios(args, ds)
    plan = _plan(args, ds, scenarios[0])
    # imported here: other commands (and a workbook) need not load fpdf2, Altair or vl-convert
    if args.format == "xlsx":
        from formats.xlsx import to_xlsx as build
    else:
        from formats.pdf import to_pdf as build
    data = build(ds, scenarios, args.lang, plan)
    write_atomically(args.out, data, args.force)
    if args.json:
        doc = {"format": args.format, "out": str(args.out), "bytes": len(data), "scenarios": [s.name for s in scenarios],
               "plan": plan is not None}
        dump_json(doc, out)
    else:
        print(t("export.done", args.lang, path=args.out, format=args.format, n=len(scenarios), size=len(data)), file=out)
    return 0
