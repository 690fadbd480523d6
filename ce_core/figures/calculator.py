"""Figures for the "Your numbers" page."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import PALETTE, apply_style


def loss_histogram_figure(counts: np.ndarray, edges: np.ndarray, unit: str, *,
                          n_infinite: int = 0) -> go.Figure:
    """Bars of how many samples fall in each loss range (from ``scoring.loss_histogram``).

    Binned in Python so a 100,000-sample input ships 30 bars to the browser, not 100,000 points.
    """
    centers = (edges[:-1] + edges[1:]) / 2 if len(counts) else np.zeros(0)
    widths = np.diff(edges) if len(counts) else np.zeros(0)
    fig = go.Figure(go.Bar(
        x=centers, y=counts, width=widths, marker_color=PALETTE["blue"],
        marker_line=dict(width=1, color="rgba(255,255,255,0.6)"),
        customdata=np.column_stack([edges[:-1], edges[1:]]) if len(counts) else None,
        hovertemplate=f"loss %{{customdata[0]:.3f}}–%{{customdata[1]:.3f}} {unit}"
                      "<br>%{y} samples<extra></extra>",
    ))
    title = "How the loss is spread over the samples"
    if n_infinite:
        title += f" ({n_infinite} infinite, not drawn)"
    apply_style(fig, title=title, height=340)
    fig.update_xaxes(title_text=f"loss of one sample ({unit})", rangemode="tozero")
    fig.update_yaxes(title_text="number of samples", rangemode="tozero",
                     dtick=1 if len(counts) and counts.max() <= 8 else None)  # whole samples
    fig.update_layout(bargap=0, showlegend=False)
    return fig
