"""The curve and worked-example functions of ce_core.losses and ce_core.activations (one
binary prediction, logit gradients, the naive softmax, loss tables) against hand formulas, finite differences, SciPy, scikit-learn and PyTorch.

Expected values never come from ce_core itself.
"""

import math
import warnings

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import log_loss

import ce_core
from ce_core import InputError

ln = math.log
EPS = np.finfo(np.float64).eps  # what sklearn's log_loss clips to


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


# ----------------------------------------------------------------------------- penalty curves

def bce(p, y, **options):
    """The loss of one binary prediction: binary_cross_entropy of a one-sample batch."""
    return ce_core.binary_cross_entropy([y], [p], **options)


def test_penalty_matches_the_seed_numbers_by_hand():
    # Seed 000: -ln 0.9 = 0.105, -ln 0.1 = 2.30 for a positive.
    assert bce(0.9, 1) == pytest.approx(0.1054, abs=5e-5)
    assert bce(0.1, 1) == pytest.approx(2.3026, abs=5e-5)
    # A negative pays -ln(1 - p): the label-0 curve is the mirror image.
    assert bce(0.1, 0) == pytest.approx(-ln(0.9), rel=1e-12)


@given(st.floats(0.0, 1.0), st.sampled_from([0, 1]))
def test_penalty_equals_log_loss_of_one_sample(p, y):
    expected = log_loss([y], [p], labels=[0, 1])
    assert bce(p, y) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_penalty_at_certain_wrong_answer_is_infinite_unless_clipped():
    assert bce(0.0, 1, clip=False) == math.inf
    assert bce(1.0, 0, clip=False) == math.inf
    # sklearn clips to eps = 2**-52, so the worst loss is 52 ln 2 = 36.04 nats.
    assert bce(0.0, 1) == pytest.approx(52 * ln(2), rel=1e-9)
    assert bce(0.0, 1) == pytest.approx(log_loss([1], [0.0], labels=[0, 1]), rel=1e-12)


def test_exact_penalty_of_a_certain_right_answer_is_plus_zero():
    value = bce(1.0, 1, clip=False)
    assert value == 0.0 and math.copysign(1.0, value) == 1.0  # not -0.0


def test_penalty_curve_over_a_grid_matches_formula():
    p = np.array([0.2, 0.5, 0.75])
    np.testing.assert_allclose(ce_core.binary_cross_entropy(np.ones(3), p, reduction="none"), [-ln(0.2), -ln(0.5), -ln(0.75)], rtol=1e-12)
    np.testing.assert_allclose(ce_core.binary_cross_entropy(np.zeros(3), p, reduction="none"), [-ln(0.8), -ln(0.5), -ln(0.25)], rtol=1e-12)


def test_squared_error_by_hand():
    np.testing.assert_allclose(ce_core.squared_error([0.9, 0.1, 0.0], 1), [0.01, 0.81, 1.0])
    assert ce_core.squared_error(0.3, 0) == pytest.approx(0.09)


def test_focal_penalty_formula_and_gamma_zero_is_cross_entropy():
    # -(1 - 0.6)^2 ln 0.6 for a positive at p = 0.6
    assert ce_core.focal_loss([1], [0.6], gamma=2.0) == pytest.approx(-(0.4**2) * ln(0.6), rel=1e-12)
    assert ce_core.focal_loss([0], [0.3], gamma=0.0) == pytest.approx(-ln(0.7), rel=1e-12)


# ----------------------------------------------------------------------------- logit gradients

def _central_difference(loss_of_z, z, h=1e-6):
    return (loss_of_z(z + h) - loss_of_z(z - h)) / (2 * h)


@pytest.mark.parametrize("z", [-6.0, -2.0, -0.3, 0.0, 0.7, 3.0, 6.0])
@pytest.mark.parametrize("y", [0, 1])
def test_logit_gradients_match_central_differences(z, y):
    p = _sigmoid(z)
    se = lambda t: (y - _sigmoid(t)) ** 2  # noqa: E731
    ce = lambda t: -(y * ln(_sigmoid(t)) + (1 - y) * ln(1 - _sigmoid(t)))  # noqa: E731
    assert ce_core.logit_gradient_squared_error(p, y) == pytest.approx(
        _central_difference(se, z), abs=1e-7)
    assert ce_core.logit_gradient_cross_entropy(p, y) == pytest.approx(
        _central_difference(ce, z), abs=1e-7)


def test_squared_error_gradient_vanishes_when_confidently_wrong():
    # A positive at p = 0.001: CE pushes with -0.999, SE with 2(-0.999)(0.001)(0.999).
    assert ce_core.logit_gradient_cross_entropy(0.001, 1) == pytest.approx(-0.999)
    assert ce_core.logit_gradient_squared_error(0.001, 1) == pytest.approx(-0.001996002, rel=1e-6)
    assert ce_core.logit_gradient_squared_error(0.0, 1) == 0.0


@pytest.mark.parametrize("call", [
    lambda: bce(1.2, 1),                                    # p outside [0, 1]
    lambda: bce(0.5, 2),                                    # label not binary
    lambda: ce_core.squared_error(0.5, [0, 1]),            # a list where one label is expected
    lambda: ce_core.logit_gradient_cross_entropy(0.5, 2),  # label not binary
    lambda: ce_core.squared_error([0.5, float("nan")], 1),  # NaN
    lambda: ce_core.focal_loss([1], [0.5], gamma=-1),       # negative gamma
])
def test_bad_inputs_raise_input_error(call):
    with pytest.raises(InputError):
        call()


# ----------------------------------------------------------------------------- softmax

def test_naive_softmax_at_1000_is_nan_and_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any RuntimeWarning fails the test
        out = ce_core.naive_softmax([1000.0, 999.0, 998.0])
        mixed = ce_core.naive_softmax([1000.0, 0.0])
    assert np.isnan(out).all()
    assert np.isnan(mixed[0]) and mixed[1] == 0.0  # inf/inf = nan, 1/inf = 0


@given(st.lists(st.floats(-50, 50), min_size=2, max_size=10))
def test_naive_softmax_agrees_with_scipy_when_nothing_overflows(z):
    np.testing.assert_allclose(ce_core.naive_softmax(z), scipy.special.softmax(z), rtol=1e-9,
                               atol=1e-300)


def test_side_by_side_shows_naive_breaking_and_stable_exact():
    table = ce_core.softmax_side_by_side([2.0, 1.0, 0.1], shift=1000.0)
    np.testing.assert_array_equal(table["logit"], [1002.0, 1001.0, 1000.1])
    assert np.isinf(table["naive exp"]).all() and table["naive broke"].all()
    # softmax ignores a common shift: the stable column equals scipy's on the unshifted logits
    np.testing.assert_allclose(table["stable p"], scipy.special.softmax([2.0, 1.0, 0.1]), rtol=1e-12)
    np.testing.assert_allclose(table["stable exp"], np.exp([0.0, -1.0, -1.9]), rtol=1e-12)


def test_side_by_side_below_overflow_agrees():
    table = ce_core.softmax_side_by_side([2.0, 1.0, 0.1], shift=700.0)  # e^702 < 1.8e308
    assert not table["naive broke"].any()
    np.testing.assert_allclose(table["naive p"], table["stable p"], rtol=1e-9)


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("label", [0, 2])
def test_softmax_step_matches_pytorch_autograd(temperature, label):
    z_list = [2.0, -1.0, 0.3, 1.5]
    z = torch.tensor(z_list, dtype=torch.float64, requires_grad=True)
    loss = F.cross_entropy((z / temperature)[None, :], torch.tensor([label]))
    loss.backward()
    step = ce_core.softmax_step(z_list, label, temperature=temperature)
    assert step.loss == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(step.gradient, z.grad.numpy(), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(step.probabilities,
                               scipy.special.softmax(np.array(z_list) / temperature), rtol=1e-12)


def test_softmax_step_equal_scores_cost_ln_k():
    step = ce_core.softmax_step([0.0] * 4, 3)
    assert step.loss == pytest.approx(ln(4))
    np.testing.assert_allclose(step.gradient, [0.25, 0.25, 0.25, -0.75])


def test_seed_probabilities_as_logits_vs_real_logits_in_pytorch():
    # Seed 001: softmax output [0.7, 0.2, 0.1], class 0 true.
    p = torch.tensor([[0.7, 0.2, 0.1]], dtype=torch.float64)
    y = torch.tensor([0])
    z = ce_core.logits_from_probabilities([0.7, 0.2, 0.1])
    np.testing.assert_allclose(scipy.special.softmax(z), [0.7, 0.2, 0.1], rtol=1e-12)
    assert F.cross_entropy(torch.from_numpy(z)[None, :], y).item() == pytest.approx(-ln(0.7))
    # -ln 0.7 = 0.3567 nats; the article's 0.5146 is -log2 0.7, the same loss in bits
    assert -ln(0.7) == pytest.approx(0.3567, abs=5e-5) and -math.log2(0.7) == pytest.approx(0.5146, abs=5e-5)
    # misused as logits the probabilities give ln(e^.7 + e^.2 + e^.1) - 0.7 = 0.7679
    assert F.cross_entropy(p, y).item() == pytest.approx(0.7679, abs=5e-5)
    assert ce_core.softmax_cross_entropy([0], [[0.7, 0.2, 0.1]]) == pytest.approx(
        F.cross_entropy(p, y).item(), rel=1e-12)


def test_logits_from_probabilities_rejects_zero():
    with pytest.raises(InputError, match="index 1"):
        ce_core.logits_from_probabilities([1.0, 0.0])


# ----------------------------------------------------------------------------- worked examples

def test_binary_loss_table_of_seed_002():
    y, p = [1, 0, 1, 1, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.9]
    table = ce_core.binary_loss_table(y, p)
    np.testing.assert_allclose(table["p of true label"], [0.9, 0.9, 0.8, 0.7, 0.8, 0.9])
    np.testing.assert_allclose(table["loss"], -np.log([0.9, 0.9, 0.8, 0.7, 0.8, 0.9]), rtol=1e-12)
    assert table["loss"].mean() == pytest.approx(log_loss(y, p), rel=1e-12)
    assert table["loss"].mean() == pytest.approx(0.1865, abs=5e-5)


@pytest.mark.parametrize("labels", [
    [0, 1, 2, 0, 1],
    [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]],
])
def test_categorical_loss_table_of_seed_002(labels):
    probs = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.3, 0.5], [0.8, 0.1, 0.1], [0.2, 0.7, 0.1]]
    table = ce_core.categorical_loss_table(labels, probs)
    np.testing.assert_array_equal(table["true class"], [0, 1, 2, 0, 1])
    np.testing.assert_allclose(table["p of true class"], [0.7, 0.6, 0.5, 0.8, 0.7])
    assert table["loss"].mean() == pytest.approx(log_loss([0, 1, 2, 0, 1], probs), rel=1e-12)
    assert table["loss"].mean() == pytest.approx(0.4281, abs=5e-5)


def test_categorical_loss_table_of_sklearn_example():
    table = ce_core.categorical_loss_table([0, 1], [[0.9, 0.1], [0.5, 0.5]])
    np.testing.assert_allclose(table["loss"], [-ln(0.9), -ln(0.5)], rtol=1e-12)
    assert table["loss"].mean() == pytest.approx(0.3993, abs=5e-5)  # sklearn docs: 0.3993...


def test_categorical_loss_table_rejects_soft_targets():
    with pytest.raises(InputError, match="one-hot"):
        ce_core.categorical_loss_table([[0.5, 0.5]], [[0.9, 0.1]])
