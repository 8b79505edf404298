"""Pure file formats: readers and writers that take data and return data (no streamlit, no UI)."""
