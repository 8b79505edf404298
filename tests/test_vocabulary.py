"""One vocabulary (sim.words): the same scenario gives the same strings on screen, in the brief and in the
workbook: the indicator labels ("6.1. Tên"), the group names and the "what moved" sentence."""
import io

import openpyxl
import pytest

from formats.pdf import to_pdf
from formats.xlsx import to_xlsx
from sim import words
from sim.scenario import Change, NamedScenario, Scenario, apply
from tests.panel_support import panel_data
from tests.test_app import metrics, open_app
from tests.test_exports import TODAY, pdf_text

YEAR, PROVINCE = 2023, "Son La"
LINK = "v1~5t8.5~6.1t2.2"
CHANGES = (Change("5", 8.5, "target"), Change("6.1", 2.2, "target"))


def flat(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (pdftotext wraps paragraphs)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def outcome(ds):
    return apply(ds, Scenario(YEAR, PROVINCE, CHANGES))


@pytest.fixture(scope="module")
def screen():
    at = open_app(year=str(YEAR), s=LINK)
    assert at.query_params["s"] == LINK
    return at


@pytest.fixture(scope="module")
def paper(ds, tmp_path_factory):
    named = [NamedScenario("Plan", Scenario(YEAR, PROVINCE, CHANGES))]
    brief = flat(pdf_text(to_pdf(ds, named, "vi", None, TODAY), tmp_path_factory.mktemp("brief")))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(ds, named, "vi", None, TODAY)))
    cells = [str(c.value) for sh in book.worksheets for row in sh.iter_rows() for c in row if c.value is not None]
    return brief, cells


def test_the_screen_the_brief_and_the_workbook_say_what_moved_in_the_same_words(ds, outcome, screen, paper):
    sentence = words.movement(ds, outcome, "vi")
    assert outcome.applied and sentence != words.movement(ds, apply(ds, Scenario(YEAR, PROVINCE)), "vi")
    assert any(sentence in m.value for m in screen.markdown), "the what-if page shows the vocabulary's sentence"
    brief, cells = paper
    assert flat(sentence) in brief
    assert any(sentence in c for c in cells)


def test_an_indicator_is_labelled_alike_everywhere(ds, screen, paper):
    brief, cells = paper
    on_screen = {lv["label"] for lv in panel_data(screen)["levers"]}  # the lever panel's labels
    for code in ("5", "6.1"):
        label = words.indicator_label(ds, code, YEAR, "vi")
        assert label.startswith(f"{code}. ")
        assert any(s.startswith(label) for s in on_screen), (label, on_screen)
        assert flat(label) in brief
        assert label in cells


def test_the_group_is_named_alike_everywhere(ds, outcome, screen, paper):
    name = words.group_name(outcome.result.group, "vi")
    assert metrics(screen)[2] == name
    brief, cells = paper
    assert name in brief and name in cells
