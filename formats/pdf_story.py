"""The brief's first page: the first scenario's story in six steps, as the presenter view tells it
(sim.story, worded by sim.story_text), with the odds' track record in step 4. Page machinery: formats.pdf_doc."""
from __future__ import annotations

from sim.data import FRAMEWORK_START, Dataset
from sim.i18n import t
from sim.realism import change_history
from sim.scenario import NamedScenario
from sim.story import build_story, track_record
from sim.story_text import story_steps
from sim.words import nfc

from .pdf_doc import MUTED, _Brief


def story_page(pdf: _Brief, ds: Dataset, named: NamedScenario, lang: str) -> None:
    """Six numbered steps under the scenario's name, on the current page (the title is already there)."""
    record = track_record(ds) if named.scenario.year >= FRAMEWORK_START else {}
    story = build_story(ds, named, change_history(ds), record)
    pdf.para(t("brief.story.title", lang, name=nfc(named.name)), 11.5, bold=True, h=6)
    for k, step in enumerate(story_steps(ds, story, lang), start=1):
        pdf.ln(1.2)
        pdf.para(f"{k}. {step.title}", 10, bold=True, h=5)
        pdf.para(step.headline, 9.5, bold=True, indent=4)
        for line in step.lines:
            pdf.para(line, colour=MUTED, indent=4)
