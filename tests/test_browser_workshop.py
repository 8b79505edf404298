"""The workshop comparison, the odds page and the lever page in a real browser at 1366×768 (Vietnamese):
nothing scrolls sideways or is cut, and a screenshot of each for people to look at."""
import pytest

from sim.scenario import Change, NamedScenario, Scenario
from tests.browser_support import ARTIFACTS, browser, idle, pick, require_chromium, server, wait_first_run  # noqa: F401
from workshop.store import Store

require_chromium()

from playwright.sync_api import expect  # noqa: E402

VIEW = {"width": 1366, "height": 768}
PLANS = [  # the walkthrough's three scenarios: long names, small changes
    ("Phương án A: Kế hoạch +0,5 (5, 3, 8)", "Sở Nội vụ chủ trì; giả định mỗi chỉ số 5, 3, 8 tăng 0,5 điểm trong 1 năm",
     (("5", 0.5), ("3", 0.5), ("8", 0.5))),
    ("Phương án B: ít nhất để vào nhóm cao nhất", "Theo trang Mục tiêu, giữ nguyên 1, 2, 4, 6, 7",
     (("3", 0.0983), ("5", 0.302), ("8", 0.4501))),
    ("Phương án C: thận trọng (+0,25)", "Văn phòng UBND tỉnh; mức tăng bằng nửa phương án A",
     (("5", 0.25), ("3", 0.25), ("8", 0.25))),
]


@pytest.fixture(scope="module")
def workshop_code(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "workshops.sqlite3"
    db = Store(str(path))
    code = db.create_workshop()
    for name, note, changes in PLANS:
        db.save(code, NamedScenario(name, Scenario(2024, "Son La", tuple(Change(c, v) for c, v in changes)), note))
    return path, code


@pytest.fixture(scope="module")
def workshop_db(workshop_code):
    return workshop_code[0]


def _no_sideways_scroll(locator) -> None:
    width, inner = locator.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert width <= inner + 1, f"{width} px of content in a {inner} px box"


def test_the_workshop_compares_three_saved_scenarios_at_1366(server, browser, workshop_code):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport=VIEW)
    page = ctx.new_page()
    page.goto(f"{server}/workshop?w={workshop_code[1]}&year=2024&lang=vi", wait_until="domcontentloaded")
    wait_first_run(page)
    saved = page.get_by_test_id("stTable").first
    expect(saved).to_contain_text("5: +0,50 · 3: +0,50 · 8: +0,50", timeout=15_000)
    _no_sideways_scroll(saved)
    expect(saved).to_contain_text("Phiên bản, cập nhật (UTC)")
    saved.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "workshop_saved_list.png"))
    picker = page.get_by_test_id("stMultiSelect").get_by_role("combobox")
    for name, _, _ in PLANS:
        pick(page, picker, name)
    picker.press("Escape")
    chart = page.get_by_test_id("stVegaLiteChart")
    expect(chart).to_be_visible(timeout=15_000)
    _no_sideways_scroll(page.get_by_test_id("stTable").last)
    chart.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(800)  # let the chart finish drawing before the picture (bounded, once)
    page.screenshot(path=str(ARTIFACTS / "workshop_compare_chart.png"))
    page.get_by_text("So sánh các kịch bản").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / "workshop_compare_table.png"))
    ctx.close()


@pytest.mark.parametrize("path,name", [("odds", "odds"), ("levers", "levers")])
def test_odds_and_levers_pages_at_1366(server, browser, path, name):
    ARTIFACTS.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport=VIEW)
    page = ctx.new_page()
    page.goto(f"{server}/{path}?year=2024&lang=vi&s=v1~3d0.5~5d0.5~8d0.5", wait_until="domcontentloaded")
    wait_first_run(page)
    charts = page.get_by_test_id("stVegaLiteChart")
    expect(charts.first).to_be_visible(timeout=30_000)
    idle(page)
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / f"{name}_top.png"))
    if name == "levers":
        _no_sideways_scroll(page.get_by_test_id("stTable").first)
    charts.first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"{name}_charts.png"))
    charts.last.evaluate("e => e.scrollIntoView({block: 'end'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}_last_chart.png"))
    ctx.close()
