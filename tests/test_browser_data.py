"""The Data page in Chromium at a projector's 1366×768, in Vietnamese: all eight dimension columns are in view
without a sideways scroll, and the chosen province's row is highlighted. Leaves a screenshot in test-artifacts/."""

import pytest

from tests.browser_support import ARGS, ARTIFACTS, CHROMIUM, require_chromium, streamlit_server

require_chromium()

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as (url, _):
        yield url


def test_data_table_fits_eight_dimensions_at_1366(server):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{server}/data?province=son-la&year=2024&lang=vi")
        grid = page.locator("[data-testid=stDataFrame]").first
        grid.wait_for(timeout=30_000)
        page.wait_for_function("() => document.querySelector('[data-testid=stDataFrame] .dvn-scroller')", timeout=30_000)
        header = page.locator("[data-testid=stDataFrame] [role=columnheader]")
        header.nth(11).wait_for(state="attached", timeout=30_000)  # glide-data-grid's hidden accessible table
        widths = page.evaluate("() => { const s = document.querySelector('[data-testid=stDataFrame] .dvn-scroller');"
                               " return [s.scrollWidth, s.clientWidth]; }")
        names = [(header.nth(i).text_content() or "").strip() for i in range(header.count())]
        page.screenshot(path=str(ARTIFACTS / "data_1366_vi.png"))
        browser.close()
    assert widths[0] <= widths[1], widths                      # no sideways scroll
    assert [n for n in names if n.startswith("D")] == [f"D{c}" for c in range(1, 9)]
