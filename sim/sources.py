"""Which official dataset a province-year's figures come from, cited in the user's language.

The citation is data (``data/citations.csv``: the publishers, the site and the official file of each
range of years, with where we know that from); this module only picks the row that covers a year and
whose file the score's own source names (``papi_scores.csv``, column ``source``), and words it. How the
bundled copy was obtained and checked (a public GitHub transcription) is for data/README.md, not for
the committee: the app, the brief and the workbook cite the official dataset. A 34-unit estimate is cited as
an estimate from that year's official dataset; a year added from a file in this session, as that file.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .csvread import read_rows
from .data import DATA_DIR, Dataset
from .errors import DataError
from .i18n import t

ESTIMATE = "estimate:"  # how sim.units begins the source of every 34-unit estimate
COLUMNS = ("year_from", "year_to", "match", "file", "dataset_vi", "dataset_en", "site", "source")


@dataclass(frozen=True)
class Citation:
    """The official dataset of the years ``year_from``-``year_to``; ``match`` is a part of the file name
    that the source of every score it covers names."""
    year_from: int
    year_to: int
    match: str
    file: str
    dataset_vi: str
    dataset_en: str
    site: str

    def covers(self, year: int, source: str) -> bool:
        return self.year_from <= year <= self.year_to and self.match in source

    def text(self, year: int, lang: str) -> str:
        dataset = self.dataset_vi if lang == "vi" else self.dataset_en
        return t("source.cite", lang, dataset=dataset, site=self.site, file=self.file.format(year=year), year=year)


@cache
def load_citations(path: Path = DATA_DIR / "citations.csv") -> tuple[Citation, ...]:
    """Every row of the citations file; a year that is not a whole number stops the load (file, row, column)."""
    out = []
    for line, row in read_rows(path, COLUMNS):
        years = []
        for column in ("year_from", "year_to"):
            try:
                years.append(int(row[column]))
            except ValueError:
                raise DataError("not_an_integer", path.name, line, column, value=row[column]) from None
        out.append(Citation(years[0], years[1], row["match"], row["file"], row["dataset_vi"], row["dataset_en"],
                            row["site"]))
    return tuple(out)


def citation(ds: Dataset, year: int, province: str, lang: str) -> str:
    """The source of ``province``'s ``year`` figures in words: the official dataset for bundled data,
    the file's name for a year added in this session, "–" when the province has no figure that year."""
    source = ds.source(year, province, "total") or ds.source(year, province, "1") or ""
    for c in load_citations():
        if c.covers(year, source):
            return c.text(year, lang)
    if source.startswith(ESTIMATE):  # a 34-unit estimate (sim.units) of that year's official figures
        official = next((c for c in load_citations() if c.year_from <= year <= c.year_to), None)
        return t("source.estimate", lang, source=official.text(year, lang) if official else f"PAPI {year}")
    return t("source.added", lang, file=source) if source else "–"

