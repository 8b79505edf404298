"""The story of one scenario: ``story`` prints the presenter view's six steps (sim.story), as text or JSON.
JSON fields are stable (added, never renamed); see README.md."""
from __future__ import annotations

import argparse

from sim.i18n import t
from sim.names import find_province
from sim.realism import change_history
from sim.scenario import NamedScenario, Scenario
from sim.story import build_story
from sim.story_text import story_json, story_steps

from .common import add_common, dump_json, load, parse_changes


def register(sub) -> None:
    """Add story to the subcommand parser ``sub``."""
    s = sub.add_parser("story", help="one scenario told in six steps, as the presenter view and the brief tell it")
    add_common(s)
    s.add_argument("--change", action="append", default=[], metavar="CODE=±D|V", help="a change (repeatable)")
    s.add_argument("--name", default=None, help="the scenario's name")
    s.set_defaults(handler=_story)


def _story(args: argparse.Namespace, out, err) -> int:
    ds = load(args)
    lang = args.lang
    province = find_province(ds, args.province)
    name = " ".join((args.name or "").split()) or t("story.default_name", lang)
    named = NamedScenario(name, Scenario(args.year, province, parse_changes(args.change)))
    story = build_story(ds, named, change_history(ds))
    if args.json:
        dump_json(story_json(ds, story, lang), out)
        return 0
    print(story.name, file=out)
    for k, step in enumerate(story_steps(ds, story, lang), start=1):
        print(f"\n{k}. {step.title}\n   {step.headline}", file=out)
        for line in step.lines:
            print(f"   {line}", file=out)
    return 0
