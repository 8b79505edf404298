"""Links in a real browser: move two sliders, copy the address, open it in a fresh browser context and see
the same headline; then a workshop with two saved scenarios compared (screenshot for people to look at)."""
import re
from urllib.parse import parse_qs, urlparse

from formats.link import from_link, to_link
from sim.i18n import fmt_num
from sim.scenario import Change, Scenario, apply, baseline
from tests.browser_support import ARTIFACTS, browser, idle, pick, require_chromium, server, workshop_db  # noqa: F401
from tests.panel_support import arrow_value

require_chromium()

from playwright.sync_api import expect  # noqa: E402


def _metric(page, n: int):
    """The headline's total (0) and rank (1), on the lever panel."""
    return page.get_by_test_id(("headline-total", "headline-rank")[n])


def _step_right(page, ds, year, code, steps):
    """Press → on a dimension's slider ``steps`` times, waiting for each rerun; returns the value reached."""
    base = baseline(ds, year, "Son La").dimensions[code]
    slider = page.get_by_role("slider", name=re.compile(rf"^{code}\. "))  # by its label: levers sit in two columns
    for step in range(1, steps + 1):
        slider.focus()
        slider.press("ArrowRight")
        expect(slider).to_have_attribute("aria-valuenow", f"{arrow_value(base, step):.4f}", timeout=15_000)
    return arrow_value(base, steps)


def test_a_copied_link_reopens_the_same_headline_in_a_fresh_browser(server, browser, ds):
    year = ds.years[-1]
    first = browser.new_context(viewport={"width": 1600, "height": 900})
    page = first.new_page()
    page.goto(server, wait_until="domcontentloaded")
    expect(_metric(page, 0)).to_have_text(fmt_num(baseline(ds, year, "Son La").total, "vi"), timeout=30_000)
    five = _step_right(page, ds, year, "5", 2)
    eight = _step_right(page, ds, year, "8", 2)
    moved = (Change("5", five, "target"), Change("8", eight, "target"))
    # the slider shows its new value at once; the address follows when the app has rerun
    page.wait_for_url(re.compile(r"[?&]s=" + re.escape(to_link(moved)) + "(&|$)"), timeout=15_000)
    link = page.url  # what a person copies from the address bar
    changes = from_link(parse_qs(urlparse(link).query)["s"][0])
    assert changes == moved
    o = apply(ds, Scenario(year, "Son La", changes))
    total, rank = fmt_num(o.result.total, "vi"), f"{o.result.rank}/{o.result.of}"
    expect(_metric(page, 0)).to_have_text(total, timeout=15_000)
    expect(_metric(page, 1)).to_have_text(rank)
    first.close()

    fresh = browser.new_context(viewport={"width": 1600, "height": 900})  # no cookies, no session
    other = fresh.new_page()
    other.goto(link, wait_until="domcontentloaded")
    expect(_metric(other, 0)).to_have_text(total, timeout=30_000)
    expect(_metric(other, 1)).to_have_text(rank)
    assert o.result.total > o.baseline.total
    fresh.close()


def _save(page, name):
    idle(page)
    page.get_by_label("Tên kịch bản").fill(name)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text(f"Đã lưu '{name}'.")).to_be_visible(timeout=15_000)
    idle(page)


def test_a_workshop_compares_two_saved_scenarios(server, browser, ds):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1500})
    page = ctx.new_page()
    page.goto(f"{server}/workshop?year=2023&s=v1~5d0.4~8t4.5", wait_until="domcontentloaded")
    _save(page, "Cải cách nhanh")
    page.wait_for_url(re.compile(r"[?&]w=[A-Za-z0-9_-]{22}"), timeout=15_000)
    code = parse_qs(urlparse(page.url).query)["w"][0]
    # a second person opens the workshop link with another scenario on the sliders
    page.goto(f"{server}/workshop?w={code}&year=2023&s=v1~3d0.5~5d0.5~6.1t2.2", wait_until="domcontentloaded")
    _save(page, "Trọng tâm kế hoạch")
    picker = page.get_by_test_id("stMultiSelect").get_by_role("combobox")
    for name in ("Cải cách nhanh", "Trọng tâm kế hoạch"):
        pick(page, picker, name)
    table = page.get_by_test_id("stTable").first  # the comparison: a static table that wraps long names
    expect(table).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible(timeout=15_000)
    expect(table).to_contain_text("Trọng tâm kế hoạch")
    picker.press("Escape")
    page.get_by_text("So sánh các kịch bản").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)  # let the chart finish drawing before the picture (bounded, once)
    page.screenshot(path=str(ARTIFACTS / "workshop_compare.png"))
    ctx.close()
