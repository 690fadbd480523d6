"""Extreme but valid inputs get the right number (or an honest ∞), never nan or a warning.

References: PyTorch in float64, and hand limits. RuntimeWarnings are errors (pyproject).
"""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import ce_core

HUGE = 1e308   # the far ends are 2e308 apart: more than float64 holds


@pytest.mark.parametrize("label", [0, 1])
def test_logits_a_float_range_apart_match_pytorch(label):
    logits = [[HUGE, -HUGE]]
    expected = F.cross_entropy(torch.tensor(logits, dtype=torch.float64),
                               torch.tensor([label])).item()
    got = ce_core.softmax_cross_entropy([label], logits)
    assert got == expected                       # 0 for the favoured class, inf for the other
    assert not math.isnan(got)


def test_softmax_and_log_softmax_of_logits_a_float_range_apart():
    np.testing.assert_array_equal(ce_core.softmax([HUGE, -HUGE]), [1.0, 0.0])
    np.testing.assert_array_equal(ce_core.softmax([HUGE, -HUGE], temperature=0.1), [1.0, 0.0])
    np.testing.assert_array_equal(ce_core.log_softmax([HUGE, -HUGE]), [0.0, -np.inf])


def test_a_class_of_weight_zero_adds_nothing_even_where_its_log_probability_is_minus_inf():
    # class 1 has weight 0: the sample of class 0 pays its own loss, 0; no 0 * -inf = nan
    assert ce_core.softmax_cross_entropy([0], [[HUGE, -HUGE]], class_weight=[1.0, 0.0]) == 0.0


def test_label_smoothing_of_an_infinitely_wrong_class_is_infinite_not_nan():
    got = ce_core.softmax_cross_entropy([1], [[HUGE, -HUGE]], label_smoothing=0.1)
    assert got == math.inf


# ----------------------------------------------------------------------------- Your numbers

from ce_core import parsing, scoring  # noqa: E402


def scored(text: str, **options):
    return scoring.score(parsing.parse_table(text, **options))


@pytest.mark.parametrize("scale", [1e308, 5e-324, 1.0])
def test_weights_of_any_size_give_the_same_weighted_mean(scale):
    # equal weights, however large or small: the plain mean of -ln 0.9 and -ln 0.6
    expected = (-math.log(0.9) - math.log(0.6)) / 2
    s = scored(f"1, 0.9, {scale!r}\n1, 0.6, {scale!r}", weights_column=True)
    assert s.mean == pytest.approx(expected, rel=1e-12)
    assert s.reference == pytest.approx(expected, rel=1e-9)      # log_loss, given scaled weights


def test_an_infinite_loss_of_weight_zero_counts_for_nothing():
    s = scoring.score(parsing.parse_table("1, 0.0, 0\n1, 0.5, 1", weights_column=True),
                      clip=False)
    assert s.mean == pytest.approx(math.log(2), rel=1e-12)       # -ln 0.5; the p = 0 row weighs 0


@pytest.mark.parametrize("p", [0.3, 0.9, 0.1 + 0.2, 1 / 3])
def test_two_losses_a_rounding_step_apart_get_one_histogram_bar(p):
    s = scored(f"1, {p!r}\n0, {1 - p!r}")
    counts, edges, n_inf = scoring.loss_histogram(s.per_sample, "nats")
    assert counts.sum() == 2 and n_inf == 0
    assert edges[0] <= s.per_sample.min() and s.per_sample.max() <= edges[-1]
