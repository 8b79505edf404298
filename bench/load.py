"""Capacity on loopback: 10, 20 and 40 concurrent sessions over 1 and 2 replicas behind nginx.

    python bench/run.py load                    # the whole table (10 to 30 minutes, by the machine's load)
    python bench/load.py --sessions 10 --replicas 1 --moves 3

Each session is a Chromium page (one browser, a context per participant, five opening at a time) on the
what-if page. When all are drawn (or at READY_S, whichever is first), every session moves its own dimension
slider with the keyboard, MOVES times, each move as soon as the last one shows (End, Home, End: the total
always moves): a closed loop, every participant pressing without pause, the worst case of a workshop.
Latency is timed inside the page with performance.now(), from the keydown to the change of the headline
total's text (``data-testid="headline-total"``, else the first metric), so the browser's own scheduling is
not counted. Memory: the replicas' resident set (VmRSS), sampled every 0.2 s; per session = (peak - idle)
/ sessions, idle read after one page has been drawn on each replica (data and caches loaded). CPU: the
replicas' user + system time from the start of the moves to the last, per move: the figure that does not
depend on what else the machine runs, and the one capacity is planned from (README "Deploy"). The browser shares the machine's cores with the replicas: the figures are an upper bound of
what a participant waits. Every run is bounded (RUN_S); sessions that do not finish are reported as such.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import local  # noqa: E402  (deploy/local.py)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--disable-renderer-backgrounding", "--disable-background-timer-throttling"]
SESSIONS = (10, 20, 40)
REPLICAS = (1, 2)
MOVES = 3
RUN_S = 240        # one configuration, from the first page opened to the last move
READY_S = 150      # the moves start when every page is drawn, or at this time
OPENING = 5        # pages opening at once (opening is not what is measured)
CODES = ("1", "2", "3", "4", "5", "6", "7", "8")

# keydown -> Python's figures back on the lever panel (its data-source turns "python" again after the sync), in the
# page's own clock: the panel's own headline follows a key in ~1 ms without the server, so the replicas' load is
# what the sync takes. Falls back to the first metric's text on a page without the panel.
WATCH = """() => {
  window.__lat = []; let t0 = null;
  const host = [...document.querySelectorAll('*')].find(e => e.shadowRoot && e.shadowRoot.querySelector('[data-testid=lever-panel]'));
  const panel = host ? host.shadowRoot.querySelector('[data-testid=lever-panel]') : null;
  const head = () => document.querySelector('[data-testid="stMetricValue"]');
  let last = head() ? head().textContent : null;
  document.addEventListener('keydown', () => { t0 = performance.now(); }, true);
  if (panel) {
    new MutationObserver(() => {
      if (t0 !== null && panel.getAttribute('data-source') === 'python') { window.__lat.push(performance.now() - t0); t0 = null; }
    }).observe(panel, {attributes: true, attributeFilter: ['data-source']});
    return;
  }
  new MutationObserver(() => {
    const el = head(); const text = el ? el.textContent : null;
    if (t0 !== null && text !== last) { window.__lat.push(performance.now() - t0); t0 = null; }
    last = text;
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def cpu_s(pids: list[int]) -> float:
    """User + system CPU seconds the replicas have used so far (/proc/PID/stat, fields 14 and 15)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


async def sample_rss(pids: list[int], peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mib(pids))
        await asyncio.sleep(0.2)


class Start:
    """Everybody moves together once all pages are drawn, or at READY_S, whichever is first (a page that is
    slow to open on a busy machine must not hold the others back); opening runs OPENING pages at a time."""

    def __init__(self, sessions: int, on_start) -> None:
        self.left, self.go, self.on_start, self.finished = sessions, asyncio.Event(), on_start, 0
        self.opening = asyncio.Semaphore(OPENING)

    def ready(self) -> None:
        self.left -= 1
        if self.left == 0:
            self.fire()

    def fire(self) -> None:
        if not self.go.is_set():
            self.on_start()
            self.go.set()


async def participant(browser, url: str, j: int, start: Start, moves: int, out: list[float]) -> int:
    """One workshop participant: open the page, wait for the start, then move one slider ``moves`` times;
    each latency is kept as it comes (a run cut off at RUN_S still reports what it measured)."""
    ctx = await browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = await ctx.new_page()
        code = CODES[j % len(CODES)]
        slider = page.get_by_role("slider", name=re.compile(rf"^{code}\. "))
        async with start.opening:
            await page.goto(f"{url}/?year=2023&lang=vi", wait_until="commit", timeout=RUN_S * 1000)
            await slider.wait_for(timeout=RUN_S * 1000)
            await page.get_by_test_id("headline-total").wait_for(timeout=RUN_S * 1000)  # the lever panel
        await page.evaluate(WATCH)
        start.ready()
        await start.go.wait()
        for k in range(moves):
            await slider.focus()
            await slider.press("End" if k % 2 == 0 else "Home")  # to 10, to 1: the total always moves
            await page.wait_for_function(f"window.__lat.length > {k}", timeout=RUN_S * 1000, polling=50)
            out.append(await page.evaluate(f"window.__lat[{k}]") / 1000)
        start.finished += 1
        return moves
    finally:
        await ctx.close()


async def warm(browser, url: str) -> None:
    """One page drawn on a replica, so its data and caches are loaded before "idle" memory is read."""
    ctx = await browser.new_context()
    page = await ctx.new_page()
    await page.goto(f"{url}/?year=2023&lang=vi", wait_until="commit", timeout=RUN_S * 1000)
    await page.get_by_test_id("headline-total").wait_for(timeout=RUN_S * 1000)
    await ctx.close()


async def one_run(url: str, ports: list[int], pids: list[int], sessions: int, moves: int) -> dict:
    from playwright.async_api import async_playwright
    latencies: list[float] = []
    released: list[tuple[float, float]] = []  # (time, replicas' CPU seconds) when the moves start
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for port in ports:  # each replica directly, past nginx
            await warm(browser, f"http://127.0.0.1:{port}")
        idle = rss_mib(pids)
        peak, stop = [idle], asyncio.Event()
        sampler = asyncio.create_task(sample_rss(pids, peak, stop))
        start = Start(sessions, lambda: released.append((time.monotonic(), cpu_s(pids))))
        asyncio.get_running_loop().call_later(READY_S, start.fire)
        t0 = time.monotonic()
        try:
            done = await asyncio.wait_for(asyncio.gather(
                *(participant(browser, url, j, start, moves, latencies) for j in range(sessions)),
                return_exceptions=True), RUN_S)
        except (asyncio.TimeoutError, TimeoutError):
            done = []
        end = (time.monotonic(), cpu_s(pids))
        late = start.left
        stop.set()
        await sampler
        await browser.close()
    finished = start.finished  # counted as they finish: a run cut off at RUN_S still says how many did
    errors = [f"{type(d).__name__}: {str(d).splitlines()[0][:160]}" for d in done if isinstance(d, BaseException)]
    start = released[0] if released else end
    return {"sessions": sessions, "late": late, "finished": finished, "moves": len(latencies), "wall_s": end[0] - t0,
            "p50": statistics.median(latencies) if latencies else float("nan"),
            "p95": statistics.quantiles(latencies, n=20, method="inclusive")[-1] if len(latencies) > 1
            else float("nan"), "idle_mib": idle, "peak_mib": peak[0],
            "per_session_mib": (peak[0] - idle) / sessions, "errors": errors,
            "moves_s": end[0] - start[0], "cpu_per_move_ms": 1000 * (end[1] - start[1]) / max(1, len(latencies))}


def measure(replicas: int, sessions: int, moves: int = MOVES) -> dict:
    """One configuration on a fresh stack (its own SQLite store in a temp folder)."""
    with tempfile.TemporaryDirectory(prefix="papi-load-") as tmp:
        env = {"PAPI_WORKSHOP_DB": str(Path(tmp) / "ws.sqlite3")}
        with local.stack(replicas, Path(tmp), env=env) as s:
            pids = [s.replica_pid(k) for k in range(1, replicas + 1)]
            result = asyncio.run(one_run(s.url, list(s.ports), pids, sessions, moves))
    return {"replicas": replicas, **result}


def line(r: dict) -> str:
    return (f"load     {r['replicas']} replica(s), {r['sessions']:>2} sessions ({r['late']} not drawn at the start): "
            f"{r['finished']}/{r['sessions']} finished, {r['moves']} moves in {r['moves_s']:.0f} s, key-to-headline p50 {r['p50']:.2f} s, p95 {r['p95']:.2f} s; "
            f"replicas' RSS idle {r['idle_mib']:.0f} MiB, peak {r['peak_mib']:.0f} MiB, "
            f"{r['per_session_mib']:.1f} MiB per session; replicas' CPU {r['cpu_per_move_ms']:.0f} ms per move; "
            f"{r['wall_s']:.0f} s, load average {os.getloadavg()[0]:.1f}")


def main(ds=None, argv: list[str] | None = None) -> list[dict]:
    p = argparse.ArgumentParser(description="Capacity of the deployment on loopback (see module docstring).")
    p.add_argument("--sessions", type=int, nargs="*", default=list(SESSIONS))
    p.add_argument("--replicas", type=int, nargs="*", default=list(REPLICAS))
    p.add_argument("--moves", type=int, default=MOVES)
    a = p.parse_args(argv if argv is not None else [])
    print(f"load     machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the runs")
    results = []
    for replicas in a.replicas:
        for sessions in a.sessions:
            r = measure(replicas, sessions, a.moves)
            print(line(r), flush=True)
            for e in sorted(set(r["errors"]))[:3]:
                print(f"load       a session failed: {e}", flush=True)
            results.append(r)
    return results


if __name__ == "__main__":
    main(argv=sys.argv[1:])
