"""Penalty-curve charts: −ln p against the prediction, other losses beside it, and the
gradient each loss sends back to the logit."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..curves import (
    focal_penalty,
    logit_gradient_cross_entropy,
    logit_gradient_squared_error,
    penalty,
    probability_grid,
    squared_error,
)
from ..information import to_unit
from ..validation import check_number
from .style import PALETTE, apply_style

#: Upper end of the loss axis, in nats (−ln p passes it at p ≈ 0.0025).
Y_MAX_NATS = 6.0

_X_TITLE = "predicted probability of class 1, p (no unit)"


def _line(x, y, name, colour, hover, dash=None) -> go.Scatter:
    return go.Scatter(x=x, y=y, mode="lines", name=name,
                      line=dict(color=colour, width=3, dash=dash), hovertemplate=hover)


def _p_marker(x, y, name, colour, hover, symbol="circle") -> go.Scatter:
    return go.Scatter(x=np.atleast_1d(x), y=np.atleast_1d(y), mode="markers", name=name,
                      marker=dict(color=colour, size=14, symbol=symbol,
                                  line=dict(width=2, color="white")),
                      hovertemplate=hover, showlegend=False, cliponaxis=False)


def penalty_curves(p: float | None = None, *, unit: str = "nats",
                   marked: tuple[float, ...] = (0.9, 0.1), title: str | None = None) -> go.Figure:
    """The two halves of binary cross-entropy over p: −ln p (label 1) and −ln(1−p) (label 0).

    Parameters
    ----------
    p : float, optional
        The current prediction, marked on both curves.
    unit : {"nats", "bits"}
    marked : tuple of float
        Predictions marked with their loss on the label-1 curve (the seed
        article's 0.9 → 0.105 and 0.1 → 2.303 by default).

    Examples
    --------
    >>> fig = penalty_curves(0.5)
    >>> [trace.name for trace in fig.data][:2]
    ['true label 1: −ln p', 'true label 0: −ln(1 − p)']
    """
    grid = probability_grid()
    fig = go.Figure()
    for label, name, colour in ((1, "true label 1: −ln p", PALETTE["blue"]),
                                (0, "true label 0: −ln(1 − p)", PALETTE["orange"])):
        fig.add_trace(_line(grid, to_unit(penalty(grid, label), unit), name, colour,
                            f"{name}<br>p = %{{x:.3f}}<br>loss = %{{y:.3f}} {unit}<extra></extra>"))
    if marked:
        m = np.asarray(marked, dtype=float)
        loss = to_unit(penalty(m, 1), unit)
        fig.add_trace(go.Scatter(
            x=m, y=loss, mode="markers+text", name="seed example (label 1)",
            text=[f"p = {a:g} → {b:.3f}" for a, b in zip(m, loss)],
            textposition=["top right" if a < 0.5 else "top center" for a in m],
            marker=dict(color=PALETTE["green"], size=12, symbol="diamond"),
            hovertemplate=f"seed example, true label 1<br>p = %{{x}}<br>−ln p = %{{y:.3f}} {unit}"
                          "<extra></extra>",
        ))
    if p is not None:
        _add_current_p(fig, check_number(p, "p", low=0.0, high=1.0), unit)
    fig.update_xaxes(title_text=_X_TITLE, range=[0, 1])
    fig.update_yaxes(title_text=f"loss ({unit})", range=[0, to_unit(Y_MAX_NATS, unit)])
    return apply_style(fig, title=title, height=420)


def _add_current_p(fig: go.Figure, p: float, unit: str) -> None:
    fig.add_vline(x=p, line_dash="dot", line_color=PALETTE["grey"])
    for label, colour in ((1, PALETTE["blue"]), (0, PALETTE["orange"])):
        loss = to_unit(penalty(p, label), unit)  # clipped, so finite even at p = 0 or 1
        top = to_unit(Y_MAX_NATS, unit)
        shown = min(loss, top)
        if loss > top:  # say where the point really is
            fig.add_annotation(x=p, y=top, text=f"↑ {loss:.2f} {unit}", showarrow=False,
                               xanchor="left" if p < 0.5 else "right", yanchor="top",
                               xshift=10 if p < 0.5 else -10, font=dict(color=colour))
        fig.add_trace(_p_marker(p, shown, f"your p, label {label}", colour,
                                f"your p = {p:.3f}, true label {label}<br>loss = {loss:.3f} {unit}"
                                "<extra></extra>"))


def loss_comparison(label: int = 1, *, gamma: float = 2.0, p: float | None = None,
                    unit: str = "nats", title: str | None = None) -> go.Figure:
    """Cross-entropy, squared error (y − p)² and focal loss for one true label, on the same axes.

    Cross-entropy and focal loss are in ``unit``; squared error has no unit and
    never exceeds 1.

    Examples
    --------
    >>> fig = loss_comparison(1, gamma=2.0)
    >>> [trace.name for trace in fig.data]
    ['cross-entropy', 'squared error (y − p)²', 'focal loss, γ = 2']
    """
    g = check_number(gamma, "gamma", low=0.0)
    grid = probability_grid()
    curves = (
        ("cross-entropy", to_unit(penalty(grid, label), unit), PALETTE["blue"], None, unit),
        ("squared error (y − p)²", squared_error(grid, label), PALETTE["vermillion"], "dash",
         "(no unit)"),
        (f"focal loss, γ = {g:g}", to_unit(focal_penalty(grid, label, gamma=g), unit),
         PALETTE["green"], "dot", unit),
    )
    fig = go.Figure()
    for name, values, colour, dash, shown_unit in curves:
        fig.add_trace(_line(grid, values, name, colour,
                            f"{name}<br>p = %{{x:.3f}}<br>loss = %{{y:.4f}} {shown_unit}"
                            "<extra></extra>", dash))
    if p is not None:
        fig.add_vline(x=check_number(p, "p", low=0.0, high=1.0), line_dash="dot",
                      line_color=PALETTE["grey"], annotation_text=f"p = {p:g}",
                      annotation_position="top")
    fig.update_xaxes(title_text=f"{_X_TITLE}; true label {label}", range=[0, 1])
    fig.update_yaxes(title_text=f"loss ({unit}; squared error has no unit)",
                     range=[0, to_unit(Y_MAX_NATS, unit)])
    return apply_style(fig, title=title, height=420)


def logit_gradients(label: int = 1, *, p: float | None = None,
                    title: str | None = None) -> go.Figure:
    """∂loss/∂z for sigmoid + cross-entropy (p − y) and sigmoid + squared error
    (2(p − y)p(1 − p)), with the confidently-wrong region shaded.

    Examples
    --------
    >>> fig = logit_gradients(1)
    >>> [trace.name for trace in fig.data]
    ['cross-entropy: p − y', 'squared error: 2(p − y)·p(1 − p)']
    """
    grid = probability_grid()
    fig = go.Figure()
    fig.add_trace(_line(grid, logit_gradient_cross_entropy(grid, label), "cross-entropy: p − y",
                        PALETTE["blue"],
                        "cross-entropy<br>p = %{x:.3f}<br>∂loss/∂z = %{y:+.4f}<extra></extra>"))
    fig.add_trace(_line(grid, logit_gradient_squared_error(grid, label),
                        "squared error: 2(p − y)·p(1 − p)", PALETTE["vermillion"],
                        "squared error<br>p = %{x:.3f}<br>∂loss/∂z = %{y:+.4f}<extra></extra>",
                        "dash"))
    wrong = (0.0, 0.2) if label == 1 else (0.8, 1.0)
    fig.add_vrect(x0=wrong[0], x1=wrong[1], fillcolor=PALETTE["grey"], opacity=0.18,
                  line_width=0, annotation_text="confidently wrong",
                  annotation_position="top left" if label == 1 else "top right")
    fig.add_hline(y=0, line_color=PALETTE["grey"], line_width=1)
    if p is not None:
        p = check_number(p, "p", low=0.0, high=1.0)
        fig.add_vline(x=p, line_dash="dot", line_color=PALETTE["grey"])
        fig.add_trace(_p_marker(p, logit_gradient_cross_entropy(p, label), "your p, CE",
                                PALETTE["blue"], "your p, cross-entropy<br>∂loss/∂z = %{y:+.4f}"
                                "<extra></extra>"))
        fig.add_trace(_p_marker(p, logit_gradient_squared_error(p, label), "your p, SE",
                                PALETTE["vermillion"], "your p, squared error<br>"
                                "∂loss/∂z = %{y:+.4f}<extra></extra>", symbol="square"))
    fig.update_xaxes(title_text=f"{_X_TITLE}; true label {label}", range=[0, 1])
    fig.update_yaxes(title_text="∂loss/∂z (nats per unit of logit)", range=[-1.1, 1.1])
    return apply_style(fig, title=title, height=420)
