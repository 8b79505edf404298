"""The goal plan table in a real browser at 1366x768: every row visible, no inner scroll, for 3, 8 and 28 rows
(the review measured scrollHeight 333 against clientHeight 316: rows are 37 px at the app's 17 px font)."""
import pytest

from tests.browser_support import ARGS, CHROMIUM, require_chromium, streamlit_server, wait_first_run

require_chromium()

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = {"PAPI_WORKSHOP_DB": str(tmp_path_factory.mktemp("ws") / "workshops.sqlite3")}
    with streamlit_server(env=env) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("query,rows", [("goal=group~1&lock=1~2~4~6~7", 3), ("goal=group~1", 8), ("level=sub", 28)])
def test_the_plan_table_shows_every_row_without_an_inner_scroll(server, browser, query, rows):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    try:
        page.goto(f"{server}/goal?year=2024&{query}", wait_until="domcontentloaded")
        wait_first_run(page, 120_000)
        plan = page.get_by_test_id("stDataFrame").last  # at sub level the limits editor comes first
        expect(plan).to_be_visible(timeout=60_000)
        grid = plan.locator("table[role=grid]")  # the canvas grid's accessible twin: header + plan rows
        expect(grid).to_have_attribute("aria-rowcount", str(rows + 1), timeout=60_000)
        scroller = plan.locator(".dvn-scroller")
        sizes = scroller.evaluate("e => [e.scrollHeight, e.clientHeight]")
        assert sizes[0] <= sizes[1], sizes
    finally:
        page.close()
