"""Figure builders of the Live training page: the numbers they draw are the ones given,
in the chosen unit, with the best epoch marked where the validation loss is lowest."""

import math

import numpy as np
import pytest

from ce_core.figures import (
    decision_surface,
    digits_gallery,
    gradient_descent_surface,
    loss_curves,
)
from ce_core.training import DescentPath, EpochRecord, History, Surface
from tests.vega import assert_same_spec, assert_valid, column

LN2 = math.log(2)


def history(val=(0.9, 0.5, 0.4, 0.45, 0.6), penalty=0.0) -> History:
    return History([EpochRecord(e, 1.0 / e, v, penalty, 0.5, 0.5, 1.0, 0.01 * e)
                    for e, v in enumerate(val, start=1)])


@pytest.mark.parametrize("unit, scale", [("nats", 1.0), ("bits", 1 / LN2)])
def test_loss_curves_draw_both_sets_in_the_unit_and_mark_the_best_epoch(unit, scale):
    chart = loss_curves(history(), unit=unit, max_epochs=20)
    assert_valid(chart)
    np.testing.assert_allclose(column(chart, "losses", "validation"),
                               np.array([0.9, 0.5, 0.4, 0.45, 0.6]) * scale)
    np.testing.assert_allclose(column(chart, "losses", "training"), 1 / np.arange(1, 6) * scale)
    assert chart.data["losses"]["epoch"] == [1, 2, 3, 4, 5]
    assert chart.data["best"]["epoch"] == [3]  # lowest of 0.9, 0.5, 0.4, 0.45, 0.6
    assert column(chart, "best", "loss")[0] == pytest.approx(0.4 * scale)
    assert "epoch 3" in chart.data["best"]["label"][0]
    lines = chart.spec["layer"][0]
    assert unit in lines["encoding"]["y"]["title"]
    # The whole run fits from the start: no rescaling while it grows.
    assert lines["encoding"]["x"]["scale"]["domain"] == [0, 20]


def test_a_growing_run_keeps_the_spec_so_the_live_chart_stays_mounted():
    short = loss_curves(history(val=(0.9, 0.5)), max_epochs=150)
    longer = loss_curves(history(val=(0.9, 0.5, 0.4, 0.45, 0.6)), max_epochs=150)
    assert_same_spec(short, longer)
    assert_same_spec(loss_curves(history(penalty=0.01)), loss_curves(history(penalty=0.02)))


def test_penalty_curve_only_when_there_is_one():
    without, with_penalty = loss_curves(history(penalty=0.0)), loss_curves(history(penalty=0.01))
    assert "L2 penalty" not in without.data["losses"]
    assert without.spec["layer"][0]["transform"][0]["fold"] == ["training", "validation"]
    assert_valid(with_penalty)
    np.testing.assert_allclose(column(with_penalty, "losses", "L2 penalty"), [0.01] * 5)
    assert "L2 penalty" in with_penalty.spec["layer"][0]["transform"][0]["fold"]
    assert not loss_curves(history(penalty=0.01), show_penalty=False).data["losses"].get("L2 penalty")


def test_a_diverged_epoch_is_not_drawn():
    chart = loss_curves(history(val=(0.9, 0.5, math.inf, math.nan)))
    assert_valid(chart)
    assert chart.data["losses"]["validation"][2:] == [None, None]
    assert chart.data["best"]["epoch"] == [2]


def test_an_empty_history_draws_an_empty_chart():
    chart = loss_curves(History([]), max_epochs=10)
    assert_valid(chart)
    assert chart.data["losses"]["epoch"] == [] and chart.data["best"]["epoch"] == []


def test_decision_surface_two_classes_is_a_probability_heatmap_with_loss_sized_points():
    xs = np.linspace(-1, 1, 4)
    probs = np.dstack([np.full((4, 4), 0.25), np.full((4, 4), 0.75)])
    losses = np.array([0.01, 3.0, 0.5])
    fig = decision_surface(Surface(xs, xs, probs), [[0, 0], [1, 1], [0.5, 0]], [0, 0, 1], losses,
                           unit="bits")
    heat, class0, class1 = fig.data
    assert heat.type == "heatmap" and np.allclose(heat.z, 0.75)
    sizes = list(class0.marker.size)
    assert sizes[1] > sizes[0]  # the 3-nat point is drawn larger than the 0.01-nat one
    np.testing.assert_allclose(class0.customdata, np.array([0.01, 3.0]) / LN2)  # hover in bits


def test_decision_surface_many_classes_blends_colours_and_survives_nan():
    xs = np.linspace(0, 1, 3)
    probs = np.full((3, 3, 3), 1 / 3)
    probs[0, 0] = np.nan  # a diverged model's grid point
    fig = decision_surface(Surface(xs, xs, probs), [[0.5, 0.5]], [2], np.array([1.0]))
    assert fig.data[0].type == "image"
    assert np.isfinite(np.asarray(fig.data[0].z, dtype=float)).all()


def test_digits_gallery_titles_say_truth_probability_and_loss():
    probs = np.full((3, 10), 0.05)
    probs[:, 7] = 0.55
    fig = digits_gallery(np.zeros((3, 64)), [7, 1, 2], probs, [-math.log(0.55), 3.0, 3.0])
    titles = [a.text for a in fig.layout.annotations]
    assert titles[0] == "true 7 · P=0.55<br>guess 7 · 0.60 nats"  # −ln 0.55 = 0.598
    assert len(fig.data) == 3


def test_gradient_descent_surface_draws_path_start_and_optimum():
    path = DescentPath(np.array([-3.0, -1.0, 0.5]), np.array([3.0, 1.0, 0.2]),
                       np.array([2.0, 0.8, 0.4]))
    fig = gradient_descent_surface(np.linspace(-4, 2, 5), np.linspace(-1, 4, 4), np.ones((4, 5)),
                                   path, (0.6, 0.1), unit="nats")
    contour, line, start, optimum = fig.data
    assert list(line.x) == [-3.0, -1.0, 0.5] and (start.x[0], start.y[0]) == (-3.0, 3.0)
    assert (optimum.x[0], optimum.y[0]) == (0.6, 0.1)
