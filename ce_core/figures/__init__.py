"""Plotly figure builders: data in, ``go.Figure`` out. One module per topic."""

from .style import PALETTE, apply_style

__all__ = ["PALETTE", "apply_style"]
