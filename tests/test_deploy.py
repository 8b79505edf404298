"""The deployment on loopback: PostgreSQL, two replicas started by deploy/launch.py and nginx rendered from
deploy/papi-site.conf.in, then Chromium through nginx (Vietnamese).

A session on replica 1 saves a scenario and a session on replica 2 opens it through the workshop link; two
editors on different replicas overwrite the same version and both versions survive; replica 2 is killed
while its workshop is open: replica 1 goes on serving, the launcher starts replica 2 again, nothing saved is
lost, and the cut-off session shows its workshop and scenario again from its URL. Bounded (WHOLE_S); skipped
where nginx or PostgreSQL is missing, except in CI (.ci/run installs both), where it must run.
"""
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from urllib.parse import parse_qs, urlparse

import pytest

from sim.i18n import t
from tests.browser_support import ARGS, CHROMIUM, require_chromium
from tests.conftest import ROOT
from tests.pg_support import cluster

require_chromium()
if not os.path.exists(shutil.which("nginx") or "/usr/sbin/nginx"):
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's nginx (see .ci/run)", pytrace=False)
    pytest.skip("nginx is not installed (apt-get install nginx)", allow_module_level=True)

sys.path.insert(0, str(ROOT / "deploy"))
import local  # noqa: E402  (deploy/local.py)
import nginx as nginx_conf  # noqa: E402  (deploy/nginx.py)
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from sqlalchemy import select  # noqa: E402

from workshop.records import client_key  # noqa: E402
from workshop.schema import creations  # noqa: E402
from workshop.store import Store  # noqa: E402

WHOLE_S = 150       # everything: start-up, three scenes, the restart
START_S = 90        # two replicas starting at once on a busy 2-core machine
NAME = "Kế hoạch A"


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if check():
                return
        time.sleep(0.3)
    pytest.fail(f"{what} within {seconds:.0f} s (load average {os.getloadavg()[0]:.1f})")


def healthy(port: int) -> bool:
    r = local.answers(f"http://127.0.0.1:{port}/_stcore/health")
    return r is not None and r.status == 200


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    started = time.monotonic()
    db_url = cluster().new_database("deploy")
    try:
        with local.stack(2, tmp_path_factory.mktemp("deploy"), env={"PAPI_WORKSHOP_DB": db_url}, start_s=START_S,
                         upstream_header=True) as s:
            yield {"url": s.url, "ports": s.ports, "stack": s, "db": db_url, "started": started}
    except local.StackError as e:
        pytest.fail(str(e))


def route_to(stack, port: int) -> str:
    """A papi_route cookie value that nginx's consistent hash sends to the replica on ``port``."""
    for k in range(200):
        if local.answers(f"{stack['url']}/_stcore/health", f"r{k}").headers["X-Papi-Upstream"].endswith(f":{port}"):
            return f"r{k}"
    pytest.fail(f"no route cookie reaches port {port}")


def test_the_site_matches_the_apps_upload_bound_and_keeps_websockets_open():
    from formats.edition import MAX_BYTES
    text = nginx_conf.site([8501, 8502])
    body = int(re.search(r"client_max_body_size (\d+)m;", text).group(1)) * 1_000_000
    assert MAX_BYTES < body <= MAX_BYTES + 2_000_000
    assert "proxy_set_header Upgrade $http_upgrade" in text and re.search(r"proxy_read_timeout \d+h", text)
    assert "server 127.0.0.1:8501" in text and "server 127.0.0.1:8502" in text and not re.search(r"@[A-Z_]+@", text)


def test_an_unknown_store_url_stops_the_launcher_in_one_line(tmp_path):
    p = subprocess.run([sys.executable, str(ROOT / "deploy" / "launch.py"), "--run-dir", str(tmp_path), "--lang", "en"],
                       cwd=ROOT, env={**os.environ, "PAPI_WORKSHOP_DB": "mysql://u@h/db"}, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 2 and p.stderr.strip() == t("store.bad_url", "en", scheme="mysql")
    assert list(tmp_path.iterdir()) == []


def idle(page):
    expect(page.locator("[data-testid=stApp]")).to_have_attribute("data-test-script-state", "notRunning",
                                                                   timeout=30_000)


def open_page(browser, stack, port, path):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1500})
    ctx.add_cookies([{"name": "papi_route", "value": route_to(stack, port), "url": stack["url"]}])
    page = ctx.new_page()
    page.goto(f"{stack['url']}{path}", wait_until="domcontentloaded")
    expect(page.get_by_role("button", name=t("ws.save", "vi"), exact=True)).to_be_visible(timeout=60_000)
    idle(page)
    return page


def test_two_replicas_share_workshops_keep_both_versions_and_survive_a_restart(stack):
    one, two = stack["ports"]
    db = Store(stack["db"])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            # 1. saved on replica 1, seen on replica 2 through the workshop link
            a = open_page(browser, stack, one, "/workshop?year=2023&s=v1~5d0.4~8t4.5")
            a.get_by_label(t("ws.name", "vi")).fill(NAME)
            a.get_by_role("button", name=t("ws.save", "vi"), exact=True).click()
            expect(a.get_by_text(t("ws.saved", "vi", name=NAME))).to_be_visible(timeout=30_000)
            a.wait_for_url(re.compile(r"[?&]w=[A-Za-z0-9_-]{22}"), timeout=15_000)
            code = parse_qs(urlparse(a.url).query)["w"][0]
            b_path = f"/workshop?w={code}&year=2023&s=v1~3d0.5"
            b = open_page(browser, stack, two, b_path)
            expect(b.get_by_test_id("stTable").first).to_contain_text(NAME, timeout=30_000)

            # 2. both editors overwrite version 1 from different replicas: both versions survive
            a.goto(f"{stack['url']}/workshop?w={code}&year=2023&s=v1~6.1t2.2", wait_until="domcontentloaded")
            expect(a.get_by_test_id("stTable").first).to_contain_text(NAME, timeout=30_000)
            idle(a)
            update = t("ws.update", "vi")
            a.get_by_role("button", name=update).click()
            expect(a.get_by_text(t("ws.updated", "vi", name=NAME, version=2))).to_be_visible(timeout=30_000)
            b.get_by_role("button", name=update).click()  # B still shows version 1
            expect(b.get_by_text(f"'{NAME} (2)'", exact=False)).to_be_visible(timeout=30_000)
            kept = {s.name: (s.version, [c.code for c in s.changes]) for s in db.list(code)}
            assert kept == {NAME: (2, ["6.1"]), f"{NAME} (2)": (1, ["3"])}

            # 3. replica 2 dies with B's workshop open: replica 1 serves, the launcher restarts replica 2
            current = b.get_by_text(t("ws.current", "vi", summary=""), exact=False)
            sliders, b_query = current.inner_text(), parse_qs(urlparse(b.url).query)
            old = stack["stack"].replica_pid(2)
            os.kill(old, signal.SIGKILL)
            a.reload(wait_until="domcontentloaded")
            expect(a.get_by_test_id("stTable").first).to_contain_text(f"{NAME} (2)", timeout=30_000)
            # B's browser reconnects (to replica 1 while 2 is down) and its page runs again from its URL
            table = b.get_by_test_id("stTable").first
            expect(table).to_contain_text(f"{NAME} (2)", timeout=60_000)
            assert parse_qs(urlparse(b.url).query) == b_query  # the address still carries workshop and scenario
            expect(current).to_have_text(sliders, timeout=30_000)
            wait_for(lambda: stack["stack"].replica_pid(2) != old and healthy(two), START_S,
                     "the launcher did not start replica 2 again")
            b.reload(wait_until="domcontentloaded")
            expect(b.get_by_test_id("stTable").first).to_contain_text(f"{NAME} (2)", timeout=60_000)
            expect(current).to_have_text(sliders, timeout=30_000)  # its sliders again, from its URL
            assert "3" in sliders
            assert {s.name: s.version for s in db.list(code)} == {NAME: 2, f"{NAME} (2)": 1}
            # the one workshop was counted against the visitor's address, which reached the app through
            # nginx's X-Real-IP on the websocket (Streamlit itself sees only the loopback peer)
            with db._engine.connect() as con:
                assert [r[0] for r in con.execute(select(creations.c.client))] == [client_key("127.0.0.1")]
        finally:
            browser.close()
            db.dispose()
    assert time.monotonic() - stack["started"] < WHOLE_S, f"the deployment test took over {WHOLE_S} s"
