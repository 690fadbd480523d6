"""Softmax charts: probabilities per class, the logit gradient, and the effect of temperature."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ..activations import softmax
from ..validation import InputError, as_class_labels, as_float_array
from .style import PALETTE, apply_style


def _class_names(k: int) -> list[str]:
    return [f"class {i}" for i in range(k)]


def _true_class(true_class: int, k: int) -> int:
    return int(as_class_labels([true_class], "true_class", k)[0])


def softmax_probability_bars(probabilities, true_class: int, *, title: str | None = None) -> go.Figure:
    """Bars of softmax probabilities, the true class in orange and the others in blue.

    Parameters
    ----------
    probabilities : array-like of shape (K,)
        The softmax output (each in [0, 1]).
    true_class : int
        Index of the true class, highlighted.

    Examples
    --------
    >>> fig = softmax_probability_bars([0.7, 0.2, 0.1], 0)
    >>> fig.data[0].x
    ('class 0', 'class 1', 'class 2')
    """
    p = as_float_array(probabilities, "probabilities")
    y = _true_class(true_class, len(p))
    names = _class_names(len(p))
    colours = [PALETTE["orange"] if i == y else PALETTE["blue"] for i in range(len(p))]
    roles = ["true class" if i == y else "other class" for i in range(len(p))]
    fig = go.Figure(go.Bar(
        x=names, y=p, marker_color=colours, customdata=roles,
        text=[f"{v:.3f}" for v in p], textposition="outside", cliponaxis=False,
        hovertemplate="%{x} (%{customdata})<br>probability = %{y:.4f}<extra></extra>",
        name="softmax probability",
    ))
    fig.update_xaxes(title_text="class (orange = true class)")
    fig.update_yaxes(title_text="probability (no unit)", range=[0, 1.12])
    return apply_style(fig, title=title)


def softmax_gradient_bars(gradient, true_class: int, *, title: str | None = None) -> go.Figure:
    """Bars of ∂loss/∂z per class: negative (logit goes up under gradient descent) in blue,
    positive (logit goes down) in vermillion.

    Gradient descent steps each logit by −η·gradient, so the sign of a bar is the
    opposite of the direction its logit moves.

    Examples
    --------
    >>> fig = softmax_gradient_bars([-0.3, 0.2, 0.1], 0)
    >>> list(fig.data[0].customdata)
    ['raised', 'lowered', 'lowered']
    """
    g = as_float_array(gradient, "gradient")
    _true_class(true_class, len(g))
    names = _class_names(len(g))
    colours = [PALETTE["blue"] if v < 0 else PALETTE["vermillion"] for v in g]
    moves = ["raised" if v < 0 else ("lowered" if v > 0 else "unchanged") for v in g]
    arrows = ["▲ up" if v < 0 else ("▼ down" if v > 0 else "·") for v in g]
    top = float(np.max(np.abs(g))) if np.any(g) else 1.0
    fig = go.Figure(go.Bar(
        x=names, y=g, marker_color=colours, customdata=moves,
        text=[f"{v:+.3f}<br>{a}" for v, a in zip(g, arrows)], textposition="outside",
        cliponaxis=False,
        hovertemplate="%{x}<br>∂loss/∂z = %{y:+.4f} nats<br>gradient descent: logit is %{customdata}"
                      "<extra></extra>",
        name="∂loss/∂z",
    ))
    fig.add_hline(y=0, line_color=PALETTE["grey"], line_width=1)
    fig.update_xaxes(title_text="class (▲ logit goes up, ▼ goes down)")
    fig.update_yaxes(title_text="∂loss/∂z (nats per unit of logit)",
                     range=[-1.45 * top, 1.45 * top])
    return apply_style(fig, title=title)


def softmax_temperature_lines(logits, *, temperature: float | None = None,
                              t_min: float = 0.1, t_max: float = 10.0,
                              title: str | None = None) -> go.Figure:
    """Each class's probability as the temperature sweeps from ``t_min`` to ``t_max`` (log axis).

    Low T hands everything to the largest logit; high T flattens towards 1/K.

    Examples
    --------
    >>> fig = softmax_temperature_lines([2.0, 1.0, 0.1], temperature=1.0)
    >>> len(fig.data)
    3
    """
    z = as_float_array(logits, "logits")
    if not 0 < t_min < t_max:
        raise InputError(f"Need 0 < t_min < t_max, got t_min={t_min}, t_max={t_max}. "
                         "Choose a positive range such as 0.1 to 10.")
    temps = np.geomspace(t_min, t_max, 121)
    probs = softmax(z[None, :] / temps[:, None])
    fig = go.Figure()
    for i, name in enumerate(_class_names(len(z))):
        fig.add_trace(go.Scatter(
            x=temps, y=probs[:, i], mode="lines", name=name, line=dict(width=3),
            hovertemplate=f"{name}<br>T = %{{x:.2f}}<br>probability = %{{y:.4f}}<extra></extra>",
        ))
    if temperature is not None:
        fig.add_vline(x=temperature, line_dash="dash", line_color=PALETTE["grey"],
                      annotation_text=f"T = {temperature:g}", annotation_position="top")
    fig.update_xaxes(title_text="temperature T (log scale, no unit)", type="log")
    fig.update_yaxes(title_text="probability (no unit)", range=[0, 1.02])
    return apply_style(fig, title=title)
