"""Any value in a link, for any control of any page, opens the page without an error box.

The keys come from the controls each page draws (every page of the registry), the values
from hypothesis: numbers written every way (inf, nan, 1e999, 400 digits), option-like
words, and arbitrary text.
"""

import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ui
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


# --- a value a control can read but not take is said, not silently replaced ------------------

@functools.cache
def bound_controls(page: str) -> tuple[tuple[str, object], ...]:
    """(key, widget) for each control of ``page`` that a link can set (``bind=``)."""
    at = open_page(page)
    return tuple((w.proto.query_param_key, w) for kind in ("slider", "select_slider", "selectbox", "radio")
                 for w in at.get(kind) if getattr(w.proto, "query_param_key", ""))


def refused_link_value(widget, data) -> str:
    """A value ``widget`` can read but cannot take: past its range, or not an option."""
    if widget.type != "slider":
        words = [w for w in ("Moonz", "*bold*", "_x_", "3-d", "none", "[a](b)", "Bits")
                 if w not in widget.options]
        return data.draw(st.sampled_from(words))
    beyond = data.draw(st.integers(1, 10 ** 6))
    if data.draw(st.booleans()):
        value = widget.max + beyond * widget.step
    else:
        value = widget.min - beyond * widget.step
    return str(int(value)) if float(widget.step).is_integer() else repr(float(value))


def takeable_link_value(widget, data) -> str:
    """A value ``widget`` takes as it is: one of its options, or a step of its range."""
    if widget.type != "slider":
        return data.draw(st.sampled_from(widget.options))
    steps = round((widget.max - widget.min) / widget.step)
    value = widget.min + data.draw(st.integers(0, steps)) * widget.step
    return str(int(value)) if float(widget.step).is_integer() else f"{value:.10g}"


def sliders_and_choices(page):
    """Bound sliders and choices, but the unit: ``open_page`` chooses it on the landing page
    first, and a choice the session holds outranks a link (a fresh session is tested below)."""
    return [(key, w) for key, w in bound_controls(page) if key != "unit"
            and not isinstance(w.value, (tuple, list))]


@pytest.mark.parametrize("page", page_files())
@settings(max_examples=4, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_a_link_value_a_control_refuses_is_said_with_what_it_shows(page, data):
    controls = sliders_and_choices(page)
    if not controls:
        return
    key, widget = data.draw(st.sampled_from(controls))
    asked = refused_link_value(widget, data)
    at = open_page(page, {key: asked})
    said = [t.value for t in at.toast if ui.plain(key) in t.value]
    assert len(said) == 1, (key, asked, [t.value for t in at.toast])
    assert ui.plain(asked.strip()[:24]) in said[0]
    assert at.query_params.get(key) != asked        # the URL no longer claims the value


@pytest.mark.parametrize("page", page_files())
@settings(max_examples=4, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data())
def test_a_link_value_a_control_takes_is_not_questioned(page, data):
    controls = sliders_and_choices(page)
    if not controls:
        return
    key, widget = data.draw(st.sampled_from(controls))
    asked = takeable_link_value(widget, data)
    at = open_page(page, {key: asked})
    assert not [t.value for t in at.toast if ui.plain(key) in t.value], (key, asked)


def test_a_fresh_session_says_a_unit_the_link_cannot_have():
    from streamlit.testing.v1 import AppTest

    from tests.apptest import APP
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["unit"] = "furlongs"
    at.run()
    assert at.radio(key="unit").value == "nats"
    assert any("furlongs" in t.value for t in at.toast)


@pytest.mark.parametrize("link, value, same", [
    (["0.90"], 0.9, True), (["0.9"], 0.91, False), (["2"], 2, True), (["true"], True, True),
    (["1"], True, True), (["0"], True, False), (["Moons"], "Moons", True), (["x"], "Moons", False),
    (["0.2", "0.8"], (0.2, 0.8), True), (["0.2"], (0.2, 0.8), False), (["abc"], 0.9, False),
])
def test_same_value_reads_the_link_as_the_control_would(link, value, same):
    assert query.same_value(link, value) is same
