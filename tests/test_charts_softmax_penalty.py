"""The softmax and penalty chart builders (Vega-Lite): valid specs, the right numbers in their
datasets, labelled axes with units, the shared palette, and a spec that stays the same while
the controls move. Expected numbers come from hand formulas, NumPy or SciPy written out here."""

import inspect
import math

import numpy as np
import pytest
import scipy.special

from ce_core import InputError
from charts.penalty import logit_gradients, loss_comparison, penalty_curves
from charts.softmax import softmax_gradient_bars, softmax_probability_bars, softmax_temperature_lines
from charts.style import PALETTE
from charts import penalty as penalty_module
from charts import softmax as softmax_module
from tests.vega import assert_same_spec, assert_valid, column

ln = math.log
EPS = 2.0 ** -52  # float64 machine epsilon, where log_loss clips


# --- reading specs back --------------------------------------------------------------------

def layers(chart) -> list[dict]:
    return chart.spec["layer"]


def layers_of(chart, dataset: str) -> list[dict]:
    return [layer for layer in layers(chart) if layer.get("data", {}).get("name") == dataset]


def titles(chart, channel: str) -> set[str]:
    """Every title the chart's layers give ``channel`` (x or y)."""
    out = set()
    for layer in layers(chart):
        title = layer.get("encoding", {}).get(channel, {}).get("title")
        if title:
            out.add(title)
    return out


def colour_of(chart, value: str) -> str:
    """The colour the chart's colour scale gives ``value``."""
    for layer in layers(chart):
        scale = layer.get("encoding", {}).get("color", {}).get("scale", {})
        if "domain" in scale and value in scale["domain"]:
            return scale["range"][scale["domain"].index(value)]
    raise AssertionError(f"no colour scale maps {value!r}")


def tooltips(chart) -> list[dict]:
    return [t for layer in layers(chart) for t in layer.get("encoding", {}).get("tooltip", [])]


def curve(chart, name: str, value: str, dataset: str = "curves") -> tuple[np.ndarray, np.ndarray]:
    """x (column p) and ``value`` of one curve of a long table."""
    rows = [i for i, c in enumerate(chart.data[dataset]["curve"]) if c == name]
    assert rows, f"no curve {name!r} in {set(chart.data[dataset]['curve'])}"
    return column(chart, dataset, "p")[rows], column(chart, dataset, value)[rows]


# --- softmax -------------------------------------------------------------------------------

def test_probability_bars_highlight_true_class_and_show_values():
    chart = softmax_probability_bars([0.7, 0.2, 0.1], 1)
    assert_valid(chart)
    np.testing.assert_array_equal(column(chart, "bars", "probability"), [0.7, 0.2, 0.1])
    assert chart.data["bars"]["class"] == ["class 0", "class 1", "class 2"]
    roles = chart.data["bars"]["role"]
    assert [colour_of(chart, r) for r in roles] == [PALETTE["blue"], PALETTE["orange"],
                                                     PALETTE["blue"]]
    # each bar is labelled with its value, and hovering shows it with 4 decimals
    text = [layer for layer in layers(chart) if layer["mark"]["type"] == "text"]
    assert text and text[0]["encoding"]["text"] == {"field": "probability", "type": "quantitative",
                                                    "format": ".3f"}
    assert any(t["field"] == "probability" and t["format"] == ".4f" for t in tooltips(chart))
    assert any("class" in t for t in titles(chart, "x"))
    assert titles(chart, "y") == {"probability (no unit)"}


def test_probability_bars_keep_their_spec_when_logits_true_class_or_k_change():
    a = softmax_probability_bars(scipy.special.softmax([2.0, 1.0, 0.1]), 0)
    b = softmax_probability_bars(scipy.special.softmax([0.5, 3.0, -1.0]), 2)
    c = softmax_probability_bars(np.full(5, 0.2), 4)
    assert_same_spec(a, b)
    assert_same_spec(a, c)
    assert c.data["bars"]["role"] == ["other class"] * 4 + ["true class"]


def test_gradient_bars_colour_the_true_class_like_the_probability_bars():
    # Equal logits, class 0 true: gradient (1/3 - 1, 1/3, 1/3).
    grad = [1 / 3 - 1, 1 / 3, 1 / 3]
    chart = softmax_gradient_bars(grad, 0)
    assert_valid(chart)
    np.testing.assert_allclose(column(chart, "bars", "gradient"), grad, rtol=1e-15)
    assert chart.data["bars"]["move"] == ["raised", "lowered", "lowered"]
    # orange is the true class on both bar charts; the direction is the sign and the arrow
    roles = chart.data["bars"]["role"]
    assert roles == ["true class", "other class", "other class"]
    assert [colour_of(chart, r) for r in roles] == [PALETTE["orange"], PALETTE["blue"],
                                                     PALETTE["blue"]]
    probs = softmax_probability_bars([1 / 3] * 3, 0)
    assert [colour_of(probs, r) for r in roles] == [colour_of(chart, r) for r in roles]
    assert PALETTE["vermillion"] not in str(layers(chart))
    assert chart.data["bars"]["label"] == ["-0.667\n▲ up", "+0.333\n▼ down", "+0.333\n▼ down"]
    assert titles(chart, "y") == {"∂loss/∂z (nats per unit of logit)"}
    # the axis reaches past every bar, symmetrically, leaving room for the labels
    low, high = column(chart, "extent", "gradient")
    assert low == pytest.approx(-1.75 * 2 / 3) and high == pytest.approx(1.75 * 2 / 3)
    # a few nice ticks, not one every 0.1 with the end labels crowding their neighbours
    y = layers_of(chart, "bars")[0]["encoding"]["y"]
    assert y["axis"]["tickCount"] <= 5 and y["scale"]["nice"] is True


def test_gradient_bars_keep_their_spec_as_the_gradient_changes():
    a = softmax_gradient_bars([-0.3, 0.2, 0.1], 0)
    b = softmax_gradient_bars([0.5, -0.9, 0.3, 0.1], 1)
    assert_same_spec(a, b)
    assert b.data["bars"]["move"] == ["lowered", "raised", "lowered", "lowered"]


def test_temperature_lines_follow_scipy_softmax():
    z = np.array([2.0, 1.0, 0.1])
    chart = softmax_temperature_lines(z, temperature=2.0)
    assert_valid(chart)
    x = layers_of(chart, "curves")[0]["encoding"]["x"]
    assert x["scale"]["type"] == "log" and "temperature" in x["title"]
    t = column(chart, "curves", "T")
    classes = np.array(chart.data["curves"]["class"])
    temps = 0.1 * 100.0 ** (np.arange(121) / 120)  # 121 log-spaced points from 0.1 to 10
    expected = scipy.special.softmax(z[None, :] / temps[:, None], axis=1)
    for i in range(3):
        rows = classes == f"class {i}"
        np.testing.assert_allclose(t[rows], temps, rtol=1e-12)
        np.testing.assert_allclose(column(chart, "curves", "probability")[rows], expected[:, i],
                                   rtol=1e-12)
    assert chart.data["current"] == {"T": [2.0], "label": ["T = 2"]}


def test_temperature_lines_keep_their_spec_when_logits_temperature_or_k_change():
    a = softmax_temperature_lines([2.0, 1.0, 0.1], temperature=1.0)
    b = softmax_temperature_lines([6.0, 1.0, 0.0], temperature=0.3)
    c = softmax_temperature_lines(np.arange(10.0), temperature=1.0)
    assert_same_spec(a, b)
    assert_same_spec(a, c)
    assert "current" not in softmax_temperature_lines([1.0, 2.0]).data


def test_softmax_charts_with_more_classes_than_colours_dash_the_extra_lines():
    chart = softmax_temperature_lines(np.arange(10.0))
    encoding = layers_of(chart, "curves")[0]["encoding"]
    colours = encoding["color"]["scale"]["range"]
    dash = encoding["strokeDash"]["scale"]["range"]
    solid = [1, 0]
    # classes 0..4 get the five class colours, solid; 5..9 repeat them, dashed
    assert len(colours) == 5 and len(set(colours)) == 5
    assert dash[:5] == [solid] * 5 and all(d != solid for d in dash[5:10])


def test_temperature_lines_never_use_the_true_class_orange():
    # orange marks the true class on the bar charts; no class line may wear it (nor the
    # look-alike vermillion), whichever class is true
    chart = softmax_temperature_lines(np.arange(10.0), temperature=1.0)
    colours = layers_of(chart, "curves")[0]["encoding"]["color"]["scale"]["range"]
    assert PALETTE["orange"] not in colours and PALETTE["vermillion"] not in colours
    assert set(colours) <= set(PALETTE.values())


# --- penalty curves --------------------------------------------------------------------------

def test_penalty_curves_are_minus_ln_p_and_minus_ln_one_minus_p():
    chart = penalty_curves(0.3)
    assert_valid(chart)
    x, one = curve(chart, "true label 1: −ln p", "loss")
    x0, zero = curve(chart, "true label 0: −ln(1 − p)", "loss")
    assert 0 < x.min() and x.max() < 1  # no infinite end points
    np.testing.assert_allclose(one, -np.log(x), rtol=1e-12)
    np.testing.assert_allclose(zero, -np.log1p(-x0), rtol=1e-9)
    np.testing.assert_allclose(column(chart, "seed", "loss"), [-ln(0.9), -ln(0.1)], rtol=1e-12)
    assert chart.data["seed"]["text"] == ["p = 0.9 → 0.105", "p = 0.1 → 2.303"]
    assert titles(chart, "y") == {"loss (nats)"}
    assert all("p (no unit)" in t for t in titles(chart, "x"))
    assert any(t.get("format") == ".3f" and "nats" in t["title"] for t in tooltips(chart))
    # the current p on both curves
    np.testing.assert_allclose(column(chart, "current", "loss"), [-ln(0.3), -ln(0.7)], rtol=1e-12)
    assert [colour_of(chart, c) for c in chart.data["current"]["curve"]] == [PALETTE["blue"],
                                                                               PALETTE["orange"]]


def test_seed_examples_are_diamonds_in_the_legend_and_above_the_current_p():
    chart = penalty_curves(0.9)  # the page's default: the marker sits on a seed
    assert_valid(chart)
    seed = [layer for layer in layers_of(chart, "seed") if layer["mark"]["type"] == "point"]
    assert len(seed) == 1 and seed[0]["mark"]["shape"] == "diamond"
    # the shape scale shares the colour scale's field and domain, so the two merge into
    # one legend, where the seed example gets a diamond and each curve a line
    colour, shape = seed[0]["encoding"]["color"], seed[0]["encoding"]["shape"]
    assert shape["field"] == colour["field"]
    assert shape["scale"]["domain"] == colour["scale"]["domain"]
    legend_shapes = dict(zip(shape["scale"]["domain"], shape["scale"]["range"]))
    assert legend_shapes["worked example (label 1)"] == "diamond"
    assert legend_shapes["true label 1: −ln p"] == legend_shapes["true label 0: −ln(1 − p)"] \
        == "stroke"
    # at p = 0.9 the diamond is drawn after (above) the current-p marker, which is a ring
    order = [i for i, layer in enumerate(layers(chart)) if layer["mark"]["type"] == "point"
             and layer.get("data", {}).get("name") in ("seed", "current")]
    names = [layers(chart)[i]["data"]["name"] for i in order]
    assert names == ["current", "seed"]
    ring = layers(chart)[order[0]]["mark"]
    assert ring["filled"] is False and ring["size"] > seed[0]["mark"]["size"]
    # the seed labels stand well clear of their diamond (and of −ln p rising beside it)
    text = [layer for layer in layers_of(chart, "seed") if layer["mark"]["type"] == "text"]
    assert text and all(layer["mark"]["dy"] <= -14 for layer in text)


def test_penalty_curves_in_bits_divide_by_ln_2():
    chart = penalty_curves(0.25, unit="bits")
    assert_valid(chart)
    x, one = curve(chart, "true label 1: −ln p", "loss")
    np.testing.assert_allclose(one, -np.log2(x), rtol=1e-12)
    np.testing.assert_allclose(column(chart, "current", "loss"), [2.0, -math.log2(0.75)],
                               rtol=1e-12)
    assert titles(chart, "y") == {"loss (bits)"}


def test_penalty_curves_move_only_the_current_p():
    a, b = penalty_curves(0.3), penalty_curves(0.8)
    assert_same_spec(a, b)
    # the curves and the seed examples are one fixed dataset each; only the marker moves
    assert a.data["curves"] == b.data["curves"] and a.data["seed"] == b.data["seed"]
    assert a.data["current"] != b.data["current"]
    # the unit is part of the shape; no p and no seed examples remove their layers
    assert penalty_curves(0.3, unit="bits").spec != a.spec
    bare = penalty_curves(marked=())
    assert set(bare.data) == {"curves"}
    assert_valid(bare)


def test_current_p_marker_stays_on_the_chart_at_p_zero():
    chart = penalty_curves(0.0)  # the clipped loss, 36 nats, is capped at the axis top
    top = layers_of(chart, "curves")[0]["encoding"]["y"]["scale"]["domain"][1]
    assert top == 6.0
    shown = column(chart, "current", "shown")
    assert np.all(shown <= top) and shown[0] == top
    # the real value, -ln eps = 52 ln 2 nats, is written next to the capped marker
    assert column(chart, "current", "loss")[0] == pytest.approx(-ln(EPS), rel=1e-12)
    assert chart.data["current"]["capped"] == [True, False]
    assert chart.data["current"]["text"] == [f"↑ {52 * math.log(2):.2f} nats", ""]
    written = [layer for layer in layers_of(chart, "current") if layer["mark"]["type"] == "text"]
    assert written and all("datum.capped" in layer["transform"][0]["filter"] for layer in written)


def test_loss_comparison_has_three_curves_by_formula():
    chart = loss_comparison(0, gamma=1.0, p=0.4)
    assert_valid(chart)
    x, ce = curve(chart, "cross-entropy (nats)", "loss")
    np.testing.assert_allclose(ce, -np.log1p(-x), rtol=1e-9)
    _, se = curve(chart, "squared error (y − p)², no unit", "loss")
    np.testing.assert_allclose(se, x**2, rtol=1e-12)
    # label 0: p_t = 1 - p, focal = -(1 - p_t)^1 ln p_t = -p ln(1 - p)
    _, focal = curve(chart, "focal loss (nats)", "loss")
    np.testing.assert_allclose(focal, -x * np.log1p(-x), rtol=1e-9)
    assert chart.data["note"]["text"] == ["true label y = 0\nfocal loss: γ = 1"]
    assert chart.data["current"]["p"] == [0.4]
    # squared error has no unit: the axis claims none for all three curves, and each
    # legend label and tooltip names its own curve's unit
    assert titles(chart, "y") == {"loss (unit in the legend)"}
    units = dict(zip(chart.data["curves"]["curve"], chart.data["curves"]["unit"]))
    assert units == {"cross-entropy (nats)": "nats", "squared error (y − p)², no unit": "no unit",
                     "focal loss (nats)": "nats"}


def test_loss_comparison_keeps_its_spec_when_label_gamma_or_p_change():
    a = loss_comparison(1, gamma=2.0, p=0.9)
    b = loss_comparison(0, gamma=4.5, p=0.1)
    assert_same_spec(a, b)
    bits = loss_comparison(1, gamma=2.0, unit="bits")
    x, ce = curve(bits, "cross-entropy (bits)", "loss")
    np.testing.assert_allclose(ce, -np.log2(x), rtol=1e-12)
    assert titles(bits, "y") == {"loss (unit in the legend)"}


def test_logit_gradients_by_formula():
    chart = logit_gradients(1, p=0.2)
    assert_valid(chart)
    x, ce = curve(chart, "cross-entropy: p − y, nats", "gradient")
    np.testing.assert_allclose(ce, x - 1, rtol=1e-12)
    x, se = curve(chart, "squared error: 2(p − y)·p(1 − p), no unit", "gradient")
    np.testing.assert_allclose(se, 2 * (x - 1) * x * (1 - x), rtol=1e-12)
    assert titles(chart, "y") == {"∂loss/∂z (unit in the legend)"}
    assert {colour_of(chart, c) for c in set(chart.data["curves"]["curve"])} == {
        PALETTE["blue"], PALETTE["vermillion"]}
    np.testing.assert_allclose(column(chart, "current", "gradient"),
                               [0.2 - 1, 2 * (0.2 - 1) * 0.2 * 0.8], rtol=1e-12)
    assert chart.data["wrong"]["p"] == [0.0] and chart.data["wrong"]["p_end"] == [0.2]
    # zero, where the push on the logit changes sign, is a labelled tick
    axis = layers_of(chart, "curves")[0]["encoding"]["y"]["axis"]
    assert 0 in axis["values"] and min(axis["values"]) == -1 and max(axis["values"]) == 1


def test_logit_gradients_keep_their_spec_when_label_or_p_change():
    a, b = logit_gradients(1, p=0.2), logit_gradients(0, p=0.95)
    assert_same_spec(a, b)
    assert b.data["wrong"]["p"] == [0.8] and b.data["wrong"]["p_end"] == [1.0]
    x, ce = curve(b, "cross-entropy: p − y, nats", "gradient")
    np.testing.assert_allclose(ce, x, rtol=1e-12)  # p - 0


def test_squared_error_is_never_drawn_on_an_axis_in_nats_or_bits():
    # (y − p)² has no unit, so no axis, legend label or tooltip title that covers it says one
    for unit in ("nats", "bits"):
        for chart in (loss_comparison(1, p=0.3, unit=unit), logit_gradients(1, p=0.3, unit=unit)):
            assert not any(unit in t for t in titles(chart, "y"))
            assert not any(unit in t["title"] for t in tooltips(chart))
            names = set(chart.data["curves"]["curve"])
            se = [n for n in names if n.startswith("squared error")]
            assert se and all(n.endswith("no unit") for n in se)
            assert all(unit in n for n in names - set(se))


def test_logit_gradient_of_cross_entropy_in_bits_is_the_slope_of_minus_log2_sigmoid():
    # ℓ(z) = −log2 σ(z) for a positive: central differences at the grid's logits
    chart = logit_gradients(1, p=0.3, unit="bits")
    x, ce = curve(chart, "cross-entropy: (p − y)/ln 2, bits", "gradient")
    z, h = scipy.special.logit(x), 1e-6
    slope = (scipy.special.log_expit(z - h) - scipy.special.log_expit(z + h)) / (2 * h * ln(2))
    np.testing.assert_allclose(ce, slope, rtol=1e-6, atol=1e-9)
    # the squared error's gradient is the same in both units
    _, se_bits = curve(chart, "squared error: 2(p − y)·p(1 − p), no unit", "gradient")
    _, se_nats = curve(logit_gradients(1, unit="nats"),
                       "squared error: 2(p − y)·p(1 − p), no unit", "gradient")
    np.testing.assert_array_equal(se_bits, se_nats)
    # the axis reaches past 1/ln 2 = 1.44, and 0 keeps its label
    axis = layers_of(chart, "curves")[0]["encoding"]["y"]
    assert axis["scale"]["domain"][1] > 1 / ln(2) and 0 in axis["axis"]["values"]


@pytest.mark.parametrize("chart", [
    softmax_probability_bars([0.7, 0.2, 0.1], 0),
    softmax_gradient_bars([-0.3, 0.2, 0.1], 0),
    softmax_temperature_lines([2.0, 1.0, 0.1], temperature=1.0),
    penalty_curves(0.5),
    loss_comparison(1, p=0.5),
    logit_gradients(1, p=0.5),
], ids=["probs", "grad", "temp", "penalty", "compare", "logit_grad"])
def test_every_chart_has_tooltips_with_formatted_numbers(chart):
    numeric = [t for t in tooltips(chart) if "format" in t]
    assert numeric, "no tooltip shows a formatted number"
    # text drawn on the chart follows the theme (no fixed black or white)
    for layer in layers(chart):
        if layer["mark"]["type"] == "text" and "color" not in layer.get("encoding", {}):
            assert "expr" in layer["mark"]["color"]


def test_values_that_cannot_be_drawn_never_get_a_made_up_height():
    # An infinite or missing probability/gradient is refused rather than drawn at some height.
    for call in (lambda: softmax_probability_bars([math.inf, 0.0, 0.0], 0),
                 lambda: softmax_gradient_bars([math.nan, 0.1, -0.1], 0)):
        with pytest.raises(InputError):
            call()
    # The curves stop short of p = 0 and 1, where the exact loss is infinite: every
    # drawn value is a finite number, none is None.
    for chart in (penalty_curves(0.0), loss_comparison(0, p=1.0)):
        values = column(chart, "curves", "loss")
        assert np.all(np.isfinite(values))


def test_no_plotly_left_in_these_modules():
    for module in (softmax_module, penalty_module):
        assert "plotly" not in inspect.getsource(module)


@pytest.mark.parametrize("call", [
    lambda: softmax_probability_bars([0.5, 0.5], 2),   # true class out of range
    lambda: softmax_temperature_lines([1.0, 2.0], t_min=1.0, t_max=0.5),
    lambda: penalty_curves(1.5),                      # p outside [0, 1]
    lambda: loss_comparison(1, gamma=-2.0),           # negative gamma
])
def test_bad_figure_inputs_raise_input_error(call):
    with pytest.raises(InputError):
        call()


def test_penalty_grid_leaves_out_the_ends_where_the_loss_is_infinite():
    assert penalty_module.GRID[0] == pytest.approx(0.0025)
    assert penalty_module.GRID[-1] == pytest.approx(0.9975)
    assert len(penalty_module.GRID) == 399
