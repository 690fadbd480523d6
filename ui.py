"""Streamlit helpers every page calls: page setup, sidebar, formatting, "show the code".

Pages stay flat scripts: ``unit = ui.page_setup("Entropy")`` at the top, then
widgets, a ce_core call, and drawing. No math here: numbers are converted to the
chosen unit by ``ce_core.to_unit``.
"""

from __future__ import annotations

import inspect
import math
import re
from pathlib import Path

import streamlit as st

import ce_core

ROOT = Path(__file__).parent

#: Sidebar label and Material icon per page file; files in pages/ missing here
#: still get a link, labelled from their file name.
PAGE_INFO = {
    "app.py": ("Start here", ":material/home:"),
    "1_Entropy.py": ("Entropy", ":material/casino:"),
    "2_Cross_entropy_and_KL.py": ("Cross-entropy & KL", ":material/compare_arrows:"),
    "3_Softmax.py": ("Softmax", ":material/bar_chart:"),
    "4_Penalty_curves.py": ("Penalty curves", ":material/show_chart:"),
    "5_Your_numbers.py": ("Your numbers", ":material/table_edit:"),
    "6_Live_training.py": ("Live training", ":material/model_training:"),
    "7_Pitfalls.py": ("Pitfalls", ":material/warning:"),
}

UNITS = ("nats", "bits")


def page_files() -> list[str]:
    """Every page in the order of the lesson: app.py, then pages/ by numeric prefix."""
    def order(path: Path):
        match = re.match(r"(\d+)", path.name)
        return (int(match.group(1)) if match else 10**6, path.name)

    pages = sorted((ROOT / "pages").glob("*.py"), key=order)
    return ["app.py"] + [f"pages/{p.name}" for p in pages]


def page_label(path: str) -> tuple[str, str]:
    """(label, icon) of a page file."""
    name = Path(path).name
    if name in PAGE_INFO:
        return PAGE_INFO[name]
    stem = re.sub(r"^\d+_", "", Path(path).stem)
    return stem.replace("_", " "), ":material/article:"


def sidebar() -> str:
    """Our navigation and the shared settings; returns the chosen unit."""
    with st.sidebar:
        for path in page_files():
            label, icon = page_label(path)
            st.page_link(path, label=label, icon=icon)
        st.divider()
        unit = st.radio(
            "Information unit",
            UNITS,
            key="unit",
            horizontal=True,
            persist_state="session",
            help="nats use the natural log (what PyTorch, TensorFlow and scikit-learn report); "
            "bits use log base 2 (what information theory counts). 1 bit = ln 2 = 0.693 nats.",
        )
    return unit


def page_setup(title: str, icon: str = "📉") -> str:
    """Configure the page, draw the sidebar, return the chosen unit ("nats" or "bits")."""
    st.set_page_config(page_title=f"{title} · Cross-entropy, interactively", page_icon=icon,
                       layout="wide")
    return sidebar()


def fmt(nats: float, unit: str, digits: int = 4) -> str:
    """A value computed in nats, shown in ``unit`` with its label: ``'0.5146 bits'``."""
    value = ce_core.to_unit(nats, unit)
    if math.isinf(value):
        return f"∞ {unit}"
    return f"{value:.{digits}f} {unit}"


def show_code(*functions) -> None:
    """A "Show the code" expander with the source of the ce_core functions used."""
    with st.expander("Show the code", icon=":material/code:"):
        for fn in functions:
            st.code(inspect.getsource(fn), language="python")
