"""A one-scenario page with the export buttons, for the browser download test (the lead wires the buttons
into the real pages)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st  # noqa: E402

from sim.scenario import Change, NamedScenario, Scenario  # noqa: E402
from ui.exports import export_buttons  # noqa: E402

st.session_state.setdefault("lang", "vi")
export_buttons([NamedScenario("Thắng nhanh", Scenario(2024, "Son La", (Change("5", 0.4),)))], key_prefix="t.")
