"""The download buttons in a real browser: a click builds the file on the server and the browser saves it."""
import os
import socket
import subprocess
import sys
import time
import urllib.request

import openpyxl
import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
if not os.path.exists(CHROMIUM):
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (see .ci/run)", pytrace=False)
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "tests" / "apps" / "export_app.py"), "--server.port",
         str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_both_files_download_from_the_buttons(server, tmp_path):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(accept_downloads=True)
        page.goto(server)
        saved = {}
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
