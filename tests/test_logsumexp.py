"""ce_core.logsumexp and the log form of softmax_side_by_side against SciPy's
special.logsumexp and special.log_softmax (an independent implementation)."""

import numpy as np
import pytest
import scipy.special
from hypothesis import given
from hypothesis import strategies as st

import ce_core

logit_vectors = st.lists(st.floats(-700, 700), min_size=2, max_size=10).map(np.array)


@given(logit_vectors)
def test_logsumexp_matches_scipy(z):
    assert ce_core.logsumexp(z) == pytest.approx(scipy.special.logsumexp(z), rel=1e-12, abs=1e-12)


def test_logsumexp_of_large_equal_scores_is_the_score_plus_ln_k():
    # ln(3 e^1000) = 1000 + ln 3; e^1000 alone overflows float64
    assert ce_core.logsumexp([1000.0, 1000.0, 1000.0]) == pytest.approx(1000 + np.log(3), rel=1e-15)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_logsumexp_along_an_axis(axis):
    z = np.array([[1.0, 2.0, 3.0], [-4.0, 0.5, 900.0]])
    np.testing.assert_allclose(ce_core.logsumexp(z, axis=axis),
                               scipy.special.logsumexp(z, axis=axis), rtol=1e-14)


def test_logsumexp_rejects_a_missing_axis():
    with pytest.raises(ce_core.InputError, match="axis=2"):
        ce_core.logsumexp([1.0, 2.0], axis=2)


@given(logit_vectors, st.floats(0.1, 10), st.sampled_from([0.0, 500.0, 1000.0]))
def test_side_by_side_log_softmax_is_z_over_t_minus_logsumexp(z, t, shift):
    table = ce_core.softmax_side_by_side(z, temperature=t, shift=shift)
    scaled = (z + shift) / t
    np.testing.assert_allclose(table["scaled logit"], scaled, rtol=1e-15)
    assert float(table["log-sum-exp"]) == pytest.approx(scipy.special.logsumexp(scaled),
                                                        rel=1e-12)
    np.testing.assert_allclose(table["log p"], scipy.special.log_softmax(scaled),
                               rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(table["log p"], scaled - float(table["log-sum-exp"]),
                               rtol=1e-12, atol=1e-9)
