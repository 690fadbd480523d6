"""The smallest page the latency benchmark compares every app page with: one slider, one number.

Served by bench/bench_latency.py on its own server; the number is computed in Python so
a slider move costs a real (if tiny) rerun. It runs on the same server fix as the app's
pages (``ui/tuning.py``), so the comparison is page against page, not socket setting
against socket setting.
"""

import math
import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # for ui, from any cwd
import ui  # noqa: E402,F401  (importing ui applies the app's once-per-process fixes)

st.set_page_config(page_title="Reference", layout="wide")
st.title("Reference page")
p = st.slider("p", 0.01, 0.99, 0.5, step=0.01, key="ref_p", bind="query-params")
st.metric("−ln p", f"{-math.log(p):.4f} nats")
