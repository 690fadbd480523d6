"""Where cross-entropy goes wrong, and what to do about it: the engines of the Pitfalls page.

Four pitfalls, each with the numbers that expose it:

* class imbalance: the base-rate baseline (its loss is the entropy of the labels),
  per-class recall and loss, class weights and focal-style weights;
* label noise: per-sample losses, the share of the total a few points carry, and
  remedies that fit classification (label smoothing, down-weighting, more data);
* overconfidence: reliability bins, expected calibration error, temperature scaling;
* overfitting: training and validation loss of a large model on a small set.

Training goes through :class:`ce_core.training.Trainer` (guard rails included);
sample weights reach ``partial_fit`` through its ``sample_weight`` hook.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import minimize_scalar

from .activations import softmax
from .datasets import Dataset, make_dataset
from .information import entropy
from .losses import categorical_cross_entropy
from .training import History, ModelSpec, Trainer, predict_probabilities
from .validation import InputError, as_class_labels, as_float_array, check_number

#: Training time allowed per experiment, as per run on the Live training page; an
#: experiment shares it between its models (each seed's run gets a model's whole share).
MAX_SECONDS = 30.0
#: The range searched for the calibrating temperature.
T_MIN, T_MAX = 0.05, 20.0


def _labels_and_probs(y_true, probs) -> tuple[np.ndarray, np.ndarray]:
    q = as_float_array(probs, "probs", ndim=(2,))
    y = as_class_labels(y_true, "y_true", q.shape[1])
    if len(y) != len(q):
        raise InputError(f"y_true has {len(y)} labels but probs has {len(q)} rows. Give one row per label.")
    return y, q


# ----------------------------------------------------------------------------- class imbalance

def class_frequencies(y, n_classes: int) -> np.ndarray:
    """The share of each class among the labels ``y``.

    Examples
    --------
    >>> class_frequencies([0, 0, 0, 1], 2)
    array([0.75, 0.25])
    """
    labels = as_class_labels(y, "y", n_classes)
    if len(labels) == 0:
        raise InputError("y is empty. Give at least one label.")
    return np.bincount(labels, minlength=n_classes) / len(labels)


@dataclass(frozen=True)
class Baseline:
    """A model that ignores its input and always predicts the base rate."""

    rates: np.ndarray   # the probabilities it predicts for every point
    loss: float         # its mean cross-entropy on the scored labels, nats
    label_entropy: float  # H(y) of the scored labels, nats

    def skill(self, loss: float) -> float:
        """The share of the baseline's loss a model removes: 1 − loss / baseline.

        0 means no better than the base rate, 1 a perfect model; negative, worse
        than ignoring the input (McFadden's pseudo-R² when the baseline is fitted
        on the same labels).

        Examples
        --------
        >>> round(base_rate_baseline([0, 1], n_classes=2).skill(0.5), 4)   # 1 − 0.5 / ln 2
        0.2787
        """
        return 1.0 - float(loss) / self.loss


def base_rate_baseline(y_fit, y_score=None, *, n_classes: int) -> Baseline:
    r"""Predict the class shares of ``y_fit`` for every point; score on ``y_score``.

    Scored on the labels it was fitted to, its loss is exactly the entropy of
    the labels: :math:`-\sum_i \ln f_{y_i} / n = -\sum_k f_k \ln f_k = H(y)`.
    Any model that learned something from the inputs must beat it.

    Examples
    --------
    Nine points of class 0 and one of class 1: H = −0.9 ln 0.9 − 0.1 ln 0.1.

    >>> b = base_rate_baseline([0] * 9 + [1], n_classes=2)
    >>> b.rates.tolist(), round(b.loss, 4), round(b.label_entropy, 4)
    ([0.9, 0.1], 0.3251, 0.3251)
    """
    rates = class_frequencies(y_fit, n_classes)
    scored = as_class_labels(y_fit if y_score is None else y_score, "y_score", n_classes)
    loss = categorical_cross_entropy(scored, np.tile(rates, (len(scored), 1)))
    return Baseline(rates=rates, loss=loss,
                    label_entropy=entropy(class_frequencies(scored, n_classes)))


@dataclass(frozen=True)
class ClassReport:
    """Per-class numbers: how many points, the share found (recall), the mean loss."""

    counts: np.ndarray
    recall: np.ndarray
    loss: np.ndarray


def per_class_report(y_true, probs) -> ClassReport:
    r"""Recall and mean cross-entropy of each class separately.

    Recall of class k is the share of its points whose most probable class is k;
    its loss is the mean of :math:`-\ln q_{i,k}` over those points. A class with no
    points gets NaN in both.

    Examples
    --------
    >>> r = per_class_report([0, 0, 1, 1], [[0.9, 0.1], [0.6, 0.4], [0.7, 0.3], [0.2, 0.8]])
    >>> r.counts.tolist(), r.recall.tolist(), r.loss.round(4).tolist()
    ([2, 2], [1.0, 0.5], [0.3081, 0.7136])
    """
    y, q = _labels_and_probs(y_true, probs)
    k = q.shape[1]
    losses = categorical_cross_entropy(y, q, reduction="none")
    hits = (q.argmax(axis=1) == y).astype(float)
    counts = np.bincount(y, minlength=k)
    present = counts > 0
    safe = np.where(present, counts, 1)
    recall = np.where(present, np.bincount(y, weights=hits, minlength=k) / safe, np.nan)
    loss = np.where(present, np.bincount(y, weights=losses, minlength=k) / safe, np.nan)
    return ClassReport(counts=counts, recall=recall, loss=loss)


def balanced_class_weights(y, n_classes: int) -> np.ndarray:
    r"""Weights :math:`w_k = n / (K n_k)`: every class carries the same total weight.

    The same numbers as scikit-learn's ``compute_class_weight("balanced")``; pass
    them as ``class_weight`` to :func:`softmax_cross_entropy`, or ``w[y]`` as
    ``sample_weight``.

    Examples
    --------
    >>> balanced_class_weights([0, 0, 0, 1], 2).tolist()
    [0.6666666666666666, 2.0]
    """
    labels = as_class_labels(y, "y", n_classes)
    counts = np.bincount(labels, minlength=n_classes)
    if (counts == 0).any():
        missing = int(np.flatnonzero(counts == 0)[0])
        raise InputError(f"Class {missing} has no points, so it cannot be weighted up. "
                         "Give every class at least one point.")
    return len(labels) / (n_classes * counts)


def class_weighted_loss(y_true, probs, class_weight) -> float:
    r"""The class-weighted mean cross-entropy :math:`L_w = \sum_i w_{y_i} \ell_i / \sum_i w_{y_i}`.

    What a model trained with ``sample_weight = w[y]`` minimises (scikit-learn's
    weighted losses divide by the total weight the same way): with
    :func:`balanced_class_weights` every class counts as much as every other, however
    few points it has.

    Examples
    --------
    Class 0 right with 0.9 three times, class 1 once with 0.5; weights 2/3 and 2:

    >>> y, q = [0, 0, 0, 1], [[0.9, 0.1]] * 3 + [[0.5, 0.5]]
    >>> round(class_weighted_loss(y, q, balanced_class_weights(y, 2)), 4)   # (ln(1/0.9) + ln 2)/2
    0.3993
    """
    y, q = _labels_and_probs(y_true, probs)
    w = as_float_array(class_weight, "class_weight", ndim=(1,))
    if len(w) != q.shape[1] or (w < 0).any() or w[y].sum() <= 0:
        raise InputError(f"class_weight needs {q.shape[1]} weights of 0 or more, one per class, "
                         "and the labels present must not all weigh 0.")
    return categorical_cross_entropy(y, q, sample_weight=w[y])


@dataclass(frozen=True)
class Spread:
    """One number measured once per seed: its mean and its range.

    Examples
    --------
    >>> s = spread([0.25, 0.5, 0.375])
    >>> s.mean, s.low, s.high, len(s.values)
    (0.375, 0.25, 0.5, 3)
    """

    values: np.ndarray

    @property
    def mean(self) -> float:
        return float(np.mean(self.values))

    @property
    def low(self) -> float:
        return float(np.min(self.values))

    @property
    def high(self) -> float:
        return float(np.max(self.values))


def spread(values) -> Spread:
    """A :class:`Spread` of the per-seed ``values``."""
    v = as_float_array(values, "values", ndim=(1,))
    if len(v) == 0:
        raise InputError("values is empty. Give one value per seed.")
    return Spread(values=v)


def _mean_one(w: np.ndarray) -> np.ndarray:
    """Weights scaled to mean 1 (all ones if every weight is 0)."""
    total = w.mean()
    return w / total if total > 0 else np.ones_like(w)


def focal_weights(y_true, probs, *, gamma: float = 2.0) -> np.ndarray:
    r"""Focal-loss-style weights :math:`(1 - q_{i,y_i})^\gamma`, scaled to mean 1.

    Points the model already gets right with confidence count little; the hard
    ones (often of the rare class) count more. Re-computed every epoch, they give
    weighted cross-entropy the same shape of gradient as the focal loss.

    Examples
    --------
    >>> focal_weights([0, 1], [[0.9, 0.1], [0.5, 0.5]], gamma=1.0).round(4).tolist()
    [0.3333, 1.6667]
    """
    y, q = _labels_and_probs(y_true, probs)
    g = check_number(gamma, "gamma", low=0.0, high=10.0)
    return _mean_one((1.0 - q[np.arange(len(y)), y]) ** g)


def truncated_weights(y_true, probs, *, power: float = 0.7) -> np.ndarray:
    r"""Down-weight points the model finds implausible: :math:`q_{i,y_i}^{\,\beta}`, mean 1.

    Weighted cross-entropy with these weights, re-computed every epoch, follows the
    gradient of the bounded "generalised cross-entropy" :math:`(1 - q^\beta)/\beta`
    (Zhang & Sabuncu, 2018): a point whose label looks wrong stops pulling hard.

    Examples
    --------
    >>> truncated_weights([0, 1], [[0.9, 0.1], [0.9, 0.1]], power=1.0).round(4).tolist()
    [1.8, 0.2]
    """
    y, q = _labels_and_probs(y_true, probs)
    b = check_number(power, "power", low=0.0, high=1.0)
    return _mean_one(q[np.arange(len(y)), y] ** b)


# ----------------------------------------------------------------------------- training with weights

#: The weighting schemes :func:`train_weighted` knows, in the order a chart shows them.
SCHEMES = ("plain", "class-weighted", "focal", "label smoothing", "down-weighted")


def smoothed_dataset(data: Dataset, epsilon: float) -> tuple[Dataset, np.ndarray]:
    r"""Label smoothing as weights: every training point once per class.

    A copy labelled with class k weighs :math:`t_k = (1-\varepsilon)[k = y] + \varepsilon/K`,
    so the weighted cross-entropy of the copies is the cross-entropy against the
    smoothed targets, which scikit-learn cannot take directly.

    Examples
    --------
    >>> data = make_dataset("moons", n_samples=40)
    >>> big, w = smoothed_dataset(data, 0.1)
    >>> len(big.y_train) == 2 * len(data.y_train), sorted(set(w.round(2).tolist()))
    (True, [0.05, 0.95])
    """
    eps = check_number(epsilon, "epsilon", low=0.0, high=1.0)
    k, n = data.n_classes, len(data.y_train)
    labels = np.repeat(np.arange(k)[None, :], n, axis=0).ravel()
    weights = np.where(labels == np.repeat(data.y_train, k), 1.0 - eps + eps / k, eps / k)
    big = Dataset(name=data.name, X_train=np.repeat(data.X_train, k, axis=0), y_train=labels,
                  X_val=data.X_val, y_val=data.y_val, n_classes=k,
                  flipped=np.repeat(data.flipped, k), image_shape=data.image_shape)
    return big, weights


def _current_probs(trainer: Trainer) -> np.ndarray | None:
    if not hasattr(trainer.model, "classes_"):  # before the first epoch: no predictions yet
        return None
    return predict_probabilities(trainer.model, trainer.data.X_train)


def _scheme_weights(scheme: str, data: Dataset, *, gamma: float, power: float):
    """What to give Trainer(sample_weight=...) for a scheme."""
    if scheme == "plain":
        return None
    if scheme == "class-weighted":
        return balanced_class_weights(data.y_train, data.n_classes)[data.y_train]
    if scheme not in ("focal", "down-weighted"):
        raise InputError(f"scheme={scheme!r} is not one of {', '.join(SCHEMES)}.")

    balanced = balanced_class_weights(data.y_train, data.n_classes)

    def every_epoch(trainer: Trainer):
        probs = _current_probs(trainer)
        if probs is None:
            return None
        if scheme == "focal":  # alpha-balanced, as in Lin et al. (2017)
            w = balanced[trainer.data.y_train] * focal_weights(trainer.data.y_train, probs, gamma=gamma)
            return w / w.mean()
        return truncated_weights(trainer.data.y_train, probs, power=power)

    return every_epoch


@dataclass(frozen=True)
class RunResult:
    """A finished run: its history and its final validation probabilities (no model)."""

    scheme: str
    history: History
    val_probs: np.ndarray
    y_val: np.ndarray
    train_losses: np.ndarray   # each original training point's own cross-entropy, nats
    stop_reason: str
    stop_kind: str = "max_epochs"   # or "time" / "diverged": the guard rail that ended the run

    @property
    def val_loss(self) -> float:
        """Mean validation cross-entropy of the final model, nats."""
        return float(self.history.last.val_loss)

    @property
    def best_epoch(self) -> int:
        """The epoch with the lowest validation loss: where early stopping would stop."""
        return int(self.history.best.epoch)

    @property
    def gap(self) -> float:
        """Final validation loss minus final training loss, nats: how much it memorised."""
        return float(self.history.last.val_loss - self.history.last.train_loss)

    def report(self) -> ClassReport:
        return per_class_report(self.y_val, self.val_probs)


def train_weighted(data: Dataset, spec: ModelSpec, scheme: str = "plain", *, epochs: int = 60,
                   gamma: float = 2.0, power: float = 0.7, epsilon: float = 0.1,
                   max_seconds: float = MAX_SECONDS) -> RunResult:
    """Train one model with a weighting scheme (see :data:`SCHEMES`) through a Trainer.

    Examples
    --------
    >>> data = make_dataset("blobs", n_samples=120, n_classes=2, imbalance=4.0)
    >>> run = train_weighted(data, ModelSpec(hidden_layers=(8,)), "class-weighted", epochs=5)
    >>> len(run.history), run.val_probs.shape
    (5, (36, 2))
    """
    weights, original = None, data
    if scheme == "label smoothing":
        data, weights = smoothed_dataset(data, epsilon)
    elif scheme != "plain":
        weights = _scheme_weights(scheme, data, gamma=gamma, power=power)
    trainer = Trainer(data, spec, max_epochs=epochs, max_seconds=max_seconds, sample_weight=weights)
    trainer.advance(epochs)
    if not len(trainer.history):
        raise InputError(trainer.stop_reason or "The model did not finish a single epoch.")
    train_probs = predict_probabilities(trainer.model, original.X_train)
    return RunResult(scheme=scheme, history=trainer.history,
                     val_probs=predict_probabilities(trainer.model, data.X_val),
                     y_val=np.asarray(data.y_val),
                     train_losses=categorical_cross_entropy(original.y_train, train_probs,
                                                            reduction="none"),
                     stop_reason=trainer.stop_reason, stop_kind=trainer.stop_kind or "max_epochs")


# ----------------------------------------------------------------------------- label noise

def top_loss_share(losses, fraction: float) -> float:
    """The share of the total loss carried by the worst ``fraction`` of the points.

    Examples
    --------
    One point of ten costs 9 nats, the others 0.1 each: the worst 10 % carry 90 %.

    >>> round(top_loss_share([9.0] + [0.1] * 9, 0.1), 4)
    0.9091
    """
    values = as_float_array(losses, "losses", ndim=(1,))
    share = check_number(fraction, "fraction", low=0.0, high=1.0, low_open=True)
    total = values.sum()
    if total <= 0:
        return 0.0
    count = max(1, int(round(share * len(values))))
    return float(np.sort(values)[::-1][:count].sum() / total)


def mean_loss_by_group(losses, flipped) -> tuple[float, float]:
    """Mean loss of the clean points and of the flipped ones (NaN for an empty group).

    Examples
    --------
    >>> mean_loss_by_group([0.1, 0.3, 4.0], [False, False, True])
    (0.2, 4.0)
    """
    values = as_float_array(losses, "losses", ndim=(1,))
    mask = np.asarray(flipped, dtype=bool)
    if mask.shape != values.shape:
        raise InputError(f"flipped has {mask.size} entries for {values.size} losses. Give one per loss.")
    clean, bad = values[~mask], values[mask]
    return (float(clean.mean()) if len(clean) else math.nan,
            float(bad.mean()) if len(bad) else math.nan)


# ----------------------------------------------------------------------------- calibration

@dataclass(frozen=True)
class ReliabilityBins:
    """Top-label reliability: per confidence bin, how sure the model was and how often right.

    ``edges`` has ``n_bins + 1`` entries; empty bins have count 0 and NaN means.
    """

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def ece(self) -> float:
        """Expected calibration error: the count-weighted mean gap |accuracy − confidence|."""
        filled = self.counts > 0
        gaps = np.abs(self.accuracy[filled] - self.confidence[filled])
        return float(np.sum(self.counts[filled] * gaps) / self.counts.sum())


def reliability_bins(y_true, probs, *, n_bins: int = 10) -> ReliabilityBins:
    r"""Group predictions by their top probability into ``n_bins`` equal-width bins.

    Confidence is :math:`\max_k q_{ik}`; a prediction is right when that class is
    the label. A value on an inner edge goes to the lower bin, as in
    ``sklearn.calibration.calibration_curve``.

    Examples
    --------
    >>> b = reliability_bins([0, 1, 1, 0], [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.4, 0.6]], n_bins=2)
    >>> b.counts.tolist(), b.confidence.round(3).tolist(), b.accuracy.tolist()
    ([0, 4], [nan, 0.75], [nan, 0.5])
    """
    y, q = _labels_and_probs(y_true, probs)
    bins = int(check_number(n_bins, "n_bins", low=1, high=100))
    confidence = q.max(axis=1)
    correct = (q.argmax(axis=1) == y).astype(float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], confidence)
    counts = np.bincount(ids, minlength=bins)
    safe = np.where(counts > 0, counts, 1)
    mean_conf = np.where(counts > 0, np.bincount(ids, weights=confidence, minlength=bins) / safe, np.nan)
    accuracy = np.where(counts > 0, np.bincount(ids, weights=correct, minlength=bins) / safe, np.nan)
    return ReliabilityBins(edges=edges, counts=counts, confidence=mean_conf, accuracy=accuracy)


def expected_calibration_error(y_true, probs, *, n_bins: int = 10) -> float:
    r"""ECE :math:`= \sum_b \frac{n_b}{n}\,\lvert \mathrm{acc}_b - \mathrm{conf}_b \rvert`.

    Examples
    --------
    Four predictions at 0.75 confidence, two of them right: the gap is 0.25.

    >>> expected_calibration_error([0, 1, 1, 0], [[0.75, 0.25]] * 4, n_bins=4)
    0.25
    """
    return reliability_bins(y_true, probs, n_bins=n_bins).ece


def scale_temperature(probs, temperature: float) -> np.ndarray:
    r"""Temperature-scaled probabilities :math:`\mathrm{softmax}(\ln q / T)`.

    :math:`\ln q` are logits of ``q`` (softmax ignores the shift), so this is
    what dividing the model's logits by T gives. T > 1 softens, T < 1 sharpens.

    Examples
    --------
    >>> scale_temperature([[0.8, 0.2]], 2.0).round(4).tolist()
    [[0.6667, 0.3333]]
    """
    q = as_float_array(probs, "probs", ndim=(2,))
    t = check_number(temperature, "temperature", low=0.0, high=1e6, low_open=True)
    logits = np.log(np.maximum(q, np.finfo(float).tiny))  # a 0 becomes −708, not −inf
    return softmax(logits / t, axis=1)


def temperature_loss(y_true, probs, temperature: float) -> float:
    """Mean cross-entropy (nats) of the temperature-scaled probabilities.

    Examples
    --------
    >>> round(temperature_loss([0], [[0.8, 0.2]], 2.0), 4)   # −ln(2/3)
    0.4055
    """
    y, q = _labels_and_probs(y_true, probs)
    return categorical_cross_entropy(y, scale_temperature(q, temperature))


def temperature_losses(y_true, probs, temperatures) -> np.ndarray:
    """:func:`temperature_loss` at each temperature, for a chart."""
    return np.array([temperature_loss(y_true, probs, t) for t in as_float_array(temperatures, "temperatures")])


def fit_temperature(y_true, probs) -> float:
    r"""The temperature in [0.05, 20] that minimises the mean cross-entropy on ``(y_true, probs)``.

    Searched over :math:`\ln T` (Brent's bounded method), where the loss is smooth.

    Examples
    --------
    A model that says 0.9 but is right only 3 times out of 4 is overconfident: T > 1.

    >>> y = [0, 0, 0, 1]
    >>> T = fit_temperature(y, [[0.9, 0.1]] * 4)
    >>> round(T, 3), round(float(scale_temperature([[0.9, 0.1]], T)[0, 0]), 3)
    (2.0, 0.75)
    """
    y, q = _labels_and_probs(y_true, probs)
    result = minimize_scalar(lambda s: temperature_loss(y, q, math.exp(s)),
                             bounds=(math.log(T_MIN), math.log(T_MAX)), method="bounded",
                             options={"xatol": 1e-6})
    return float(math.exp(result.x))


def temperature_grid(n: int = 61) -> np.ndarray:
    """Temperatures from 0.25 to 4, evenly spaced in log, for a chart.

    Examples
    --------
    >>> grid = temperature_grid(5)
    >>> grid.round(3).tolist()
    [0.25, 0.5, 1.0, 2.0, 4.0]
    """
    return np.geomspace(0.25, 4.0, int(check_number(n, "n", low=2, high=10_000)))


# ----------------------------------------------------------------------------- ready-made experiments
# Each is a pure function of its arguments (seeded data, seeded models), so a page
# may cache its result.

#: Seeds an experiment is repeated over: with 8 points of the rare class a single split
#: moves its recall in steps of 12.5 %, so one seed's number says little.
SEEDS = 5


def _by_seed(results: list[dict[str, RunResult]]) -> dict[str, tuple[RunResult, ...]]:
    """Per-seed dicts of runs, regrouped as one tuple of runs per recipe."""
    return {name: tuple(r[name] for r in results) for name in results[0]}


@dataclass(frozen=True)
class ImbalanceStudy:
    """Seed 0's data, baseline and runs (for the charts), and every seed's runs."""

    data: Dataset
    baseline: Baseline
    runs: dict[str, RunResult]
    seeds: dict[str, tuple[RunResult, ...]]
    class_weights: tuple[np.ndarray, ...]   # the balanced weights each seed trained with

    @property
    def rare(self) -> int:
        return self.data.n_classes - 1

    @property
    def rare_validation_points(self) -> int:
        """Points of the rare class in the first seed's validation set."""
        return int(np.sum(self.data.y_val == self.rare))

    @property
    def recall_step(self) -> float:
        """How far one rare validation point moves the rare-class recall: 1 / their count."""
        return 1.0 / self.rare_validation_points

    def recall_spread(self, scheme: str) -> Spread:
        """Rare-class validation recall of ``scheme``, one value per seed."""
        return spread([run.report().recall[self.rare] for run in self.seeds[scheme]])

    def loss_spread(self, scheme: str) -> Spread:
        """Mean validation cross-entropy (nats), every point counted once, per seed."""
        return spread([run.val_loss for run in self.seeds[scheme]])

    def weighted_loss_spread(self, scheme: str) -> Spread:
        """Class-weighted validation cross-entropy (nats), the weighted models' objective."""
        return spread([class_weighted_loss(run.y_val, run.val_probs, w)
                       for run, w in zip(self.seeds[scheme], self.class_weights)])


IMBALANCE_SPEC = ModelSpec(hidden_layers=(8,), learning_rate=0.03, batch_size=64)


def _imbalance_seed(imbalance: float, seed: int, *, n_samples: int, noise: float, epochs: int,
                    gamma: float, schemes, budget: float) -> tuple[Dataset, dict[str, RunResult]]:
    data = make_dataset("blobs", n_samples=n_samples, n_classes=2, noise=noise,
                        imbalance=imbalance, seed=seed)
    spec = replace(IMBALANCE_SPEC, seed=seed)
    return data, {s: train_weighted(data, spec, s, epochs=epochs, gamma=gamma, max_seconds=budget)
                  for s in schemes}


def imbalance_study(imbalance: float, *, n_samples: int = 300, noise: float = 2.0,
                    epochs: int = 30, gamma: float = 2.0, seeds: int = SEEDS,
                    schemes=("plain", "class-weighted", "focal")) -> ImbalanceStudy:
    """Two overlapping blobs, the larger ``imbalance`` times the smaller, trained three ways,
    for each of ``seeds`` seeds (seed k draws the data and the model's start).

    The baseline predicts seed 0's training class shares and is scored on its validation set.
    """
    n_seeds = int(check_number(seeds, "seeds", low=1, high=50))
    # A safety net per run, not a share: a run cut by a busy machine changes the figures.
    budget = MAX_SECONDS / len(schemes)
    drawn = [_imbalance_seed(imbalance, k, n_samples=n_samples, noise=noise, epochs=epochs,
                             gamma=gamma, schemes=schemes, budget=budget) for k in range(n_seeds)]
    data, runs = drawn[0]
    return ImbalanceStudy(
        data=data, baseline=base_rate_baseline(data.y_train, data.y_val, n_classes=2), runs=runs,
        seeds=_by_seed([r for _, r in drawn]),
        class_weights=tuple(balanced_class_weights(d.y_train, d.n_classes) for d, _ in drawn))


@dataclass(frozen=True)
class NoiseStudy:
    data: Dataset
    train_losses: np.ndarray   # per training point, of seed 0's plain model, nats
    runs: dict[str, RunResult]   # seed 0
    seeds: dict[str, tuple[RunResult, ...]]

    def loss_spread(self, name: str) -> Spread:
        """Validation cross-entropy (nats, clean labels) of recipe ``name``, per seed."""
        return spread([run.val_loss for run in self.seeds[name]])


NOISE_SPEC = ModelSpec(hidden_layers=(32, 32), learning_rate=0.01, batch_size=64)


def _noise_seed(flip: float, seed: int, *, n_samples: int, noise: float, epochs: int,
                epsilon: float, power: float, more_data: int, budget: float):
    data = make_dataset("moons", n_samples=n_samples, noise=noise, flip=flip, seed=seed)
    spec = replace(NOISE_SPEC, seed=seed)
    runs = {s: train_weighted(data, spec, s, epochs=epochs, epsilon=epsilon, power=power,
                              max_seconds=budget)
            for s in ("plain", "label smoothing", "down-weighted")}
    bigger = make_dataset("moons", n_samples=n_samples * more_data, noise=noise, flip=flip, seed=seed)
    runs["more data"] = train_weighted(bigger, spec, "plain", epochs=epochs, max_seconds=budget)
    return data, runs


def noise_study(flip: float, *, n_samples: int = 200, noise: float = 0.2, epochs: int = 30,
                epsilon: float = 0.1, power: float = 0.7, seeds: int = SEEDS,
                more_data: int = 3) -> NoiseStudy:
    """Moons with a share ``flip`` of training labels flipped; plain training and remedies,
    for each of ``seeds`` seeds.

    "more data" trains as long on ``more_data`` times as many points with the same share of
    flips, and is scored on its own clean validation set.
    """
    n_seeds = int(check_number(seeds, "seeds", low=1, high=50))
    budget = MAX_SECONDS / 4          # per run, as in imbalance_study
    drawn = [_noise_seed(flip, k, n_samples=n_samples, noise=noise, epochs=epochs,
                         epsilon=epsilon, power=power, more_data=more_data, budget=budget)
             for k in range(n_seeds)]
    data, runs = drawn[0]
    return NoiseStudy(data=data, runs=runs, train_losses=runs["plain"].train_losses,
                      seeds=_by_seed([r for _, r in drawn]))


@dataclass(frozen=True)
class CalibrationStudy:
    data: Dataset
    runs: dict[str, RunResult]   # "plain" and "label smoothing"


CALIBRATION_SPEC = ModelSpec(hidden_layers=(32, 32), learning_rate=0.01, batch_size=32)


def calibration_study(epsilon: float = 0.1, *, n_samples: int = 200, noise: float = 0.35,
                      epochs: int = 60, seed: int = 0) -> CalibrationStudy:
    """A large net trained long on noisy moons (it grows overconfident), with and without smoothing."""
    data = make_dataset("moons", n_samples=n_samples, noise=noise, seed=seed)
    spec = replace(CALIBRATION_SPEC, seed=seed)
    budget = MAX_SECONDS / 2
    runs = {"plain": train_weighted(data, spec, "plain", epochs=epochs, max_seconds=budget)}
    if epsilon > 0:
        runs["label smoothing"] = train_weighted(data, spec, "label smoothing", epochs=epochs,
                                                 epsilon=epsilon, max_seconds=budget)
    return CalibrationStudy(data=data, runs=runs)


OVERFIT_SPEC = ModelSpec(hidden_layers=(64, 64), learning_rate=0.01, batch_size=64)


def overfitting_study(alpha: float, *, n_samples: int = 80, noise: float = 0.35, flip: float = 0.1,
                      epochs: int = 120, seed: int = 0) -> RunResult:
    """A large net on a small, noisy training set: watch validation loss turn upwards."""
    data = make_dataset("moons", n_samples=n_samples, noise=noise, flip=flip, val_fraction=0.5,
                        seed=seed)
    spec = replace(OVERFIT_SPEC, alpha=alpha, seed=seed)
    return train_weighted(data, spec, "plain", epochs=epochs)
