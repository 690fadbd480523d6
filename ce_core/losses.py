"""Cross-entropy losses between labels and predictions, their gradients, and worked examples.

All losses are in nats (natural log). Probability-based losses clip
predictions to ``[eps, 1 - eps]`` (eps = float64 machine epsilon) exactly as
``sklearn.metrics.log_loss`` does, so a prediction of exactly 0 for the true
class costs ``-ln(eps) = 36.04`` nats instead of infinity. Logit-based losses
need no clipping: log-sum-exp keeps them finite.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import log_softmax, softmax
from .validation import (
    EPS,
    InputError,
    as_binary_labels,
    as_class_labels,
    as_float_array,
    as_sample_weight,
    check_number,
    check_probabilities,
    check_reduction,
    check_same_length,
    check_sums_to_one,
    reduce,
)


# ----------------------------------------------------------------------------- helpers

def _log_clipped(p: np.ndarray, clip: bool = True) -> np.ndarray:
    """ln p, with p clipped to [eps, 1 - eps] like log_loss; unclipped, ln 0 = -inf."""
    if clip:
        return np.log(np.clip(p, EPS, 1.0 - EPS))
    out = np.full(p.shape, -np.inf)
    return np.log(p, out=out, where=p > 0)


def _cross_terms(targets: np.ndarray, log_q: np.ndarray) -> np.ndarray:
    """-sum_k t_k ln q_k per row, with 0 * ln 0 = 0 (never 0 * -inf = nan)."""
    terms = np.zeros(np.broadcast_shapes(targets.shape, log_q.shape))
    np.multiply(targets, log_q, out=terms, where=targets > 0)
    return -terms.sum(axis=1)


def _softplus(x: np.ndarray) -> np.ndarray:
    """ln(1 + e^x) without overflow."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _need_classes(n_classes: int, name: str) -> None:
    if n_classes < 2:
        hint = ("sigmoid_cross_entropy" if name == "logits" else "binary_cross_entropy")
        raise InputError(
            f"{name} has {n_classes} column; a classification loss needs at least 2 "
            f"classes. Give one column per class, or use {hint} for a single column "
            "that scores class 1."
        )


def _targets(y_true, n: int, k: int, name: str = "y_true"):
    """Integer labels (1-D) or a target distribution per row (2-D, shape (n, k))."""
    if isinstance(y_true, np.ndarray) and y_true.ndim == 1 and y_true.dtype.kind in "iu":
        y = y_true  # integer labels need no float round trip
    else:
        y = as_float_array(y_true, name, ndim=(1, 2))
    if y.ndim == 1:
        if len(y) != n:
            raise InputError(
                f"{name} has {len(y)} labels but there are {n} rows of predictions. "
                "Give one label per row."
            )
        return as_class_labels(y, name, k), None
    if y.shape != (n, k):
        raise InputError(
            f"{name} has shape {y.shape} but the predictions have shape {(n, k)}. "
            "Give one-hot or soft targets one row per sample and one column per class."
        )
    check_sums_to_one(check_probabilities(y, name), name)
    return None, y


def _class_weight(class_weight, k: int) -> np.ndarray | None:
    if class_weight is None:
        return None
    w = as_float_array(class_weight, "class_weight")
    if len(w) != k:
        raise InputError(
            f"class_weight has {len(w)} entries but there are {k} classes. Give one weight per class."
        )
    if np.any(w < 0):
        raise InputError("class_weight has a negative entry. Class weights must be 0 or more.")
    return w


# ----------------------------------------------------------------------------- probability losses

def binary_cross_entropy(y_true, p, *, sample_weight=None, reduction: str = "mean",
                         clip: bool = True):
    r"""Binary cross-entropy (log loss) from the predicted probability of class 1.

    .. math:: \ell_i = -\left[y_i \ln p_i + (1 - y_i) \ln(1 - p_i)\right]

    Only one of the two terms is ever non-zero: a positive pays :math:`-\ln p`,
    a negative pays :math:`-\ln(1 - p)`.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Labels, each 0 or 1.
    p : array-like of shape (n,)
        Predicted P(y = 1), each in [0, 1]; clipped to [eps, 1 - eps] like
        ``sklearn.metrics.log_loss``.
    sample_weight : array-like of shape (n,), default=None
        Non-negative weights; the mean becomes :math:`\sum w_i \ell_i / \sum w_i`.
    reduction : {"mean", "sum", "none"}, default="mean"
        "none" returns :math:`w_i \ell_i` per sample.
    clip : bool, default=True
        False gives the exact loss: ``inf`` when the true class gets probability 0.

    Returns
    -------
    float or ndarray of shape (n,)

    Examples
    --------
    Six predictions, mostly right; the mean penalty is 0.1865 nats:

    >>> round(binary_cross_entropy([1, 0, 1, 1, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.9]), 4)
    0.1865
    >>> binary_cross_entropy([1, 1], [0.9, 0.1], reduction="none").round(3)
    array([0.105, 2.303])
    """
    check_reduction(reduction)
    y = as_binary_labels(y_true, "y_true")
    q = as_float_array(p, "p", probabilities=True)
    check_same_length(y, q, "y_true", "p")
    w = as_sample_weight(sample_weight, len(y))
    p_true = np.where(y == 1, q, 1.0 - q)
    return reduce(-_log_clipped(p_true, clip), reduction, w)


def categorical_cross_entropy(y_true, probs, *, sample_weight=None, reduction: str = "mean",
                              clip: bool = True):
    r"""Multi-class cross-entropy from predicted probabilities.

    .. math:: \ell_i = -\sum_k t_{ik} \ln q_{ik}

    With one-hot targets this is :math:`-\ln q_{i, y_i}`: only the probability
    given to the true class matters.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, K)
        Integer labels 0..K-1, or one-hot / soft targets whose rows sum to 1.
    probs : array-like of shape (n, K)
        Predicted probabilities; each row sums to 1. Clipped to
        [eps, 1 - eps] like ``sklearn.metrics.log_loss``.
    sample_weight, reduction, clip
        As in :func:`binary_cross_entropy`.

    Returns
    -------
    float or ndarray of shape (n,)

    Examples
    --------
    scikit-learn's documented example, :math:`(-\ln 0.9 - \ln 0.5) / 2`:

    >>> round(categorical_cross_entropy([0, 1], [[0.9, 0.1], [0.5, 0.5]]), 4)
    0.3993
    >>> round(categorical_cross_entropy([[1, 0, 0]], [[0.7, 0.2, 0.1]]), 4)
    0.3567
    """
    check_reduction(reduction)
    q = check_sums_to_one(as_float_array(probs, "probs", ndim=(2,), probabilities=True), "probs")
    n, k = q.shape
    _need_classes(k, "probs")
    labels, targets = _targets(y_true, n, k)
    w = as_sample_weight(sample_weight, n)
    if labels is not None:
        losses = -_log_clipped(q[np.arange(n), labels], clip)
    else:
        losses = _cross_terms(targets, _log_clipped(q, clip))
    return reduce(losses, reduction, w)


def focal_loss(y_true, p, *, gamma: float = 2.0, alpha: float | None = None,
               reduction: str = "mean"):
    r"""Binary focal loss: cross-entropy that down-weights easy, confident-and-right samples.

    .. math:: \ell_i = -\alpha_t (1 - p_t)^{\gamma} \ln p_t, \quad
              p_t = \begin{cases} p & y = 1 \\ 1 - p & y = 0 \end{cases}, \quad
              \alpha_t = \begin{cases} \alpha & y = 1 \\ 1 - \alpha & y = 0 \end{cases}

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Labels, each 0 or 1.
    p : array-like of shape (n,)
        Predicted P(y = 1), clipped to [eps, 1 - eps] as in binary_cross_entropy.
    gamma : float, default=2.0
        Focusing strength, at least 0. ``gamma=0`` with no alpha is binary cross-entropy.
    alpha : float in [0, 1], default=None
        Weight of the positive class (negatives get 1 - alpha); None weighs both 1.
    reduction : {"mean", "sum", "none"}, default="mean"

    Examples
    --------
    An easy positive (p = 0.9) keeps only :math:`0.1^2 = 1\%` of its cross-entropy,
    a hard one (p = 0.1) keeps :math:`0.9^2 = 81\%`:

    >>> focal_loss([1, 1], [0.9, 0.1], reduction="none").round(4).tolist()
    [0.0011, 1.8651]
    """
    check_reduction(reduction)
    g = check_number(gamma, "gamma", low=0.0)
    a = None if alpha is None else check_number(alpha, "alpha", low=0.0, high=1.0)
    y = as_binary_labels(y_true, "y_true")
    q = as_float_array(p, "p", probabilities=True)
    check_same_length(y, q, "y_true", "p")
    p_t = np.clip(np.where(y == 1, q, 1.0 - q), EPS, 1.0 - EPS)
    losses = -((1.0 - p_t) ** g) * np.log(p_t)
    if a is not None:
        losses = np.where(y == 1, a, 1.0 - a) * losses
    return reduce(losses, reduction)


# ----------------------------------------------------------------------------- logit losses

def _as_logit_rows(y_true, logits):
    """Logits as (n, K) rows. 1-D logits are one sample, whose y_true is one label
    (a scalar or a one-element list) or one target row of K probabilities."""
    z = as_float_array(logits, "logits", ndim=(1, 2))
    _need_classes(z.shape[-1], "logits")
    if z.ndim == 2:
        return y_true, z
    if np.ndim(y_true) == 0 or (np.ndim(y_true) == 1 and len(y_true) == 1):
        return np.ravel(np.asarray(y_true, dtype=object)).tolist(), z[None, :]
    return [y_true], z[None, :]


def softmax_cross_entropy(y_true, logits, *, class_weight=None, label_smoothing: float = 0.0,
                          reduction: str = "mean"):
    r"""Cross-entropy straight from logits (softmax and log fused, as in PyTorch's ``F.cross_entropy``).

    .. math:: \ell_i = -\sum_k w_k\, t_{ik} \log \mathrm{softmax}(z_i)_k,
              \qquad t_{ik} = (1 - \varepsilon)\, y_{ik} + \varepsilon / K

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, K)
        Integer labels 0..K-1, or a target distribution per row.
    logits : array-like of shape (n, K), or (K,) for one sample
        Raw scores; any real values (±1000 is fine).
    class_weight : array-like of shape (K,), default=None
        Weight :math:`w_k` of each class.
    label_smoothing : float in [0, 1], default=0.0
        :math:`\varepsilon`: mixes the targets with the uniform distribution.
    reduction : {"mean", "sum", "none"}, default="mean"
        With integer labels, "mean" divides by :math:`\sum_i w_{y_i}` (PyTorch's
        weighted mean); with target distributions it divides by n, as PyTorch does.

    Examples
    --------
    Logits whose softmax is [0.7, 0.2, 0.1] with class 0 true cost
    :math:`-\ln 0.7 = 0.357` nats, which is what ``F.cross_entropy`` prints
    (0.515 is the same loss in bits):

    >>> import numpy as np
    >>> round(softmax_cross_entropy([0], [np.log([0.7, 0.2, 0.1])]), 4)
    0.3567
    >>> round(softmax_cross_entropy(1, [1000.0, 0.0, -1000.0]), 1)  # finite, no overflow
    1000.0
    """
    check_reduction(reduction)
    y_true, z = _as_logit_rows(y_true, logits)
    n, k = z.shape
    eps = check_number(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    w = _class_weight(class_weight, k)
    labels, targets = _targets(y_true, n, k)
    logp = log_softmax(z)
    # a class of weight 0 adds 0, even where its log-probability is -inf (not 0 * -inf = nan)
    weighted_logp = logp if w is None else np.where(w > 0, logp * np.where(w > 0, w, 1.0), 0.0)
    if labels is not None:
        w_true = np.ones(n) if w is None else w[labels]
        nll = -weighted_logp[np.arange(n), labels]
        losses = (1.0 - eps) * nll
        if eps > 0:   # only then: 0 * the smoothed part would be nan where it is infinite
            losses = losses + (eps / k) * -weighted_logp.sum(axis=1)
        if reduction == "mean":
            if w_true.sum() == 0:
                raise InputError(
                    "Every sample's class has weight 0, so the weighted mean is undefined. "
                    "Give the classes that occur in y_true a positive class_weight."
                )
            return float(losses.sum() / w_true.sum())
        return reduce(losses, reduction)
    soft = targets * (1.0 - eps) + eps / k
    return reduce(-(soft * weighted_logp).sum(axis=1), reduction)


def sigmoid_cross_entropy(y_true, logits, *, pos_weight=None, reduction: str = "mean"):
    r"""Binary cross-entropy straight from logits, one independent sigmoid per entry.

    As PyTorch's ``binary_cross_entropy_with_logits``; also the multi-label loss
    (one column per label). Uses :math:`\ln\sigma(z) = -\mathrm{softplus}(-z)`,
    so it is finite for any finite z.

    .. math:: \ell = -\left[\,c\, y \ln \sigma(z) + (1 - y) \ln(1 - \sigma(z))\right]

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, L)
        Targets in [0, 1] (hard 0/1 labels or soft labels), same shape as logits.
    logits : array-like of shape (n,) or (n, L)
        Raw scores.
    pos_weight : float or array-like of shape (L,), default=None
        :math:`c`, the weight of positive targets (per column for multi-label).
    reduction : {"mean", "sum", "none"}, default="mean"
        "mean" averages over every entry.

    Examples
    --------
    A logit of 0 means p = 0.5, which costs ln 2 = 0.6931 whatever the label:

    >>> round(sigmoid_cross_entropy([1, 0], [0.0, 0.0]), 4)
    0.6931
    >>> sigmoid_cross_entropy([1], [-1000.0])
    1000.0
    """
    check_reduction(reduction)
    z = as_float_array(logits, "logits", ndim=(1, 2))
    y = as_float_array(y_true, "y_true", ndim=(1, 2), probabilities=True)
    if y.shape != z.shape:
        raise InputError(
            f"y_true has shape {y.shape} but logits have shape {z.shape}. "
            "Give one target per logit."
        )
    c = 1.0 if pos_weight is None else _pos_weight(pos_weight, z)
    losses = c * y * _softplus(-z) + (1.0 - y) * _softplus(z)
    return reduce(losses, reduction)


def _pos_weight(pos_weight, z: np.ndarray):
    c = as_float_array(np.atleast_1d(pos_weight), "pos_weight")
    if np.any(c < 0):
        raise InputError("pos_weight has a negative entry. Weights must be 0 or more.")
    n_columns = z.shape[1] if z.ndim == 2 else 1
    if len(c) not in (1, n_columns):
        raise InputError(
            f"pos_weight has {len(c)} entries but the logits have {n_columns} column(s). "
            "Give one weight, or one per column."
        )
    return c if z.ndim == 2 else c[0]


def softmax_cross_entropy_grad(y_true, logits) -> np.ndarray:
    r"""Gradient of the mean softmax cross-entropy with respect to the logits.

    .. math:: \frac{\partial \bar\ell}{\partial z_{ik}} = \frac{\mathrm{softmax}(z_i)_k - t_{ik}}{n}

    The true class is pushed up by :math:`1 - p`, every other class down by its
    own probability; the entries of each row sum to 0.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, K)
        Integer labels or target distributions.
    logits : array-like of shape (n, K), or (K,) for one sample

    Returns
    -------
    ndarray, the shape of ``logits``.

    Examples
    --------
    Equal scores over three classes, class 0 true: softmax is 1/3 each.

    >>> softmax_cross_entropy_grad(0, [0.0, 0.0, 0.0]).round(4)
    array([-0.6667,  0.3333,  0.3333])
    """
    one_sample = np.ndim(logits) == 1
    y_true, z = _as_logit_rows(y_true, logits)
    n, k = z.shape
    labels, targets = _targets(y_true, n, k)
    if labels is not None:
        targets = np.zeros((n, k))
        targets[np.arange(n), labels] = 1.0
    grad = (np.exp(log_softmax(z)) - targets) / n
    return grad[0] if one_sample else grad


# ----------------------------------------------------------------------------- one binary prediction, as a curve
def _probabilities(p, name: str = "p") -> tuple[np.ndarray, bool]:
    """p as a 1-D array in [0, 1], and whether the caller passed a scalar."""
    scalar = np.ndim(p) == 0
    arr = as_float_array(np.atleast_1d(p) if scalar else p, name)
    return check_probabilities(arr, name), scalar


def _label(label) -> float:
    """One binary label, 0 or 1, shared by every point of a curve."""
    if np.ndim(label) != 0:
        raise InputError(
            f"label must be one number, 0 or 1, but got shape {np.shape(label)}. "
            "Pass the true label of the sample the curve is drawn for."
        )
    return float(as_binary_labels([label], "label")[0])


def _out(values: np.ndarray, scalar: bool):
    values = values + 0.0  # -0.0 (e.g. -ln 1) would print as "-0.0000"
    return float(values[0]) if scalar else values



def squared_error(p, label):
    r"""Squared error of a probability against a 0/1 label.

    .. math:: \ell_{\mathrm{SE}}(p, y) = (y - p)^2

    Bounded by 1: a certain wrong answer costs no more than 1, where
    cross-entropy costs infinitely much.

    Parameters
    ----------
    p : float or array-like of shape (n,)
        Predicted P(y = 1), each in [0, 1].
    label : {0, 1}
        The true label.

    Returns
    -------
    float or ndarray of shape (n,), unitless.

    Examples
    --------
    >>> squared_error([0.9, 0.1, 0.0], 1).round(2)
    array([0.01, 0.81, 1.  ])
    """
    q, scalar = _probabilities(p)
    y = _label(label)
    return _out((y - q) ** 2, scalar)


def logit_gradient_cross_entropy(p, label):
    r"""How hard sigmoid + cross-entropy pushes the logit: :math:`\partial \ell / \partial z = p - y`.

    With :math:`p = \sigma(z)` and :math:`\ell = -[y \ln p + (1-y)\ln(1-p)]`, the
    :math:`p(1-p)` of the sigmoid's derivative cancels, leaving the plain error.

    .. math:: \frac{\partial \ell_{\mathrm{CE}}}{\partial z} = p - y

    Parameters
    ----------
    p : float or array-like of shape (n,)
        Predicted P(y = 1) = sigmoid(z), each in [0, 1].
    label : {0, 1}
        The true label.

    Returns
    -------
    float or ndarray of shape (n,), nats per unit of logit.

    Examples
    --------
    A positive predicted at 0.01 (confidently wrong) gets a gradient of -0.99:
    gradient descent raises its logit at nearly full strength.

    >>> logit_gradient_cross_entropy([0.01, 0.5, 0.99], 1).round(2)
    array([-0.99, -0.5 , -0.01])
    """
    q, scalar = _probabilities(p)
    y = _label(label)
    return _out(q - y, scalar)


def logit_gradient_squared_error(p, label):
    r"""How hard sigmoid + squared error pushes the logit: :math:`2(p - y)\,p(1 - p)`.

    With :math:`p = \sigma(z)` and :math:`\ell = (y - p)^2`, the chain rule gives
    :math:`2(p - y)` times :math:`\sigma'(z) = p(1 - p)`. The factor 2 is kept
    (the exact derivative of :math:`(y-p)^2`; conventions that halve the loss
    drop it). The :math:`p(1-p)` factor goes to 0 at both ends, so a model that
    is confidently wrong (p near 0 for a positive) barely learns.

    .. math:: \frac{\partial \ell_{\mathrm{SE}}}{\partial z} = 2\,(p - y)\,p\,(1 - p)

    Parameters
    ----------
    p, label
        As in :func:`logit_gradient_cross_entropy`: predictions sigmoid(z) and one 0/1 label.

    Returns
    -------
    float or ndarray of shape (n,), per unit of logit.

    Examples
    --------
    The same confidently wrong positive at p = 0.01 gets only
    :math:`2 \cdot (-0.99) \cdot 0.01 \cdot 0.99 = -0.0196`, fifty times less:

    >>> round(logit_gradient_squared_error(0.01, 1), 4)
    -0.0196
    """
    q, scalar = _probabilities(p)
    y = _label(label)
    return _out(2.0 * (q - y) * q * (1.0 - q), scalar)


# ----------------------------------------------------------------------------- one softmax sample, forward and backward

class SoftmaxStep(NamedTuple):
    """One forward and backward pass of softmax cross-entropy for one sample."""

    probabilities: np.ndarray  #: softmax(z / T)
    loss: float                #: -ln softmax(z / T)[y], nats
    gradient: np.ndarray       #: d loss / d z = (softmax(z / T) - onehot(y)) / T


def softmax_step(logits, label: int, *, temperature: float = 1.0) -> SoftmaxStep:
    r"""Probabilities, loss and logit gradient of one sample under softmax cross-entropy.

    .. math:: p = \mathrm{softmax}(z / T), \quad \ell = -\ln p_y, \quad
              \frac{\partial \ell}{\partial z_k} = \frac{p_k - [k = y]}{T}

    At T = 1 the gradient is the famous :math:`p - \mathrm{onehot}(y)`. Gradient
    descent moves each logit *against* its gradient: the true class (negative
    gradient) goes up, every other class (positive gradient) goes down.

    Parameters
    ----------
    logits : array-like of shape (K,)
        Raw scores, K >= 2.
    label : int
        The true class, 0..K-1.
    temperature : float, default=1.0
        T > 0; the logits are divided by T before the softmax.

    Returns
    -------
    SoftmaxStep
        ``probabilities`` (K,), ``loss`` in nats, ``gradient`` (K,).

    Examples
    --------
    Equal scores over three classes give 1/3 each and cost :math:`\ln 3`:

    >>> step = softmax_step([0.0, 0.0, 0.0], 0)
    >>> round(step.loss, 4), step.gradient.round(4)
    (1.0986, array([-0.6667,  0.3333,  0.3333]))
    """
    z = as_float_array(logits, "logits")
    t = check_number(temperature, "temperature", low=0.0, low_open=True)
    y = int(as_class_labels([label], "label", len(z))[0])
    scaled = z / t
    probs = softmax(scaled)
    loss = softmax_cross_entropy([y], scaled[None, :])
    # chain rule through z / T: the gradient with respect to z carries 1/T
    grad = softmax_cross_entropy_grad([y], scaled[None, :])[0] / t
    return SoftmaxStep(probs, float(loss), grad)


def softmax_steps(logits, label: int, *, temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r""":func:`softmax_step`'s probabilities and loss for many rows of logits at once.

    Row i gives what ``softmax_step(logits[i], label, temperature=temperature)`` gives, by
    the same operations: the live-scrub grid of a logit slider, one row a slider step.

    Parameters
    ----------
    logits : array-like of shape (n, K)
    label : int
        The true class, 0..K-1, the same for every row.
    temperature : float or array-like of shape (n,), default=1.0
        One T for every row, or one a row.

    Returns
    -------
    probabilities : numpy.ndarray of shape (n, K)
    losses : numpy.ndarray of shape (n,), in nats

    Examples
    --------
    >>> probs, losses = softmax_steps([[0.0, 0.0, 0.0], [2.0, 0.0, 0.0]], 0)
    >>> probs.round(4)[:, 0], losses.round(4)
    (array([0.3333, 0.787 ]), array([1.0986, 0.2395]))
    """
    z = as_float_array(logits, "logits", ndim=(2,))
    if np.ndim(temperature):    # one temperature a row: the grid of the T slider
        t = as_float_array(temperature, "temperature")
        check_same_length(t, z, "temperature", "logits")
        if (t <= 0).any():
            raise InputError("temperature must be above 0 in every row. Use T > 0.")
        t = t[:, None]
    else:
        t = check_number(temperature, "temperature", low=0.0, low_open=True)
    y = int(as_class_labels([label], "label", z.shape[1])[0])
    scaled = z / t
    losses = softmax_cross_entropy(np.full(len(z), y), scaled, reduction="none")
    return softmax(scaled, axis=-1), np.asarray(losses, dtype=float)


# ----------------------------------------------------------------------------- worked examples, sample by sample

def binary_loss_table(y_true, p) -> dict[str, np.ndarray]:
    r"""Binary cross-entropy sample by sample, for a table.

    .. math:: \ell_i = -\ln p_{t,i}, \quad p_{t,i} = \begin{cases} p_i & y_i = 1 \\ 1 - p_i & y_i = 0 \end{cases}

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Labels 0 or 1.
    p : array-like of shape (n,)
        Predicted P(y = 1).

    Returns
    -------
    dict of ndarray of shape (n,)
        ``"y"``, ``"p"``, ``"p of true label"``, ``"loss"`` (nats, clipped
        like ``log_loss``). Their mean is :func:`binary_cross_entropy`.

    Examples
    --------
    >>> table = binary_loss_table([1, 0], [0.9, 0.1])
    >>> table["p of true label"], table["loss"].round(4)
    (array([0.9, 0.9]), array([0.1054, 0.1054]))
    """
    y = as_binary_labels(y_true, "y_true")
    q = check_probabilities(as_float_array(p, "p"), "p")
    check_same_length(y, q, "y_true", "p")
    return {
        "y": y.astype(int),
        "p": q,
        "p of true label": np.where(y == 1, q, 1.0 - q),
        "loss": binary_cross_entropy(y, q, reduction="none"),
    }


def categorical_loss_table(y_true, probs) -> dict[str, np.ndarray]:
    r"""Multi-class cross-entropy sample by sample, for a table.

    .. math:: \ell_i = -\ln q_{i, y_i}

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, K)
        Integer labels, or one-hot rows.
    probs : array-like of shape (n, K)
        Predicted probabilities, rows summing to 1.

    Returns
    -------
    dict of ndarray of shape (n,)
        ``"true class"``, ``"p of true class"``, ``"loss"`` (nats, clipped like
        ``log_loss``). Their mean is :func:`categorical_cross_entropy`.

    Examples
    --------
    scikit-learn's example: :math:`-\ln 0.9` and :math:`-\ln 0.5`.

    >>> table = categorical_loss_table([0, 1], [[0.9, 0.1], [0.5, 0.5]])
    >>> table["p of true class"], table["loss"].round(4)
    (array([0.9, 0.5]), array([0.1054, 0.6931]))
    """
    q = as_float_array(probs, "probs", ndim=(2,))
    n, k = q.shape
    losses = categorical_cross_entropy(y_true, q, reduction="none")  # validates both
    y = as_float_array(y_true, "y_true", ndim=(1, 2))
    if y.ndim == 2:
        if not np.all((y == 0) | (y == 1)) or not np.all(y.sum(axis=1) == 1):
            raise InputError(
                "y_true rows must be one-hot (a single 1, the rest 0) for a per-sample "
                "table. Pass integer labels or one-hot rows."
            )
        labels = y.argmax(axis=1)
    else:
        labels = as_class_labels(y, "y_true", k)
    return {
        "true class": labels.astype(int),
        "p of true class": q[np.arange(n), labels],
        "loss": losses,
    }
