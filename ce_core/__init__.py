"""ce_core: the math behind the app. NumPy and scikit-learn only, never Streamlit.

Natural logs (nats) everywhere unless ``base=`` says otherwise. Every public
function raises :class:`InputError` (a ``ValueError``) for bad input, with a
message that says what is wrong, where, and how to fix it.
"""

from .activations import log_softmax, sigmoid, softmax
from .information import cross_entropy, entropy, kl_divergence, surprise, to_unit
from .information import binary_entropy, max_entropy, normalize_weights
from .losses import (
    binary_cross_entropy,
    categorical_cross_entropy,
    focal_loss,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from .validation import InputError
from .curves import (
    SoftmaxStep,
    binary_loss_table,
    categorical_loss_table,
    focal_penalty,
    logit_gradient_cross_entropy,
    logit_gradient_squared_error,
    logits_from_probabilities,
    naive_softmax,
    penalty,
    probability_grid,
    softmax_side_by_side,
    softmax_step,
    squared_error,
)

__all__ = [
    "InputError",
    "binary_entropy",
    "max_entropy",
    "normalize_weights",
    "binary_cross_entropy",
    "categorical_cross_entropy",
    "cross_entropy",
    "entropy",
    "focal_loss",
    "kl_divergence",
    "log_softmax",
    "sigmoid",
    "sigmoid_cross_entropy",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "surprise",
    "to_unit",
]
__all__ += [
    "SoftmaxStep", "binary_loss_table", "categorical_loss_table", "focal_penalty",
    "logit_gradient_cross_entropy", "logit_gradient_squared_error", "logits_from_probabilities",
    "naive_softmax", "penalty", "probability_grid", "softmax_side_by_side", "softmax_step",
    "squared_error",
]
# The training and pitfalls modules need scikit-learn and SciPy, which take over a second
# to import. They load on first use (PEP 562), so the landing page and the concept pages
# start without them; ``ce_core.Trainer`` and ``from ce_core import Trainer`` work as usual.
_LAZY = {
    "datasets": ["DATASETS", "Dataset", "make_dataset"],
    "training": [
        "DescentPath", "EpochRecord", "History", "ModelSpec", "Surface", "Trainer",
        "decision_surface_grid", "gradient_descent_1d", "logistic_1d_grad", "logistic_1d_loss",
        "logistic_1d_optimum", "logistic_1d_surface", "make_1d_data", "most_penalised",
        "pointwise_losses", "surface_around", "train",
    ],
    "pitfalls": [
        "base_rate_baseline", "balanced_class_weights", "expected_calibration_error",
        "fit_temperature", "focal_weights", "per_class_report", "reliability_bins",
        "scale_temperature", "temperature_loss",
    ],
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}
__all__ += ["pitfalls"] + list(_HOME)


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
