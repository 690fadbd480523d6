"""The worked numbers of the seed articles and library docs, each computed by hand.

Every expected value below is written out from the formula with ``math.log``
(or quoted from its published source), never taken from ce_core.
"""

import math

import pytest
from sklearn.metrics import log_loss

import ce_core

ln = math.log


def test_penalty_of_true_class_probability_09_and_01():
    # Seed 000: "-ln(0.9) = 0.105"; "... assigns 0.1 ... the penalty increases to 2.30".
    assert ce_core.binary_cross_entropy([1], [0.9]) == pytest.approx(0.1054, abs=5e-5)
    assert ce_core.binary_cross_entropy([1], [0.1]) == pytest.approx(2.3026, abs=5e-5)
    assert ce_core.binary_cross_entropy([1], [0.9]) == pytest.approx(-ln(0.9), rel=1e-12)
    assert ce_core.binary_cross_entropy([1], [0.1]) == pytest.approx(-ln(0.1), rel=1e-12)


def test_binary_example_of_seed_002():
    # y = [1,0,1,1,0,1], p = [0.9,0.1,0.8,0.7,0.2,0.9]. A negative pays -ln(1-p):
    # 3 x -ln 0.9 (samples 0, 1, 5) + -ln 0.8 (2) + -ln 0.7 (3) + -ln 0.8 (4), over 6.
    y, p = [1, 0, 1, 1, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.9]
    by_hand = (3 * -ln(0.9) + 2 * -ln(0.8) - ln(0.7)) / 6
    assert by_hand == pytest.approx(0.1865, abs=5e-5)
    assert ce_core.binary_cross_entropy(y, p) == pytest.approx(by_hand, rel=1e-12)
    assert ce_core.binary_cross_entropy(y, p) == pytest.approx(log_loss(y, p), rel=1e-12)


def test_five_by_three_one_hot_example_of_seed_002():
    # True-class probabilities are 0.7, 0.6, 0.5, 0.8, 0.7.
    onehot = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]
    probs = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.3, 0.5], [0.8, 0.1, 0.1], [0.2, 0.7, 0.1]]
    by_hand = -(ln(0.7) + ln(0.6) + ln(0.5) + ln(0.8) + ln(0.7)) / 5
    assert by_hand == pytest.approx(0.4281, abs=5e-5)
    assert ce_core.categorical_cross_entropy(onehot, probs) == pytest.approx(by_hand, rel=1e-12)
    # The same data as integer labels.
    labels = [0, 1, 2, 0, 1]
    assert ce_core.categorical_cross_entropy(labels, probs) == pytest.approx(by_hand, rel=1e-12)


def test_scikit_learn_example_of_seed_000():
    # y = [0, 1], p = [[0.9, 0.1], [0.5, 0.5]] -> (-ln 0.9 - ln 0.5) / 2.
    by_hand = -(ln(0.9) + ln(0.5)) / 2
    assert by_hand == pytest.approx(0.3993, abs=5e-5)
    got = ce_core.categorical_cross_entropy([0, 1], [[0.9, 0.1], [0.5, 0.5]])
    assert got == pytest.approx(by_hand, rel=1e-12)


def test_spam_ham_example_of_scikit_learn_docs():
    # sklearn.metrics.log_loss docstring: log_loss(["spam", "ham", "ham", "spam"],
    # [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) -> 0.21616 (classes sorted: ham=0, spam=1).
    labels = [1, 0, 0, 1]
    probs = [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]
    assert ce_core.categorical_cross_entropy(labels, probs) == pytest.approx(0.21616, abs=5e-6)


def test_log2_of_07_is_bits_and_pytorch_reports_nats():
    # Seed 001: "log_base_2 of 0.7 is negative 0.5145731728297583" -- that is bits.
    # F.cross_entropy uses the natural log and takes logits: ln(0.7) = 0.35667 nats.
    assert ce_core.cross_entropy([1, 0, 0], [0.7, 0.2, 0.1], base=2) == pytest.approx(
        0.5145731728297583, rel=1e-12)
    assert ce_core.cross_entropy([1, 0, 0], [0.7, 0.2, 0.1]) == pytest.approx(-ln(0.7), rel=1e-12)
    # Logits whose softmax is [0.7, 0.2, 0.1] give the nats value from logits:
    logits = [ln(0.7), ln(0.2), ln(0.1)]
    assert ce_core.softmax_cross_entropy(0, logits) == pytest.approx(-ln(0.7), rel=1e-12)
    # Passing the probabilities themselves as logits (the seed's implied call) gives
    # -ln(e^0.7 / (e^0.7 + e^0.2 + e^0.1)), not 0.357 and not 0.515:
    wrong = -ln(math.exp(0.7) / (math.exp(0.7) + math.exp(0.2) + math.exp(0.1)))
    assert ce_core.softmax_cross_entropy(0, [0.7, 0.2, 0.1]) == pytest.approx(wrong, rel=1e-12)
    assert ce_core.to_unit(-ln(0.7), "bits") == pytest.approx(0.5145731728297583, rel=1e-12)


def test_entropy_landmarks():
    assert ce_core.entropy([0.5, 0.5], base=2) == 1.0              # fair coin: 1 bit
    assert ce_core.entropy([1 / 6] * 6, base=2) == pytest.approx(math.log2(6), rel=1e-12)
    assert ce_core.entropy([1.0, 0.0, 0.0]) == 0.0                 # certain outcome
    # Biased coin 0.9/0.1: -(0.9 log2 0.9 + 0.1 log2 0.1) = 0.4690 bits.
    assert ce_core.entropy([0.9, 0.1], base=2) == pytest.approx(0.4690, abs=5e-5)


def test_kl_is_the_extra_bits_not_the_cross_entropy():
    # Coding a fair coin with a 0.9/0.1 code: H(P,Q) = -(0.5 log2 0.9 + 0.5 log2 0.1)
    # = 1.7370 bits, of which H(P) = 1 bit is unavoidable and KL = 0.7370 is extra.
    p, q = [0.5, 0.5], [0.9, 0.1]
    h_pq = -(0.5 * math.log2(0.9) + 0.5 * math.log2(0.1))
    assert ce_core.cross_entropy(p, q, base=2) == pytest.approx(h_pq, rel=1e-12)
    assert ce_core.kl_divergence(p, q, base=2) == pytest.approx(h_pq - 1.0, rel=1e-12)


def test_zero_probability_where_truth_is_possible_is_infinite():
    assert ce_core.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert ce_core.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    # ... but 0 log 0 = 0: an impossible outcome that Q also rules out costs nothing.
    assert ce_core.cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_probability_zero_or_one_is_clipped_like_scikit_learn():
    # log_loss clips p to [eps, 1 - eps], eps = 2**-52: a sure-and-wrong prediction
    # costs -ln(2**-52) = 52 ln 2 = 36.04 nats, not infinity.
    assert ce_core.binary_cross_entropy([1], [0.0]) == pytest.approx(52 * ln(2), rel=1e-12)
    assert ce_core.binary_cross_entropy([0, 1], [0.0, 1.0]) == pytest.approx(
        -ln(1 - 2**-52), rel=1e-9)


def test_extreme_logits_stay_finite():
    # Softmax of [1000, 0] is [1, e^-1000] = [1, 0] in float64; the loss of the
    # losing class is exactly 1000 nats (log-sum-exp), not inf or nan.
    assert ce_core.softmax_cross_entropy(1, [1000.0, 0.0]) == 1000.0
    assert ce_core.softmax_cross_entropy(0, [1000.0, 0.0]) == 0.0
    assert ce_core.sigmoid_cross_entropy([1], [-1000.0]) == 1000.0
    assert ce_core.sigmoid(-1000.0) == 0.0 and ce_core.sigmoid(1000.0) == 1.0
    assert ce_core.log_softmax([-1000.0, 1000.0])[0] == -2000.0
