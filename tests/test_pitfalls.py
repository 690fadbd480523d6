"""ce_core.pitfalls against independent computations: SciPy, scikit-learn, hand-worked
examples and brute force. Also the Trainer's sample_weight hook the pitfalls rely on."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from scipy.special import expit
from scipy.special import softmax as scipy_softmax
from scipy.stats import entropy as scipy_entropy
from sklearn.calibration import calibration_curve
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, recall_score
from sklearn.utils.class_weight import compute_class_weight

import ce_core
from ce_core import pitfalls as pf
from ce_core.datasets import make_dataset
from ce_core.training import ModelSpec, Trainer


def random_probs(rng, n, k, sharpness=3.0):
    return scipy_softmax(rng.normal(0, sharpness, (n, k)), axis=1)


# ----------------------------------------------------------------------------- baseline

@pytest.mark.parametrize("counts", [[9, 1], [5, 5], [50, 30, 20], [1, 1, 1, 97]])
def test_baseline_loss_is_label_entropy_and_log_loss_of_constant_predictions(counts):
    y = np.repeat(np.arange(len(counts)), counts)
    b = pf.base_rate_baseline(y, n_classes=len(counts))
    freq = np.array(counts) / sum(counts)
    constant = np.tile(freq, (len(y), 1))
    assert b.loss == pytest.approx(scipy_entropy(freq), rel=1e-12)
    assert b.loss == pytest.approx(log_loss(y, constant), rel=1e-12)
    assert b.label_entropy == pytest.approx(scipy_entropy(freq), rel=1e-12)


def test_baseline_scored_on_other_labels_is_their_log_loss():
    fit, score = [0, 0, 0, 1], [0, 1, 1, 1]
    b = pf.base_rate_baseline(fit, score, n_classes=2)
    assert b.loss == pytest.approx(log_loss(score, [[0.75, 0.25]] * 4, labels=[0, 1]))
    assert b.label_entropy == pytest.approx(scipy_entropy([0.25, 0.75]))


def test_imbalance_study_baseline_matches_scipy_on_its_own_data():
    study = pf.imbalance_study(5.0, epochs=3)
    train_freq = np.bincount(study.data.y_train) / len(study.data.y_train)
    val_freq = np.bincount(study.data.y_val) / len(study.data.y_val)
    expected = log_loss(study.data.y_val, np.tile(train_freq, (len(study.data.y_val), 1)))
    assert study.baseline.loss == pytest.approx(expected, rel=1e-12)
    assert study.baseline.label_entropy == pytest.approx(scipy_entropy(val_freq), rel=1e-12)
    assert set(study.runs) == {"plain", "class-weighted", "focal"}


# ----------------------------------------------------------------------------- per-class numbers

def test_per_class_report_matches_sklearn_recall_and_masked_log_loss():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 200)
    q = random_probs(rng, 200, 3)
    r = pf.per_class_report(y, q)
    expected_recall = recall_score(y, q.argmax(axis=1), average=None, labels=[0, 1, 2])
    np.testing.assert_allclose(r.recall, expected_recall, rtol=1e-12)
    for k in range(3):
        assert r.loss[k] == pytest.approx(log_loss(y[y == k], q[y == k], labels=[0, 1, 2]), rel=1e-12)
    assert r.counts.tolist() == np.bincount(y, minlength=3).tolist()


def test_per_class_report_absent_class_is_nan():
    r = pf.per_class_report([0, 0], [[0.9, 0.1], [0.3, 0.7]])
    assert r.recall[0] == 0.5 and math.isnan(r.recall[1]) and math.isnan(r.loss[1])


def test_balanced_class_weights_match_sklearn():
    y = np.array([0] * 30 + [1] * 7 + [2] * 3)
    np.testing.assert_allclose(pf.balanced_class_weights(y, 3),
                               compute_class_weight("balanced", classes=np.arange(3), y=y))


def test_balanced_weights_give_every_class_equal_total():
    y = np.array([0] * 30 + [1] * 7 + [2] * 3)
    w = pf.balanced_class_weights(y, 3)[y]
    totals = np.bincount(y, weights=w)
    np.testing.assert_allclose(totals, totals[0])


def test_balanced_weights_refuse_an_empty_class():
    with pytest.raises(ce_core.InputError, match="Class 1 has no points"):
        pf.balanced_class_weights([0, 0, 2], 3)


def test_class_weighted_loss_equals_softmax_cross_entropy_with_class_weight():
    """Sample weights w[y] in categorical_cross_entropy and class_weight in
    softmax_cross_entropy give the same weighted mean (PyTorch semantics)."""
    rng = np.random.default_rng(2)
    y = rng.integers(0, 3, 50)
    z = rng.normal(0, 2, (50, 3))
    w = pf.balanced_class_weights(y, 3)
    via_class = ce_core.softmax_cross_entropy(y, z, class_weight=w)
    via_sample = log_loss(y, scipy_softmax(z, axis=1), sample_weight=w[y])
    assert via_class == pytest.approx(via_sample, rel=1e-10)


def test_focal_weights_hand_computed_and_binary_focal_gradient_shape():
    # (1 - 0.9)^2 = 0.01 and (1 - 0.5)^2 = 0.25, scaled to mean 1: 0.01/0.13, 0.25/0.13
    w = pf.focal_weights([0, 1], [[0.9, 0.1], [0.5, 0.5]], gamma=2.0)
    np.testing.assert_allclose(w, [0.01 / 0.13, 0.25 / 0.13])
    assert pf.focal_weights([0, 1], [[0.9, 0.1], [0.5, 0.5]], gamma=0.0).tolist() == [1.0, 1.0]


def test_truncated_weights_hand_computed():
    # q^0.5: sqrt(0.81) = 0.9, sqrt(0.01) = 0.1; mean 0.5
    np.testing.assert_allclose(pf.truncated_weights([0, 0], [[0.81, 0.19], [0.01, 0.99]], power=0.5),
                               [1.8, 0.2])


# ----------------------------------------------------------------------------- label noise

def test_top_loss_share_against_sorting_by_hand():
    losses = np.array([0.1, 5.0, 0.2, 0.3, 2.0, 0.1, 0.1, 0.1, 0.05, 0.05])
    assert pf.top_loss_share(losses, 0.2) == pytest.approx(7.0 / losses.sum())
    assert pf.top_loss_share(losses, 1.0) == pytest.approx(1.0)


def test_mean_loss_by_group():
    assert pf.mean_loss_by_group([1.0, 3.0, 10.0], [False, False, True]) == (2.0, 10.0)
    clean, flipped = pf.mean_loss_by_group([1.0], [False])
    assert clean == 1.0 and math.isnan(flipped)


def test_smoothed_dataset_weighted_loss_is_smoothed_cross_entropy():
    """Weighted CE over the K copies of each point == CE against the smoothed targets."""
    data = make_dataset("blobs", n_samples=60, n_classes=3)
    big, w = pf.smoothed_dataset(data, 0.2)
    rng = np.random.default_rng(3)
    z = rng.normal(0, 2, (len(data.y_train), 3))
    big_probs = np.repeat(scipy_softmax(z, axis=1), 3, axis=0)
    per_copy = -np.log(big_probs[np.arange(len(big.y_train)), big.y_train])
    weighted = (w * per_copy).reshape(-1, 3).sum(axis=1).mean()
    assert weighted == pytest.approx(ce_core.softmax_cross_entropy(data.y_train, z, label_smoothing=0.2))


# ----------------------------------------------------------------------------- calibration

@pytest.mark.parametrize("n_bins", [2, 5, 10, 15])
def test_reliability_bins_match_sklearn_calibration_curve_of_top_label(n_bins):
    rng = np.random.default_rng(4)
    y = rng.integers(0, 3, 300)
    q = random_probs(rng, 300, 3)
    b = pf.reliability_bins(y, q, n_bins=n_bins)
    correct = (q.argmax(axis=1) == y).astype(int)
    prob_true, prob_pred = calibration_curve(correct, q.max(axis=1), n_bins=n_bins, strategy="uniform")
    filled = b.counts > 0
    np.testing.assert_allclose(b.accuracy[filled], prob_true, rtol=1e-12)
    np.testing.assert_allclose(b.confidence[filled], prob_pred, rtol=1e-12)
    assert b.counts.sum() == 300


def test_ece_hand_computed_example():
    # Two bins of width 0.5. Bin [0.5, 1]: confidences 0.9, 0.8, 0.6 (mean 0.7667), right 2 of 3
    # (0.6667): gap 0.1. Bin [0, 0.5) holds nothing (top probability >= 0.5 with K = 2).
    y = [0, 1, 1]
    q = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]
    assert pf.expected_calibration_error(y, q, n_bins=2) == pytest.approx(abs(2 / 3 - 2.3 / 3))
    # Ten bins: 0.9 (right), 0.8 (right), 0.6 (wrong) sit alone: gaps 0.1, 0.2, 0.6, each 1/3
    assert pf.expected_calibration_error(y, q, n_bins=10) == pytest.approx((0.1 + 0.2 + 0.6) / 3)


def test_ece_is_zero_when_confidence_equals_accuracy():
    y = [0, 0, 0, 1]
    assert pf.expected_calibration_error(y, [[0.75, 0.25]] * 4) == pytest.approx(0.0)


def test_scale_temperature_is_softmax_of_scaled_logits():
    rng = np.random.default_rng(5)
    z = rng.normal(0, 3, (20, 4))
    q = scipy_softmax(z, axis=1)
    for t in (0.3, 1.0, 2.5):
        np.testing.assert_allclose(pf.scale_temperature(q, t), scipy_softmax(z / t, axis=1), atol=1e-12)
        np.testing.assert_allclose(pf.scale_temperature(q, t), ce_core.softmax(z, temperature=t), atol=1e-12)


def test_scale_temperature_keeps_exact_zeros_finite_and_winner():
    out = pf.scale_temperature([[1.0, 0.0], [0.3, 0.7]], 0.5)
    assert np.isfinite(out).all() and out.argmax(axis=1).tolist() == [0, 1]


def test_fit_temperature_matches_brute_force_grid_and_scipy():
    rng = np.random.default_rng(6)
    z = rng.normal(0, 4, (400, 3))  # sharp logits; labels drawn from softer ones: overconfident
    y = np.array([rng.choice(3, p=p) for p in scipy_softmax(z / 3, axis=1)])
    q = scipy_softmax(z, axis=1)
    fitted = pf.fit_temperature(y, q)
    grid = np.geomspace(0.05, 20, 20001)
    losses = [log_loss(y, scipy_softmax(z / t, axis=1), labels=[0, 1, 2]) for t in grid[::20]]
    coarse = grid[::20][int(np.argmin(losses))]
    fine = grid[(grid > coarse / 1.05) & (grid < coarse * 1.05)]
    best = fine[int(np.argmin([log_loss(y, scipy_softmax(z / t, axis=1), labels=[0, 1, 2]) for t in fine]))]
    assert fitted == pytest.approx(best, rel=2e-3)
    ref = minimize_scalar(lambda t: log_loss(y, scipy_softmax(z / t, axis=1), labels=[0, 1, 2]),
                          bounds=(0.05, 20), method="bounded", options={"xatol": 1e-8}).x
    assert fitted == pytest.approx(ref, rel=1e-3)
    assert fitted > 1.5  # the data were generated at T = 3: the model is overconfident
    assert pf.temperature_loss(y, q, fitted) < pf.temperature_loss(y, q, 1.0)


def test_temperature_loss_equals_log_loss():
    rng = np.random.default_rng(7)
    z = rng.normal(0, 2, (30, 2))
    y = rng.integers(0, 2, 30)
    q = scipy_softmax(z, axis=1)
    assert pf.temperature_loss(y, q, 1.7) == pytest.approx(log_loss(y, scipy_softmax(z / 1.7, axis=1)))


@given(st.integers(2, 5), st.integers(1, 60), st.integers(1, 20), st.integers(0, 10_000))
def test_ece_lies_in_0_1_and_bins_hold_every_point(k, n, n_bins, seed):
    rng = np.random.default_rng(seed)
    q = random_probs(rng, n, k)
    y = rng.integers(0, k, n)
    b = pf.reliability_bins(y, q, n_bins=n_bins)
    assert b.counts.sum() == n
    assert 0.0 <= b.ece <= 1.0


def test_skill_is_one_minus_loss_over_label_entropy():
    y = [0] * 8 + [1] * 2
    assert pf.base_rate_baseline(y, n_classes=2).skill(0.25) == pytest.approx(
        1 - 0.25 / scipy_entropy([0.8, 0.2]))


@given(st.integers(2, 5), st.integers(0, 10_000), st.floats(0.1, 10.0))
def test_temperature_never_changes_the_winner(k, seed, t):
    rng = np.random.default_rng(seed)
    q = random_probs(rng, 10, k)
    assert (pf.scale_temperature(q, t).argmax(axis=1) == q.argmax(axis=1)).all()


def test_temperature_losses_and_grid():
    q = [[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.1, 0.9]]
    grid = pf.temperature_grid(9)
    assert grid[0] == pytest.approx(0.25) and grid[-1] == pytest.approx(4.0)
    out = pf.temperature_losses([0, 0, 1, 1], q, grid)
    assert out[4] == pytest.approx(log_loss([0, 0, 1, 1], q))  # grid[4] is T = 1


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, match", [
    (lambda: pf.per_class_report([0, 1], [[0.5, 0.5]]), "one row per label"),
    (lambda: pf.reliability_bins([0], [[0.5, 0.5]], n_bins=0), "n_bins"),
    (lambda: pf.scale_temperature([[0.5, 0.5]], 0.0), "temperature"),
    (lambda: pf.focal_weights([0], [[0.5, 0.5]], gamma=-1), "gamma"),
    (lambda: pf.train_weighted(make_dataset("moons", n_samples=40), ModelSpec(), "huber"), "huber"),
    (lambda: pf.mean_loss_by_group([1.0, 2.0], [True]), "one per loss"),
])
def test_bad_input_says_what_to_fix(call, match):
    with pytest.raises(ce_core.InputError, match=match):
        call()


# ----------------------------------------------------------------------------- Trainer hook and runs

def test_trainer_sample_weight_ones_equals_unweighted():
    data = make_dataset("moons", n_samples=100)
    spec = ModelSpec(hidden_layers=(8,))
    plain = Trainer(data, spec, max_epochs=5)
    plain.advance(5)
    ones = Trainer(data, spec, max_epochs=5, sample_weight=np.ones(len(data.y_train)))
    ones.advance(5)
    np.testing.assert_allclose(plain.history.val_loss, ones.history.val_loss, rtol=1e-10)


def test_trainer_sample_weight_changes_training_and_callable_is_asked_every_epoch():
    data = make_dataset("blobs", n_samples=200, n_classes=2, imbalance=5.0, noise=1.0)
    spec = ModelSpec(kind="logistic", learning_rate=0.01)
    calls = []

    def weights(trainer):
        calls.append(trainer.epoch)
        return pf.balanced_class_weights(data.y_train, 2)[data.y_train]

    weighted = Trainer(data, spec, max_epochs=4, sample_weight=weights)
    weighted.advance(4)
    plain = Trainer(data, spec, max_epochs=4)
    plain.advance(4)
    assert calls == [0, 1, 2, 3]
    assert not np.allclose(weighted.model.coef_, plain.model.coef_)


def test_trainer_rejects_wrong_weights():
    data = make_dataset("moons", n_samples=100)
    trainer = Trainer(data, ModelSpec(), max_epochs=2, sample_weight=np.ones(3))
    with pytest.raises(ce_core.InputError, match="sample_weight"):
        trainer.step()


def test_class_weighting_finds_the_rare_class_that_plain_training_misses():
    study = pf.imbalance_study(10.0)
    plain, weighted = study.runs["plain"].report(), study.runs["class-weighted"].report()
    assert weighted.recall[1] > plain.recall[1] + 0.3
    # the lazy model beats the baseline only a little
    assert study.runs["plain"].val_loss < study.baseline.loss < 1.5 * study.runs["plain"].val_loss


def test_run_results_agree_with_sklearn_log_loss_and_are_deterministic():
    a = pf.overfitting_study(0.01, epochs=20)
    b = pf.overfitting_study(0.01, epochs=20)
    assert a.val_loss == b.val_loss
    assert a.val_loss == pytest.approx(log_loss(a.y_val, a.val_probs), rel=1e-12)
    assert a.best_epoch == int(np.argmin(a.history.val_loss)) + 1
    assert a.gap == pytest.approx(a.history.val_loss[-1] - a.history.train_loss[-1])


def test_a_run_stopped_by_the_time_limit_says_so():
    data = make_dataset("moons", n_samples=200)
    run = pf.train_weighted(data, ModelSpec(), "plain", epochs=1000, max_seconds=1e-6)
    assert run.stop_kind == "time" and len(run.history) == 1
    assert "Stopped after" in run.stop_reason


# ----------------------------------------------------------------------------- the weighted objective, seeds

def test_class_weighted_loss_is_log_loss_with_sample_weight():
    rng = np.random.default_rng(5)
    y = rng.integers(0, 3, 40)
    y[:3] = [0, 1, 2]
    q = rng.dirichlet(np.ones(3), 40)
    w = compute_class_weight("balanced", classes=np.arange(3), y=y)
    assert pf.class_weighted_loss(y, q, pf.balanced_class_weights(y, 3)) == pytest.approx(
        log_loss(y, q, sample_weight=w[y]), rel=1e-12)


def test_a_model_fitted_with_class_weights_minimises_the_class_weighted_loss():
    data = make_dataset("blobs", n_samples=300, n_classes=2, noise=2.0, imbalance=10.0, seed=1)
    w = pf.balanced_class_weights(data.y_train, 2)
    fit = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(
        data.X_train, data.y_train, sample_weight=w[data.y_train])

    def weighted_at(coef, intercept):
        z = data.X_train @ coef + intercept
        return pf.class_weighted_loss(data.y_train, np.column_stack([1 - expit(z), expit(z)]), w)

    best = weighted_at(fit.coef_[0], fit.intercept_[0])
    rng = np.random.default_rng(0)
    for _ in range(20):                     # every nearby model does worse on L_w
        step = rng.normal(0, 0.05, 3)
        assert weighted_at(fit.coef_[0] + step[:2], fit.intercept_[0] + step[2]) > best
    plain = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(data.X_train, data.y_train)
    assert weighted_at(plain.coef_[0], plain.intercept_[0]) > best + 1e-3


def test_spread_over_seeds():
    s = pf.spread([0.125, 0.5, 0.25, 0.375])
    assert (s.mean, s.low, s.high) == (0.3125, 0.125, 0.5)
    with pytest.raises(ce_core.InputError):
        pf.spread([])


def test_imbalance_study_repeats_over_seeds_with_new_data_each_time():
    study = pf.imbalance_study(10.0, seeds=3)
    assert {len(runs) for runs in study.seeds.values()} == {3}
    for k, run in enumerate(study.seeds["plain"]):
        data_k = make_dataset("blobs", n_samples=300, n_classes=2, noise=2.0, imbalance=10.0, seed=k)
        np.testing.assert_array_equal(run.y_val, data_k.y_val)
        np.testing.assert_allclose(study.class_weights[k],
                                   compute_class_weight("balanced", classes=np.arange(2),
                                                        y=data_k.y_train))
    assert study.seeds["plain"][0] is study.runs["plain"]
    assert study.rare_validation_points == 8 and study.recall_step == 0.125
    recall = study.recall_spread("class-weighted")
    assert recall.values.tolist() == [r.report().recall[1] for r in study.seeds["class-weighted"]]
