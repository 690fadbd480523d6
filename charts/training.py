"""Live-training charts: loss curves, the decision surface, the worst digits, and
gradient descent on a loss surface you can see whole."""

from __future__ import annotations

import math

import numpy as np

from ce_core.information import to_unit
from ce_core.training import DescentPath, History, Surface, chance_loss
from .style import (PALETTE, SEQUENCE, STAR, TEXT_MARK, Chart, finite_or_none, floats,
                    spoken, vega_spec)

#: Marker area (px²) grows linearly with a point's own loss: 0 nats → 36, 3+ nats → 600.
_AREA_MIN, _AREA_MAX, _SIZE_LOSS_CAP = 36.0, 600.0, 3.0
#: Digits gallery, in pixels of the images: gap between images, room for the titles,
#: and the chart's height per row of images in screen pixels.
_GALLERY_GAP, _GALLERY_TITLE, _GALLERY_ROW_PX = 1.5, 3.5, 260
_PENALTY = "L2 penalty"
#: Pixels between the plot's top edge and the bottom of the best-epoch label above it.
BEST_LABEL_GAP = 8
_SHAPES = ("circle", "square", "diamond", "triangle-up", "cross", "triangle-down",
           "triangle-right", "triangle-left", "wedge", "arrow")


# ----------------------------------------------------------------------------- loss curves

def _loss_rows(history: History, unit: str, with_penalty: bool) -> dict[str, list]:
    """One row per epoch, epoch 0 (before any update) first when the history has it: the
    training and validation loss (and the L2 penalty) in ``unit``."""
    timeline = history.timeline

    def column(name: str) -> list:
        return finite_or_none(to_unit(np.array([getattr(r, name) for r in timeline], dtype=float),
                                      unit))

    losses: dict[str, list] = {"epoch": [int(r.epoch) for r in timeline],
                               "training": column("train_loss"),
                               "validation": column("val_loss")}
    if with_penalty:
        losses[_PENALTY] = column("l2_penalty")
    return losses


def _best_epoch(history: History, unit: str) -> dict[str, list]:
    """The epoch of the lowest validation loss (no row while there is none)."""
    best = history.best
    if best is None or not math.isfinite(best.val_loss):
        return {"epoch": [], "loss": [], "label": []}
    return {"epoch": [int(best.epoch)], "loss": [float(to_unit(best.val_loss, unit))],
            "label": [f"★ lowest validation loss: epoch {best.epoch}"]}


def _curve_lines(curves: list[str], x: dict, y: dict) -> dict:
    """Training blue and solid, validation orange and dashed (colour is not the only
    cue); the penalty dotted grey."""
    colours = [PALETTE["blue"], PALETTE["orange"], PALETTE["grey"]][:len(curves)]
    dashes = [[1, 0], [8, 4], [2, 3]][:len(curves)]
    return {"data": {"name": "losses"},
            "transform": [{"fold": curves, "as": ["curve", "loss"]}],
            "mark": {"type": "line", "strokeWidth": 3, "clip": True},
            "encoding": {"x": x, "y": y,
                         "color": {"field": "curve", "type": "nominal",
                                   "scale": {"domain": curves, "range": colours},
                                   "title": None,    # on top: a right legend cut a phone's
                                   "legend": {"symbolStrokeWidth": 3, "orient": "top",
                                              "direction": "horizontal"}},
                         "strokeDash": {"field": "curve", "type": "nominal",
                                        "scale": {"domain": curves, "range": dashes},
                                        "title": None}}}


def _epoch_hover(curves: list[str], x: dict, unit: str) -> dict:
    """An invisible rule per epoch that shows up under the pointer, with every value there."""
    tooltip = [{"field": "epoch", "type": "quantitative", "title": "epoch"}] + [
        {"field": c, "type": "quantitative", "title": f"{c} ({unit})", "format": ".4f"}
        for c in curves]
    return {"data": {"name": "losses"},
            "params": [{"name": "hover", "select": {"type": "point", "fields": ["epoch"],
                                                    "nearest": True, "on": "pointerover",
                                                    "clear": "pointerout"}}],
            "mark": {"type": "rule", "color": PALETTE["grey"], "strokeWidth": 1.5},
            "encoding": {"x": x,
                         "opacity": {"condition": {"param": "hover", "empty": False,
                                                   "value": 0.6},
                                     "value": 0},
                         "tooltip": tooltip}}


def _best_epoch_layers(x: dict, y: dict, unit: str) -> list[dict]:
    """A dashed line and a star at the best epoch, and its name above the plot."""
    return [
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
        # In a row of its own above the plot's top-right corner, outside the data
        # rectangle, so no curve (a rising validation loss) runs through it.
        {"data": {"name": "best"},
         "mark": {**TEXT_MARK, "align": "right", "baseline": "bottom", "dy": -BEST_LABEL_GAP},
         "encoding": {"x": {"value": "width"}, "y": {"value": 0},
                      "text": {"field": "label", "type": "nominal"}}},
    ]


def _chance_rows(n_classes: int, unit: str) -> dict[str, list]:
    """The loss of guessing 1/K for every class, and its name."""
    value = float(to_unit(chance_loss(n_classes), unit))
    log = "ln" if unit == "nats" else "log₂"
    return {"loss": [value],
            "label": [f"guessing 1/{n_classes} each: {log} {n_classes} = {value:.3f} {unit}"]}


def _chance_layers(y: dict) -> list[dict]:
    """A dotted line at the chance level, named at its right end just above it: the curves
    start on that line at epoch 0, and a model that learns is far below it by the end."""
    return [
        {"data": {"name": "chance"},
         "mark": {"type": "rule", "color": PALETTE["grey"], "strokeDash": [2, 4],
                  "strokeWidth": 2},
         "encoding": {"y": y}},
        {"data": {"name": "chance"},
         "mark": {**TEXT_MARK, "align": "right", "baseline": "bottom", "dx": -4, "dy": -3},
         "encoding": {"x": {"value": "width"}, "y": y,
                      "text": {"field": "label", "type": "nominal"}}},
    ]


def loss_curves(history: History, *, unit: str = "nats", max_epochs: int | None = None,
                show_penalty: bool = True, title: str | None = None,
                n_classes: int | None = None) -> Chart:
    """Training and validation cross-entropy per epoch, the best validation epoch marked.

    Drawn as two lines (training solid blue, validation dashed orange), the L2 penalty
    α/2·‖W‖² dotted grey when it is not zero (the optimiser minimises it too, but the
    two curves leave it out), and a dashed vertical line with a star at the epoch of
    the lowest validation loss (where early stopping would keep the model), named in
    a row above the plot's top-right corner (outside the data rectangle, so no curve
    crosses the name). Hovering an epoch shows every curve's value there. The curves
    start at epoch 0, the model before any update, when the history has it; ``n_classes``
    K adds a dotted grey line at the loss of guessing 1/K for every class
    (:func:`ce_core.training.chance_loss`), named in ``unit`` ("ln 3" or "log₂ 3").

    The spec depends only on ``unit``, ``max_epochs``, ``title`` and whether the
    penalty line is drawn; a growing run only changes the data, so a live chart is
    updated in place. Dataset ``"losses"``: one row per epoch (``epoch``,
    ``training``, ``validation`` and, with the penalty, ``L2 penalty``, in ``unit``);
    dataset ``"best"``: the best epoch (``epoch``, ``loss``, ``label``); with ``n_classes``,
    dataset ``"chance"`` (``loss`` in ``unit``, ``label``).

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
    penalty = history.column("l2_penalty")
    with_penalty = bool(show_penalty and len(penalty) and np.nanmax(penalty) > 0)
    curves = ["training", "validation"] + ([_PENALTY] if with_penalty else [])
    x_scale = ({"domain": [0, int(max_epochs)], "nice": False} if max_epochs
               else {"zero": True, "nice": False})
    x = {"field": "epoch", "type": "quantitative", "title": "epoch (passes over the training set)",
         "scale": x_scale, "axis": {"tickMinStep": 1}}
    y = {"field": "loss", "type": "quantitative", "title": f"mean cross-entropy ({unit})",
         "scale": {"zero": True}}
    layers = [*(_chance_layers(y) if n_classes is not None else []),
              _curve_lines(curves, x, y), _epoch_hover(curves, x, unit),
              *_best_epoch_layers(x, y, unit)]
    data = {"losses": _loss_rows(history, unit, with_penalty), "best": _best_epoch(history, unit)}
    if n_classes is not None:
        data["chance"] = _chance_rows(int(n_classes), unit)
    return Chart(vega_spec(height=400, title=title, layer=layers), data,
                 _loss_curves_alt(data, unit))


def _loss_curves_alt(data: dict, unit: str) -> str:
    """Where each curve starts and ends, the best epoch and the chance line, in words."""
    rows = data["losses"]
    if not rows["epoch"]:
        return f"Mean cross-entropy in {unit} per epoch: no epoch trained yet."
    ends = "; ".join(f"{name} ({how}) from {spoken(rows[name][0], 3)} to {spoken(rows[name][-1], 3)}"
                     for name, how in (("training", "solid"), ("validation", "dashed"),
                                       (_PENALTY, "dotted")) if name in rows)
    best = data["best"]
    best_text = (f"; lowest validation loss {spoken(best['loss'][0], 3)} at epoch "
                 f"{best['epoch'][0]} (a star)" if best["epoch"] else "")
    chance = f"; {data['chance']['label'][0]} (dotted line)" if "chance" in data else ""
    return (f"Mean cross-entropy in {unit} per epoch, epochs {rows['epoch'][0]} to "
            f"{rows['epoch'][-1]}: {ends}{best_text}{chance}.")


# ----------------------------------------------------------------------------- grids of cells

def _cells(xs, ys) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Edges of the rectangle around every grid point (midway to its neighbours), so a
    grid of rects tiles the plane like a heatmap; row-major like ``z[i, j]`` at (xs[j], ys[i])."""
    def edges(centres):
        c = np.asarray(centres, dtype=float)
        if len(c) == 1:
            return c - 0.5, c + 0.5
        mid = (c[1:] + c[:-1]) / 2
        return (np.concatenate([[c[0] - (mid[0] - c[0])], mid]),
                np.concatenate([mid, [c[-1] + (c[-1] - mid[-1])]]))
    x_lo, x_hi = edges(xs)
    y_lo, y_hi = edges(ys)
    return (np.tile(x_lo, len(y_lo)), np.tile(x_hi, len(y_lo)),
            np.repeat(y_lo, len(x_lo)), np.repeat(y_hi, len(x_lo)))


#: Grid cells: opaque, each outlined in its own colour so that no seams show between them.
_RECT = {"type": "rect", "strokeWidth": 0.75, "opacity": 1}


def _outlined(layer: dict) -> dict:
    """Outline each rect of ``layer`` in its own colour: hides the anti-aliasing seams
    between neighbouring cells. The outline reads a copy of the colour's field, so the
    colour keeps its own legend (a gradient, not merged with the outline's)."""
    colour = layer["encoding"]["color"]
    copy = f"{colour['field']}_outline"
    layer.setdefault("transform", []).append({"calculate": f"datum[{colour['field']!r}]",
                                              "as": copy})
    layer["encoding"]["stroke"] = {**colour, "field": copy, "legend": None}
    return layer


# ----------------------------------------------------------------------------- decision surface

def _rgb(colours) -> np.ndarray:
    """Hex colours "#rrggbb" as rows of 0-255 floats."""
    return np.array([[int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in colours], dtype=float)


def _pale(rgb: np.ndarray) -> np.ndarray:
    """Colours mixed with white, so the points drawn on them stand out."""
    return 0.4 * rgb + 0.6 * 255


def _blend(probs: np.ndarray) -> np.ndarray:
    """Mix the class colours by probability, paled: a sure region shows its class colour,
    an unsure one a muddy mix. NaN (a diverged model) shows as grey."""
    filled = np.where(np.isnan(probs), 1.0 / probs.shape[-1], probs)
    return _pale(filled @ _rgb(SEQUENCE[:probs.shape[-1]]))


def _hex(rgb: np.ndarray) -> list[str]:
    """``(..., 3)`` floats 0-255 as "#rrggbb" strings (Vega-Lite draws them as given)."""
    ints = np.clip(np.rint(rgb), 0, 255).astype(int).reshape(-1, 3)
    return [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in ints]


#: The cell's centre, for the tooltip.
_CENTRE = [{"calculate": "(datum.x + datum.x2) / 2", "as": "x₁"},
           {"calculate": "(datum.y + datum.y2) / 2", "as": "x₂"}]
_WHERE = [{"field": "x₁", "type": "quantitative", "format": ".2f"},
          {"field": "x₂", "type": "quantitative", "format": ".2f"}]
_FEATURE_X = {"field": "x", "type": "quantitative", "title": "feature x₁",
              "scale": {"zero": False, "nice": False}, "axis": {"grid": False}}
_FEATURE_Y = {"field": "y", "type": "quantitative", "title": "feature x₂",
              "scale": {"zero": False, "nice": False}, "axis": {"grid": False}}


def _two_class_cells(probs: np.ndarray) -> tuple[dict[str, list], dict]:
    """P(class 1) per cell, from pale blue (0) through white to pale orange (1), a colour bar beside it."""
    palette = _hex(_pale(_rgb([PALETTE["blue"], "#f7f7f7", PALETTE["orange"]])))
    layer = {
        "transform": [{"filter": "isValid(datum.p)"}, *_CENTRE],
        "mark": _RECT,
        "encoding": {
            "color": {"field": "p", "type": "quantitative", "title": "P(class 1)",
                      "scale": {"domain": [0, 0.5, 1], "range": palette},
                      "legend": {"orient": "right", "gradientLength": 200,
                                 "titleOrient": "left", "direction": "vertical"}},
            "tooltip": [*_WHERE, {"field": "p", "type": "quantitative", "title": "P(class 1)",
                                  "format": ".3f"}]}}
    return {"p": finite_or_none(probs[:, :, 1].ravel())}, layer


def _many_class_cells(probs: np.ndarray) -> tuple[dict[str, list], dict]:
    """The class colours mixed by probability per cell; the tooltip names the most likely class."""
    finite = np.where(np.isnan(probs), -1.0, probs)
    columns = {
        "colour": _hex(_blend(probs)),
        "guess": [f"class {int(c)}" if np.isfinite(probs[i, j]).all() else None
                  for (i, j), c in np.ndenumerate(finite.argmax(axis=-1))],
        "p": finite_or_none(np.nanmax(np.where(np.isnan(probs), -np.inf, probs),
                                      axis=-1).ravel()),
    }
    layer = {
        "transform": list(_CENTRE),   # a copy: _outlined adds to it
        "mark": _RECT,
        "encoding": {
            "color": {"field": "colour", "type": "nominal", "scale": None},
            "tooltip": [*_WHERE, {"field": "guess", "title": "most likely"},
                        {"field": "p", "type": "quantitative", "title": "its probability",
                         "format": ".3f"}]}}
    return columns, layer


def _surface_cells(surface: Surface) -> tuple[dict[str, list], dict]:
    """The background: one rect per grid point of ``surface``, its table and its layer."""
    probs = np.asarray(surface.probs, dtype=float)
    x_lo, x_hi, y_lo, y_hi = _cells(surface.xs, surface.ys)
    cells: dict[str, list] = {"x": floats(x_lo), "x2": floats(x_hi),
                              "y": floats(y_lo), "y2": floats(y_hi)}
    columns, layer = (_two_class_cells if probs.shape[-1] == 2 else _many_class_cells)(probs)
    cells.update(columns)
    layer["data"] = {"name": "surface"}
    layer["encoding"].update(x=_FEATURE_X, x2={"field": "x2"}, y=_FEATURE_Y, y2={"field": "y2"})
    return cells, _outlined(layer)


def _point_rows(X, y, losses, unit: str) -> dict[str, list]:
    """The training points, largest loss first so small points stay on top."""
    points = np.asarray(X, dtype=float)
    labels = np.asarray(y).astype(int)
    loss = np.asarray(losses, dtype=float)
    order = np.argsort(-np.nan_to_num(loss, nan=np.inf), kind="stable")
    return {"x": floats(points[order, 0]), "y": floats(points[order, 1]),
            "class": [f"class {c}" for c in labels[order]],
            "loss": finite_or_none(to_unit(loss[order], unit))}


def _points_layer(k: int, unit: str) -> dict:
    """Each point in its class colour and shape, its area growing with its own loss."""
    classes = [f"class {c}" for c in range(k)]
    cap = float(to_unit(_SIZE_LOSS_CAP, unit))
    class_legend = {"title": None, "symbolSize": 180, "symbolStrokeColor": "#202020",
                    "symbolStrokeWidth": 1}
    return {
        "data": {"name": "points"},
        "mark": {"type": "point", "filled": True, "opacity": 0.9, "stroke": "#202020",
                 "strokeWidth": 1},
        "encoding": {
            "x": _FEATURE_X, "y": _FEATURE_Y,
            "fill": {"field": "class", "type": "nominal", "legend": class_legend,
                     "scale": {"domain": classes,
                               "range": [SEQUENCE[c % len(SEQUENCE)] for c in range(k)]}},
            "shape": {"field": "class", "type": "nominal", "legend": class_legend,
                      "scale": {"domain": classes,
                                "range": [_SHAPES[c % len(_SHAPES)] for c in range(k)]}},
            # Area grows linearly with the point's loss, up to 3 nats; NaN: smallest.
            "size": {"field": "loss", "type": "quantitative", "title": f"its loss ({unit})",
                     "scale": {"domain": [0, cap], "range": [_AREA_MIN, _AREA_MAX],
                               "clamp": True, "zero": False, "nice": False},
                     "legend": {"values": [0.0, cap / 3, 2 * cap / 3, cap], "format": ".1f",
                                "orient": "right", "direction": "vertical",
                                "symbolFillColor": PALETTE["grey"],
                                "symbolStrokeColor": PALETTE["grey"]}},
            "tooltip": [{"field": "class", "title": "true class"},
                        {"field": "x", "type": "quantitative", "title": "x₁", "format": ".2f"},
                        {"field": "y", "type": "quantitative", "title": "x₂", "format": ".2f"},
                        {"field": "loss", "type": "quantitative", "title": f"its loss ({unit})",
                         "format": ".3f"}]}}


#: Where a ringed point's number may stand, in pixels from the point (right, up), tried in
#: this order; the ring's radius is about 19 px. Sizes are for the smallest plot, a
#: projector's half-width stage (~270 px) with 20 px digits.
_LABEL_SPOTS = ((26, 22), (-26, 22), (26, -22), (-26, -22), (0, 36), (0, -36), (48, 0), (-48, 0),
                (50, 44), (-50, 44), (50, -44), (-50, -44), (0, 64), (0, -64))
_LABEL_BOX, _PLOT_PX = (40, 24), 270


def place_point_labels(points: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A spot for each point's label (in data units) that overlaps no label placed before it.

    ``low`` and ``high`` are the axes' ends (x, y); the first spot of :data:`_LABEL_SPOTS`
    that is free and inside them is taken (the first inside one when none is). Clustered
    costly points otherwise printed their numbers on top of each other ("7202" for 72 and 02).

    >>> place_point_labels(np.zeros((2, 2)), np.array([-2, -2]), np.array([2, 2])).round(2).tolist()
    [[0.39, 0.33], [-0.39, 0.33]]
    """
    scale = _PLOT_PX / np.maximum(high - low, 1e-12)
    spots = np.array(_LABEL_SPOTS, dtype=float)
    placed: list[np.ndarray] = []
    for point in (points - low) * scale:
        inside = [p for p in point + spots if np.all((p >= 0) & (p <= _PLOT_PX))]
        free = [p for p in inside
                if all(np.any(np.abs(p - other) >= _LABEL_BOX) for other in placed)]
        placed.append((free or inside or [point])[0])
    return np.array(placed).reshape(-1, 2) / scale + low


def _worst_rows(X, losses, worst, unit: str, bounds: tuple) -> dict[str, list]:
    """The points named by ``worst`` (indices into ``X``), each with its id, loss and the
    spot of its label."""
    ids = np.asarray(list(worst), dtype=int)
    points = np.asarray(X, dtype=float)[ids].reshape(-1, 2)
    spots = place_point_labels(points, *bounds)
    return {"x": floats(points[:, 0]), "y": floats(points[:, 1]),
            "label_x": floats(spots[:, 0]), "label_y": floats(spots[:, 1]),
            "point": ids.tolist(), "id": [str(i) for i in ids],
            "loss": finite_or_none(to_unit(np.asarray(losses, dtype=float)[ids], unit))}


def _worst_layers(unit: str) -> list[dict]:
    """A ring around each costly point (dark outside, white inside, so it shows on any
    background colour) and its id, as in the table beside the chart."""
    tooltip = [{"field": "point", "title": "point"},
               {"field": "loss", "type": "quantitative", "title": f"its loss ({unit})",
                "format": ".3f"}]
    ring = {"data": {"name": "worst"}, "encoding": {"x": _FEATURE_X, "y": _FEATURE_Y,
                                                    "tooltip": tooltip}}
    label = {"x": {**_FEATURE_X, "field": "label_x"}, "y": {**_FEATURE_Y, "field": "label_y"},
             "text": {"field": "id"}}   # the spot place_point_labels found
    return [
        {**ring, "mark": {"type": "point", "shape": "circle", "filled": False, "size": 1100,
                          "stroke": "#202020", "strokeWidth": 4.5, "opacity": 1}},
        {**ring, "mark": {"type": "point", "shape": "circle", "filled": False, "size": 1100,
                          "stroke": "white", "strokeWidth": 1.5, "opacity": 1}},
        {"data": {"name": "worst"},
         "mark": {"type": "text", "baseline": "middle", "fontWeight": "bold",
                  "color": "#202020", "stroke": "white", "strokeWidth": 3, "strokeOpacity": 0.85},
         "encoding": label},
        {"data": {"name": "worst"},
         "mark": {"type": "text", "baseline": "middle", "fontWeight": "bold", "color": "#202020"},
         "encoding": label},
    ]


def decision_surface(surface: Surface, X, y, losses, *, unit: str = "nats",
                     title: str | None = None, worst=()) -> Chart:
    """Predicted probabilities over the plane, with the points sized by their own loss.

    The background is a grid of rectangles, one per grid point of ``surface``. Two
    classes: P(class 1) from pale blue (0) through white to pale orange (1), a colour bar beside
    it. More classes: each class colour mixed by its probability, so sure regions show
    their class colour and unsure ones a muddy mix (a diverged model's NaN: grey).
    Each training point is drawn in its class colour and shape with an area that grows
    with its own cross-entropy (capped at 3 nats), so the points the model pays most
    for stand out; hover shows the loss in ``unit``.

    The spec depends only on the number of classes and ``unit``. Datasets:
    ``"surface"`` (``x``, ``x2``, ``y``, ``y2`` cell edges and ``p`` = P(class 1), or
    ``colour``, ``guess`` and ``p`` = its probability) and ``"points"`` (``x``, ``y``,
    ``class``, ``loss`` in ``unit``), largest loss first so small points stay on top;
    ``"worst"`` (``x``, ``y``, ``point``, ``id``, ``loss``) the ringed points.

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import Surface
    >>> xs = np.linspace(-1, 1, 3)
    >>> probs = np.dstack([np.full((3, 3), 0.3), np.full((3, 3), 0.7)])
    >>> chart = decision_surface(Surface(xs, xs, probs), [[0.0, 0.0], [1.0, 1.0]], [0, 1],
    ...                          np.array([1.2, 0.36]))
    >>> len(chart.data["surface"]["p"]), chart.data["points"]["class"]
    (9, ['class 0', 'class 1'])
    """
    cells, background = _surface_cells(surface)
    k = np.asarray(surface.probs).shape[-1]
    spec = vega_spec(height=480, title=title,
                     layer=[background, _points_layer(k, unit), *_worst_layers(unit)])
    bounds = (np.array([np.min(surface.xs), np.min(surface.ys)]),
              np.array([np.max(surface.xs), np.max(surface.ys)]))
    points, ringed = (_point_rows(X, y, losses, unit),
                      _worst_rows(X, losses, worst, unit, bounds))
    return Chart(spec, {"surface": cells, "points": points, "worst": ringed},
                 _surface_alt(k, points, ringed, unit))


def training_points(X, y, n_classes: int) -> Chart:
    """The training set before any model has seen it: each point in its class colour and
    shape, on the same axes as :func:`decision_surface`. Dataset ``"points"`` (``x``,
    ``y``, ``class``).

    Examples
    --------
    >>> training_points([[0.0, 1.0], [2.0, 3.0]], [1, 0], 2).data["points"]["class"]
    ['class 1', 'class 0']
    """
    layer = _points_layer(n_classes, "nats")
    del layer["encoding"]["size"]                       # no model yet: no loss to size by
    layer["encoding"]["tooltip"] = layer["encoding"]["tooltip"][:3]
    layer["mark"]["size"] = 70
    points = _point_rows(X, y, np.zeros(len(y)), "nats")
    del points["loss"]
    return Chart(vega_spec(height=480, layer=[layer]), {"points": points},
                 f"The training set before training: {_class_counts(n_classes, points)}.")


def _class_counts(k: int, points: dict) -> str:
    return ", ".join(f"{points['class'].count(f'class {c}'):,} of class {c} "
                     f"({_SHAPES[c % len(_SHAPES)].replace('-', ' ')} markers)" for c in range(k))


def _surface_alt(k: int, points: dict, ringed: dict, unit: str) -> str:
    """How many points of each class, and the ringed costly ones with their loss."""
    counts = _class_counts(k, points)
    costly = ("; ringed, the costliest: " + ", ".join(
        f"point {i} ({spoken(v, 2)} {unit})" for i, v in zip(ringed["id"], ringed["loss"]))
        if ringed["id"] else "")
    return (f"The model's class probabilities over the plane (x₁, x₂) as background colour, and "
            f"the training points in their class's colour and shape, larger where their own "
            f"loss is larger: {counts}{costly}.")


# ----------------------------------------------------------------------------- digits gallery

def _image_title(label: int, probs: np.ndarray, loss: float, unit: str) -> str:
    """Two lines: "true 3 · P=0.10" and "guess 0 · 2.30 nats" ("?" for a diverged model)."""
    guess = int(np.nanargmax(probs)) if np.isfinite(probs).any() else "?"
    return f"true {label} · P={probs[label]:.2f}\nguess {guess} · {loss:.2f} {unit}"


def _gallery_tables(imgs: np.ndarray, titles: list[str], image_shape: tuple[int, int],
                    columns: int) -> tuple[dict[str, list], dict[str, list]]:
    """Every image's pixels (top-left corners in grid units, ``columns`` images to a row)
    and its title's anchor above it."""
    height_px, width_px = image_shape
    cell_w, cell_h = width_px + _GALLERY_GAP, height_px + _GALLERY_TITLE
    ii, jj = np.indices(image_shape)
    pixels: dict[str, list] = {"x": [], "y": [], "ink": [], "image": []}
    anchors: dict[str, list] = {"x": [], "y": [], "text": titles}
    for k, image in enumerate(imgs):
        left, top = (k % columns) * cell_w, -(k // columns) * cell_h - _GALLERY_TITLE
        pixels["x"] += floats(left + jj)
        pixels["y"] += floats(top - ii)
        pixels["ink"] += finite_or_none(image.reshape(image_shape).ravel())
        pixels["image"] += [k + 1] * (height_px * width_px)
        anchors["x"].append(float(left + width_px / 2))
        anchors["y"].append(float(top))
    return pixels, anchors


def _gallery_layers(x: dict, y: dict) -> list[dict]:
    """Each pixel a rect shaded by its ink (0 white, 1 black); the titles above the images."""
    pixels = {"data": {"name": "pixels"},
              "transform": [{"calculate": "datum.x + 1", "as": "x2"},
                            {"calculate": "datum.y - 1", "as": "y2"}],
              "mark": _RECT,
              "encoding": {"x": x, "x2": {"field": "x2"}, "y": y, "y2": {"field": "y2"},
                           "color": {"field": "ink", "type": "quantitative", "legend": None,
                                     "scale": {"scheme": "greys", "domain": [0, 1],
                                               "clamp": True}},
                           "tooltip": [{"field": "image", "title": "image"},
                                       {"field": "ink", "type": "quantitative", "title": "ink",
                                        "format": ".2f"}]}}
    titles = {"data": {"name": "titles"},
              # Two lines (the shared config's font size, larger in presenter mode), the
              # second ending a few pixels above the image.
              "mark": {"type": "text", "baseline": "bottom", "align": "center",
                       "lineBreak": "\n", "dy": -30},
              "encoding": {"x": x, "y": y, "text": {"field": "text", "type": "nominal"}}}
    return [_outlined(pixels), titles]


def digits_gallery(images, true_labels, probs, losses, *, unit: str = "nats",
                   image_shape: tuple[int, int] = (8, 8), columns: int = 4,
                   title: str | None = None) -> Chart:
    r"""The given digit images in a grid, each titled with its true class, the
    probability the model gave it, the model's guess and the loss.

    Each pixel is a rectangle shaded by its ink (0 white, 1 black), the images laid
    out ``columns`` to a row with a two-line title above each: "true 3 · P=0.10" and
    "guess 0 · 2.30 nats". The spec depends only on the number of images,
    ``image_shape``, ``columns`` and ``title``. Datasets: ``"pixels"`` (``x``, ``y``
    = the pixel's top-left corner in grid units, ``ink``, ``image``) and ``"titles"``
    (``x``, ``y``, ``text``).

    Examples
    --------
    >>> import numpy as np
    >>> probs = np.full((2, 10), 0.1)
    >>> chart = digits_gallery(np.zeros((2, 64)), [3, 5], probs, [2.3, 2.3])
    >>> len(chart.data["pixels"]["ink"]), chart.data["titles"]["text"][0]
    (128, 'true 3 · P=0.10\nguess 0 · 2.30 nats')
    """
    imgs = np.asarray(images, dtype=float)
    p = np.asarray(probs, dtype=float)
    loss = to_unit(np.asarray(losses, dtype=float), unit)
    labels = np.asarray(true_labels).astype(int)
    names = [_image_title(labels[k], p[k], loss[k], unit) for k in range(len(imgs))]
    columns = max(1, int(columns))
    pixels, titles = _gallery_tables(imgs, names, image_shape, columns)
    rows = max(1, -(-len(imgs) // columns))
    height_px, width_px = image_shape
    x = {"field": "x", "type": "quantitative", "axis": None,
         "scale": {"domain": [0, columns * (width_px + _GALLERY_GAP) - _GALLERY_GAP],
                   "nice": False, "zero": False}}
    y = {"field": "y", "type": "quantitative", "axis": None,
         "scale": {"domain": [-rows * (height_px + _GALLERY_TITLE), 0],
                   "nice": False, "zero": False}}
    spec = vega_spec(height=_GALLERY_ROW_PX * rows, title=title, layer=_gallery_layers(x, y))
    alt = (f"{len(imgs)} digit images, each with what the model made of it: "
           + "; ".join(name.replace("\n", ", ").replace(" · ", ", ") for name in names) + ".")
    return Chart(spec, {"pixels": pixels, "titles": titles}, alt)


# ----------------------------------------------------------------------------- gradient descent

#: Round numbers evenly spaced in log, 1, 2, 5, 10 or 20 to a decade (Renard's preferred
#: numbers, rounded to two digits): band edges of a log-spaced contour map.
_LOG_SERIES = ((1,), (1, 3.2), (1, 1.6, 2.5, 4, 6.3),
               (1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8),
               (1, 1.1, 1.25, 1.4, 1.6, 1.8, 2, 2.2, 2.5, 2.8, 3.2, 3.6, 4, 4.5, 5, 5.6, 6.3, 7.1,
                8, 9))
#: At most this many bands: the finest series that stays under it is used.
MAX_BANDS = 16


def _decade(x: float) -> int:
    """The power of ten of ``x``'s leading digit (x > 0): -1 for 0.25, 2 for 250. Read
    from its scientific notation, exact where a logarithm can land just below a power."""
    return int(f"{x:e}".split("e")[1])


def log_edges(low: float, high: float) -> list[float]:
    """Round band edges from at or below ``low`` to above ``high`` (both > 0), evenly
    spaced in log: the finest series of :data:`_LOG_SERIES` with at most :data:`MAX_BANDS`
    bands.

    >>> log_edges(0.33, 4.5)
    [0.32, 0.4, 0.5, 0.63, 0.8, 1.0, 1.25, 1.6, 2.0, 2.5, 3.2, 4.0, 5.0]
    """
    best: list[float] = []
    for series in _LOG_SERIES:
        edges = [round(m * 10.0 ** d, 12) for d in range(_decade(low) - 1, _decade(high) + 2)
                 for m in series]
        first = max(i for i, e in enumerate(edges) if e <= low * (1 + 1e-12))
        last = min(i for i, e in enumerate(edges) if e > high)
        if not best or last - first <= MAX_BANDS:
            best = edges[first:last + 1]
    return best


def _edge(x: float) -> str:
    """A band edge as written in the legend: 0.32, 1.25, 4, 100."""
    return f"{x:.12g}"


def loss_bands(values) -> tuple[list[float | None], list[str | None]]:
    """Each value's band of a log-spaced filled-contour map: its lower edge and its name.

    Bands have round edges evenly spaced in log (:func:`log_edges`), so the bottom of a
    bowl, where the loss changes least, still gets bands of its own. NaN, infinite or
    non-positive values get None.

    >>> loss_bands([0.33, 0.41, 1.3, 4.4])
    ([0.32, 0.4, 1.25, 4.0], ['0.32–0.4', '0.4–0.5', '1.25–1.6', '4–5'])
    """
    v = np.asarray(values, dtype=float).ravel()
    shown = np.isfinite(v) & (v > 0)
    if not shown.any():
        return [None] * len(v), [None] * len(v)
    edges = np.array(log_edges(float(v[shown].min()), float(v[shown].max())))
    lows: list[float | None] = []
    names: list[str | None] = []
    for x, ok in zip(v, shown):
        if not ok:
            lows.append(None)
            names.append(None)
            continue
        i = int(np.searchsorted(edges, x * (1 + 1e-12), side="right")) - 1
        lows.append(float(edges[i]))
        names.append(f"{_edge(edges[i])}–{_edge(edges[i + 1])}")
    return lows, names


def loss_cells(ws, bs, loss_grid, *, unit: str = "nats") -> dict[str, list]:
    """The ``"grid"`` dataset of :func:`gradient_descent_surface`: one cell per grid point
    (``loss_grid[i, j]`` at ``bs[i]``, ``ws[j]``), its edges, its loss in ``unit`` and its
    band. Apart from the chart, so a page can keep it while only the walk changes.

    Examples
    --------
    >>> cells = loss_cells([0, 1, 2], [0, 1], [[1.0, 2.0, 4.0], [1.0, 1.0, 1.0]])
    >>> cells["w"][:3], cells["w2"][:3], cells["loss"][:3]
    ([-0.5, 0.5, 1.5], [0.5, 1.5, 2.5], [1.0, 2.0, 4.0])
    """
    grid = to_unit(np.asarray(loss_grid, dtype=float), unit)
    w_lo, w_hi, b_lo, b_hi = _cells(ws, bs)
    band, band_name = loss_bands(grid)
    return {"w": floats(w_lo), "w2": floats(w_hi), "b": floats(b_lo), "b2": floats(b_hi),
            "loss": finite_or_none(grid.ravel()), "band": band, "band_name": band_name}


_W = {"field": "w", "type": "quantitative", "title": "weight w (no unit)",
      "scale": {"zero": False, "nice": False}, "axis": {"grid": False, "tickCount": 8}}
_B = {"field": "b", "type": "quantitative", "title": "bias b (no unit)",
      "scale": {"zero": False, "nice": False}, "axis": {"grid": False}}


def _loss_grid_layer(unit: str) -> dict:
    """The loss as coloured cells in bands with round edges evenly spaced in log (data:
    they follow the grid's range), like a filled contour map; the highest band first,
    darkest."""
    return _outlined({
        "data": {"name": "grid"},
        "transform": [{"filter": "isValid(datum.loss)"},
                      {"calculate": "(datum.w + datum.w2) / 2", "as": "w at centre"},
                      {"calculate": "(datum.b + datum.b2) / 2", "as": "b at centre"}],
        "mark": _RECT,
        "encoding": {
            "x": _W, "x2": {"field": "w2"}, "y": _B, "y2": {"field": "b2"},
            "color": {"field": "band_name", "type": "ordinal", "title": f"loss ({unit})",
                      "sort": {"field": "band", "op": "min", "order": "descending"},
                      "scale": {"scheme": "viridis"},
                      # beneath, in rows: on the right it left a phone's map ~100 px wide
                      "legend": {"orient": "bottom", "direction": "horizontal",
                                 "columns": {"expr": "width < 420 ? 3 : 6"},
                                 "symbolType": "square", "symbolSize": 220,
                                 "symbolStrokeWidth": 0}},
            "tooltip": [{"field": "w at centre", "type": "quantitative", "title": "w",
                         "format": ".2f"},
                        {"field": "b at centre", "type": "quantitative", "title": "b",
                         "format": ".2f"},
                        {"field": "loss", "type": "quantitative", "title": f"loss ({unit})",
                         "format": ".4f"}]}})


#: The markers on the loss surface, in legend order, with their fill and shape. Colours
#: that show on a light and a dark page alike (a white start dot vanishes from the
#: legend on a light page).
_MARKERS = {"gradient descent": (PALETTE["vermillion"], "circle"),
            "start": (PALETTE["yellow"], "circle"),
            "scikit-learn optimum": (PALETTE["sky"], STAR)}


def _marker(name: str, dataset: str, *, size: int, outline: float, tooltip: list,
            where: str | None = None) -> dict:
    """A layer of points named ``name`` in the shared marker legend, ringed in a dark
    ``outline`` px wide. The name is a field (not a datum) in every layer, so fill and
    shape merge into one legend."""
    # "scikit-learn optimum" whole at presenter size, and on its own line on a phone
    legend = {"title": None, "symbolSize": 220, "symbolStrokeWidth": 1.5, "labelLimit": 300,
              "columns": {"expr": "width < 420 ? 2 : 3"}}
    names = list(_MARKERS)
    fills, shapes = zip(*_MARKERS.values())
    filters = [{"filter": where}] if where else []
    return {"data": {"name": dataset},
            "transform": [*filters, {"calculate": repr(name), "as": "marker"}],
            "mark": {"type": "point", "filled": True, "size": size, "opacity": 1,
                     "stroke": "#202020", "strokeWidth": outline},
            "encoding": {"x": _W, "y": _B,
                         "fill": {"field": "marker", "type": "nominal",
                                  "scale": {"domain": names, "range": list(fills)},
                                  "legend": legend},
                         "shape": {"field": "marker", "type": "nominal",
                                   "scale": {"domain": names, "range": list(shapes)},
                                   "legend": legend},
                         "tooltip": tooltip}}


def _path_layers(unit: str) -> list[dict]:
    """The path as a white line with a dark casing (visible on every colour), a
    vermillion dot per step, and the start as a large yellow dot."""
    tooltip = [{"field": "step", "type": "quantitative", "title": "step"},
               {"field": "w", "type": "quantitative", "title": "w", "format": ".3f"},
               {"field": "b", "type": "quantitative", "title": "b", "format": ".3f"},
               {"field": "loss", "type": "quantitative", "title": f"loss ({unit})",
                "format": ".4f"}]
    return [
        *({"data": {"name": "path"}, "mark": line,
           "encoding": {"x": _W, "y": _B, "order": {"field": "step", "type": "quantitative"}}}
          for line in ({"type": "line", "color": "#202020", "strokeWidth": 4.5, "opacity": 0.8},
                       {"type": "line", "color": "white", "strokeWidth": 2})),
        _marker("gradient descent", "path", size=36, outline=0.5, tooltip=tooltip),
        _marker("start", "path", size=220, outline=2, tooltip=tooltip,
                where="datum.step === 0"),
    ]


def gradient_descent_surface(grid: dict[str, list], path: DescentPath,
                             optimum: tuple[float, float], *, unit: str = "nats",
                             title: str | None = None) -> Chart:
    """The mean loss over (w, b), the path gradient descent took, and scikit-learn's optimum.

    The loss is a grid of rectangles (one per grid point, colour banded like a filled
    contour map: dark = high, yellow = low; bands with round edges evenly spaced in log,
    from :func:`loss_bands`, so the bottom of the bowl, where the loss changes least,
    shows rings of its own).
    On it: the path as a white line (with a dark casing, visible on every colour)
    through a vermillion dot per step, the start as a large yellow dot, and
    ``LogisticRegression``'s optimum as a sky-blue star, where the path should end.

    The spec depends only on ``unit`` and ``title``. Datasets: ``"grid"``, as given, from
    :func:`loss_cells` in the same ``unit`` (cell edges ``w``, ``w2``, ``b``, ``b2``,
    ``loss`` and its band: lower edge ``band`` and name ``band_name`` such as
    "0.32–0.4"), ``"path"`` (``step``, ``w``, ``b``, ``loss``) and ``"optimum"``
    (``w``, ``b``).

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import DescentPath
    >>> path = DescentPath(np.array([0.0, 1.0]), np.array([0.0, 0.5]), np.array([0.7, 0.4]))
    >>> grid = loss_cells([0, 1, 2], [0, 1], np.ones((2, 3)))
    >>> chart = gradient_descent_surface(grid, path, (1.5, 0.4))
    >>> len(chart.data["grid"]["loss"]), chart.data["path"]["w"], chart.data["optimum"]
    (6, [0.0, 1.0], {'w': [1.5], 'b': [0.4]})
    """
    steps = {"step": list(range(len(path.w))), "w": floats(path.w), "b": floats(path.b),
             "loss": finite_or_none(to_unit(np.asarray(path.loss, dtype=float), unit))}
    best = {"w": [float(optimum[0])], "b": [float(optimum[1])]}
    optimum_tip = [{"field": "w", "type": "quantitative",
                    "title": "LogisticRegression (no penalty): w", "format": ".4f"},
                   {"field": "b", "type": "quantitative", "title": "b", "format": ".4f"}]
    layers = [_loss_grid_layer(unit), *_path_layers(unit),
              _marker("scikit-learn optimum", "optimum", size=600, outline=1.5,
                      tooltip=optimum_tip)]
    # 580 with the band legend beneath (Streamlit fits the legends into the height): the
    # map itself stays as tall as with the legend at the right and 480
    return Chart(vega_spec(height=580, title=title, layer=layers),
                 {"grid": grid, "path": steps, "optimum": best},
                 _descent_alt(steps, best, unit))


def _descent_alt(steps: dict, best: dict, unit: str) -> str:
    """Where the walk starts and ends, its loss there, and the optimum it should reach."""
    def at(i: int) -> str:
        return (f"w = {spoken(steps['w'][i])}, b = {spoken(steps['b'][i])}, loss "
                f"{spoken(steps['loss'][i], 4)} {unit}")
    return (f"Mean loss over the weight w and the bias b as coloured bands, dark high, yellow "
            f"low. Gradient descent takes {len(steps['step']) - 1} step(s) from {at(0)} (a large "
            f"yellow dot) to {at(-1)}; scikit-learn's optimum (a star) is at w = "
            f"{spoken(best['w'][0])}, b = {spoken(best['b'][0])}.")
