r"""Why cross-entropy and not squared error: the loss landscape of a 1-D logistic model.

The model is :math:`p_i = \sigma(w x_i + b)`. Over its two parameters (w, b) the mean
cross-entropy is a convex bowl: one bottom, and a slope that points to it from
everywhere. The mean squared error of the same probabilities,
:math:`\frac1n\sum_i (p_i - y_i)^2`, is bounded by 1 and goes flat wherever the sigmoid
saturates (every :math:`p_i` near 0 or 1): its gradient carries a factor
:math:`p_i(1 - p_i)` that vanishes there, so gradient descent started on such a
plateau barely moves. :func:`loss_landscape` evaluates both surfaces on one grid in one
vectorised pass; :func:`descend` walks either loss downhill.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .activations import sigmoid
from .training import DescentPath
from .validation import InputError, as_float_array, check_number

#: The two losses, in the order the page shows them.
LOSSES = ("cross_entropy", "squared_error")
#: The square of (w, b) drawn at least: the start sliders' range (−4..4) with a margin.
W_RANGE = (-6.0, 6.0)
B_RANGE = (-6.0, 6.0)


@dataclass(frozen=True)
class Landscape:
    """Both mean losses on one grid: ``cross_entropy[i, j]`` (nats) and
    ``squared_error[i, j]`` (no unit) are at ``(ws[j], bs[i])``. From
    :func:`landscape_for`, ``optima`` holds each loss's lowest point (w, b) and
    ``lowest`` the loss there."""

    ws: np.ndarray
    bs: np.ndarray
    cross_entropy: np.ndarray
    squared_error: np.ndarray
    optima: dict[str, tuple[float, float]] = field(default_factory=dict)
    lowest: dict[str, float] = field(default_factory=dict)

    def grid(self, loss: str) -> np.ndarray:
        """The grid of one of :data:`LOSSES`."""
        return getattr(self, _check_loss(loss))

    def inside(self, w: float, b: float) -> bool:
        """Whether (w, b) lies within the drawn square."""
        return bool(self.ws[0] <= w <= self.ws[-1] and self.bs[0] <= b <= self.bs[-1])


def _check_loss(loss: str) -> str:
    if loss not in LOSSES:
        raise InputError(f"loss must be one of {', '.join(LOSSES)}, not {loss!r}.")
    return loss


def _data(x, y) -> tuple[np.ndarray, np.ndarray]:
    xs = as_float_array(x, "x")
    labels = as_float_array(y, "y")
    if labels.shape != xs.shape or not np.isin(labels, (0.0, 1.0)).all():
        raise InputError("y must hold one label, 0 or 1, for every x.")
    return xs, labels


def loss_landscape(x, y, *, w_range: tuple[float, float] = W_RANGE,
                   b_range: tuple[float, float] = B_RANGE, resolution: int = 41) -> Landscape:
    r"""Mean cross-entropy and mean squared error of :math:`\sigma(w x + b)` at every (w, b).

    One pass over a ``(len(bs), len(ws), n)`` array of logits :math:`z = w x_i + b`:

    .. math:: \mathrm{CE} = \frac1n\sum_i \big[\ln(1 + e^{z_i}) - y_i z_i\big], \qquad
              \mathrm{SE} = \frac1n\sum_i \big(\sigma(z_i) - y_i\big)^2

    (the first written with ``logaddexp``, so it is finite for any z).

    Examples
    --------
    At w = b = 0 every p is 1/2: cross-entropy ln 2 and squared error 1/4, whatever the data.

    >>> land = loss_landscape([1.0, -2.0], [1, 0], w_range=(-1, 1), b_range=(-1, 1), resolution=3)
    >>> round(float(land.cross_entropy[1, 1]), 4), float(land.squared_error[1, 1])
    (0.6931, 0.25)
    """
    xs, labels = _data(x, y)
    count = int(check_number(resolution, "resolution", low=3, high=400))
    ws = np.linspace(*w_range, count)
    bs = np.linspace(*b_range, count)
    z = ws[None, :, None] * xs + bs[:, None, None]
    cross_entropy = (np.logaddexp(0.0, z) - labels * z).mean(axis=2)
    squared_error = ((sigmoid(z) - labels) ** 2).mean(axis=2)
    return Landscape(ws, bs, cross_entropy, squared_error)


def frame(best: tuple[float, float], *, margin: float = 2.0) -> dict[str, tuple[float, float]]:
    """``w_range`` and ``b_range`` for :func:`loss_landscape`: :data:`W_RANGE` and
    :data:`B_RANGE`, widened to hold ``best`` with ``margin`` to spare (nearly separable
    classes put the optimum far out: w = 11 at a separation of 3).

    Examples
    --------
    >>> frame((11.3, -2.5))
    {'w_range': (-6.0, 13.3), 'b_range': (-6.0, 6.0)}
    """
    def widened(low_high, centre):
        return (min(low_high[0], centre - margin), max(low_high[1], centre + margin))
    return {"w_range": widened(W_RANGE, best[0]), "b_range": widened(B_RANGE, best[1])}


def _losses(xs: np.ndarray, labels: np.ndarray, w, b, loss: str) -> np.ndarray:
    """The mean loss at each of the points (w[k], b[k]): one evaluation for them all."""
    z = np.multiply.outer(np.atleast_1d(w), xs) + np.atleast_1d(b)[:, None]
    if loss == "cross_entropy":
        return (np.logaddexp(0.0, z) - labels * z).mean(axis=1)
    return ((sigmoid(z) - labels) ** 2).mean(axis=1)


def _gradient(xs: np.ndarray, labels: np.ndarray, w: float, b: float, loss: str) -> np.ndarray:
    p = sigmoid(w * xs + b)
    dz = (p - labels) / len(xs)
    if loss == "squared_error":
        dz = 2.0 * dz * p * (1.0 - p)
    return np.array([float(dz @ xs), float(dz.sum())])


def mean_loss(x, y, w: float, b: float, *, loss: str = "cross_entropy") -> float:
    r"""One point of a :class:`Landscape`: the mean loss at (w, b).

    Examples
    --------
    >>> round(mean_loss([2.0], [1], 0.0, 0.0, loss="squared_error"), 4)
    0.25
    """
    xs, labels = _data(x, y)
    return float(_losses(xs, labels, w, b, _check_loss(loss))[0])


def gradient(x, y, w: float, b: float, *, loss: str = "cross_entropy") -> np.ndarray:
    r""":math:`(\partial L/\partial w, \partial L/\partial b)` of the mean loss.

    Both go through :math:`\partial L/\partial z_i`, then :math:`z_i = w x_i + b`:

    .. math:: \frac{\partial \mathrm{CE}}{\partial z_i} = \frac{p_i - y_i}{n}, \qquad
              \frac{\partial \mathrm{SE}}{\partial z_i} = \frac{2 (p_i - y_i)\,p_i(1 - p_i)}{n}

    Examples
    --------
    At w = b = 0 (p = 1/2) squared error pushes half as hard as cross-entropy, and less
    and less the surer (and wronger) the model gets, as :math:`p_i(1 - p_i)` goes to 0:

    >>> gradient([2.0], [1], 0.0, 0.0), gradient([2.0], [1], 0.0, 0.0, loss="squared_error")
    (array([-1. , -0.5]), array([-0.5 , -0.25]))
    """
    xs, labels = _data(x, y)
    return _gradient(xs, labels, w, b, _check_loss(loss))


def hessian(x, y, w: float, b: float, *, loss: str = "cross_entropy") -> np.ndarray:
    r"""The 2 × 2 second derivatives of the mean loss over (w, b).

    .. math:: H = \sum_i h_i \begin{pmatrix} x_i^2 & x_i \\ x_i & 1 \end{pmatrix},\quad
              h_i^{\mathrm{CE}} = \frac{p_i(1-p_i)}{n},\quad
              h_i^{\mathrm{SE}} = \frac{2 p_i(1-p_i)\big[p_i(1-p_i) + (p_i - y_i)(1 - 2p_i)\big]}{n}

    Examples
    --------
    >>> hessian([2.0], [1], 0.0, 0.0)
    array([[1.  , 0.5 ],
           [0.5 , 0.25]])
    """
    xs, labels = _data(x, y)
    p = sigmoid(w * xs + b)
    slope = p * (1.0 - p)
    h = slope if _check_loss(loss) == "cross_entropy" else \
        2.0 * slope * (slope + (p - labels) * (1.0 - 2.0 * p))
    features = np.column_stack([xs, np.ones_like(xs)])
    return (features * (h / len(xs))[:, None]).T @ features


def optimum(x, y, *, loss: str = "cross_entropy", start: tuple[float, float] = (0.0, 0.0),
            iterations: int = 100) -> tuple[float, float]:
    r"""The (w, b) where the mean loss is lowest, by Newton's method:
    :math:`\theta \leftarrow \theta - H^{-1}\nabla L`.

    Cross-entropy is convex, so Newton from (0, 0) finds its one bottom when the classes
    overlap (separable classes have no finite optimum: an :class:`InputError`). Squared
    error is not convex; start it from the cross-entropy optimum, which lies in its bowl.

    Examples
    --------
    >>> w, b = optimum([-2.0, -1.0, 1.0, 2.0, 0.5, -0.5], [0, 0, 1, 1, 0, 1])
    >>> round(w, 4), round(b, 4)
    (1.3511, 0.0)
    """
    theta = np.array(start, dtype=float)
    for _ in range(int(check_number(iterations, "iterations", low=1, high=10_000))):
        curvature = hessian(x, y, *theta, loss=loss)
        try:
            step = np.linalg.solve(curvature, gradient(x, y, *theta, loss=loss))
        except np.linalg.LinAlgError:   # flat in some direction: saturated, no bottom there
            break
        theta = theta - step
        if np.abs(step).max() < 1e-12 * max(1.0, np.abs(theta).max()):
            if np.linalg.eigvalsh(curvature).min() > 0:   # a bottom, not a saddle
                return float(theta[0]), float(theta[1])
            break
        if not np.isfinite(theta).all() or np.abs(theta).max() > 1e6:
            break
    raise InputError(f"The {loss.replace('_', ' ')} has no finite lowest point for these data "
                     "(are the classes separable?). Make the classes overlap.")


def descend(x, y, *, loss: str = "cross_entropy", learning_rate: float = 0.3, steps: int = 30,
            start: tuple[float, float] = (-3.0, 3.0)) -> DescentPath:
    r"""Plain gradient descent on one loss: :math:`\theta \leftarrow \theta - \eta\nabla L`.

    Examples
    --------
    From the same start with the same step, squared error moves less in 10 steps:

    >>> from ce_core.training import make_1d_data
    >>> x, y = make_1d_data()
    >>> ce, se = (descend(x, y, loss=name, steps=10) for name in LOSSES)
    >>> bool(ce.distance_to((-3, 3)) > 4 * se.distance_to((-3, 3)))
    True
    """
    xs, labels = _data(x, y)
    _check_loss(loss)
    lr = check_number(learning_rate, "learning_rate", low=0.0, high=100.0, low_open=True)
    n_steps = int(check_number(steps, "steps", low=0, high=100_000))
    theta = np.array([check_number(start[0], "start w", low=-1e6, high=1e6),
                      check_number(start[1], "start b", low=-1e6, high=1e6)])
    visited = [theta]
    for _ in range(n_steps):   # validated once above, not on every step
        theta = theta - lr * _gradient(xs, labels, *theta, loss)
        visited.append(theta)
    path = np.array(visited)
    return DescentPath(w=path[:, 0], b=path[:, 1], loss=_losses(xs, labels, path[:, 0],
                                                                path[:, 1], loss))


def landscape_for(x, y, *, resolution: int = 41) -> Landscape:
    """Both surfaces over a square that holds the starts and the optima, with the optima.

    Examples
    --------
    >>> from ce_core.training import make_1d_data
    >>> land = landscape_for(*make_1d_data(), resolution=5)
    >>> land.cross_entropy.shape, sorted(land.optima)
    ((5, 5), ['cross_entropy', 'squared_error'])
    >>> bool(land.lowest["cross_entropy"] <= land.cross_entropy.min())
    True
    """
    best = optimum(x, y)
    # squared error is not convex: Newton from cross-entropy's optimum, inside its bowl
    optima = {"cross_entropy": best, "squared_error": optimum(x, y, loss="squared_error",
                                                              start=best)}
    grid = loss_landscape(x, y, resolution=resolution, **frame(best))
    lowest = {loss: mean_loss(x, y, *point, loss=loss) for loss, point in optima.items()}
    return Landscape(grid.ws, grid.bs, grid.cross_entropy, grid.squared_error, optima, lowest)


@dataclass(frozen=True)
class Walk:
    """Gradient descent on one loss of a :class:`Landscape`."""

    loss: str
    path: DescentPath
    shown: int        # points of the path, from the start, inside the drawn square
    lowest: float     # the loss's lowest value

    @property
    def share_of_drop(self) -> float:
        """How much of the way down the walk got: (start − end) / (start − lowest).

        Examples
        --------
        >>> path = DescentPath(np.zeros(2), np.zeros(2), np.array([3.0, 1.5]))
        >>> Walk("cross_entropy", path, 2, lowest=1.0).share_of_drop
        0.75
        """
        start, end = float(self.path.loss[0]), float(self.path.loss[-1])
        return (start - end) / (start - self.lowest) if start > self.lowest else 1.0


def walks(x, y, landscape: Landscape, *, learning_rate: float, steps: int,
          start: tuple[float, float]) -> dict[str, Walk]:
    """Gradient descent on each loss from the same start with the same step size.

    Examples
    --------
    >>> from ce_core.training import make_1d_data
    >>> x, y = make_1d_data()
    >>> both = walks(x, y, landscape_for(x, y), learning_rate=0.3, steps=50, start=(-3, 3))
    >>> {loss: round(walk.share_of_drop, 2) for loss, walk in both.items()}
    {'cross_entropy': 0.99, 'squared_error': 0.21}
    """
    found = {}
    for loss in LOSSES:
        path = descend(x, y, loss=loss, learning_rate=learning_rate, steps=steps, start=start)
        found[loss] = Walk(loss, path, steps_inside(path, landscape), landscape.lowest[loss])
    return found


def steps_inside(path: DescentPath, landscape: Landscape) -> int:
    """How many points of ``path``, from its start, lie inside the drawn square
    (a walk that overshoots leaves it, and a surface cannot show where it went).

    Examples
    --------
    >>> land = loss_landscape([1.0, -1.0], [1, 0], resolution=3)
    >>> steps_inside(DescentPath(np.array([0.0, 1.0, 9.0, 0.0]), np.zeros(4), np.zeros(4)), land)
    2
    """
    inside = [landscape.inside(w, b) for w, b in zip(path.w, path.b)]
    return len(inside) if all(inside) else inside.index(False)


def local_minima(grid) -> list[tuple[int, int]]:
    """Grid cells ``(i, j)`` off the border that are lower than all eight neighbours.

    Examples
    --------
    >>> local_minima([[3, 3, 3, 3], [3, 1, 2, 3], [3, 2, 0.5, 3], [3, 3, 3, 3]])
    [(2, 2)]
    """
    values = as_float_array(grid, "grid", ndim=(2,))
    centre = values[1:-1, 1:-1]
    rows, cols = values.shape
    lower = np.ones(centre.shape, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                lower &= centre < values[1 + di:rows - 1 + di, 1 + dj:cols - 1 + dj]
    return [(int(i) + 1, int(j) + 1) for i, j in zip(*np.nonzero(lower))]


def plateau(landscape: Landscape, loss: str, *, slope: float = 0.02,
            height: float = 0.25) -> np.ndarray:
    r"""Where the surface is a plateau: flat but high. A boolean grid like ``landscape.grid(loss)``.

    A cell is on a plateau when the loss's slope :math:`\lVert\nabla L\rVert` there
    (finite differences on the grid) is below ``slope`` × the steepest slope on the grid,
    while the loss is still more than ``height`` of the way from the lowest to the
    highest value: gradient descent started there barely moves, far from the bottom.

    Examples
    --------
    >>> from ce_core.training import make_1d_data
    >>> land = loss_landscape(*make_1d_data())
    >>> bool(plateau(land, "cross_entropy").any()), bool(plateau(land, "squared_error").any())
    (False, True)
    """
    values = landscape.grid(loss)
    d_b, d_w = np.gradient(values, landscape.bs, landscape.ws)
    steepness = np.hypot(d_w, d_b)
    low, high = values.min(), values.max()
    return (steepness < slope * steepness.max()) & (values > low + height * (high - low))
