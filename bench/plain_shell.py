"""The what-if page's shell with nothing of its own: a navigation of eight pages, the same four sidebar widgets,
and a page of one metric and eight sliders. bench/run.py's ``browser`` measures it beside the what-if page: what
the shell and the sliders cost in Chromium, apart from the page's own elements (presets, number fields, marks,
charts, downloads)."""
import streamlit as st

from ui.common import formatter
from ui.sliders import slider_options

CODES = "12345678"


def sliders() -> None:
    st.metric("Total", f"{sum(st.session_state.get(f'dim.{c}', 5.0) for c in CODES):.2f}")
    for code in CODES:
        st.select_slider(f"Dimension {code}", slider_options(1.0, 10.0, 5.0), key=f"dim.{code}", value=5.0,
                         format_func=formatter())


def other() -> None:
    st.metric("Total", "0")


pages = [st.Page(sliders, title="What-if", default=True, url_path="home")]
pages += [st.Page(other, title=f"Page {k}", url_path=f"page{k}") for k in range(2, 9)]
navigation = st.navigation(pages)
navigation.run()
with st.sidebar:
    st.radio("Language", ["vi", "en"], key="lang", horizontal=True)
    st.radio("Basis", ["63", "2025"], key="units")
    st.selectbox("Year", list(range(2024, 2010, -1)), key="year")
    st.selectbox("Province", [f"Province {k}" for k in range(63)], key="province")
