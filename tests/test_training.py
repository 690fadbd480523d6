"""ce_core.training against independent references: sklearn.metrics.log_loss on the model's
own predict_proba at every epoch, scikit-learn's LogisticRegression optimum, finite
differences, and hand-computed values."""

import math

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss

from ce_core import InputError, ModelSpec, Trainer, make_dataset, train
from ce_core.datasets import Dataset
from ce_core.training import (
    Diverged,
    TrainingRun,
    decision_surface_grid,
    gradient_descent_1d,
    logistic_1d_grad,
    logistic_1d_loss,
    logistic_1d_optimum,
    logistic_1d_surface,
    make_1d_data,
    most_penalised,
    pointwise_losses,
    predict_probabilities,
)

SEPARABLE = dict(name="blobs", n_samples=200, noise=0.0, n_classes=2, seed=0)  # blobs 3 sd apart
MLP = ModelSpec(hidden_layers=(8,), learning_rate=0.01)
LOGISTIC = ModelSpec(kind="logistic", learning_rate=0.01)


@pytest.fixture(scope="module")
def separable():
    return make_dataset(**SEPARABLE)


@pytest.mark.parametrize("spec", [MLP, LOGISTIC], ids=["mlp", "logistic"])
def test_loss_decreases_on_separable_data(separable, spec):
    history = list(train(separable, spec, max_epochs=25))
    first, last = history[0], history[-1]
    assert last.train_loss < 0.5 * first.train_loss
    assert last.val_loss < 0.5 * first.val_loss
    assert last.val_accuracy == 1.0


@pytest.mark.parametrize("spec", [MLP, LOGISTIC], ids=["mlp", "logistic"])
def test_same_seed_same_history(separable, spec):
    runs = [[(r.train_loss, r.val_loss, r.l2_penalty) for r in train(separable, spec, max_epochs=8)]
            for _ in range(2)]
    assert runs[0] == runs[1]
    other = [r.train_loss for r in train(separable, ModelSpec(**{**spec.__dict__, "seed": 1}),
                                         max_epochs=8)]
    assert other != [t for t, _, _ in runs[0]]


@pytest.mark.parametrize("spec, data_kwargs", [
    (MLP, dict(name="moons", n_samples=120, flip=0.1)),
    (LOGISTIC, dict(name="moons", n_samples=120)),
    (MLP, dict(name="blobs", n_samples=150, n_classes=3, noise=0.5)),
    (LOGISTIC, dict(name="blobs", n_samples=150, n_classes=3, noise=0.5)),  # one-vs-rest, normalised
], ids=["mlp-2", "logistic-2", "mlp-3", "logistic-3"])
def test_history_equals_sklearn_log_loss_of_the_model_at_that_epoch(spec, data_kwargs):
    data = make_dataset(**data_kwargs)
    trainer = Trainer(data, spec, max_epochs=6)
    labels = list(range(data.n_classes))
    for _ in range(6):
        record = trainer.step()
        model = trainer.model
        assert record.train_loss == pytest.approx(
            log_loss(data.y_train, model.predict_proba(data.X_train), labels=labels), rel=1e-12)
        assert record.val_loss == pytest.approx(
            log_loss(data.y_val, model.predict_proba(data.X_val), labels=labels), rel=1e-12)
        assert record.val_accuracy == pytest.approx(accuracy_score(data.y_val, model.predict(data.X_val)))


def test_l2_penalty_is_what_mlp_loss_adds():
    """With one full batch, loss_ of epoch t+1 is computed at the weights epoch t ended with:
    the data loss there (log_loss) plus alpha/2 * sum of squared weights / n."""
    data = make_dataset("moons", n_samples=100, seed=2)
    n = len(data.y_train)
    trainer = Trainer(data, ModelSpec(hidden_layers=(6,), alpha=0.5, batch_size=n), max_epochs=5)
    trainer.advance(5)
    h = trainer.history.records
    for before, after in zip(h, h[1:]):
        # penalty written out by hand from the definition in MLPClassifier's docs
        assert after.sklearn_loss == pytest.approx(before.train_loss + before.l2_penalty, rel=1e-9)
    squares = sum((w ** 2).sum() for w in trainer.model.coefs_)
    assert h[-1].l2_penalty == pytest.approx(0.5 * 0.5 * squares / n)


def test_logistic_penalty_is_half_alpha_times_squared_weights(separable):
    trainer = Trainer(separable, ModelSpec(kind="logistic", alpha=0.01), max_epochs=3)
    trainer.advance(3)
    assert trainer.history.last.l2_penalty == pytest.approx(0.5 * 0.01 * (trainer.model.coef_ ** 2).sum())


@pytest.mark.parametrize("spec, why", [
    (ModelSpec(kind="logistic", learning_rate=1000.0), "over 10×"),                      # explodes
    (ModelSpec(hidden_layers=(64, 64, 64), solver="sgd", learning_rate=1000.0), "NaN"),  # overflows
])
def test_huge_learning_rate_stops_with_a_clear_reason(spec, why):
    data = make_dataset("moons", n_samples=300)
    trainer = Trainer(data, spec, max_epochs=50)
    records = list(trainer.epochs())  # RuntimeWarning is an error in this suite: none escapes
    assert trainer.stop_kind == "diverged"
    assert len(records) <= 1
    assert why in trainer.stop_reason and "learning rate" in trainer.stop_reason
    assert trainer.step() is None  # a stopped run stays stopped


def test_a_diverged_model_raises_diverged_which_is_not_an_input_error(separable):
    trainer = Trainer(separable, LOGISTIC, max_epochs=2)
    trainer.advance(2)
    trainer.model.coef_[:] = np.nan          # what a run that overflowed leaves behind
    for predict in (lambda: predict_probabilities(trainer.model, separable.X_val),
                    lambda: pointwise_losses(trainer.model, separable.X_val, separable.y_val)):
        with pytest.raises(Diverged, match="NaN or infinite") as raised:
            predict()
        assert isinstance(raised.value, RuntimeError) and not isinstance(raised.value, InputError)


def test_a_trainer_is_a_training_run_that_ticks_by_an_epoch_budget(separable):
    trainer = Trainer(separable, LOGISTIC, max_epochs=25)
    assert isinstance(trainer, TrainingRun) and not trainer.replayed
    ticks = []
    while not trainer.done:
        ticks.append(len(trainer.tick(now=0.0)))
        trainer.pause()                      # nothing to stop: the next tick trains on
    assert sum(ticks) == trainer.epoch == 25 and trainer.stop_kind == "max_epochs"
    assert all(1 <= n <= Trainer.EPOCHS_PER_TICK for n in ticks)
    slow = Trainer(separable, LOGISTIC, max_epochs=25)
    slow.TICK_BUDGET = 0.0                   # out of time after the first epoch of a tick
    assert len(slow.tick(now=0.0)) == 1


def _data(X, y, n_classes=2):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    return Dataset("hand", X, y, X[:4], y[:4], n_classes, np.zeros(len(y), dtype=bool))


def test_one_class_training_set_is_refused():
    X = np.random.default_rng(0).normal(size=(30, 2))
    with pytest.raises(InputError, match="Every training point has class 1.*at least 2 classes"):
        Trainer(_data(X, np.ones(30, dtype=int)), MLP)


def test_too_few_points_are_refused():
    with pytest.raises(InputError, match="has 4 points.*at least 10"):
        Trainer(_data(np.eye(4, 2), [0, 1, 0, 1]), MLP)


@pytest.mark.parametrize("spec, fragment", [
    (ModelSpec(kind="tree"), "kind='tree'"),
    (ModelSpec(hidden_layers=(128,)), "2 to 64"),
    (ModelSpec(hidden_layers=(4, 4, 4, 4)), "1 to 3"),
    (ModelSpec(learning_rate=0.0), "learning_rate"),
    (ModelSpec(alpha=-1.0), "alpha"),
])
def test_bad_model_settings_are_refused(separable, spec, fragment):
    with pytest.raises(InputError, match=fragment):
        Trainer(separable, spec)


def test_epoch_and_time_limits(separable):
    trainer = Trainer(separable, LOGISTIC, max_epochs=3)
    assert len(list(trainer.epochs())) == 3 and trainer.stop_kind == "max_epochs"
    trainer = Trainer(separable, LOGISTIC, max_epochs=100, max_seconds=1e-9)
    assert len(list(trainer.epochs())) == 1 and trainer.stop_kind == "time"
    with pytest.raises(InputError):
        Trainer(separable, LOGISTIC, max_epochs=10**6)


def test_best_is_the_lowest_validation_loss():
    data = make_dataset("moons", n_samples=120, flip=0.3, noise=0.3)
    trainer = Trainer(data, ModelSpec(hidden_layers=(32, 32), learning_rate=0.03), max_epochs=30)
    trainer.advance(30)
    val = trainer.history.val_loss
    assert trainer.history.best.epoch == int(np.argmin(val)) + 1


def test_surface_and_worst_points_match_hand_values(separable):
    trainer = Trainer(separable, MLP, max_epochs=3)
    trainer.advance(3)
    surface = decision_surface_grid(trainer.model, separable.X_train, resolution=15)
    assert surface.probs.shape == (15, 15, 2)
    np.testing.assert_allclose(surface.probs.sum(axis=-1), 1.0)
    rows = most_penalised(trainer.model, separable.X_train, separable.y_train, count=4, unit="bits")
    for row in rows:
        assert row["loss (bits)"] == pytest.approx(-math.log2(row["P(true class)"]), abs=1e-3)
    assert [r["loss (bits)"] for r in rows] == sorted((r["loss (bits)"] for r in rows), reverse=True)


# ----------------------------------------------------------------------------- gradient descent by hand

def test_1d_loss_equals_log_loss():
    x, y = make_1d_data(40, seed=4)
    assert logistic_1d_loss(x, y, 1.3, -0.4) == pytest.approx(log_loss(y, expit(1.3 * x - 0.4)),
                                                               rel=1e-12)


def test_1d_gradient_by_hand_and_by_finite_differences():
    # One point x = 2, y = 1 at w = b = 0: p = 1/2, so dL/dz = -1/2; dL/dw = -1, dL/db = -1/2.
    np.testing.assert_allclose(logistic_1d_grad([2.0], [1], 0.0, 0.0), [-1.0, -0.5])
    x, y = make_1d_data(30, seed=5)
    h = 1e-6
    for w, b in [(0.0, 0.0), (2.0, -1.0), (-3.0, 3.0)]:
        numeric = [(logistic_1d_loss(x, y, w + h, b) - logistic_1d_loss(x, y, w - h, b)) / (2 * h),
                   (logistic_1d_loss(x, y, w, b + h) - logistic_1d_loss(x, y, w, b - h)) / (2 * h)]
        np.testing.assert_allclose(logistic_1d_grad(x, y, w, b), numeric, atol=1e-7)


def test_gradient_descent_ends_at_logistic_regression_optimum():
    """The page's default path (η = 2, 200 steps from (−3, 3)) lands within 1e-4 of
    scikit-learn's unpenalised optimum, fitted here independently."""
    x, y = make_1d_data()
    path = gradient_descent_1d(x, y, learning_rate=2.0, steps=200, start=(-3.0, 3.0))
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    assert path.w[-1] == pytest.approx(reference.coef_[0, 0], abs=1e-4)
    assert path.b[-1] == pytest.approx(reference.intercept_[0], abs=1e-4)
    assert np.all(np.diff(path.loss) <= 1e-12)  # a small enough step never goes uphill
    assert logistic_1d_optimum(x, y) == pytest.approx((reference.coef_[0, 0], reference.intercept_[0]))


def test_loss_surface_matches_pointwise_loss():
    x, y = make_1d_data(20)
    ws, bs = np.array([-1.0, 0.5, 2.0]), np.array([-0.5, 1.0])
    grid = logistic_1d_surface(x, y, ws, bs)
    assert grid.shape == (2, 3)
    assert grid[1, 2] == pytest.approx(log_loss(y, expit(2.0 * x + 1.0)), rel=1e-12)


# ----------------------------------------------------------------------------- epoch 0 and chance

def _glorot_mlp_probs(X, n_classes, hidden, seed, activation="relu"):
    """The MLP as scikit-learn initialises it, written out by hand: each layer's weights
    then biases drawn U(±sqrt(6 / (fan_in + fan_out))) from RandomState(seed) (Glorot &
    Bengio 2010; scikit-learn's MLPClassifier._init_coef), then the forward pass."""
    rng = np.random.RandomState(seed)
    units = [X.shape[1], *hidden, 1 if n_classes == 2 else n_classes]
    a = X
    for i, (fan_in, fan_out) in enumerate(zip(units[:-1], units[1:])):
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        W = rng.uniform(-bound, bound, (fan_in, fan_out))
        b = rng.uniform(-bound, bound, fan_out)
        a = a @ W + b
        if i < len(units) - 2:
            a = np.maximum(a, 0.0) if activation == "relu" else np.tanh(a)
    if n_classes == 2:
        p1 = expit(a[:, 0])
        return np.column_stack([1 - p1, p1])
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("n_classes, activation", [(2, "relu"), (3, "tanh")])
def test_epoch_zero_is_the_mlp_as_initialised_before_any_update(n_classes, activation):
    data = make_dataset("blobs", n_samples=150, n_classes=n_classes, seed=4)
    spec = ModelSpec(hidden_layers=(8, 4), activation=activation, seed=7)
    trainer = Trainer(data, spec, max_epochs=3)
    start = trainer.history.start
    assert start.epoch == 0 and trainer.epoch == 0 and len(trainer.history) == 0
    probs = _glorot_mlp_probs(data.X_train, n_classes, (8, 4), 7, activation)
    assert start.train_loss == pytest.approx(log_loss(data.y_train, probs), rel=1e-10)
    val = _glorot_mlp_probs(data.X_val, n_classes, (8, 4), 7, activation)
    assert start.val_loss == pytest.approx(log_loss(data.y_val, val), rel=1e-10)
    # The twin leaves the real model alone: training from here is the training of before.
    trainer.advance(3)
    other = Trainer(data, spec, max_epochs=3)
    other.advance(3)
    assert [r.val_loss for r in trainer.history.records] == [r.val_loss for r in other.history.records]
    assert trainer.history.timeline[0] is start and [r.epoch for r in trainer.history.timeline] == [0, 1, 2, 3]
    assert trainer.history.best.epoch >= 1            # early stopping picks a trained epoch


def test_epoch_zero_of_logistic_is_guessing_one_over_k(separable):
    trainer = Trainer(make_dataset("blobs", n_classes=4), LOGISTIC, max_epochs=2)
    start = trainer.history.start
    assert start.train_loss == pytest.approx(math.log(4), rel=1e-12)     # −ln(1/4)
    assert start.weight_norm == 0.0 and start.l2_penalty == 0.0


@pytest.mark.parametrize("k", [2, 3, 10])
def test_chance_loss_is_log_loss_of_uniform_guesses(k):
    from ce_core.training import chance_loss

    y = np.arange(50) % k
    assert chance_loss(k) == pytest.approx(log_loss(y, np.full((50, k), 1 / k), labels=range(k)))


# ----------------------------------------------------------------------------- when gradient descent settles

def _central_hessian(x, y, w, b, h=1e-4):
    """Second derivatives of scikit-learn's log_loss by central differences."""
    def loss(t):
        return log_loss(y, expit(t[0] * x + t[1]), labels=[0, 1])
    t0, H = np.array([w, b]), np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * h, np.eye(2)[j] * h
            H[i, j] = (loss(t0 + ei + ej) - loss(t0 + ei - ej) - loss(t0 - ei + ej)
                       + loss(t0 - ei - ej)) / (4 * h * h)
    return H


def test_hessian_matches_finite_differences_of_log_loss():
    from ce_core.training import logistic_1d_hessian

    x, y = make_1d_data(separation=1.0)
    for w, b in [(0.0, 0.0), (1.3, -0.4), (-2.0, 1.5)]:
        np.testing.assert_allclose(logistic_1d_hessian(x, y, w, b), _central_hessian(x, y, w, b),
                                   rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("separation", [0.5, 1.5, 2.0])
def test_steps_below_two_over_lambda_max_settle_and_above_it_rise(separation):
    from ce_core.training import stable_learning_rate

    x, y = make_1d_data(separation=separation)
    optimum = logistic_1d_optimum(x, y)
    limit = stable_learning_rate(x, y, optimum)
    # Started at the optimum, pushed off along the steepest direction: the distance
    # along it is multiplied by 1 − ηλ each step, so it shrinks below 2/λ and grows above.
    lam, vectors = np.linalg.eigh(_central_hessian(x, y, *optimum))
    assert limit == pytest.approx(2 / lam.max(), rel=1e-4)
    start = tuple(np.array(optimum) + 0.05 * vectors[:, -1])
    settles = gradient_descent_1d(x, y, learning_rate=0.9 * limit, steps=200, start=start)
    bounces = gradient_descent_1d(x, y, learning_rate=1.2 * limit, steps=200, start=start)
    assert not settles.diverged and settles.distance_to(optimum) < 1e-6
    assert bounces.diverged and bounces.distance_to(optimum) > 0.01


def test_rises_count_the_steps_that_raised_the_loss():
    x, y = make_1d_data()
    path = gradient_descent_1d(x, y, learning_rate=100.0, steps=40)
    assert path.rises == int(np.sum(np.diff(path.loss) > 0)) > 0
    assert gradient_descent_1d(x, y, learning_rate=0.3, steps=40).rises == 0


def test_a_trainer_at_speed_one_trains_ten_epochs_a_second_of_clock():
    trainer = Trainer(make_dataset("blobs", n_samples=200, n_classes=2), ModelSpec(kind="logistic"),
                      max_epochs=100)
    trainer.set_speed(1.0)
    trainer.tick(10.0)                          # the first tick: one epoch
    trainer.tick(10.3)                          # 0.3 s later: 3 epochs due in all
    assert trainer.epoch == 3
    trainer.tick(60.0)                          # long overdue: at most EPOCHS_PER_TICK a tick
    assert trainer.epoch == 3 + Trainer.EPOCHS_PER_TICK
    trainer.pause()
    assert len(trainer.tick(500.0)) == 1        # after a pause the clock starts again
