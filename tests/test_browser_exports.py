"""The download buttons in a real browser: a click builds the file on the server and the browser saves it."""

import openpyxl
import pytest

from tests.browser_support import ARGS, CHROMIUM, require_chromium, streamlit_server
from tests.conftest import ROOT

require_chromium()

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with streamlit_server(ROOT / "tests" / "apps" / "export_app.py") as (url, _):
        yield url


def test_both_files_download_from_the_buttons(server, tmp_path):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(server)
        saved = {}
        page.get_by_role("button", name="Tạo bản tóm tắt PDF").click()  # the brief is built first, once
        for label, ext in (("Tải sổ tính Excel (.xlsx)", "xlsx"), ("Tải bản tóm tắt PDF", "pdf")):
            button = page.get_by_role("button", name=label)
            button.wait_for(timeout=60_000)
            with page.expect_download(timeout=90_000) as info:
                button.click()
            download = info.value
            assert download.suggested_filename == f"papi-kich-ban-son-la-2024.{ext}"
            saved[ext] = tmp_path / download.suggested_filename
            download.save_as(saved[ext])
        browser.close()
    assert openpyxl.load_workbook(saved["xlsx"]).sheetnames[:2] == ["So sánh", "Thắng nhanh"]
    assert saved["pdf"].read_bytes().startswith(b"%PDF")
