"""The Pitfalls figures draw the numbers ce_core.pitfalls computed, in the chosen unit."""

import math

import numpy as np
import pytest

from ce_core import pitfalls as pf
from ce_core.figures import (loss_histogram, per_class_bars, reliability_diagram, remedy_bars,
                             temperature_curve)
from ce_core.training import EpochRecord, History

LN2 = math.log(2)


def run(name, val_loss, probs, y):
    history = History([EpochRecord(1, 0.3, val_loss, 0.0, 1.0, 1.0, 1.0, 0.1)])
    return pf.RunResult(name, history, np.asarray(probs, dtype=float), np.asarray(y), np.zeros(len(y)), "")


RUNS = {
    "plain": run("plain", 0.5, [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1]),
    "class-weighted": run("class-weighted", 0.7, [[0.6, 0.4], [0.4, 0.6], [0.2, 0.8]], [0, 1, 1]),
}


@pytest.mark.parametrize("unit, scale", [("nats", 1.0), ("bits", 1 / LN2)])
def test_per_class_bars_show_recall_and_loss_per_class(unit, scale):
    fig = per_class_bars(RUNS, unit=unit)
    recall, loss = fig.data[0], fig.data[1]
    report = RUNS["plain"].report()
    assert list(recall.y) == pytest.approx(report.recall.tolist())
    assert list(loss.y) == pytest.approx((report.loss * scale).tolist())
    assert [t.name for t in fig.data] == ["plain", "plain", "class-weighted", "class-weighted"]
    assert fig.data[0].x[1] == "class 1 (2 pts)"


def test_loss_histogram_splits_clean_and_flipped_and_marks_mean():
    fig = loss_histogram([0.1, 0.2, 3.0], [False, False, True], unit="bits")
    assert list(fig.data[0].x) == pytest.approx([0.1 / LN2, 0.2 / LN2])
    assert list(fig.data[1].x) == pytest.approx([3.0 / LN2])
    assert fig.layout.shapes[0].x0 == pytest.approx(3.3 / 3 / LN2)
    assert "bits" in fig.layout.xaxis.title.text


def test_remedy_bars_heights_are_validation_losses():
    fig = remedy_bars(RUNS, unit="nats", reference=0.5)
    assert list(fig.data[0].y) == pytest.approx([0.5, 0.7])
    assert fig.layout.shapes[0].y0 == pytest.approx(0.5)


def test_reliability_diagram_plots_filled_bins_only():
    bins = pf.reliability_bins([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], n_bins=10)
    fig = reliability_diagram({"m": bins})
    assert list(fig.data[1].x) == pytest.approx([0.6, 0.8, 0.9])
    assert list(fig.data[1].y) == pytest.approx([0.0, 1.0, 1.0])


def test_temperature_curve_marks_chosen_and_fitted_points_in_unit():
    fig = temperature_curve([0.5, 1, 2], [0.6, 0.5, 0.55], chosen=(2.0, 0.55), best=(1.1, 0.49),
                            unit="bits")
    assert fig.data[1].y[0] == pytest.approx(0.55 / LN2)
    assert fig.data[2].x[0] == 1.1 and fig.data[2].y[0] == pytest.approx(0.49 / LN2)
    assert fig.layout.xaxis.type == "log"
