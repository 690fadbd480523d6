r"""Likelihood: the mean cross-entropy of a model on data is its negative log-likelihood
per sample, so the model with the least cross-entropy is the maximum-likelihood one.

Two models. A **coin** says heads with probability q; flips are 1 (heads) or 0 (tails),
and the best q is the share of heads, k/n. A **logistic model** says
:math:`p(y = 1 \mid x) = \sigma(w x + b)` for labelled points on a line; its best
(w, b) has no formula and is found by Newton's method.

The likelihood is a product of many probabilities, each below 1, so in float64 it
reaches 0.0 once it falls below the smallest positive number, :data:`FLOAT64_SMALLEST`
= 2^-1074. The log-likelihood is a sum of logs and never does. Every log here is
natural (nats); the page converts to bits with :func:`~ce_core.information.to_unit`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from .activations import sigmoid
from .information import cross_entropy, entropy
from .losses import sigmoid_cross_entropy
from .validation import InputError, as_binary_labels, as_float_array, check_number

#: The smallest positive float64 (a subnormal), 2^-1074 ≈ 4.94e-324: a product
#: of probabilities below about half of it rounds to 0.0.
FLOAT64_SMALLEST = float(np.nextafter(0.0, 1.0))
#: Its natural log, −1074 ln 2 ≈ −744.44 nats (−1074 bits): a log-likelihood below
#: about this is a likelihood float64 cannot hold.
LOG_FLOAT64_SMALLEST = -1074 * math.log(2)

#: Most flips the page draws or reads (what the charts can show, and enough to underflow).
MAX_FLIPS = 10_000

#: Letters read as one flip: heads or tails, in letters or digits.
_HEADS, _TAILS = "H1", "T0"
#: What may separate flips: spaces, commas, semicolons.
_SEPARATORS = re.compile(r"[\s,;]+")


# --- coin flips ----------------------------------------------------------------------------

def read_flips(text: str) -> np.ndarray:
    """Typed flips as 1 (heads) and 0 (tails): ``"HHT"``, ``"h t h"``, ``"1,0,1"``.

    Raises
    ------
    InputError
        For an empty text, a character that is not a flip (with its position), or more
        than :data:`MAX_FLIPS` flips.

    Examples
    --------
    >>> read_flips("HH T, h")
    array([1, 1, 0, 1])
    """
    letters = _SEPARATORS.sub("", str(text or "")).upper()
    if not letters:
        raise InputError("No flips yet. Type H for heads and T for tails, such as HHTHT.")
    for position, letter in enumerate(letters, start=1):
        if letter not in _HEADS + _TAILS:
            raise InputError(
                f"Flip {position} is {letter!r}, which is neither heads nor tails. "
                "Use H (or 1) for heads and T (or 0) for tails.")
    if len(letters) > MAX_FLIPS:
        raise InputError(f"That is {len(letters):,} flips; the page takes at most "
                         f"{MAX_FLIPS:,}. Shorten the text, or draw the flips instead.")
    return np.array([1 if letter in _HEADS else 0 for letter in letters], dtype=np.int64)


def draw_flips(n: int, *, heads: float = 0.5, seed: int = 0) -> np.ndarray:
    """``n`` flips of a coin that lands heads with probability ``heads``, as 1s and 0s.

    The same ``seed`` gives the same flips, so a link can reopen them.

    Examples
    --------
    >>> flips = draw_flips(1000, heads=0.3, seed=1)
    >>> flips.shape, bool(0.25 < flips.mean() < 0.35)
    ((1000,), True)
    """
    count = int(check_number(n, "n", low=1, high=MAX_FLIPS))
    chance = check_number(heads, "heads", low=0.0, high=1.0)
    rng = np.random.default_rng(int(check_number(seed, "seed", low=0, high=2**32 - 1)))
    return (rng.random(count) < chance).astype(np.int64)


def _as_flips(flips) -> np.ndarray:
    return as_binary_labels(flips, "flips").astype(np.int64)


def _as_q(q, name: str = "q") -> float:
    return check_number(q, name, low=0.0, high=1.0)


def flip_probabilities(flips, q: float) -> np.ndarray:
    """The probability the model gave each flip: q for heads, 1 − q for tails.

    >>> flip_probabilities([1, 0, 1], 0.7)
    array([0.7, 0.3, 0.7])
    """
    f, q = _as_flips(flips), _as_q(q)
    return np.where(f == 1, q, 1.0 - q)


def _count_log(count: float, p: float) -> float:
    """count · ln p, with 0 · ln 0 = 0 (an outcome that never happened costs nothing)."""
    if count == 0:
        return 0.0
    return -math.inf if p == 0 else count * math.log(p)


@dataclass(frozen=True)
class CoinFit:
    """A coin model's q on a set of flips: the likelihood three ways, and the best q."""

    n: int                      #: number of flips
    heads: int                  #: number of heads, k
    q: float                    #: the model's probability of heads
    likelihood: float           #: Π qᵢ as float64 multiplies it, flip by flip (may be 0.0)
    log_likelihood: float       #: Σ ln qᵢ = k ln q + (n − k) ln(1 − q), in nats
    cross_entropy: float        #: −(1/n) Σ ln qᵢ, the mean loss per flip, in nats
    best_q: float               #: k / n, the maximum-likelihood q
    best_cross_entropy: float   #: the cross-entropy at k / n: the entropy of the data's shares


def coin_likelihood(flips, q: float) -> CoinFit:
    r"""How likely a coin with P(heads) = q makes these flips, and what the best q is.

    .. math:: L(q) = \prod_i q_i = q^k (1 - q)^{n-k}, \qquad
              -\frac1n \ln L(q) = H(\hat P, Q)

    where :math:`q_i` is the probability the model gave flip *i*, *k* the heads among *n*
    flips, :math:`\hat P = (k/n, 1 - k/n)` the data's shares and :math:`Q = (q, 1 - q)`.
    The cross-entropy is least, and the likelihood largest, at q = k/n.

    Parameters
    ----------
    flips : array-like of 0 and 1
        1 for heads, 0 for tails.
    q : float
        The model's probability of heads, in [0, 1].

    Examples
    --------
    Seven heads in ten flips, a fair-coin model: L = 0.5^10 = 1/1024.

    >>> fit = coin_likelihood([1, 1, 0, 1, 0, 1, 1, 1, 0, 1], 0.5)
    >>> fit.likelihood, round(fit.cross_entropy, 4), fit.best_q
    (0.0009765625, 0.6931, 0.7)
    """
    f, q = _as_flips(flips), _as_q(q)
    n, k = len(f), int(f.sum())
    log_l = _count_log(k, q) + _count_log(n - k, 1.0 - q)
    best = k / n
    return CoinFit(n=n, heads=k, q=q, likelihood=float(running_product(f, q).product[-1]),
                   log_likelihood=log_l, cross_entropy=-log_l / n + 0.0, best_q=best,
                   best_cross_entropy=entropy([best, 1.0 - best]))


def coin_curves(flips, qs) -> dict[str, np.ndarray]:
    """The likelihood, log-likelihood and mean cross-entropy at every q of ``qs``.

    ``likelihood`` is the float64 product of the flips' probabilities (0.0 where it
    underflows); the other two are in nats, ``-inf`` / ``inf`` where q rules out a flip.

    Examples
    --------
    >>> curves = coin_curves([1, 0], [0.5, 1.0])
    >>> curves["likelihood"], curves["cross_entropy"]
    (array([0.25, 0.  ]), array([0.69314718,        inf]))
    """
    f = _as_flips(flips)
    grid = as_float_array(qs, "qs", probabilities=True)
    n, k = len(f), int(f.sum())
    log_l = np.array([_count_log(k, q) + _count_log(n - k, 1.0 - q) for q in grid])
    probs = np.where(f[None, :] == 1, grid[:, None], 1.0 - grid[:, None])
    return {"q": grid, "likelihood": np.multiply.reduce(probs, axis=1),
            "log_likelihood": log_l, "cross_entropy": -log_l / n + 0.0}


def coin_cross_entropy_check(flips, q: float) -> float:
    """The mean cross-entropy per flip as H(P̂, Q), from :func:`cross_entropy`: the same
    number as :attr:`CoinFit.cross_entropy`, reached through the previous page's formula.

    >>> round(coin_cross_entropy_check([1, 1, 0], 0.5), 4)
    0.6931
    """
    f, q = _as_flips(flips), _as_q(q)
    share = float(f.mean())
    return cross_entropy([share, 1.0 - share], [q, 1.0 - q])


@dataclass(frozen=True)
class RunningProduct:
    """The likelihood of the first 1, 2, …, n flips, computed two ways."""

    product: np.ndarray         #: float64 running product Π qᵢ: reaches 0.0 and stays there
    sum_of_logs: np.ndarray     #: running Σ ln qᵢ, in nats: finite unless q rules a flip out
    first_zero: int | None      #: how many flips it took the product to reach 0.0 (None: never)

    @property
    def log_of_product(self) -> np.ndarray:
        """ln of the float64 product, ``-inf`` once it has underflowed: equal to
        ``sum_of_logs`` until the product runs out of digits."""
        out = np.full(self.product.shape, -np.inf)
        positive = self.product > 0
        out[positive] = np.log(self.product[positive])
        return out


def running_product(flips, q: float) -> RunningProduct:
    """Multiply the flips' probabilities one by one, and add their logs one by one.

    Examples
    --------
    A fair coin: after n flips the likelihood is 2^-n, and 2^-1075 is below half of
    the smallest float64, 2^-1074, so the product becomes 0.0 at flip 1,075:

    >>> run = running_product([1] * 2000, 0.5)
    >>> run.first_zero, float(run.product[1073]) == 2.0 ** -1074, round(float(run.sum_of_logs[-1]), 2)
    (1075, True, -1386.29)
    """
    probs = flip_probabilities(flips, q)
    product = np.multiply.accumulate(probs)
    logs = np.full(probs.shape, -np.inf)
    positive = probs > 0
    logs[positive] = np.log(probs[positive])
    zero = np.flatnonzero(product == 0)
    return RunningProduct(product=product, sum_of_logs=np.cumsum(logs),
                          first_zero=int(zero[0]) + 1 if zero.size else None)


def power_of_ten(log_value: float) -> tuple[float, int]:
    """A number given by its natural log, written as mantissa × 10^exponent.

    For a likelihood too small for float64: its log is still exact.

    >>> mantissa, exponent = power_of_ten(2000 * math.log(0.5))   # 0.5 ** 2000
    >>> round(mantissa, 4), exponent
    (8.7098, -603)
    """
    v = check_number(log_value, "log_value", low=-math.inf)
    exponent = math.floor(v / math.log(10))
    mantissa = math.exp(v - exponent * math.log(10))
    if mantissa >= 10:   # rounding at an exact power of ten
        mantissa, exponent = mantissa / 10, exponent + 1
    return mantissa, exponent


# --- a logistic model on labelled points -----------------------------------------------------

def _labelled(x, y) -> tuple[np.ndarray, np.ndarray]:
    xs = as_float_array(x, "x")
    labels = as_binary_labels(y, "y")
    if len(xs) != len(labels):
        raise InputError(f"x has {len(xs)} points but y has {len(labels)} labels. "
                         "Give one label (0 or 1) for each point.")
    return xs, labels


@dataclass(frozen=True)
class LogisticFit:
    """A logistic model's (w, b) on labelled points: each point's probability, and the
    likelihood three ways."""

    w: float
    b: float
    p_true: np.ndarray          #: the probability the model gave each point's own label
    losses: np.ndarray          #: each point's loss −ln p(yᵢ | xᵢ), in nats
    likelihood: float           #: Π p(yᵢ | xᵢ) as float64 multiplies it
    log_likelihood: float       #: Σ ln p(yᵢ | xᵢ), in nats
    cross_entropy: float        #: −(1/n) Σ ln p(yᵢ | xᵢ): the mean binary cross-entropy


def logistic_likelihood(x, y, w: float, b: float) -> LogisticFit:
    r"""The likelihood of the labels under :math:`p(y = 1 \mid x) = \sigma(w x + b)`.

    .. math:: -\frac1n \ln \prod_i p(y_i \mid x_i)
              = -\frac1n \sum_i \left[y_i \ln p_i + (1 - y_i) \ln(1 - p_i)\right]

    The right-hand side is the mean binary cross-entropy, computed from the logits
    (:func:`~ce_core.losses.sigmoid_cross_entropy`), so a point far on the wrong side
    costs its exact, large loss rather than ``-ln 0``.

    Examples
    --------
    With w = b = 0 every point gets 1/2, whatever its label:

    >>> fit = logistic_likelihood([-1.0, 2.0], [0, 1], 0.0, 0.0)
    >>> fit.likelihood, round(fit.cross_entropy, 4)
    (0.25, 0.6931)
    """
    xs, labels = _labelled(x, y)
    w = check_number(w, "w", low=-math.inf)
    b = check_number(b, "b", low=-math.inf)
    losses = sigmoid_cross_entropy(labels, w * xs + b, reduction="none")
    p_true = np.exp(-losses)
    return LogisticFit(w=w, b=b, p_true=p_true, losses=losses,
                       likelihood=float(np.multiply.accumulate(p_true)[-1]),
                       log_likelihood=-float(losses.sum()) + 0.0,
                       cross_entropy=float(losses.mean()))


def logistic_curve(w: float, b: float, xs) -> np.ndarray:
    r""":math:`\sigma(w x + b)` at every x of ``xs``: the model's probability of label 1.

    >>> logistic_curve(2.0, -1.0, [0.5, 10.0])
    array([0.5       , 0.99999999])
    """
    grid = as_float_array(xs, "xs")
    return sigmoid(check_number(w, "w", low=-math.inf) * grid + check_number(b, "b", low=-math.inf))


def classes_overlap(x, y) -> bool:
    """Whether no threshold on x puts every 1 on one side and every 0 on the other.

    Only then has the likelihood a largest value at a finite (w, b): otherwise a steeper
    and steeper sigmoid keeps raising it towards 1 (for one class alone, b → ±∞).

    >>> classes_overlap([0, 1, 2, 3], [0, 1, 0, 1]), classes_overlap([0, 1, 2, 3], [0, 0, 1, 1])
    (True, False)
    """
    xs, labels = _labelled(x, y)
    ones, zeros = xs[labels == 1], xs[labels == 0]
    if not ones.size or not zeros.size:
        return False
    return bool(zeros.max() > ones.min() and ones.max() > zeros.min())


def _newton_step(xs: np.ndarray, labels: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """The Newton step for the summed loss at beta = (b, w): H⁻¹ g."""
    design = np.column_stack([np.ones_like(xs), xs])
    p = sigmoid(design @ beta)
    gradient = design.T @ (p - labels)
    hessian = design.T @ (design * (p * (1.0 - p))[:, None])
    # Least squares, not solve: where every p(1 − p) rounds to 0 the Hessian is singular.
    return np.linalg.lstsq(hessian, gradient, rcond=None)[0]


def logistic_mle(x, y, *, max_iter: int = 100) -> tuple[float, float]:
    r"""The maximum-likelihood (w, b): the one with the least mean cross-entropy.

    Newton's method on the summed loss, which is convex, with the step halved until the
    loss goes down (so no step overshoots). It is what scikit-learn's
    ``LogisticRegression(penalty=None)`` fits, with no penalty term.

    Raises
    ------
    InputError
        If the classes do not overlap (see :func:`classes_overlap`): then no finite
        (w, b) is best.

    Examples
    --------
    >>> w, b = logistic_mle([-2.0, -1.0, 0.0, 1.0, 2.0, 0.5], [0, 1, 0, 1, 1, 0])
    >>> round(w, 4), round(b, 4)
    (0.8028, -0.0827)
    """
    xs, labels = _labelled(x, y)
    if not classes_overlap(xs, labels):
        raise InputError(
            "The two classes do not overlap: one threshold on x puts every 1 on one side "
            "and every 0 on the other, so a steeper sigmoid always fits better and no "
            "finite (w, b) is best. Move the classes closer together, or add points.")
    beta = np.zeros(2)
    loss = _summed_loss(xs, labels, beta)
    for _ in range(max_iter):
        step = _newton_step(xs, labels, beta)
        trial, trial_loss = _descend(xs, labels, beta, step, loss)
        done = np.max(np.abs(trial - beta)) <= 1e-12 * (1.0 + np.max(np.abs(trial)))
        beta, loss = trial, trial_loss
        if done:
            return float(beta[1]), float(beta[0])
    raise InputError(
        f"The best fit did not settle in {max_iter} Newton steps: the classes barely overlap, "
        "so the best w is huge. Move the classes closer together, or add points.")


def _summed_loss(xs: np.ndarray, labels: np.ndarray, beta: np.ndarray) -> float:
    return sigmoid_cross_entropy(labels, beta[0] + beta[1] * xs, reduction="sum")


def _descend(xs, labels, beta, step, loss) -> tuple[np.ndarray, float]:
    """beta − step, halved until the loss is no larger (at most 30 halvings)."""
    scale = 1.0
    for _ in range(30):
        trial = beta - scale * step
        trial_loss = _summed_loss(xs, labels, trial)
        if trial_loss <= loss:
            return trial, trial_loss
        scale /= 2
    return beta, loss
