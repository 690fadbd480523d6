"""Classroom views: presenter mode for a projector, and ``*_hide`` flags for shared links."""

from __future__ import annotations

import re

import streamlit as st

from ui.fit import fit_formulas

#: Widget keys are short identifiers (see each page's docstring); anything else is ignored,
#: so a crafted URL cannot inject CSS.
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,40}")   # whole key only: fullmatch, not match
PRESENTER_FONT_PX = 21   # Streamlit's default is 16


def presenting() -> bool:
    """Whether presenter mode is on for this session."""
    return bool(st.session_state.get("present"))


def start_presenting_if_asked() -> bool:
    """A shared link may ask for presenter mode (``?present=1``); returns whether it is on."""
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") in ("1", "true")
    return presenting()


def hidden_keys() -> list[str]:
    """Widget keys hidden by the URL, TensorFlow-Playground style: ``?e_k_hide=1``."""
    keys = []
    for name, value in st.query_params.items():
        if name.endswith("_hide") and value not in ("0", "false", ""):
            key = name[: -len("_hide")]
            if _KEY.fullmatch(key):
                keys.append(key)
    return keys


def _keep_presenting_in_url(present: bool) -> None:
    """A copied link keeps presenter mode; the URL is written only on a change."""
    if present != (st.query_params.get("present") == "1"):
        if present:
            st.query_params["present"] = "1"
        else:
            st.query_params.pop("present", None)


def _presenter_rules() -> list[str]:
    # Streamlit sizes text, widgets and formulas in rem, so a larger root font enlarges
    # them while the layout still wraps to the real screen width (CSS zoom overflowed it).
    return [
        f"html {{ font-size: {PRESENTER_FONT_PX}px; }}",
        # The header bar (79 px at 21 px) lay opaque over the page's top: see-through and
        # click-through but for its two buttons, the stage gets the whole screen.
        '[data-testid="stHeader"] { background: transparent; }',
        '[data-testid="stHeader"], [data-testid="stHeader"] * { pointer-events: none !important; }',
        '[data-testid="stHeader"] button { pointer-events: auto !important; }',
        '[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }',
        ".katex-display { overflow-x: auto; overflow-y: hidden; }",   # scroll, never clip
        # A little smaller than Streamlit's 2.25rem: "0.0791" fits a third of a half-width stage.
        '[data-testid="stMetricValue"] { font-size: 1.85rem; }',
        '[data-testid="stBaseButton-secondary"] p, .stCheckbox p { white-space: normal; }',
    ]


def view_css() -> None:
    """Presenter mode enlarges text and controls; ``*_hide`` URL flags hide chosen controls.

    Streamlit tags each keyed widget's container with the class ``st-key-<key>``, so
    hiding needs no change to the pages, and the hidden widget keeps its value.
    """
    fit_formulas()
    rules = [f".st-key-{key} {{ display: none !important; }}" for key in hidden_keys()]
    present = presenting()
    _keep_presenting_in_url(present)
    if present:
        rules += _presenter_rules()
    if rules:
        st.html("<style>" + "\n".join(rules) + "</style>")
