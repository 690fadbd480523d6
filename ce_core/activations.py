"""Softmax, log-softmax and sigmoid, written so they never overflow."""

from __future__ import annotations

import numpy as np

from .validation import InputError, as_float_array, check_number

_ANY_DIM = (1, 2, 3, 4)


def _check_axis(z: np.ndarray, axis: int) -> int:
    if not -z.ndim <= axis < z.ndim:
        raise InputError(f"axis={axis} does not exist for logits of shape {z.shape}. Use -1 for the last axis.")
    return axis


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
    """
    z = as_float_array(logits, "logits", ndim=_ANY_DIM)
    axis = _check_axis(z, axis)
    shifted = z - z.max(axis=axis, keepdims=True)
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
    shifted = (z - z.max(axis=axis, keepdims=True)) / t
    e = np.exp(shifted)
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
