"""Thin Streamlit layer: state, caching and chart builders. Numbers come from sim/."""
