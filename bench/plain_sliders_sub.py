"""The floor for the what-if page with dimension 5 opened into its sub-dimensions (2024: 5.1, 5.3, 5.4):
a page with nothing but the same sliders (seven dimensions, three sub-dimensions on their 1/3-10/3 scale)."""
import streamlit as st

from ui.common import formatter
from ui.sliders import slider_options

for code in "1234678":
    st.select_slider(f"Dimension {code}", slider_options(1.0, 10.0, 5.0), key=f"dim.{code}", value=5.0,
                     format_func=formatter())
for code in ("5.1", "5.3", "5.4"):
    st.select_slider(f"Sub-dimension {code}", slider_options(1 / 3, 10 / 3, 2.0), key=f"sub.{code}", value=2.0,
                     format_func=formatter())
