"""ce_core.coding.huffman_code against hand computations with their sources, a brute-force
search over every prefix code of a small alphabet, and the properties every prefix code has
(prefix-free, Kraft sum ≤ 1, H ≤ L < H + 1)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

import ce_core
from ce_core.coding import huffman_code


def is_prefix_free(words) -> bool:
    words = [w for w in words if w is not None]
    return not any(a != b and b.startswith(a) for a in words for b in words) \
        and len(set(words)) == len(words)


def best_prefix_code_average(p) -> float:
    """The smallest Σ p·l over every integer length vector with Σ 2^−l ≤ 1 (Kraft–McMillan:
    exactly the length vectors of prefix codes). Independent of Huffman's construction."""
    p = [v for v in p if v > 0]
    if len(p) == 1:
        return 0.0
    best, top = math.inf, len(p)   # no optimal codeword is longer than K − 1 bits
    for lengths in itertools.product(range(1, top), repeat=len(p)):
        if sum(2 ** (top - n) for n in lengths) <= 2 ** top:   # Kraft, in whole numbers
            best = min(best, sum(pi * n for pi, n in zip(p, lengths)))
    return best


# --- hand computations ---------------------------------------------------------------------

def test_three_equal_outcomes_average_five_thirds_not_log2_3():
    # codewords 0, 10, 11: (1 + 2 + 2) / 3 = 5/3 bits, while H = log2 3 = 1.585 bits
    code = huffman_code([1 / 3, 1 / 3, 1 / 3])
    assert code.codewords == ("0", "10", "11")
    assert code.average_length == pytest.approx(5 / 3, rel=1e-15)
    assert code.entropy_bits == pytest.approx(math.log2(3), rel=1e-15)
    assert code.average_length > code.entropy_bits


def test_cover_and_thomas_example_5_6_1():
    # Cover & Thomas, Elements of Information Theory (2nd ed.), Example 5.6.1:
    # p = (0.25, 0.25, 0.2, 0.15, 0.15) gets lengths (2, 2, 2, 3, 3), L = 2.3 bits
    code = huffman_code([0.25, 0.25, 0.2, 0.15, 0.15])
    assert list(code.lengths) == [2, 2, 2, 3, 3]
    assert code.average_length == pytest.approx(2.3, rel=1e-12)
    assert code.entropy_bits == pytest.approx(
        scipy.stats.entropy([0.25, 0.25, 0.2, 0.15, 0.15], base=2), rel=1e-12)


def test_default_distribution_of_the_entropy_page():
    # by hand: merge 0.1 + 0.2 = 0.3; merge 0.3 (outcome 2) + 0.3 = 0.6; merge 0.4 + 0.6:
    # lengths 1, 2, 3, 3 and L = 0.4 + 0.6 + 0.6 + 0.3 = 1.9 bits
    code = huffman_code([0.4, 0.3, 0.2, 0.1])
    assert code.codewords == ("0", "10", "110", "111")
    assert code.average_length == pytest.approx(1.9, rel=1e-12)
    np.testing.assert_allclose(code.ideal_lengths, [-math.log2(v) for v in (0.4, 0.3, 0.2, 0.1)])


def test_powers_of_one_half_reach_the_entropy_exactly():
    # every −log2 p is a whole number: the code's lengths are the ideal ones, L = H = 1.875
    code = huffman_code([1 / 2, 1 / 4, 1 / 8, 1 / 16, 1 / 16])
    assert list(code.lengths) == [1, 2, 3, 4, 4]
    assert code.average_length == code.entropy_bits == 1.875


def test_fair_die():
    # six equal outcomes: two codewords of 2 bits, four of 3: (4 + 12) / 6 = 8/3 bits
    code = huffman_code([1 / 6] * 6)
    assert sorted(code.lengths) == [2, 2, 3, 3, 3, 3]
    assert code.average_length == pytest.approx(8 / 3, rel=1e-15)


def test_outcomes_that_never_happen_get_no_codeword():
    code = huffman_code([0.5, 0.0, 0.5])
    assert code.codewords == ("0", None, "1")
    assert list(code.lengths) == [1, 0, 1]
    assert math.isinf(code.ideal_lengths[1])
    assert code.average_length == 1.0 and code.kraft_sum == 1.0


def test_a_certain_outcome_needs_no_bits():
    code = huffman_code([1.0, 0.0, 0.0, 0.0])
    assert code.codewords == ("", None, None, None)
    assert code.average_length == 0.0 == code.entropy_bits
    assert not math.copysign(1, code.ideal_lengths[0]) < 0   # 0, not −0


def test_ties_are_broken_the_same_way_every_time():
    # equal probabilities: the earlier outcome keeps the shorter codeword
    assert huffman_code([0.25, 0.25, 0.5]).codewords == ("10", "11", "0")
    assert huffman_code([0.5, 0.25, 0.25]).codewords == ("0", "10", "11")
    assert huffman_code([0.2] * 5).codewords == ("00", "01", "10", "110", "111")


def test_bad_input_is_an_input_error():
    with pytest.raises(ce_core.InputError):
        huffman_code([0.5, 0.6])
    with pytest.raises(ce_core.InputError):
        huffman_code([-0.5, 1.5])


def test_exported_from_ce_core():
    assert ce_core.huffman_code is huffman_code and "huffman_code" in ce_core.__all__


# --- properties ----------------------------------------------------------------------------

def weights(max_k: int):
    """Distributions from integer weights (zeros included), as the page's sliders make them."""
    return st.lists(st.integers(0, 100), min_size=1, max_size=max_k).filter(any).map(
        lambda w: np.array(w, dtype=float) / sum(w))


@given(weights(10))
def test_every_code_is_prefix_free_within_the_kraft_bound_and_the_entropy_bounds(p):
    code = huffman_code(p)
    assert is_prefix_free(code.codewords)
    assert [len(w) if w is not None else 0 for w in code.codewords] == list(code.lengths)
    assert [w is None for w in code.codewords] == list(p == 0)
    assert code.kraft_sum <= 1.0
    h = scipy.stats.entropy(p, base=2)
    assert code.entropy_bits == pytest.approx(h, abs=1e-12)
    assert h - 1e-12 <= code.average_length < h + 1
    assert code.average_length == pytest.approx(float(np.dot(p, code.lengths)), abs=1e-15)


@given(weights(6))
def test_no_prefix_code_has_a_shorter_average(p):
    assert huffman_code(p).average_length == pytest.approx(best_prefix_code_average(p),
                                                           abs=1e-12)
