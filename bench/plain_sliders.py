"""The floor for the what-if page's rerun: a page with nothing but the same eight sliders (same options,
same format function). bench/run.py compares the what-if page against it under AppTest."""
import streamlit as st

from ui.common import formatter
from ui.sliders import slider_options

for code in "12345678":
    st.select_slider(f"Dimension {code}", slider_options(1.0, 10.0, 5.0), key=f"dim.{code}", value=5.0,
                     format_func=formatter())
