"""Live scrubbing in Chromium: drag each concept page's main slider with ``page.mouse``,
30 steps over one second, and report per page

- chart updates per second during the drag: animation frames in which the chart's canvas
  (drawn down to 48 x 36 pixels) or the shown number changed, over the drag's duration;
- the fraction of drag steps whose shown number equals ce_core's for the thumb's value;
- release -> settled, ms (median, p90): the rerun the release starts, until the page settled.

The drags, the pages and ce_core's numbers are tests/e2e/test_scrub.py's, so the bench
measures what the browser test checks. Figures go to BENCHMARKS.md.

Command: ``python bench/bench_scrub.py [--drags 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.browser import BROWSER_ARGS, chromium_path, new_tab, streamlit_server  # noqa: E402
from tests.e2e.test_scrub import DRAGS, _LOOK, drag, open_page  # noqa: E402

# Every animation frame, note whether the chart or the number changed since the last one.
_WATCH = """([slider, chart, metric]) => {
    const look = %s;
    window.__scrubChanges = 0;
    window.__scrubFrames = 0;
    window.__scrubStop = false;
    let last = JSON.stringify(look([slider, chart, metric]).slice(1));
    const frame = () => {
        if (window.__scrubStop) return;
        const now = JSON.stringify(look([slider, chart, metric]).slice(1));
        window.__scrubFrames += 1;
        if (now !== last) { window.__scrubChanges += 1; last = now; }
        requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
}""" % _LOOK


# After each step only the thumb's value and the number (the frame watcher sees the chart).
_NUMBER = """([slider, chart, metric]) => [
    Number(document.querySelector(`.st-key-${slider} input[type="range"]`).value),
    document.querySelector(`.st-key-${metric} [data-testid="stMetricValue"]`).innerText, ""]"""


def one_page(page, server, case, drags: int) -> dict:
    open_page(page, server, case)
    rates, equal, steps, settle = [], 0, 0, []
    for i in range(drags):
        page.evaluate(_WATCH, [case.slider, case.chart, case.metric])
        direction = (-1 if case.slider == "pc_p" else 1) * (1 if i % 2 == 0 else -1)
        recorded = _drag_watched(page, case, direction)
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


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drags", type=int, default=5, help="drags per page")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    with streamlit_server("app.py") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=BROWSER_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = new_tab(context)
        print("| page | slider | chart updates / s | numbers equal to ce_core | "
              "release → settled median / p90 (ms) |")
        print("|---|---|---:|---:|---:|")
        for case in DRAGS:
            r = one_page(page, server, case, args.drags)
            print(f"| {Path(r['page']).stem} | {r['slider']} | {r['updates_per_s']:.1f} | "
                  f"{100 * r['equal']:.0f} % | {r['settle_median']:.0f} / {r['settle_p90']:.0f} |",
                  flush=True)
        browser.close()
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
