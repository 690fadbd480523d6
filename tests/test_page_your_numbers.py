"""AppTest of the "Your numbers" page: good text, bad text, presets and options."""

import json
import math

import numpy as np
import pytest
from sklearn.metrics import log_loss

import ui

from charts.calculator import loss_histogram_figure
from tests.apptest import chart_frames, metrics, open_page, vega_charts
from tests.vega import assert_same_spec, assert_valid

PAGE = "pages/5_Your_numbers.py"
ln = math.log


@pytest.fixture
def at():
    return open_page(PAGE)


def metric(app, label):
    return metrics(app)[label]


def histogram(app) -> tuple[str, dict]:
    """The page's one Vega-Lite chart: its spec (JSON text) and datasets as DataFrames."""
    (chart,) = vega_charts(app)
    return chart.proto.spec, chart_frames(chart)


def test_default_example_shows_the_seed_value_and_log_loss(at):
    y, p = [1, 0, 1, 1, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.9]
    expected = f"{log_loss(y, p):.4f} nats"
    assert metric(at, "Mean cross-entropy") == expected == "0.1865 nats"
    assert metric(at, "scikit-learn log_loss") == expected
    assert metric(at, "Samples") == "6"
    assert metric(at, "Worst sample") == f"{-ln(0.7):.4f} nats"
    # Losses -ln 0.9 (three times), -ln 0.8 (twice), -ln 0.7: five bins (at least 5) from
    # the smallest to the largest loss, three samples in the first, one in the last.
    spec, data = histogram(at)
    bins = data["bins"]
    assert len(bins) == 5 and bins["count"].sum() == 6
    assert bins["count"].iloc[0] == 3 and bins["count"].iloc[-1] == 1
    assert bins["start"].iloc[0] == pytest.approx(-ln(0.9))
    assert bins["end"].iloc[-1] == pytest.approx(-ln(0.7))
    assert list(data["note"]["text"]) == [""]
    assert "loss of one sample (nats)" in spec


def test_pasted_text_in_bits(at):
    at.radio(key="unit").set_value("bits").run()
    at.text_area(key="yn_text").set_value("cat; 0.25\ndog; 0.5\ncat; 0.5").run()
    # Classes sorted: cat = 0, dog = 1, the column is P(dog): losses -log2 .75, -log2 .5, -log2 .5.
    expected = (-math.log2(0.75) + 2 * -math.log2(0.5)) / 3
    assert metric(at, "Mean cross-entropy") == f"{expected:.4f} bits"
    assert not at.exception


@pytest.mark.parametrize("bad, message", [
    ("1, 0.9\n0, banana", "Line 2, column 2 is 'banana'"),
    ("1, 0.9\n0, 0.1, 0.5", "Line 2 has 3 columns but line 1 has 2"),
    ("", "The input is empty"),
    ("0, 0.5, 0.4\n1, 0.3, 0.7", "the probabilities sum to 0.9"),
])
def test_bad_text_shows_an_error_and_keeps_the_text(at, bad, message):
    at.text_area(key="yn_text").set_value(bad).run()
    assert not at.exception
    # the message is shown as plain text: its Markdown source is the escaped message
    assert len(at.error) == 1 and ui.plain(message) in at.error[0].value
    assert at.text_area(key="yn_text").value == bad          # nothing the user typed is lost
    assert not [m for m in at.metric if m.label == "Mean cross-entropy"]


def test_fixing_the_text_clears_the_error(at):
    at.text_area(key="yn_text").set_value("1, 0.9\n0, x").run()
    assert at.error
    at.text_area(key="yn_text").set_value("1, 0.9\n0, 0.4").run()
    assert not at.error
    assert metric(at, "Mean cross-entropy") == f"{-(ln(0.9) + ln(0.6)) / 2:.4f} nats"


def test_normalise_rows_option_turns_the_error_into_a_result(at):
    at.text_area(key="yn_text").set_value("0, 0.5, 0.3\n1, 0.2, 0.2").run()
    assert at.error
    at.checkbox(key="yn_norm").check().run()
    assert not at.error
    assert metric(at, "Mean cross-entropy") == f"{-(ln(0.625) + ln(0.5)) / 2:.4f} nats"


@pytest.mark.parametrize("preset, documented", [
    ("scikit-learn: spam and ham", "0.2162 nats"),                      # log_loss docs: 0.21616
    ("Keras: CategoricalCrossentropy", "1.1769 nats"),                  # Keras docs: 1.177
    ("TensorFlow: sparse_softmax_cross_entropy_with_logits", "0.4808 nats"),  # mean of docs' values
])
def test_presets_fill_the_text_and_show_their_documented_value(at, preset, documented):
    at.selectbox(key="yn_pre").set_value(preset).run()
    assert metric(at, "Mean cross-entropy") == documented
    assert not at.exception


def test_exact_mode_shows_infinity_and_explains_missing_reference(at):
    at.text_area(key="yn_text").set_value("1, 0.0\n0, 0.1").run()
    assert metric(at, "Worst sample") == f"{52 * ln(2):.4f} nats"          # clipped: -ln 2^-52
    assert metric(at, "Mean cross-entropy") == f"{(52 * ln(2) - ln(0.9)) / 2:.4f} nats"
    clipped_spec, clipped = histogram(at)
    assert clipped["bins"]["count"].sum() == 2 and clipped["bins"]["end"].max() == pytest.approx(52 * ln(2))
    at.radio(key="yn_clip").set_value("Exact").run()
    assert metric(at, "Mean cross-entropy") == "∞ nats"
    assert metric(at, "scikit-learn log_loss") == "—"
    assert not at.exception
    spec, data = histogram(at)
    assert data["bins"]["count"].sum() == 1                      # the infinite loss is not drawn
    assert list(data["note"]["text"]) == ["1 infinite, not drawn"]
    assert spec == clipped_spec                                  # only the data changed


def test_weights_and_label_smoothing(at):
    at.text_area(key="yn_text").set_value("1, 0.8, 3\n0, 0.4, 1").run()
    at.checkbox(key="yn_w").check().run()
    expected = (3 * -ln(0.8) + 1 * -ln(0.6)) / 4
    assert metric(at, "Mean cross-entropy") == f"{expected:.4f} nats"
    spec_before, data_before = histogram(at)
    at.slider(key="yn_ls").set_value(0.2).run()
    spec_after, data_after = histogram(at)
    assert spec_after == spec_before            # the slider moves the data, not the chart's spec
    assert not data_after["bins"].equals(data_before["bins"])
    # Targets (0.9, 0.1) for the true class: -(0.9 ln p_true + 0.1 ln p_other).
    smooth = (3 * -(0.9 * ln(0.8) + 0.1 * ln(0.2)) + -(0.9 * ln(0.6) + 0.1 * ln(0.4))) / 4
    assert metric(at, "Mean cross-entropy") == f"{smooth:.4f} nats"
    assert not at.exception


# ----------------------------------------------------------------------------- the histogram chart

def test_loss_histogram_figure_draws_the_bins_it_is_given():
    chart = loss_histogram_figure(np.array([2, 0, 1]), np.array([0.0, 0.5, 1.0, 1.5]), "bits")
    spec = assert_valid(chart)
    assert chart.data["bins"] == {"start": [0.0, 0.5, 1.0], "end": [0.5, 1.0, 1.5], "count": [2, 0, 1]}
    assert chart.data["note"] == {"text": [""]}
    assert "loss of one sample (bits)" in json.dumps(spec)
    bars = spec["layer"][0]["encoding"]
    assert bars["y2"] == {"datum": 0}          # bars stand on zero, not float at their count


def test_loss_histogram_figure_spec_stays_when_the_numbers_change():
    a = loss_histogram_figure(np.array([2, 1]), np.array([0.0, 0.5, 1.0]), "nats")
    b = loss_histogram_figure(np.array([5, 0, 3]), np.array([0.1, 0.2, 0.3, 0.4]), "nats", n_infinite=2)
    assert_same_spec(a, b)
    assert b.data["note"]["text"] == ["2 infinite, not drawn"]


def test_loss_histogram_figure_with_only_infinite_losses_draws_no_bar():
    chart = loss_histogram_figure(np.zeros(0), np.zeros(1), "nats", n_infinite=3)
    assert_valid(chart)
    assert chart.data["bins"] == {"start": [], "end": [], "count": []}
    assert chart.data["note"]["text"] == ["3 infinite, not drawn"]


def test_loss_histogram_figure_draws_no_bar_for_an_empty_bin_and_keeps_headroom():
    chart = loss_histogram_figure(np.array([3, 0, 2, 0, 1]), np.linspace(0.1, 0.35, 6), "nats")
    spec = assert_valid(chart)
    bars, room = spec["layer"][0], spec["layer"][1]
    assert {"filter": "datum.count > 0"} in bars["transform"]    # no stub for the zeros
    assert bars["encoding"]["x"]["axis"]["grid"] is False        # no empty grid cells either
    # an invisible rule at 1.1 × the tallest bar, on the count axis (niced upwards)
    assert room["mark"] == {"type": "rule", "opacity": 0}
    assert {"calculate": "1.1 * datum.tallest", "as": "room"} in room["transform"]
    assert room["encoding"]["y"]["field"] == "room"
    assert bars["encoding"]["y"]["scale"]["nice"] is True
