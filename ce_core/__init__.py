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
