"""Figures for the entropy and cross-entropy pages: distributions in, ``go.Figure`` out.

Every builder takes probabilities and the display unit ("nats" or "bits"),
computes what it draws through ce_core (so the chart and the page's numbers
come from the same functions), and labels its axes with that unit.
Infinite values (an outcome the code says never happens) are never drawn as
bars of made-up height: they get a "∞" label instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..information import (
    _check_pair,
    binary_entropy,
    cross_entropy,
    entropy,
    kl_divergence,
    max_entropy,
    surprise,
    to_unit,
)
from ..validation import as_distribution, check_number
from .style import PALETTE, apply_style

LOG_NAME = {"nats": "ln", "bits": "log₂"}


def _labels(labels: Sequence[str] | None, k: int) -> list[str]:
    return list(labels) if labels is not None else [str(i + 1) for i in range(k)]


def _finite_or_none(values) -> list[float | None]:
    """Plotly skips None; an infinite bar must not be drawn with a made-up height."""
    return [float(v) if math.isfinite(v) else None for v in values]


def _num(value: float, digits: int = 3) -> str:
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"


def _readable_axes(fig: go.Figure) -> None:
    """Tick and axis-title sizes set on the axes themselves, which Streamlit's theme keeps."""
    fig.update_xaxes(tickfont_size=15, title_font_size=16)
    fig.update_yaxes(tickfont_size=15, title_font_size=16)
    fig.update_layout(legend_font_size=15)


def surprise_bars(p, *, unit: str = "nats", labels: Sequence[str] | None = None) -> go.Figure:
    """Probabilities (top) and each outcome's surprise −log p (bottom), with H and log K.

    The bottom panel shows why entropy is the *expected* surprise: the solid line
    H(P) is the probability-weighted average of the bar heights, and the dashed
    line log K is the most it can be (all outcomes equally likely).

    Parameters
    ----------
    p : array-like of shape (K,)
        The distribution.
    unit : {"nats", "bits"}, default="nats"
    labels : sequence of str, optional
        Outcome names; "1", "2", ... by default (the x axis is titled "outcome").
    """
    p = as_distribution(p, "p")
    names = _labels(labels, len(p))
    s = to_unit(surprise(p), unit) + 0.0  # surprise(1.0) is -0.0; show it as 0.00
    h = to_unit(entropy(p), unit)
    h_max = to_unit(max_entropy(len(p)), unit)
    log = LOG_NAME.get(unit, "log")

    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("How likely is each outcome?",
                                        f"How surprising is it?  −{log} p, its ideal code length"))
    fig.add_trace(go.Bar(
        x=names, y=p.tolist(), name="probability p", marker_color=PALETTE["blue"],
        text=[f"{v:.2f}" for v in p], textposition="outside", cliponaxis=False,
        hovertemplate="outcome %{x}<br>p = %{y:.3f}<extra></extra>",
    ), row=1, col=1)
    contribution = [0.0 if pi == 0 else pi * si for pi, si in zip(p, s)]
    fig.add_trace(go.Bar(
        x=names, y=_finite_or_none(s), name=f"surprise −{log} p",
        marker_color=PALETTE["orange"],
        text=[_num(v, 2) for v in s], textposition="outside", cliponaxis=False,
        customdata=np.column_stack([p, contribution]),
        hovertemplate=(f"outcome %{{x}}<br>surprise = %{{y:.3f}} {unit}<br>p = %{{customdata[0]:.3f}}"
                       f"<br>adds p × surprise = %{{customdata[1]:.3f}} {unit} to H<extra></extra>"),
    ), row=2, col=1)

    finite = [v for v in s if math.isfinite(v)]
    top = 1.3 * max(finite + [h_max, 0.1])
    for name, v in zip(names, s):
        if math.isinf(v):  # p = 0: infinite surprise, but it never happens, so it adds 0 to H
            fig.add_annotation(x=name, y=0.5 * top, text="∞<br>(p = 0)", showarrow=False,
                               font=dict(color=PALETTE["orange"]), row=2, col=1)
    lines = [  # (value, legend name, line style): shapes for the chart, named in the legend
        (h, f"entropy H = {h:.3f} {unit} (average surprise)",
         dict(color=PALETTE["vermillion"], width=3)),
        (h_max, f"maximum {log} {len(p)} = {h_max:.3f} {unit}",
         dict(color=PALETTE["grey"], width=2, dash="dash")),
    ]
    for value, name, line in lines:
        fig.add_hline(y=value, line=line, row=2, col=1)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=name, line=line,
                                 hoverinfo="skip"), row=2, col=1)
    fig.update_yaxes(title_text="probability", range=[0, 1.18], row=1, col=1)
    fig.update_yaxes(title_text=f"surprise ({unit})", range=[0, top], row=2, col=1)
    fig.update_xaxes(type="category")
    fig.update_xaxes(title_text="outcome", row=2, col=1)
    apply_style(fig, height=640)
    _readable_axes(fig)
    fig.update_layout(bargap=0.35, hovermode="closest",
                      legend=dict(y=-0.14, yanchor="top"))
    for trace in fig.data:
        trace.showlegend = isinstance(trace, go.Scatter)  # the bars are named by the panel titles
    fig.update_annotations(font_size=16)
    return fig


def binary_entropy_curve(p: float, *, unit: str = "nats", n_points: int = 201) -> go.Figure:
    """The entropy of a coin, H(p), for every p in [0, 1], with the coin ``p`` marked.

    Parameters
    ----------
    p : float
        Probability of outcome 1 for the marked point, in [0, 1].
    unit : {"nats", "bits"}, default="nats"
    n_points : int, default=201
        Points on the curve (201 puts one at p = 0.5 exactly).
    """
    p = check_number(p, "p", low=0.0, high=1.0)
    xs = np.linspace(0.0, 1.0, n_points)
    ys = to_unit(binary_entropy(xs), unit)
    y = to_unit(binary_entropy(p), unit)
    peak = to_unit(binary_entropy(0.5), unit)

    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=xs.tolist(), y=ys.tolist(), mode="lines", name="H(p) of a coin", line=dict(color=PALETTE["blue"], width=3),
        hovertemplate=f"p = %{{x:.3f}}<br>H = %{{y:.3f}} {unit}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=[p], y=[y], mode="markers+text", name="this coin",
        marker=dict(color=PALETTE["vermillion"], size=16, line=dict(width=2, color="white")),
        text=[f"H({p:.2f}) = {y:.3f} {unit}"], textposition="top center" if 0.15 < p < 0.85 else
        ("top right" if p <= 0.15 else "top left"),
        textfont=dict(color=PALETTE["vermillion"]),
        hovertemplate=f"this coin<br>p = %{{x:.3f}}<br>H = %{{y:.3f}} {unit}<extra></extra>",
    ))
    fig.add_hline(y=peak, line=dict(color=PALETTE["grey"], dash="dash", width=2),
                  annotation_text=f"maximum at p = 0.5: {peak:.3f} {unit}",
                  annotation_position="bottom right", annotation_font_color=PALETTE["grey"])
    fig.update_xaxes(title_text="p = probability of outcome 1", range=[-0.02, 1.02])
    fig.update_yaxes(title_text=f"entropy H(p) ({unit})", range=[0, 1.3 * peak])
    apply_style(fig, height=380)
    _readable_axes(fig)
    fig.update_layout(showlegend=False, hovermode="closest")
    return fig


def compare_distributions(p, q, *, unit: str = "nats",
                          labels: Sequence[str] | None = None) -> go.Figure:
    """P (truth) and Q (model) side by side per outcome; hover shows Q's code length −log q.

    Parameters
    ----------
    p, q : array-like of shape (K,)
        The true and the model distribution over the same outcomes.
    unit : {"nats", "bits"}, default="nats"
    labels : sequence of str, optional
    """
    p, q = _check_pair(p, q)
    names = _labels(labels, len(p))
    code_q = to_unit(surprise(q), unit)
    log = LOG_NAME.get(unit, "log")
    show_text = len(p) <= 4  # value labels on paired bars collide beyond four outcomes

    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=names, y=p.tolist(), name="P (truth)", marker_color=PALETTE["blue"],
        text=[f"{v:.2f}" for v in p] if show_text else None, textposition="outside",
        cliponaxis=False, hovertemplate="outcome %{x}<br>p = %{y:.3f}<extra>P (truth)</extra>",
    ))
    fig.add_trace(go.Bar(
        x=names, y=q.tolist(), name="Q (model)", marker_color=PALETTE["orange"],
        marker_pattern_shape="/",
        text=[f"{v:.2f}" for v in q] if show_text else None, textposition="outside",
        cliponaxis=False, customdata=[[_num(c)] for c in code_q],
        hovertemplate=(f"outcome %{{x}}<br>q = %{{y:.3f}}<br>Q's code length −{log} q = "
                       f"%{{customdata[0]}} {unit}<extra>Q (model)</extra>"),
    ))
    fig.update_xaxes(title_text="outcome", type="category")
    fig.update_yaxes(title_text="probability", range=[0, 1.18])
    apply_style(fig, height=380)
    _readable_axes(fig)
    fig.update_layout(barmode="group", bargap=0.3, hovermode="x unified")
    return fig


def entropy_decomposition(p, q, *, unit: str = "nats") -> go.Figure:
    """Cross-entropy as a stacked bar, H(P,Q) = H(P) + KL(P‖Q), in both directions.

    The top bar codes data from P with Q's code; the bottom bar swaps the roles
    (data from Q, P's code), which shows that KL is not symmetric. An infinite KL
    is drawn as a hatched bar to the edge of the chart labelled "∞".

    Parameters
    ----------
    p, q : array-like of shape (K,)
        The true and the model distribution over the same outcomes.
    unit : {"nats", "bits"}, default="nats"
    """
    p, q = _check_pair(p, q)
    rows = [  # (label, H of the data, KL, cross-entropy), bottom bar first (Plotly draws y upwards)
        ("data from Q,<br>P's code", entropy(q), kl_divergence(q, p), cross_entropy(q, p)),
        ("data from P,<br>Q's code", entropy(p), kl_divergence(p, q), cross_entropy(p, q)),
    ]
    names = [r[0] for r in rows]
    h = [to_unit(r[1], unit) for r in rows]
    kl = [to_unit(r[2], unit) for r in rows]
    ce = [to_unit(r[3], unit) for r in rows]
    finite_totals = [t for t in ce if math.isfinite(t)] + h
    right = 1.35 * max(finite_totals + [0.1])
    kl_drawn = [v if math.isfinite(v) else right - hv for v, hv in zip(kl, h)]
    which = [("Q", "P"), ("P", "Q")]

    fig = go.Figure()
    fig.add_trace(go.Bar(
        y=names, x=h, orientation="h", name="entropy of the data (the unavoidable part)",
        marker_color=PALETTE["blue"],
        text=[f"H({a}) = {v:.3f}" for (a, _), v in zip(which, h)], textposition="inside",
        insidetextanchor="middle",
        hovertemplate=f"entropy of the data = %{{x:.3f}} {unit}<extra></extra>",
    ))
    fig.add_trace(go.Bar(
        y=names, x=kl_drawn, orientation="h", name="KL: extra cost of the wrong code",
        marker=dict(color=PALETTE["vermillion"],
                    pattern_shape=["x" if math.isinf(v) else "" for v in kl]),
        text=[f"KL({a}‖{b}) = {_num(v)}" for (a, b), v in zip(which, kl)],
        textposition="inside", insidetextanchor="middle",
        customdata=[[_num(v)] for v in kl],
        hovertemplate=f"KL = %{{customdata[0]}} {unit}<extra></extra>",
    ))
    for name, (a, b), hv, v in zip(names, which, h, kl):
        if math.isinf(v):  # the hatched bar only stands for "no end"; say so on it
            fig.add_annotation(y=name, x=(hv + right) / 2, text=f"KL({a}‖{b}) = ∞",
                               showarrow=False, bgcolor=PALETTE["vermillion"],
                               font=dict(size=16, color="white"))
    for name, (a, b), total in zip(names, which, ce):
        fig.add_annotation(
            # above the bar, ending where the bar ends; starting there if the bar is short
            y=name, x=min(total, right), xanchor="left" if total < right / 2 else "right",
            text=f"H({a},{b}) = {_num(total)} {unit}", showarrow=False,
            font=dict(size=16, color=PALETTE["grey"]), yshift=42,
        )
    fig.update_xaxes(title_text=f"average code length per outcome ({unit})", range=[0, right])
    fig.update_yaxes(title_text=None)
    apply_style(fig, height=380)
    _readable_axes(fig)
    fig.update_layout(barmode="stack", bargap=0.45, hovermode="closest",
                      uniformtext=dict(minsize=14, mode="hide"),
                      legend=dict(y=-0.28, yanchor="top", traceorder="normal"))
    return fig
