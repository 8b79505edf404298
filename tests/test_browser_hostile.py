"""In a real browser, no link appears that the app did not write: a URL in the address's ``province`` and a
URL saved as a scenario name stay text in the notice and in the comparison table (GFM autolinks bare URLs
even when every special character is escaped; the AppTest tests cannot see what the renderer makes)."""
from urllib.parse import quote

import pytest

from sim.scenario import Change, NamedScenario, Scenario
from tests.browser_support import ARGS, CHROMIUM, require_chromium, streamlit_server, wait_first_run
from workshop.store import Store

require_chromium()

from playwright.sync_api import expect, sync_playwright  # noqa: E402

EVIL = "https://127.0.0.1:9/dang-nhap"
SHOTS = "/work/shots/hostile"


def foreign_links(page, origin: str) -> list[str]:
    """Every link on the page that leads off the app (the app itself writes none)."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    return [h for h in hrefs if not h.startswith(origin)]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "workshops.sqlite3"
    db = Store(path)
    code = db.create_workshop()
    for name in (EVIL, "www.evil.example", "boss@evil.example"):
        db.save(code, NamedScenario(name, Scenario(2023, "Son La", (Change("5", 0.4),))))
    with streamlit_server(env={"PAPI_WORKSHOP_DB": str(path)}) as (url, _):
        yield url, code


def test_no_link_the_app_did_not_write(served, tmp_path):
    import os
    url, code = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{url}/?province={quote(EVIL, safe='')}&lang=vi", wait_until="domcontentloaded")
        wait_first_run(page)
        notice = page.get_by_test_id("stAlert").first
        expect(notice).to_contain_text("127.0.0.1:9", timeout=30_000)
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/notice-url-province.png")
        assert foreign_links(page, url) == []

        page.goto(f"{url}/workshop?w={code}&year=2023&lang=vi", wait_until="domcontentloaded")
        wait_first_run(page)
        picker = page.get_by_test_id("stMultiSelect")
        expect(picker).to_be_visible(timeout=30_000)
        table = page.get_by_test_id("stTable").last  # the comparison (the saved list is a table above it)
        for shown in ("127.0.0.1:9", "www", "boss"):  # the options in the order saved, each picked first
            box = picker.locator("input")
            box.scroll_into_view_if_needed()
            box.click()
            option = page.get_by_role("option").first
            expect(option).to_be_visible(timeout=30_000)
            option.click()
            page.keyboard.press("Escape")
            expect(table).to_contain_text(shown, timeout=30_000)  # the rerun drew the table with it
        table.scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/workshop-compare-url-names.png")
        assert foreign_links(page, url) == []
        assert page.locator('[data-testid="stTable"] a').count() == 0
        browser.close()
