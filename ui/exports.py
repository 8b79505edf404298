"""Download buttons for the workbook and the brief of a list of named scenarios.

The files are built only when a button is clicked. The workbook (a fifth of a second): ``st.download_button``
takes a callable for ``data``, run on click outside the script run. The brief (seconds): a button builds it
under a visible spinner, once per content, then its download button serves the bytes. Everything the
callables need is captured now, as plain values: they must not read session state.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

import streamlit as st

from formats.limits import NAME_MAX
from sim.compare_scenarios import MAX_SIDE_BY_SIDE
from sim.errors import InputError, SimError
from sim.i18n import t
from sim.scenario import NamedScenario
from sim.text import code_point, first_unsafe, safe_text

from .common import dataset, lang, plain
from .state import kept

_LOG = logging.getLogger(__name__)
MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


def file_stem(scenarios: list[NamedScenario], language: str) -> str:
    """``papi-kich-ban-son-la-2024`` (English: ``papi-scenarios-son-la-2024``) after the first scenario."""
    first = scenarios[0].scenario
    slug = re.sub(r"[^a-z0-9]+", "-", first.province.lower()).strip("-")  # dataset names are ASCII
    return t("export.filename", language, province=slug, year=first.year)


def builders(scenarios: list[NamedScenario], plan=None, language: str = "vi", today: dt.date | None = None):
    """Two no-argument callables returning the workbook and the brief as bytes (built when called; the
    writers are imported then too, so a page that shows the buttons does not load fpdf2 or vl-convert)."""
    ds, items, day = dataset(), [writable(n) for n in scenarios], today or dt.date.today()

    def xlsx() -> bytes:
        from formats.xlsx import to_xlsx
        return guarded(lambda: to_xlsx(ds, items, language, plan, day), language)

    def pdf() -> bytes:
        from formats.pdf import to_pdf
        return guarded(lambda: to_pdf(ds, items, language, plan, day), language)

    return xlsx, pdf


def writable(named: NamedScenario) -> NamedScenario:
    """The scenario with only text the writers can carry (sim.text): a character vl-convert cannot parse
    (U+FFFE) aborts the whole server, not just this download, so it never reaches a writer."""
    name, note = safe_text(named.name), safe_text(named.note, allow="\n\t")
    return named if (name, note) == (named.name, named.note) else NamedScenario(name, named.scenario, note)


class ExportFailed(RuntimeError):
    """A file could not be built: one line in the user's language (Streamlit logs it; the server goes on)."""


def guarded(build, language: str) -> bytes:
    """``build()``, with any exception turned into one ExportFailed line instead of a traceback."""
    try:
        return build()
    except Exception as e:  # a writer can fail anywhere inside a third-party library; say so in one line
        _LOG.warning("%s: %s", type(e).__name__, e)  # the full story for the server log
        problem = e.message(language) if isinstance(e, SimError) else type(e).__name__
        raise ExportFailed(t("book.export_failed", language, problem=problem)) from None


def export_problem(scenarios: list[NamedScenario], language: str) -> str | None:
    """Why these scenarios cannot be exported, as one line in ``language``, or None (checked in the page run,
    where a notice can be shown; the click itself runs outside it)."""
    for n in scenarios:
        if (ch := first_unsafe(n.name) or first_unsafe(n.note, allow="\n\t")) is not None:
            return t("book.unsafe_name", language, char=code_point(ch))
    return None


def _content_key(scenarios: list[NamedScenario], plan, language: str) -> str:
    """What a built brief depends on: the scenarios (names included), the plan, the language, the data
    and the day. The same key means the same file, so it is built once."""
    return repr((tuple(scenarios), plan is not None and repr(plan), language, id(dataset()), dt.date.today()))


def _pdf_button(row, scenarios: list[NamedScenario], plan, pdf, stem: str, key_prefix: str, language: str) -> None:
    """A "make the brief" button that builds the PDF under a visible spinner, then the download button of
    the bytes. The bytes stay in session state under the scenario's content key: a second click (or a
    rerun while building) finds them there and builds nothing again; a changed scenario shows the make
    button again."""
    ss = st.session_state
    slot = f"{key_prefix}export.pdf_bytes"
    key = _content_key(scenarios, plan, language)
    too_many = len(scenarios) > MAX_SIDE_BY_SIDE
    held = ss.get(slot)
    if not too_many and held is not None and held[0] == key:
        row.download_button(t("export.pdf_ready", language), data=held[1], file_name=f"{stem}.pdf", mime=MIME["pdf"],
                            key=f"{key_prefix}export.btn.pdf", on_click="ignore", help=t("export.pdf_help", language),
                            icon=":material/picture_as_pdf:")
        return
    clicked = row.button(t("export.pdf_make", language), key=f"{key_prefix}export.btn.pdf_make", disabled=too_many,
                         help=t("export.too_many", language, max=MAX_SIDE_BY_SIDE, n=len(scenarios)) if too_many
                         else t("export.pdf_make_help", language), icon=":material/picture_as_pdf:")
    if clicked and not too_many:
        try:
            with st.spinner(t("export.pdf_building", language)):
                ss[slot] = (key, pdf())
        except InputError as e:  # a scenario the writers refuse: one line in the user's language, state kept
            st.warning(plain(e.message(language)))
            return
        except ExportFailed as e:  # a writer failed inside a library: one line, the server goes on
            st.warning(plain(str(e)))
            return
        st.rerun()  # draw the download button in the make button's place


def export_buttons(scenarios: list[NamedScenario], plan=None, key_prefix: str = "", row=None,
                   nameable: bool = False) -> None:
    """The Excel and PDF buttons for ``scenarios`` (and the goal plan, if any), side by side in ``row``
    (a horizontal container the page may share with its own buttons) or a new one. ``nameable``: a box
    to name the one scenario before exporting it (the what-if page's scenario has no name of its own)."""
    if not scenarios:
        return
    language = lang()
    row = row if row is not None else st.container(horizontal=True, gap="small")
    if nameable and len(scenarios) == 1:
        default = scenarios[0].name
        key = f"{key_prefix}export.name"
        typed = row.text_input(t("export.name_label", language), key=key, max_chars=NAME_MAX, placeholder=default,
                               help=t("export.name_help", language), width=280, on_change=kept(key, ""))
        name = " ".join((typed or "").split()) or default
        scenarios = [NamedScenario(name, scenarios[0].scenario, scenarios[0].note)]
    if (problem := export_problem(list(scenarios), language)) is not None:
        st.warning(problem)  # our own text; the character is named by its code point, never shown
        return
    xlsx, pdf = builders(scenarios, plan, language)
    stem = file_stem(scenarios, language)
    row.download_button(t("export.xlsx_button", language), data=xlsx, file_name=f"{stem}.xlsx", mime=MIME["xlsx"],
                        key=f"{key_prefix}export.btn.xlsx", on_click="ignore", help=t("export.xlsx_help", language),
                        icon=":material/table_view:")
    _pdf_button(row, scenarios, plan, pdf, stem, key_prefix, language)
