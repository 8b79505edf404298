"""The two file uploaders (Data page: a new edition; Workshop: a scenario pack). Streamlit draws its own English
words and a whole-MB limit inside the box, which cannot be translated: our own text, in the user's language, states
the real limit next to it (walkthrough defect 20)."""
import pytest

from formats.edition import MAX_BYTES
from formats.pack import PACK_BYTES_MAX
from sim.i18n import t
from tests.conftest import ROOT
from tests.test_app import open_app


@pytest.fixture(autouse=True)
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "workshops.sqlite3"
    monkeypatch.setenv("PAPI_WORKSHOP_DB", str(path))
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_edition_uploader_is_described_in_the_users_language_with_its_real_limit(lang):
    at = open_app(lang=lang)
    at.switch_page(str(ROOT / "views" / "data.py")).run()
    assert not at.exception
    box = at.file_uploader(key="edition.file")
    assert box.proto.label_visibility.value == box.proto.label_visibility.COLLAPSED
    assert box.proto.max_upload_size_mb * 1_000_000 >= MAX_BYTES
    caption = next(c.value for c in at.caption if c.value.startswith(t("edition.upload", lang)))
    assert "2 MB" in caption and t("upload.box_hint", lang) in caption


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_pack_uploader_states_the_real_128_kib_limit(lang):
    assert PACK_BYTES_MAX == 128 * 1024
    at = open_app(lang=lang)
    at.switch_page(str(ROOT / "views" / "workshop.py")).run()
    assert not at.exception
    box = at.file_uploader(key="ws.upload")
    assert "128 KiB" in box.label and "128 KiB" in box.proto.help
    assert box.proto.max_upload_size_mb == 1  # Streamlit's smallest per-widget limit, in whole MB
