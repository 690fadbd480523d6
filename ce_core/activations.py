"""Softmax, log-softmax and sigmoid, written so they never overflow."""

from __future__ import annotations

import numpy as np

from .validation import InputError, as_float_array, check_number, check_probabilities, check_sums_to_one

_ANY_DIM = (1, 2, 3, 4)


def _check_axis(z: np.ndarray, axis: int) -> int:
    if not -z.ndim <= axis < z.ndim:
        raise InputError(f"axis={axis} does not exist for logits of shape {z.shape}. Use -1 for the last axis.")
    return axis


def _shifted(z: np.ndarray, axis: int) -> np.ndarray:
    """z - max(z): every score at most 0. Scores more than 1.8e308 below the largest
    overflow to -inf, which is the right limit (that class gets probability 0)."""
    with np.errstate(over="ignore"):
        return z - z.max(axis=axis, keepdims=True)


def logsumexp(logits, *, axis: int = -1) -> np.ndarray | float:
    r"""The log of the sum of exponentials, computed without overflow.

    .. math:: \operatorname{logsumexp}(z) = \ln \sum_j e^{z_j} = m + \ln \sum_j e^{z_j - m},
              \quad m = \max_j z_j

    It is the normaliser of softmax in log form: :math:`\ln \mathrm{softmax}(z)_i =
    z_i - \operatorname{logsumexp}(z)`, which is how a loss computed from logits (PyTorch's
    ``F.cross_entropy``) gets :math:`-\ln p_y = \operatorname{logsumexp}(z) - z_y`
    without ever forming p.

    Parameters
    ----------
    logits : array-like
        Real scores; the classes run along ``axis``.
    axis : int, default=-1
        The axis summed over.

    Returns
    -------
    float for 1-D logits, else an ndarray without ``axis``.

    Examples
    --------
    Three equal scores of 1000: :math:`1000 + \ln 3`, where :math:`e^{1000}` would overflow:

    >>> round(logsumexp([1000.0, 1000.0, 1000.0]), 4)
    1001.0986
    """
    z = as_float_array(logits, "logits", ndim=_ANY_DIM)
    axis = _check_axis(z, axis)
    top = z.max(axis=axis, keepdims=True)
    out = np.squeeze(top + np.log(np.exp(_shifted(z, axis)).sum(axis=axis, keepdims=True)),
                     axis=axis)
    return float(out) if out.ndim == 0 else out


def log_softmax(logits, *, axis: int = -1) -> np.ndarray:
    r"""Log of softmax, in the log-sum-exp form.

    .. math:: \log \mathrm{softmax}(z)_i = z_i - m - \log \sum_j e^{z_j - m}, \quad m = \max_j z_j

    Subtracting the maximum first means the largest exponent is :math:`e^0 = 1`,
    so nothing overflows, and the log is taken of a sum that is at least 1.

    Parameters
    ----------
    logits : array-like
        Real scores; the classes run along ``axis``.
    axis : int, default=-1
        The class axis.

    Examples
    --------
    Equal scores give each of three classes :math:`\ln(1/3) = -1.0986`, even at 1000:

    >>> log_softmax([1000.0, 1000.0, 1000.0])
    array([-1.09861229, -1.09861229, -1.09861229])

    Scores further apart than the largest float give the far one :math:`-\infty`:

    >>> log_softmax([1e308, -1e308])
    array([  0., -inf])
    """
    z = as_float_array(logits, "logits", ndim=_ANY_DIM)
    shifted = _shifted(z, _check_axis(z, axis))
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(logits, *, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Turn scores into probabilities that sum to 1.

    .. math:: \mathrm{softmax}(z / T)_i = \frac{e^{(z_i - m)/T}}{\sum_j e^{(z_j - m)/T}}, \quad m = \max_j z_j

    Parameters
    ----------
    logits : array-like
        Real scores; the classes run along ``axis``.
    temperature : float, default=1.0
        T > 0. Below 1 sharpens the distribution towards the largest score,
        above 1 flattens it towards uniform.
    axis : int, default=-1
        The class axis.

    Examples
    --------
    >>> softmax([2.0, 1.0, 0.1]).round(4)
    array([0.659 , 0.2424, 0.0986])
    >>> softmax([1000.0, 0.0])  # a naive exp(1000) would overflow
    array([1., 0.])
    """
    z = as_float_array(logits, "logits", ndim=_ANY_DIM)
    t = check_number(temperature, "temperature", low=0.0, low_open=True)
    axis = _check_axis(z, axis)
    with np.errstate(over="ignore"):   # a tiny T sends far-below scores to -inf: probability 0
        e = np.exp(_shifted(z, axis) / t)
    return e / e.sum(axis=axis, keepdims=True)


def sigmoid(z):
    r"""The logistic function, stable for any finite z.

    .. math:: \sigma(z) = \frac{1}{1 + e^{-z}}

    Computed from :math:`e^{-|z|}`, which lies in (0, 1], so it never overflows:
    for z < 0 the equivalent form :math:`e^{z} / (1 + e^{z})` is used.

    Examples
    --------
    >>> sigmoid([0.0, 2.0, -1000.0, 1000.0])
    array([0.5       , 0.88079708, 0.        , 1.        ])
    """
    scalar = np.ndim(z) == 0
    x = as_float_array(np.atleast_1d(z) if scalar else z, "z", ndim=_ANY_DIM)
    e = np.exp(-np.abs(x))
    out = np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return float(out[0]) if scalar else out


# ----------------------------------------------------------------------------- what log-sum-exp protects against

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
        ``"shifted logit"`` (z - m), ``"stable exp"``, ``"stable p"``; and the log form:
        ``"scaled logit"`` (z / T), ``"log-sum-exp"`` (one number, logsumexp(z / T), as
        a 0-d array) and ``"log p"`` (z / T − logsumexp(z / T), the log-softmax).

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
        "scaled logit": z / t,
        "log-sum-exp": np.asarray(logsumexp(z / t)),
        "log p": log_softmax(z / t),
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
