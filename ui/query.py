"""URL values checked before any widget reads them.

Streamlit 1.67 seeds a bound widget from the URL and catches ``ValueError``,
``TypeError`` and ``IndexError`` while it reads the value, but not ``OverflowError``:
``?t_seed=inf`` (or ``1e999``, or a 400-digit number) made the integer ``st.number_input``
raise and the page crash. No control of ours holds an infinite or NaN number, so such
a value is dropped from the URL before the page draws, and the control keeps its default.

A value a control can read but not take (``?pc_p=2`` on a 0-1 slider, ``?e_k=99``, an
option that does not exist) Streamlit quietly drops or clamps while the control draws;
``refused_values`` finds those afterwards, so the page can say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from streamlit.runtime.state.session_state_proxy import get_session_state


def unreadable(value: str) -> bool:
    """A number no control can hold: infinite or NaN once read as a float."""
    try:
        return not math.isfinite(float(value))
    except (ValueError, OverflowError):
        return False


def drop_unreadable_values() -> dict[str, str]:
    """Remove such values from this run's URL (and from what bound widgets are seeded
    with); returns them, key -> value."""
    with get_session_state().query_params() as params:
        seeds = params._initial_query_params   # 1.67 internals: tests/test_url_values.py
        bad = {key: next(v for v in values if unreadable(v))
               for key, values in seeds.items() if any(unreadable(v) for v in values)}
        for key in bad:
            del seeds[key]
            params.remove_param(key)
    return bad


def unheld_link_keys(state: Any) -> list[str]:
    """The link's keys no control of this session holds yet (``state`` is
    ``st.session_state``): only those can seed a control, so only those can be refused."""
    with get_session_state().query_params() as params:
        return [key for key in params._initial_query_params if key not in state]


def refused_values(state: Any, keys: Sequence[str]) -> dict[str, tuple[str, Any]]:
    """Link values among ``keys`` that this run's controls did not take: key -> (the link's
    value, what the control shows). Call after the controls are drawn."""
    with get_session_state().query_params() as params:
        seeds = params._initial_query_params   # 1.67 internals: tests/test_url_values.py
        changed = {key: seeds[key] for key in keys
                   if key in seeds and params.get_all(key) != list(seeds[key])}
    return {key: (", ".join(values), state[key]) for key, values in changed.items()
            if key in state and not same_value(values, state[key])}


def same_value(link: Sequence[str], value: Any) -> bool:
    """Whether a control's value is what the link asked for (``0.90`` is 0.9, ``true``
    is on): a link value equal to the default is dropped from the URL, not refused."""
    if isinstance(value, (list, tuple)):
        return len(link) == len(value) and all(map(same_value, ([v] for v in link), value))
    if len(link) != 1:
        return False
    text = link[0].strip()
    if isinstance(value, bool):
        return text.lower() in (("true", "1") if value else ("false", "0"))
    if isinstance(value, (int, float)):
        try:
            return math.isclose(float(text), value, rel_tol=1e-12, abs_tol=1e-15)
        except (ValueError, OverflowError):
            return False
    return text == str(value)
