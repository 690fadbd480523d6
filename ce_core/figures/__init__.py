"""Plotly figure builders: data in, ``go.Figure`` out. One module per topic."""

from .information import binary_entropy_curve, compare_distributions, entropy_decomposition, surprise_bars
from .penalty import logit_gradients, loss_comparison, penalty_curves
from .softmax import softmax_gradient_bars, softmax_probability_bars, softmax_temperature_lines
from .style import PALETTE, apply_style

__all__ = ["PALETTE", "apply_style"]
__all__ += ["binary_entropy_curve", "compare_distributions", "entropy_decomposition", "surprise_bars"]
__all__ += ["logit_gradients", "loss_comparison", "penalty_curves"]
__all__ += ["softmax_gradient_bars", "softmax_probability_bars", "softmax_temperature_lines"]
from .training import decision_surface, digits_gallery, gradient_descent_surface, loss_curves

__all__ += ["decision_surface", "digits_gallery", "gradient_descent_surface", "loss_curves"]
from .pitfalls import loss_histogram, per_class_bars, reliability_diagram, remedy_bars, temperature_curve

__all__ += ["loss_histogram", "per_class_bars", "reliability_diagram", "remedy_bars",
            "temperature_curve"]
