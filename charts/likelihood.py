"""Likelihood charts: a coin model's likelihood, log-likelihood and cross-entropy against q;
the likelihood of the first 1, 2, …, n flips as a product and as a sum of logs; a logistic
model's curve through labelled points.

Each builder returns a Vega-Lite :class:`~charts.style.Chart` whose spec depends only on
which quantity and which unit it shows; the curves, the current model and the best one
are named datasets, so a slider swaps data in a chart already on screen.
"""

from __future__ import annotations

import numpy as np

from ce_core import (LOG_FLOAT64_SMALLEST, coin_curves, coin_likelihood, logistic_curve,
                     logistic_likelihood, running_product, to_unit)
from .style import (PALETTE, STAR, TEXT_MARK, Chart, finite_or_none, floats, spoken,
                    vega_spec)

#: The q values every coin curve is drawn at: 0.005 to 0.995 in steps of 0.005 (q = 0
#: and 1 would give −∞ for any data with both heads and tails).
Q_GRID = np.linspace(0.005, 0.995, 199)
#: Most points a running-likelihood line is drawn with (10,000 flips would be 10,000).
MAX_LINE_POINTS = 800
# With the title above, 260 left a projector's panel ~110 px of plot; 300 pushed the flips'
# controls beneath out of one 720-px screen with the charts (tests/e2e/test_layout.py).
HEIGHT = 280

_BACKGROUND = {"expr": "background"}
_Q_AXIS = {"field": "q", "type": "quantitative", "title": "model's q = P(heads)",
           "scale": {"domain": [0, 1], "nice": False}, "axis": {"tickCount": 5, "format": ".1f"}}

#: What each coin panel shows: (column of coin_curves, axis title, whether it has a unit).
PANELS = {
    "likelihood": ("likelihood (float64)", False),
    "log_likelihood": ("log-likelihood", True),
    "cross_entropy": ("cross-entropy", True),
}


def _values(which: str, nats, unit: str) -> list[float | None]:
    """A curve's values as drawn: probabilities as they are, logs in ``unit``."""
    values = to_unit(np.asarray(nats, dtype=float), unit) if PANELS[which][1] else nats
    return finite_or_none(np.atleast_1d(values))


def _panel_title(which: str, unit: str) -> str:
    title, has_unit = PANELS[which]
    return f"{title} ({unit})" if has_unit else title


def _y_axis(which: str, unit: str) -> dict:
    """The panel's values; untitled, as the panel's title above says what they are (a
    vertical "cross-entropy (nats)" was taller than a projector's panel)."""
    axis = {"format": ".3~g"} if not PANELS[which][1] else {}
    return {"field": "v", "type": "quantitative", "title": None, "scale": {"zero": False},
            "axis": {"tickCount": 5, **axis}}


def _marker_layers(y: dict, which: str, unit: str) -> list[dict]:
    """The current q (a dotted rule and a ring) and the best q = k/n (a star, labelled)."""
    tip = [{"field": "name", "title": "model"}, {"field": "q", "format": ".3f"},
           {"field": "v", "title": _panel_title(which, unit), "format": ".4~g"}]
    rule = {"data": {"name": "current"}, "mark": {"type": "rule", "strokeDash": [2, 3],
                                                   "strokeWidth": 2, "color": PALETTE["grey"]},
            "encoding": {"x": _Q_AXIS}}
    ring = {"data": {"name": "current"},
            "mark": {"type": "point", "filled": False, "size": 260, "strokeWidth": 3,
                     "color": PALETTE["vermillion"], "fill": _BACKGROUND, "fillOpacity": 1},
            "encoding": {"x": _Q_AXIS, "y": y, "tooltip": tip}}
    star = {"data": {"name": "best"},
            "mark": {"type": "point", "shape": STAR, "filled": True, "size": 320,
                     "color": PALETTE["green"], "stroke": _BACKGROUND, "strokeWidth": 1.5},
            "encoding": {"x": _Q_AXIS, "y": y, "tooltip": tip}}
    label = {"data": {"name": "best"},
             "mark": {**TEXT_MARK, "align": "center", "baseline": "bottom", "dy": -14},
             "encoding": {"x": _Q_AXIS, "y": y, "text": {"field": "label"}}}
    return [rule, ring, star, label]


def _note_layer() -> dict:
    """A sentence low in the plot, under the flat line at 0.0 and clear of the star's
    label above it, from data (empty unless every product is 0.0)."""
    return {"data": {"name": "note"},
            "mark": {**TEXT_MARK, "align": "center", "baseline": "bottom",
                     "y": {"expr": "height - 6"}, "lineBreak": "\n"},
            "encoding": {"x": {"datum": 0.5, "type": "quantitative"},
                         "text": {"field": "text"}}}


def _panel(which: str, curves: dict, fit, best, unit: str) -> Chart:
    y = _y_axis(which, unit)
    underflow = which == "likelihood" and not np.any(curves["likelihood"] > 0)
    layers = [{"data": {"name": "curve"},
               "mark": {"type": "line", "strokeWidth": 3, "color": PALETTE["blue"]},
               "encoding": {"x": _Q_AXIS, "y": y}},
              *_marker_layers(y, which, unit), _note_layer()]
    data = {
        "curve": {"q": floats(Q_GRID), "v": _values(which, curves[which], unit)},
        "current": {"q": [fit.q], "v": _values(which, getattr(fit, which), unit),
                    "name": ["your q"]},
        "best": {"q": [best.q], "v": _values(which, getattr(best, which), unit),
                 "name": ["best q = k/n"], "label": [f"k/n = {best.q:.3g}"]},
        "note": {"text": ["every product is 0.0\nin float64" if underflow else ""]},
    }
    return Chart(vega_spec(height=HEIGHT, title=_panel_title(which, unit), layer=layers), data,
                 _panel_alt(which, fit, best, unit))


def _panel_alt(which: str, fit, best, unit: str) -> str:
    """The panel in words: what it plots, your q's value and the best q's."""
    title, has_unit = PANELS[which]

    def value(v: float) -> str:
        v = float(to_unit(v, unit)) if has_unit else float(v)
        return spoken(v, 3) if has_unit else f"{v:.3g}"
    extreme = "lowest" if which == "cross_entropy" else "highest"
    return (f"{title.capitalize()}{f' in {unit}' if has_unit else ''} of {fit.n:,} flips "
            f"against the model's q from 0 to 1: your q = {fit.q:.3g} (ringed) gives "
            f"{value(getattr(fit, which))}; the best q = k/n = {best.q:.3g} (starred) gives "
            f"{value(getattr(best, which))}, the {extreme} point of the curve.")


def coin_panels(flips, q: float, *, unit: str = "nats") -> dict[str, Chart]:
    """The three coin panels against q, keyed like :data:`PANELS`: the likelihood as
    float64 multiplies it, the log-likelihood and the mean cross-entropy.

    The current q is ringed, the best q = k/n starred; where every likelihood is 0.0 in
    float64 (too many flips) the first panel says so.
    """
    curves = coin_curves(flips, Q_GRID)
    fit = coin_likelihood(flips, q)
    best = coin_likelihood(flips, fit.best_q)
    return {which: _panel(which, curves, fit, best, unit) for which in PANELS}


# --- the running likelihood: a product that underflows, a sum of logs that does not ------------

_FLIPS_AXIS = {"field": "flips", "type": "quantitative", "title": "flips so far",
               "axis": {"format": ",d", "tickMinStep": 1}}
_PRODUCT, _SUM = "log of the product", "sum of logs"


def _thinned(n: int, first_zero: int | None) -> np.ndarray:
    """At most MAX_LINE_POINTS flip counts (0-based), always the last one and the two
    around the underflow, so the product's line ends where it really ends."""
    picks = {int(i) for i in np.linspace(0, n - 1, min(n, MAX_LINE_POINTS)).round()}
    if first_zero is not None:
        picks |= {max(first_zero - 2, 0), first_zero - 1}
    return np.array(sorted(picks))


def _running_rows(run, unit: str) -> tuple[dict, dict]:
    at = _thinned(len(run.product), run.first_zero)
    counts = [int(i) + 1 for i in at]
    lines = {"flips": counts * 2, "curve": [_SUM] * len(at) + [_PRODUCT] * len(at),
             "v": _values("log_likelihood", run.sum_of_logs[at], unit)
                  + _values("log_likelihood", run.log_of_product[at], unit)}
    # never empty (an empty table made Vega warn of an infinite extent): with no underflow
    # one unlabelled row at the last flip, drawn transparent
    zero = ({"flips": [run.first_zero], "label": [f"product = 0.0 from flip {run.first_zero:,}"],
             "late": [run.first_zero > len(run.product) / 2], "shown": [True]}
            if run.first_zero else {"flips": [len(run.product)], "label": [""], "late": [True],
                                    "shown": [False]})
    return lines, zero


def _solid_and_dashed(curves: list[str], colours: list[str]) -> tuple[dict, dict]:
    """Colour and dash channels of the field ``curve``: the first curve solid, the second
    dashed, one legend for both (its symbols dashed as the lines; a legend on one channel
    and none on the other made Vega-Lite warn of a conflict)."""
    legend = {"labelLimit": 400}
    colour = {"field": "curve", "type": "nominal", "title": None, "legend": legend,
              "scale": {"domain": curves, "range": colours}}
    dash = {"field": "curve", "type": "nominal", "title": None, "legend": legend,
            "scale": {"domain": curves, "range": [[1, 0], [7, 4]]}}
    return colour, dash


def running_likelihood(flips, q: float, *, unit: str = "nats") -> Chart:
    """The log-likelihood of the first 1, 2, …, n flips: added up as logs (a solid line),
    and as the log of the float64 product (dashed), which stops where the product
    reaches 0.0. A horizontal rule marks the smallest float64, 2^-1074."""
    run = running_product(flips, q)
    lines, zero = _running_rows(run, unit)
    y = {"field": "v", "type": "quantitative", "title": f"log-likelihood so far ({unit})"}
    colour, dash = _solid_and_dashed([_SUM, _PRODUCT], [PALETTE["blue"], PALETTE["orange"]])
    floor = float(to_unit(LOG_FLOAT64_SMALLEST, unit))
    layers = [
        {"data": {"name": "lines"}, "mark": {"type": "line", "strokeWidth": 3},
         "encoding": {"x": _FLIPS_AXIS, "y": y, "color": colour, "strokeDash": dash,
                      "tooltip": [{"field": "curve", "title": "computed as"},
                                  {"field": "flips", "format": ","},
                                  {"field": "v", "title": unit, "format": ".2f"}]}},
        {"data": {"name": "floor"}, "mark": {"type": "rule", "strokeDash": [2, 3],
                                             "color": PALETTE["vermillion"], "strokeWidth": 2},
         "encoding": {"y": y}},
        {"data": {"name": "floor"},
         "mark": {**TEXT_MARK, "align": "left", "baseline": "top", "x": 6, "dy": 4},
         "encoding": {"y": y, "text": {"field": "label"}}},
        {"data": {"name": "zero"}, "mark": {"type": "rule", "color": PALETTE["grey"],
                                            "strokeWidth": 2},
         "encoding": {"x": _FLIPS_AXIS, "opacity": {"condition": {"test": "datum.shown",
                                                                  "value": 1}, "value": 0}}},
        # left of the rule when it is in the right half, else right of it (one layer: a
        # filtered empty one made Vega warn of an infinite extent)
        {"data": {"name": "zero"},
         "mark": {**TEXT_MARK, "align": {"expr": "datum.late ? 'right' : 'left'"},
                  "baseline": "top", "dx": {"expr": "datum.late ? -6 : 6"}, "y": 6},
         "encoding": {"x": _FLIPS_AXIS, "text": {"field": "label"}}},
    ]
    data = {"lines": lines, "zero": zero,
            "floor": {"v": [floor], "label": ["the smallest float64, 2⁻¹⁰⁷⁴"]}}
    return Chart(vega_spec(height=340, layer=layers), data, _running_alt(run, q, floor, unit))


def _running_alt(run, q: float, floor: float, unit: str) -> str:
    """Where both lines end, and where the product ran out of digits."""
    n = len(run.product)
    end = spoken(float(to_unit(run.sum_of_logs[-1], unit)))
    product = (f"the log of the float64 product (dashed) stops at flip {run.first_zero:,}, "
               f"where the product reaches 0.0, below the smallest float64 ({spoken(floor)})"
               if run.first_zero else
               f"the log of the float64 product (dashed) ends at the same value")
    return (f"Log-likelihood in {unit} of the first 1 to {n:,} flips at q = {q:.3g}: the sum "
            f"of logs (solid) ends at {end}; {product}.")


# --- a logistic model through labelled points ----------------------------------------------

_X_AXIS = {"field": "x", "type": "quantitative", "title": "x (the point's position)"}
_P_AXIS = {"field": "p", "type": "quantitative", "title": "P(label 1 | x)",
           "scale": {"domain": [-0.05, 1.05], "nice": False},
           "axis": {"values": [0, 0.25, 0.5, 0.75, 1], "format": ".2~f"}}
_YOURS, _BEST = "your model", "best fit"


def _curve_rows(x, w: float, b: float, best: tuple[float, float] | None) -> dict:
    grid = np.linspace(float(np.min(x)) - 0.5, float(np.max(x)) + 0.5, 160)
    models = [(_YOURS, w, b)] + ([(_BEST, *best)] if best else [])
    return {"x": floats(grid) * len(models),
            "p": [v for _, mw, mb in models for v in floats(logistic_curve(mw, mb, grid))],
            "curve": [name for name, *_ in models for _ in grid]}


def _point_rows(x, y, w: float, b: float, unit: str) -> dict:
    fit = logistic_likelihood(x, y, w, b)
    labels = [int(v) for v in y]
    return {"x": floats(x), "p": [float(v) for v in labels],
            "on_curve": floats(logistic_curve(w, b, x)),
            "label": [f"label {v}" for v in labels], "p_true": floats(fit.p_true),
            "loss": _values("cross_entropy", fit.losses, unit)}


def logistic_fit(x, y, w: float, b: float, best: tuple[float, float] | None, *,
                 unit: str = "nats") -> Chart:
    """Labelled points at height 0 or 1 (circle or square), your model's curve and the
    best fit's (dashed); a grey stick joins each point to your curve: its length is
    1 − the probability your model gave the point's label."""
    colour, dash = _solid_and_dashed([_YOURS, _BEST], [PALETTE["vermillion"], PALETTE["green"]])
    points = {"field": "label", "type": "nominal", "title": None,
              "scale": {"domain": ["label 0", "label 1"],
                        "range": [PALETTE["blue"], PALETTE["orange"]]},
              "legend": {"orient": "bottom"}}
    layers = [
        {"data": {"name": "points"}, "mark": {"type": "rule", "color": PALETTE["grey"],
                                              "strokeWidth": 2, "opacity": 0.8},
         "encoding": {"x": _X_AXIS, "y": _P_AXIS, "y2": {"field": "on_curve"}}},
        {"data": {"name": "curves"}, "mark": {"type": "line", "strokeWidth": 3},
         "encoding": {"x": _X_AXIS, "y": _P_AXIS, "color": colour, "strokeDash": dash}},
        {"data": {"name": "points"},
         "mark": {"type": "point", "filled": True, "size": 140, "opacity": 1,
                  "stroke": _BACKGROUND, "strokeWidth": 1.5},
         "encoding": {"x": _X_AXIS, "y": _P_AXIS, "fill": points, "shape": {
             "field": "label", "type": "nominal", "title": None,
             "scale": {"domain": ["label 0", "label 1"], "range": ["circle", "square"]},
             "legend": {"orient": "bottom"}},
             "tooltip": [{"field": "label"}, {"field": "x", "format": ".2f"},
                         {"field": "p_true", "title": "P(its label)", "format": ".3f"},
                         {"field": "loss", "title": f"−log P ({unit})", "format": ".3f"}]}},
    ]
    data = {"curves": _curve_rows(x, w, b, best), "points": _point_rows(x, y, w, b, unit)}
    return Chart(vega_spec(height=340, layer=layers), data, _logistic_alt(x, y, w, b, best, unit))


def _logistic_alt(x, y, w: float, b: float, best, unit: str) -> str:
    """The points, what your curve gives each its label, the mean loss, the best fit."""
    fit = logistic_likelihood(x, y, w, b)
    points = "; ".join(f"x {spoken(xi)} label {int(yi)}: {spoken(pi, 3)}"
                       for xi, yi, pi in zip(np.ravel(x), np.ravel(y), fit.p_true))
    best_text = (f" The best fit (dashed) has w = {spoken(best[0])}, b = {spoken(best[1])}."
                 if best else "")
    return (f"Points at height 0 (label 0, circles) and 1 (label 1, squares) against x, and "
            f"your model's curve P(label 1 | x) with w = {spoken(w)}, b = {spoken(b)}. The "
            f"probability it gives each point's label: {points}. Mean cross-entropy "
            f"{spoken(float(to_unit(fit.cross_entropy, unit)), 3)} {unit}.{best_text}")
