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


@pytest.fixture(scope="session", autouse=True)
def _bundled_data_loaded_once(ds):
    """The CLI, run in-process hundreds of times, loads and checks the bundled folder once for the session (0.4 s
    a load): the bundled files never change under the tests (tests/test_hostile.py asserts it), and every other
    folder (a broken copy, an added edition) still goes through the real loader. tests/test_data.py checks the
    bundled folder itself through sim.load."""
    import commands.common as common
    real = common.load_dataset
    bundled = DATA_DIR.resolve()

    def load(folder=DATA_DIR):
        return ds if Path(folder).resolve() == bundled else real(folder)
    common.load_dataset = load
    yield
    common.load_dataset = real


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the bundled data folder, for tests that break one thing in it."""
    dest = tmp_path / "data"
    shutil.copytree(DATA_DIR, dest, ignore=shutil.ignore_patterns("*.md"))
    return dest
