"""Live-training charts: loss curves, the decision surface, the worst digits, and
gradient descent on a loss surface you can see whole."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..information import to_unit
from ..training import DescentPath, History, Surface
from .style import PALETTE, SEQUENCE, Chart, apply_style, finite_or_none, vega_spec

#: Marker area grows with a point's own loss: 0 nats → 6 px, 3+ nats → 26 px.
_SIZE_MIN, _SIZE_MAX, _SIZE_LOSS_CAP = 6.0, 26.0, 3.0
_PENALTY = "L2 penalty"
#: A five-pointed star as a Vega symbol path (unit radius), for "the best one" markers.
STAR = ("M0,-1L0.2245,-0.309L0.9511,-0.309L0.3633,0.118L0.5878,0.809L0,0.382"
        "L-0.5878,0.809L-0.3633,0.118L-0.9511,-0.309L-0.2245,-0.309Z")
_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star",
            "pentagon", "hexagon", "triangle-down")


def loss_curves(history: History, *, unit: str = "nats", max_epochs: int | None = None,
                show_penalty: bool = True, title: str | None = None) -> Chart:
    """Training and validation cross-entropy per epoch, the best validation epoch marked.

    Drawn as two solid lines (training blue, validation orange), the L2 penalty
    α/2·‖W‖² dotted grey when it is not zero (the optimiser minimises it too, but the
    two curves leave it out), and a dashed vertical line with a star at the epoch of
    the lowest validation loss (where early stopping would keep the model), named in
    the top-right corner. Hovering an epoch shows every curve's value there.

    The spec depends only on ``unit``, ``max_epochs``, ``title`` and whether the
    penalty line is drawn; a growing run only changes the data, so a live chart is
    updated in place. Dataset ``"losses"``: one row per epoch (``epoch``,
    ``training``, ``validation`` and, with the penalty, ``L2 penalty``, in ``unit``);
    dataset ``"best"``: the best epoch (``epoch``, ``loss``, ``label``).

    Parameters
    ----------
    history : History
    unit : {"nats", "bits"}
    max_epochs : int, optional
        Fix the x-axis to the whole run so the chart does not rescale while it grows.
    show_penalty : bool, default=True
        Add the L2 penalty term (dotted) when it is not zero.
    title : str, optional

    Examples
    --------
    >>> from ce_core.training import EpochRecord, History
    >>> h = History([EpochRecord(e, 1 / e, 1 / e + e / 10, 0.0, 0.5, 0.5, 1.0, 0.01 * e)
    ...              for e in range(1, 6)])
    >>> chart = loss_curves(h)
    >>> sorted(chart.data["losses"]), chart.data["best"]["epoch"]
    (['epoch', 'training', 'validation'], [3])
    """
    epochs = [int(e) for e in history.epochs]
    penalty = history.column("l2_penalty")
    with_penalty = bool(show_penalty and len(penalty) and np.nanmax(penalty) > 0)
    curves = ["training", "validation"] + ([_PENALTY] if with_penalty else [])
    losses: dict[str, list] = {"epoch": epochs,
                               "training": finite_or_none(to_unit(history.train_loss, unit)),
                               "validation": finite_or_none(to_unit(history.val_loss, unit))}
    if with_penalty:
        losses[_PENALTY] = finite_or_none(to_unit(penalty, unit))
    best = history.best
    best_rows: dict[str, list] = {"epoch": [], "loss": [], "label": []}
    if best is not None and math.isfinite(best.val_loss):
        best_rows = {"epoch": [int(best.epoch)], "loss": [float(to_unit(best.val_loss, unit))],
                     "label": [f"★ lowest validation loss: epoch {best.epoch}"]}

    x_scale = ({"domain": [0, int(max_epochs)], "nice": False} if max_epochs
               else {"zero": True, "nice": False})
    x = {"field": "epoch", "type": "quantitative", "title": "epoch (passes over the training set)",
         "scale": x_scale, "axis": {"tickMinStep": 1}}
    y = {"field": "loss", "type": "quantitative", "title": f"mean cross-entropy ({unit})",
         "scale": {"zero": True}}
    curve_scale = {"domain": curves,
                   "range": [PALETTE["blue"], PALETTE["orange"], PALETTE["grey"]][:len(curves)]}
    dash_scale = {"domain": curves, "range": [[1, 0], [1, 0], [2, 3]][:len(curves)]}
    hover_tooltip = [{"field": "epoch", "type": "quantitative", "title": "epoch"}] + [
        {"field": c, "type": "quantitative", "title": f"{c} ({unit})", "format": ".4f"}
        for c in curves]
    layers = [
        {"data": {"name": "losses"},
         "transform": [{"fold": curves, "as": ["curve", "loss"]}],
         "mark": {"type": "line", "strokeWidth": 3, "clip": True},
         "encoding": {"x": x, "y": y,
                      "color": {"field": "curve", "type": "nominal", "scale": curve_scale,
                                "title": None, "legend": {"symbolStrokeWidth": 3}},
                      "strokeDash": {"field": "curve", "type": "nominal", "scale": dash_scale,
                                     "title": None}}},
        # An invisible rule per epoch that shows up under the pointer, with every value there.
        {"data": {"name": "losses"},
         "params": [{"name": "hover", "select": {"type": "point", "fields": ["epoch"],
                                                 "nearest": True, "on": "pointerover",
                                                 "clear": "pointerout"}}],
         "mark": {"type": "rule", "color": PALETTE["grey"], "strokeWidth": 1.5},
         "encoding": {"x": x,
                      "opacity": {"condition": {"param": "hover", "empty": False, "value": 0.6},
                                  "value": 0},
                      "tooltip": hover_tooltip}},
        {"data": {"name": "best"},
         "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 1.5,
                  "color": PALETTE["vermillion"], "clip": True},
         "encoding": {"x": x}},
        {"data": {"name": "best"},
         "mark": {"type": "point", "shape": STAR, "size": 320, "filled": True, "opacity": 1,
                  "color": PALETTE["vermillion"], "stroke": "white", "strokeWidth": 1,
                  "clip": True},
         "encoding": {"x": x, "y": y,
                      "tooltip": [{"field": "epoch", "title": "lowest validation loss at epoch"},
                                  {"field": "loss", "type": "quantitative",
                                   "title": f"validation loss ({unit})", "format": ".4f"}]}},
        # The best epoch named in the top-right corner, where falling curves leave room.
        {"data": {"name": "best"},
         "mark": {"type": "text", "align": "right", "baseline": "top", "dx": -6, "dy": 6,
                  "fontSize": 15, "color": PALETTE["vermillion"]},
         "encoding": {"x": {"value": "width"}, "y": {"value": 0},
                      "text": {"field": "label", "type": "nominal"}}},
    ]
    spec = vega_spec(height=400, title=title, layer=layers)
    return Chart(spec, {"losses": losses, "best": best_rows})


def _point_sizes(losses: np.ndarray) -> np.ndarray:
    scaled = np.clip(losses, 0.0, _SIZE_LOSS_CAP) / _SIZE_LOSS_CAP
    return _SIZE_MIN + (_SIZE_MAX - _SIZE_MIN) * np.sqrt(scaled)  # area ∝ loss


def _blend(probs: np.ndarray) -> np.ndarray:
    """Mix the class colours by probability: a sure region shows its class colour,
    an unsure one a muddy mix. NaN (a diverged model) shows as grey."""
    colours = np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in SEQUENCE[:probs.shape[-1]]],
                       dtype=float)
    filled = np.where(np.isnan(probs), 1.0 / probs.shape[-1], probs)
    rgb = filled @ colours
    return 0.4 * rgb + 0.6 * 255  # lighten so the points stand out


def decision_surface(surface: Surface, X, y, losses, *, unit: str = "nats",
                     title: str | None = None) -> go.Figure:
    """Predicted probabilities over the plane, with the points sized by their own loss.

    Two classes: a heatmap of P(class 1) from blue (0) through white to orange (1).
    More classes: each class colour mixed by its probability. Each point's marker
    area grows with its cross-entropy, so the points the model pays most for
    stand out; hover shows the loss.

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import Surface
    >>> xs = np.linspace(-1, 1, 3)
    >>> probs = np.dstack([np.full((3, 3), 0.3), np.full((3, 3), 0.7)])
    >>> fig = decision_surface(Surface(xs, xs, probs), [[0.0, 0.0], [1.0, 1.0]], [0, 1],
    ...                        np.array([1.2, 0.36]))
    >>> fig.data[0].type, [t.name for t in fig.data[1:]]
    ('heatmap', ['class 0', 'class 1'])
    """
    points = np.asarray(X, dtype=float)
    labels = np.asarray(y)
    loss = np.asarray(losses, dtype=float)
    k = surface.probs.shape[-1]
    fig = go.Figure()
    if k == 2:
        fig.add_trace(go.Heatmap(
            x=surface.xs, y=surface.ys, z=surface.probs[:, :, 1], zmin=0, zmax=1,
            colorscale=[[0, PALETTE["blue"]], [0.5, "#f7f7f7"], [1, PALETTE["orange"]]],
            opacity=0.45, colorbar=dict(title=dict(text="P(class 1)", side="right"), thickness=14),
            hovertemplate="x₁ = %{x:.2f}, x₂ = %{y:.2f}<br>P(class 1) = %{z:.3f}<extra></extra>"))
    else:
        rgb = _blend(surface.probs)
        fig.add_trace(go.Image(
            z=rgb, x0=surface.xs[0], dx=surface.xs[1] - surface.xs[0],
            y0=surface.ys[0], dy=surface.ys[1] - surface.ys[0], hoverinfo="skip", colormodel="rgb"))
    for c in range(k):
        mine = labels == c
        if not mine.any():
            continue
        shown = to_unit(loss[mine], unit)
        fig.add_trace(go.Scatter(
            x=points[mine, 0], y=points[mine, 1], mode="markers", name=f"class {c}",
            customdata=shown,
            marker=dict(color=SEQUENCE[c % len(SEQUENCE)], symbol=_SYMBOLS[c % len(_SYMBOLS)],
                        size=_point_sizes(loss[mine]), line=dict(width=1, color="#202020"),
                        opacity=0.9),
            hovertemplate=(f"class {c}<br>x₁ = %{{x:.2f}}, x₂ = %{{y:.2f}}<br>"
                           f"its loss = %{{customdata:.3f}} {unit}<extra></extra>")))
    fig.update_xaxes(title_text="feature x₁", range=[surface.xs[0], surface.xs[-1]],
                     showgrid=False, zeroline=False)
    fig.update_yaxes(title_text="feature x₂", range=[surface.ys[0], surface.ys[-1]],
                     showgrid=False, zeroline=False)
    return apply_style(fig, title=title, height=480)


def digits_gallery(images, true_labels, probs, losses, *, unit: str = "nats",
                   image_shape: tuple[int, int] = (8, 8), columns: int = 4,
                   title: str | None = None) -> go.Figure:
    """The given digit images in a grid, each titled with its true class, the
    probability the model gave it, the model's guess and the loss.

    Examples
    --------
    >>> import numpy as np
    >>> probs = np.full((2, 10), 0.1)
    >>> fig = digits_gallery(np.zeros((2, 64)), [3, 5], probs, [2.3, 2.3])
    >>> len(fig.data), fig.layout.annotations[0].text
    (2, 'true 3 · P=0.10<br>guess 0 · 2.30 nats')
    """
    imgs = np.asarray(images, dtype=float)
    labels = np.asarray(true_labels).astype(int)
    p = np.asarray(probs, dtype=float)
    loss = to_unit(np.asarray(losses, dtype=float), unit)
    n = len(imgs)
    rows = max(1, -(-n // columns))
    titles = [f"true {labels[i]} · P={p[i, labels[i]]:.2f}<br>guess {int(p[i].argmax())} · "
              f"{loss[i]:.2f} {unit}" for i in range(n)]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles,
                        horizontal_spacing=0.03, vertical_spacing=0.16)
    for i in range(n):
        fig.add_trace(go.Heatmap(
            z=imgs[i].reshape(image_shape)[::-1], colorscale="Greys", zmin=0, zmax=1,
            showscale=False, hovertemplate="ink %{z:.2f}<extra></extra>"),
            row=i // columns + 1, col=i % columns + 1)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    fig.update_annotations(font_size=14)
    apply_style(fig, title=title, height=230 * rows + 40)
    fig.update_layout(margin=dict(t=70 if title else 50))
    return fig


def gradient_descent_surface(ws, bs, loss_grid, path: DescentPath, optimum: tuple[float, float],
                             *, unit: str = "nats", title: str | None = None) -> go.Figure:
    """Contours of the mean loss over (w, b), the path gradient descent took, and
    scikit-learn's optimum.

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import DescentPath
    >>> path = DescentPath(np.array([0.0, 1.0]), np.array([0.0, 0.5]), np.array([0.7, 0.4]))
    >>> fig = gradient_descent_surface([0, 1, 2], [0, 1], np.ones((2, 3)), path, (1.5, 0.4))
    >>> [t.name for t in fig.data]
    ['mean loss', 'gradient descent', 'start', 'scikit-learn optimum']
    """
    grid = to_unit(np.asarray(loss_grid, dtype=float), unit)
    fig = go.Figure()
    fig.add_trace(go.Contour(
        x=ws, y=bs, z=grid, name="mean loss", ncontours=30,
        colorscale="Viridis", reversescale=True, opacity=0.85,
        contours=dict(coloring="heatmap", showlines=True),
        line=dict(width=0.5, color="rgba(255,255,255,0.5)"),
        colorbar=dict(title=dict(text=f"loss ({unit})", side="right"), thickness=14),
        hovertemplate=f"w = %{{x:.2f}}, b = %{{y:.2f}}<br>loss = %{{z:.4f}} {unit}<extra></extra>"))
    step = np.arange(len(path.w))
    fig.add_trace(go.Scatter(
        x=path.w, y=path.b, mode="lines+markers", name="gradient descent",
        customdata=np.column_stack([step, to_unit(path.loss, unit)]),
        line=dict(color="white", width=2), marker=dict(color=PALETTE["vermillion"], size=6),
        hovertemplate=(f"step %{{customdata[0]}}<br>w = %{{x:.3f}}, b = %{{y:.3f}}<br>"
                       f"loss = %{{customdata[1]:.4f}} {unit}<extra></extra>")))
    fig.add_trace(go.Scatter(
        x=[path.w[0]], y=[path.b[0]], mode="markers", name="start",
        marker=dict(color="white", size=14, symbol="circle", line=dict(width=2, color="black")),
        hovertemplate="start<br>w = %{x:.2f}, b = %{y:.2f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=[optimum[0]], y=[optimum[1]], mode="markers", name="scikit-learn optimum",
        marker=dict(color=PALETTE["sky"], size=22, symbol="star", line=dict(width=1.5, color="black")),
        hovertemplate="LogisticRegression (no penalty)<br>w = %{x:.4f}, b = %{y:.4f}<extra></extra>"))
    fig.update_xaxes(title_text="weight w (no unit)", showgrid=False)
    fig.update_yaxes(title_text="bias b (no unit)", showgrid=False)
    return apply_style(fig, title=title, height=480)
