"""Entropy, cross-entropy and KL divergence of discrete distributions.

Conventions: ``0 log 0 = 0`` (an impossible outcome costs nothing on
average), and ``p log 0 = -inf`` for ``p > 0`` (coding a possible outcome
with a code that says it never happens needs infinitely many bits).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .validation import (
    InputError,
    as_distribution,
    as_float_array,
    check_base,
    check_number,
    check_probabilities,
)


def _log(x: np.ndarray, base: float) -> np.ndarray:
    return np.log(x) / math.log(base)


def surprise(p, *, base: float = math.e) -> np.ndarray:
    r"""Surprise (self-information) of each outcome, :math:`-\log p_i`.

    It is the ideal code length of outcome *i*: rare outcomes get long codes.
    An outcome with ``p = 0`` has infinite surprise.

    Examples
    --------
    >>> surprise([0.5, 0.25, 0.25], base=2)
    array([1., 2., 2.])
    """
    p = as_distribution(p, "p")
    b = check_base(base)
    out = np.full(p.shape, np.inf)
    pos = p > 0
    out[pos] = -_log(p[pos], b) + 0.0   # + 0.0: a certain outcome has surprise 0, not -0
    return out


def entropy_terms(p, *, base: float = math.e) -> np.ndarray:
    r"""What each outcome adds to the entropy: :math:`p_i \cdot (-\log p_i)`; they sum to H(P).

    An impossible outcome adds 0 (:math:`0 \log 0` counts as 0), though its surprise is infinite.

    Examples
    --------
    >>> entropy_terms([0.5, 0.25, 0.25, 0.0], base=2)
    array([0.5, 0.5, 0.5, 0. ])
    """
    p = as_distribution(p, "p")
    out = np.zeros(p.shape)
    pos = p > 0
    out[pos] = p[pos] * surprise(p, base=base)[pos]
    return out


def entropy(p, *, base: float = math.e) -> float:
    r"""Entropy of one distribution: the average surprise.

    .. math:: H(P) = -\sum_i p_i \log p_i

    Parameters
    ----------
    p : array-like of shape (K,)
        Probabilities, each in [0, 1], summing to 1.
    base : float, default=e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float
        Between 0 (one certain outcome) and :math:`\log K` (all equally likely).

    Examples
    --------
    A fair coin carries one bit; a fair die :math:`\log_2 6` bits; a sure thing none.

    >>> entropy([0.5, 0.5], base=2)
    1.0
    >>> round(entropy([1/6] * 6, base=2), 4)
    2.585
    >>> entropy([1.0, 0.0])
    0.0
    """
    p = as_distribution(p, "p")
    b = check_base(base)
    pos = p > 0
    return float(-(p[pos] * _log(p[pos], b)).sum()) + 0.0  # + 0.0 turns -0.0 into 0.0


def _check_pair(p, q) -> tuple[np.ndarray, np.ndarray]:
    p = as_distribution(p, "p")
    q = as_distribution(q, "q")
    if p.shape != q.shape:
        raise InputError(
            f"p has {len(p)} outcomes but q has {len(q)}. Both distributions must "
            "list the same outcomes in the same order."
        )
    return p, q


def _coded_outcomes(p, q, base):
    """P and Q checked and kept where P has probability, with the checked base; None if Q
    gives one of those outcomes probability 0 (it has no codeword: an infinite code)."""
    p, q = _check_pair(p, q)
    b = check_base(base)
    pos = p > 0
    return None if np.any(q[pos] == 0) else (p[pos], q[pos], b)


def cross_entropy(p, q, *, base: float = math.e) -> float:
    r"""Cross-entropy: the average code length when outcomes come from P but the code is built for Q.

    .. math:: H(P, Q) = -\sum_i p_i \log q_i

    Parameters
    ----------
    p : array-like of shape (K,)
        The true distribution.
    q : array-like of shape (K,)
        The model's distribution over the same outcomes.
    base : float, default=e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float
        At least ``entropy(p)``; ``inf`` when some ``q_i = 0`` where ``p_i > 0``.

    Examples
    --------
    When P is one-hot, the cross-entropy is just the surprise of the true outcome
    under Q: :math:`-\log_2 0.7 = 0.515` bits, or 0.357 nats.

    >>> round(cross_entropy([1, 0, 0], [0.7, 0.2, 0.1], base=2), 4)
    0.5146
    >>> round(cross_entropy([1, 0, 0], [0.7, 0.2, 0.1]), 4)
    0.3567
    """
    coded = _coded_outcomes(p, q, base)
    if coded is None:
        return math.inf
    p, q, b = coded
    return float(-(p * _log(q, b)).sum()) + 0.0


def kl_divergence(p, q, *, base: float = math.e) -> float:
    r"""Kullback-Leibler divergence: the *extra* code length paid for using Q's code on P's data.

    .. math:: \mathrm{KL}(P \,\|\, Q) = \sum_i p_i \log \frac{p_i}{q_i} = H(P, Q) - H(P)

    Parameters
    ----------
    p, q, base
        As in :func:`cross_entropy`: the true distribution, the model's, the log base.

    Returns
    -------
    float
        At least 0, and 0 only when P = Q. Not symmetric:
        KL(P‖Q) and KL(Q‖P) usually differ. ``inf`` when some ``q_i = 0 < p_i``.

    Examples
    --------
    Coding a fair coin with a 0.9/0.1 code wastes 0.737 bits per toss:

    >>> round(kl_divergence([0.5, 0.5], [0.9, 0.1], base=2), 4)
    0.737
    >>> kl_divergence([0.3, 0.7], [0.3, 0.7])
    0.0
    """
    coded = _coded_outcomes(p, q, base)
    if coded is None:
        return math.inf
    p, q, b = coded
    # p (log p - log q), summed directly: KL(P||P) is exactly 0 (unlike H(P,Q) - H(P)),
    # and no p/q division can overflow when q is tiny.
    kl = float((p * (_log(p, b) - _log(q, b))).sum())
    return max(kl, 0.0) + 0.0   # Gibbs: KL >= 0; + 0.0 turns max(-0.0, 0.0) = -0.0 into 0.0


#: Outcomes up to which :func:`pair_costs` gives the one-pair functions' floats exactly.
PAIR_COSTS_EXACT_K = 7


class PairCosts(NamedTuple):
    """:func:`pair_costs` of many rows of weights: row i of each array is one P and Q."""

    valid: np.ndarray     # (n,) bool: both rows of weights had a positive total
    p: np.ndarray         # (n, K) the weights normalised (NaN where not valid)
    q: np.ndarray
    h_p: np.ndarray       # (n,) entropy(p), in nats
    kl_pq: np.ndarray     # kl_divergence(p, q)
    h_pq: np.ndarray      # cross_entropy(p, q)
    h_q: np.ndarray       # entropy(q)
    kl_qp: np.ndarray     # kl_divergence(q, p)
    h_qp: np.ndarray      # cross_entropy(q, p)
    surprise_q: np.ndarray  # (n, K) surprise(q)


def pair_costs(p_weights, q_weights) -> PairCosts:
    r"""Entropy, cross-entropy and KL both ways for many pairs of weight rows at once.

    Row i gives what :func:`normalize_weights`, :func:`entropy`, :func:`cross_entropy`,
    :func:`kl_divergence` and :func:`surprise` give for ``p_weights[i]`` and
    ``q_weights[i]``, by the same operations in the same order (so the same floats, up to
    ``PAIR_COSTS_EXACT_K`` = 7 outcomes: NumPy sums fewer than 8 numbers one by one): the
    live-scrub grid of a weight slider, one row a slider step. A row whose weights total 0
    is not ``valid``.

    Parameters
    ----------
    p_weights, q_weights : array-like of shape (n, K)
        Rows of finite weights, each at least 0.

    Returns
    -------
    PairCosts

    Examples
    --------
    A fair coin coded as 0.9 / 0.1, and a sure thing coded as a fair coin (ln 2):

    >>> c = pair_costs([[1, 1], [1, 0]], [[9, 1], [1, 1]])
    >>> [round(float(v), 4) for v in c.kl_pq]
    [0.5108, 0.6931]
    >>> float(c.h_qp[1])   # the fair coin's data with the sure thing's code: outcome 2 has none
    inf
    """
    wp = as_float_array(p_weights, "p_weights", ndim=(2,))
    wq = as_float_array(q_weights, "q_weights", ndim=(2,))
    if wp.shape != wq.shape or (wp < 0).any() or (wq < 0).any():
        raise InputError("p_weights and q_weights must be rows of the same shape, each "
                         "weight 0 or more.")
    tp, tq = wp.sum(axis=1), wq.sum(axis=1)
    valid = (tp > 0) & (tq > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p, q = wp / tp[:, None], wq / tq[:, None]
    p[~valid], q[~valid] = np.nan, np.nan
    h_p, h_q = _entropy_rows(p), _entropy_rows(q)
    kl_pq, h_pq = _coded_rows(p, q)
    kl_qp, h_qp = _coded_rows(q, p)
    with np.errstate(divide="ignore"):
        surprise_q = np.where(q > 0, -_log(np.where(q > 0, q, 1.0), math.e) + 0.0, np.inf)
    return PairCosts(valid, p, q, h_p, kl_pq, h_pq, h_q, kl_qp, h_qp, surprise_q)


def _entropy_rows(p: np.ndarray) -> np.ndarray:
    """:func:`entropy` of each row: the outcomes with p > 0 only, 0 elsewhere."""
    pos = p > 0
    safe = np.where(pos, p, 1.0)
    return -np.where(pos, safe * _log(safe, math.e), 0.0).sum(axis=1) + 0.0


def _coded_rows(p: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`kl_divergence` and :func:`cross_entropy` of each row pair (inf where some
    q = 0 < p)."""
    pos = p > 0
    infinite = (pos & (q == 0)).any(axis=1)
    sp, sq = np.where(pos, p, 1.0), np.where(pos & (q > 0), q, 1.0)
    kl = np.where(pos, sp * (_log(sp, math.e) - _log(sq, math.e)), 0.0).sum(axis=1)
    cross = -np.where(pos, sp * _log(sq, math.e), 0.0).sum(axis=1) + 0.0
    kl = np.maximum(kl, 0.0) + 0.0
    kl[infinite], cross[infinite] = math.inf, math.inf
    return kl, cross


def to_unit(nats, unit: str):
    """Convert a value in nats to ``"nats"`` or ``"bits"`` (divide by ln 2).

    Examples
    --------
    >>> to_unit(math.log(2), "bits")
    1.0
    """
    if unit == "nats":
        return nats
    if unit == "bits":
        return nats / math.log(2)
    raise InputError(f"unit={unit!r} is not 'nats' or 'bits'. Choose one of the two.")


def normalize_weights(weights) -> np.ndarray:
    r"""Turn non-negative raw weights into a probability distribution.

    .. math:: p_i = \frac{w_i}{\sum_j w_j}

    Sliders give raw weights (say 3, 1, 0); dividing by their total makes them
    probabilities that sum to 1 while keeping their ratios.

    Parameters
    ----------
    weights : array-like of shape (K,)
        Finite numbers, each at least 0, not all 0.

    Returns
    -------
    numpy.ndarray of shape (K,)
        The probabilities, summing to 1.

    Examples
    --------
    Weights 3, 1, 0 out of a total of 4:

    >>> normalize_weights([3, 1, 0])
    array([0.75, 0.25, 0.  ])
    """
    w = as_float_array(weights, "weights")
    negative = w < 0
    if negative.any():
        i = int(np.argmax(negative))
        raise InputError(
            f"weights has {w[i]:g} at index {i}. Weights must be 0 or more: "
            "a weight is how likely an outcome is relative to the others."
        )
    total = w.sum()
    if total == 0:
        raise InputError(
            "weights are all 0, so there is no distribution to normalise. "
            "Give at least one outcome a positive weight."
        )
    return w / total


def max_entropy(n_outcomes: int, *, base: float = math.e) -> float:
    r"""The largest entropy any distribution over ``n_outcomes`` can have.

    .. math:: H_{\max} = \log K

    It is reached only by the uniform distribution, where every outcome has
    probability :math:`1/K`.

    Parameters
    ----------
    n_outcomes : int
        K, the number of outcomes (at least 1).
    base : float, default=e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float

    Examples
    --------
    Eight equally likely outcomes need three yes/no questions:

    >>> max_entropy(8, base=2)
    3.0
    >>> max_entropy(1)
    0.0
    """
    k = check_number(n_outcomes, "n_outcomes", low=1)
    if k != int(k):
        raise InputError(
            f"n_outcomes={n_outcomes!r} is not a whole number. Count the outcomes: 2 for a coin, 6 for a die."
        )
    b = check_base(base)
    return float(_log(np.float64(int(k)), b)) + 0.0


def binary_entropy(p, *, base: float = math.e):
    r"""Entropy of a coin that lands heads with probability ``p``, for one p or many.

    .. math:: H_b(p) = -p \log p - (1 - p) \log (1 - p)

    With the convention :math:`0 \log 0 = 0`, a certain coin (p = 0 or 1) has
    entropy 0; a fair coin (p = 0.5) has the maximum, 1 bit = ln 2 nats.

    Parameters
    ----------
    p : float or array-like of shape (n,)
        Probability of heads, each in [0, 1].
    base : float, default=e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float or numpy.ndarray of shape (n,)
        A float for a single p, an array for a list of them.

    Examples
    --------
    A coin that lands heads 90% of the time:
    :math:`-0.9 \log_2 0.9 - 0.1 \log_2 0.1 = 0.1368 + 0.3322 = 0.469` bits.

    >>> round(binary_entropy(0.9, base=2), 4)
    0.469
    >>> binary_entropy([0.0, 0.5, 1.0], base=2)
    array([0., 1., 0.])
    """
    scalar = np.ndim(p) == 0
    arr = as_float_array([p] if scalar and p is not None else p, "p")
    check_probabilities(arr, "p")
    b = check_base(base)
    out = np.zeros_like(arr)
    for part in (arr, 1.0 - arr):
        pos = part > 0
        out[pos] -= part[pos] * _log(part[pos], b)
    out = out + 0.0  # -0.0 -> 0.0
    return float(out[0]) if scalar else out
