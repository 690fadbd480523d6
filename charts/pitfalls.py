"""Pitfalls charts: per-class bars, per-sample loss histograms, remedies compared,
reliability diagrams and the temperature curve, as Vega-Lite.

Every spec depends only on the chart's shape (unit, the recipes compared, which optional
layers exist); the numbers the page's sliders move, including names that carry numbers
("T = 2", "class 1 (30 pts)"), travel in the named datasets.
"""

from __future__ import annotations

import math

import numpy as np

from ce_core.information import to_unit
from ce_core.pitfalls import ReliabilityBins, RunResult
from ce_core.validation import reduce
from .style import (PALETTE, SEQUENCE, STAR, TEXT_COLOUR, TEXT_MARK, Chart, finite_or_none,
                    headroom_layer, spoken, vega_spec)

_SCHEME_COLOURS = {"plain": PALETTE["grey"], "class-weighted": PALETTE["blue"],
                   "focal": PALETTE["orange"], "label smoothing": PALETTE["green"],
                   "down-weighted": PALETTE["purple"], "more data": PALETTE["sky"]}


def _scheme_scale(names: list[str]) -> dict:
    """Fixed colour per training recipe, so a recipe keeps its colour across charts."""
    return {"domain": list(names), "range": [_SCHEME_COLOURS.get(n, PALETTE["grey"]) for n in names]}


def _bar_label(value: float) -> str:
    """The number printed on a bar: 3 decimals, '∞' when infinite."""
    return f"{value:.3f}" if math.isfinite(value) else "∞"


def _class_rows(runs: dict[str, RunResult], unit: str) -> dict[str, list]:
    """One row per run and class: its recall and mean loss; the label carries the class size."""
    rows: dict[str, list] = {"run": [], "class": [], "k": [], "recall": [], "loss": []}
    for name, run in runs.items():
        report = run.report()
        losses = to_unit(np.asarray(report.loss, dtype=float), unit)
        for k, (n, recall, loss) in enumerate(zip(report.counts, report.recall, losses)):
            rows["run"].append(name)
            rows["class"].append(f"class {k} ({int(n)} pts)")
            rows["k"].append(k)
            rows["recall"].extend(finite_or_none([recall]))
            rows["loss"].extend(finite_or_none([loss]))
    return rows


def _class_panel(title: str, names: list[str], y: dict, shown: dict) -> dict:
    """One panel of bars per class, a bar per run in its recipe's colour.

    A single mark per panel: Streamlit fits a vconcat of plain views to the container
    width ("fit-x"), but not one with layers inside."""
    x = {"field": "class", "type": "nominal", "title": None, "sort": {"field": "k", "op": "min"},
         "axis": {"labelAngle": 0, "labelLimit": 300}}
    return {
        "title": title,
        "height": 190,
        "data": {"name": "classes"},
        "mark": {"type": "bar"},
        "encoding": {
            "x": x, "xOffset": {"field": "run", "type": "nominal", "sort": names},
            "color": {"field": "run", "type": "nominal", "title": "training recipe",
                      "scale": _scheme_scale(names)},
            "y": y,
            "tooltip": [{"field": "run", "title": "recipe"}, {"field": "class", "title": "class"},
                        shown],
        },
    }


def per_class_bars(runs: dict[str, RunResult], *, unit: str = "nats") -> Chart:
    """Recall (top) and mean validation loss (bottom) of every class, one bar per run.

    Two panels stacked with ``vconcat`` that share the class axis and one colour legend
    (a colour per training recipe). The top panel shows the share of each class's
    validation points the run finds, the bottom one the class's mean cross-entropy in
    ``unit``: together they show the plain model's low mean loss coming from the common
    class while it misses the rare one. Class labels carry the class size ("class 1
    (30 pts)"), which the imbalance slider moves, so they live in the data, not the spec.
    A class whose loss is infinite (or NaN, no points) gets no bar.

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import History
    >>> run = RunResult("plain", History(), np.array([[0.9, 0.1], [0.6, 0.4]]), np.array([0, 1]),
    ...                 np.zeros(2), "")
    >>> chart = per_class_bars({"plain": run})
    >>> chart.data["classes"]["class"], chart.data["classes"]["recall"]
    (['class 0 (1 pts)', 'class 1 (1 pts)'], [1.0, 0.0])
    """
    names = list(runs)
    recall = _class_panel(
        "recall: share of the class found", names,
        {"field": "recall", "type": "quantitative", "title": "recall (share)",
         "scale": {"domain": [0, 1.05], "nice": False},
         "axis": {"format": ".0%", "values": [0, 0.2, 0.4, 0.6, 0.8, 1.0], "minExtent": 48}},
        {"field": "recall", "title": "recall", "format": ".1%"})
    loss = _class_panel(
        f"mean cross-entropy ({unit})", names,
        {"field": "loss", "type": "quantitative", "title": f"loss ({unit})",
         "scale": {"zero": True}, "axis": {"minExtent": 48}},  # aligned with recall
        {"field": "loss", "title": f"mean loss ({unit})", "format": ".4f"})
    spec = vega_spec(height=None, vconcat=[recall, loss], spacing=28)  # panels set their heights
    rows = _class_rows(runs, unit)
    return Chart(spec, {"classes": rows}, _per_class_alt(rows, unit))


def _per_class_alt(rows: dict, unit: str) -> str:
    """Each class, then each recipe's recall and mean loss on it."""
    classes = list(dict.fromkeys(rows["class"]))
    parts = []
    for name in classes:
        at = [i for i, c in enumerate(rows["class"]) if c == name]
        parts.append(f"{name}: " + ", ".join(
            f"{rows['run'][i]} recall {spoken(None if rows['recall'][i] is None else 100 * rows['recall'][i], 0)}%"
            f" and loss {spoken(rows['loss'][i], 3)}" for i in at))
    return (f"Recall (top) and mean validation cross-entropy in {unit} (bottom) of each class, "
            f"a bar per training recipe. " + "; ".join(parts) + ".")


_HEADROOM = 1.15   # the count axis reaches this factor above the tallest bar
_GROUPS = ("clean label", "flipped label")


def _side_by_side_bins(values: np.ndarray, flipped: np.ndarray, bins: int) -> dict[str, list]:
    """Equal-width bins from 0 to the largest finite loss, counted per group: one row per
    non-empty bar, the clean bar in the left half of its bin and the flipped bar in the
    right half (``left``, ``right``), each from 0 to its own count."""
    finite = np.isfinite(values)
    top = float(values[finite].max()) if finite.any() else 1.0
    edges = np.linspace(0.0, max(top, 1e-9), bins + 1)
    counts = (np.histogram(values[finite & ~flipped], bins=edges)[0],
              np.histogram(values[finite & flipped], bins=edges)[0])
    rows: dict[str, list] = {"group": [], "start": [], "end": [], "left": [], "right": [],
                             "count": []}
    for i in range(bins):
        middle = (edges[i] + edges[i + 1]) / 2      # where the two halves meet: layout only
        for g, (group, count) in enumerate(zip(_GROUPS, counts)):
            if count[i] == 0:
                continue
            rows["group"].append(group)
            rows["start"].append(float(edges[i]))
            rows["end"].append(float(edges[i + 1]))
            rows["left"].append(float(edges[i] if g == 0 else middle))
            rows["right"].append(float(middle if g == 0 else edges[i + 1]))
            rows["count"].append(int(count[i]))
    return rows


def _histogram_layers(x: dict, unit: str) -> list[dict]:
    """The bars side by side on a linear count axis, and the headroom above the tallest."""
    count_title = "points"
    bars = {"data": {"name": "bars"},
            "mark": {"type": "bar", "stroke": "rgba(127,127,127,0.5)", "strokeWidth": 0.5},
            "encoding": {
                "x": {**x, "field": "left"}, "x2": {"field": "right"},
                "y": {"field": "count", "type": "quantitative", "title": count_title,
                      "scale": {"zero": True}, "axis": {"tickMinStep": 1, "format": "d"}},
                # from 0 up: with x and x2 but no y2, Vega-Lite would draw a thin bar at y
                "y2": {"datum": 0},
                "color": {"field": "group", "type": "nominal", "title": None,
                          "scale": {"domain": list(_GROUPS),
                                    "range": [PALETTE["blue"], PALETTE["vermillion"]]}},
                "tooltip": [{"field": "group", "title": "points with"},
                            {"field": "start", "title": f"loss from ({unit})", "format": ".3f"},
                            {"field": "end", "title": f"loss to ({unit})", "format": ".3f"},
                            {"field": "count", "title": "points"}]}}
    # room above the tallest bar for the mean's label
    return [bars, headroom_layer("room", y={"field": "count", "type": "quantitative",
                                            "title": count_title})]


def _mean_layers(x: dict, unit: str) -> list[dict]:
    """The mean as a dashed orange rule on the x axis ``x``, its value written at the top
    beside it (in the theme's text colour: orange text is under 4.5:1 on white)."""
    mean = {**x, "field": "mean"}
    return [
        {"data": {"name": "mean"},
         "mark": {"type": "rule", "color": PALETTE["orange"], "strokeWidth": 3,
                  "strokeDash": [8, 5]},
         "encoding": {"x": mean,
                      "tooltip": [{"field": "mean", "title": f"mean loss ({unit})",
                                   "format": ".4f"}]}},
        {"data": {"name": "mean"},
         "mark": {**TEXT_MARK, "align": "left", "baseline": "top", "dx": 6, "dy": 4,
                  "fontSize": 15},
         "encoding": {"x": mean, "y": {"value": 0}, "text": {"field": "label"}}},
    ]


def loss_histogram(losses, flipped, *, unit: str = "nats", bins: int = 30) -> Chart:
    """Per-sample training losses, clean and flipped points side by side, the mean marked.

    ``bins`` equal-width bins from 0 to the largest finite loss, counted here (the
    browser gets at most ``2 * bins`` bars, never one point per sample). In each bin the
    clean points are a blue bar in its left half and the points with a flipped label a
    vermillion bar in its right half, both from 0 on a linear count axis, so a bar's
    height is its count (stacked bars on a log axis would misstate the upper segment).
    Empty bars are left out. A dashed orange rule and its label mark the mean, which the
    far-right flipped points pull up. The count axis reaches a little above the tallest
    bar (dataset ``"room"``). Infinite losses are left out of the bars; an infinite mean
    gets the label "mean ∞" and no rule.

    Examples
    --------
    >>> chart = loss_histogram([0.1, 0.2, 3.0], [False, False, True])
    >>> chart.data["bars"]["group"], chart.data["bars"]["count"]
    (['clean label', 'clean label', 'flipped label'], [1, 1, 1])
    """
    values = to_unit(np.asarray(losses, dtype=float), unit)
    rows = _side_by_side_bins(values, np.asarray(flipped, dtype=bool), bins)
    mean = reduce(values, "mean") if len(values) else math.nan
    data = {"bars": rows,
            "mean": {"mean": finite_or_none([mean]),
                     "label": [f"mean {mean:.3f}" if math.isfinite(mean) else "mean ∞"]},
            "room": {"count": [float(_HEADROOM * max(rows["count"], default=1))]}}
    x = {"field": "start", "type": "quantitative",
         "title": f"loss of one training point ({unit})", "scale": {"zero": True}}
    spec = vega_spec(height=380, layer=[*_histogram_layers(x, unit), *_mean_layers(x, unit)])
    return Chart(spec, data, _histogram_alt(rows, data["mean"]["label"][0], unit))


def _histogram_alt(rows: dict, mean_label: str, unit: str) -> str:
    """How many points of each group, the range, and the mean."""
    counts = {g: sum(c for grp, c in zip(rows["group"], rows["count"]) if grp == g)
              for g in _GROUPS}
    top = max(rows["end"], default=0.0)
    return (f"Histogram of the loss of one training point in {unit}, from 0 to {spoken(top, 2)}: "
            f"{counts[_GROUPS[0]]:,} points with a clean label (left bar of each bin), "
            f"{counts[_GROUPS[1]]:,} with a flipped label (right bar); {mean_label} (dashed line).")


def _loss_title(unit: str) -> str:
    """The remedies' x title, the same on every layer: Vega-Lite joins differing layer
    titles into one ("validation loss (nats), low, loss"), which ran off a phone."""
    return f"validation loss ({unit})"


def _remedy_layers(names: list[str], unit: str) -> list[dict]:
    """Horizontal bars (the recipe names stay readable however narrow the column), each
    value printed at its end, "∞" at the start for an infinite loss."""
    y = {"field": "recipe", "type": "nominal", "title": None, "sort": names,
         "axis": {"labelLimit": 220}}
    x = {"field": "loss", "type": "quantitative", "title": _loss_title(unit),
         "scale": {"zero": True}}
    return [
        {"data": {"name": "remedies"},
         "mark": {"type": "bar"},
         "encoding": {"x": x, "y": y,
                      "color": {"field": "recipe", "type": "nominal",
                                "scale": _scheme_scale(names), "legend": None},
                      "tooltip": [{"field": "recipe", "title": "recipe"},
                                  {"field": "loss", "title": f"validation loss ({unit})",
                                   "format": ".4f"}]}},
        # room right of the longest bar for its printed value
        headroom_layer("remedies", mark="tick", x={**x, "field": "room"}),
        {"data": {"name": "remedies"},
         "transform": [{"filter": "datum.loss !== null"}],
         "mark": {"type": "text", "align": "left", "dx": 5, "fontSize": 15},
         # no colour: the shared config's theme text colour reads on a light and a dark page
         "encoding": {"x": {**x, "field": "at"}, "y": y, "text": {"field": "label"}}},
        {"data": {"name": "remedies"},
         "transform": [{"filter": "datum.label === '∞'"}],
         "mark": {"type": "text", "align": "left", "dx": 5, "fontSize": 18},
         "encoding": {"x": {"value": 0}, "y": y, "text": {"field": "label"}}},
    ]


def _reference_rule(unit: str) -> dict:
    """The level a remedy has to beat: a dashed grey rule across all bars."""
    return {"data": {"name": "reference"},
            "mark": {"type": "rule", "color": PALETTE["grey"], "strokeDash": [6, 4],
                     "strokeWidth": 2},
            "encoding": {"x": {"field": "loss", "type": "quantitative", "title": _loss_title(unit)},
                         "tooltip": [{"field": "loss", "title": f"reference ({unit})",
                                      "format": ".4f"}]}}


def _range_layer(names: list[str], unit: str) -> dict:
    """The lowest to the highest value over the seeds, as a whisker across the bar in the
    theme's text colour (a fixed dark one vanished on a dark page)."""
    y = {"field": "recipe", "type": "nominal", "title": None, "sort": names}
    return {"data": {"name": "remedies"},
            "mark": {"type": "errorbar", "ticks": True, "thickness": 2.5,
                     "color": {"expr": TEXT_COLOUR}},
            "encoding": {"y": y,
                         "x": {"field": "low", "type": "quantitative", "title": _loss_title(unit)},
                         "x2": {"field": "high"},
                         "tooltip": [{"field": "recipe", "title": "recipe"},
                                     {"field": "low", "title": f"lowest ({unit})", "format": ".4f"},
                                     {"field": "high", "title": f"highest ({unit})",
                                      "format": ".4f"}]}}


def remedy_bars(runs: dict[str, RunResult], *, unit: str = "nats",
                reference: float | None = None, spreads: dict | None = None) -> Chart:
    """Final validation loss of each run as a bar; ``reference`` (e.g. the plain run) dashed.

    One horizontal bar per training recipe in its recipe colour (horizontal so the
    recipe names stay readable in a narrow column), its value printed at its end in the
    theme's text colour (an infinite loss gets no bar, only "∞"). The optional ``reference`` is a dashed grey
    rule across all bars, the level a remedy has to beat. With ``spreads`` (recipe →
    :class:`ce_core.pitfalls.Spread` of the validation loss over seeds, nats) a bar is the
    mean over the seeds, a whisker runs from the lowest to the highest value and the
    printed label says both ("0.335 (0.300–0.371)"); dataset columns ``low``, ``high``.

    Examples
    --------
    >>> import numpy as np
    >>> from ce_core.training import EpochRecord, History
    >>> h = History([EpochRecord(1, 0.5, 0.4, 0.0, 1.0, 1.0, 1.0, 0.1)])
    >>> run = RunResult("plain", h, np.array([[0.9, 0.1]]), np.array([0]), np.zeros(1), "")
    >>> remedy_bars({"plain": run}).data["remedies"]["loss"]
    [0.4]
    """
    names = list(runs)
    if spreads is None:
        losses = [float(to_unit(runs[n].val_loss, unit)) for n in names]
        labels = [_bar_label(v) for v in losses]
        ends = losses
    else:
        losses = [float(to_unit(spreads[n].mean, unit)) for n in names]
        lows = [float(to_unit(spreads[n].low, unit)) for n in names]
        ends = [float(to_unit(spreads[n].high, unit)) for n in names]
        labels = [f"{_bar_label(m)} ({_bar_label(lo)}–{_bar_label(hi)})" if math.isfinite(m)
                  else "∞" for m, lo, hi in zip(losses, lows, ends)]
    finite = [v for v in ends if math.isfinite(v)]
    # room for the printed value: "0.396 (0.272–0.483)" is ~150 px, half a phone's plot
    room = (1.2 if spreads is None else 2.2) * max(finite) if finite else None
    rows = {"recipe": names, "loss": finite_or_none(losses), "label": labels,
            "room": [room] * len(names), "at": finite_or_none(ends)}   # labels after the whisker
    if spreads is not None:
        rows.update(low=finite_or_none(lows), high=finite_or_none(ends))
    data = {"remedies": rows}
    layers = _remedy_layers(names, unit)
    if spreads is not None:
        layers.insert(1, _range_layer(names, unit))
    if reference is not None:
        data["reference"] = {"loss": finite_or_none([float(to_unit(reference, unit))])}
        layers.append(_reference_rule(unit))
    reference_text = (f"; the dashed line is the reference, {spoken(data['reference']['loss'][0], 3)}"
                      if reference is not None else "")
    over_seeds = " (mean over the seeds, lowest to highest in brackets)" if spreads else ""
    alt = (f"Final validation loss in {unit} of each training recipe{over_seeds}: "
           + ", ".join(f"{n} {label}" for n, label in zip(names, labels)) + reference_text + ".")
    return Chart(vega_spec(height=380, layer=layers), data, alt)


#: The reliability panel is this many pixels wide and high (square axes: the diagonal
#: at 45°), the count histogram beneath it as wide and this high. A concat's panels keep
#: their pixels whatever the column, so 260: with its axis it fits a 358-px phone column
#: (340 was 430 px wide there, 509 in a 438-px half of a desk screen).
RELIABILITY_PX, COUNTS_PX = 260, 90


def _bin_rows(curves: dict[str, ReliabilityBins]) -> dict[str, list]:
    """One row per filled bin of each model. With m models each bin is cut into m equal
    slots side by side (``left``, ``right``), the i-th model's bar in the i-th slot."""
    rows: dict[str, list] = {"model": [], "order": [], "left": [], "right": [], "from": [],
                             "to": [], "confidence": [], "accuracy": [], "count": []}
    slots = max(len(curves), 1)
    for i, (name, bins) in enumerate(curves.items()):
        edges = np.asarray(bins.edges, dtype=float)
        for b in np.flatnonzero(bins.counts > 0):
            width = (edges[b + 1] - edges[b]) / slots     # layout: the bin's share per model
            rows["model"].append(name)
            rows["order"].append(i)
            rows["left"].append(float(edges[b] + i * width))
            rows["right"].append(float(edges[b] + (i + 1) * width))
            rows["from"].append(float(edges[b]))
            rows["to"].append(float(edges[b + 1]))
            rows["confidence"].append(float(bins.confidence[b]))
            rows["accuracy"].append(float(bins.accuracy[b]))
            rows["count"].append(int(bins.counts[b]))
    return rows


def _model_colour() -> dict:
    """A colour per model in the order given (the shared palette, first model blue)."""
    # one name a line: a concat has no width signal to choose columns by
    legend = {"orient": "top", "direction": "vertical", "labelLimit": 240,
              "symbolType": "square"}
    return {"field": "model", "type": "nominal", "title": None,
            "sort": {"field": "order", "op": "min"}, "scale": {"range": list(SEQUENCE)},
            "legend": legend}


_BIN_TOOLTIP = [{"field": "model", "title": "model"},
                {"field": "from", "title": "confidence from", "format": ".2f"},
                {"field": "to", "title": "to", "format": ".2f"},
                {"field": "confidence", "title": "mean confidence", "format": ".3f"},
                {"field": "accuracy", "title": "accuracy", "format": ".3f"},
                {"field": "count", "title": "points"}]


def _reliability_panel(x: dict) -> dict:
    """Square: the diagonal, a bar of the share right per bin and model, and a dark tick
    across each bar at the bin's mean confidence (the gap to the bar's top is the
    miscalibration)."""
    y = {"field": "accuracy", "type": "quantitative", "title": "accuracy: share right",
         "scale": {"domain": [0, 1], "nice": False}}
    bar = {"data": {"name": "bins"},
           "encoding": {"x": x, "x2": {"field": "right"}, "tooltip": _BIN_TOOLTIP}}
    return {"width": RELIABILITY_PX, "height": RELIABILITY_PX, "layer": [
        {"data": {"values": [{"left": 0.0, "accuracy": 0.0}, {"left": 1.0, "accuracy": 1.0}]},
         "mark": {"type": "line", "strokeDash": [6, 4], "strokeWidth": 2,
                  "color": PALETTE["grey"]},
         "encoding": {"x": x, "y": y}},
        {**bar, "mark": {"type": "bar", "opacity": 0.85},
         "encoding": {**bar["encoding"], "y": y, "y2": {"datum": 0}, "color": _model_colour()}},
        # the confidence tick: dark with a white core, so it shows on any bar and theme
        *({**bar, "mark": {"type": "rule", "strokeWidth": width, "color": colour},
           "encoding": {**bar["encoding"], "y": {**y, "field": "confidence"}}}
          for width, colour in ((5, "#202020"), (1.5, "white"))),
    ]}


def _counts_panel(x: dict) -> dict:
    """Beneath: how many predictions fell in each bin, a bar per model, on a linear axis."""
    return {"width": RELIABILITY_PX, "height": COUNTS_PX, "layer": [
        {"data": {"name": "bins"},
         "mark": {"type": "bar", "opacity": 0.85},
         "encoding": {"x": x, "x2": {"field": "right"},
                      "y": {"field": "count", "type": "quantitative", "title": "points",
                            "axis": {"tickMinStep": 1, "format": "d", "tickCount": 3}},
                      "y2": {"datum": 0},
                      "color": _model_colour(), "tooltip": _BIN_TOOLTIP}}]}


def reliability_diagram(curves: dict[str, ReliabilityBins]) -> Chart:
    """Accuracy per confidence bin as bars, one per model, with the bins' counts beneath.

    The top panel is square, confidence and accuracy both from 0 to 1, so perfect
    calibration is the dashed 45° diagonal. Each filled bin holds a bar per model (the
    bin cut into equal slots, models in the order of ``curves``, coloured by the shared
    palette): its height is the share right, and a dark tick across it marks the bin's
    mean confidence (dark with a white core), so a tick above the bar's top is
    overconfidence. Beneath, on the
    same confidence axis, a histogram of how many predictions each bin holds (a bar
    built from few points says little). Model names carry slider values ("T = 2"), so
    they are data. Dataset ``"bins"``: one row per filled bin and model (``model``,
    ``order``, slot ``left``/``right``, bin edges ``from``/``to``, ``confidence``,
    ``accuracy``, ``count``).

    Examples
    --------
    >>> from ce_core.pitfalls import reliability_bins
    >>> chart = reliability_diagram({"model": reliability_bins([0, 1], [[0.9, 0.1], [0.2, 0.8]])})
    >>> chart.data["bins"]["model"], chart.data["bins"]["count"]
    (['model', 'model'], [1, 1])
    """
    x = {"field": "left", "type": "quantitative", "title": "confidence: top probability",
         "scale": {"domain": [0, 1], "nice": False}}
    spec = vega_spec(height=None, vconcat=[_reliability_panel(x), _counts_panel(x)],
                     spacing=12, resolve={"scale": {"x": "shared", "color": "shared"}})
    rows = _bin_rows(curves)
    return Chart(spec, {"bins": rows}, _reliability_alt(rows), own_width=True)


def _reliability_alt(rows: dict) -> str:
    """Each model's filled bins: confidence range, mean confidence, accuracy, points."""
    parts = []
    for model in dict.fromkeys(rows["model"]):
        bins = [f"{spoken(rows['from'][i])}–{spoken(rows['to'][i])}: confidence "
                f"{spoken(rows['confidence'][i])}, accuracy {spoken(rows['accuracy'][i])}, "
                f"{rows['count'][i]:,} points"
                for i, m in enumerate(rows["model"]) if m == model]
        parts.append(f"{model}: " + "; ".join(bins))
    return ("Reliability diagram: the share right (accuracy) against the confidence, per "
            "confidence bin; on the dashed diagonal a model is calibrated, a confidence above "
            "its accuracy is overconfidence. " + ". ".join(parts) + ".")


def _temperature_marks(x: dict, y: dict, unit: str) -> dict:
    """The slider's T as an orange circle and the fitted T* as a vermillion star, named
    in the legend (the names carry the temperatures, so they are data)."""
    by_order = {"field": "order", "op": "min"}
    return {"data": {"name": "marks"},
            "mark": {"type": "point", "filled": True, "opacity": 1},
            "encoding": {"x": x, "y": y,
                         "color": {"field": "label", "type": "nominal", "title": None,
                                   "sort": by_order,
                                   "scale": {"range": [PALETTE["orange"], PALETTE["vermillion"]]}},
                         "shape": {"field": "label", "type": "nominal", "sort": by_order,
                                   "scale": {"range": ["circle", STAR]}},
                         # a star covers less of its square than a circle: drawn larger
                         "size": {"field": "label", "type": "nominal", "sort": by_order,
                                  "scale": {"range": [260, 480]}},
                         "tooltip": [{"field": "label", "title": "marker"},
                                     {"field": "T", "title": "T", "format": ".3f"},
                                     {"field": "loss", "title": f"validation loss ({unit})",
                                      "format": ".4f"}]}}


def temperature_curve(temperatures, losses, *, chosen: tuple[float, float], best: tuple[float, float],
                      unit: str = "nats") -> Chart:
    """Validation cross-entropy against the temperature; ``chosen`` and ``best`` are (T, loss).

    A blue line of the validation loss over the temperature grid (log T axis), an orange
    circle at the slider's T, a vermillion star at the fitted T*, and a dotted grey rule
    at T = 1 (the model as trained). The legend names carry the two temperatures, so
    they are data too.

    Examples
    --------
    >>> chart = temperature_curve([0.5, 1.0, 2.0], [0.6, 0.5, 0.55], chosen=(1.0, 0.5), best=(1.2, 0.49))
    >>> chart.data["marks"]["label"]
    ['your T = 1.00', 'fitted T = 1.20']
    """
    ts = np.asarray(temperatures, dtype=float)
    ys = to_unit(np.asarray(losses, dtype=float), unit)
    curve = {"T": [float(t) for t in ts], "loss": finite_or_none(ys)}
    marks = {"label": [f"your T = {chosen[0]:.2f}", f"fitted T = {best[0]:.2f}"],
             "order": [0, 1], "T": [float(chosen[0]), float(best[0])],
             "loss": finite_or_none([float(to_unit(chosen[1], unit)), float(to_unit(best[1], unit))])}
    ticks = [0.25, 0.5, 1, 2, 4]
    x = {"field": "T", "type": "quantitative", "title": "temperature T (log scale)",
         "scale": {"type": "log", "nice": False, "padding": 12},
         "axis": {"values": ticks, "format": "~g"}}
    y = {"field": "loss", "type": "quantitative", "title": f"validation loss ({unit})",
         "scale": {"zero": False}}
    spec = vega_spec(height=380, layer=[
        {"data": {"values": [{"T": 1.0}]},
         "mark": {"type": "rule", "color": PALETTE["grey"], "strokeDash": [2, 4], "strokeWidth": 2},
         "encoding": {"x": x}},
        {"data": {"name": "curve"},
         "mark": {"type": "line", "strokeWidth": 3, "color": PALETTE["blue"]},
         "encoding": {"x": x, "y": y,
                      "tooltip": [{"field": "T", "title": "T", "format": ".2f"},
                                  {"field": "loss", "title": f"validation loss ({unit})",
                                   "format": ".4f"}]}},
        _temperature_marks(x, y, unit),
    ])
    alt = (f"Validation cross-entropy in {unit} against the temperature T from "
           f"{spoken(ts.min())} to {spoken(ts.max())} (log scale), the model as trained at T = 1 "
           f"(dotted line): {marks['label'][0]} (a circle) gives {spoken(marks['loss'][0], 4)}; "
           f"{marks['label'][1]} (a star) gives {spoken(marks['loss'][1], 4)}, the lowest.")
    return Chart(spec, {"curve": curve, "marks": marks}, alt)


