"""Interaction latency in a real browser: slider key press -> page settled with new numbers.

Run:  python bench/bench_latency.py [--presses 20]

Starts ``streamlit run app.py`` (timing the cold start to a rendered landing page) and a
second server for bench/reference_app.py (one slider, one metric), both as the browser
tests start theirs. The reference stays open in its own tab. For every page of the page
registry (ui/registry.py) that has a slider, it focuses the slider the browser tests press (tests/e2e/expectations.py names it, else the first one
below its maximum) and presses ArrowRight and ArrowLeft alternately, in rounds of
``ROUND`` presses that alternate between the page and the reference tab. So each page is
compared with reference presses made in the same minute, under the same load: this
machine's load drifts, and a reference measured once at the start moved ratios by ±0.3.

One press is timed with time.perf_counter() in this process, from just before
``keyboard.press`` until ``wait_for_function`` (polling every animation frame) sees the
script state back at "notRunning", no lazy-load skeleton left, and the metrics' text
changed. So each figure includes one or two DevTools round trips.

Targets: every page within 1.3x the reference's median; cold start under 5 s.
Chromium: $CE_CHROMIUM or /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from measure import percentile, tree_rss_bytes  # noqa: E402
from tests.e2e import browser as b  # noqa: E402
from tests.e2e.expectations import slider_to_press  # noqa: E402

RATIO_TARGET = 1.3
ROUND = 4   # presses on one tab before switching (even: each round ends where it began)
COLD_START_TARGET_S = 5.0

_METRICS_TEXT = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stMetric"]')].map(m => m.innerText).join('|')"""
# New metric text proves the rerun's output arrived (the run-state watcher alone can miss a
# very fast rerun), and the settled check says the run is over.
_PRESS_DONE = ("(before) => (" + b._SETTLED_JS + ")() && (("
               + _METRICS_TEXT + ")() !== before)")


def press_times(page, slider: dict, presses: int) -> list[float]:
    """Milliseconds per key press until the page settled with changed metrics."""
    page.bring_to_front()
    b.focus_slider(page, slider)
    times = []
    for i in range(presses):
        before = page.evaluate(_METRICS_TEXT)
        page.evaluate(b._WATCH_RUNS)
        start = time.perf_counter()
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        try:
            page.wait_for_function(_PRESS_DONE, arg=before, timeout=60_000)
        except Exception as err:
            state = page.evaluate("(" + b._SETTLED_JS + ")") , page.evaluate(
                "() => window.__ceSawRun"), page.evaluate(_METRICS_TEXT), page.url
            raise RuntimeError(f"press {i} on {slider['key']} never settled with new numbers "
                               f"(settled, saw a run, metrics, url = {state}); "
                               f"before: {before!r}") from err
        times.append((time.perf_counter() - start) * 1000)
    return times


def interleaved(page_tab, reference_tab, presses: int) -> tuple[list[float], list[float]]:
    """``presses`` timed presses on each tab, in alternating rounds of ROUND."""
    page_times, reference_times = [], []
    while len(page_times) < presses:
        n = min(ROUND, presses - len(page_times))
        reference_times += press_times(*reference_tab, n)
        page_times += press_times(*page_tab, n)
    return page_times, reference_times


def open_tab(browser, url: str, file: str | None):
    """(context, (tab, slider)) for a page opened fresh; the slider is None if it has none."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = b.new_tab(context)
    b.open_url(page, url)
    sliders = [s for s in b.sliders(page) if s["key"]]
    return context, (page, slider_to_press(file, sliders) if sliders else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20, help="key presses per page")
    args = parser.parse_args()

    rows, cold_start = [], None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=b.chromium_path(),
                                             args=b.BROWSER_ARGS)
        try:
            # cold start: process launch -> landing page rendered and settled in the browser
            start = time.perf_counter()
            server = b.start_server("app.py")
            try:
                b.wait_healthy(server)
                context = browser.new_context()
                b.open_url(context.new_page(), server.url)
                cold_start = time.perf_counter() - start
                context.close()

                with b.streamlit_server("bench/reference_app.py") as reference:
                    ref_context, ref_tab = open_tab(browser, reference.url, None)
                    all_reference = []
                    for file in b.registry().page_files():
                        context, tab = open_tab(browser, b.page_url(server.url, file), file)
                        try:
                            if tab[1] is None:
                                continue
                            times, ref_times = interleaved(tab, ref_tab, args.presses)
                        finally:
                            context.close()
                        all_reference += ref_times
                        rows.append((file, tab[1]["key"], times, ref_times))
                    ref_context.close()
                    rows.insert(0, ("reference (bench/reference_app.py), all rounds",
                                    ref_tab[1]["key"], all_reference, all_reference))
                memory_mib = tree_rss_bytes(server.process.pid) / 2**20
            finally:
                b.stop_server(server)
                server.log.unlink(missing_ok=True)
        finally:
            browser.close()

    print(f"{datetime.date.today()}, {os.cpu_count()} cores, Chromium {b.chromium_path()}, "
          f"{args.presses} presses per page (ArrowRight/ArrowLeft alternately)\n")
    print("| page | slider | median ms | p90 ms | reference median ms (same rounds) "
          "| ratio to reference | within 1.3x |")
    print("|---|---|---:|---:|---:|---:|---|")
    for name, key, times, ref_times in rows:
        median, ref_median = statistics.median(times), statistics.median(ref_times)
        ratio = median / ref_median
        print(f"| {name} | {key} | {median:.0f} | {percentile(times, 90):.0f} | "
              f"{ref_median:.0f} | {ratio:.2f} | {'yes' if ratio <= RATIO_TARGET else 'NO'} |")
    print(f"\ncold start (streamlit run app.py -> landing page settled in the browser): "
          f"{cold_start:.2f} s ({'under' if cold_start < COLD_START_TARGET_S else 'OVER'} "
          f"the {COLD_START_TARGET_S:.0f} s target)")
    print(f"server memory after the run (VmRSS, server + children): {memory_mib:.0f} MiB")


if __name__ == "__main__":
    main()
