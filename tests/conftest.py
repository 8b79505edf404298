import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim.data import DATA_DIR
from sim.load import load_dataset  # noqa: E402


@pytest.fixture(scope="session")
def ds():
    return load_dataset()


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the bundled data folder, for tests that break one thing in it."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("*.md"))
    return dest
