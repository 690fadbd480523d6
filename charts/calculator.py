"""The "Your numbers" page's chart: how the loss is spread over the samples, as Vega-Lite."""

from __future__ import annotations

import numpy as np

from .style import PALETTE, TEXT_MARK, Chart, headroom_layer, spoken, vega_spec

#: The count axis reaches this factor of the tallest bar (rounded up to a nice number).
HEADROOM = 1.1


def loss_histogram_figure(counts: np.ndarray, edges: np.ndarray, unit: str, *,
                          n_infinite: int = 0) -> Chart:
    """Bars of how many samples fall in each loss range (from ``scoring.loss_histogram``).

    Binned in Python so a 100,000-sample input ships 30 bars to the browser, not 100,000
    points. Each bar spans its bin from ``edges[i]`` to ``edges[i + 1]`` (in ``unit``),
    its height the number of samples in it (an empty bin draws nothing); the count axis
    ticks whole samples only and reaches 1.1 × the tallest bar, rounded up, so that bar
    does not touch the top. No vertical grid: the bin edges are not round numbers.
    Infinite losses (exact mode, p = 0 for the true class) cannot be placed on the loss
    axis: they are left out, and a note in the top-right corner says how many ("2
    infinite, not drawn"); the note is data, so the spec stays the same as the input changes.

    Examples
    --------
    >>> import numpy as np
    >>> chart = loss_histogram_figure(np.array([2, 1]), np.array([0.0, 0.5, 1.0]), "nats",
    ...                               n_infinite=1)
    >>> chart.data["bins"]["count"], chart.data["note"]["text"]
    ([2, 1], ['1 infinite, not drawn'])
    """
    counts = np.asarray(counts)
    edges = np.asarray(edges, dtype=float)
    bins = {"start": [float(v) for v in edges[:len(counts)]],
            "end": [float(v) for v in edges[1:len(counts) + 1]],
            "count": [int(c) for c in counts]}
    note = {"text": [f"{n_infinite} infinite, not drawn" if n_infinite else ""]}
    y = {"field": "count", "type": "quantitative", "title": "number of samples",
         "scale": {"zero": True, "nice": True}, "axis": {"tickMinStep": 1, "format": "d"}}
    spec = vega_spec(height=340, title="Spread of the sample losses", layer=[
        _bars(y, unit),
        # the count axis reaches 1.1 × the tallest bar (then rounded up), so the bar
        # does not touch the top
        headroom_layer("bins", transform=[
            {"aggregate": [{"op": "max", "field": "count", "as": "tallest"}]},
            {"calculate": f"{HEADROOM} * datum.tallest", "as": "room"}], y={**y, "field": "room"}),
        {"data": {"name": "note"},
         "mark": {**TEXT_MARK, "align": "right", "baseline": "top", "dx": -4, "dy": 4,
                  "fontSize": 15},
         "encoding": {"x": {"value": "width"}, "y": {"value": 0}, "text": {"field": "text"}}},
    ])
    return Chart(spec, {"bins": bins, "note": note}, _alt(counts, edges, unit, n_infinite))


def _alt(counts: np.ndarray, edges: np.ndarray, unit: str, n_infinite: int) -> str:
    """The histogram in words: how many samples, over what range, the tallest bin."""
    infinite = f"; {n_infinite:,} infinite, not drawn" if n_infinite else ""
    if not len(counts) or not counts.sum():
        return f"How the loss is spread over the samples: no finite loss to draw{infinite}."
    top = int(np.argmax(counts))
    return (f"How the loss is spread over the samples, a histogram of the loss of one sample "
            f"in {unit}: {int(counts.sum()):,} samples in {len(counts)} bins from "
            f"{spoken(edges[0], 3)} to {spoken(edges[len(counts)], 3)}; the tallest bin, "
            f"{spoken(edges[top], 3)} to {spoken(edges[top + 1], 3)}, holds "
            f"{int(counts[top]):,}{infinite}.")


def _bars(y: dict, unit: str) -> dict:
    """A bar per bin, spanning its loss range; an empty bin draws nothing (not a stub on
    the baseline), its row stays in the data."""
    # No vertical grid: the bins' edges are not round numbers, and grid cells between
    # the bars looked like empty bars.
    x = {"field": "start", "type": "quantitative", "title": f"loss of one sample ({unit})",
         "scale": {"zero": True}, "axis": {"grid": False}}
    return {"data": {"name": "bins"},
            "transform": [{"filter": "datum.count > 0"}],
            "mark": {"type": "bar", "color": PALETTE["blue"], "stroke": "rgba(255,255,255,0.6)",
                     "strokeWidth": 1},
            "encoding": {
                "x": x,
                "x2": {"field": "end"},
                "y": y,
                "y2": {"datum": 0},   # bars stand on zero (x is a range, so y needs both ends)
                "tooltip": [{"field": "start", "title": f"loss from ({unit})", "format": ".3f"},
                            {"field": "end", "title": f"loss to ({unit})", "format": ".3f"},
                            {"field": "count", "title": "samples", "format": ","}]}}
