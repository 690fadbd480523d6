"""Charts for the entropy and cross-entropy pages: distributions in, Vega-Lite ``Chart`` out.

Every builder takes probabilities and the display unit ("nats" or "bits"),
computes what it draws through ce_core (so the chart and the page's numbers
come from the same functions), and labels its axes with that unit.

The spec of each chart depends only on the unit (and on fixed wording); every number a
slider moves, the outcome names included, is in the chart's named datasets. So a slider,
even the number of outcomes K, only swaps data in the mounted chart.

Infinite values (an outcome the code says never happens) are never drawn as
bars of made-up length: they are ``None`` in the data and get a "∞" label instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ce_core.information import (
    binary_entropy,
    cross_entropy,
    entropy,
    entropy_terms,
    kl_divergence,
    max_entropy,
    surprise,
    to_unit,
)
from ce_core.validation import as_distribution, check_number, check_same_length
from .style import (CONFIG, PALETTE, TEXT_COLOUR, Chart, finite_or_none, floats,
                    headroom_layer, spoken, spoken_list, tooltip_points, vega_spec)

LOG_NAME = {"nats": "ln", "bits": "log₂"}

#: Outcomes are nominal, in the order of the data (not sorted as text: "10" after "9").
OUTCOME = {"field": "outcome", "type": "nominal", "sort": None,
           "axis": {"labelAngle": 0, "title": "outcome"}}
#: Probability axis with room above 1 for the value labels on the bars.
PROBABILITY = {"field": "prob", "type": "quantitative", "title": "probability",
               "scale": {"domain": [0, 1.16], "nice": False},
               "axis": {"values": [0, 0.2, 0.4, 0.6, 0.8, 1.0], "minExtent": 56}}
_TIP_OUTCOME = {"field": "outcome", "title": "outcome"}
_TIP_P = {"field": "prob", "title": "p", "format": ".3f"}


def _labels(labels: Sequence[str] | None, k: int) -> list[str]:
    return [str(v) for v in labels] if labels is not None else [str(i + 1) for i in range(k)]


def _num(value: float, digits: int = 3) -> str:
    return "∞" if math.isinf(value) else f"{value:.{digits}f}"


def _distributions(p, q) -> tuple[np.ndarray, np.ndarray]:
    """P and Q checked: each a distribution, both over the same outcomes."""
    p, q = as_distribution(p, "p"), as_distribution(q, "q")
    check_same_length(p, q, "p", "q")
    return p, q


# ----------------------------------------------------------------------------- surprise bars

#: Height (px) of the surprise panel's plot area.
_SURPRISE_PX = 180   # with the 120 px top panel, the chart and its sliders share a projector screen
#: Height (px) a value label is placed for: taller than its 15 px text, so that the
#: placement still holds when the chart's fonts are drawn larger.
_LABEL_PX = 20
#: Pixels between a bar's top and its label; clearance between a label and a line's
#: centre (half the 3 px rule plus a gap).
_LABEL_GAP, _LINE_CLEARANCE = 4, 4.5


def place_value_labels(heights, lines, top: float) -> tuple[list[float | None], list[bool]]:
    """Where each bar's value label goes so that no horizontal line crosses it.

    ``heights`` are the bars' tops and ``lines`` the reference lines' heights on an axis
    from 0 to ``top`` drawn ``_SURPRISE_PX`` pixels tall. A label normally stands just
    above its bar; if a line would cross it there, it goes inside the top of the bar
    (when the bar is tall enough and no line crosses it there either); else it stands
    just above the lowest line above the bar that leaves it clear. Returns each label's
    base height (None for a bar of no finite height) and whether it sits inside its bar
    (hanging down from the bar's top) rather than above its base height.

    >>> place_value_labels([0.92, 1.2, 1.61, 2.3], [1.28, 1.39], top=3.0)
    ([0.92, 1.2, 1.61, 2.3], [True, True, False, False])
    >>> place_value_labels([1.3, 0.5], [1.25, 1.39], top=3.0)
    ([1.41, 0.5], [False, False])
    """
    px = _SURPRISE_PX / top if top > 0 else 1.0
    line_px = [v * px for v in lines if v is not None and math.isfinite(v)]

    def clear(low: float, high: float) -> bool:
        return all(v < low - _LINE_CLEARANCE or v > high + _LINE_CLEARANCE for v in line_px)

    bases: list[float | None] = []
    inside: list[bool] = []
    for h in heights:
        if h is None or not math.isfinite(h):
            bases.append(None)
            inside.append(False)
            continue
        bar = h * px
        if clear(bar + _LABEL_GAP, bar + _LABEL_GAP + _LABEL_PX):
            bases.append(float(h))
            inside.append(False)
        elif (bar >= _LABEL_PX + 2 * _LABEL_GAP
              and clear(bar - _LABEL_GAP - _LABEL_PX, bar - _LABEL_GAP)):
            bases.append(float(h))
            inside.append(True)
        else:
            # the label's bottom (base + gap) just clears a line above the bar's top
            candidates = sorted(v + _LINE_CLEARANCE - _LABEL_GAP + 0.5 for v in line_px
                                if v + _LINE_CLEARANCE - _LABEL_GAP + 0.5 > bar)
            base = next((c for c in candidates
                         if clear(c + _LABEL_GAP, c + _LABEL_GAP + _LABEL_PX)), candidates[-1])
            bases.append(round(base / px, 2))
            inside.append(False)
    return bases, inside


def _level_names(unit: str) -> list[str]:
    """The surprise panel's two lines: the entropy, and the most it can be."""
    # short enough for a phone's chart: the caption under it says the rest
    return ["entropy H(P) = average surprise",
            f"maximum {LOG_NAME.get(unit, 'log')} K (all equally likely)"]


def _outcome_rows(p: np.ndarray, s: np.ndarray, names: list[str], levels: list[float],
                  top: float, unit: str) -> dict[str, list]:
    """One row per outcome: its bars, tooltip numbers and where its labels stand."""
    label_base, label_inside = place_value_labels(finite_or_none(s), levels, top)
    shown = [f"{v:.2f}" if math.isfinite(v) else "" for v in s]
    return {
        "outcome": names,
        "prob": floats(p),
        "surprise": finite_or_none(s),
        "contribution": floats(to_unit(entropy_terms(p), unit)),
        "impossible": [bool(pi == 0) for pi in p],
        # the label of an impossible outcome stands on this height, above both lines
        # (they end at top / 1.3); "" draws nothing (a filter could leave the layer
        # without data, which Vega warns about)
        "infinity_label": ["∞\n(p = 0)" if pi == 0 else "" for pi in p],
        "infinity_y": [0.84 * top] * len(p),
        # a value label above the bar (standing on label_y) or inside its top
        "label_y": label_base,
        "label_above": [t if not i else "" for t, i in zip(shown, label_inside)],
        "label_inside": [t if i else "" for t, i in zip(shown, label_inside)],
    }


def _probability_panel() -> dict:
    """Top panel: each outcome's probability as a bar with its value."""
    x = {**OUTCOME, "axis": {"labelAngle": 0, "title": None}}
    return {
        "title": "How likely is each outcome?",
        "height": 120,
        "data": {"name": "outcomes"},
        "layer": [
            {"mark": {"type": "bar", "color": PALETTE["blue"], "width": {"band": 0.65}},
             "encoding": {"x": x, "y": PROBABILITY, "tooltip": [_TIP_OUTCOME, _TIP_P]}},
            # text marks take the theme's text colour and size from the shared config
            {"mark": {"type": "text", "baseline": "bottom", "dy": -4},
             "encoding": {"x": x, "y": PROBABILITY,
                          "text": {"field": "prob", "format": ".2f"}}},
        ],
    }


def _surprise_axis(unit: str) -> dict:
    # not niced: the axis ends exactly at ``top``, which the label placement relies on
    return {"field": "surprise", "type": "quantitative", "title": f"surprise ({unit})",
            "scale": {"zero": True, "nice": False}, "axis": {"minExtent": 56}}


def _surprise_layers(y: dict, unit: str) -> list[dict]:
    """The surprise bars and their value labels, above the bar or inside its top."""
    outcomes = {"name": "outcomes"}
    return [
        {"data": outcomes,
         "mark": {"type": "bar", "color": PALETTE["orange"], "width": {"band": 0.65}},
         "encoding": {"x": OUTCOME, "y": y, "tooltip": [
             _TIP_OUTCOME,
             {"field": "surprise", "title": f"surprise ({unit})", "format": ".3f"},
             _TIP_P,
             {"field": "contribution", "title": f"adds p × surprise to H ({unit})",
              "format": ".3f"}]}},
        # value labels: above the bar (or above a line that would cross them there) ...
        {"data": outcomes,
         "mark": {"type": "text", "baseline": "bottom", "dy": -_LABEL_GAP},
         "encoding": {"x": OUTCOME, "y": {**y, "field": "label_y"},
                      "text": {"field": "label_above"}}},
        # ... or inside the top of the bar, dark on the orange in either theme
        {"data": outcomes,
         "mark": {"type": "text", "baseline": "top", "dy": _LABEL_GAP, "color": "#202020"},
         "encoding": {"x": OUTCOME, "y": y, "text": {"field": "label_inside"}}},
    ]


def _impossible_layer(y: dict) -> dict:
    """p = 0: infinite surprise, but it never happens; say so where the bar would be."""
    return {"data": {"name": "outcomes"},
            "transform": [{"calculate": "datum.impossible ? 'infinite, but it never happens:"
                                        " adds 0 to H' : ''", "as": "note"}],
            "mark": {"type": "text", "color": {"expr": TEXT_COLOUR},
                     # Vega puts the first line on the baseline: lift it about one line
                     "lineBreak": "\n", "baseline": "bottom", "dy": -18},
            "encoding": {"x": OUTCOME, "text": {"field": "infinity_label"},
                         "y": {**y, "field": "infinity_y"},
                         "tooltip": [_TIP_OUTCOME, _TIP_P,
                                     {"field": "note", "title": "surprise"}]}}


def _level_rules(y: dict, unit: str) -> dict:
    """The entropy (solid vermillion) and its maximum log K (dashed grey) across the bars."""
    names = _level_names(unit)
    return {"data": {"name": "levels"},
            "mark": {"type": "rule", "strokeWidth": 3},
            "encoding": {
                "y": {**y, "field": "value"},
                "color": {"field": "line", "type": "nominal", "title": None,
                          "scale": {"domain": names,
                                    "range": [PALETTE["vermillion"], PALETTE["grey"]]},
                          "legend": {"orient": "bottom", "direction": "vertical", "offset": 8,
                                     "labelLimit": 500, "symbolStrokeWidth": 3,
                                     "symbolSize": 400}},
                "strokeDash": {"field": "line", "type": "nominal", "title": None,
                               "scale": {"domain": names, "range": [[1, 0], [8, 5]]}},
                "tooltip": [{"field": "line", "title": "line"},
                            {"field": "value", "title": unit, "format": ".4f"}]}}


#: In bits a surprise is also the ideal length of a codeword; a code is never measured in nats.
_LENGTH_WORD = {"bits": "code length", "nats": "surprise"}
_SURPRISE_TITLE = {"bits": "How surprising is it?  −log₂ p, the ideal codeword length",
                   "nats": "How surprising is it?  −ln p"}


def _surprise_panel(unit: str) -> dict:
    """Bottom panel: each outcome's surprise, the entropy and its maximum."""
    y = _surprise_axis(unit)
    return {
        "title": _SURPRISE_TITLE.get(unit, "How surprising is it?  −log p"),
        "height": _SURPRISE_PX,
        "layer": [*_surprise_layers(y, unit), _impossible_layer(y), _level_rules(y, unit),
                  # room above the tallest bar for its label
                  headroom_layer("levels", y={**y, "field": "top"})],
    }


def surprise_bars(p, *, unit: str = "nats", labels: Sequence[str] | None = None) -> Chart:
    """Probabilities (top) and each outcome's surprise −log p (bottom), with H and log K.

    The bottom panel shows why entropy is the *expected* surprise: the solid line
    H(P) is the probability-weighted average of the bar heights (the tooltip of a
    bar gives its share p × surprise), and the dashed line log K is the most it can
    be (all outcomes equally likely). An outcome with p = 0 has infinite surprise:
    no bar, a "∞ (p = 0)" label instead; it never happens, so it adds 0 to H. Each
    bar's value stands where neither line crosses it (:func:`place_value_labels`).

    The two panels are stacked (``vconcat``) over the same outcomes. The spec depends
    only on ``unit``; the outcomes (and so K) are data.

    Parameters
    ----------
    p : array-like of shape (K,)
        The distribution.
    unit : {"nats", "bits"}, default="nats"
    labels : sequence of str, optional
        Outcome names; "1", "2", ... by default (the x axis is titled "outcome").

    Returns
    -------
    Chart
        Datasets ``outcomes`` (outcome, prob, surprise, contribution, impossible,
        infinity_label, infinity_y, and the value labels' label_y, label_above and
        label_inside from :func:`place_value_labels`; an infinite surprise is None) and
        ``levels`` (line, value, top: the entropy and
        the maximum, and the headroom of the surprise axis).
    """
    p = as_distribution(p, "p")
    nats = surprise(p)
    data = _surprise_data(p, nats, entropy(p), max_entropy(len(p)), unit, labels)
    s = to_unit(nats, unit)
    h, h_max = data["levels"]["value"]
    # fit-x: Streamlit gives each panel the container's width; fitting keeps the axes inside
    spec: dict[str, Any] = {"config": CONFIG, "spacing": 12,
                            "autosize": {"type": "fit-x", "contains": "padding"},
                            "vconcat": [_probability_panel(), _surprise_panel(unit)]}
    names = data["outcomes"]["outcome"]
    alt = (f"Probability of each outcome: {spoken_list(names, p)}. Its surprise −log p in "
           f"{unit}: {spoken_list(names, s)}. The entropy, their average weighted by the "
           f"probabilities, is {spoken(h)} {unit} (solid line); the maximum, log K, is "
           f"{spoken(h_max)} (dashed line).")
    return Chart(spec, data, alt)


def _surprise_data(p, s_nats, h_nats: float, max_nats: float, unit: str,
                   labels: Sequence[str] | None = None) -> dict:
    s = to_unit(s_nats, unit)
    h, h_max = float(to_unit(h_nats, unit)), float(to_unit(max_nats, unit))
    finite = [float(v) for v in s if math.isfinite(v)]
    top = float(1.3 * max(finite + [h_max, 0.1]))  # room for the value labels above the bars
    return {"outcomes": _outcome_rows(p, s, _labels(labels, len(p)), [h, h_max], top, unit),
            "levels": {"line": _level_names(unit), "value": [h, h_max], "top": [top, top]}}


def surprise_grid_data(costs, unit: str = "nats") -> list[dict | None]:
    """:func:`surprise_bars`'s datasets for every row of ``ce_core.pair_costs(w, w)`` (P
    coded with its own code; None where a row is not valid): the live-scrub grid of a
    weight slider, with no ce_core call a row."""
    h_max = max_entropy(costs.p.shape[1])
    return [_surprise_data(p, s, float(h), h_max, unit) if valid else None
            for valid, p, s, h in zip(costs.valid, costs.p, costs.surprise_q, costs.h_p)]


# ----------------------------------------------------------------------------- a coin's entropy

def _coin_data(p: float, unit: str, n_points: int) -> dict[str, dict[str, list]]:
    """The curve H(p) over [0, 1], the marked coin, and the fair coin's maximum."""
    xs = np.linspace(0.0, 1.0, n_points)
    y = float(to_unit(binary_entropy(p), unit))
    peak = float(to_unit(binary_entropy(0.5), unit))
    return {
        "curve": {"p": floats(xs), "h": floats(to_unit(binary_entropy(xs), unit))},
        "coin": {"p": [float(p)], "h": [y], "label": [f"this coin: H({p:.2f}) = {y:.3f} {unit}"]},
        "peak": {"h": [peak], "label": [f"maximum at p = 0.5: {peak:.3f} {unit}"]},
    }


def _peak_layers(y: dict) -> list[dict]:
    """The dashed maximum, named above the line at the right (where the curve is well below it)."""
    return [
        {"data": {"name": "peak"},
         "mark": {"type": "rule", "color": PALETTE["grey"], "strokeDash": [8, 5],
                  "strokeWidth": 2},
         "encoding": {"y": y}},
        {"data": {"name": "peak"},
         "mark": {"type": "text", "color": {"expr": TEXT_COLOUR}, "align": "right",
                  "baseline": "bottom", "dy": -6, "x": {"expr": "width"}},
         "encoding": {"y": y, "text": {"field": "label"}}},
    ]


def _coin_layers(x: dict, y: dict, tip: list) -> list[dict]:
    """The coin: a dotted drop line to its p, a dot on the curve, its value in the corner."""
    coin = {"name": "coin"}
    return [
        {"data": coin,
         "mark": {"type": "rule", "color": PALETTE["vermillion"], "strokeDash": [3, 3],
                  "strokeWidth": 1.5},
         "encoding": {"x": x, "y": y, "y2": {"datum": 0}}},
        {"data": coin,
         "mark": {"type": "point", "filled": True, "size": 260, "color": PALETTE["vermillion"],
                  "stroke": "white", "strokeWidth": 2, "opacity": 1},
         "encoding": {"x": x, "y": y,
                      "tooltip": [{**tip[0], "title": "this coin: p"}, tip[1]]}},
        # in the top left corner, clear of the curve wherever the coin is
        {"data": coin,
         "mark": {"type": "text", "color": {"expr": TEXT_COLOUR}, "align": "left",
                  "baseline": "top", "x": 10, "y": 8},
         "encoding": {"text": {"field": "label"}}},
    ]


def binary_entropy_curve(p: float, *, unit: str = "nats", n_points: int = 201) -> Chart:
    """The entropy of a coin, H(p), for every p in [0, 1], with the coin ``p`` marked.

    The dashed line is the maximum, reached by a fair coin (p = 0.5): 1 bit = ln 2 nats.
    The marked coin has a dotted drop line to its p, and its value in the top left
    corner. The spec depends only on ``unit``; the coin is data.

    Parameters
    ----------
    p : float
        Probability of outcome 1 for the marked point, in [0, 1].
    unit : {"nats", "bits"}, default="nats"
    n_points : int, default=201
        Points on the curve (201 puts one at p = 0.5 exactly).

    Returns
    -------
    Chart
        Datasets ``curve`` (p, h), ``coin`` (p, h, label) and ``peak`` (h, label).
    """
    p = check_number(p, "p", low=0.0, high=1.0)
    data = _coin_data(p, unit, n_points)
    x = {"field": "p", "type": "quantitative", "title": "p = probability of outcome 1",
         "scale": {"domain": [-0.02, 1.02], "nice": False}}
    y = {"field": "h", "type": "quantitative", "title": f"entropy H(p) ({unit})",
         # unit is shape: 1.3 × the maximum leaves room for the label of a fair coin
         "scale": {"domain": [0, 1.3 * data["peak"]["h"][0]], "nice": False}}
    tip = [{"field": "p", "title": "p", "format": ".3f"},
           {"field": "h", "title": f"H ({unit})", "format": ".3f"}]
    layers = [
        *_peak_layers(y),
        {"data": {"name": "curve"},
         "mark": {"type": "line", "color": PALETTE["blue"], "strokeWidth": 3},
         "encoding": {"x": x, "y": y}},
        tooltip_points("curve", x, y, tip),
        *_coin_layers(x, y, tip),
    ]
    alt = (f"Entropy of a coin in {unit} against p, the probability of outcome 1, from 0 to "
           f"1: 0 at both ends, highest at p = 0.5, {spoken(data['peak']['h'][0], 3)} (dashed "
           f"line). The marked coin, p = {p:.2f}, has entropy {spoken(data['coin']['h'][0], 3)}.")
    return Chart(vega_spec(height=380, layer=layers), data, alt)


# ----------------------------------------------------------------------------- P against Q

#: The two bars of each outcome, in this order.
_SERIES = ["P (truth)", "Q (model)"]


def _paired_bars(p: np.ndarray, q: np.ndarray, names: list[str], code_q: np.ndarray,
                 show_text: bool) -> dict[str, list]:
    """One row per distribution and outcome (P's bars, then Q's), with both in the tooltip.
    P's rows first: while Q is dragged they stay the same and ship once (ui/scrub.py)."""
    bars: dict[str, list] = {c: [] for c in ("outcome", "series", "prob", "label",
                                             "p", "q", "code_q")}
    for which in _SERIES:
        for name, pi, qi, ci in zip(names, p, q, code_q):
            value = pi if which == _SERIES[0] else qi
            bars["outcome"].append(name)
            bars["series"].append(which)
            bars["prob"].append(float(value))
            bars["label"].append(f"{value:.2f}" if show_text else "")
            bars["p"].append(float(pi))
            bars["q"].append(float(qi))
            bars["code_q"].append(_num(ci))
    return bars



def _paired_bar_layers(unit: str) -> list[dict]:
    """P's and Q's bars side by side per outcome, their values above them."""
    offset = {"field": "series", "type": "nominal", "sort": _SERIES,
              "scale": {"paddingInner": 0.08}}
    tooltip = [{"field": "outcome", "title": "outcome"},
               {"field": "p", "title": "p (truth)", "format": ".3f"},
               {"field": "q", "title": "q (model)", "format": ".3f"},
               {"field": "code_q",
                "title": f"Q's {_LENGTH_WORD.get(unit, 'surprise')} −{LOG_NAME.get(unit, 'log')} q "
                         f"({unit})"}]
    colour = {"field": "series", "type": "nominal", "title": None,
              "scale": {"domain": _SERIES, "range": [PALETTE["blue"], PALETTE["orange"]]}}
    return [
        {"mark": {"type": "bar"},
         "encoding": {"x": {**OUTCOME, "scale": {"paddingInner": 0.3}}, "xOffset": offset,
                      "y": PROBABILITY, "color": colour, "tooltip": tooltip}},
        {"mark": {"type": "text", "baseline": "bottom", "dy": -4},
         "encoding": {"x": OUTCOME, "xOffset": offset, "y": PROBABILITY,
                      "text": {"field": "label"}}},
    ]


def compare_distributions(p, q, *, unit: str = "nats",
                          labels: Sequence[str] | None = None) -> Chart:
    """P (truth) and Q (model) side by side per outcome; the tooltip gives Q's code length −log q.

    Value labels sit on the bars for up to four outcomes (beyond that paired labels
    collide; the tooltips still give every value). The spec depends only on ``unit``;
    outcomes and labels are data.

    Parameters
    ----------
    p, q : array-like of shape (K,)
        The true and the model distribution over the same outcomes.
    unit : {"nats", "bits"}, default="nats"
    labels : sequence of str, optional

    Returns
    -------
    Chart
        Dataset ``bars``, one row per outcome and distribution: outcome, series
        ("P (truth)" or "Q (model)"), prob (the bar), label, and p, q, code_q (Q's
        code length in ``unit`` as text, "∞" where q = 0) for the tooltip.
    """
    p, q = _distributions(p, q)
    show_text = len(p) <= 4  # value labels on paired bars collide beyond four outcomes
    bars = _paired_bars(p, q, _labels(labels, len(p)), to_unit(surprise(q), unit), show_text)
    spec = vega_spec(height=380, data={"name": "bars"}, layer=_paired_bar_layers(unit))
    names = _labels(labels, len(p))
    word = _LENGTH_WORD.get(unit, "surprise")
    # P's rows come first, one per outcome: their code_q is each outcome's −log q.
    alt = (f"P (truth) and Q (model) side by side per outcome, with Q's {word} −log q in "
           f"{unit}: " + "; ".join(f"{n}: P {spoken(pi)}, Q {spoken(qi)}, {word} {c}"
                                    for n, pi, qi, c in zip(names, p, q, bars["code_q"][:len(p)]))
           + ".")
    return Chart(spec, {"bars": bars}, alt)


# ----------------------------------------------------------------------------- H(P,Q) = H(P) + KL

_PART_H = "entropy of the data (unavoidable)"   # short enough for a phone's legend
_PART_KL = "KL: extra cost of the wrong code"
#: The two bars: data from P coded with Q's code, and the roles swapped.
_CODINGS = ("data from P, Q's code", "data from Q, P's code")


class _Coding(NamedTuple):
    """One bar: data from one distribution coded with the other's code, in ``unit``."""
    row: str
    data: str      # "P" or "Q"
    code: str
    h: float       # entropy of the data: the unavoidable part
    kl: float      # the waste of the wrong code
    total: float   # the cross-entropy, h + kl


def _codings(costs: Sequence[float], unit: str) -> list[_Coding]:
    """The two bars, top first: P's data with Q's code, then the roles swapped, from
    ce_core's H(P), KL(P‖Q), H(P,Q), H(Q), KL(Q‖P), H(Q,P) in nats."""
    def coding(row, a, b, nats):
        return _Coding(row, a, b, *(float(to_unit(v, unit)) for v in nats))
    return [coding(_CODINGS[0], "P", "Q", costs[:3]), coding(_CODINGS[1], "Q", "P", costs[3:])]


def _costs(p, q) -> tuple[float, ...]:
    return (entropy(p), kl_divergence(p, q), cross_entropy(p, q),
            entropy(q), kl_divergence(q, p), cross_entropy(q, p))


def _axis_right(codings: list[_Coding]) -> float:
    """The right end of the axis: room right of each bar for its total; an infinite
    one's label starts after H and is long."""
    totals = [c.total for c in codings if math.isfinite(c.total)] + [c.h for c in codings]
    # 1.75: "H(Q,P) = 1.326" whole right of its bar in a phone's 270-px plot (1.45 cut it)
    return max([1.75 * t for t in totals]
               + [2.4 * c.h for c in codings if math.isinf(c.kl)] + [0.1])


def _segments(codings: list[_Coding], min_width: float) -> dict[str, list]:
    """Each bar's two parts, H then KL stacked on it; an infinite KL draws no part."""
    segments: dict[str, list] = {c: [] for c in ("row", "part", "start", "end", "value",
                                                 "label", "mid")}
    for c in codings:
        for part, start, value, text in (
                (_PART_H, 0.0, c.h, f"H({c.data}) = {c.h:.3f}"),
                (_PART_KL, c.h, c.kl, f"KL({c.data}‖{c.code}) = {_num(c.kl)}")):
            drawn = math.isfinite(value)
            segments["row"].append(c.row)
            segments["part"].append(part)
            segments["start"].append(start if drawn else None)
            segments["end"].append(start + value if drawn else None)
            segments["value"].append(value if drawn else None)
            # a segment too narrow for its label has none
            segments["label"].append(text if drawn and value >= min_width else "")
            segments["mid"].append(start + value / 2 if drawn else None)
    return segments


def _totals(codings: list[_Coding]) -> dict[str, list]:
    """Each bar's total H(·,·) written at its end (after H alone, in red, when infinite)."""
    totals: dict[str, list] = {"row": [], "x": [], "label": [], "infinite": []}
    for c in codings:
        infinite = math.isinf(c.total)
        pair = f"{c.data},{c.code}"
        totals["row"].append(c.row)
        totals["x"].append(c.h if infinite else c.total)
        totals["label"].append(f"KL({c.data}‖{c.code}) = ∞  →  H({pair}) = ∞" if infinite
                               else f"H({pair}) = {c.total:.3f}")   # the axis names the unit
        totals["infinite"].append(infinite)
    return totals


def _decomposition_layers(unit: str) -> list[dict]:
    """The stacked bars with their part labels, the totals, and the axis's right edge."""
    x_title = f"average {_LENGTH_WORD.get(unit, 'surprise')} per outcome ({unit})"
    y = {"field": "row", "type": "nominal", "sort": list(_CODINGS), "title": None,
         "scale": {"paddingInner": 0.35},
         "axis": {"labelExpr": "split(datum.label, ', ')", "labelLineHeight": 19,
                  "labelPadding": 8}}
    return [
        {"data": {"name": "segments"},
         "mark": {"type": "bar"},
         "encoding": {
             "y": y,
             "x": {"field": "start", "type": "quantitative", "title": x_title},
             "x2": {"field": "end"},
             "color": {"field": "part", "type": "nominal", "title": None,
                       "scale": {"domain": [_PART_H, _PART_KL],
                                 "range": [PALETTE["blue"], PALETTE["vermillion"]]},
                       "legend": {"orient": "bottom", "direction": "vertical",
                                  "labelLimit": 500}},
             "tooltip": [{"field": "row", "title": "bar"}, {"field": "part", "title": "part"},
                         {"field": "value", "title": unit, "format": ".4f"}]}},
        # on a coloured bar (not the page background): white on blue (5.1:1), black on
        # vermillion (5.2:1; white there is 3.9:1), in both themes
        {"data": {"name": "segments"},
         "mark": {"type": "text", "color": {"expr": f"datum.part === '{_PART_KL}' ? 'black' : 'white'"}},
         "encoding": {"y": y, "x": {"field": "mid", "type": "quantitative", "title": x_title},
                      "text": {"field": "label"}}},
        {"data": {"name": "totals"},
         "mark": {"type": "text", "align": "left", "dx": 8},
         "encoding": {
             "y": y, "x": {"field": "x", "type": "quantitative", "title": x_title},
             # the theme's text colour (config.text), an infinite total too: vermillion
             # text is 3.9:1 on white; the label says "∞" in words
             "text": {"field": "label"}}},
        # the right edge of the axis, leaving room for the labels
        headroom_layer("frame", x={"field": "right", "type": "quantitative", "title": x_title}),
    ]


def _decomposition_data(codings: list[_Coding], unit: str) -> dict:
    right = _axis_right(codings)
    min_width = 0.22 * right  # a segment narrower than this has no room for its label
    return {"segments": _segments(codings, min_width), "totals": _totals(codings),
            "frame": {"right": [float(right)]}}


def pair_grid_data(costs, unit: str = "nats") -> list[dict | None]:
    """The datasets of :func:`entropy_decomposition` and :func:`compare_distributions`
    for every row of ``ce_core.pair_costs`` (None where a row is not valid), keyed by
    chart: the live-scrub grid of a weight slider, with no ce_core call a row."""
    out = []
    for i, valid in enumerate(costs.valid):
        if not valid:
            out.append(None)
            continue
        p, q = costs.p[i], costs.q[i]
        nats = [float(getattr(costs, name)[i]) for name in (
            "h_p", "kl_pq", "h_pq", "h_q", "kl_qp", "h_qp")]
        out.append({"decomposition": _decomposition_data(_codings(nats, unit), unit),
                    "distributions": {"bars": _paired_bars(
                        p, q, _labels(None, len(p)), to_unit(costs.surprise_q[i], unit),
                        len(p) <= 4)}})
    return out


def entropy_decomposition(p, q, *, unit: str = "nats") -> Chart:
    """Cross-entropy as a stacked bar, H(P,Q) = H(P) + KL(P‖Q), in both directions.

    The top bar codes data from P with Q's code; the bottom bar swaps the roles
    (data from Q, P's code), which shows that KL is not symmetric. Each bar is the
    entropy of the data (blue, unavoidable) followed by the KL divergence (red, the
    waste), and the total H(·,·) is written at its end. An infinite KL has no bar:
    the end of the entropy part says "KL = ∞ → H = ∞" in red instead.

    The spec depends only on ``unit``; the segments and labels are data.

    Parameters
    ----------
    p, q : array-like of shape (K,)
        The true and the model distribution over the same outcomes.
    unit : {"nats", "bits"}, default="nats"

    Returns
    -------
    Chart
        Datasets ``segments`` (row, part, start, end, value, label, mid; an infinite KL
        has start, end and value None), ``totals`` (row, x, label, infinite) and
        ``frame`` (right: the edge of the axis, with room for the labels).
    """
    codings = _codings(_costs(*_distributions(p, q)), unit)
    data = _decomposition_data(codings, unit)
    alt = (f"Cross-entropy as entropy plus KL, in {unit}, two bars. " + " ".join(
        f"{c.row[0].upper() + c.row[1:]}: H({c.data}) {spoken(c.h, 3)} + KL({c.data}‖{c.code}) "
        f"{spoken(c.kl, 3)} = H({c.data},{c.code}) {spoken(c.total, 3)}." for c in codings))
    return Chart(vega_spec(height=300, layer=_decomposition_layers(unit)), data, alt)
