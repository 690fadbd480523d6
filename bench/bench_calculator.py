"""The "Your numbers" page on a 100,000-row, 10-class CSV, end to end in AppTest.

Three timings of the same text in one process:
- reference: what a data scientist would type, pandas.read_csv + sklearn log_loss;
- ce_core:   parse_table + score (the page's work without Streamlit);
- page:      AppTest pasting the text and rerunning the whole page (cache cleared).
Also checks what is sent to the browser stays readable: at most 200 table rows and
30 histogram bars, whatever the input size.

Run:  python bench/bench_calculator.py [--rows 100000] [--classes 10] [--repeats 3]
Target: the page under 2 s end to end.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import log_loss

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from ce_core.parsing import parse_table  # noqa: E402
from ce_core.scoring import score  # noqa: E402

TARGET_SECONDS = 2.0


def make_csv(n: int, k: int, seed: int = 0) -> str:
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(k), size=n)
    labels = rng.integers(0, k, n)
    frame = pd.DataFrame(probs, columns=[f"class {j}" for j in range(k)])
    frame.insert(0, "label", labels)
    return frame.to_csv(index=False, float_format="%.6f")


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def reference(text: str) -> float:
    frame = pd.read_csv(io.StringIO(text))
    probs = frame.iloc[:, 1:].to_numpy()
    return log_loss(frame["label"], probs / probs.sum(axis=1, keepdims=True),
                    labels=list(range(probs.shape[1])))


def page_run(text: str):
    import streamlit as st

    from tests.apptest import chart_frames, metrics, open_page, vega_charts

    at = open_page("pages/5_Your_numbers.py", timeout=120)
    at.checkbox(key="yn_norm").check().run()   # 6-decimal rounding leaves rows 1e-6 off
    st.cache_data.clear()
    seconds, _ = timed(lambda: at.text_area(key="yn_text").set_value(text).run())
    assert not at.exception and not at.error, [e.value for e in at.error]
    mean = metrics(at)["Mean cross-entropy"]
    rows = len(at.dataframe[0].value)
    bars = len(chart_frames(vega_charts(at)[0])["bins"])
    return seconds, mean, rows, bars


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    text = make_csv(args.rows, args.classes)
    print(f"machine: {os.cpu_count()} cores; input {args.rows:,} rows × {args.classes} classes, "
          f"{len(text) / 2**20:.1f} MB; median of {args.repeats}\n")
    ref_times, core_times, page_times = [], [], []
    for _ in range(args.repeats):
        t, ref_value = timed(lambda: reference(text))
        ref_times.append(t)
        t, scores = timed(lambda: score(parse_table(text, normalise_rows=True)))
        core_times.append(t)
        t, mean, rows, bars = page_run(text)
        page_times.append(t)
    ref, core, page = (statistics.median(x) for x in (ref_times, core_times, page_times))
    equal = abs(scores.mean - ref_value) <= 1e-9 * ref_value
    print("| what | seconds | × reference |")
    print("|---|---:|---:|")
    print(f"| reference: pandas.read_csv + log_loss | {ref:.3f} | 1.00 |")
    print(f"| ce_core: parse_table + score | {core:.3f} | {core / ref:.2f} |")
    print(f"| page in AppTest, end to end | {page:.3f} | {page / ref:.2f} |")
    print(f"\nmean loss: ce_core {scores.mean:.10f}, log_loss {ref_value:.10f}, equal: {equal}; "
          f"page shows {mean}")
    print(f"sent to the browser: {rows} table rows, {bars} histogram bars")
    ok = page < TARGET_SECONDS and equal and rows <= 200 and bars <= 30
    print(f"target: page < {TARGET_SECONDS:.0f} s: {'met' if ok else 'NOT met'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
