"""Vega-Lite chart builders: data in, :class:`~ce_core.figures.style.Chart` out. One module per topic.

The concept pages' builders import at once; the training and pitfalls ones need
scikit-learn, so they load on first use (PEP 562) and a concept page never pays for it.
"""

from .information import binary_entropy_curve, compare_distributions, entropy_decomposition, surprise_bars
from .penalty import logit_gradients, loss_comparison, penalty_curves
from .softmax import softmax_gradient_bars, softmax_probability_bars, softmax_temperature_lines
from .style import CONFIG, PALETTE, Chart

__all__ = ["CONFIG", "PALETTE", "Chart"]
__all__ += ["binary_entropy_curve", "compare_distributions", "entropy_decomposition", "surprise_bars"]
__all__ += ["logit_gradients", "loss_comparison", "penalty_curves"]
__all__ += ["softmax_gradient_bars", "softmax_probability_bars", "softmax_temperature_lines"]

_LAZY = {
    "training": ["decision_surface", "digits_gallery", "gradient_descent_surface", "loss_curves"],
    "pitfalls": ["loss_histogram", "per_class_bars", "reliability_diagram", "remedy_bars",
                 "temperature_curve"],
}
_HOME = {name: module for module, names in _LAZY.items() for name in names}
__all__ += list(_HOME)


def __getattr__(name: str):
    if name in _HOME:
        import importlib

        value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
