"""Plotly figure builders: data in, ``go.Figure`` out. One module per topic."""

from .information import binary_entropy_curve, compare_distributions, entropy_decomposition, surprise_bars
from .style import PALETTE, apply_style

__all__ = ["PALETTE", "apply_style"]
__all__ += ["binary_entropy_curve", "compare_distributions", "entropy_decomposition", "surprise_bars"]
