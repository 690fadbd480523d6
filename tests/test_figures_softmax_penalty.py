"""The softmax and penalty figure builders: right data on the right axes, labelled, hoverable,
in the shared palette. Expected numbers come from hand formulas or SciPy."""

import json
import math

import numpy as np
import pytest
import scipy.special

from ce_core import InputError
from ce_core import figures
from ce_core.figures import PALETTE

ln = math.log


def _axis_titles(fig):
    return fig.layout.xaxis.title.text, fig.layout.yaxis.title.text


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_probability_bars_highlight_true_class_and_show_values():
    fig = figures.softmax_probability_bars([0.7, 0.2, 0.1], 1)
    bar = fig.data[0]
    assert list(bar.y) == [0.7, 0.2, 0.1]
    assert list(bar.marker.color) == [PALETTE["blue"], PALETTE["orange"], PALETTE["blue"]]
    assert "probability" in bar.hovertemplate
    x_title, y_title = _axis_titles(fig)
    assert "class" in x_title and "probability" in y_title
    json.dumps(fig.to_plotly_json(), default=str)  # serialisable for st.plotly_chart


def test_gradient_bars_colour_by_direction_of_descent():
    # Equal logits, class 0 true: gradient (1/3 - 1, 1/3, 1/3).
    grad = [1 / 3 - 1, 1 / 3, 1 / 3]
    fig = figures.softmax_gradient_bars(grad, 0)
    bar = fig.data[0]
    assert list(bar.customdata) == ["raised", "lowered", "lowered"]
    assert list(bar.marker.color) == [PALETTE["blue"], PALETTE["vermillion"], PALETTE["vermillion"]]
    assert "nats" in fig.layout.yaxis.title.text
    low, high = fig.layout.yaxis.range
    assert low <= -2 / 3 and high >= 1 / 3  # every bar fits


def test_temperature_lines_follow_scipy_softmax():
    z = np.array([2.0, 1.0, 0.1])
    fig = figures.softmax_temperature_lines(z, temperature=2.0)
    assert len(fig.data) == 3 and fig.layout.xaxis.type == "log"
    t = np.asarray(fig.data[0].x)
    expected = scipy.special.softmax(z[None, :] / t[:, None], axis=1)
    for i in range(3):
        np.testing.assert_allclose(fig.data[i].y, expected[:, i], rtol=1e-12)


def test_penalty_curves_are_minus_ln_p_and_minus_ln_one_minus_p():
    fig = figures.penalty_curves(0.3)
    one = _trace(fig, "true label 1: −ln p")
    zero = _trace(fig, "true label 0: −ln(1 − p)")
    x = np.asarray(one.x)
    assert 0 < x.min() and x.max() < 1  # no infinite end points
    np.testing.assert_allclose(one.y, -np.log(x), rtol=1e-12)
    np.testing.assert_allclose(zero.y, -np.log1p(-x), rtol=1e-9)
    seed = _trace(fig, "seed example (label 1)")
    np.testing.assert_allclose(seed.y, [-ln(0.9), -ln(0.1)], rtol=1e-12)
    assert "nats" in fig.layout.yaxis.title.text and "p" in fig.layout.xaxis.title.text
    assert all(t.hovertemplate for t in fig.data)


def test_penalty_curves_in_bits_divide_by_ln_2():
    fig = figures.penalty_curves(unit="bits")
    one = _trace(fig, "true label 1: −ln p")
    np.testing.assert_allclose(one.y, -np.log2(np.asarray(one.x)), rtol=1e-12)
    assert "bits" in fig.layout.yaxis.title.text


def test_current_p_marker_stays_on_the_chart_at_p_zero():
    fig = figures.penalty_curves(0.0)  # the clipped loss, 36 nats, is capped at the axis top
    top = fig.layout.yaxis.range[1]
    markers = [t for t in fig.data if t.name and t.name.startswith("your p")]
    assert len(markers) == 2 and all(float(m.y[0]) <= top for m in markers)
    # the real value, -ln eps = 52 ln 2 nats, is written next to the capped marker
    assert any(f"{52 * math.log(2):.2f} nats" in a.text for a in fig.layout.annotations)


def test_loss_comparison_has_three_curves_by_formula():
    fig = figures.loss_comparison(0, gamma=1.0, p=0.4)
    x = np.asarray(fig.data[0].x)
    np.testing.assert_allclose(_trace(fig, "cross-entropy").y, -np.log1p(-x), rtol=1e-9)
    np.testing.assert_allclose(_trace(fig, "squared error (y − p)²").y, x**2, rtol=1e-12)
    # label 0: p_t = 1 - p, focal = -(1 - p_t)^1 ln p_t = -p ln(1 - p)
    np.testing.assert_allclose(_trace(fig, "focal loss, γ = 1").y, -x * np.log1p(-x), rtol=1e-9)


def test_logit_gradients_by_formula():
    fig = figures.logit_gradients(1, p=0.2)
    x = np.asarray(fig.data[0].x)
    np.testing.assert_allclose(fig.data[0].y, x - 1, rtol=1e-12)
    np.testing.assert_allclose(fig.data[1].y, 2 * (x - 1) * x * (1 - x), rtol=1e-12)
    assert "logit" in fig.layout.yaxis.title.text
    assert {t.line.color for t in fig.data[:2]} == {PALETTE["blue"], PALETTE["vermillion"]}


@pytest.mark.parametrize("call", [
    lambda: figures.softmax_probability_bars([0.5, 0.5], 2),   # true class out of range
    lambda: figures.softmax_temperature_lines([1.0, 2.0], t_min=1.0, t_max=0.5),
    lambda: figures.penalty_curves(1.5),                      # p outside [0, 1]
    lambda: figures.loss_comparison(1, gamma=-2.0),           # negative gamma
])
def test_bad_figure_inputs_raise_input_error(call):
    with pytest.raises(InputError):
        call()
