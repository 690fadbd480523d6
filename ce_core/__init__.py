"""ce_core: the math behind the app. NumPy and scikit-learn only, never Streamlit.

Natural logs (nats) everywhere unless ``base=`` says otherwise. Every public
function raises :class:`InputError` (a ``ValueError``) for bad input, with a
message that says what is wrong, where, and how to fix it.

One module a concept: ``information`` (entropy, cross-entropy, KL), ``likelihood``
(cross-entropy as negative log-likelihood: a coin and a logistic model), ``coding`` (a real
code, Huffman's, beside the ideal lengths), ``activations``
(softmax, sigmoid, and the naive softmax that overflows), ``losses`` (the losses, their
gradients, sample-by-sample tables), ``parsing`` and ``scoring`` (your own numbers),
``datasets``, ``training`` and ``replay`` (live training), ``pitfalls``, ``validation``.
"""

from .activations import (log_softmax, logits_from_probabilities, logsumexp, naive_softmax,
                          sigmoid, softmax, softmax_side_by_side)
from .coding import HuffmanCode, huffman_code
from .information import (PAIR_COSTS_EXACT_K, PairCosts, binary_entropy, cross_entropy, entropy, entropy_terms,
                          kl_divergence, max_entropy, normalize_weights, pair_costs, surprise,
                          to_unit)
from .likelihood import (FLOAT64_SMALLEST, LOG_FLOAT64_SMALLEST, CoinFit, LogisticFit,
                         RunningProduct, classes_overlap, coin_cross_entropy_check, coin_curves,
                         coin_likelihood, draw_flips, flip_probabilities, logistic_curve,
                         logistic_likelihood, logistic_mle, power_of_ten, read_flips,
                         running_product)
from .losses import (SoftmaxStep, binary_cross_entropy, binary_loss_table,
                     categorical_cross_entropy, categorical_loss_table, focal_loss,
                     logit_gradient_cross_entropy, logit_gradient_squared_error,
                     sigmoid_cross_entropy, softmax_cross_entropy, softmax_cross_entropy_grad,
                     softmax_step, softmax_steps, squared_error)
from .validation import InputError

# The training and pitfalls modules need scikit-learn and SciPy, which take over a second
# to import. They load on first use (PEP 562), so the landing page and the concept pages
# start without them; ``ce_core.Trainer`` and ``from ce_core import Trainer`` work as usual.
_LAZY = {
    "datasets": ("DATASETS", "Dataset", "make_dataset"),
    "training": (
        "DescentPath", "Diverged", "EpochRecord", "History", "ModelSpec", "Surface", "Trainer",
        "TrainingRun",
        "decision_surface_grid", "gradient_descent_1d", "logistic_1d_grad", "logistic_1d_loss",
        "logistic_1d_optimum", "logistic_1d_surface", "make_1d_data", "most_penalised",
        "pointwise_losses", "surface_around", "train",
    ),
    "pitfalls": (
        "base_rate_baseline", "balanced_class_weights", "expected_calibration_error",
        "fit_temperature", "focal_weights", "per_class_report", "reliability_bins",
        "scale_temperature", "temperature_loss",
    ),
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}

__all__ = [
    "InputError",
    # information
    "binary_entropy", "cross_entropy", "entropy", "entropy_terms", "kl_divergence", "max_entropy",
    "normalize_weights", "PAIR_COSTS_EXACT_K", "PairCosts", "pair_costs", "surprise", "to_unit",
    # coding
    "HuffmanCode", "huffman_code",
    # activations
    "log_softmax", "logits_from_probabilities", "logsumexp", "naive_softmax", "sigmoid", "softmax",
    "softmax_side_by_side",
    # likelihood
    "FLOAT64_SMALLEST", "LOG_FLOAT64_SMALLEST", "CoinFit", "LogisticFit", "RunningProduct", "classes_overlap",
    "coin_cross_entropy_check", "coin_curves", "coin_likelihood", "draw_flips",
    "flip_probabilities", "logistic_curve", "logistic_likelihood", "logistic_mle",
    "power_of_ten", "read_flips", "running_product",
    # losses
    "SoftmaxStep", "binary_cross_entropy", "binary_loss_table", "categorical_cross_entropy",
    "categorical_loss_table", "focal_loss", "logit_gradient_cross_entropy",
    "logit_gradient_squared_error", "sigmoid_cross_entropy", "softmax_cross_entropy",
    "softmax_cross_entropy_grad", "softmax_step", "softmax_steps", "squared_error",
    # loaded on first use
    "pitfalls", *_HOME,
]


def __getattr__(name: str):
    import importlib

    if name == "pitfalls":
        return importlib.import_module(".pitfalls", __name__)
    if name in _HOME:
        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
