"""The History page in Chromium at a projector's 1366×768, in Vietnamese: every trend chart is drawn at a
readable height, its plot not squeezed into a strip by its own legend and title (walkthrough defect 3).
Leaves a screenshot in test-artifacts/."""

import pytest

from tests.browser_support import ARGS, ARTIFACTS, CHROMIUM, require_chromium, streamlit_server, wait_first_run

require_chromium()

from playwright.sync_api import sync_playwright  # noqa: E402

# The height of each drawn chart and of its plot area (the y axis's own extent), read from the Vega view.
_MEASURE = """() => Array.from(document.querySelectorAll('[data-testid=stVegaLiteChart] svg.marks, '
  + '[data-testid=stVegaLiteChart] canvas.marks')).map(el => {
    const box = el.getBoundingClientRect();
    const axes = Array.from(el.querySelectorAll('g.role-axis')).map(a => a.getBoundingClientRect().height);
    const title = el.querySelector('g.role-title');
    const t = title ? title.getBoundingClientRect() : null;
    return {title: title ? title.textContent : null, height: box.height,
            tallest_axis: axes.length ? Math.max(...axes) : null,
            title_inside: t ? t.top >= box.top - 6 && t.bottom <= box.bottom + 6 : null,  // glyphs may overhang
            title_box: t ? [t.top, t.bottom, box.top, box.bottom] : null};
  })"""


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as (url, _):
        yield url


def test_history_charts_are_readable_at_1366(server):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{server}/history?province=son-la&year=2024&lang=vi")
        wait_first_run(page)
        # the total, rank and indicator charts, each with its axes drawn
        page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart] g.role-axis').length"
                               " >= 6", timeout=60_000)
        charts = page.evaluate(_MEASURE)
        page.screenshot(path=str(ARTIFACTS / "history_1366_vi.png"), full_page=True)
        browser.close()
    assert len(charts) >= 3, charts
    for c in charts:
        if c["height"] == 0:
            continue                                  # a chart inside the closed early-years expander
        assert c["height"] >= 250, c                  # the chart as drawn, title and legend included
        assert c["tallest_axis"] >= 200, c            # the y axis (the plot) is not a strip
        assert c["title_inside"], str(c)                # the title is not clipped above the box
