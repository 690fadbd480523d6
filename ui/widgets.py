"""Widgets every page uses: the quick check, "Show the code"."""

from __future__ import annotations

import functools
import inspect
import math

import streamlit as st

import ce_core
from ui.format import fmt


def quick_check(key: str, question: str, answer_nats: float, unit: str, why: str) -> None:
    """A "predict, then reveal" question: the learner types a number, then sees the answer.

    ``answer_nats`` comes from ce_core; it is shown in the chosen unit, and a guess within
    2 % (or 0.005) of it counts as right. The guess and the reveal live in session state,
    so they survive reruns and page switches.
    """
    with st.container(border=True, key=f"{key}_box"):
        st.markdown(f"**Quick check.** {question} Answer in **{unit}**.")
        col_guess, col_button = st.columns([3, 1], vertical_alignment="bottom")
        guess = col_guess.number_input("Your prediction", value=None, step=0.01, format="%.3f",
                                       placeholder="type a number", key=f"{key}_guess",
                                       persist_state="session")
        if col_button.button("Reveal", key=f"{key}_reveal", width="stretch"):
            st.session_state[f"{key}_shown"] = True
        if st.session_state.get(f"{key}_shown"):
            _reveal(guess, answer_nats, unit, why)


def _reveal(guess: float | None, answer_nats: float, unit: str, why: str) -> None:
    answer = ce_core.to_unit(answer_nats, unit)
    shown = fmt(answer_nats, unit, digits=3)
    if guess is None:
        st.info(f"The answer is **{shown}**. {why}", icon=":material/lightbulb:")
    elif math.isclose(guess, answer, rel_tol=0.02, abs_tol=0.005):
        st.success(f"Right: **{shown}**. {why}", icon=":material/check_circle:")
    else:
        st.warning(f"Not quite: you said {guess:.3f}, the answer is **{shown}**. {why}",
                   icon=":material/info:")


def show_code(*functions) -> None:
    """A "Show the code" expander with the source of the ce_core functions used."""
    with st.expander("Show the code", icon=":material/code:"):
        for fn in functions:
            st.code(_source(fn), language="python")


@functools.cache
def _source(fn) -> str:
    """inspect.getsource re-reads and re-parses the file: ~1 ms a function, every rerun."""
    return inspect.getsource(fn)
