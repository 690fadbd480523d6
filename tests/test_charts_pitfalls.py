"""The Pitfalls charts draw the numbers ce_core.pitfalls computed, in the chosen unit.

Every chart is valid Vega-Lite (checked against the schema altair ships); the drawn data
is compared with numbers worked out here by hand or with NumPy written out; a chart whose
numbers a slider moves keeps the same spec (so the browser only swaps its data).
"""

import json
import math

import numpy as np
import pytest

from ce_core import pitfalls as pf
from charts.pitfalls import loss_histogram, per_class_bars, reliability_diagram, remedy_bars, temperature_curve
from ce_core.training import EpochRecord, History
from tests.vega import assert_same_spec, assert_valid, column

LN2 = math.log(2)


def run(name, val_loss, probs, y):
    history = History([EpochRecord(1, 0.3, val_loss, 0.0, 1.0, 1.0, 1.0, 0.1)])
    return pf.RunResult(name, history, np.asarray(probs, dtype=float), np.asarray(y), np.zeros(len(y)), "")


RUNS = {
    "plain": run("plain", 0.5, [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1]),
    "class-weighted": run("class-weighted", 0.7, [[0.6, 0.4], [0.4, 0.6], [0.2, 0.8]], [0, 1, 1]),
}


def titles(spec) -> list[str]:
    """Every axis/encoding title anywhere in the spec."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("title"), str):
                found.append(node["title"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(spec)
    return found


def rows(chart, dataset):
    """The dataset as a list of row dicts."""
    cols = chart.data[dataset]
    return [dict(zip(cols, values)) for values in zip(*cols.values())]


# ----------------------------------------------------------------------------- per-class bars

@pytest.mark.parametrize("unit, scale", [("nats", 1.0), ("bits", 1 / LN2)])
def test_per_class_bars_show_recall_and_loss_per_class(unit, scale):
    chart = per_class_bars(RUNS, unit=unit)
    assert_valid(chart)
    drawn = rows(chart, "classes")
    assert [(r["run"], r["class"]) for r in drawn] == [
        ("plain", "class 0 (1 pts)"), ("plain", "class 1 (2 pts)"),
        ("class-weighted", "class 0 (1 pts)"), ("class-weighted", "class 1 (2 pts)")]
    # By hand. plain: class 0 = {0.9 right} -> recall 1, loss -ln 0.9; class 1 = {0.2 wrong,
    # 0.7 right} -> recall 1/2, loss -(ln 0.2 + ln 0.7)/2. class-weighted: class 0 {0.6 right},
    # class 1 {0.6, 0.8 both right}.
    assert [r["recall"] for r in drawn] == pytest.approx([1.0, 0.5, 1.0, 1.0])
    expected = [-math.log(0.9), -(math.log(0.2) + math.log(0.7)) / 2,
                -math.log(0.6), -(math.log(0.6) + math.log(0.8)) / 2]
    assert [r["loss"] for r in drawn] == pytest.approx([v * scale for v in expected])
    assert f"mean cross-entropy ({unit})" in titles(chart.spec)
    assert f"loss ({unit})" in titles(chart.spec)


def test_per_class_bars_spec_stays_when_class_sizes_and_numbers_change():
    # The imbalance slider changes the class sizes, which the class labels show.
    other = {"plain": run("plain", 0.4, [[0.7, 0.3], [0.6, 0.4], [0.55, 0.45], [0.1, 0.9]], [0, 0, 0, 1]),
             "class-weighted": run("class-weighted", 0.6, [[0.5, 0.5]] * 4, [0, 0, 1, 1])}
    a, b = per_class_bars(RUNS), per_class_bars(other)
    assert_same_spec(a, b)
    assert b.data["classes"]["class"][:2] == ["class 0 (3 pts)", "class 1 (1 pts)"]


def test_per_class_bars_leave_a_class_without_points_undrawn():
    chart = per_class_bars({"plain": run("plain", 0.5, [[0.9, 0.1], [0.6, 0.4]], [0, 0])})
    assert_valid(chart)
    assert chart.data["classes"]["recall"][1] is None and chart.data["classes"]["loss"][1] is None


# ----------------------------------------------------------------------------- loss histogram

def test_loss_histogram_splits_clean_and_flipped_and_marks_mean():
    chart = loss_histogram([0.1, 0.2, 3.0], [False, False, True], unit="bits", bins=3)
    assert_valid(chart)
    # In bits: 0.1/ln2 = 0.144, 0.2/ln2 = 0.289, 3/ln2 = 4.328; three bins of width 4.328/3.
    width = 3.0 / LN2 / 3
    drawn = rows(chart, "bars")
    assert [(r["group"], r["count"]) for r in drawn] == [("clean label", 2), ("flipped label", 1)]
    assert drawn[0]["start"] == pytest.approx(0) and drawn[0]["end"] == pytest.approx(width)
    assert drawn[1]["start"] == pytest.approx(2 * width) and drawn[1]["end"] == pytest.approx(3 * width)
    assert column(chart, "mean", "mean")[0] == pytest.approx(3.3 / 3 / LN2)
    assert chart.data["mean"]["label"] == [f"mean {3.3 / 3 / LN2:.3f}"]
    assert "loss of one training point (bits)" in titles(chart.spec)


def test_loss_histogram_puts_clean_and_flipped_side_by_side_on_a_linear_axis():
    chart = loss_histogram([0.1, 0.2, 0.25, 0.9, 3.0], [False, False, True, True, True], bins=3)
    assert_valid(chart)
    drawn = rows(chart, "bars")
    # Bins of width 1: bin 0 holds clean 0.1, 0.2 and flipped 0.25, 0.9; bin 2 the flipped 3.0.
    # Clean in the left half of its bin, flipped in the right half, each from 0.
    assert [(r["group"], r["left"], r["right"], r["count"]) for r in drawn] == [
        ("clean label", 0.0, 0.5, 2), ("flipped label", 0.5, 1.0, 2), ("flipped label", 2.5, 3.0, 1)]
    layer = chart.spec["layer"][0]
    assert "type" not in layer["encoding"]["y"]["scale"]
    assert layer["encoding"]["y2"] == {"datum": 0}                    # each bar from 0, none stacked
    assert layer["encoding"]["y"]["field"] == "count" and layer["encoding"]["y"]["scale"]["zero"]


def test_loss_histogram_spec_stays_when_the_losses_change():
    a = loss_histogram([0.1, 0.2, 3.0], [False, False, True])
    b = loss_histogram([0.3, 0.5, 0.6, 1.5], [False, True, False, True])
    assert_same_spec(a, b)


def test_loss_histogram_leaves_an_infinite_loss_and_mean_undrawn():
    chart = loss_histogram([0.1, math.inf], [False, True], bins=2)
    assert_valid(chart)
    assert chart.data["bars"]["count"] == [1]                 # only the finite loss is binned
    assert chart.data["mean"] == {"mean": [None], "label": ["mean ∞"]}


# ----------------------------------------------------------------------------- remedies

def test_remedy_bars_heights_are_validation_losses():
    chart = remedy_bars(RUNS, unit="nats", reference=0.5)
    assert_valid(chart)
    assert chart.data["remedies"]["recipe"] == ["plain", "class-weighted"]
    assert column(chart, "remedies", "loss") == pytest.approx([0.5, 0.7])
    assert chart.data["remedies"]["label"] == ["0.500", "0.700"]
    assert column(chart, "reference", "loss") == pytest.approx([0.5])
    assert "validation loss (nats)" in titles(chart.spec)


def test_remedy_bars_in_bits_and_without_reference():
    chart = remedy_bars(RUNS, unit="bits")
    assert_valid(chart)
    assert column(chart, "remedies", "loss") == pytest.approx([0.5 / LN2, 0.7 / LN2])
    assert "reference" not in chart.data
    assert "validation loss (bits)" in titles(chart.spec)


def test_remedy_bars_spec_stays_when_the_losses_change():
    other = {"plain": run("plain", 0.9, [[0.5, 0.5]], [0]),
             "class-weighted": run("class-weighted", 0.2, [[0.5, 0.5]], [0])}
    assert_same_spec(remedy_bars(RUNS), remedy_bars(other))


def test_remedy_bars_label_an_infinite_loss_instead_of_drawing_it():
    runs = {"plain": RUNS["plain"], "broken": run("broken", math.inf, [[0.5, 0.5]], [0])}
    chart = remedy_bars(runs)
    assert_valid(chart)
    assert chart.data["remedies"]["loss"] == [0.5, None]
    assert chart.data["remedies"]["label"] == ["0.500", "∞"]
    assert "datum.label === '∞'" in json.dumps(chart.spec, ensure_ascii=False)  # the "∞" text


# ----------------------------------------------------------------------------- reliability

def test_reliability_diagram_plots_filled_bins_only():
    bins = pf.reliability_bins([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], n_bins=10)
    chart = reliability_diagram({"m": bins})
    assert_valid(chart)
    # Top probabilities 0.9 (right), 0.8 (right), 0.6 (wrong): three bins with one point each.
    assert column(chart, "bins", "confidence") == pytest.approx([0.6, 0.8, 0.9])
    assert column(chart, "bins", "accuracy") == pytest.approx([0.0, 1.0, 1.0])
    assert chart.data["bins"]["count"] == [1, 1, 1]
    assert "confidence: top probability" in titles(chart.spec)


def test_reliability_diagram_bars_share_each_bin_between_the_models():
    # Confidences 0.95 x3 (bin 9), 0.65 x1 (bin 6); two models: each bar half a bin wide.
    y = [0, 0, 0, 1]
    probs = [[0.95, 0.05]] * 3 + [[0.65, 0.35]]
    bins = pf.reliability_bins(y, probs, n_bins=10)
    chart = reliability_diagram({"a": bins, "b": bins})
    assert_valid(chart)
    drawn = rows(chart, "bins")
    assert [(r["model"], r["count"], r["accuracy"]) for r in drawn] == [
        ("a", 1, 0.0), ("a", 3, 1.0), ("b", 1, 0.0), ("b", 3, 1.0)]
    assert [v for r in drawn for v in (r["left"], r["right"])] == pytest.approx(
        [0.6, 0.65, 0.9, 0.95, 0.65, 0.7, 0.95, 1.0])
    assert [r["confidence"] for r in drawn] == pytest.approx([0.65, 0.95, 0.65, 0.95])
    top, counts = chart.spec["vconcat"]
    assert top["width"] == top["height"] and counts["width"] == top["width"]   # square, aligned
    bars = [layer for layer in top["layer"] + counts["layer"] if layer["mark"]["type"] == "bar"]
    assert len(bars) == 2 and all(layer["encoding"]["y2"] == {"datum": 0} for layer in bars)
    x_scales = [layer["encoding"]["x"]["scale"]["domain"] for layer in top["layer"] + counts["layer"]]
    assert x_scales == [[0, 1]] * len(x_scales)


def test_reliability_diagram_spec_stays_when_models_and_names_change():
    # The temperature slider renames the second model ("T = 2") and adds or removes it.
    y, q = [0, 1, 1, 0], [[0.9, 0.1], [0.3, 0.7], [0.6, 0.4], [0.55, 0.45]]
    one = reliability_diagram({"as trained (T = 1)": pf.reliability_bins(y, q)})
    two = reliability_diagram({"as trained (T = 1)": pf.reliability_bins(y, q),
                               "T = 2": pf.reliability_bins(y, pf.scale_temperature(np.array(q), 2.0))})
    assert_same_spec(one, two)
    assert_valid(two)
    assert sorted(set(zip(two.data["bins"]["model"], two.data["bins"]["order"]))) == [
        ("T = 2", 1), ("as trained (T = 1)", 0)]


# ----------------------------------------------------------------------------- temperature

def test_temperature_curve_marks_chosen_and_fitted_points_in_unit():
    chart = temperature_curve([0.5, 1, 2], [0.6, 0.5, 0.55], chosen=(2.0, 0.55), best=(1.1, 0.49),
                              unit="bits")
    assert_valid(chart)
    assert column(chart, "curve", "loss") == pytest.approx([0.6 / LN2, 0.5 / LN2, 0.55 / LN2])
    assert chart.data["marks"]["label"] == ["your T = 2.00", "fitted T = 1.10"]
    assert chart.data["marks"]["T"] == [2.0, 1.1]
    assert column(chart, "marks", "loss") == pytest.approx([0.55 / LN2, 0.49 / LN2])
    x = chart.spec["layer"][1]["encoding"]["x"]
    assert x["scale"]["type"] == "log"
    assert "validation loss (bits)" in titles(chart.spec)


def test_temperature_curve_spec_stays_when_the_temperature_moves():
    grid = [0.5, 1, 2]
    a = temperature_curve(grid, [0.6, 0.5, 0.55], chosen=(2.0, 0.55), best=(1.1, 0.49))
    b = temperature_curve(grid, [0.6, 0.5, 0.55], chosen=(0.5, 0.6), best=(1.1, 0.49))
    assert_same_spec(a, b)


def test_temperature_curve_leaves_infinite_losses_undrawn():
    chart = temperature_curve([0.25, 1], [math.inf, 0.5], chosen=(0.25, math.inf), best=(1, 0.5))
    assert_valid(chart)
    assert chart.data["curve"]["loss"] == [None, 0.5]
    assert chart.data["marks"]["loss"] == [None, 0.5]


@pytest.mark.parametrize("chart", [
    per_class_bars(RUNS), loss_histogram([0.1, 3.0], [False, True]), remedy_bars(RUNS, reference=0.5),
    reliability_diagram({"m": pf.reliability_bins([0, 1], [[0.9, 0.1], [0.2, 0.8]])}),
    temperature_curve([0.5, 1], [0.6, 0.5], chosen=(1, 0.5), best=(1, 0.5)),
], ids=["classes", "histogram", "remedies", "reliability", "temperature"])
def test_no_dataset_is_inlined_in_the_spec(chart):
    """Moving numbers only in named datasets: every layer reading data names one that exists
    (constant inline values, e.g. the diagonal, are allowed)."""
    names = set()

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("data"), dict) and "name" in node["data"]:
                names.add(node["data"]["name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(chart.spec)
    assert names == set(chart.data)


def test_remedy_bar_values_use_the_theme_text_colour():
    chart = remedy_bars(RUNS, reference=0.5)
    texts = [layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts and all("color" not in layer["encoding"] and "color" not in layer["mark"]
                         for layer in texts)   # the shared config's theme-aware colour applies


def test_loss_histogram_keeps_headroom_above_the_tallest_bar():
    chart = loss_histogram([0.1] * 40 + [0.2, 3.0], [False] * 41 + [True], bins=3)
    assert_valid(chart)
    tallest = max(chart.data["bars"]["count"])
    assert tallest == 41 and chart.data["room"]["count"] == [pytest.approx(1.15 * tallest)]
    room = [layer for layer in chart.spec["layer"] if layer["data"]["name"] == "room"]
    assert len(room) == 1 and room[0]["mark"]["opacity"] == 0


def test_remedy_bars_over_seeds_draw_the_mean_and_the_range():
    spreads = {"plain": pf.spread([0.4, 0.5, 0.6]), "class-weighted": pf.spread([0.7, 0.7, 1.0])}
    chart = remedy_bars(RUNS, unit="bits", spreads=spreads)
    assert_valid(chart)
    data = chart.data["remedies"]
    assert data["loss"] == pytest.approx([0.5 / LN2, 0.8 / LN2])          # the means, in bits
    assert data["low"] == pytest.approx([0.4 / LN2, 0.7 / LN2])
    assert data["high"] == pytest.approx([0.6 / LN2, 1.0 / LN2])
    assert data["label"][0] == f"{0.5 / LN2:.3f} ({0.4 / LN2:.3f}–{0.6 / LN2:.3f})"
    assert data["at"] == data["high"]                  # the label after the whisker, not on it
    assert any(layer["mark"]["type"] == "errorbar" for layer in chart.spec["layer"])
