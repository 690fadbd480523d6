"""The smallest page the latency benchmark compares every app page with: one slider, one number.

Served by bench/bench_latency.py on its own server; the number is computed in Python so
a slider move costs a real (if tiny) rerun.
"""

import math

import streamlit as st

st.set_page_config(page_title="Reference", layout="wide")
st.title("Reference page")
p = st.slider("p", 0.01, 0.99, 0.5, step=0.01, key="ref_p", bind="query-params")
st.metric("−ln p", f"{-math.log(p):.4f} nats")
