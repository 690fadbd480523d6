"""Server-side cost of one rerun per page, with Streamlit's AppTest (no browser needed).

Run:  python bench/bench_rerun.py [--reruns 20]

Pages come from ui.registry.page_files(). Each page is opened the way the AppTests do
(tests/apptest.py: app.py, then switch_page), and its first slider is moved one step up and back alternately; the
time of each ``at.run()`` after a change is recorded (time.perf_counter). A page without a
slider toggles the sidebar's unit radio instead. Figures are medians of ``--reruns``.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from tests.apptest import open_page  # noqa: E402
from ui.registry import page_files  # noqa: E402

# AppTest runs pages outside a server; this logger says so on every page, harmlessly.
logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
    logging.ERROR)


def control(at: AppTest):
    """(description, [widget setter for each state]) of the control this bench moves."""
    enabled = [slider for slider in at.slider if not slider.disabled]   # a learner can move it
    if enabled:
        slider = enabled[0]
        value, step = slider.value, slider.proto.step
        moved = value + step if value + step <= slider.proto.max else value - step
        key = slider.key
        return (f"slider {key}",
                [lambda a: a.slider(key=key).set_value(moved),
                 lambda a: a.slider(key=key).set_value(value)])
    return ("radio unit", [lambda a: a.radio(key="unit").set_value("bits"),
                           lambda a: a.radio(key="unit").set_value("nats")])


def rerun_times(page: str, reruns: int) -> tuple[str, list[float]]:
    try:
        at = open_page(page, timeout=120)
    except AssertionError as err:    # the page raised: report it as a failed row
        raise RuntimeError(str(err)) from err
    what, setters = control(at)
    times = []
    for i in range(reruns):
        setters[i % 2](at)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if at.exception:
            raise RuntimeError(f"{page} raised after moving {what}: "
                               f"{[e.value for e in at.exception]}")
    return what, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=20)
    args = parser.parse_args()
    print(f"{datetime.date.today()}, {os.cpu_count()} cores, median of {args.reruns} reruns "
          "after a control change\n")
    print("| page | control | median ms | min ms | max ms |")
    print("|---|---|---:|---:|---:|")
    for page in page_files():
        try:
            what, times = rerun_times(page, args.reruns)
        except RuntimeError as err:  # report it and go on with the other pages
            print(f"| {page} | – | {str(err)[:120]} | | |", flush=True)
            continue
        print(f"| {page} | {what} | {statistics.median(times):.0f} | {min(times):.0f} | "
              f"{max(times):.0f} |", flush=True)


if __name__ == "__main__":
    main()
