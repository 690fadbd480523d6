"""ce_core against trusted references on random inputs.

- sklearn.metrics.log_loss for the probability losses (same clipping, weights);
- scipy.stats.entropy / scipy.special for entropy, KL, softmax, sigmoid;
- PyTorch (CPU) for the logit losses, whose semantics we copy from it.
"""

import numpy as np
import pytest
import scipy.special
import scipy.stats
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import log_loss

import ce_core

TOL = 1e-9


# ----------------------------------------------------------------------------- strategies

@st.composite
def distributions(draw, k=None, min_k=2, max_k=10, allow_zeros=True):
    k = k or draw(st.integers(min_k, max_k))
    raw = np.array(draw(st.lists(st.floats(0.0, 1.0), min_size=k, max_size=k)))
    if not allow_zeros:
        raw = raw + 1e-3
    if raw.sum() == 0:
        raw[draw(st.integers(0, k - 1))] = 1.0
    return raw / raw.sum()


@st.composite
def classification(draw, max_n=40, max_k=8):
    """Labels and probability rows, with some exact 0s and 1s mixed in."""
    n = draw(st.integers(1, max_n))
    k = draw(st.integers(2, max_k))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.full(k, draw(st.sampled_from([0.05, 0.5, 2.0]))), size=n)
    if draw(st.booleans()):  # make a few rows one-hot: exact 0 and 1 entries
        rows = rng.random(n) < 0.3
        probs[rows] = np.eye(k)[rng.integers(0, k, rows.sum())]
    labels = rng.integers(0, k, n)
    weights = rng.random(n) * 3 if draw(st.booleans()) else None
    return labels, probs, weights


def _renormalise(probs):
    """Float rounding in Dirichlet draws can leave a row 1e-16 off; log_loss only warns then."""
    return probs / probs.sum(axis=1, keepdims=True)


# ----------------------------------------------------------------------------- scikit-learn

@given(classification())
def test_categorical_matches_log_loss(case):
    labels, probs, weights = case
    probs = _renormalise(probs)
    k = probs.shape[1]
    expected = log_loss(labels, probs, labels=list(range(k)), sample_weight=weights)
    got = ce_core.categorical_cross_entropy(labels, probs, sample_weight=weights)
    assert got == pytest.approx(expected, rel=TOL, abs=TOL)
    # One-hot targets give the same loss as integer labels.
    onehot = np.eye(k)[labels]
    assert ce_core.categorical_cross_entropy(onehot, probs, sample_weight=weights) == pytest.approx(
        expected, rel=TOL, abs=TOL)


@given(classification())
def test_categorical_sum_matches_log_loss_unnormalised(case):
    labels, probs, weights = case
    probs = _renormalise(probs)
    expected = log_loss(labels, probs, labels=list(range(probs.shape[1])),
                        sample_weight=weights, normalize=False)
    got = ce_core.categorical_cross_entropy(labels, probs, sample_weight=weights, reduction="sum")
    assert got == pytest.approx(expected, rel=TOL, abs=TOL)


@given(st.integers(0, 2**32 - 1), st.integers(1, 50), st.booleans())
def test_binary_matches_log_loss(seed, n, weighted):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = rng.random(n)
    p[rng.random(n) < 0.2] = 0.0   # exact 0 and 1 exercise the clipping
    p[rng.random(n) < 0.2] = 1.0
    w = rng.random(n) + 0.01 if weighted else None
    expected = log_loss(y, p, labels=[0, 1], sample_weight=w)
    assert ce_core.binary_cross_entropy(y, p, sample_weight=w) == pytest.approx(
        expected, rel=TOL, abs=TOL)


def test_per_sample_losses_sum_to_the_total():
    y, p = [1, 0, 1], [0.2, 0.4, 1.0]
    per = ce_core.binary_cross_entropy(y, p, reduction="none")
    assert per.shape == (3,)
    assert per.sum() == pytest.approx(log_loss(y, p, normalize=False), rel=TOL)


# ----------------------------------------------------------------------------- SciPy

@given(distributions(), st.sampled_from([2, np.e, 10]))
def test_entropy_matches_scipy(p, base):
    assert ce_core.entropy(p, base=base) == pytest.approx(
        scipy.stats.entropy(p, base=base), rel=TOL, abs=TOL)


@given(st.integers(2, 10).flatmap(lambda k: st.tuples(distributions(k=k), distributions(k=k, allow_zeros=False))))
def test_kl_and_cross_entropy_match_scipy(pq):
    p, q = pq
    kl = scipy.stats.entropy(p, q)
    assert ce_core.kl_divergence(p, q) == pytest.approx(kl, rel=1e-7, abs=TOL)
    assert ce_core.cross_entropy(p, q) == pytest.approx(
        scipy.stats.entropy(p) + kl, rel=1e-7, abs=TOL)


@given(st.lists(st.floats(-1000, 1000), min_size=1, max_size=12), st.floats(0.05, 20))
def test_softmax_and_log_softmax_match_scipy(z, t):
    z = np.array(z)
    np.testing.assert_allclose(ce_core.softmax(z, temperature=t), scipy.special.softmax(z / t),
                               rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(ce_core.log_softmax(z), scipy.special.log_softmax(z),
                               rtol=1e-9, atol=1e-9)


@given(st.lists(st.floats(-800, 800), min_size=1, max_size=20))
def test_sigmoid_matches_scipy_expit(z):
    np.testing.assert_allclose(ce_core.sigmoid(z), scipy.special.expit(np.array(z)),
                               rtol=1e-12, atol=1e-300)


# ----------------------------------------------------------------------------- PyTorch

def _logit_case(seed, n, k):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 3, (n, k))
    labels = rng.integers(0, k, n)
    return rng, logits, labels


@given(st.integers(0, 2**32 - 1), st.integers(1, 30), st.integers(2, 8),
       st.sampled_from(["mean", "sum", "none"]), st.booleans(), st.sampled_from([0.0, 0.1, 0.35]))
def test_softmax_cross_entropy_with_labels_matches_torch(seed, n, k, reduction, weighted, smoothing):
    rng, logits, labels = _logit_case(seed, n, k)
    weight = rng.random(k) + 0.1 if weighted else None
    expected = F.cross_entropy(
        torch.tensor(logits), torch.tensor(labels),
        weight=None if weight is None else torch.tensor(weight),
        label_smoothing=smoothing, reduction=reduction).numpy()
    got = ce_core.softmax_cross_entropy(labels, logits, class_weight=weight,
                                        label_smoothing=smoothing, reduction=reduction)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


@given(st.integers(0, 2**32 - 1), st.integers(1, 30), st.integers(2, 8),
       st.sampled_from(["mean", "sum", "none"]), st.booleans(), st.sampled_from([0.0, 0.2]))
def test_softmax_cross_entropy_with_soft_targets_matches_torch(seed, n, k, reduction, weighted, smoothing):
    rng, logits, _ = _logit_case(seed, n, k)
    targets = rng.dirichlet(np.ones(k), size=n)
    weight = rng.random(k) + 0.1 if weighted else None
    expected = F.cross_entropy(
        torch.tensor(logits), torch.tensor(targets),
        weight=None if weight is None else torch.tensor(weight),
        label_smoothing=smoothing, reduction=reduction).numpy()
    got = ce_core.softmax_cross_entropy(targets, logits, class_weight=weight,
                                        label_smoothing=smoothing, reduction=reduction)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


@given(st.integers(0, 2**32 - 1), st.integers(1, 30), st.integers(1, 5),
       st.sampled_from(["mean", "sum", "none"]), st.sampled_from([None, "scalar", "per_column"]))
def test_sigmoid_cross_entropy_matches_torch(seed, n, cols, reduction, pos_weight_kind):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 5, (n, cols))
    targets = rng.random((n, cols))            # soft labels allowed
    targets[rng.random((n, cols)) < 0.5] = 1.0
    pos_weight = {None: None, "scalar": 2.5, "per_column": rng.random(cols) * 3}[pos_weight_kind]
    expected = F.binary_cross_entropy_with_logits(
        torch.tensor(logits), torch.tensor(targets),
        pos_weight=None if pos_weight is None else torch.tensor(np.atleast_1d(pos_weight)),
        reduction=reduction).numpy()
    got = ce_core.sigmoid_cross_entropy(targets, logits, pos_weight=pos_weight, reduction=reduction)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_gradient_matches_torch_autograd():
    rng, logits, labels = _logit_case(7, 6, 4)
    z = torch.tensor(logits, requires_grad=True)
    F.cross_entropy(z, torch.tensor(labels)).backward()
    np.testing.assert_allclose(ce_core.softmax_cross_entropy_grad(labels, logits),
                               z.grad.numpy(), rtol=1e-9, atol=1e-12)


@given(st.integers(0, 2**32 - 1), st.integers(1, 40), st.sampled_from([0.0, 0.5, 2.0, 5.0]),
       st.sampled_from([None, 0.25, 0.9]))
def test_focal_loss_matches_its_definition_via_torch_ops(seed, n, gamma, alpha):
    # torchvision.ops.sigmoid_focal_loss written out with torch ops on probabilities:
    # ce = BCE(p, y); p_t = p y + (1-p)(1-y); loss = ce (1 - p_t)^gamma; alpha_t = a y + (1-a)(1-y).
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype(float)
    p = rng.uniform(0.01, 0.99, n)
    tp, ty = torch.tensor(p), torch.tensor(y)
    ce = F.binary_cross_entropy(tp, ty, reduction="none")
    p_t = tp * ty + (1 - tp) * (1 - ty)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None:
        loss = (alpha * ty + (1 - alpha) * (1 - ty)) * loss
    got = ce_core.focal_loss(y, p, gamma=gamma, alpha=alpha, reduction="none")
    np.testing.assert_allclose(got, loss.numpy(), rtol=1e-9, atol=1e-12)
    if gamma == 0 and alpha is None:
        assert ce_core.focal_loss(y, p, gamma=0) == pytest.approx(log_loss(y, p, labels=[0, 1]), rel=TOL)
