"""Any value in a link, for any control of any page, opens the page without an error box.

The keys come from the controls each page draws (every page of the registry), the values
from hypothesis: numbers written every way (inf, nan, 1e999, 400 digits), option-like
words, and arbitrary text.
"""

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.apptest import open_page
from ui import query
from ui.registry import page_files

WIDGETS = ("slider", "select_slider", "selectbox", "radio", "checkbox", "toggle",
           "number_input", "text_input", "text_area")


@functools.cache
def control_keys(page: str) -> tuple[str, ...]:
    at = open_page(page)
    keys = {w.key for kind in WIDGETS for w in at.get(kind) if getattr(w, "key", None)}
    return tuple(sorted(keys | {"unit", "present", "pf_tab"}))


NUMBER_WORDS = st.sampled_from(["inf", "-inf", "Infinity", "nan", "NaN", "1e999", "-1e999",
                                "1" * 400, "99999999999999999999", "-1", "0", "0.5", "1e-320",
                                "0x10", "1_000", "true", "false", "", " ", "\u200b", "%00"])
VALUES = st.one_of(NUMBER_WORDS, st.floats().map(repr), st.integers().map(str),
                   st.text(max_size=40))


@pytest.mark.parametrize("page", page_files())
@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_link_value_opens_the_page_without_an_error(page, data):
    keys = control_keys(page)
    link = data.draw(st.dictionaries(st.sampled_from(keys), VALUES, min_size=1, max_size=4))
    open_page(page, link)        # fails on an exception shown on the page


def test_a_value_no_control_can_hold_is_dropped_and_said():
    at = open_page("pages/6_Live_training.py", {"t_seed": "inf", "t_n": "300"})
    assert at.number_input(key="t_seed").value == 0            # its default
    assert "t_seed" not in at.query_params
    assert any("t\\_seed" in toast.value for toast in at.toast)


@pytest.mark.parametrize("value, dropped", [
    ("inf", True), ("-Infinity", True), ("nan", True), ("1e999", True), ("1" * 400, True),
    ("7", False), ("0.25", False), ("Moons", False), ("", False), ("1e308", False),
])
def test_unreadable_means_infinite_or_nan_once_read(value, dropped):
    assert query.unreadable(value) is dropped


def test_streamlit_still_keeps_the_seed_values_where_ui_query_edits_them():
    """ui/query.py edits Streamlit 1.67 internals; this fails loudly if they move."""
    from streamlit.runtime.state.query_params import QueryParams

    params = QueryParams()
    params.set_initial_query_params("t_seed=inf")
    assert params._initial_query_params == {"t_seed": ["inf"]}
    assert params.get_initial_value("t_seed") == "inf"
    assert hasattr(params, "remove_param")
