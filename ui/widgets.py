"""Widgets the pages share: the quick check, "Show the code", presets and weight sliders."""

from __future__ import annotations

import functools
import inspect
import math
import re
from dataclasses import dataclass

import streamlit as st

import ce_core
from ui.format import fmt, plain


def quick_check(key: str, question: str, answer_nats: float, unit: str, why: str) -> None:
    """A "predict, then reveal" question: the learner types a number, then sees the answer.

    ``answer_nats`` comes from ce_core; it is shown in the chosen unit, and a guess within
    2 % (or 0.005) of it counts as right. The guess and the reveal live in session state,
    so they survive reruns and page switches.
    """
    with st.container(border=True, key=f"{key}_box"):
        st.markdown(f"**Quick check.** {question} Answer in **{unit}**.")
        col_guess, col_button = st.columns([3, 1], vertical_alignment="bottom")
        typed = col_guess.text_input("Your prediction", placeholder="type a number, such as 0.69",
                                     key=f"{key}_guess", persist_state="session")
        if col_button.button("Reveal", key=f"{key}_reveal", width="stretch"):
            st.session_state[f"{key}_shown"] = True
        guess, problem = read_guess(typed)
        if problem:
            st.warning(problem, icon=":material/edit:")
        elif st.session_state.get(f"{key}_shown"):
            _reveal(guess, answer_nats, unit, why)


def read_guess(typed: str | None) -> tuple[float | None, str | None]:
    """A typed number, or what is wrong with it: "1,5" is refused, not read as 15."""
    text = (typed or "").strip()
    if not text:
        return None, None
    if re.fullmatch(r"[+-]?\d*,\d+", text):
        return None, f"Write the decimal point as a point: {text.replace(',', '.')}, not {text}."
    try:
        value = float(text)
    except ValueError:
        return None, f"{plain(text[:40])} is not a number. Type one such as 0.69, then Reveal."
    if not math.isfinite(value):
        return None, "Type a finite number, such as 0.69."
    return value, None


def _reveal(guess: float | None, answer_nats: float, unit: str, why: str) -> None:
    answer = ce_core.to_unit(answer_nats, unit)
    shown = fmt(answer_nats, unit, digits=3)
    if guess is None:
        st.info(f"The answer is **{shown}**. {why}", icon=":material/lightbulb:")
    elif math.isclose(guess, answer, rel_tol=0.02, abs_tol=0.005):
        st.success(f"Right: **{shown}**. {why}", icon=":material/check_circle:")
    else:
        st.warning(f"Not quite: you said {guess:.4g}, the answer is **{shown}**. {why}",
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


# ----------------------------------------------------------------------------- distributions

@dataclass(frozen=True)
class Weights:
    """A column of weight sliders, one per outcome: raw weights, normalised by ce_core."""

    prefix: str                 #: URL key prefix, public: ``e_p`` gives e_p1, e_p2, ...
    label: str                  #: slider label, with ``{i}`` for the outcome number
    defaults: tuple[int, ...]   #: one default weight per possible outcome
    heading: str = ""           #: Markdown above the column, if any


def preset_buttons(presets: dict[str, dict], key: str):
    """One button per preset, in a row that wraps; a press sets the preset's widget values.

    ``presets`` maps a button label to ``{widget key: value}``. Bound widgets can only be
    changed through session state, so a preset runs as the button's callback. Returns the
    row, so a page can add a button of its own to it. A row, not a column of full-width
    buttons: five presets in a column took 347 px of a 720-px projector (issue 16).
    """
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    row.markdown("**Presets**", width="content")     # a word in the row, not a line above
    for i, (name, values) in enumerate(presets.items()):
        row.button(name, key=f"{key}_{i}", on_click=st.session_state.update, args=(values,))
    return row


def weight_sliders(groups: list[Weights], k: int, max_k: int) -> list[list[int]]:
    """The first ``k`` weights of each group, side by side; returns them per group."""
    values = []
    for where, group in zip(_side_by_side(len(groups)), groups):
        if group.heading:
            where.markdown(group.heading)
        values.append([_weight_slider(where, group, i) for i in range(1, k + 1)])
    if k < max_k:
        # Every slider exists on every run: Streamlit 1.67 leaves a preset's value out of the
        # URL when its slider did not exist in the previous run, so the unused ones wait here.
        with st.expander(f"Outcomes {k + 1} to {max_k}: not in use while K = {k}"):
            for where, group in zip(_side_by_side(len(groups)), groups):
                for i in range(k + 1, max_k + 1):
                    _weight_slider(where, group, i)
    return values


def _side_by_side(n: int) -> list:
    return st.columns(n) if n > 1 else [st.container()]


def _weight_slider(where, group: Weights, i: int) -> int:
    return where.slider(group.label.format(i=i), 0, 100, group.defaults[i - 1],
                        key=f"{group.prefix}{i}", bind="query-params")
