"""ce_core.likelihood: cross-entropy as negative log-likelihood, against SciPy, scikit-learn,
Python's own float arithmetic and hand computation."""

import functools
import math
import operator
import warnings

import numpy as np
import pytest
import scipy.optimize
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

import ce_core
from ce_core import InputError

SEVEN_OF_TEN = [1, 1, 0, 1, 0, 1, 1, 1, 0, 1]   # the page's default flips: HHTHTHHHTH

flip_lists = st.lists(st.integers(0, 1), min_size=1, max_size=300)
models = st.floats(0.01, 0.99)


# --- reading and drawing flips -------------------------------------------------------------

def test_read_flips_takes_letters_digits_and_separators():
    assert ce_core.read_flips("HHTHTHHHTH").tolist() == SEVEN_OF_TEN
    assert ce_core.read_flips(" h, t;1 0\n").tolist() == [1, 0, 1, 0]


@pytest.mark.parametrize("text, says", [
    ("", "No flips yet"),                       # nothing typed
    ("   , ", "No flips yet"),                  # separators only
    ("HHXT", "Flip 3 is 'X'"),                  # a stray letter, counted from 1
    ("H T 2", "Flip 3 is '2'"),                 # a digit that is not a flip
    ("H" * 10_001, "at most 10,000"),           # too long for the page
])
def test_read_flips_says_what_is_wrong_and_where(text, says):
    with pytest.raises(InputError, match=says):
        ce_core.read_flips(text)


def test_draw_flips_is_repeatable_and_has_the_coins_share_of_heads():
    a = ce_core.draw_flips(5000, heads=0.3, seed=4)
    assert a.tolist() == ce_core.draw_flips(5000, heads=0.3, seed=4).tolist()
    # 5,000 draws: the share of heads is within 4 standard errors of 0.3 (sd = 0.0065)
    assert abs(a.mean() - 0.3) < 4 * math.sqrt(0.3 * 0.7 / 5000)
    assert ce_core.draw_flips(10, heads=1.0).tolist() == [1] * 10
    with pytest.raises(InputError, match="n="):
        ce_core.draw_flips(0)


# --- a coin: likelihood, log-likelihood, cross-entropy --------------------------------------

def test_seven_heads_in_ten_by_hand():
    fit = ce_core.coin_likelihood(SEVEN_OF_TEN, 0.6)
    # L = 0.6^7 · 0.4^3 = 0.0279936 · 0.064 = 0.00179159...
    assert fit.likelihood == pytest.approx(0.6 ** 7 * 0.4 ** 3, rel=1e-14)
    assert fit.log_likelihood == pytest.approx(7 * math.log(0.6) + 3 * math.log(0.4), rel=1e-14)
    assert fit.cross_entropy == pytest.approx(-fit.log_likelihood / 10, rel=1e-14)
    assert (fit.n, fit.heads, fit.best_q) == (10, 7, 0.7)
    # the least cross-entropy is the entropy of (0.7, 0.3): 0.6109 nats = 0.8813 bits
    assert fit.best_cross_entropy == pytest.approx(-0.7 * math.log(0.7) - 0.3 * math.log(0.3))


@given(flip_lists, models)
def test_log_likelihood_is_scipys_bernoulli_log_pmf(flips, q):
    fit = ce_core.coin_likelihood(flips, q)
    expected = scipy.stats.bernoulli.logpmf(flips, q).sum()
    assert fit.log_likelihood == pytest.approx(expected, rel=1e-12, abs=1e-12)


@given(flip_lists, models)
def test_mean_cross_entropy_is_log_loss_and_h_of_the_shares(flips, q):
    """Three routes to one number: sklearn's log_loss of the constant prediction q,
    −(1/n) ln L, and H(P̂, Q) between the data's shares and the model."""
    fit = ce_core.coin_likelihood(flips, q)
    assert fit.cross_entropy == pytest.approx(
        log_loss(flips, [q] * len(flips), labels=[0, 1]), rel=1e-12)
    assert fit.cross_entropy == pytest.approx(ce_core.coin_cross_entropy_check(flips, q),
                                              rel=1e-12)


@given(flip_lists, models)
def test_likelihood_is_pythons_product_flip_by_flip(flips, q):
    expected = functools.reduce(operator.mul, [q if f else 1 - q for f in flips], 1.0)
    assert ce_core.coin_likelihood(flips, q).likelihood == expected   # same order, same bits


@given(st.integers(1, 500), st.integers(0, 500))
def test_the_best_q_is_the_share_of_heads_by_scipy(n, heads):
    heads = min(heads, n)
    flips = [1] * heads + [0] * (n - heads)
    fit = ce_core.coin_likelihood(flips, 0.5)
    assert fit.best_q == heads / n
    if 0 < heads < n:   # at 0 or n the minimum sits at the edge, q = 0 or 1
        found = scipy.optimize.minimize_scalar(
            lambda q: ce_core.coin_likelihood(flips, q).cross_entropy,
            bounds=(1e-9, 1 - 1e-9), method="bounded", options={"xatol": 1e-10})
        assert found.x == pytest.approx(heads / n, abs=1e-6)
    assert fit.best_cross_entropy == pytest.approx(
        ce_core.coin_likelihood(flips, heads / n).cross_entropy, abs=1e-12)


@given(flip_lists, models)
def test_cross_entropy_is_least_at_the_share_of_heads(flips, q):
    fit = ce_core.coin_likelihood(flips, q)
    assert fit.cross_entropy >= fit.best_cross_entropy - 1e-12
    # and the gap is KL(P̂ ‖ Q), by SciPy (its entropy(p, q) is the KL divergence)
    share = [fit.best_q, 1 - fit.best_q]
    assert fit.cross_entropy - fit.best_cross_entropy == pytest.approx(
        scipy.stats.entropy(share, [q, 1 - q]), abs=1e-12)


def test_a_model_that_rules_out_a_flip_that_happened():
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # never a NumPy warning
        fit = ce_core.coin_likelihood([1, 1, 0], 1.0)
        all_heads = ce_core.coin_likelihood([1, 1, 1], 1.0)
    assert (fit.likelihood, fit.log_likelihood, fit.cross_entropy) == (0.0, -math.inf, math.inf)
    assert (all_heads.likelihood, all_heads.cross_entropy) == (1.0, 0.0)   # 0·ln 0 = 0
    assert all_heads.best_cross_entropy == 0.0


def test_curves_agree_with_the_fit_at_each_q():
    qs = [0.0, 0.2, 0.5, 0.7, 1.0]
    curves = ce_core.coin_curves(SEVEN_OF_TEN, qs)
    for i, q in enumerate(qs):
        fit = ce_core.coin_likelihood(SEVEN_OF_TEN, q)
        assert curves["likelihood"][i] == pytest.approx(fit.likelihood, rel=1e-13)
        assert curves["log_likelihood"][i] == fit.log_likelihood
        assert curves["cross_entropy"][i] == fit.cross_entropy
    assert np.argmin(curves["cross_entropy"]) == np.argmax(curves["likelihood"]) == 3   # q = 0.7


@pytest.mark.parametrize("q", [1.5, -0.1, float("nan")])
def test_a_q_outside_zero_to_one_is_refused(q):
    with pytest.raises(InputError, match="q="):
        ce_core.coin_likelihood(SEVEN_OF_TEN, q)


def test_flips_other_than_zero_and_one_are_refused():
    with pytest.raises(InputError, match="flips has 2 at index 1"):
        ce_core.coin_likelihood([1, 2], 0.5)


# --- underflow: the product of 2,000 probabilities is 0.0, the sum of logs is not ------------

def test_two_thousand_fair_flips_underflow_the_product_not_the_logs():
    flips = ce_core.draw_flips(2000, heads=0.5, seed=0)
    fit = ce_core.coin_likelihood(flips, 0.5)
    # Python's own float multiplication says the same: 0.5^2000 = 2^-2000 < 2^-1074
    assert functools.reduce(operator.mul, [0.5] * 2000, 1.0) == 0.0
    assert fit.likelihood == 0.0
    assert fit.log_likelihood == pytest.approx(2000 * math.log(0.5), rel=1e-15)  # −1386.29 nats
    run = ce_core.running_product(flips, 0.5)
    # 2^-1074 is the smallest float64; 2^-1075 is exactly half of it and rounds to 0 (even)
    assert run.first_zero == 1075
    assert run.product[1073] == ce_core.FLOAT64_SMALLEST == 2.0 ** -1074 == 5e-324
    assert ce_core.LOG_FLOAT64_SMALLEST == pytest.approx(math.log(5e-324), rel=1e-15)  # −744.44
    # 2,000 additions in a row: each may round by half an ulp, 2000 · 1.1e-16 ≈ 2e-13
    assert run.sum_of_logs[-1] == pytest.approx(2000 * math.log(0.5), rel=1e-12)
    assert np.isfinite(run.sum_of_logs).all()
    np.testing.assert_allclose(run.log_of_product[:1000], run.sum_of_logs[:1000], rtol=1e-12)
    assert np.isneginf(run.log_of_product[1074:]).all()


def test_power_of_ten_writes_a_likelihood_float64_cannot_hold():
    mantissa, exponent = ce_core.power_of_ten(2000 * math.log(0.5))
    # 2000 · log10(0.5) = −602.0600: 10^0.93997 = 8.7098 (log10 from Python's math)
    assert exponent == -603
    assert mantissa == pytest.approx(10 ** (2000 * math.log10(0.5) + 603), rel=1e-10)
    assert ce_core.power_of_ten(math.log(1e-5)) == (pytest.approx(1.0), -5)


# --- a logistic model on labelled points ----------------------------------------------------

def overlapping_points(n=40, seed=3):
    x, y = ce_core.make_1d_data(n, separation=1.5, seed=seed)
    assert ce_core.classes_overlap(x, y)
    return x, y


def test_mean_cross_entropy_is_the_per_sample_negative_log_likelihood():
    x, y = overlapping_points()
    w, b = 0.8, -0.3
    fit = ce_core.logistic_likelihood(x, y, w, b)
    p = 1 / (1 + np.exp(-(w * x + b)))                     # σ written out
    assert fit.cross_entropy == pytest.approx(log_loss(y, p), rel=1e-12)
    assert fit.log_likelihood == pytest.approx(
        scipy.stats.bernoulli.logpmf(y, p).sum(), rel=1e-12)
    assert fit.cross_entropy == pytest.approx(-fit.log_likelihood / len(x), rel=1e-14)
    assert fit.likelihood == pytest.approx(math.prod(np.where(y == 1, p, 1 - p)), rel=1e-12)
    np.testing.assert_allclose(fit.p_true, np.where(y == 1, p, 1 - p), rtol=1e-12)
    np.testing.assert_allclose(fit.losses, -scipy.stats.bernoulli.logpmf(y, p), rtol=1e-10)
    np.testing.assert_allclose(ce_core.logistic_curve(w, b, x), p, rtol=1e-14)


@pytest.mark.parametrize("seed", [0, 1, 2, 7])
def test_the_best_fit_is_scikit_learns_unpenalised_logistic_regression(seed):
    x, y = overlapping_points(seed=seed)
    w, b = ce_core.logistic_mle(x, y)
    # C=inf is penalty=None (scikit-learn 1.8 deprecates the latter spelling)
    model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    assert w == pytest.approx(model.coef_[0, 0], abs=1e-6)
    assert b == pytest.approx(model.intercept_[0], abs=1e-6)


def test_the_best_fit_is_scipys_minimum_of_the_cross_entropy():
    x, y = overlapping_points(n=12, seed=5)
    found = scipy.optimize.minimize(
        lambda wb: ce_core.logistic_likelihood(x, y, wb[0], wb[1]).cross_entropy,
        x0=[0.0, 0.0], method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 20_000})
    w, b = ce_core.logistic_mle(x, y)
    assert (w, b) == (pytest.approx(found.x[0], abs=1e-6), pytest.approx(found.x[1], abs=1e-6))
    # at the best fit the gradient of the mean loss is zero (ce_core's own formula for it)
    np.testing.assert_allclose(ce_core.logistic_1d_grad(x, y, w, b), [0, 0], atol=1e-10)


# positions with two decimals, as data are written (1e-302 beside 0 would be a threshold
# no float64 fit can resolve)
positions = st.lists(st.integers(-500, 500).map(lambda i: i / 100), min_size=4, max_size=30)


@given(positions, st.randoms())
def test_no_small_move_from_the_best_fit_lowers_the_cross_entropy(xs, rng):
    y = [i % 2 for i in range(len(xs))]
    rng.shuffle(y)
    if not ce_core.classes_overlap(xs, y):
        with pytest.raises(InputError, match="do not overlap"):
            ce_core.logistic_mle(xs, y)
        return
    w, b = ce_core.logistic_mle(xs, y)
    best = ce_core.logistic_likelihood(xs, y, w, b).cross_entropy
    for dw, db in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert ce_core.logistic_likelihood(xs, y, w + dw, b + db).cross_entropy >= best - 1e-12


@pytest.mark.parametrize("x, y, overlap", [
    ([0, 1, 2, 3], [0, 0, 1, 1], False),    # a threshold at 1.5 separates them
    ([0, 1, 2, 3], [1, 1, 0, 0], False),    # the same, the other way round
    ([0, 1, 1, 2], [0, 0, 1, 1], False),    # touching at x = 1: still no finite best
    ([0, 1, 2, 3], [1, 1, 1, 1], False),    # one class only: b runs off to +∞
    ([0, 2, 1, 3], [0, 0, 1, 1], True),     # a 0 right of a 1
])
def test_classes_overlap(x, y, overlap):
    assert ce_core.classes_overlap(x, y) is overlap


def test_separated_classes_have_no_best_fit_and_say_how_to_fix_it():
    with pytest.raises(InputError, match="Move the classes closer together"):
        ce_core.logistic_mle([0, 1, 2, 3], [0, 0, 1, 1])


def test_mismatched_points_and_labels_are_refused():
    with pytest.raises(InputError, match="x has 3 points but y has 2 labels"):
        ce_core.logistic_likelihood([0, 1, 2], [0, 1], 1.0, 0.0)
    with pytest.raises(InputError, match="y has 2 at index 0"):
        ce_core.logistic_likelihood([0, 1], [2, 1], 1.0, 0.0)
