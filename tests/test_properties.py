"""Properties that hold for every input: the laws of information theory and of softmax."""

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ce_core

from .test_parity import distributions

pairs = st.integers(2, 10).flatmap(lambda k: st.tuples(distributions(k=k), distributions(k=k)))
logit_vectors = st.lists(st.floats(-50, 50), min_size=2, max_size=10).map(np.array)


@given(distributions())
def test_entropy_is_between_zero_and_log_k(p):
    h = ce_core.entropy(p)
    assert h >= 0.0
    assert h <= math.log(len(p)) + 1e-12


@given(st.integers(2, 10))
def test_uniform_distribution_reaches_log_k(k):
    assert ce_core.entropy(np.full(k, 1 / k), base=2) == pytest.approx(math.log2(k), rel=1e-12)


@given(pairs)
def test_cross_entropy_is_entropy_plus_kl(pq):
    p, q = pq
    h_pq = ce_core.cross_entropy(p, q)
    kl = ce_core.kl_divergence(p, q)
    if math.isinf(h_pq):
        assert math.isinf(kl)
    else:
        assert h_pq == pytest.approx(ce_core.entropy(p) + kl, rel=1e-9, abs=1e-12)


@given(pairs)
def test_kl_is_non_negative(pq):
    assert ce_core.kl_divergence(*pq) >= 0.0


@given(distributions())
def test_kl_of_a_distribution_with_itself_is_zero(p):
    assert ce_core.kl_divergence(p, p) == 0.0
    assert ce_core.cross_entropy(p, p) == pytest.approx(ce_core.entropy(p), rel=1e-12, abs=1e-15)


@given(pairs, st.sampled_from([2.0, 10.0]))
def test_changing_the_base_rescales_by_ln_base(pq, base):
    p, q = pq
    assume(not math.isinf(ce_core.cross_entropy(p, q)))
    assert ce_core.cross_entropy(p, q, base=base) == pytest.approx(
        ce_core.cross_entropy(p, q) / math.log(base), rel=1e-12, abs=1e-15)


@given(logit_vectors, st.floats(0.1, 10))
def test_softmax_sums_to_one_and_is_in_unit_interval(z, t):
    s = ce_core.softmax(z, temperature=t)
    assert s.sum() == pytest.approx(1.0, abs=1e-12)
    assert np.all((s >= 0) & (s <= 1))


@given(logit_vectors, st.floats(-500, 500))
def test_softmax_ignores_a_constant_shift(z, c):
    np.testing.assert_allclose(ce_core.softmax(z + c), ce_core.softmax(z), rtol=1e-9, atol=1e-15)


@given(logit_vectors)
def test_log_softmax_is_log_of_softmax(z):
    s = ce_core.softmax(z)
    mask = s > 1e-300  # where the log is representable
    np.testing.assert_allclose(ce_core.log_softmax(z)[mask], np.log(s[mask]), rtol=1e-9, atol=1e-9)


@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(2, 6), st.booleans())
def test_gradient_equals_central_finite_differences(seed, n, k, soft):
    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 2, (n, k))
    y = rng.dirichlet(np.ones(k), size=n) if soft else rng.integers(0, k, n)
    grad = ce_core.softmax_cross_entropy_grad(y, logits)
    h = 1e-6
    numeric = np.zeros_like(logits)
    for i in range(n):
        for j in range(k):
            up, down = logits.copy(), logits.copy()
            up[i, j] += h
            down[i, j] -= h
            numeric[i, j] = (ce_core.softmax_cross_entropy(y, up)
                             - ce_core.softmax_cross_entropy(y, down)) / (2 * h)
    np.testing.assert_allclose(grad, numeric, atol=1e-7)
    # Each row of the gradient sums to zero: probability moves between classes.
    np.testing.assert_allclose(grad.sum(axis=1), 0.0, atol=1e-12)


@given(st.lists(st.floats(-1000, 1000), min_size=2, max_size=8), st.integers(0, 7))
def test_logit_losses_are_finite_for_huge_logits(z, label):
    assume(label < len(z))
    assert math.isfinite(ce_core.softmax_cross_entropy(label, z))
    assert np.all(np.isfinite(ce_core.softmax_cross_entropy_grad(label, z)))
    assert math.isfinite(ce_core.sigmoid_cross_entropy(np.ones(len(z)), z))


@given(st.integers(0, 2**32 - 1), st.integers(1, 30))
def test_focal_loss_never_exceeds_cross_entropy(seed, n):
    rng = np.random.default_rng(seed)
    y, p = rng.integers(0, 2, n), rng.random(n)
    focal = ce_core.focal_loss(y, p, gamma=2.0, reduction="none")
    bce = ce_core.binary_cross_entropy(y, p, reduction="none")
    assert np.all(focal <= bce + 1e-15)
