"""Pitfalls charts: per-class bars, per-sample loss histograms, remedies compared,
reliability diagrams and the temperature curve."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..information import to_unit
from ..pitfalls import ReliabilityBins, RunResult
from .style import PALETTE, SEQUENCE, apply_style

_SCHEME_COLOURS = {"plain": PALETTE["grey"], "class-weighted": PALETTE["blue"],
                   "focal": PALETTE["orange"], "label smoothing": PALETTE["green"],
                   "down-weighted": PALETTE["purple"], "more data": PALETTE["sky"]}


def per_class_bars(runs: dict[str, RunResult], *, unit: str = "nats") -> go.Figure:
    """Recall (left) and mean validation loss (right) of every class, one bar group per run.

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import History
    >>> run = RunResult("plain", History(), np.array([[0.9, 0.1], [0.6, 0.4]]), np.array([0, 1]),
    ...                 np.zeros(2), "")
    >>> fig = per_class_bars({"plain": run})
    >>> [t.name for t in fig.data], [float(v) for v in fig.data[0].y]
    (['plain', 'plain'], [1.0, 0.0])
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=("recall: share of the class found",
                                                       f"mean cross-entropy ({unit})"))
    for name, run in runs.items():
        report = run.report()
        classes = [f"class {k} ({n} pts)" for k, n in enumerate(report.counts)]
        colour = _SCHEME_COLOURS.get(name, PALETTE["grey"])
        fig.add_trace(go.Bar(x=classes, y=report.recall, name=name, marker_color=colour,
                             legendgroup=name,
                             hovertemplate=f"{name}<br>%{{x}}<br>recall %{{y:.1%}}<extra></extra>"),
                      row=1, col=1)
        fig.add_trace(go.Bar(x=classes, y=to_unit(report.loss, unit), name=name,
                             marker_color=colour, legendgroup=name, showlegend=False,
                             hovertemplate=f"{name}<br>%{{x}}<br>%{{y:.4f}} {unit}<extra></extra>"),
                      row=1, col=2)
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%", row=1, col=1)
    fig.update_yaxes(rangemode="tozero", title_text=unit, row=1, col=2)
    fig.update_layout(barmode="group")
    fig = apply_style(fig, height=400)
    fig.update_layout(margin=dict(t=100), legend=dict(y=1.14))
    return fig


def loss_histogram(losses, flipped, *, unit: str = "nats", bins: int = 30) -> go.Figure:
    """Per-sample training losses, clean and flipped points stacked, the mean marked.

    Examples
    --------
    >>> fig = loss_histogram([0.1, 0.2, 3.0], [False, False, True])
    >>> [t.name for t in fig.data]
    ['clean label', 'flipped label']
    """
    values = to_unit(np.asarray(losses, dtype=float), unit)
    mask = np.asarray(flipped, dtype=bool)
    top = float(values.max()) if len(values) else 1.0
    fig = go.Figure()
    for name, part, colour in (("clean label", values[~mask], PALETTE["blue"]),
                               ("flipped label", values[mask], PALETTE["vermillion"])):
        fig.add_trace(go.Histogram(
            x=part, name=name, marker_color=colour, xbins=dict(start=0, end=top * 1.0001,
                                                                 size=max(top, 1e-9) / bins),
            hovertemplate=f"{name}<br>loss %{{x}} {unit}<br>%{{y}} points<extra></extra>"))
    mean = float(values.mean()) if len(values) else 0.0
    fig.add_vline(x=mean, line=dict(color=PALETTE["orange"], width=3, dash="dash"),
                  annotation_text=f"mean {mean:.3f}", annotation_position="top right")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text=f"cross-entropy of one training point ({unit})")
    fig.update_yaxes(title_text="points (log scale)", type="log", dtick=1)
    return apply_style(fig, height=380)


def remedy_bars(runs: dict[str, RunResult], *, unit: str = "nats",
                reference: float | None = None) -> go.Figure:
    """Final validation loss of each run as a bar; ``reference`` (e.g. the plain run) dashed.

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import EpochRecord, History
    >>> h = History([EpochRecord(1, 0.5, 0.4, 0.0, 1.0, 1.0, 1.0, 0.1)])
    >>> run = RunResult("plain", h, np.array([[0.9, 0.1]]), np.array([0]), np.zeros(1), "")
    >>> [float(v) for v in remedy_bars({"plain": run}).data[0].y]
    [0.4]
    """
    names = list(runs)
    values = [to_unit(runs[n].val_loss, unit) for n in names]
    fig = go.Figure(go.Bar(
        x=names, y=values, marker_color=[_SCHEME_COLOURS.get(n, PALETTE["grey"]) for n in names],
        text=[f"{v:.3f}" for v in values], textposition="outside",
        hovertemplate=f"%{{x}}<br>validation loss %{{y:.4f}} {unit}<extra></extra>"))
    if reference is not None:
        fig.add_hline(y=to_unit(reference, unit), line=dict(color=PALETTE["grey"], dash="dash"))
    fig.update_yaxes(title_text=f"validation cross-entropy ({unit})", rangemode="tozero")
    fig.update_xaxes(title_text="training recipe")
    return apply_style(fig, height=380)


def reliability_diagram(curves: dict[str, ReliabilityBins]) -> go.Figure:
    """Accuracy against confidence per bin, one line per model, the diagonal for reference.

    Marker size grows with the number of points in the bin; empty bins are skipped.

    Examples
    --------
    >>> from ce_core.pitfalls import reliability_bins
    >>> fig = reliability_diagram({"model": reliability_bins([0, 1], [[0.9, 0.1], [0.2, 0.8]])})
    >>> [t.name for t in fig.data]
    ['perfectly calibrated', 'model']
    """
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="perfectly calibrated",
                               line=dict(color=PALETTE["grey"], dash="dash"), hoverinfo="skip"))
    for i, (name, bins) in enumerate(curves.items()):
        filled = bins.counts > 0
        sizes = 8 + 22 * np.sqrt(bins.counts[filled] / max(bins.counts.max(), 1))
        fig.add_trace(go.Scatter(
            x=bins.confidence[filled], y=bins.accuracy[filled], mode="lines+markers", name=name,
            line=dict(color=SEQUENCE[i % len(SEQUENCE)], width=3),
            marker=dict(size=sizes), customdata=bins.counts[filled],
            hovertemplate=(f"{name}<br>mean confidence %{{x:.3f}}<br>accuracy %{{y:.3f}}"
                           "<br>%{customdata} points<extra></extra>")))
    fig.update_xaxes(title_text="confidence: top predicted probability", range=[0.45, 1.02])
    fig.update_yaxes(title_text="accuracy: share right", range=[0, 1.05])
    return apply_style(fig, height=420)


def temperature_curve(temperatures, losses, *, chosen: tuple[float, float], best: tuple[float, float],
                      unit: str = "nats") -> go.Figure:
    """Validation cross-entropy against the temperature; ``chosen`` and ``best`` are (T, loss).

    Examples
    --------
    >>> fig = temperature_curve([0.5, 1.0, 2.0], [0.6, 0.5, 0.55], chosen=(1.0, 0.5), best=(1.2, 0.49))
    >>> [t.name for t in fig.data]
    ['validation loss', 'your T = 1.00', 'fitted T = 1.20']
    """
    ts = np.asarray(temperatures, dtype=float)
    ys = to_unit(np.asarray(losses, dtype=float), unit)
    fig = go.Figure(go.Scatter(x=ts, y=ys, mode="lines", name="validation loss",
                               line=dict(color=PALETTE["blue"], width=3),
                               hovertemplate=f"T = %{{x:.2f}}<br>%{{y:.4f}} {unit}<extra></extra>"))
    for name, (t, loss), colour, symbol in (
            (f"your T = {chosen[0]:.2f}", chosen, PALETTE["orange"], "circle"),
            (f"fitted T = {best[0]:.2f}", best, PALETTE["vermillion"], "star")):
        fig.add_trace(go.Scatter(x=[t], y=[to_unit(loss, unit)], mode="markers", name=name,
                                 marker=dict(color=colour, size=16, symbol=symbol),
                                 hovertemplate=f"{name}<extra></extra>"))
    fig.add_vline(x=1.0, line=dict(color=PALETTE["grey"], dash="dot"))
    ticks = [0.25, 0.5, 1, 2, 4]
    fig.update_xaxes(title_text="temperature T (log scale)", type="log", tickvals=ticks,
                     ticktext=[f"{t:g}" for t in ticks])
    fig.update_yaxes(title_text=f"validation cross-entropy ({unit})")
    return apply_style(fig, height=380)
