"""The presenter view in Chromium at a projector's 1366×768, in Vietnamese (issue 20, item 2): /present opens
on step 1, PageDown steps through all six (PageUp goes back), each step shows the scenario's name and the
numbers of ``python -m sim story --json`` for the same scenario, and fits the screen without scrolling.
Leaves a screenshot of every step in test-artifacts/ (docs/screenshots/present-*.png are copies)."""
import contextlib
import io
import json

import pytest

from commands.main import run
from sim.i18n import fmt_num, fmt_pct
from tests.browser_support import ARGS, ARTIFACTS, CHROMIUM, require_chromium, streamlit_server, wait_first_run

require_chromium()

from playwright.sync_api import expect, sync_playwright  # noqa: E402

LINK = "v1~3d0.3~5d0.4~8d0.5"
NAME = "Kịch bản trên trang Mô phỏng"  # the what-if page's scenario, opened by a link


@pytest.fixture(scope="module")
def doc():
    out, err = io.StringIO(), io.StringIO()
    code = run(["story", "--year", "2023", "--province", "Sơn La", "--json", "--lang", "vi", "--name", NAME,
                "--change", "3=+0.3", "--change", "5=+0.4", "--change", "8=+0.5"], out=out, err=err)
    assert code == 0, err.getvalue()
    return json.loads(out.getvalue())


def numbers(doc: dict) -> list[list[str]]:
    """Per step, figures of the CLI's JSON as the screen must write them."""
    w, b, o, g = doc["where"], doc["buys"], doc["odds"], doc["goal"]
    return [
        [fmt_num(w["total"], "vi"), f"{w['rank']}/{w['of']}", fmt_num(w["previous"]["total_change"], "vi", sign=True),
         f"tăng {w['previous']['rank_change']} bậc"],
        [f"{fmt_num(c['from'], 'vi')} → {fmt_num(c['to'], 'vi')}" for c in doc["change"]],
        [fmt_num(b["total"], "vi"), f"{b['rank']}/{b['of']}", fmt_num(b["to_next_group"], "vi", 4)],
        [fmt_pct(o["p_target"], "vi"), fmt_pct(o["p_top_k"], "vi"), f"{o['rank_p5']}–{o['rank_p95']}",
         o["p_target_words"], f"{o['record']['inside']} trong {o['record']['n']}"],
        [f"{fmt_num(s['from'], 'vi')} → {fmt_num(s['to'], 'vi')}" for s in g["plan"]] + [fmt_num(g["total"], "vi")],
        [str(doc["movers"]["looked"])],
    ]


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as (url, _):
        yield url


@contextlib.contextmanager
def _present(server):
    """The presenter view of LINK's scenario, Sơn La 2023 in Vietnamese, at 1366×768, after its first run."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{server}/present?year=2023&lang=vi&s={LINK}")
        wait_first_run(page)
        yield page
        browser.close()


def test_present_steps_with_pagedown(server, doc):
    ARTIFACTS.mkdir(exist_ok=True)
    want = numbers(doc)
    with _present(server) as page:
        main = page.get_by_test_id("stMain")
        for k, step in enumerate(doc["steps"]):
            expect(main.get_by_role("heading", name=step["title"], exact=True)).to_be_visible(timeout=30_000)
            expect(main.get_by_text(f"Bước {k + 1}/6", exact=True)).to_be_visible()
            # the step's elements replace the last step's as the run draws them: wait for each, never snapshot
            for shown in (NAME, step["headline"], *want[k]):
                expect(main).to_contain_text(shown, timeout=15_000)
            if step["key"] in ("where", "odds"):  # its chart is drawn before the picture is taken
                page.wait_for_function("() => document.querySelectorAll('[data-testid=stVegaLiteChart] "
                                       "g.role-axis').length >= 1", timeout=30_000)
            # one screen: nothing of the step below the fold at 1366×768
            bottom = page.evaluate("() => Math.max(...Array.from(document.querySelectorAll("
                                   "'[data-testid=stMain] [data-testid=stElementContainer]'))"
                                   ".map(e => e.getBoundingClientRect().bottom))")
            page.screenshot(path=str(ARTIFACTS / f"present-{k + 1}-vi.png"))
            assert bottom <= 768, (k, bottom)
            page.keyboard.press("PageDown")
        expect(main.get_by_text("Bước 6/6", exact=True)).to_be_visible()  # PageDown on the last step stays there
        page.keyboard.press("PageUp")
        expect(main.get_by_role("heading", name=doc["steps"][4]["title"], exact=True)).to_be_visible(timeout=30_000)
        page.keyboard.press("ArrowLeft")
        expect(main.get_by_role("heading", name=doc["steps"][3]["title"], exact=True)).to_be_visible(timeout=30_000)
        page.keyboard.press("PageUp")  # two presses faster than a run: both count (a clicker pressed twice)
        page.keyboard.press("PageUp")
        expect(main.get_by_role("heading", name=doc["steps"][1]["title"], exact=True)).to_be_visible(timeout=30_000)
        expect(main.get_by_text("Bước 2/6", exact=True)).to_be_visible()


def _step_key_listeners(page) -> int:
    """The document's keydown listeners added by the presenter's step keys (assets/present_keys.js), as Chrome's
    DevTools list them (DOMDebugger.getEventListeners, each listener's script read back by its id)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Debugger.enable")
    handle = cdp.send("Runtime.evaluate", {"expression": "document"})["result"]["objectId"]
    found = cdp.send("DOMDebugger.getEventListeners", {"objectId": handle})["listeners"]
    sources = {x["scriptId"]: cdp.send("Debugger.getScriptSource", {"scriptId": x["scriptId"]})["scriptSource"]
               for x in found if x["type"] == "keydown"}
    cdp.detach()
    return sum(1 for x in found if x["type"] == "keydown" and "The presenter view's keys" in sources[x["scriptId"]])


def test_the_key_listener_is_added_once_however_many_steps(server):
    """Streamlit calls a component's function again on every run and its cleanup only when the element goes: a
    listener added on every call piled up (one more per step, each still sending its own stale target)."""
    with _present(server) as page:
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text("Bước 1/6", exact=True)).to_be_visible(timeout=30_000)
        assert _step_key_listeners(page) == 1
        for k in range(2, 7):
            page.keyboard.press("PageDown")
            expect(main.get_by_text(f"Bước {k}/6", exact=True)).to_be_visible(timeout=30_000)
        page.wait_for_timeout(500)
        assert _step_key_listeners(page) == 1
        page.keyboard.press("PageUp")  # one press is still one step
        expect(main.get_by_text("Bước 5/6", exact=True)).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        expect(main.get_by_text("Bước 5/6", exact=True)).to_be_visible()
