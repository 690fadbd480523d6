"""Penalty-curve charts: −ln p against the prediction, other losses beside it, and the
gradient each loss sends back to the logit.

Each builder returns a Vega-Lite :class:`~charts.style.Chart`. The spec depends
only on the unit and on which optional parts are drawn (seed examples, a current p);
the curves, the true label, γ and the current p are the chart's named datasets, so a
slider or the label radio swaps data in a chart already on screen.
"""

from __future__ import annotations

import numpy as np

from ce_core.information import to_unit
from ce_core.losses import (
    binary_cross_entropy,
    focal_loss,
    logit_gradient_cross_entropy,
    logit_gradient_squared_error,
    squared_error,
)
from ce_core.validation import check_number
from .style import PALETTE, Chart, TEXT_MARK, finite_or_none, spoken, vega_spec

#: The predictions every curve is drawn at: 399 points, leaving out the ends 0 and 1
#: (−ln 0 is infinite).
GRID = np.linspace(0.0025, 0.9975, 399)


def _for_label(loss, p, label: int, **options) -> np.ndarray:
    """A loss (``binary_cross_entropy`` or ``focal_loss``) of every prediction in ``p``
    against the same true label: one curve."""
    p = np.atleast_1d(np.asarray(p, dtype=float))
    return loss(np.full(p.shape, label), p, reduction="none", **options)


#: Upper end of the loss axis, in nats (−ln p passes it at p ≈ 0.0025).
Y_MAX_NATS = 6.0
HEIGHT = 420

_X_TITLE = "predicted probability of class 1, p (no unit)"
_P_AXIS = {"field": "p", "type": "quantitative", "title": _X_TITLE,
           "scale": {"domain": [0, 1], "nice": False},
           "axis": {"tickCount": 10, "format": ".1f"}}

_TEXT = TEXT_MARK
#: The page's background colour (Streamlit sets Vega's ``background`` signal to it).
_BACKGROUND = {"expr": "background"}
#: The current-p markers, ringed in the page's background colour to stand off the curves.
_MARKER = {"type": "point", "filled": True, "size": 220, "opacity": 1,
           "stroke": _BACKGROUND, "strokeWidth": 2}
#: The current p on the penalty curves: a ring in the curve's colour, filled with the
#: page's background, so a seed diamond at the same p shows inside it.
_RING = {"type": "point", "filled": False, "size": 380, "opacity": 1, "strokeWidth": 3.5,
         "fill": _BACKGROUND, "fillOpacity": 1}
#: The seed examples: green diamonds outlined in the background colour, drawn above the rings.
_DIAMOND = {"type": "point", "shape": "diamond", "filled": True, "size": 200, "opacity": 1,
            "stroke": _BACKGROUND, "strokeWidth": 1.5}
_P_TOOLTIP = {"field": "p", "title": "p", "format": ".3f"}

_LABEL_ONE = "true label 1: −ln p"
_LABEL_ZERO = "true label 0: −ln(1 − p)"
_SEED = "worked example (label 1)"
_SE = "squared error (y − p)², no unit"
_SE_GRAD = "squared error: 2(p − y)·p(1 − p), no unit"
#: Squared error has no unit, so a chart that draws it beside cross-entropy names each
#: curve's unit in the legend, and its axis title says where to look.
_MIXED_UNITS = "(unit in the legend)"


def _ce_name(unit: str) -> str:
    return f"cross-entropy ({unit})"


def _focal_name(unit: str) -> str:
    return f"focal loss ({unit})"


def _ce_grad_name(unit: str) -> str:
    """In bits, −log₂ p = −ln p / ln 2, so the gradient p − y is divided by ln 2 too."""
    return "cross-entropy: (p − y)/ln 2, bits" if unit == "bits" else f"cross-entropy: p − y, {unit}"


def _shape(domain: list[str], shapes: list[str]) -> dict:
    """A shape scale over the same ``curve`` field and domain as the colour scale, so that
    Vega-Lite merges both into one legend whose symbols take these shapes ("stroke" is
    a short line, for a curve)."""
    return {"field": "curve", "type": "nominal", "title": None,
            "scale": {"domain": domain, "range": shapes}}


def _colour(domain: list[str], colours: list[str], **legend) -> dict:
    # one entry a line: side by side they ran past a phone's and a projector stage's chart
    return {"field": "curve", "type": "nominal", "title": None,
            "scale": {"domain": domain, "range": colours},
            "legend": {"labelLimit": 400, "direction": "vertical", **legend}}


def _long(x: np.ndarray, curves: dict[str, np.ndarray], value: str, **extra) -> dict[str, list]:
    """Curves over the same x as one long table: columns p, ``value``, curve (+ extra)."""
    table: dict[str, list] = {"p": [], value: [], "curve": []}
    table.update({name: [] for name in extra})
    for name, values in curves.items():
        table["p"] += [float(v) for v in x]
        table[value] += finite_or_none(values)
        table["curve"] += [name] * len(x)
        for column, per_curve in extra.items():
            table[column] += [per_curve[name]] * len(x)
    return table


def _lines(dataset: str, y: dict, colour: dict, tooltip: list, dash: dict | None = None) -> list:
    """Line layer plus invisible points that carry the tooltip (a line's own tooltip
    would show one point of the whole line)."""
    encoding = {"x": _P_AXIS, "y": y, "color": colour}
    if dash:
        encoding["strokeDash"] = dash
    return [{"data": {"name": dataset}, "mark": {"type": "line", "strokeWidth": 3},
             "encoding": encoding},
            {"data": {"name": dataset}, "mark": {"type": "point", "opacity": 0, "size": 60},
             "encoding": {"x": _P_AXIS, "y": y, "tooltip": tooltip}}]


def _p_rule(dataset: str) -> dict:
    """A dotted vertical rule at the current p (first row of ``dataset``)."""
    return {"data": {"name": dataset}, "transform": [{"filter": "datum.first"}],
            "mark": {"type": "rule", "strokeDash": [2, 3], "strokeWidth": 2,
                     "color": PALETTE["grey"]},
            "encoding": {"x": _P_AXIS}}


def _side_text(dataset: str, encoding: dict, *, test: str = "true", dx: int = 10,
               **mark) -> list:
    """Two text layers beside a point: right of it when p < 0.5, left of it otherwise
    (alignment cannot come from data, so each half gets its own layer)."""
    return [{"data": {"name": dataset},
             "transform": [{"filter": f"({test}) && datum.p {op} 0.5"}],
             "mark": {**_TEXT, "align": align, "dx": sign * dx, **mark},
             "encoding": encoding}
            for op, align, sign in (("<", "left", 1), (">=", "right", -1))]


def _note(dataset: str) -> dict:
    """A text fed from data at the top centre of the plot (empty on every curve here)."""
    return {"data": {"name": dataset},
            "mark": {**_TEXT, "align": "center", "baseline": "top", "y": 6, "lineBreak": "\n"},
            "encoding": {"x": {"datum": 0.5, "type": "quantitative"},
                         "text": {"field": "text"}}}


def _cross_entropy(p, label: int, unit: str) -> np.ndarray:
    """Binary cross-entropy of each prediction in ``p`` for the true ``label``, in ``unit``."""
    return to_unit(_for_label(binary_cross_entropy, p, label), unit)


def _loss_axis(unit: str) -> dict:
    """The loss axis, from 0 to 6 nats in ``unit``."""
    return {"field": "loss", "type": "quantitative", "title": f"loss ({unit})",
            "scale": {"domain": [0, to_unit(Y_MAX_NATS, unit)], "nice": False}}


def _loss_tip(unit: str) -> dict:
    return {"field": "loss", "title": f"loss ({unit})", "format": ".3f"}


def _current_losses(p: float, unit: str, top: float) -> dict[str, list]:
    """The current p on both curves; a loss above the axis is drawn at its top, its
    value written beside it ("↑ 36.04 nats")."""
    losses = [float(_cross_entropy(p, label, unit)[0]) for label in (1, 0)]  # clipped, so finite
    return {
        "p": [p, p], "curve": [_LABEL_ONE, _LABEL_ZERO], "first": [True, False],
        "loss": finite_or_none(losses),
        "shown": finite_or_none([min(v, top) for v in losses]),  # capped at the axis top
        "capped": [bool(v > top) for v in losses],
        "text": [f"↑ {v:.2f} {unit}" if v > top else "" for v in losses],
    }


def _current_loss_layers(y: dict, colour: dict, unit: str) -> list[dict]:
    """A dotted rule at the current p, a ring on each curve, the capped values written."""
    shown = {**y, "field": "shown"}
    ring = {"data": {"name": "current"},
            "mark": _RING,
            "encoding": {"x": _P_AXIS, "y": shown, "color": colour,
                         "tooltip": [{"field": "curve", "title": "your p, true label"},
                                     _P_TOOLTIP, _loss_tip(unit)]}}
    return [_p_rule("current"), ring,
            *_side_text("current", {"x": _P_AXIS, "y": shown, "text": {"field": "text"}},
                        test="datum.capped", baseline="top", dy=4)]


def _seed_rows(marked, unit: str) -> dict[str, list]:
    """The seed examples on the label-1 curve, each labelled with its loss."""
    m = np.asarray(marked, dtype=float)
    loss = _cross_entropy(m, 1, unit)
    return {"p": finite_or_none(m), "loss": finite_or_none(loss), "curve": [_SEED] * len(m),
            "text": [f"p = {a:g} → {b:.3f}" for a, b in zip(m, loss)]}


def _seed_layers(y: dict, colour: dict, legend: list[str], unit: str) -> list[dict]:
    """Green diamonds (a diamond in the legend too), labelled 16 px above them."""
    diamonds = {"data": {"name": "seed"},
                "mark": _DIAMOND,
                "encoding": {"x": _P_AXIS, "y": y, "color": colour,
                             "shape": _shape(legend, ["stroke", "stroke", "diamond"]),
                             "tooltip": [{"field": "curve", "title": "worked example"},
                                         _P_TOOLTIP,
                                         {"field": "loss", "title": f"−ln p ({unit})",
                                          "format": ".3f"}]}}
    # well above the diamond: −ln p rises to the left of 0.9 by ~8 px per 0.1 of p
    return [diamonds, *_side_text("seed", {"x": _P_AXIS, "y": y, "text": {"field": "text"}},
                                  baseline="bottom", dy=-16)]


def penalty_curves(p: float | None = None, *, unit: str = "nats",
                   marked: tuple[float, ...] = (0.9, 0.1), title: str | None = None) -> Chart:
    """The two halves of binary cross-entropy over p: −ln p (label 1) and −ln(1−p) (label 0).

    Datasets: ``"curves"`` (both curves, fixed for a unit), ``"seed"`` (the ``marked``
    predictions as green diamonds, labelled with their loss) and ``"current"`` (the
    current p: a dotted rule and a ring on each curve). The seed diamonds (a diamond in
    the legend too) are drawn above the rings and the rings are filled with the page's
    background, so at p = 0.9 the diamond shows inside the ring rather than under a
    dot. A seed label sits 16 px above its diamond, on the side away from the rising
    part of −ln p (left of 0.9, right of 0.1), so no curve crosses it. The loss axis stops at
    6 nats; a marker whose loss is higher (at p = 0 or 1 the clipped loss is 36.04
    nats) sits at the top of the axis with its real value written beside it
    ("↑ 36.04 nats").

    Parameters
    ----------
    p : float, optional
        The current prediction, marked on both curves.
    unit : {"nats", "bits"}
    marked : tuple of float
        Predictions marked with their loss on the label-1 curve (the seed
        article's 0.9 → 0.105 and 0.1 → 2.303 by default).
    title : str, optional

    Examples
    --------
    >>> chart = penalty_curves(0.5)
    >>> sorted(set(chart.data["curves"]["curve"]))
    ['true label 0: −ln(1 − p)', 'true label 1: −ln p']
    """
    y = _loss_axis(unit)
    legend = [_LABEL_ONE, _LABEL_ZERO, _SEED]
    colour = _colour(legend, [PALETTE["blue"], PALETTE["orange"], PALETTE["green"]])
    data = {"curves": _long(GRID, {_LABEL_ONE: _cross_entropy(GRID, 1, unit),
                                   _LABEL_ZERO: _cross_entropy(GRID, 0, unit)}, "loss")}
    # label 0 dashed: which curve is which is not told by colour alone
    dash = {"field": "curve", "type": "nominal", "title": None,
            "scale": {"domain": legend, "range": [[1, 0], [8, 4], [1, 0]]}}
    layers = _lines("curves", y, colour,
                    [{"field": "curve", "title": "curve"}, _P_TOOLTIP, _loss_tip(unit)], dash)
    if p is not None:
        top = y["scale"]["domain"][1]
        data["current"] = _current_losses(check_number(p, "p", low=0.0, high=1.0), unit, top)
        layers += _current_loss_layers(y, colour, unit)
    if marked:
        data["seed"] = _seed_rows(marked, unit)
        # after the current-p rings, so a diamond stays visible at the same p
        layers += _seed_layers(y, colour, legend, unit)
    return Chart(vega_spec(title=title, height=HEIGHT, layer=layers), data, _penalty_alt(data, unit))


def _penalty_alt(data: dict, unit: str) -> str:
    """Both curves in words, the current p's losses and the worked examples."""
    now = data.get("current")
    current = (f" At your p = {now['p'][0]:g}: {spoken(now['loss'][0], 3)} if the true label is "
               f"1, {spoken(now['loss'][1], 3)} if it is 0." if now else "")
    seeds = (" Worked examples (diamonds) for label 1: " + ", ".join(data["seed"]["text"]) + "."
             if "seed" in data else "")
    return (f"Binary cross-entropy in {unit} against the predicted probability p of label 1, "
            f"the axis cut at {spoken(_loss_axis(unit)['scale']['domain'][1])}: "
            f"for true label 1, −ln p (solid) falls to 0 as p goes to 1; for true label 0, "
            f"−ln(1 − p) (dashed) rises without bound as p goes to 1.{current}{seeds}")


def loss_comparison(label: int = 1, *, gamma: float = 2.0, p: float | None = None,
                    unit: str = "nats", title: str | None = None) -> Chart:
    """Cross-entropy, squared error (y − p)² and focal loss for one true label, on the same axes.

    Cross-entropy and focal loss are in ``unit``; squared error has no unit and never
    exceeds 1. Each legend label names its curve's unit, and the axis title, "loss (unit
    in the legend)", claims no unit for all three (it stays short enough to fit beside the
    plot in presenter mode). The true label and γ are written at the top of the plot (and
    in each point's tooltip) rather than in the axis title and legend, so that
    changing them changes data only (datasets ``"curves"``, ``"note"`` and, with
    ``p``, ``"current"``: a dotted rule labelled "p = ...").

    Parameters
    ----------
    label : {0, 1}
        The true label.
    gamma : float
        Focal loss exponent, at least 0.
    p : float, optional
        The current prediction, marked with a rule.
    unit : {"nats", "bits"}
    title : str, optional

    Examples
    --------
    >>> chart = loss_comparison(1, gamma=2.0)
    >>> sorted(set(chart.data["curves"]["curve"]))
    ['cross-entropy (nats)', 'focal loss (nats)', 'squared error (y − p)², no unit']
    """
    g = check_number(gamma, "gamma", low=0.0)
    ce, focal = _ce_name(unit), _focal_name(unit)
    curves = {ce: _cross_entropy(GRID, label, unit),
              _SE: squared_error(GRID, label),
              focal: to_unit(_for_label(focal_loss, GRID, label, gamma=g), unit)}
    data = {
        "curves": _long(GRID, curves, "loss",
                        unit={ce: unit, _SE: "no unit", focal: unit},
                        gamma=dict.fromkeys(curves, float(g))),
        "note": {"text": [f"true label y = {label}\nfocal loss: γ = {g:g}"]},
    }
    colour = _colour([ce, _SE, focal], [PALETTE["blue"], PALETTE["vermillion"], PALETTE["green"]])
    dash = {"field": "curve", "type": "nominal", "title": None,
            "scale": {"domain": [ce, _SE, focal], "range": [[1, 0], [8, 4], [2, 3]]}}
    tooltip = [{"field": "curve", "title": "curve"}, _P_TOOLTIP,
               {"field": "loss", "title": "loss", "format": ".4f"},
               {"field": "unit", "title": "unit"},
               {"field": "gamma", "title": "focal loss γ", "format": "g"}]
    y = {**_loss_axis(unit), "title": f"loss {_MIXED_UNITS}"}
    layers = _lines("curves", y, colour, tooltip, dash) + [_note("note")]
    if p is not None:
        p = check_number(p, "p", low=0.0, high=1.0)
        data["current"] = {"p": [p], "first": [True], "text": [f"p = {p:g}"]}
        layers.append(_p_rule("current"))
        layers += _side_text("current", {"x": _P_AXIS, "text": {"field": "text"}},
                             baseline="top", y=60, dx=6)
    return Chart(vega_spec(title=title, height=HEIGHT, layer=layers), data,
                 _comparison_alt(label, g, p, unit))


def _comparison_alt(label: int, g: float, p: float | None, unit: str) -> str:
    """The three curves in words, and their values at p (the curves' own ce_core calls)."""
    ce, focal = _ce_name(unit), _focal_name(unit)
    at = ""
    if p is not None:
        now = {ce: _cross_entropy(np.array([p]), label, unit)[0],
               _SE: squared_error(np.array([p]), label)[0],
               focal: to_unit(_for_label(focal_loss, np.array([p]), label, gamma=g), unit)[0]}
        at = f" At your p = {p:g}: " + ", ".join(f"{n} {spoken(float(v), 3)}"
                                                for n, v in now.items()) + "."
    return (f"Three losses against the predicted probability p, for true label y = {label}: "
            f"{ce} (solid), {_SE} (dashed), {focal} with γ = {g:g} (dotted); each is 0 at "
            f"p = {label} and grows as p moves away from it.{at}")


_GRADIENT_TITLE = f"∂loss/∂z {_MIXED_UNITS}"


def _gradient_axis(unit: str) -> dict:
    """The gradient axis, labelled at −1, −0.5, 0, 0.5 and 1 in either unit (0 among them:
    should Vega drop every other label for room, −1, 0 and 1 stay); in bits cross-entropy's
    gradient reaches ±1/ln 2 ≈ ±1.44, so the axis is longer."""
    reach = max(1.0, float(to_unit(1.0, unit)))
    return {"field": "gradient", "type": "quantitative", "title": _GRADIENT_TITLE,
            "scale": {"domain": [-1.1 * reach, 1.1 * reach], "nice": False},
            "axis": {"values": list(GRADIENT_TICKS), "format": ".1f"}}


#: The labelled values of the gradient axis.
GRADIENT_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)


def _confidently_wrong(label: int) -> dict[str, list]:
    """The band p < 0.2 (label 1) or p > 0.8 (label 0). Its label goes where no curve runs
    in the band: the top for label 1 (gradients near −1 there), the bottom for label 0."""
    wrong = (0.0, 0.2) if label == 1 else (0.8, 1.0)
    return {"p": [wrong[0]], "p_end": [wrong[1]], "middle": [sum(wrong) / 2],
            "edge": [0.0 if label == 1 else 1.0],
            "label_y": [1.0 if label == 1 else -1.0]}


def _confidently_wrong_layers(axis: dict) -> list[dict]:
    """The shaded band, its name, and the zero line where the push changes sign."""
    return [
        {"data": {"name": "wrong"},
         "mark": {"type": "rect", "color": PALETTE["grey"], "opacity": 0.18},
         "encoding": {"x": _P_AXIS, "x2": {"field": "p_end"}}},
        # written from the band's outer edge inwards (centred on the band, it ran over the
        # axis labels), on two lines hanging from the top or standing on the bottom: on one
        # line it ran into the "true label" note at the top of a phone's plot
        *({"data": {"name": "wrong"}, "transform": [{"filter": f"datum.edge {op} 0.5"}],
           "mark": {**_TEXT, "align": align, "dx": dx, "lineBreak": "\n",
                    "baseline": {"expr": "datum.label_y > 0 ? 'top' : 'bottom'"}},
           "encoding": {"x": {**_P_AXIS, "field": "edge"},
                        "y": {**axis, "field": "label_y"},
                        "text": {"value": "confidently\nwrong"}}}
          for op, align, dx in (("<", "left", 6), (">=", "right", -6))),
        {"mark": {"type": "rule", "color": PALETTE["grey"], "strokeWidth": 1},
         "encoding": {"y": {"datum": 0, "type": "quantitative"}}},
    ]


def _current_gradient_layers(axis: dict, colour: dict, names: tuple[str, str]) -> list[dict]:
    """A dotted rule at the current p and a marker on each curve (circle for
    cross-entropy, square for squared error): one layer per shape, as a shape
    encoding would merge into the colour legend."""
    return [_p_rule("current"), *(
        {"data": {"name": "current"},
         "transform": [{"filter": {"field": "curve", "equal": curve}}],
         "mark": {**_MARKER, "shape": shape},
         "encoding": {"x": _P_AXIS, "y": axis, "color": colour,
                      "tooltip": [{"field": "curve", "title": "your p"}, _P_TOOLTIP,
                                  {"field": "gradient", "title": "∂loss/∂z",
                                   "format": "+.4f"}]}}
        for curve, shape in zip(names, ("circle", "square")))]


def _gradients(p, label: int, unit: str) -> list[np.ndarray]:
    """Cross-entropy's gradient in ``unit`` (÷ ln 2 in bits), squared error's (no unit)."""
    return [to_unit(logit_gradient_cross_entropy(p, label), unit),
            logit_gradient_squared_error(p, label)]


def logit_gradients(label: int = 1, *, p: float | None = None, unit: str = "nats",
                    title: str | None = None) -> Chart:
    """∂loss/∂z for sigmoid + cross-entropy (p − y, in nats; (p − y)/ln 2 in bits) and
    sigmoid + squared error (2(p − y)p(1 − p), no unit), with the confidently-wrong
    region shaded.

    Squared error has no unit, so neither has its gradient: each legend label names its
    curve's unit, and the axis title claims none for both. The confidently-wrong region
    is p < 0.2 for label 1 and p > 0.8 for label 0; its label sits where no curve runs
    inside it (top for label 1, bottom for label 0). The true label is written at the
    top of the plot rather than in the axis title, so that changing it changes data
    only. Datasets: ``"curves"``, ``"wrong"`` (the shaded band), ``"note"`` and, with
    ``p``, ``"current"`` (a dotted rule and a marker on each curve: circle for
    cross-entropy, square for squared error). The gradient axis is labelled at −1, −0.5,
    0, 0.5 and 1 (in bits it reaches past ±1/ln 2), so the zero line, where the push on
    the logit changes sign, has its label. The spec depends only on ``unit``.

    Parameters
    ----------
    label : {0, 1}
        The true label.
    p : float, optional
        The current prediction, marked on both curves.
    unit : {"nats", "bits"}, default="nats"
        The unit of cross-entropy, and so of its gradient.
    title : str, optional

    Examples
    --------
    For label 1 the confidently-wrong band runs from p = 0 to 0.2:

    >>> logit_gradients(1).data["wrong"]["p"], logit_gradients(1).data["wrong"]["p_end"]
    ([0.0], [0.2])
    """
    names = (_ce_grad_name(unit), _SE_GRAD)
    axis = _gradient_axis(unit)
    data = {
        "curves": _long(GRID, dict(zip(names, _gradients(GRID, label, unit))), "gradient",
                        unit={names[0]: f"{unit} per unit of logit", names[1]: "no unit"}),
        "wrong": _confidently_wrong(label),
        "note": {"text": [f"true label y = {label}"]},
    }
    colour = _colour(list(names), [PALETTE["blue"], PALETTE["vermillion"]],
                     symbolType="stroke")
    dash = {"field": "curve", "type": "nominal", "title": None,
            "scale": {"domain": list(names), "range": [[1, 0], [8, 4]]}}
    tooltip = [{"field": "curve", "title": "curve"}, _P_TOOLTIP,
               {"field": "gradient", "title": "∂loss/∂z", "format": "+.4f"},
               {"field": "unit", "title": "unit"}]
    layers = [*_confidently_wrong_layers(axis),
              *_lines("curves", axis, colour, tooltip, dash), _note("note")]
    if p is not None:
        p = check_number(p, "p", low=0.0, high=1.0)
        data["current"] = {"p": [p, p], "curve": list(names), "first": [True, False],
                           "gradient": finite_or_none([float(v) for v in
                                                       _gradients(p, label, unit)])}
        layers += _current_gradient_layers(axis, colour, names)
    return Chart(vega_spec(title=title, height=HEIGHT, layer=layers), data,
                 _gradients_alt(data, names, label, p))


def _gradients_alt(data: dict, names, label: int, p: float | None) -> str:
    """Both gradient curves, the confidently-wrong band and the values at p, in words."""
    wrong = data["wrong"]
    at = (f" At your p = {p:g}: " + ", ".join(f"{n} {spoken(v, 3)}" for n, v in
                                             zip(names, data["current"]["gradient"])) + "."
          if p is not None else "")
    return (f"Gradient of the loss with respect to the logit z against p, for true label y = "
            f"{label}: {names[0]} (solid) and {names[1]} (dashed). Shaded, confidently wrong: "
            f"p from {wrong['p'][0]:g} to {wrong['p_end'][0]:g}, where cross-entropy's gradient "
            f"stays large and squared error's fades to 0.{at}")
