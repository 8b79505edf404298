"""The browser floor: one slider and a headline that follows it. bench/run.py compares how fast the
what-if page's headline follows a key press against this page's, in the same Chromium."""
import streamlit as st

value = st.select_slider("Dimension 5", [round(0.01 * k, 2) for k in range(100, 1001)], key="dim.5", value=5.0)
st.metric("Total", f"{40 + value:.2f}")
