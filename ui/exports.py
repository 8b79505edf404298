"""Download buttons for the workbook and the brief of a list of named scenarios.

The files are built only when a button is clicked: ``st.download_button`` takes a callable for ``data``
(Streamlit runs it on click, in another thread, outside the script run), so a slider rerun never pays
for them. Everything the callable needs is captured now, as plain values: it must not read session state.
"""
from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from formats.summary import MAX_BRIEF_SCENARIOS as MAX_SCENARIOS
from sim.i18n import t
from sim.scenario import NamedScenario

from .common import dataset, lang

MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


def file_stem(scenarios: list[NamedScenario], language: str) -> str:
    """``papi-kich-ban-son-la-2024`` (English: ``papi-scenarios-son-la-2024``) after the first scenario."""
    first = scenarios[0].scenario
    slug = re.sub(r"[^a-z0-9]+", "-", first.province.lower()).strip("-")  # dataset names are ASCII
    return t("export.filename", language, province=slug, year=first.year)


def builders(scenarios: list[NamedScenario], plan=None, language: str = "vi", today: dt.date | None = None):
    """Two no-argument callables returning the workbook and the brief as bytes (built when called; the
    writers are imported then too, so a page that shows the buttons does not load fpdf2 or vl-convert)."""
    ds, items, day = dataset(), list(scenarios), today or dt.date.today()

    def xlsx() -> bytes:
        from formats.xlsx import to_xlsx
        return to_xlsx(ds, items, language, plan, day)

    def pdf() -> bytes:
        from formats.pdf import to_pdf
        return to_pdf(ds, items, language, plan, day)

    return xlsx, pdf


def export_buttons(scenarios: list[NamedScenario], plan=None, key_prefix: str = "", row=None) -> None:
    """The Excel and PDF download buttons for ``scenarios`` (and the goal plan, if any), side by side in
    ``row`` (a horizontal container the page may share with its own buttons) or a new one."""
    if not scenarios:
        return
    language = lang()
    xlsx, pdf = builders(scenarios, plan, language)
    stem = file_stem(scenarios, language)
    row = row if row is not None else st.container(horizontal=True, gap="small")
    row.download_button(t("export.xlsx_button", language), data=xlsx, file_name=f"{stem}.xlsx", mime=MIME["xlsx"],
                        key=f"{key_prefix}export.btn.xlsx", on_click="ignore", help=t("export.xlsx_help", language),
                        icon=":material/table_view:")
    too_many = len(scenarios) > MAX_SCENARIOS
    row.download_button(t("export.pdf_button", language), data=pdf, file_name=f"{stem}.pdf", mime=MIME["pdf"],
                        key=f"{key_prefix}export.btn.pdf", on_click="ignore", disabled=too_many,
                        help=t("export.too_many", language, max=MAX_SCENARIOS, n=len(scenarios)) if too_many
                        else t("export.pdf_help", language), icon=":material/picture_as_pdf:")
