"""Train scikit-learn classifiers one epoch at a time and record the cross-entropy.

A :class:`Trainer` owns one model and its :class:`History`. Each call to
:meth:`Trainer.step` runs one ``partial_fit`` pass over the training set, then
measures the mean cross-entropy of ``predict_proba`` on the training and
validation sets with :func:`ce_core.categorical_cross_entropy` (the numbers
``sklearn.metrics.log_loss`` gives). Guard rails stop a run after a fixed
number of epochs or seconds, or as soon as it diverges.

The second half of the module is gradient descent done by hand on 1-D logistic
regression, small enough to draw the whole loss surface over (w, b).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Iterator, Protocol, runtime_checkable

import numpy as np
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.neural_network import MLPClassifier

from .datasets import Dataset
from .activations import sigmoid
from .losses import categorical_cross_entropy, sigmoid_cross_entropy, softmax_cross_entropy_grad
from .validation import InputError, as_class_labels, as_float_array, check_number

#: Hard caps for any run, whatever the caller asks for.
MAX_EPOCHS = 1000
MAX_SECONDS = 120.0
#: A training set smaller than this cannot say anything about generalisation.
MIN_TRAIN_POINTS = 10
#: The learning rate of the twin that measures epoch 0 (see Trainer._start_record).
_NO_STEP = 1e-300
#: Speeds a page offers for a run; at 1x it shows NORMAL_EPOCHS_PER_SECOND epochs a second,
#: slow enough to narrate (4x is 40 a second, 150 epochs in under four seconds).
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0)
NORMAL_EPOCHS_PER_SECOND = 10.0
#: A run "explodes" when its training loss exceeds this many times ln K, the
#: loss of a model that shrugs and predicts 1/K for every class.
EXPLODE_FACTOR = 10.0

MODELS = ("logistic", "mlp")
ACTIVATIONS = ("relu", "tanh", "logistic")
SOLVERS = ("adam", "sgd")


@dataclass(frozen=True)
class ModelSpec:
    """What to train: the model and its hyper-parameters.

    ``kind="logistic"`` is ``SGDClassifier(loss="log_loss")``: plain per-sample
    SGD with a constant step ``learning_rate`` (it ignores the hidden layers,
    activation, solver and batch size; with more than two classes it fits one
    logistic model per class and normalises them). ``kind="mlp"`` is an
    ``MLPClassifier`` with softmax output trained by ``solver`` in mini-batches.
    ``alpha`` is the L2 strength in both.
    """

    kind: str = "mlp"
    hidden_layers: tuple[int, ...] = (16, 16)
    activation: str = "relu"
    solver: str = "adam"
    learning_rate: float = 0.01
    batch_size: int = 32
    alpha: float = 1e-4
    seed: int = 0

    def validated(self) -> "ModelSpec":
        """Raise InputError for a setting scikit-learn would reject or that cannot train."""
        for value, name, allowed in ((self.kind, "kind", MODELS),
                                     (self.activation, "activation", ACTIVATIONS),
                                     (self.solver, "solver", SOLVERS)):
            if value not in allowed:
                raise InputError(f"{name}={value!r} is not one of {', '.join(allowed)}. Choose one of those.")
        layers = tuple(int(u) for u in self.hidden_layers)
        if not 1 <= len(layers) <= 3 or not all(2 <= u <= 64 for u in layers):
            raise InputError(
                f"hidden_layers={self.hidden_layers!r}: give 1 to 3 hidden layers of 2 to 64 "
                "units each, e.g. (16, 16)."
            )
        check_number(self.learning_rate, "learning_rate", low=0.0, high=1000.0, low_open=True)
        check_number(self.batch_size, "batch_size", low=1, high=100_000)
        check_number(self.alpha, "alpha", low=0.0, high=100.0)
        return self


@dataclass(frozen=True)
class EpochRecord:
    """What one epoch did. Losses are mean cross-entropies in nats.

    ``l2_penalty`` is the L2 term scikit-learn adds to the objective it
    minimises (and, for the MLP, to ``loss_``); ``train_loss`` and ``val_loss``
    never include it: they are the cross-entropy of ``predict_proba`` alone.
    ``sklearn_loss`` is ``MLPClassifier.loss_`` (the mini-batch losses of the
    epoch averaged as they went by, penalty included), None for logistic.
    """

    epoch: int
    train_loss: float
    val_loss: float
    l2_penalty: float
    train_accuracy: float
    val_accuracy: float
    weight_norm: float
    seconds: float
    sklearn_loss: float | None = None


@dataclass
class History:
    """Epoch records in order, with the columns a chart needs.

    ``records`` are the trained epochs 1, 2, ...; ``start`` is epoch 0, the model
    before any update (None when unknown). Columns, ``best`` and ``len`` count the
    trained epochs only; :attr:`timeline` is what a loss chart draws, epoch 0 first.
    """

    records: list[EpochRecord] = field(default_factory=list)
    start: EpochRecord | None = None

    def __len__(self) -> int:
        return len(self.records)

    def column(self, name: str) -> np.ndarray:
        return np.array([getattr(r, name) for r in self.records], dtype=float)

    @property
    def epochs(self) -> np.ndarray:
        return self.column("epoch").astype(int)

    @property
    def train_loss(self) -> np.ndarray:
        return self.column("train_loss")

    @property
    def val_loss(self) -> np.ndarray:
        return self.column("val_loss")

    @property
    def best(self) -> EpochRecord | None:
        """The record with the lowest validation loss (the first, on ties)."""
        return min(self.records, key=lambda r: r.val_loss) if self.records else None

    @property
    def last(self) -> EpochRecord | None:
        return self.records[-1] if self.records else None

    @property
    def timeline(self) -> list[EpochRecord]:
        """Epoch 0 (when known), then every trained epoch."""
        return ([self.start] if self.start is not None else []) + self.records


def chance_loss(n_classes: int) -> float:
    r"""The cross-entropy of guessing :math:`1/K` for every class: :math:`\ln K` nats.

    A model that has learned nothing scores this on any labels, so a loss curve
    above it is worse than a shrug.

    Examples
    --------
    >>> round(chance_loss(2), 4), round(chance_loss(10), 4)
    (0.6931, 2.3026)
    """
    k = int(check_number(n_classes, "n_classes", low=1, high=1_000_000))
    return math.log(k)


def check_training_set(data: Dataset) -> None:
    """Refuse data a classifier cannot learn from, saying how to fix it."""
    X = as_float_array(data.X_train, "X_train", ndim=(2,))
    as_float_array(data.X_val, "X_val", ndim=(2,))
    y = as_class_labels(data.y_train, "y_train", data.n_classes)
    as_class_labels(data.y_val, "y_val", data.n_classes)
    if len(y) != len(X) or len(data.y_val) != len(data.X_val):
        raise InputError("X_train/y_train or X_val/y_val differ in length. Give one label per point.")
    if len(y) < MIN_TRAIN_POINTS:
        raise InputError(
            f"The training set has {len(y)} points; training needs at least {MIN_TRAIN_POINTS}. "
            "Raise the number of points or lower the validation share."
        )
    present = np.unique(y)
    if len(present) < 2:
        raise InputError(
            f"Every training point has class {int(present[0])}, so there is nothing to tell "
            "apart: a classifier needs at least 2 classes in its training set. Lower the "
            "imbalance ratio, raise the number of points, or use another data set."
        )


def build_model(spec: ModelSpec, n_train: int):
    """A fresh, unfitted scikit-learn classifier for ``spec``."""
    if spec.kind == "logistic":
        return SGDClassifier(loss="log_loss", alpha=spec.alpha, learning_rate="constant",
                             eta0=spec.learning_rate, random_state=spec.seed)
    return MLPClassifier(
        hidden_layer_sizes=tuple(int(u) for u in spec.hidden_layers),
        activation=spec.activation, solver=spec.solver, alpha=spec.alpha,
        learning_rate_init=spec.learning_rate,
        batch_size=min(int(spec.batch_size), n_train),  # larger would only warn and clip
        random_state=spec.seed,
    )


def model_weights(model) -> list[np.ndarray]:
    """The weight matrices the L2 penalty acts on (intercepts are not penalised)."""
    return list(model.coefs_) if hasattr(model, "coefs_") else [model.coef_]


def l2_penalty(model, n_train: int) -> float:
    r"""The L2 term scikit-learn adds to the objective of ``model``, at its current weights.

    ``SGDClassifier`` minimises :math:`\bar\ell + \tfrac{\alpha}{2}\lVert W\rVert^2`.
    ``MLPClassifier`` adds :math:`\tfrac{\alpha}{2}\lVert W\rVert^2 / b` to every
    mini-batch of size b, and ``loss_`` averages the batches weighted by size, so
    one epoch carries :math:`(\text{number of batches})\cdot\tfrac{\alpha}{2}\lVert W\rVert^2 / n`.
    """
    squared = sum(float(np.dot(w.ravel(), w.ravel())) for w in model_weights(model))
    half_alpha = 0.5 * model.alpha
    if isinstance(model, SGDClassifier):
        return half_alpha * squared
    n_batches = math.ceil(n_train / model.batch_size)
    return half_alpha * squared * n_batches / n_train


class Diverged(RuntimeError):
    """A model's numbers stopped being numbers: NaN or infinite weights or probabilities.

    Not an :class:`InputError`: the input was fine, the run went wrong. A :class:`Trainer`
    turns it into ``stop_kind == "diverged"``; code that predicts with a diverged model
    (:func:`predict_probabilities`, :func:`pointwise_losses`) raises it."""


def predict_probabilities(model, X: np.ndarray) -> np.ndarray:
    """``predict_proba`` with NumPy's warnings silenced; raises Diverged on NaN or inf."""
    with np.errstate(all="ignore"):  # overflow after divergence is expected, not a bug
        probs = model.predict_proba(X)
    if not np.isfinite(probs).all():
        raise Diverged("the predicted probabilities became NaN or infinite")
    return probs


@runtime_checkable
class TrainingRun(Protocol):
    """What a page draws while a model learns: a :class:`Trainer` training live, or a
    :class:`~ce_core.replay.Replay` playing back a run recorded earlier.

    Both grow a :class:`History` one epoch at a time and stop with a ``stop_kind``
    (``"max_epochs"``, ``"time"`` or ``"diverged"``) and a ``stop_reason`` to show;
    ``model`` predicts as the model did at the current epoch. A page moves a run on with
    :meth:`tick` once per redraw and calls :meth:`pause` when the user pauses, without
    asking which of the two it holds.
    """

    data: Dataset
    spec: ModelSpec
    max_epochs: int
    history: History

    @property
    def epoch(self) -> int: ...            # epochs shown so far

    @property
    def done(self) -> bool: ...            # a guard rail stopped the run: it moves no more

    @property
    def stop_kind(self) -> str | None: ...

    @property
    def stop_reason(self) -> str: ...

    @property
    def seconds(self) -> float: ...        # training time spent up to this epoch

    @property
    def model(self): ...

    @property
    def replayed(self) -> bool: ...        # True when the epochs come from a recording

    def advance(self, epochs: int = 1, *, seconds: float | None = None) -> list[EpochRecord]:
        """Move on up to ``epochs`` epochs; return their records."""

    def tick(self, now: float) -> list[EpochRecord]:
        """Move on by one redraw's worth at clock time ``now``; return the new records."""

    def pause(self) -> None:
        """The user paused: the next :meth:`tick` carries on from the current epoch."""

    def set_speed(self, speed: float) -> None:
        """Show ``speed`` x NORMAL_EPOCHS_PER_SECOND epochs a second from now on."""


class Pace:
    """How many epochs are due at clock time ``now`` for a run shown at ``per_second``.

    Paced by the clock, not by ticks: on a busy server ticks come late, and a run that
    moved a fixed number of epochs a tick would crawl. Every tick moves at least one.

    Examples
    --------
    >>> pace = Pace(10.0)
    >>> pace.due(100.0, epoch=0), pace.due(100.5, epoch=1), pace.due(100.5, epoch=5)
    (1, 4, 1)
    >>> pace.restart(); pace.due(500.0, epoch=5)
    1
    """

    def __init__(self, per_second: float):
        self.per_second = check_number(per_second, "epochs per second", low=0.0, low_open=True,
                                       high=1e6)
        self._epoch_zero_at: float | None = None   # clock time at which epoch 0 would have been

    def due(self, now: float, *, epoch: int) -> int:
        if self._epoch_zero_at is None:
            self._epoch_zero_at = now - epoch / self.per_second
        # (+1e-9: 2.3 s x 10/s must be 23 epochs, not 22.999...)
        return max(int((now - self._epoch_zero_at) * self.per_second + 1e-9) - epoch, 1)

    def restart(self) -> None:
        """The clock starts again from the current epoch (after a pause or a new speed)."""
        self._epoch_zero_at = None


def speed_pace(speed: float, current: Pace | None = None) -> Pace:
    """The pace of ``speed`` (one of :data:`SPEEDS`, or any speed up to the fastest);
    ``current`` itself when it already goes at that speed (its clock keeps running)."""
    factor = check_number(speed, "speed", low=0.0, low_open=True, high=max(SPEEDS))
    if current is not None and current.per_second == NORMAL_EPOCHS_PER_SECOND * factor:
        return current
    return Pace(NORMAL_EPOCHS_PER_SECOND * factor)


class Trainer:
    """One model trained epoch by epoch on one data set, with guard rails.

    Keep a Trainer per user (e.g. in ``st.session_state``), never in a shared
    cache: ``partial_fit`` changes the model in place.

    Examples
    --------
    >>> from ce_core.datasets import make_dataset
    >>> trainer = Trainer(make_dataset("blobs", n_samples=200, n_classes=2), ModelSpec(kind="logistic"),
    ...                   max_epochs=5)
    >>> [record.epoch for record in trainer.epochs()]
    [1, 2, 3, 4, 5]
    >>> trainer.done, trainer.stop_kind
    (True, 'max_epochs')
    """

    #: One :meth:`tick` trains at most this many epochs (40 a second at four ticks a second)...
    EPOCHS_PER_TICK = 10
    #: ...or stops after this many seconds, so a slow model still lets the page redraw on time.
    TICK_BUDGET = 0.12
    #: A Trainer computes every epoch it shows (see :class:`TrainingRun`).
    replayed = False

    def __init__(self, data: Dataset, spec: ModelSpec, *, max_epochs: int = 200,
                 max_seconds: float = 30.0, sample_weight=None):
        check_training_set(data)
        # None (every point counts once), an array of one weight per training point, or
        # a callable weights(trainer) -> array asked before every epoch (for weights that
        # follow the model's current predictions, as focal-style weighting does).
        self.sample_weight = sample_weight
        self.data = data
        self.spec = spec.validated()
        self.max_epochs = int(check_number(max_epochs, "max_epochs", low=1, high=MAX_EPOCHS))
        self.max_seconds = check_number(max_seconds, "max_seconds", low=0.0, high=MAX_SECONDS,
                                        low_open=True)
        self.n_train = len(data.y_train)
        self.model = build_model(self.spec, self.n_train)
        self.classes = np.arange(data.n_classes)
        # One predict_proba over train and validation together is cheaper than two.
        self._X_all = np.vstack([data.X_train, data.X_val])
        self.history = History()
        self.seconds = 0.0
        self.stop_kind: str | None = None  # "max_epochs", "time" or "diverged"
        self.stop_reason = ""
        self._explode_at = EXPLODE_FACTOR * math.log(data.n_classes)
        self.history.start = self._start_record()
        self.pace = speed_pace(max(SPEEDS))

    @property
    def done(self) -> bool:
        return self.stop_kind is not None

    @property
    def epoch(self) -> int:
        return len(self.history)

    def _stop(self, kind: str, reason: str) -> None:
        self.stop_kind, self.stop_reason = kind, reason

    def step(self) -> EpochRecord | None:
        """Train one more epoch and record it; None once the run has stopped."""
        if self.done:
            return None
        start = time.perf_counter()
        try:
            record = self._one_epoch(start)
        except Diverged as why:
            record = None
            self._stop("diverged", (
                f"Training diverged at epoch {self.epoch + 1}: {why}. The steps were too large "
                f"for this model: lower the learning rate (now {self.spec.learning_rate:g}) and "
                "press Reset."
            ))
        self.seconds += time.perf_counter() - start
        if record is not None:
            self.history.records.append(record)
            if record.train_loss > self._explode_at:
                self._stop("diverged", (
                    f"Training diverged at epoch {record.epoch}: the training loss "
                    f"{record.train_loss:.3g} nats is over {EXPLODE_FACTOR:g}× that of guessing "
                    f"1/{self.data.n_classes} for every class. Lower the learning rate (now "
                    f"{self.spec.learning_rate:g}) and press Reset."
                ))
        if not self.done and self.epoch >= self.max_epochs:
            self._stop("max_epochs", f"Finished the {self.max_epochs} epochs of this run.")
        elif not self.done and self.seconds >= self.max_seconds:
            self._stop("time", (
                f"Stopped after {self.seconds:.1f} s of training (the limit per run is "
                f"{self.max_seconds:g} s). Use fewer points or a smaller model for longer runs."
            ))
        return record

    def _fit_once(self, model, sample_weight) -> None:
        """One ``partial_fit`` pass over the training set, scikit-learn's refusals translated."""
        data = self.data
        with np.errstate(all="ignore"):
            try:
                model.partial_fit(data.X_train, data.y_train, classes=self.classes,
                                  sample_weight=sample_weight)
            except ValueError as err:  # scikit-learn's own divergence checks
                text = str(err)
                if "non-finite" in text or "overflow" in text or "NaN" in text:
                    raise Diverged("the weights became NaN or infinite") from None
                raise InputError(f"scikit-learn refused to train: {text}") from None

    def _record(self, model, epoch: int, seconds: float, sklearn_loss: float | None) -> EpochRecord:
        """The losses, penalty and accuracies of ``model`` on this run's data."""
        data = self.data
        probs = predict_probabilities(model, self._X_all)
        n = self.n_train
        train_p, val_p = probs[:n], probs[n:]
        penalty = l2_penalty(model, n)
        norm = math.sqrt(sum(float(np.dot(w.ravel(), w.ravel())) for w in model_weights(model)))
        if not math.isfinite(penalty):
            raise Diverged("the weights became too large to square")
        return EpochRecord(
            epoch=epoch,
            train_loss=categorical_cross_entropy(data.y_train, train_p),
            val_loss=categorical_cross_entropy(data.y_val, val_p),
            l2_penalty=penalty,
            train_accuracy=float(np.mean(train_p.argmax(axis=1) == data.y_train)),
            val_accuracy=float(np.mean(val_p.argmax(axis=1) == data.y_val)),
            weight_norm=norm, seconds=seconds, sklearn_loss=sklearn_loss)

    def _start_record(self) -> EpochRecord:
        """Epoch 0: the model as its first ``partial_fit`` finds it, before any update.

        scikit-learn sets up the weights inside that first call (zeros for SGDClassifier,
        Glorot-uniform draws from ``random_state`` for the MLP), so a twin built with the
        same seed and a learning rate of 1e-300 makes one pass: its steps are far too
        small to change any weight (w − 1e-300·g rounds back to w), and it predicts as
        the real model does before training. The real model is left untouched.
        """
        twin = build_model(replace(self.spec, learning_rate=_NO_STEP), self.n_train)
        self._fit_once(twin, None)
        return self._record(twin, 0, 0.0, None)

    def _one_epoch(self, start: float) -> EpochRecord:
        self._fit_once(self.model, self._epoch_weights())
        return self._record(self.model, self.epoch + 1,
                            self.seconds + (time.perf_counter() - start),
                            float(self.model.loss_) if hasattr(self.model, "loss_") else None)

    def _epoch_weights(self) -> np.ndarray | None:
        weights = self.sample_weight
        if callable(weights):
            weights = weights(self)
        if weights is None:
            return None
        w = as_float_array(weights, "sample_weight", ndim=(1,))
        if len(w) != self.n_train or (w < 0).any():
            raise InputError(f"sample_weight needs {self.n_train} weights of 0 or more, one per "
                             "training point.")
        return w

    def advance(self, epochs: int = 1, *, seconds: float | None = None) -> list[EpochRecord]:
        """Run up to ``epochs`` epochs, or fewer if ``seconds`` of wall time run out first."""
        start = time.perf_counter()
        new = []
        for _ in range(int(epochs)):
            record = self.step()
            if record is not None:
                new.append(record)
            if self.done or (seconds is not None and time.perf_counter() - start >= seconds):
                break
        return new

    def tick(self, now: float) -> list[EpochRecord]:
        """One redraw's worth of training: the epochs due at clock time ``now`` by
        :attr:`pace` (see :meth:`set_speed`), at most :attr:`EPOCHS_PER_TICK` of them and
        within :attr:`TICK_BUDGET` seconds.

        Examples
        --------
        >>> from ce_core.datasets import make_dataset
        >>> trainer = Trainer(make_dataset("blobs", n_samples=200, n_classes=2),
        ...                   ModelSpec(kind="logistic"), max_epochs=15)
        >>> 1 <= len(trainer.tick(0.0)) <= Trainer.EPOCHS_PER_TICK
        True
        >>> while not trainer.done:
        ...     _ = trainer.tick(0.0)
        >>> trainer.epoch, trainer.stop_kind
        (15, 'max_epochs')
        """
        due = min(self.pace.due(now, epoch=self.epoch), self.EPOCHS_PER_TICK)
        return self.advance(due, seconds=self.TICK_BUDGET)

    def pause(self) -> None:
        """A Trainer trains only when asked to; its clock starts again on the next tick."""
        self.pace.restart()

    def set_speed(self, speed: float) -> None:
        """Train ``speed`` x NORMAL_EPOCHS_PER_SECOND epochs a second (as fast as it can
        when that is more than it trains); the default is the fastest speed."""
        self.pace = speed_pace(speed, self.pace)

    def epochs(self) -> Iterator[EpochRecord]:
        """Yield one record per epoch until a guard rail stops the run."""
        while not self.done:
            record = self.step()
            if record is not None:
                yield record


def train(data: Dataset, spec: ModelSpec, *, max_epochs: int = 200,
          max_seconds: float = 30.0) -> Iterator[EpochRecord]:
    """Yield one :class:`EpochRecord` per epoch of a fresh model (see :class:`Trainer`).

    Examples
    --------
    >>> from ce_core.datasets import make_dataset
    >>> data = make_dataset("moons", n_samples=200, noise=0.1)
    >>> losses = [r.train_loss for r in train(data, ModelSpec(), max_epochs=30)]
    >>> len(losses), losses[-1] < losses[0]
    (30, True)
    """
    yield from Trainer(data, spec, max_epochs=max_epochs, max_seconds=max_seconds).epochs()


# ----------------------------------------------------------------------------- what a page draws

@dataclass(frozen=True)
class Surface:
    """Predicted probabilities on a grid: ``probs[i, j, k]`` = P(class k) at (xs[j], ys[i])."""

    xs: np.ndarray
    ys: np.ndarray
    probs: np.ndarray


def decision_surface_grid(model, X, *, resolution: int = 60, margin: float = 0.4) -> Surface:
    """Evaluate ``predict_proba`` over a grid covering the 2-D points ``X``.

    Grid points where the model's output is not finite (a diverged model) get NaN,
    which a heatmap leaves blank.

    Examples
    --------
    >>> from ce_core.datasets import make_dataset
    >>> trainer = Trainer(make_dataset("moons"), ModelSpec(), max_epochs=2)
    >>> _ = trainer.advance(2)
    >>> decision_surface_grid(trainer.model, trainer.data.X_train, resolution=20).probs.shape
    (20, 20, 2)
    """
    pts = as_float_array(X, "X", ndim=(2,))
    low, high = pts.min(axis=0) - margin, pts.max(axis=0) + margin
    xs = np.linspace(low[0], high[0], resolution)
    ys = np.linspace(low[1], high[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    with np.errstate(all="ignore"):
        probs = model.predict_proba(np.column_stack([gx.ravel(), gy.ravel()]))
    probs = np.where(np.isfinite(probs), probs, np.nan)
    return Surface(xs=xs, ys=ys, probs=probs.reshape(resolution, resolution, -1))


def pointwise_losses(model, X, y) -> tuple[np.ndarray, np.ndarray]:
    """Each point's own cross-entropy −ln q(true class), and the probabilities behind it."""
    probs = predict_probabilities(model, np.asarray(X, dtype=float))
    return categorical_cross_entropy(y, probs, reduction="none"), probs


def most_penalised(model, X, y, *, count: int = 5, unit: str = "nats") -> list[dict]:
    """The ``count`` points with the largest cross-entropy, worst first, as table rows.

    Examples
    --------
    >>> from ce_core.datasets import make_dataset
    >>> data = make_dataset("moons", flip=0.2)
    >>> trainer = Trainer(data, ModelSpec(), max_epochs=20)
    >>> _ = trainer.advance(20)
    >>> rows = most_penalised(trainer.model, data.X_train, data.y_train, count=3)
    >>> list(rows[0])
    ['point', 'true class', 'P(true class)', 'predicted class', 'loss (nats)']
    >>> rows[0]["loss (nats)"] >= rows[1]["loss (nats)"] >= rows[2]["loss (nats)"]
    True
    """
    from .information import to_unit

    losses, probs = pointwise_losses(model, X, y)
    labels = np.asarray(y)
    worst = np.argsort(-losses, kind="stable")[:count]
    return [{
        "point": int(i),
        "true class": int(labels[i]),
        "P(true class)": round(float(probs[i, labels[i]]), 4),
        "predicted class": int(probs[i].argmax()),
        f"loss ({unit})": round(float(to_unit(losses[i], unit)), 4),
    } for i in worst]


# ----------------------------------------------------------------------------- gradient descent by hand

def make_1d_data(n: int = 60, *, separation: float = 1.5, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two overlapping classes on a line: x ~ N(±separation/2, 1), labels 0 and 1.

    The classes overlap, so the best (w, b) is finite and unique.

    Examples
    --------
    >>> x, y = make_1d_data(10)
    >>> x.shape, sorted(set(y.tolist()))
    ((10,), [0, 1])
    """
    count = int(check_number(n, "n", low=4, high=10_000))
    gap = check_number(separation, "separation", low=0.0, high=6.0)
    rng = np.random.default_rng(seed)
    y = np.arange(count) % 2
    x = rng.normal(0.0, 1.0, count) + np.where(y == 1, gap / 2, -gap / 2)
    return x, y


def logistic_1d_loss(x, y, w: float, b: float) -> float:
    r"""Mean binary cross-entropy of :math:`p_i = \sigma(w x_i + b)`.

    Examples
    --------
    With w = b = 0 every p is 1/2, so the loss is ln 2 whatever the data:

    >>> round(logistic_1d_loss([1.0, -2.0], [1, 0], 0.0, 0.0), 4)
    0.6931
    """
    xs = as_float_array(x, "x")
    return sigmoid_cross_entropy(np.asarray(y, dtype=float), w * xs + b)


def logistic_1d_grad(x, y, w: float, b: float) -> np.ndarray:
    r"""Gradient :math:`(\partial L/\partial w, \partial L/\partial b)` of the mean loss.

    A sigmoid on z is a softmax over the two logits (0, z), so the gradient with
    respect to z is column 1 of :func:`softmax_cross_entropy_grad`,
    :math:`(\sigma(z_i) - y_i)/n`; the chain rule through :math:`z_i = w x_i + b`
    multiplies it by :math:`x_i` for w and by 1 for b:

    .. math:: \frac{\partial L}{\partial w} = \frac1n\sum_i (\sigma(z_i) - y_i)\,x_i, \qquad
              \frac{\partial L}{\partial b} = \frac1n\sum_i (\sigma(z_i) - y_i)

    Examples
    --------
    At w = b = 0, p = 1/2: a positive at x = 2 pulls w up by (1/2)·2/1.

    >>> logistic_1d_grad([2.0], [1], 0.0, 0.0)
    array([-1. , -0.5])
    """
    xs = as_float_array(x, "x")
    z = w * xs + b
    dz = softmax_cross_entropy_grad(y, np.column_stack([np.zeros_like(z), z]))[:, 1]
    return np.array([float(dz @ xs), float(dz.sum())])


def logistic_1d_surface(x, y, ws, bs) -> np.ndarray:
    """The mean loss at every (w, b) of a grid: ``out[i, j]`` is at ``(ws[j], bs[i])``."""
    xs = as_float_array(x, "x")
    labels = np.asarray(y, dtype=float)
    w_grid = as_float_array(ws, "ws")
    b_grid = as_float_array(bs, "bs")
    z = w_grid[None, :, None] * xs + b_grid[:, None, None]  # (len(bs), len(ws), n)
    targets = np.broadcast_to(labels, z.shape).reshape(-1, len(xs))
    per_point = sigmoid_cross_entropy(targets, z.reshape(-1, len(xs)), reduction="none")
    return per_point.mean(axis=1).reshape(len(b_grid), len(w_grid))


def logistic_1d_hessian(x, y, w: float, b: float) -> np.ndarray:
    r"""The 2 × 2 matrix of second derivatives of the mean loss over (w, b).

    .. math:: H = \frac1n\sum_i \sigma(z_i)\,(1 - \sigma(z_i))
              \begin{pmatrix} x_i^2 & x_i \\ x_i & 1 \end{pmatrix}

    It does not depend on the labels ``y`` (given for a uniform signature).

    Examples
    --------
    At w = b = 0 every σ(1 − σ) is 1/4:

    >>> logistic_1d_hessian([2.0], [1], 0.0, 0.0)
    array([[1.  , 0.5 ],
           [0.5 , 0.25]])
    """
    xs = as_float_array(x, "x")
    p = sigmoid(w * xs + b)
    features = np.column_stack([xs, np.ones_like(xs)])
    return (features * (p * (1.0 - p))[:, None]).T @ features / len(xs)


def stable_learning_rate(x, y, optimum: tuple[float, float]) -> float:
    r"""The largest step size with which gradient descent can settle at ``optimum``: :math:`2/\lambda_{\max}`.

    Near the bottom the bowl is almost a quadratic with curvature :math:`H`; a step
    :math:`\eta` multiplies the distance along its steepest direction by
    :math:`1 - \eta\lambda_{\max}`, which shrinks it only while :math:`\eta < 2/\lambda_{\max}`.
    Larger steps overshoot the bottom further each time and the loss goes up.

    Examples
    --------
    One point at x = 2 with w = b = 0: λ_max of [[1, 0.5], [0.5, 0.25]] is 1.25.

    >>> round(stable_learning_rate([2.0], [1], (0.0, 0.0)), 4)
    1.6
    """
    curvature = np.linalg.eigvalsh(logistic_1d_hessian(x, y, *optimum))
    return float(2.0 / curvature.max())


@dataclass(frozen=True)
class DescentPath:
    """Every (w, b) plain gradient descent visited, and the loss at each."""

    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray

    def distance_to(self, point: tuple[float, float]) -> float:
        """Euclidean distance from where the path ended to ``point`` in the (w, b) plane."""
        return float(np.hypot(self.w[-1] - point[0], self.b[-1] - point[1]))

    @property
    def rises(self) -> int:
        """Steps after which the loss was higher than before (a small enough step never
        raises it, so any rise means the steps overshoot).

        Examples
        --------
        >>> DescentPath(np.zeros(4), np.zeros(4), np.array([3.0, 1.0, 2.0, 0.5])).rises
        1
        """
        before, after = self.loss[:-1], self.loss[1:]
        # a rise smaller than rounding at the bottom of the bowl is not a rise
        return int(np.sum(after > before + 1e-12 * np.maximum(1.0, np.abs(before))))

    @property
    def diverged(self) -> bool:
        """True when the loss went up on some step: the walk does not settle."""
        return self.rises > 0


def surface_around(x, y, path: DescentPath, optimum: tuple[float, float], *,
                   resolution: int = 80, pad: float = 1.0, limit: float = 20.0):
    """A loss grid ``(ws, bs, loss)`` framing the whole path and the optimum.

    Examples
    --------
    >>> x, y = make_1d_data()
    >>> path = gradient_descent_1d(x, y, steps=5)
    >>> ws, bs, grid = surface_around(x, y, path, logistic_1d_optimum(x, y), resolution=10)
    >>> grid.shape
    (10, 10)
    """
    w_all = np.clip(np.append(path.w, optimum[0]), -limit, limit)
    b_all = np.clip(np.append(path.b, optimum[1]), -limit, limit)
    ws = np.linspace(w_all.min() - pad, w_all.max() + pad, resolution)
    bs = np.linspace(b_all.min() - pad, b_all.max() + pad, resolution)
    return ws, bs, logistic_1d_surface(x, y, ws, bs)


def gradient_descent_1d(x, y, *, learning_rate: float = 0.3, steps: int = 30,
                        start: tuple[float, float] = (-3.0, 3.0)) -> DescentPath:
    r"""Plain gradient descent on 1-D logistic regression: :math:`\theta \leftarrow \theta - \eta \nabla L`.

    Examples
    --------
    >>> x, y = make_1d_data()
    >>> path = gradient_descent_1d(x, y, steps=50)
    >>> len(path.w), bool(path.loss[-1] < path.loss[0]), path.diverged
    (51, True, False)
    >>> gradient_descent_1d(x, y, learning_rate=30, steps=50).diverged   # 2/λ_max ≈ 18.6 here
    True
    """
    lr = check_number(learning_rate, "learning_rate", low=0.0, high=100.0, low_open=True)
    n_steps = int(check_number(steps, "steps", low=0, high=100_000))
    theta = np.array([check_number(start[0], "start w", low=-1e6, high=1e6),
                      check_number(start[1], "start b", low=-1e6, high=1e6)])
    visited = [theta.copy()]
    for _ in range(n_steps):
        theta = theta - lr * logistic_1d_grad(x, y, *theta)
        visited.append(theta.copy())
    path = np.array(visited)
    losses = np.array([logistic_1d_loss(x, y, w, b) for w, b in path])
    return DescentPath(w=path[:, 0], b=path[:, 1], loss=losses)


def logistic_1d_optimum(x, y) -> tuple[float, float]:
    """The (w, b) scikit-learn's unpenalised ``LogisticRegression`` finds.

    ``C=np.inf`` is scikit-learn 1.8+'s spelling of ``penalty=None``.
    """
    xs = as_float_array(x, "x")
    model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(xs[:, None], y)
    return float(model.coef_[0, 0]), float(model.intercept_[0])
