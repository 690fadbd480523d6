"""normalize_weights, max_entropy, binary_entropy: hand-computed constants, SciPy parity,
properties, and bad input."""

import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

import ce_core
from ce_core import InputError, binary_entropy, max_entropy, normalize_weights

# ---------------------------------------------------------------- normalize_weights


def test_normalize_weights_hand_computed():
    # 8, 4, 2, 1, 1 out of a total of 16
    np.testing.assert_array_equal(
        normalize_weights([8, 4, 2, 1, 1]), [0.5, 0.25, 0.125, 0.0625, 0.0625]
    )


def test_normalize_weights_keeps_zeros_and_single_outcome():
    np.testing.assert_array_equal(normalize_weights([0, 5, 0]), [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(normalize_weights([7]), [1.0])


@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=12).filter(lambda w: sum(w) > 0))
def test_normalize_weights_sums_to_one_and_keeps_ratios(w):
    p = normalize_weights(w)
    assert abs(p.sum() - 1) < 1e-12
    # same ratios as the weights: p_i * total == w_i
    np.testing.assert_allclose(p * sum(w), w, rtol=1e-9, atol=1e-300)


@pytest.mark.parametrize(
    "weights, fragment",
    [
        ([0, 0, 0], "all 0"),  # nothing to normalise
        ([1, -2, 3], "index 1"),  # a negative weight is named with its place
        ([], "empty"),  # no outcomes at all
        ([1, float("nan")], "nan"),  # NaN from a broken upstream computation
        ([[1, 2]], "1-D"),  # a table instead of a list
    ],
)
def test_normalize_weights_bad_input(weights, fragment):
    with pytest.raises(InputError, match=fragment):
        normalize_weights(weights)


# ---------------------------------------------------------------- max_entropy


@pytest.mark.parametrize(
    "k, base, expected",
    [
        (2, 2, 1.0),  # a coin: one yes/no question
        (8, 2, 3.0),  # 2**3 = 8
        (1, 2, 0.0),  # one outcome: nothing to say
        (6, math.e, 1.791759469228055),  # ln 6, from a table of natural logs
    ],
)
def test_max_entropy_hand_computed(k, base, expected):
    assert max_entropy(k, base=base) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("k", range(1, 11))
def test_max_entropy_is_entropy_of_uniform_scipy(k):
    assert max_entropy(k, base=2) == pytest.approx(scipy.stats.entropy([1] * k, base=2), abs=1e-12)


@pytest.mark.parametrize("k", [0, -3, 2.5, "six", float("inf")])
def test_max_entropy_bad_input(k):
    with pytest.raises(InputError):
        max_entropy(k)


# ---------------------------------------------------------------- binary_entropy


@pytest.mark.parametrize(
    "p, base, expected",
    [
        (0.5, 2, 1.0),  # fair coin
        (0.0, 2, 0.0),  # certain tails: 0 log 0 = 0
        (1.0, 2, 0.0),  # certain heads
        (0.5, math.e, 0.6931471805599453),  # ln 2
        # -0.9 log2 0.9 - 0.1 log2 0.1 = 0.13680 + 0.33219
        (0.9, 2, 0.4689955935892812),
        (0.25, 2, 0.8112781244591328),  # 0.25*2 + 0.75*log2(4/3) = 0.5 + 0.31128
    ],
)
def test_binary_entropy_hand_computed(p, base, expected):
    out = binary_entropy(p, base=base)
    assert isinstance(out, float)
    assert out == pytest.approx(expected, abs=1e-12)


def test_binary_entropy_array_matches_scipy():
    ps = np.linspace(0, 1, 101)
    expected = [scipy.stats.entropy([p, 1 - p], base=2) for p in ps]
    out = binary_entropy(ps, base=2)
    assert isinstance(out, np.ndarray) and out.shape == (101,)
    np.testing.assert_allclose(out, expected, atol=1e-12)


@given(st.floats(0, 1))
def test_binary_entropy_properties(p):
    h = binary_entropy(p, base=2)
    assert 0.0 <= h <= 1.0 + 1e-12
    assert h == pytest.approx(binary_entropy(1 - p, base=2), abs=1e-12)  # symmetric
    assert h == pytest.approx(ce_core.entropy([p, 1 - p], base=2), abs=1e-12)


@pytest.mark.parametrize(
    "p, fragment",
    [
        (1.5, "outside"),  # not a probability
        ([0.2, -0.1], "index 1"),  # place of the bad value
        (float("nan"), "nan"),
        ("half", "not a number"),
        (None, "missing"),
    ],
)
def test_binary_entropy_bad_input(p, fragment):
    with pytest.raises(InputError, match=fragment):
        binary_entropy(p)


@pytest.mark.parametrize("p", [[0.5, 0.25, 0.25, 0.0], [0.9, 0.1], [1.0, 0.0], [0.2] * 5])
def test_entropy_terms_are_p_times_surprise_and_sum_to_scipys_entropy(p):
    import scipy.stats

    terms = ce_core.entropy_terms(p, base=2)
    expected = [0.0 if q == 0 else -q * math.log2(q) for q in p]   # by hand, 0 log 0 = 0
    np.testing.assert_allclose(terms, expected, rtol=1e-12, atol=0)
    assert terms.sum() == pytest.approx(scipy.stats.entropy(p, base=2), rel=1e-12, abs=1e-15)
