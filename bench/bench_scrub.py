"""Live scrubbing in Chromium: drag each concept page's main slider with ``page.mouse``,
30 steps over one second, and report per page

- chart updates per second during the drag: animation frames in which the chart's canvas
  (drawn down to 48 x 36 pixels) or the shown number changed, over the drag's duration;
  and as a ratio to the reference page's thumb (below), the most this harness and
  Streamlit's own slider allow here;
- the fraction of drag steps whose shown number equals ce_core's for the thumb's value;
- release -> settled, ms (median, p90): the rerun the release starts, until the page settled;
  and as a ratio to the same drag of bench/reference_app.py's one slider (Streamlit's own
  floor on this machine: one slider, one number), dragged before and after the pages.

The drags, the pages and ce_core's numbers are tests/e2e/test_scrub.py's, so the bench
measures what the browser test checks. Figures go to BENCHMARKS.md.

Command: ``python bench/bench_scrub.py [--drags 5] [--fresh]``
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.browser import (BROWSER_ARGS, chromium_path, new_tab, open_url,  # noqa: E402
                               streamlit_server)
from tests.e2e.test_scrub import DRAGS, _LOOK, Drag, drag, open_page  # noqa: E402

# The reference page's slider, dragged as the pages' are (it has no chart and no live number).
REFERENCE = Drag("bench/reference_app.py", "ref_p", "", "", lambda value: "")

# Every animation frame, note whether the chart or the number changed since the last one
# (on the reference page: the thumb's value, the most a drag here can change).
_WATCH = """([slider, chart, metric, thumb]) => {
    const look = %s;
    const part = (seen) => thumb ? seen.slice(0, 1) : seen.slice(1);
    window.__scrubChanges = 0;
    window.__scrubFrames = 0;
    window.__scrubStop = false;
    let last = JSON.stringify(part(look([slider, chart, metric])));
    const frame = () => {
        if (window.__scrubStop) return;
        const now = JSON.stringify(part(look([slider, chart, metric])));
        window.__scrubFrames += 1;
        if (now !== last) { window.__scrubChanges += 1; last = now; }
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
}""" % _LOOK


# After each step only the thumb's value and the number (the frame watcher sees the chart).
_NUMBER = """([slider, chart, metric]) => [
    Number(document.querySelector(`.st-key-${slider} input[type="range"]`).value),
    document.querySelector(`.st-key-${metric} [data-testid="stMetricValue"]`)?.innerText ?? "",
    ""]"""


def one_page(page, server, case, drags: int, fresh: bool = False) -> dict:
    thumb = case is REFERENCE
    if thumb:
        open_url(page, server.url)
    else:
        open_page(page, server, case)
    rates, equal, steps, settle = [], 0, 0, []
    for i in range(drags):
        page.evaluate(_WATCH, [case.slider, case.chart, case.metric, thumb])
        direction = (-1 if case.slider == "pc_p" else 1) * (1 if i % 2 == 0 else -1)
        # --fresh: each drag a little shorter, so every release lands on a value not seen
        # before and the server builds the other sliders' grids anew (no cache)
        moved = dataclasses.replace(case, fraction=case.fraction * (1 - 0.06 * i)) if fresh else case
        recorded = _drag_watched(page, moved, direction)
        rates.append(recorded["changes"] / recorded["seconds"])
        equal += sum(text == case.expected(value) for value, text, _ in recorded["looks"])
        steps += len(recorded["looks"])
        settle.append(recorded["release_ms"])
    return {"page": case.file, "slider": case.slider, "updates_per_s": statistics.median(rates),
            "equal": equal / steps, "settle_median": statistics.median(settle),
            "settle_p90": _p90(settle), "drags": drags}


def _drag_watched(page, case, direction: int) -> dict:
    """One drag; the frame counter stops at the last step, before the release."""
    stop = "() => { window.__scrubStop = true; return window.__scrubChanges; }"
    recorded = drag(page, case, steps=30, seconds=1.0, direction=direction,
                    before_release=lambda: page.evaluate(stop), look=_NUMBER)
    return {"looks": recorded.looks, "seconds": recorded.step_s[-1],
            "changes": recorded.before_release, "release_ms": recorded.release_ms}


def in_own_tab(browser, run):
    """``run(page)`` in a context of its own, closed after."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        return run(new_tab(context))
    finally:
        context.close()


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drags", type=int, default=5, help="drags per page")
    parser.add_argument("--fresh", action="store_true",
                        help="release each drag at a value not seen before (no cached grids)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with streamlit_server("app.py") as server, streamlit_server("bench/reference_app.py") as ref, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        before = in_own_tab(browser, lambda page: one_page(page, ref, REFERENCE, args.drags))
        rows = in_own_tab(browser, lambda page: [one_page(page, server, case, args.drags, args.fresh)
                                                 for case in DRAGS])
        after = in_own_tab(browser, lambda page: one_page(page, ref, REFERENCE, args.drags))
        rate = statistics.median([before["updates_per_s"], after["updates_per_s"]])
        settle = statistics.median([before["settle_median"], after["settle_median"]])
        print("| page | slider | updates / s | ÷ reference's | numbers equal to ce_core | "
              "release → settled median / p90 (ms) | median ÷ reference's |")
        print("|---|---|---:|---:|---:|---:|---:|")
        print(f"| reference (one slider, one number; its thumb) | ref_p | {rate:.1f} | 1.00 | – | "
              f"{settle:.0f} / {max(before['settle_p90'], after['settle_p90']):.0f} | 1.00 |")
        for r in rows:
            print(f"| {Path(r['page']).stem} | {r['slider']} | {r['updates_per_s']:.1f} | "
                  f"{r['updates_per_s'] / rate:.2f} | {100 * r['equal']:.0f} % | "
                  f"{r['settle_median']:.0f} / {r['settle_p90']:.0f} | "
                  f"{r['settle_median'] / settle:.2f} |", flush=True)
        browser.close()
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
