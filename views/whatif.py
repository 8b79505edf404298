"""The what-if page: the workspace lives in ui/whatif.py (compiled once, not on every run)."""
from ui.whatif import render

render()
