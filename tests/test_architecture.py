"""House rules that a grep can guard: a pure core, no raw HTML, no global randomness, no inline UI text."""
import ast
import re

from tests.conftest import ROOT

SIM = sorted((ROOT / "sim").glob("*.py"))
UI = [ROOT / "app.py", *sorted((ROOT / "views").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
# Layers, bottom first: a package may import only the packages listed for it (and the standard library
# and third-party packages). The pure layers never import streamlit.
PURE = ("sim", "charts", "formats", "workshop", "commands")
ALLOWED = {
    "sim": {"sim"},
    "charts": {"sim", "charts"},
    "formats": {"sim", "charts", "formats"},
    "workshop": {"sim", "formats", "workshop"},
    "commands": {"sim", "charts", "formats", "workshop", "commands"},
    "ui": {"sim", "charts", "formats", "workshop", "ui"},
    "views": {"sim", "charts", "formats", "workshop", "ui"},
}
OURS = set(ALLOWED)


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _package_files(name):
    return sorted((ROOT / name).rglob("*.py"))


def test_sim_never_imports_streamlit():
    assert SIM and not [p.name for p in SIM if any(m.split(".")[0] == "streamlit" for m in _imports(p))]


def test_pure_layers_never_import_streamlit():
    bad = [str(p) for pkg in PURE for p in _package_files(pkg) if any(m.split(".")[0] == "streamlit" for m in _imports(p))]
    assert bad == []


def test_no_import_runs_upward():
    """``sim/__main__.py`` is the one exception: the entry point of ``python -m sim`` hands over to commands/."""
    bad = []
    for pkg, allowed in ALLOWED.items():
        for p in _package_files(pkg):
            if p == ROOT / "sim" / "__main__.py":
                continue
            for m in _imports(p):
                top = m.split(".")[0]
                if top in OURS and top not in allowed:
                    bad.append((str(p.relative_to(ROOT)), m))
    assert bad == []


def test_no_unsafe_html_and_no_global_seed():
    for p in [*SIM, *UI]:
        text = p.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, p
        assert "np.random.seed" not in text and "random.seed(" not in text, p


def test_pages_write_no_inline_sentences():
    """User-visible text comes from locales/: a page literal with two words and a letter is a smell."""
    offenders = []
    for p in UI:
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                v = node.value
                if re.search(r"[A-Za-zÀ-ỹ]{3,} [A-Za-zÀ-ỹ]{3,}", v) and not v.startswith(("datum", "replace(")):
                    offenders.append((p.name, v[:40]))
    docstrings = {(p.name, ast.get_docstring(n)[:40]) for p in UI for n in ast.walk(ast.parse(p.read_text()))
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef)) and ast.get_docstring(n)}
    assert [o for o in offenders if o not in docstrings] == []
