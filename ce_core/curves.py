"""The numbers behind the Softmax and Penalty-curves pages.

Penalty curves over a range of predictions, the loss a model pays for one
prediction with and without scikit-learn's clipping, the gradient that reaches
the logit under cross-entropy and under squared error, the naive softmax that
overflows (kept on purpose, to show what log-sum-exp protects against), and
sample-by-sample tables for worked examples. All losses are in nats.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import softmax
from .losses import (
    binary_cross_entropy,
    categorical_cross_entropy,
    focal_loss,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from .validation import (
    InputError,
    as_binary_labels,
    as_class_labels,
    as_float_array,
    check_number,
    check_probabilities,
    check_same_length,
    check_sums_to_one,
)

_ANY_DIM = (1, 2, 3, 4)


# ----------------------------------------------------------------------------- helpers

def _probabilities(p, name: str = "p") -> tuple[np.ndarray, bool]:
    """p as a 1-D array in [0, 1], and whether the caller passed a scalar."""
    scalar = np.ndim(p) == 0
    arr = as_float_array(np.atleast_1d(p) if scalar else p, name)
    return check_probabilities(arr, name), scalar


def _label(label) -> float:
    """One binary label, 0 or 1."""
    if np.ndim(label) != 0:
        raise InputError(
            f"label must be one number, 0 or 1, but got shape {np.shape(label)}. "
            "Pass the true label of the sample the curve is drawn for."
        )
    return float(as_binary_labels([label], "label")[0])


def _out(values: np.ndarray, scalar: bool):
    values = values + 0.0  # -0.0 (e.g. -ln 1) would print as "-0.0000"
    return float(values[0]) if scalar else values


# ----------------------------------------------------------------------------- binary penalties

def penalty(p, label, *, clip: bool = True):
    r"""The cross-entropy a binary prediction pays: :math:`-\ln p` if the label is 1, :math:`-\ln(1-p)` if 0.

    .. math:: \ell(p, y) = -\left[y \ln p + (1 - y) \ln(1 - p)\right]

    Parameters
    ----------
    p : float or array-like of shape (n,)
        Predicted P(y = 1), each in [0, 1].
    label : {0, 1}
        The true label, the same for every p (one curve).
    clip : bool, default=True
        True clips p to [eps, 1 - eps] (eps = float64 machine epsilon) as
        ``sklearn.metrics.log_loss`` does, so the worst loss is
        :math:`-\ln \varepsilon = 36.04` nats. False gives the exact value,
        ``inf`` for a certain wrong answer.

    Returns
    -------
    float or ndarray of shape (n,), in nats.

    Examples
    --------
    A positive predicted at 0.9 pays :math:`-\ln 0.9 = 0.105`; at 0.1 it pays
    :math:`-\ln 0.1 = 2.303`; at 0 the exact loss is infinite:

    >>> penalty([0.9, 0.1], 1).round(3)
    array([0.105, 2.303])
    >>> penalty(0.0, 1, clip=False)
    inf
    >>> round(penalty(0.0, 1), 2)
    36.04
    """
    q, scalar = _probabilities(p)
    y = _label(label)
    return _out(binary_cross_entropy(np.full(q.shape, y), q, reduction="none", clip=clip), scalar)


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


def focal_penalty(p, label, *, gamma: float = 2.0):
    r"""Focal loss of a binary prediction (no alpha weighting), clipped like log_loss.

    .. math:: \ell_{\mathrm{focal}} = -(1 - p_t)^{\gamma} \ln p_t, \quad
              p_t = \begin{cases} p & y = 1 \\ 1 - p & y = 0 \end{cases}

    Parameters
    ----------
    p : float or array-like of shape (n,)
        Predicted P(y = 1), each in [0, 1].
    label : {0, 1}
        The true label.
    gamma : float, default=2.0
        At least 0; ``gamma=0`` is plain cross-entropy.

    Returns
    -------
    float or ndarray of shape (n,), in nats.

    Examples
    --------
    At p = 0.9 for a positive only :math:`0.1^2` of the 0.105 nats is left:

    >>> round(focal_penalty(0.9, 1, gamma=2.0), 5)
    0.00105
    """
    q, scalar = _probabilities(p)
    y = _label(label)
    return _out(focal_loss(np.full(q.shape, y), q, gamma=gamma, reduction="none"), scalar)


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
    p : float or array-like of shape (n,)
        Predicted P(y = 1) = sigmoid(z), each in [0, 1].
    label : {0, 1}
        The true label.

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


def probability_grid(n: int = 399, *, margin: float = 0.0025) -> np.ndarray:
    r"""Evenly spaced predictions in :math:`[\mathrm{margin}, 1 - \mathrm{margin}]` for drawing curves.

    The ends 0 and 1 are left out because :math:`-\ln 0` is infinite.

    Parameters
    ----------
    n : int, default=399
        Number of points, at least 2.
    margin : float, default=0.0025
        Distance kept from 0 and from 1, in (0, 0.5).

    Examples
    --------
    >>> probability_grid(5, margin=0.1)
    array([0.1, 0.3, 0.5, 0.7, 0.9])
    """
    count = int(check_number(n, "n", low=2))
    m = check_number(margin, "margin", low=0.0, high=0.5, low_open=True, high_open=True)
    return np.linspace(m, 1.0 - m, count)


# ----------------------------------------------------------------------------- softmax

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


def naive_softmax(logits, *, temperature: float = 1.0) -> np.ndarray:
    r"""Softmax as the textbook writes it, :math:`e^{z_i/T} / \sum_j e^{z_j/T}`, with no protection.

    Kept to show what goes wrong: :math:`e^{710}` is beyond float64 (max
    :math:`\approx 1.8\times 10^{308}`), so it becomes ``inf``, and
    :math:`\infty / \infty` is ``nan``. No NumPy warning escapes; the
    ``inf``/``nan`` values are returned so they can be shown. Use
    :func:`ce_core.softmax` for real work.

    Parameters
    ----------
    logits : array-like
        Raw scores; classes along the last axis.
    temperature : float, default=1.0
        T > 0.

    Returns
    -------
    ndarray, the shape of ``logits``; may contain ``nan`` (and 0 for classes
    whose finite exponent is divided by an infinite sum).

    Examples
    --------
    >>> naive_softmax([2.0, 1.0, 0.1]).round(4)
    array([0.659 , 0.2424, 0.0986])
    >>> naive_softmax([1000.0, 999.0, 998.0])
    array([nan, nan, nan])
    """
    z = as_float_array(logits, "logits", ndim=_ANY_DIM)
    t = check_number(temperature, "temperature", low=0.0, low_open=True)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z / t)
        return e / e.sum(axis=-1, keepdims=True)


def softmax_side_by_side(logits, *, temperature: float = 1.0,
                         shift: float = 0.0) -> dict[str, np.ndarray]:
    r"""The naive and the log-sum-exp softmax, term by term, for a table.

    .. math:: \text{naive: } \frac{e^{z_i/T}}{\sum_j e^{z_j/T}} \qquad
              \text{stable: } \frac{e^{(z_i - m)/T}}{\sum_j e^{(z_j - m)/T}}, \quad m = \max_j z_j

    The two are equal in exact arithmetic (softmax ignores a common shift);
    only the stable one keeps every exponent at most :math:`e^0 = 1`.

    Parameters
    ----------
    logits : array-like of shape (K,)
    temperature : float, default=1.0
    shift : float, default=0.0
        Added to every logit first; the true softmax ignores it, the naive
        one overflows once :math:`(z_i + \mathrm{shift}) / T` passes about 709.78.

    Returns
    -------
    dict of ndarray of shape (K,)
        ``"logit"`` (z + shift), ``"naive exp"`` (may be inf), ``"naive p"``
        (may be nan), ``"naive broke"`` (True where naive p is not finite),
        ``"shifted logit"`` (z - m), ``"stable exp"``, ``"stable p"``.

    Examples
    --------
    >>> table = softmax_side_by_side([0.0, -1000.0], shift=1000.0)
    >>> table["logit"], table["naive p"], table["stable p"]
    (array([1000.,    0.]), array([nan,  0.]), array([1., 0.]))
    """
    t = check_number(temperature, "temperature", low=0.0, low_open=True)
    z = as_float_array(logits, "logits") + check_number(shift, "shift", low=-np.inf)
    shifted = z - z.max()
    with np.errstate(over="ignore"):
        naive_exp = np.exp(z / t)
    naive_p = naive_softmax(z, temperature=t)
    return {
        "logit": z,
        "naive exp": naive_exp,
        "naive p": naive_p,
        "naive broke": ~np.isfinite(naive_p),
        "shifted logit": shifted,
        "stable exp": np.exp(shifted / t),
        "stable p": softmax(z, temperature=t),
    }


def logits_from_probabilities(p) -> np.ndarray:
    r"""Logits whose softmax is ``p``: :math:`z = \ln p` (any common shift would do).

    .. math:: \mathrm{softmax}(\ln p)_i = \frac{p_i}{\sum_j p_j} = p_i

    Use it to feed a probability vector to a function that expects logits,
    such as PyTorch's ``F.cross_entropy`` or :func:`ce_core.softmax_cross_entropy`.

    Parameters
    ----------
    p : array-like of shape (K,)
        A distribution with every entry > 0 (a zero would need a logit of -inf).

    Examples
    --------
    >>> logits_from_probabilities([0.7, 0.2, 0.1]).round(4)
    array([-0.3567, -1.6094, -2.3026])
    """
    q = check_sums_to_one(check_probabilities(as_float_array(p, "p"), "p"), "p")
    if np.any(q == 0):
        i = int(np.argmax(q == 0))
        raise InputError(
            f"p is 0 at index {i}, whose logit would be -infinity. "
            "Give every class a probability above 0 (e.g. 1e-12)."
        )
    return np.log(q)


# ----------------------------------------------------------------------------- worked examples

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
