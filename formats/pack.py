"""A scenario pack: every saved scenario of a workshop as one small, versioned JSON file.

    {"format": "papi-whatif-pack", "version": 1,
     "scenarios": [{"name": "Fast wins", "note": "Office of the PPC", "year": 2024, "province": "Son La",
                    "changes": [{"code": "5", "value": 0.4, "mode": "delta"},
                                {"code": "6.1", "value": 2.2, "mode": "target"}]}]}

Reading is strict: at most 128 KiB and 20 scenarios, no unknown field, every field checked against the
bounds in ``formats.limits``; with a dataset, the year, province and codes are checked by the engine too.
Every refusal is one InputError naming the scenario (1-based) and the field.
"""
from __future__ import annotations

import json
from typing import Any

from sim.data import Dataset
from sim.errors import InputError, SimError
from sim.i18n import t
from sim.names import find_province
from sim.scenario import Change, NamedScenario, Scenario, apply
from sim.text import safe_text

from .limits import (CHANGES_MAX, CODE, NAME_MAX, SCENARIO_BYTES_MAX, check_name, check_note,
                     check_province, check_value, check_year)
from .link import to_link

FORMAT = "papi-whatif-pack"
VERSION = 1
PACK_BYTES_MAX = 128 * 1024
SCENARIOS_MAX = 20
TOP_FIELDS = ("format", "version", "scenarios")
SCENARIO_FIELDS = ("name", "note", "year", "province", "changes")
CHANGE_FIELDS = ("code", "value", "mode")


class PackFieldError(InputError):
    """A field of one scenario is wrong: says which scenario and field, then what is wrong with it."""

    def __init__(self, index: int, field: str, problem: SimError) -> None:
        self.index, self.field, self.problem = index, field, problem
        super().__init__("pack.bad_field", index=index, field=field, problem=problem.key)

    def message(self, lang: str = "en") -> str:
        return t("pack.where", lang, index=self.index, field=self.field) + ": " + self.problem.message(lang)


def scenario_bytes(named: NamedScenario) -> int:
    """The size a scenario counts against SCENARIO_BYTES_MAX: its note and its changes as a link."""
    return len(named.note.encode("utf-8")) + len(to_link(named.scenario.changes).encode("utf-8"))


def pack_dict(scenarios: list[NamedScenario] | tuple[NamedScenario, ...]) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "scenarios": [
        {"name": n.name, "note": n.note, "year": n.scenario.year, "province": n.scenario.province,
         "changes": [{"code": c.code, "value": c.value, "mode": c.mode} for c in n.scenario.changes]}
        for n in scenarios]}


def write_pack(scenarios: list[NamedScenario] | tuple[NamedScenario, ...]) -> bytes:
    """The pack file's bytes (UTF-8 JSON, diacritics kept as they are)."""
    if len(scenarios) > SCENARIOS_MAX:
        raise InputError("pack.too_many", max=SCENARIOS_MAX)
    return json.dumps(pack_dict(scenarios), ensure_ascii=False, indent=1).encode("utf-8")


def _refuse_constant(name: str) -> None:
    raise ValueError(name)


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """An object whose keys are all different: ``"name":"Visible","name":"Hidden"`` would show one name
    and keep the other (json's last-wins), so it is refused."""
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _DuplicateKey(k)
        out[k] = v
    return out


def _load(data: bytes) -> Any:
    if len(data) > PACK_BYTES_MAX:
        raise InputError("pack.too_big", size=len(data), max=PACK_BYTES_MAX)
    try:
        return json.loads(data.decode("utf-8-sig"), parse_constant=_refuse_constant,
                          object_pairs_hook=_no_duplicates)
    except _DuplicateKey as e:
        raise InputError("pack.duplicate_key", field=safe_text(e.key)[:40]) from None
    except (UnicodeDecodeError, ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise InputError("pack.not_json") from None


def _unknown(obj: dict, allowed: tuple[str, ...]) -> str | None:
    return next((safe_text(k)[:40] for k in obj if k not in allowed), None)


def _change(index: int, j: int, raw: Any) -> Change:
    field = f"changes[{j}]"
    if not isinstance(raw, dict):
        raise PackFieldError(index, field, InputError("pack.not_object"))
    if (extra := _unknown(raw, CHANGE_FIELDS)) is not None:
        raise PackFieldError(index, f"{field}.{extra}", InputError("pack.unknown_field"))
    for name in CHANGE_FIELDS:
        if name not in raw:
            raise PackFieldError(index, f"{field}.{name}", InputError("pack.missing_field"))
    code, mode = raw["code"], raw["mode"]
    if not isinstance(code, str) or not CODE.fullmatch(code):
        raise PackFieldError(index, f"{field}.code", InputError("pack.bad_code", value=str(code)[:20]))
    if mode not in ("delta", "target"):
        raise PackFieldError(index, f"{field}.mode", InputError("input.bad_change_mode", value=str(mode)[:20]))
    try:
        value = check_value(raw["value"])
    except InputError as e:
        raise PackFieldError(index, f"{field}.value", e) from None
    return Change(code, value, mode)


def _scenario(index: int, raw: Any, ds: Dataset | None) -> NamedScenario:
    if not isinstance(raw, dict):
        raise PackFieldError(index, "-", InputError("pack.not_object"))
    if (extra := _unknown(raw, SCENARIO_FIELDS)) is not None:
        raise PackFieldError(index, extra, InputError("pack.unknown_field"))
    for name in ("name", "year", "province", "changes"):
        if name not in raw:
            raise PackFieldError(index, name, InputError("pack.missing_field"))
    checks = {"name": check_name, "note": check_note, "year": check_year, "province": check_province}
    values: dict[str, Any] = {}
    for name, check in checks.items():
        try:
            values[name] = check(raw.get(name, ""))
        except InputError as e:
            raise PackFieldError(index, name, e) from None
    changes = raw["changes"]
    if not isinstance(changes, list) or len(changes) > CHANGES_MAX:
        raise PackFieldError(index, "changes", InputError("pack.bad_changes", max=CHANGES_MAX))
    parsed = tuple(_change(index, j, c) for j, c in enumerate(changes, start=1))
    codes = [c.code for c in parsed]
    if len(set(codes)) != len(codes):
        dup = next(c for c in codes if codes.count(c) > 1)
        raise PackFieldError(index, "changes", InputError("input.duplicate_change", code=dup))
    named = NamedScenario(values["name"], Scenario(values["year"], values["province"], parsed), values["note"])
    if scenario_bytes(named) > SCENARIO_BYTES_MAX:
        raise PackFieldError(index, "note", InputError("workshop.too_big", max=SCENARIO_BYTES_MAX))
    return named if ds is None else _checked(index, named, ds)


def _checked(index: int, named: NamedScenario, ds: Dataset) -> NamedScenario:
    """The year, province and codes as the engine sees them (the province in the dataset's spelling)."""
    s = named.scenario
    if s.year not in ds.tables:
        raise PackFieldError(index, "year", InputError("input.unknown_year", year=s.year,
                                                       years=", ".join(map(str, ds.years))))
    try:
        province = find_province(ds, s.province)
    except InputError as e:
        raise PackFieldError(index, "province", e) from None
    checked = NamedScenario(named.name, Scenario(s.year, province, s.changes), named.note)
    try:
        apply(ds, checked.scenario)
    except InputError as e:
        field = "changes" if e.key not in ("input.no_total", "input.no_data") else "province"
        raise PackFieldError(index, field, e) from None
    return checked


def read_pack(data: bytes, ds: Dataset | None = None) -> tuple[NamedScenario, ...]:
    """The scenarios of a pack file; InputError (one line, naming scenario and field) when it is not one."""
    doc = _load(data)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError("pack.bad_format", format=FORMAT)
    if (extra := _unknown(doc, TOP_FIELDS)) is not None:
        raise InputError("pack.unknown_top_field", field=extra)
    version = doc.get("version")
    if version != VERSION or isinstance(version, bool):
        raise InputError("pack.bad_version", value=str(version)[:20], version=VERSION)
    raw = doc.get("scenarios")
    if not isinstance(raw, list):
        raise InputError("pack.no_scenarios")
    if len(raw) > SCENARIOS_MAX:
        raise InputError("pack.too_many", max=SCENARIOS_MAX)
    out = tuple(_scenario(i, s, ds) for i, s in enumerate(raw, start=1))
    names = [n.name for n in out]
    for i, name in enumerate(names, start=1):
        if names.index(name) != i - 1:
            raise PackFieldError(i, "name", InputError("workshop.name_taken", name=name))
    return out


__all__ = ["FORMAT", "VERSION", "PACK_BYTES_MAX", "SCENARIOS_MAX", "NAME_MAX", "PackFieldError",
           "read_pack", "write_pack", "pack_dict", "scenario_bytes"]
