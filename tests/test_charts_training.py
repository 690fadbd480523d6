"""Figure builders of the Live training page: the numbers they draw are the ones given,
in the chosen unit, with the best epoch marked where the validation loss is lowest."""

import math

import numpy as np
import pytest

from charts.training import (decision_surface, digits_gallery, gradient_descent_surface,
                             loss_cells, loss_curves)
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


def layer_with(chart, dataset: str, mark: str) -> dict:
    """The (first) layer that draws ``dataset`` with ``mark``."""
    for layer in chart.spec["layer"]:
        kind = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        if layer.get("data", {}).get("name") == dataset and kind == mark:
            return layer
    raise AssertionError(f"no {mark} layer on {dataset}")


def surface_2d(values) -> Surface:
    """A 4 × 3 grid: x = -1, 0, 1, 2 (spacing 1), y = 0, 0.5, 1 (spacing 0.5)."""
    p1 = np.asarray(values, dtype=float)
    return Surface(np.array([-1.0, 0.0, 1.0, 2.0]), np.array([0.0, 0.5, 1.0]),
                   np.dstack([1 - p1, p1]))


def test_decision_surface_two_classes_is_a_probability_map_of_cells():
    p1 = np.arange(12).reshape(3, 4) / 11  # p1[i, j] = P(class 1) at (x_j, y_i)
    p1[2, 3] = np.nan                      # a diverged grid point
    chart = decision_surface(surface_2d(p1), [[0, 0]], [0], np.array([0.5]))
    assert_valid(chart)
    x, x2 = column(chart, "surface", "x"), column(chart, "surface", "x2")
    y, y2 = column(chart, "surface", "y"), column(chart, "surface", "y2")
    # Each grid point gets a cell reaching halfway to its neighbours: 1 wide, 0.5 high.
    np.testing.assert_allclose(x2 - x, 1.0)
    np.testing.assert_allclose(y2 - y, 0.5)
    assert (x.min(), x2.max(), y.min(), y2.max()) == (-1.5, 2.5, -0.25, 1.25)
    # The cell centred on (x_j, y_i) holds P(class 1) there; NaN is None, filtered out.
    p = chart.data["surface"]["p"]
    for xc, yc, value in zip((x + x2) / 2, (y + y2) / 2, p):
        j, i = int(round(xc + 1)), int(round(yc * 2))
        if np.isnan(p1[i, j]):
            assert value is None
        else:
            assert value == pytest.approx(p1[i, j])
    assert sum(v is None for v in p) == 1
    cells = layer_with(chart, "surface", "rect")
    assert {"filter": "isValid(datum.p)"} in cells["transform"]
    assert cells["encoding"]["color"]["field"] == "p"


def test_decision_surface_points_are_sized_by_their_loss_in_the_unit():
    losses = np.array([0.01, 3.0, 0.5, 9.0])
    chart = decision_surface(surface_2d(np.full((3, 4), 0.5)), [[0, 0], [1, 1], [0.5, 0], [2, 1]],
                             [0, 0, 1, 1], losses, unit="bits")
    assert_valid(chart)
    points = chart.data["points"]
    # Largest loss first, so the small (well-predicted) points are drawn on top.
    np.testing.assert_allclose(points["loss"], np.array([9.0, 3.0, 0.5, 0.01]) / LN2)
    assert points["class"] == ["class 1", "class 0", "class 1", "class 0"]
    assert (points["x"], points["y"]) == ([2.0, 1.0, 0.5, 0.0], [1.0, 1.0, 0.0, 0.0])
    size = layer_with(chart, "points", "point")["encoding"]["size"]
    assert "bits" in size["title"]
    # Area from smallest to largest over 0..3 nats (= 4.328 bits), capped beyond.
    assert size["scale"]["domain"] == [0, pytest.approx(3 / LN2)] and size["scale"]["clamp"]
    assert size["scale"]["range"][0] < size["scale"]["range"][1]


def test_decision_surface_keeps_its_spec_while_the_model_learns():
    before = decision_surface(surface_2d(np.full((3, 4), 0.5)), [[0, 0], [1, 1]], [0, 1],
                              np.array([0.7, 0.7]))
    after = decision_surface(surface_2d(np.linspace(0, 1, 12).reshape(3, 4)), [[0, 0], [1, 1]],
                             [0, 1], np.array([0.1, 2.0]))
    assert_same_spec(before, after)


def test_decision_surface_many_classes_blends_colours_and_survives_nan():
    xs = np.linspace(0, 1, 3)
    probs = np.full((3, 3, 3), 1 / 3)
    probs[1, 1] = [1.0, 0.0, 0.0]  # sure of class 0 at (0.5, 0.5)
    probs[0, 0] = np.nan           # a diverged model's grid point
    chart = decision_surface(Surface(xs, xs, probs), [[0.5, 0.5]], [2], np.array([1.0]))
    assert_valid(chart)
    colours, guesses = chart.data["surface"]["colour"], chart.data["surface"]["guess"]
    # Sure of class 0: blue #0072B2 lightened, 0.4·(0, 114, 178) + 0.6·255 = (153, 198.6, 224.2).
    assert colours[4] == "#99c7e0" and guesses[4] == "class 0"
    # NaN is drawn as "no idea": the three colours mixed equally, lightened alike.
    rgb = np.array([[0x00, 0x72, 0xB2], [0xE6, 0x9F, 0x00], [0x00, 0x9E, 0x73]]).mean(axis=0)
    expected = "#" + "".join(f"{round(0.4 * c + 153):02x}" for c in rgb)
    assert colours[0] == expected and guesses[0] is None
    assert colours[8] == expected  # a real 1/3-1/3-1/3 looks the same
    shapes = layer_with(chart, "points", "point")["encoding"]["shape"]["scale"]["domain"]
    assert shapes == ["class 0", "class 1", "class 2"]


def test_digits_gallery_titles_say_truth_probability_and_loss():
    probs = np.full((3, 10), 0.05)
    probs[:, 7] = 0.55
    chart = digits_gallery(np.zeros((3, 64)), [7, 1, 2], probs, [-math.log(0.55), 3.0, 3.0])
    assert_valid(chart)
    titles = chart.data["titles"]["text"]
    assert titles[0] == "true 7 · P=0.55\nguess 7 · 0.60 nats"  # −ln 0.55 = 0.598
    assert titles[1] == "true 1 · P=0.05\nguess 7 · 3.00 nats"
    assert len(titles) == 3 and len(chart.data["pixels"]["ink"]) == 3 * 64


def test_digits_gallery_draws_each_pixel_where_it_belongs():
    images = np.zeros((2, 64))
    images[1, 2 * 8 + 5] = 0.9  # image 1: ink at row 2 (from the top), column 5
    chart = digits_gallery(images, [0, 1], np.full((2, 10), 0.1), [2.3, 2.3], unit="bits")
    assert_valid(chart)
    x, y = column(chart, "pixels", "x"), column(chart, "pixels", "y")
    ink, image = column(chart, "pixels", "ink"), column(chart, "pixels", "image")
    mine = image == 2
    inked = mine & (ink > 0)
    assert inked.sum() == 1
    assert x[inked][0] - x[mine].min() == 5       # 5 pixels from the image's left edge
    assert y[mine].max() - y[inked][0] == 2       # 2 pixels down from its top edge
    assert x[mine].min() > x[image == 1].max()    # image 2 is right of image 1
    assert "bits" in chart.data["titles"]["text"][0]
    other = digits_gallery(np.ones((2, 64)), [3, 4], np.full((2, 10), 0.1), [1.0, 2.0],
                           unit="bits")
    assert_same_spec(chart, other)


def gd_path(steps: int) -> DescentPath:
    w = np.linspace(-3.0, 0.5, steps + 1)
    return DescentPath(w, 3.0 - w, 2.0 / (1 + np.arange(steps + 1)))


def test_gradient_descent_surface_draws_path_start_and_optimum():
    ws, bs = np.linspace(-4, 2, 5), np.linspace(-1, 4, 4)  # spacing 1.5 and 5/3
    grid = np.arange(20.0).reshape(4, 5)
    grid[0, 0] = np.inf
    chart = gradient_descent_surface(loss_cells(ws, bs, grid, unit="bits"), gd_path(2), (0.6, 0.1),
                                     unit="bits")
    assert_valid(chart)
    path = chart.data["path"]
    assert path["step"] == [0, 1, 2] and path["w"] == [-3.0, -1.25, 0.5]
    assert path["b"] == [6.0, 4.25, 2.5]
    np.testing.assert_allclose(path["loss"], np.array([2.0, 1.0, 2 / 3]) / LN2)
    assert chart.data["optimum"] == {"w": [0.6], "b": [0.1]}
    start = layer_with(chart, "path", "point")  # the per-step dots, then the start
    starts = [layer for layer in chart.spec["layer"]
              if {"filter": "datum.step === 0"} in layer.get("transform", [])]
    assert len(starts) == 1 and start is not starts[0]
    # The loss grid, in bits, one cell per grid point; the infinite corner is not drawn.
    loss = chart.data["grid"]["loss"]
    assert loss[0] is None
    np.testing.assert_allclose(loss[1:], np.arange(1.0, 20.0) / LN2)
    np.testing.assert_allclose(column(chart, "grid", "w2") - column(chart, "grid", "w"), 1.5)
    np.testing.assert_allclose(column(chart, "grid", "b2") - column(chart, "grid", "b"), 5 / 3)
    cells = layer_with(chart, "grid", "rect")
    assert cells["encoding"]["color"]["title"] == "loss (bits)"
    assert {"filter": "isValid(datum.loss)"} in cells["transform"]


def test_gradient_descent_steps_move_only_the_path():
    ws, bs, grid = np.linspace(-4, 2, 5), np.linspace(-1, 4, 4), np.ones((4, 5))
    short = gradient_descent_surface(loss_cells(ws, bs, grid), gd_path(5), (0.6, 0.1))
    longer = gradient_descent_surface(loss_cells(ws, bs, grid), gd_path(200), (0.6, 0.1))
    assert_same_spec(short, longer)
    assert short.data["grid"] == longer.data["grid"]  # the browser keeps the grid as it is
    assert len(longer.data["path"]["w"]) == 201


def test_best_epoch_label_stands_above_the_plot_where_no_curve_can_be():
    # Validation rises to the end (overfitting): the top-right corner is where it ends.
    chart = loss_curves(history(val=(0.5, 0.4, 0.6, 0.8, 1.2)))
    label = layer_with(chart, "best", "text")
    # y = 0 px is the top edge of the data rectangle; baseline "bottom" with a negative dy
    # puts the whole label above it, in a row of its own.
    assert label["encoding"]["y"] == {"value": 0}
    assert label["mark"]["baseline"] == "bottom" and label["mark"]["dy"] < 0
    assert chart.data["best"]["label"] == ["★ lowest validation loss: epoch 2"]


@pytest.mark.parametrize("low, high", [(0.3, 4.35), (0.45, 4.5), (0.6931, 0.75), (1.0, 61.0),
                                       (0.039, 30.0)])
def test_gradient_descent_bands_are_round_and_evenly_spaced_in_log(low, high):
    ws, bs = np.linspace(-4, 2, 10), np.linspace(-1, 4, 10)
    grid = np.geomspace(low, high, 100).reshape(10, 10)
    chart = gradient_descent_surface(loss_cells(ws, bs, grid), gd_path(3), (0.6, 0.1))
    assert_valid(chart)
    band, loss = column(chart, "grid", "band"), column(chart, "grid", "loss")
    names = chart.data["grid"]["band_name"]
    tops = np.array([float(name.split("–")[1]) for name in names])
    assert np.all((band <= loss * (1 + 1e-12)) & (loss < tops))        # each value in its band
    ratios = np.log(tops / band)
    assert np.ptp(ratios) < 0.12                                       # equal steps in log
    assert len(np.unique(band)) <= 16
    for lo, name in zip(band, names):
        first = name.split("–")[0]
        assert float(first) == pytest.approx(lo) and len(first) <= 5   # 0.32, not 0.3162278
    colour = layer_with(chart, "grid", "rect")["encoding"]["color"]
    assert colour["field"] == "band_name" and colour["sort"]["field"] == "band"


def test_gradient_descent_bands_spec_stays_when_the_range_changes():
    ws, bs = np.linspace(-4, 2, 5), np.linspace(-1, 4, 4)
    a = gradient_descent_surface(loss_cells(ws, bs, np.linspace(0.4, 4.4, 20).reshape(4, 5)),
                                 gd_path(3), (0, 0))
    b = gradient_descent_surface(loss_cells(ws, bs, np.linspace(0.6, 0.9, 20).reshape(4, 5)),
                                 gd_path(3), (0, 0))
    assert_same_spec(a, b)
    assert a.data["grid"]["band_name"][0] == "0.4–0.5" and b.data["grid"]["band_name"][0] == "0.56–0.63"


def test_loss_curves_start_at_epoch_zero_and_draw_the_chance_line():
    h = history()
    h.start = EpochRecord(0, 0.71, 0.70, 0.0, 0.5, 0.5, 1.0, 0.0)
    chart = loss_curves(h, unit="bits", n_classes=3)
    assert_valid(chart)
    assert chart.data["losses"]["epoch"] == [0, 1, 2, 3, 4, 5]
    assert chart.data["losses"]["validation"][0] == pytest.approx(0.70 / LN2)
    assert chart.data["chance"]["loss"] == [pytest.approx(math.log2(3))]     # log₂ 3 bits
    assert chart.data["chance"]["label"] == ["guessing 1/3 each: log₂ 3 = 1.585 bits"]
    assert chart.data["best"]["epoch"] == [3]                # epoch 0 is not a trained model
    rule = layer_with(chart, "chance", "rule")
    assert rule["encoding"]["y"]["field"] == "loss"
    assert_same_spec(chart, loss_curves(history((2.0, 1.0)), unit="bits", n_classes=5))
    assert "chance" not in loss_curves(h).data


def test_decision_surface_rings_the_given_points_with_their_ids():
    xs = np.linspace(-1, 1, 3)
    probs = np.dstack([np.full((3, 3), 0.3), np.full((3, 3), 0.7)])
    X = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5]])
    chart = decision_surface(Surface(xs, xs, probs), X, [0, 1, 0], np.array([1.2, 0.36, 2.0]),
                             worst=[2, 0])
    assert_valid(chart)
    worst = chart.data["worst"]
    assert worst["point"] == [2, 0] and worst["id"] == ["2", "0"]
    assert (worst["x"], worst["y"]) == ([-1.0, 0.0], [0.5, 0.0])
    assert worst["loss"] == [2.0, 1.2]
    rings = [layer for layer in chart.spec["layer"]
             if layer.get("data") == {"name": "worst"} and layer["mark"]["type"] == "point"]
    assert rings and all(layer["mark"]["filled"] is False for layer in rings)
    text = layer_with(chart, "worst", "text")
    assert text["encoding"]["text"]["field"] == "id"
    none = decision_surface(Surface(xs, xs, probs), X, [0, 1, 0], np.array([1.2, 0.36, 2.0]))
    assert none.data["worst"]["point"] == []
    assert_same_spec(none, chart)


def test_ringed_points_numbers_never_sit_on_each_other():
    """Six costly points within ~40 px of each other (the cluster seen on the projector):
    every number gets a spot of its own inside the plot."""
    from charts.training import _LABEL_BOX, _PLOT_PX, place_point_labels
    rng = np.random.default_rng(0)
    low, high = np.array([-2.0, -1.5]), np.array([2.0, 1.5])
    points = rng.normal([0.5, -0.3], 0.1, size=(6, 2))
    spots = (place_point_labels(points, low, high) - low) * _PLOT_PX / (high - low)
    assert np.all((spots >= 0) & (spots <= _PLOT_PX))
    for i in range(len(spots)):
        for j in range(i):
            assert np.any(np.abs(spots[i] - spots[j]) >= _LABEL_BOX), (i, j)
