"""URL values checked before any widget reads them.

Streamlit 1.67 seeds a bound widget from the URL and catches ``ValueError``,
``TypeError`` and ``IndexError`` while it reads the value, but not ``OverflowError``:
``?t_seed=inf`` (or ``1e999``, or a 400-digit number) made the integer ``st.number_input``
raise and the page crash. No control of ours holds an infinite or NaN number, so such
a value is dropped from the URL before the page draws, and the control keeps its default.
"""

from __future__ import annotations

import math

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
