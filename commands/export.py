"""``python -m sim export``: write the Excel workbook or the PDF brief of one scenario or a saved pack.

    python -m sim export --year 2024 --province "Son La" --change 5=+0.4 --format xlsx --out plan.xlsx
    python -m sim export --pack workshop.json --format pdf --out brief.pdf

An existing ``--out`` is refused unless ``--force`` (a brief someone annotated is not silently lost); the
file is written whole or not at all (a temporary file beside it, then renamed). Errors: one line in the
user's language, exit 2.

The pack is read here, strictly, against its documented format (``{"format": "papi-whatif-pack",
"version": 1, "scenarios": [{"name", "note", "year", "province", "changes": [[code, value, mode]]}]}``);
formats/pack.py (the workshop's reader) is the one to use once both are on main.
"""
from __future__ import annotations

import argparse
import errno
import json
import math
import os
import tempfile
from pathlib import Path

from sim.errors import InputError
from sim.goal import GoalRequest, Target, seek
from sim.i18n import t
from sim.names import find_province
from sim.scenario import Change, NamedScenario, Scenario, parse_change
from sim.uncertainty import change_history

from .common import add_common, load

PACK_FORMAT, PACK_VERSION = "papi-whatif-pack", 1
MAX_PACK_BYTES = 1_000_000
MAX_PACK_SCENARIOS = 64
MAX_NAME, MAX_NOTE, MAX_CHANGES = 120, 2000, 64
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
    goal.add_argument("--target-total", type=float, metavar="T", help="add the plan to reach a total of T")


class PackError(InputError):
    """A pack that cannot be taken: ``problem`` names an ``export.pack.*`` text, worded in the language
    the error is shown in (a province error from sim is nested as ``inner``)."""

    def __init__(self, problem: str, inner: InputError | None = None, **params: object) -> None:
        self.problem, self.inner, self.detail = problem, inner, params
        super().__init__("export.pack_bad", problem=problem)

    def message(self, lang: str = "en") -> str:
        extra = {"message": self.inner.message(lang)} if self.inner else {}
        return t("export.pack_bad", lang, problem=t(f"export.pack.{self.problem}", lang, **self.detail, **extra))


_bad = PackError

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


def _text(obj: dict, field: str, n: int, limit: int, required: bool = True) -> str:
    value = obj.get(field, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise _bad("field", n=n, field=field)
    if len(value) > limit:
        raise _bad("too_long", n=n, field=field, max=limit)
    return value


def _reject_constant(name: str):
    raise ValueError(name)  # NaN, Infinity: not numbers a pack may carry


def parse_pack(raw: bytes, ds) -> list[NamedScenario]:
    """A pack's scenarios, or InputError naming the first problem (scenario and change numbered from 1)."""
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _bad("not_json") from None
    if not isinstance(doc, dict) or doc.get("format") != PACK_FORMAT:
        raise _bad("format")
    if doc.get("version") != PACK_VERSION or isinstance(doc.get("version"), bool):
        raise _bad("version", value=json.dumps(doc.get("version"))[:20])
    items = doc.get("scenarios")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_PACK_SCENARIOS:
        raise _bad("scenarios", max=MAX_PACK_SCENARIOS)
    out = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise _bad("field", n=n, field="scenarios")
        name = _text(item, "name", n, MAX_NAME)
        note = _text(item, "note", n, MAX_NOTE, required=False)
        year = item.get("year")
        if not isinstance(year, int) or isinstance(year, bool):
            raise _bad("field", n=n, field="year")
        province = _text(item, "province", n, MAX_NAME)
        try:
            province = find_province(ds, province)
        except InputError as e:
            raise _bad("province", inner=e, n=n) from None
        changes = item.get("changes", [])
        if not isinstance(changes, list) or len(changes) > MAX_CHANGES:
            raise _bad("field", n=n, field="changes")
        parsed = []
        for k, ch in enumerate(changes, start=1):
            ok = (isinstance(ch, list) and len(ch) == 3 and isinstance(ch[0], str) and ch[0].strip()
                  and isinstance(ch[1], (int, float)) and not isinstance(ch[1], bool) and math.isfinite(ch[1])
                  and ch[2] in ("delta", "target"))
            if not ok:
                raise _bad("change", n=n, k=k)
            parsed.append(Change(ch[0].strip(), float(ch[1]), ch[2]))
        out.append(NamedScenario(name, Scenario(year, province, tuple(parsed)), note))
    return out


def _read_pack(path: Path, ds) -> list[NamedScenario]:
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise InputError("export.pack_too_big", path=path, size=size, max=MAX_PACK_BYTES)
        raw = path.read_bytes()
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
    province = find_province(ds, args.province)
    changes = tuple(parse_change(c) for c in args.change)
    name = args.name or t("export.default_name", args.lang, n=1)
    return [NamedScenario(name, Scenario(args.year, province, changes), args.note)]


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
        print(json.dumps(doc, ensure_ascii=False, indent=2), file=out)
    else:
        print(t("export.done", args.lang, path=args.out, format=args.format, n=len(scenarios), size=len(data)), file=out)
    return 0
