"""Per-session helpers shared by every page: the cached dataset, text and number formatting."""
from __future__ import annotations

import re
from functools import lru_cache

import pyarrow as pa
import streamlit as st

from sim import words
from sim.data import FRAMEWORK_START, Dataset
from sim.i18n import DEFAULT_LANG, fmt_num, fmt_pct, t
from sim.text import safe_text
from sim.units import BASES, on_basis

from . import cache
from .cache import bundled_dataset, data_key, dataset, units  # noqa: F401  (the pages' names for them)


def units_basis(ds: Dataset) -> Dataset:
    """``ds`` on the session's basis. The session's own data goes through the cache (keyed by ``data_key()``:
    basis and editions by content and name); any other dataset is converted afresh, its content being in no key."""
    if units() == BASES[0]:
        return ds
    if ds is cache.with_editions(cache.added()):
        return cache.estimate().dataset
    return on_basis(ds, units())


def show_chart(chart) -> None:
    """Draw an Altair chart. Its spec is validated by the tests (``to_dict()``), not on every rerun,
    where schema validation would cost ~40 ms a chart."""
    st.vega_lite_chart(chart.to_dict(validate=False), width="stretch")


def show_spec(spec: dict) -> None:
    """Draw a Vega-Lite dict (charts.whatif.spec: a cached template plus this run's rows). Rows go
    over as Arrow tables built straight from the records (through pandas costs a few ms a chart)."""
    data = {name: pa.Table.from_pylist(rows) if isinstance(rows, list) else rows
            for name, rows in spec.get("datasets", {}).items()}
    st.vega_lite_chart({**spec, "datasets": data} if data else spec, width="stretch")


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>!|~$])")
# What the renderer (GFM autolink literals) turns into a link without any markup: "http(s)://", "www." and
# an e-mail's "@". A word joiner (U+2060, invisible) inside each trigger breaks it: "https:\u2060//",
# "www\u2060.", "name\u2060@host". After the trigger it would not do: GFM takes the joiner as part of the
# domain and the browser then drops it from the address (seen in Chromium, tests/test_browser_hostile.py).
WORD_JOINER = "\u2060"
_AUTOLINK = ((re.compile(r"://"), ":" + WORD_JOINER + "//"), (re.compile(r"(www)\.", re.IGNORECASE), r"\1" + WORD_JOINER + "."),
             (re.compile("@"), WORD_JOINER + "@"))


def _unlinked(text: str) -> str:
    for pattern, joined in _AUTOLINK:
        text = pattern.sub(joined, text)
    return text


def plain(text: object) -> str:
    """Text from a user, a URL or a data file, made safe for an element that renders Markdown
    (``st.warning``, ``st.caption``, ``st.markdown``, ``st.table`` cells): every Markdown, HTML and KaTeX
    special character is escaped, line breaks become spaces, and bare URLs, ``www.`` addresses and e-mails
    are broken by a word joiner, so ``[x](url)`` or ``https://x`` shows as those characters, never a link."""
    flat = _unlinked(safe_text(" ".join(str(text).split())))
    return _MARKDOWN_SPECIALS.sub(r"\\\1", flat)


def plain_label(text: object) -> str:
    """A data file's name for a widget label or help text (``st.select_slider`` labels take Markdown): the
    inline Markdown that makes an image, link, emphasis or formula escaped, and no autolink, while an
    ordinary name ("5. Thủ tục hành chính công", "TP. Hồ Chí Minh") comes out exactly as it went in."""
    flat = _unlinked(safe_text(" ".join(str(text).split())))
    return _INLINE_SPECIALS.sub(r"\\\1", flat)


def lang() -> str:
    return st.session_state.get("lang", DEFAULT_LANG)


def tr(key: str, **params: object) -> str:
    """Text in the session's language."""
    return t(key, lang(), **params)


def num(value: float | None, dp: int = 2, sign: bool = False) -> str:
    """A number in the session's language (42,40 in Vietnamese)."""
    return fmt_num(value, lang(), dp, sign)


def fmt_pct_s(share: float, dp: int = 0) -> str:
    """A probability as a percentage in the session's language."""
    return fmt_pct(float(share), lang(), dp)


def province_label(name: str, lang_: str | None = None) -> str:
    """How a province is shown: Vietnamese name with the ASCII name for search, or the English name."""
    p = dataset().province(name)
    return f"{p.name_vi} ({p.name})" if (lang_ or lang()) == "vi" and p.name_vi != p.name else p.name


def formatter(kind: str = "num", dp: int = 2):
    """A format_func bound to the session's language now (widgets may call it later, outside the run)."""
    lg = lang()
    if kind == "province":  # every label looked up once per run, not once per option
        labels = {p.name: province_label(p.name, lg) for p in dataset().provinces}
        return lambda name: labels.get(name) or province_label(name, lg)
    if kind == "pct":
        return lambda share: fmt_pct(share, lg)
    return lambda value: _label(value, lg, dp)


@lru_cache(maxsize=65_536)
def _label(value: float, lang_: str, dp: int) -> str:
    """A slider option's label, remembered: a slider of 900 options formats them all on every run."""
    return fmt_num(value, lang_, dp)


def dim_name(code: str, year: int) -> str:
    return words.indicator_name(dataset(), code, year, lang())


def indicator_label(code: str, year: int) -> str:
    """"5.1. Tên" in the session's language, as the brief and the workbook write it (sim.words)."""
    return words.indicator_label(dataset(), code, year, lang())


def province_name(name: str) -> str:
    return words.province_name(dataset(), name, lang())


def group_name(group: int) -> str:
    return words.group_name(group, lang())


def page_title(key: str) -> tuple[int, str, str]:
    """A page's place from the sidebar's state (year, province, its name) and its title line ``key``."""
    ss = st.session_state
    year, province = ss["year"], ss["province"]
    label = province_name(province)
    st.markdown(f"### {tr(key, province=plain(label), year=year)}")
    return year, province, label


def framework_only(year: int, key: str) -> None:
    """Stop a page that needs the current framework's history before ``year``, saying why (text ``key``)."""
    if year < FRAMEWORK_START:
        st.info(tr(key, first=FRAMEWORK_START))
        st.stop()
