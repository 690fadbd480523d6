"""Softmax charts: probabilities per class, the logit gradient, and the effect of temperature.

Each builder returns a Vega-Lite :class:`~charts.style.Chart` whose spec depends
only on optional parts (a title, whether a temperature is marked, the temperature range);
the logits, the probabilities, the true class and the number of classes all travel in
the chart's named datasets, so moving a slider swaps data in a chart already on screen.

Orange means one thing on the softmax page: the true class. Both bar charts colour by
role, the true class orange and every other class blue (the gradient's direction is its
sign and the ▲ up / ▼ down written on each bar, not a colour). Colour is never the only
cue: the true class's bar is also outlined and labelled "true class". The temperature chart
does not know the true class, so its lines, one per class, take the colours of
:data:`CLASS_COLOURS`: the Okabe-Ito palette without orange and the look-alike
vermillion, so no class there wears the true class's colour.
"""

from __future__ import annotations

import numpy as np

from ce_core.activations import softmax
from ce_core.validation import InputError, as_class_labels, as_float_array
from .style import (PALETTE, TEXT_COLOUR, TEXT_MARK, Chart, finite_or_none, headroom_layer,
                    spoken, tooltip_points, vega_spec)

#: The temperature chart's class colours: Okabe-Ito without orange (the true class on the
#: bar charts) and vermillion (too close to orange to tell apart at a glance).
CLASS_COLOURS = [PALETTE[c] for c in ("blue", "green", "purple", "sky", "yellow")]
#: Classes beyond these five colours repeat them with a dashed line instead.
_DASHED_AFTER = len(CLASS_COLOURS)
#: The bar charts' colours by role: the same on the probability and the gradient bars.
_ROLE_COLOUR = {"field": "role", "type": "nominal", "legend": None,
                "scale": {"domain": ["true class", "other class"],
                          "range": [PALETTE["orange"], PALETTE["blue"]]}}

_TEXT = TEXT_MARK
_LINE = 18  # line height of two-line labels, px
_TAG = "true class"
#: The gradient axis reaches this many times the largest bar each way: room beyond a bar
#: for its two-line label and the "true class" tag under it.
GRADIENT_HEADROOM = 1.75
#: About this many ticks on the gradient axis: nice steps, its ends clear of their neighbours.
GRADIENT_TICK_COUNT = 5


def _class_names(k: int) -> list[str]:
    return [f"class {i}" for i in range(k)]


def _true_class(true_class: int, k: int) -> int:
    return int(as_class_labels([true_class], "true_class", k)[0])


def _roles(true_class: int, k: int) -> list[str]:
    return ["true class" if i == true_class else "other class" for i in range(k)]


def _tags(true_class: int, k: int) -> list[str]:
    """The words "true class" on the true class's bar only ("" draws nothing): colour is
    not the only cue, and a bar 0.002 tall (a confident mistake) shows no colour at all."""
    return [_TAG if i == true_class else "" for i in range(k)]


#: The true class's bars are outlined in the theme's text colour, the others not.
_OUTLINE = {"stroke": {"expr": TEXT_COLOUR}, "strokeWidth": 2.5}
_OUTLINE_OPACITY = {"condition": {"test": "datum.role === 'true class'", "value": 1},
                    "value": 0}


def _class_axis(title: str) -> dict:
    # sort=None keeps the data's order (class 0, 1, ..., 9), whatever K is
    return {"field": "class", "type": "nominal", "sort": None, "title": title,
            "axis": {"labelAngle": 0}}


def probability_bar_rows(probabilities, true_class: int) -> dict[str, list]:
    """The ``bars`` dataset of :func:`softmax_probability_bars`: one row per class.

    >>> probability_bar_rows([0.7, 0.3], 1)["tag"]
    ['', 'true class']
    """
    return probability_bar_grid([probabilities], true_class)[0]


def probability_bar_grid(probabilities, true_class: int) -> list[dict[str, list]]:
    """:func:`probability_bar_rows` for each row of ``probabilities`` (n, K), checked once:
    the live-scrub grid of a slider needs 201 of them and never the spec."""
    p = as_float_array(probabilities, "probabilities", ndim=(2,))
    k = p.shape[1]
    y = _true_class(true_class, k)
    names, roles, tags = _class_names(k), _roles(y, k), _tags(y, k)
    return [{"class": names, "probability": finite_or_none(row), "role": roles, "tag": tags}
            for row in p.tolist()]


def softmax_probability_bars(probabilities, true_class: int, *, title: str | None = None) -> Chart:
    """Bars of softmax probabilities, the true class in orange and the others in blue,
    each labelled with its value (3 decimals) above the bar. The true class is also
    outlined and labelled "true class" above its value, so it is found without colour,
    even when its bar is too short to see.

    The classes, their probabilities and which one is true are data (dataset
    ``"bars"``: columns ``class``, ``probability``, ``role``, ``tag``), so changing a logit,
    the temperature, the true class or the number of classes keeps the spec.

    Parameters
    ----------
    probabilities : array-like of shape (K,)
        The softmax output (each in [0, 1]).
    true_class : int
        Index of the true class, highlighted.
    title : str, optional

    Examples
    --------
    >>> chart = softmax_probability_bars([0.7, 0.2, 0.1], 0)
    >>> chart.data["bars"]["class"], chart.data["bars"]["role"][0]
    (['class 0', 'class 1', 'class 2'], 'true class')
    """
    data = {"bars": probability_bar_rows(probabilities, true_class)}
    x = _class_axis("class (orange = true class)")
    # room above a bar of 1 for its value and the tag above that
    prob = {"field": "probability", "type": "quantitative", "title": "probability (no unit)",
            "scale": {"domain": [0, 1.25], "nice": False},
            "axis": {"values": [0, 0.2, 0.4, 0.6, 0.8, 1.0]}}
    colour = _ROLE_COLOUR
    tooltip = [{"field": "class", "title": "class"}, {"field": "role", "title": "role"},
               {"field": "probability", "title": "probability (no unit)", "format": ".4f"}]
    spec = vega_spec(title=title, data={"name": "bars"}, layer=[
        {"mark": {"type": "bar", "cornerRadiusEnd": 2, **_OUTLINE},
         "encoding": {"x": x, "y": prob, "color": colour, "strokeOpacity": _OUTLINE_OPACITY,
                      "tooltip": tooltip}},
        {"mark": {**_TEXT, "baseline": "bottom", "dy": -4},
         "encoding": {"x": x, "y": prob,
                      "text": {"field": "probability", "type": "quantitative", "format": ".3f"}}},
        {"mark": {**_TEXT, "baseline": "bottom", "dy": -4 - _LINE, "fontWeight": "bold"},
         "encoding": {"x": x, "y": prob, "text": {"field": "tag"}}},
    ])
    return Chart(spec, data, "Softmax probability of each class: " + _per_class(data["bars"], "probability", 3) + ".")


def _per_class(rows: dict, column: str, digits: int, extra: str | None = None) -> str:
    """``"class 0 (true class): 0.700; class 1: 0.200"``, for a text alternative."""
    return "; ".join(
        f"{name}{' (true class)' if role == 'true class' else ''}: {spoken(v, digits)}"
        + (f", {rows[extra][i]}" if extra else "")
        for i, (name, role, v) in enumerate(zip(rows["class"], rows["role"], rows[column])))


def _gradient_title(unit: str) -> str:
    return f"∂loss/∂z ({unit} per unit of logit)"


def _gradient_rows(g: np.ndarray, true_class: int) -> dict[str, list]:
    """One row per class: its gradient, which way gradient descent moves its logit
    (the opposite of the gradient's sign), and its label "+0.200 ▼ down"."""
    moves = ["raised" if v < 0 else ("lowered" if v > 0 else "unchanged") for v in g]
    arrows = ["▲ up" if v < 0 else ("▼ down" if v > 0 else "·") for v in g]
    return {
        "class": _class_names(len(g)),
        "gradient": finite_or_none(g),
        "move": moves,
        "role": _roles(true_class, len(g)),
        "tag": _tags(true_class, len(g)),
        "label": [f"{v:+.3f}\n{a}" for v, a in zip(g, arrows)],
    }


def _beyond_bar_labels(x: dict, grad: dict) -> list[dict]:
    """Each bar's two-line label beyond its end, and the true class's tag beyond that:
    above a bar that points up (or has no length), below one that points down."""
    label = {"x": x, "y": grad, "text": {"field": "label"}}
    tag = {"x": x, "y": grad, "text": {"field": "tag"}}
    two_lines = {"lineBreak": "\n", "lineHeight": _LINE}
    up, down = [{"filter": "datum.gradient >= 0"}], [{"filter": "datum.gradient < 0"}]
    return [
        # Vega stacks the lines of a text downwards from its anchor: lift two lines
        {"data": {"name": "bars"}, "transform": up,
         "mark": {**_TEXT, "baseline": "bottom", "dy": -4 - _LINE, **two_lines},
         "encoding": label},
        {"data": {"name": "bars"}, "transform": up,
         "mark": {**_TEXT, "baseline": "bottom", "dy": -4 - 2 * _LINE, "fontWeight": "bold"},
         "encoding": tag},
        {"data": {"name": "bars"}, "transform": down,
         "mark": {**_TEXT, "baseline": "top", "dy": 4, **two_lines},
         "encoding": label},
        {"data": {"name": "bars"}, "transform": down,
         "mark": {**_TEXT, "baseline": "top", "dy": 4 + 2 * _LINE, "fontWeight": "bold"},
         "encoding": tag},
    ]


def _gradient_layers(x: dict, grad: dict, unit: str) -> list[dict]:
    """The bars (the true class's outlined), their labels beyond each bar's end, the zero line."""
    tooltip = [{"field": "class", "title": "class"}, {"field": "role", "title": "role"},
               {"field": "gradient", "title": _gradient_title(unit), "format": "+.4f"},
               {"field": "move", "title": "gradient descent: logit is"}]
    return [
        {"data": {"name": "bars"}, "mark": {"type": "bar", "cornerRadiusEnd": 2, **_OUTLINE},
         "encoding": {"x": x, "y": grad, "color": _ROLE_COLOUR,
                      "strokeOpacity": _OUTLINE_OPACITY, "tooltip": tooltip}},
        *_beyond_bar_labels(x, grad),
        {"mark": {"type": "rule", "color": PALETTE["grey"], "strokeWidth": 1},
         "encoding": {"y": {"datum": 0, "type": "quantitative"}}},
    ]


def softmax_gradient_bars(gradient, true_class: int, *, unit: str = "nats",
                          title: str | None = None) -> Chart:
    """Bars of ∂loss/∂z per class, the true class in orange and outlined, the others in
    blue (as on the probability bars), each labelled with its value and "▲ up" (negative: gradient
    descent raises the logit) or "▼ down" (positive: it lowers it) beyond the end of the bar.

    Colour marks the true class, not the direction, so orange means the same on every
    chart of the page; the direction is the sign and the arrow (only the true class's
    gradient, p − 1, is ever negative). Gradient descent steps each logit by −η·gradient,
    so the sign of a bar is the opposite of the direction its logit moves. The y axis is
    symmetric about 0 and reaches :data:`GRADIENT_HEADROOM` times the largest bar, so
    the labels and the true class's "true class" tag (it is outlined too) fit: an
    invisible two-point layer (dataset ``"extent"``) sets that range from data, keeping
    the spec fixed. The axis asks for about five nice ticks, so its end labels do not
    crowd their neighbours.

    Parameters
    ----------
    gradient : array-like of shape (K,)
        ∂loss/∂z for each class, in ``unit`` per unit of logit (in bits, the gradient in
        nats divided by ln 2).
    true_class : int
        Index of the true class (checked against K).
    unit : {"nats", "bits"}, default="nats"
        The loss's unit, named in the axis title.
    title : str, optional

    Examples
    --------
    >>> chart = softmax_gradient_bars([-0.3, 0.2, 0.1], 0)
    >>> chart.data["bars"]["move"], chart.data["bars"]["role"][0]
    (['raised', 'lowered', 'lowered'], 'true class')
    """
    g = as_float_array(gradient, "gradient")
    top = float(np.max(np.abs(g))) if np.any(g) else 1.0
    data = {"bars": _gradient_rows(g, _true_class(true_class, len(g))),
            "extent": {"gradient": [-GRADIENT_HEADROOM * top, GRADIENT_HEADROOM * top]}}
    # short enough for a phone; the bars' own labels say which way each logit goes
    x = _class_axis("class (orange: the true class)")
    grad = {"field": "gradient", "type": "quantitative", "title": _gradient_title(unit),
            "scale": {"nice": True}, "axis": {"tickCount": GRADIENT_TICK_COUNT}}
    layers = [headroom_layer("extent", mark="point", y=grad), *_gradient_layers(x, grad, unit)]
    alt = (f"Gradient of the loss with respect to each logit, {_gradient_title(unit)}, and which "
           f"way gradient descent moves that logit: " + _per_class(data["bars"], "gradient", 3,
                                                                   "move") + ".")
    return Chart(vega_spec(title=title, layer=layers), data, alt)


def _temperature_sweep(z: np.ndarray, t_min: float, t_max: float) -> dict[str, list]:
    """Each class's probability at 121 temperatures from ``t_min`` to ``t_max``, spaced
    evenly on the log axis: one long table, class by class."""
    temps = np.geomspace(t_min, t_max, 121)
    # every temperature in one call (ce_core's temperature= takes one T: a loop costs
    # ~2 ms a rerun); softmax(z / T) is what temperature= computes
    probs = softmax(z[None, :] / temps[:, None])
    return {
        "T": [float(t) for t in temps] * len(z),
        "probability": finite_or_none(probs.T.ravel()),
        "class": [name for name in _class_names(len(z)) for _ in temps],
    }


def _class_lines(x: dict, y: dict) -> list[dict]:
    """A line per class, solid for the first five colours and dashed after them."""
    colour = {"field": "class", "type": "nominal", "title": None,
              "scale": {"range": CLASS_COLOURS}, "legend": {"orient": "right"}}
    dash = {"field": "class", "type": "nominal", "title": None,
            "scale": {"range": [[1, 0]] * _DASHED_AFTER + [[7, 4]] * 10},
            "legend": {"orient": "right"}}
    tooltip = [{"field": "class", "title": "class"},
               {"field": "T", "title": "temperature T", "format": ".2f"},
               {"field": "probability", "title": "probability (no unit)", "format": ".4f"}]
    return [{"data": {"name": "curves"}, "mark": {"type": "line", "strokeWidth": 3},
             "encoding": {"x": x, "y": y, "color": colour, "strokeDash": dash}},
            tooltip_points("curves", x, y, tooltip)]


def _chosen_temperature_layers(x: dict) -> list[dict]:
    """A dashed rule at the chosen T, labelled above the plot, where no curve runs (the
    legend is on the right, out of its way)."""
    return [{"data": {"name": "current"},
             "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 2,
                      "color": PALETTE["grey"]},
             "encoding": {"x": x,
                          "tooltip": [{"field": "label", "title": "your temperature"}]}},
            {"data": {"name": "current"},
             "mark": {**_TEXT, "align": "center", "baseline": "bottom", "y": -6},
             "encoding": {"x": x, "text": {"field": "label"}}}]


def softmax_temperature_lines(logits, *, temperature: float | None = None,
                              t_min: float = 0.1, t_max: float = 10.0,
                              title: str | None = None) -> Chart:
    """Each class's probability as the temperature sweeps from ``t_min`` to ``t_max`` (log axis),
    with a dashed rule at the chosen ``temperature``.

    Low T hands everything to the largest logit; high T flattens towards 1/K. The
    curves (dataset ``"curves"``, 121 temperatures per class) and the marked
    temperature (dataset ``"current"``) are data; only the range and whether a
    temperature is marked shape the spec. The classes take the five colours of
    :data:`CLASS_COLOURS` (no orange or vermillion: on this page orange marks the true
    class, and this chart does not know which class that is); classes 5 to 9 repeat
    them with a dashed line.

    Parameters
    ----------
    logits : array-like of shape (K,)
    temperature : float, optional
        The temperature marked with a rule and labelled "T = ...".
    t_min, t_max : float
        The swept range, 0 < t_min < t_max.
    title : str, optional

    Examples
    --------
    >>> chart = softmax_temperature_lines([2.0, 1.0, 0.1], temperature=1.0)
    >>> sorted(set(chart.data["curves"]["class"])), chart.data["current"]["label"]
    (['class 0', 'class 1', 'class 2'], ['T = 1'])
    """
    z = as_float_array(logits, "logits")
    if not 0 < t_min < t_max:
        raise InputError(f"Need 0 < t_min < t_max, got t_min={t_min}, t_max={t_max}. "
                         "Choose a positive range such as 0.1 to 10.")
    data = {"curves": _temperature_sweep(z, t_min, t_max)}
    x = {"field": "T", "type": "quantitative", "title": "temperature T (log scale, no unit)",
         "scale": {"type": "log", "domain": [float(t_min), float(t_max)], "nice": False}}
    y = {"field": "probability", "type": "quantitative", "title": "probability (no unit)",
         "scale": {"domain": [0, 1.02], "nice": False}}
    layers = _class_lines(x, y)
    if temperature is not None:
        t = float(temperature)
        data["current"] = {"T": [t], "label": [f"T = {t:g}"]}
        layers += _chosen_temperature_layers(x)
    return Chart(vega_spec(title=title, layer=layers), data, _temperature_alt(z, t_min, t_max, temperature))


def _temperature_alt(z: np.ndarray, t_min: float, t_max: float, temperature) -> str:
    """Each class's probability at both ends of the sweep and at the chosen T."""
    names = _class_names(len(z))

    def at(t: float) -> str:
        return f"at T = {t:g}, " + ", ".join(
            f"{n}: {spoken(v, 3)}" for n, v in zip(names, softmax(z, temperature=t)))
    chosen = f"; your temperature {at(float(temperature))} (dashed line)" if temperature else ""
    return (f"Each class's probability as the temperature T goes from {t_min:g} to {t_max:g} "
            f"(log scale): {at(t_min)}; {at(t_max)}{chosen}.")
