"""Every bad input raises InputError with a message that says what, where and how.

Each row: (call, a regex the message must match). The regex names the
problem and, where there is one, the position; every message must also
contain a sentence telling the user what to do.
"""

import math
import re
import warnings

import numpy as np
import pytest

import ce_core
from ce_core import InputError

nan, inf = math.nan, math.inf
GOOD_PROBS = [[0.9, 0.1], [0.4, 0.6]]

BAD_INPUTS = [
    # --- entropy / cross_entropy / kl_divergence: one distribution each
    pytest.param(lambda: ce_core.entropy([0.5, nan]), r"p contains nan at index 1", id="entropy-nan"),
    pytest.param(lambda: ce_core.entropy([0.5, inf, 0.5]), r"p contains inf at index 1", id="entropy-inf"),
    pytest.param(lambda: ce_core.entropy([1.2, -0.2]), r"p has 1.2 at index 0, outside \[0, 1\]", id="entropy-above-one"),
    pytest.param(lambda: ce_core.entropy([0.2, 0.3]), r"p sums to 0.5, not 1", id="entropy-not-summing"),
    pytest.param(lambda: ce_core.entropy([]), r"p is empty", id="entropy-empty"),
    pytest.param(lambda: ce_core.entropy([[0.5, 0.5]]), r"p must be 1-D, but it has shape \(1, 2\)", id="entropy-2d"),
    pytest.param(lambda: ce_core.entropy(["half", 0.5]), r"not a number at index 0 \('half'\)", id="entropy-string"),
    pytest.param(lambda: ce_core.entropy(None), r"p is missing", id="entropy-none"),
    pytest.param(lambda: ce_core.entropy([0.5, 0.5], base=1), r"base=1 has no logarithm", id="entropy-base-1"),
    pytest.param(lambda: ce_core.entropy([0.5, 0.5], base=-2), r"base=-2 is outside", id="entropy-base-negative"),
    pytest.param(lambda: ce_core.cross_entropy([0.5, 0.5], [1.0]), r"p has 2 outcomes but q has 1", id="ce-lengths"),
    pytest.param(lambda: ce_core.cross_entropy([0.5, 0.5], [0.7, 0.7]), r"q sums to 1.4, not 1", id="ce-q-not-summing"),
    pytest.param(lambda: ce_core.kl_divergence([0.5, 0.5], [nan, 1.0]), r"q contains nan at index 0", id="kl-nan"),
    pytest.param(lambda: ce_core.kl_divergence([-0.1, 1.1], [0.5, 0.5]), r"p has -0.1 at index 0", id="kl-negative"),
    # --- activations
    pytest.param(lambda: ce_core.softmax([1.0, nan]), r"logits contains nan at index 1", id="softmax-nan"),
    pytest.param(lambda: ce_core.softmax([]), r"logits is empty", id="softmax-empty"),
    pytest.param(lambda: ce_core.softmax([1.0, 2.0], temperature=0), r"temperature=0 is outside \(0", id="softmax-zero-temperature"),
    pytest.param(lambda: ce_core.softmax([1.0, 2.0], temperature=-1), r"temperature=-1 is outside", id="softmax-negative-temperature"),
    pytest.param(lambda: ce_core.softmax([1.0, 2.0], axis=3), r"axis=3 does not exist", id="softmax-axis"),
    pytest.param(lambda: ce_core.log_softmax([[1.0, 2.0], [1.0]]), r"rows of different lengths", id="log-softmax-ragged"),
    pytest.param(lambda: ce_core.sigmoid([0.0, -inf]), r"z contains -inf at index 1", id="sigmoid-inf"),
    pytest.param(lambda: ce_core.sigmoid(nan), r"z contains nan", id="sigmoid-scalar-nan"),
    # --- binary_cross_entropy
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 2], [0.5, 0.5]), r"y_true has 2 at index 1, but a binary loss needs labels 0 or 1", id="bce-label-2"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 0.5], [0.5, 0.5]), r"y_true has 0.5 at index 1", id="bce-soft-label"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 0], [0.5, 1.5]), r"p has 1.5 at index 1, outside \[0, 1\]", id="bce-p-above-one"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 0], [0.5]), r"y_true has 2 entries but p has 1", id="bce-lengths"),
    pytest.param(lambda: ce_core.binary_cross_entropy([], []), r"y_true is empty", id="bce-empty"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 0], [nan, 0.5]), r"p contains nan at index 0", id="bce-nan"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 0], [0.5, 0.5], sample_weight=[1]), r"sample_weight has 1 entries but there are 2 samples", id="bce-weight-length"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 0], [0.5, 0.5], sample_weight=[1, -1]), r"sample_weight has -1 at index 1", id="bce-weight-negative"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1, 0], [0.5, 0.5], sample_weight=[0, 0]), r"All weights are 0", id="bce-weights-all-zero"),
    pytest.param(lambda: ce_core.binary_cross_entropy([1], [0.5], reduction="avg"), r"reduction='avg' is not one of", id="bce-reduction"),
    # --- categorical_cross_entropy
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 2], GOOD_PROBS), r"y_true has label 2 at index 1, but there are only 2 classes", id="cce-label-out-of-range"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, -1], GOOD_PROBS), r"y_true has label -1 at index 1", id="cce-negative-label"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 1.5], GOOD_PROBS), r"1.5 at index 1, which is not a whole number", id="cce-fractional-label"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 1], [[0.9, 0.2], [0.4, 0.6]]), r"probs row 0 sums to 1.1, not 1", id="cce-row-sum"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 1], [[0.9, 0.1], [1.4, -0.4]]), r"probs has 1.4 at row 1, column 0, outside \[0, 1\]", id="cce-prob-range"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 1], [[0.9, 0.1], [nan, 0.5]]), r"probs contains nan at row 1, column 0", id="cce-nan"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 1, 1], GOOD_PROBS), r"y_true has 3 labels but there are 2 rows", id="cce-lengths"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 1], [0.9, 0.1]), r"probs must be 2-D", id="cce-1d-probs"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 0], [[1.0], [1.0]]), r"at least 2\s+classes", id="cce-one-class"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([[1, 0, 0], [0, 1, 0]], GOOD_PROBS), r"y_true has shape \(2, 3\) but the predictions have shape \(2, 2\)", id="cce-onehot-shape"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([[1, 1], [0, 1]], GOOD_PROBS), r"y_true row 0 sums to 2, not 1", id="cce-onehot-two-hot"),
    pytest.param(lambda: ce_core.categorical_cross_entropy([0, 1], [[0.9, 0.1], [0.4]]), r"rows of different lengths", id="cce-ragged"),
    pytest.param(lambda: ce_core.categorical_cross_entropy(["cat", "dog"], GOOD_PROBS), r"y_true contains something that is not a number at index 0 \('cat'\)", id="cce-string-labels"),
    # --- softmax_cross_entropy
    pytest.param(lambda: ce_core.softmax_cross_entropy([0, 3], [[1.0, 2.0], [3.0, 4.0]]), r"label 3 at index 1", id="sce-label-out-of-range"),
    pytest.param(lambda: ce_core.softmax_cross_entropy([0, 1], [[1.0, inf], [3.0, 4.0]]), r"logits contains inf at row 0, column 1", id="sce-inf"),
    pytest.param(lambda: ce_core.softmax_cross_entropy([0], [[1.0, 2.0]], class_weight=[1.0]), r"class_weight has 1 entries but there are 2 classes", id="sce-weight-length"),
    pytest.param(lambda: ce_core.softmax_cross_entropy([0], [[1.0, 2.0]], class_weight=[1.0, -1.0]), r"class_weight has a negative entry", id="sce-weight-negative"),
    pytest.param(lambda: ce_core.softmax_cross_entropy([0], [[1.0, 2.0]], class_weight=[0.0, 1.0]), r"Every sample's class has weight 0", id="sce-weight-zero-mean"),
    pytest.param(lambda: ce_core.softmax_cross_entropy([0], [[1.0, 2.0]], label_smoothing=1.5), r"label_smoothing=1.5 is outside \[0, 1\]", id="sce-smoothing"),
    pytest.param(lambda: ce_core.softmax_cross_entropy(0, [5.0]), r"at least 2\s+classes", id="sce-one-logit"),
    pytest.param(lambda: ce_core.softmax_cross_entropy([[0.5, 0.6]], [[1.0, 2.0]]), r"y_true row 0 sums to 1.1", id="sce-soft-target-sum"),
    # --- sigmoid_cross_entropy
    pytest.param(lambda: ce_core.sigmoid_cross_entropy([1, 0], [0.0]), r"y_true has shape \(2,\) but logits have shape \(1,\)", id="sig-shape"),
    pytest.param(lambda: ce_core.sigmoid_cross_entropy([1.5], [0.0]), r"y_true has 1.5 at index 0, outside \[0, 1\]", id="sig-target-range"),
    pytest.param(lambda: ce_core.sigmoid_cross_entropy([[1, 0]], [[0.0, 1.0]], pos_weight=[1, 2, 3]), r"pos_weight has 3 entries but the logits have 2 column", id="sig-pos-weight-length"),
    pytest.param(lambda: ce_core.sigmoid_cross_entropy([1], [0.0], pos_weight=-1), r"pos_weight has a negative entry", id="sig-pos-weight-negative"),
    # --- focal_loss
    pytest.param(lambda: ce_core.focal_loss([1, 3], [0.5, 0.5]), r"y_true has 3 at index 1", id="focal-label"),
    pytest.param(lambda: ce_core.focal_loss([1], [0.5], gamma=-1), r"gamma=-1 is outside \[0, inf\)", id="focal-gamma"),
    pytest.param(lambda: ce_core.focal_loss([1], [0.5], alpha=2), r"alpha=2 is outside \[0, 1\]", id="focal-alpha"),
    pytest.param(lambda: ce_core.focal_loss([1], [0.5], gamma=nan), r"gamma=nan is outside", id="focal-gamma-nan"),
    # --- softmax_cross_entropy_grad
    pytest.param(lambda: ce_core.softmax_cross_entropy_grad([5], [[1.0, 2.0]]), r"label 5 at index 0", id="grad-label"),
    pytest.param(lambda: ce_core.softmax_cross_entropy_grad([0, 1], [[1.0, 2.0]]), r"y_true has 2 labels but there are 1 rows", id="grad-lengths"),
    pytest.param(lambda: ce_core.softmax_cross_entropy_grad(0, [[[1.0]]]), r"logits must be 1-D or 2-D", id="grad-3d"),
]

# Every message ends with an instruction; these are the verbs (or rules) they start with.
HOW_TO_FIX = re.compile(
    r"(Pass|Give|Use|Choose|Map|Renumber|remove|divide|Weights must|Probabilities lie|"
    r"Every value must|Class weights must|Labels are|Both distributions)"
)


@pytest.mark.parametrize("call, message", BAD_INPUTS)
def test_bad_input_raises_input_error_with_a_useful_message(call, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy warning may escape on the way
        with pytest.raises(InputError, match=message) as info:
            call()
    assert HOW_TO_FIX.search(str(info.value)), f"message does not say how to fix it: {info.value}"


def test_input_error_is_a_value_error():
    assert issubclass(InputError, ValueError)
    with pytest.raises(ValueError):
        ce_core.entropy([2.0, -1.0])


def test_every_public_function_is_in_the_table():
    """A new public function must get at least one bad-input row."""
    public = {name for name in ce_core.__all__ if callable(getattr(ce_core, name))} - {"InputError"}
    covered = {param.id.split("-")[0] for param in BAD_INPUTS}
    aliases = {"entropy": "entropy", "cross_entropy": "ce", "kl_divergence": "kl",
               "softmax": "softmax", "log_softmax": "log", "sigmoid": "sigmoid",
               "binary_cross_entropy": "bce", "categorical_cross_entropy": "cce",
               "softmax_cross_entropy": "sce", "sigmoid_cross_entropy": "sig",
               "focal_loss": "focal", "softmax_cross_entropy_grad": "grad"}
    missing = [name for name in aliases if aliases[name] not in covered]
    assert not missing, f"no bad-input rows for {missing}"
    assert set(aliases) <= public


def test_valid_extremes_are_not_rejected():
    # Exactly 0 and 1 are valid probabilities; rows off by < 1e-6 are accepted.
    assert ce_core.categorical_cross_entropy([0], [[1.0, 0.0]]) >= 0
    assert ce_core.categorical_cross_entropy([0], [[0.5 + 4e-7, 0.5]]) >= 0
    assert np.isfinite(ce_core.binary_cross_entropy([0, 1], [1.0, 0.0]))
