"""ce_core.landscape and charts.landscape: cross-entropy and squared error over (w, b).

References: scikit-learn (LogisticRegression, log_loss), SciPy (minimize, expit) and
PyTorch autograd; the squared error written out here as mean((expit(wx + b) − y)²).
"""

import base64
import json
import math

import numpy as np
import pytest
import torch
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from ce_core import InputError
from ce_core.landscape import (LOSSES, descend, gradient, hessian, landscape_for, local_minima,
                               loss_landscape, mean_loss, optimum, plateau, steps_inside, walks)
from ce_core.training import gradient_descent_1d, make_1d_data
from charts.landscape import landscape_contour, landscape_surface

SEPARATIONS = [0.5, 1.5, 2.5]


def squared_error_by_hand(x, y, w, b):
    return float(np.mean((expit(w * x + b) - y) ** 2))


def sklearn_optimum(x, y):
    # C=np.inf is scikit-learn 1.9's spelling of penalty=None (penalty= is deprecated)
    model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    return model.coef_[0, 0], model.intercept_[0]


# ----------------------------------------------------------------------------- the surfaces

@pytest.mark.parametrize("separation", SEPARATIONS)
def test_cross_entropy_optimum_is_sklearns_unpenalised_logistic_regression(separation):
    x, y = make_1d_data(separation=separation)
    assert optimum(x, y) == pytest.approx(sklearn_optimum(x, y), abs=1e-4)


@pytest.mark.parametrize("separation", SEPARATIONS)
def test_squared_error_optimum_is_scipys_minimum(separation):
    x, y = make_1d_data(separation=separation)
    start = sklearn_optimum(x, y)
    found = minimize(lambda t: squared_error_by_hand(x, y, *t), start, method="Nelder-Mead",
                     options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20_000})
    assert optimum(x, y, loss="squared_error", start=start) == pytest.approx(found.x, abs=1e-4)


def test_grid_values_are_log_loss_and_squared_error_at_every_point():
    x, y = make_1d_data(seed=3)
    land = loss_landscape(x, y, w_range=(-4, 5), b_range=(-3, 2), resolution=9)
    for i, b in enumerate(land.bs):
        for j, w in enumerate(land.ws):
            assert land.cross_entropy[i, j] == pytest.approx(log_loss(y, expit(w * x + b)),
                                                             rel=1e-9)
            assert land.squared_error[i, j] == pytest.approx(squared_error_by_hand(x, y, w, b),
                                                             rel=1e-12)


def test_cross_entropy_stays_finite_where_the_sigmoid_saturates():
    # z = ±600: expit is exactly 0 or 1, and -log would be inf; the loss is |z| there
    land = loss_landscape([1.0, -1.0], [0, 1], w_range=(600, 600), b_range=(0, 0), resolution=3)
    assert land.cross_entropy[0, 0] == pytest.approx(600.0)
    assert land.squared_error[0, 0] == 1.0


@pytest.mark.parametrize("loss", LOSSES)
def test_gradient_and_hessian_are_pytorch_autograds(loss):
    x, y = make_1d_data(seed=1)
    xt, yt = torch.tensor(x), torch.tensor(y, dtype=torch.float64)

    def torch_loss(theta):
        z = theta[0] * xt + theta[1]
        if loss == "cross_entropy":
            return torch.nn.functional.binary_cross_entropy_with_logits(z, yt)
        return torch.mean((torch.sigmoid(z) - yt) ** 2)

    for w, b in [(-3.0, 3.0), (0.4, -0.2), (2.5, 1.0)]:
        theta = torch.tensor([w, b], dtype=torch.float64, requires_grad=True)
        torch_loss(theta).backward()
        assert gradient(x, y, w, b, loss=loss) == pytest.approx(theta.grad.numpy(), abs=1e-12)
        expected = torch.autograd.functional.hessian(torch_loss, theta.detach()).numpy()
        assert hessian(x, y, w, b, loss=loss) == pytest.approx(expected, abs=1e-12)
        assert mean_loss(x, y, w, b, loss=loss) == pytest.approx(float(torch_loss(theta.detach())))


def descend_by_hand(x, y, loss, lr, steps, w=-3.0, b=3.0):
    """Plain gradient descent written out here; the loss at each point."""
    points = [(w, b)]
    for _ in range(steps):
        p = expit(w * x + b)
        dz = p - y if loss == "cross_entropy" else 2 * (p - y) * p * (1 - p)
        w, b = w - lr * np.mean(dz * x), b - lr * np.mean(dz)
        points.append((w, b))
    measure = (lambda w, b: log_loss(y, expit(w * x + b))) if loss == "cross_entropy" else \
        (lambda w, b: squared_error_by_hand(x, y, w, b))
    return np.array(points), np.array([measure(w, b) for w, b in points])


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("lr", [0.3, 3.0])
def test_descent_is_plain_gradient_descent(loss, lr):
    x, y = make_1d_data()
    path = descend(x, y, loss=loss, learning_rate=lr, steps=40)
    points, losses = descend_by_hand(x, y, loss, lr, 40)
    assert np.column_stack([path.w, path.b]) == pytest.approx(points, abs=1e-10)
    assert path.loss == pytest.approx(losses, rel=1e-9)


def test_cross_entropy_descent_is_the_one_the_section_above_draws():
    x, y = make_1d_data()
    above = gradient_descent_1d(x, y, learning_rate=3.0, steps=30, start=(1.0, -2.0))
    here = descend(x, y, learning_rate=3.0, steps=30, start=(1.0, -2.0))
    assert here.w == pytest.approx(above.w) and here.loss == pytest.approx(above.loss)


# ----------------------------------------------------------------------------- shape: bowl and plateau

def second_differences(grid):
    """Along rows, columns and both diagonals: all >= 0 on a convex function's grid."""
    g = np.asarray(grid)
    return np.concatenate([
        (g[:, 2:] - 2 * g[:, 1:-1] + g[:, :-2]).ravel(),
        (g[2:, :] - 2 * g[1:-1, :] + g[:-2, :]).ravel(),
        (g[2:, 2:] - 2 * g[1:-1, 1:-1] + g[:-2, :-2]).ravel(),
        (g[2:, :-2] - 2 * g[1:-1, 1:-1] + g[:-2, 2:]).ravel(),
    ])


@pytest.mark.parametrize("separation", SEPARATIONS)
def test_cross_entropy_is_convex_with_one_bottom_at_sklearns_optimum(separation):
    x, y = make_1d_data(separation=separation)
    land = landscape_for(x, y)
    assert second_differences(land.cross_entropy).min() > -1e-12
    (bottom,) = local_minima(land.cross_entropy)       # a single local minimum: the global one
    w, b = sklearn_optimum(x, y)
    nearest = (int(np.abs(land.bs - b).argmin()), int(np.abs(land.ws - w).argmin()))
    assert abs(bottom[0] - nearest[0]) <= 1 and abs(bottom[1] - nearest[1]) <= 1
    assert not plateau(land, "cross_entropy").any()


@pytest.mark.parametrize("separation", SEPARATIONS)
def test_squared_error_is_not_convex_and_has_a_plateau_where_descent_stalls(separation):
    x, y = make_1d_data(separation=separation)
    land = landscape_for(x, y)
    assert second_differences(land.squared_error).min() < -1e-3
    flat = plateau(land, "squared_error")
    assert flat.any()
    # On the plateau the slope, from autograd-checked gradients, is tiny though the loss is
    # high: well above the lowest squared error, where cross-entropy's slope is not small.
    i, j = np.argwhere(flat)[len(np.argwhere(flat)) // 2]
    w, b = land.ws[j], land.bs[i]
    assert squared_error_by_hand(x, y, w, b) > land.lowest["squared_error"] + 0.1
    se = np.hypot(*gradient(x, y, w, b, loss="squared_error"))
    ce = np.hypot(*gradient(x, y, w, b))
    assert se < 0.05 * ce


def test_local_minima_finds_two_dips_and_ignores_the_border():
    grid = np.full((6, 6), 5.0)
    grid[1, 1], grid[4, 3], grid[0, 5] = 1.0, 2.0, 0.0    # the last is on the border
    assert local_minima(grid) == [(1, 1), (4, 3)]


def test_from_the_default_start_squared_error_covers_a_fraction_of_the_way_down():
    x, y = make_1d_data()
    land = landscape_for(x, y)
    both = walks(x, y, land, learning_rate=0.3, steps=50, start=(-3.0, 3.0))
    for loss, walk in both.items():
        _, losses = descend_by_hand(x, y, loss, 0.3, 50)
        lowest = (log_loss(y, expit(np.polyval(sklearn_optimum(x, y), x)))
                  if loss == "cross_entropy" else land.lowest[loss])
        assert walk.share_of_drop == pytest.approx((losses[0] - losses[-1]) / (losses[0] - lowest))
    assert both["cross_entropy"].share_of_drop > 0.95 > 0.3 > both["squared_error"].share_of_drop


def test_a_walk_that_leaves_the_square_is_cut_where_it_leaves():
    x, y = make_1d_data(separation=0.5)
    land = landscape_for(x, y)
    walk = walks(x, y, land, learning_rate=100.0, steps=50, start=(-3.0, 3.0))["cross_entropy"]
    shown = walk.shown
    assert 1 <= shown < 51 == len(walk.path.w)
    inside = [land.ws[0] <= w <= land.ws[-1] and land.bs[0] <= b <= land.bs[-1]
              for w, b in zip(walk.path.w, walk.path.b)]
    assert all(inside[:shown]) and not inside[shown]
    assert steps_inside(walk.path, land) == shown


def test_nearly_separable_classes_widen_the_square_to_hold_the_optimum():
    x, y = make_1d_data(separation=3.0)
    land = landscape_for(x, y)
    w, b = sklearn_optimum(x, y)
    assert w > 6 and land.ws[0] <= w - 2 and land.ws[-1] >= w + 2


@pytest.mark.parametrize("call, message", [
    (lambda: mean_loss([1.0], [1], 0, 0, loss="hinge"), "loss must be one of"),
    (lambda: loss_landscape([1.0, 2.0], [0, 2]), "one label, 0 or 1"),
    (lambda: loss_landscape([1.0, 2.0], [0]), "one label, 0 or 1"),
    (lambda: optimum([-1.0, -0.5, 0.5, 1.0], [0, 0, 1, 1]), "separable"),   # no finite optimum
    (lambda: descend([1.0], [1], learning_rate=0), "learning_rate"),
])
def test_bad_input_says_what_is_wrong(call, message):
    with pytest.raises(InputError, match=message):
        call()


# ----------------------------------------------------------------------------- the figures

def decoded(array):
    values = np.frombuffer(base64.b64decode(array["bdata"]), dtype="<f4")
    return values.reshape([int(n) for n in array["shape"].split(",")])


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_surface_figure_carries_the_grid_and_the_walk_in_the_unit(unit):
    x, y = make_1d_data()
    land = landscape_for(x, y, resolution=21)
    walk = walks(x, y, land, learning_rate=0.3, steps=50, start=(-3.0, 3.0))["cross_entropy"]
    fig = landscape_surface(land, walk, unit=unit)
    json.dumps(fig)                                   # plain JSON: no numpy left inside
    surface, line, start, lowest = fig["data"]
    per_unit = 1.0 if unit == "nats" else math.log(2)
    w, b = np.meshgrid(land.ws, land.bs)
    expected = np.vectorize(lambda w, b: log_loss(y, expit(w * x + b)))(w, b) / per_unit
    assert decoded(surface["z"]) == pytest.approx(expected, rel=1e-6)
    assert line["customdata"][-1] == pytest.approx(
        log_loss(y, expit(walk.path.w[-1] * x + walk.path.b[-1])) / per_unit)
    assert line["x"][0] == start["x"][0] == -3.0 and len(line["x"]) == 51
    assert lowest["x"] == pytest.approx([sklearn_optimum(x, y)[0]], abs=1e-4)
    assert fig["layout"]["scene"]["zaxis"]["title"]["text"] == f"cross-entropy ({unit})"


def test_contour_figure_is_the_same_numbers_seen_from_above():
    x, y = make_1d_data()
    land = landscape_for(x, y, resolution=21)
    walk = walks(x, y, land, learning_rate=0.3, steps=10, start=(-3.0, 3.0))["squared_error"]
    flat, raised = landscape_contour(land, walk), landscape_surface(land, walk)
    assert flat["data"][0]["z"] == raised["data"][0]["z"]
    assert [t["x"] for t in flat["data"][1:]] == [t["x"] for t in raised["data"][1:]]
    assert "scene" not in flat["layout"] and flat["layout"]["xaxis"]["title"]["text"] == "w"
    assert decoded(flat["data"][0]["z"]).max() <= 1.0    # squared error: no unit, at most 1
