"""Altair chart specs, shared by the app's pages and the PDF brief. Pure: no streamlit import."""
