"""What every real-browser test shares: Debian's Chromium (a module is skipped where it is missing, and fails
in CI, where .ci/run installs it) and `streamlit run` on a free loopback port."""
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "test-artifacts"


def require_chromium() -> None:
    """Call at the top of a browser test module, before importing playwright."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (see .ci/run)", pytrace=False)
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(script: Path, env: dict | None, start_s: float):
    """One ``streamlit run`` on a fresh port; (url, process, log), or None when the port was taken before the
    server could bind it (two xdist workers can be handed the same free port)."""
    port = free_port()
    log = tempfile.TemporaryFile()  # a file, not a pipe: a pipe nobody reads can fill and stall the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + start_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:  # it stopped: a taken port (another worker's server) or a real failure
            log.seek(0)
            text = log.read().decode(errors="replace")
            if "is not available" in text or "already in use" in text:
                log.close()
                return None
            pytest.fail(f"streamlit stopped at start (exit {proc.returncode}): {text[-2000:]}")
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return url, proc, log
        except OSError:
            time.sleep(0.3)
    proc.kill()
    log.seek(0)
    pytest.fail(f"streamlit did not start within {start_s} s (load average {os.getloadavg()[0]:.1f}): "
                + log.read().decode(errors="replace")[-2000:])


@contextlib.contextmanager
def streamlit_server(script: Path = ROOT / "app.py", env: dict | None = None, start_s: float = 60):
    """Yields the URL of ``streamlit run script`` on 127.0.0.1 once it answers its health check."""
    started = None
    for _ in range(3):
        started = _start(script, env, start_s)
        if started:
            break
    if started is None:
        pytest.fail("streamlit found its port taken three times in a row")
    url, proc, log = started
    try:
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium (Debian's) for a module's tests."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def workshop_db(tmp_path_factory) -> Path:
    """The module's own workshop database (empty; a module that needs saved scenarios defines its own)."""
    return tmp_path_factory.mktemp("ws") / "workshops.sqlite3"


@pytest.fixture(scope="module")
def server(workshop_db):
    """`streamlit run app.py` on a free loopback port, with the module's workshop database."""
    with streamlit_server(env={"PAPI_WORKSHOP_DB": str(workshop_db)}) as (url, _):
        yield url


def wait_first_run(page, timeout_ms: int = 60_000) -> None:
    """Wait until a page's first run has drawn everything: the sidebar, drawn after the page, shows its
    province box. Before that, elements are still arriving and a locator by position can land elsewhere."""
    from playwright.sync_api import expect
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").nth(1)).to_be_visible(timeout=timeout_ms)


def idle(page) -> None:
    """Wait until the app has finished its rerun (Streamlit marks the script state on the app element)."""
    from playwright.sync_api import expect
    expect(page.locator("[data-testid=stApp]")).to_have_attribute("data-test-script-state", "notRunning",
                                                                   timeout=30_000)


def pick(page, picker, name) -> None:
    """Choose one option of a multiselect: open its list (a click can land while it re-mounts, so up to
    three tries), click the option, wait for the rerun."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    option = page.get_by_role("option", name=name)
    for _ in range(3):
        picker.click()
        try:
            option.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            picker.press("Escape")
    option.click()
    idle(page)
