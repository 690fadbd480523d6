"""One look for every chart: colour-blind-safe colours, readable fonts, light and dark themes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


#: Okabe-Ito palette (Okabe & Ito, "Color Universal Design", 2008): distinguishable
#: with every common form of colour blindness.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
}
SEQUENCE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow")]


# --- Vega-Lite --------------------------------------------------------------------------
# Charts are Vega-Lite specs, plain dicts: nothing is validated on the server (why that
# matters: BENCHMARKS.md), and Streamlit feeds new named datasets into a mounted chart
# instead of re-embedding it.

GRID = "rgba(127,127,127,0.25)"
#: Near-white on a dark background, Streamlit's text grey on a light one.
TEXT_COLOUR = "luminance(background) < 0.5 ? '#FAFAFA' : '#31333F'"

_TEXT = {"expr": TEXT_COLOUR}

#: Shared Vega-Lite config: 15-16 px text for projectors (21/16 of it in presenter mode),
#: the Okabe-Ito colours, no frame; every text in the theme's text colour (12:1 on white,
#: 17:1 on Streamlit's dark background). Streamlit's chart theme supplies the font family.
CONFIG = {
    "axis": {"labelFontSize": 15, "titleFontSize": 16, "gridColor": GRID,
             "titleFontWeight": "normal", "labelColor": _TEXT, "titleColor": _TEXT},
    "legend": {"labelFontSize": 15, "titleFontSize": 15, "orient": "top",
               "titleFontWeight": "normal", "labelColor": _TEXT, "titleColor": _TEXT},
    "header": {"labelFontSize": 15, "titleFontSize": 16, "labelColor": _TEXT,
               "titleColor": _TEXT},
    "title": {"fontSize": 17, "anchor": "start", "fontWeight": "normal", "color": _TEXT},
    "range": {"category": SEQUENCE},
    "view": {"stroke": None},
    # Text marks follow the theme: Streamlit sets Vega's background to the page's.
    "text": {"color": {"expr": TEXT_COLOUR}, "fontSize": 15},
}


def scaled_fonts(spec: Any, factor: float) -> Any:
    """A copy of a spec (or config) with every font size multiplied by ``factor``.

    Presenter mode: the shared config's sizes and those a chart sets on its own marks
    (a text mark's ``fontSize``) grow together. Datasets are left alone.
    """
    if isinstance(spec, dict):
        return {k: (round(v * factor) if (k.endswith("FontSize") or k == "fontSize")
                    and isinstance(v, (int, float)) else
                    v if k == "datasets" else scaled_fonts(v, factor))
                for k, v in spec.items()}
    if isinstance(spec, list):
        return [scaled_fonts(item, factor) for item in spec]
    return spec


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite chart: a ``spec`` fixed by the chart's shape, and its ``data``.

    Streamlit 1.67 redraws a mounted Vega-Lite chart in place when only its named
    datasets change, but re-embeds it (slower, and it blinks) when the spec changes.
    So every number a control moves lives in ``data``; the spec depends only on what
    fixes the chart's shape (unit, number of classes, labels), and layers refer to
    their table with ``{"data": {"name": ...}}``.

    ``data`` maps a dataset name to columns (name -> list of equal length). A value
    that cannot be drawn (an infinite loss) is ``None``, which Vega-Lite leaves out.

    ``alt`` is the chart's text alternative for a screen reader, written by the builder
    from the same numbers as ``data`` ("Surprise per outcome, nats: A 0.92, …"): a canvas
    chart has none of its own. Plain text; ``ui.draw`` escapes it.
    """

    spec: dict[str, Any]
    data: dict[str, dict[str, list]] = field(default_factory=dict)
    alt: str = ""
    #: Drawn at the panels' own pixels, not stretched: Streamlit 1.67 sets each panel of a
    #: vconcat to the column's width and then adds the axes, so a vconcat with layers
    #: inside (which Vega-Lite cannot fit-x) ran past its column.
    own_width: bool = False

    def to_vega_lite(self) -> dict[str, Any]:
        """The spec with its datasets attached, as ``st.vega_lite_chart`` takes it."""
        return {**self.spec, "datasets": {name: dict(columns)
                                          for name, columns in self.data.items()}}


def vega_spec(*, height: int | None = 380, title: str | None = None, **parts: Any) -> dict[str, Any]:
    """A top-level spec with the shared config; ``parts`` are layer/encoding/etc.

    ``height=None`` for a ``vconcat``, whose panels carry their own heights (the schema
    allows no top-level height there)."""
    spec: dict[str, Any] = {"config": CONFIG}
    if height is not None:
        spec["height"] = height
    if title:
        spec["title"] = title
    spec.update(parts)
    return spec


#: A five-pointed star as a Vega symbol path (unit radius), for "the best one" markers
#: (Vega-Lite has no built-in star shape).
STAR = ("M0,-1L0.2245,-0.309L0.9511,-0.309L0.3633,0.118L0.5878,0.809L0,0.382"
        "L-0.5878,0.809L-0.3633,0.118L-0.9511,-0.309L-0.2245,-0.309Z")

def headroom_layer(dataset: str, *, mark: str = "rule", transform: list | None = None,
                   **channel: dict) -> dict[str, Any]:
    """An invisible layer that only stretches an axis, so the labels beyond the data fit.

    ``channel`` is one encoding (``y={**y, "field": "top"}``) whose values, read from
    ``dataset`` (after ``transform``), the axis has to reach. The reach is data, so it
    follows the numbers without changing the spec.

    >>> headroom_layer("levels", y={"field": "top", "type": "quantitative"})
    {'data': {'name': 'levels'}, 'mark': {'type': 'rule', 'opacity': 0}, 'encoding': {'y': {'field': 'top', 'type': 'quantitative'}}}
    """
    layer: dict[str, Any] = {"data": {"name": dataset}}
    if transform:
        layer["transform"] = transform
    layer["mark"] = {"type": mark, "opacity": 0}
    layer["encoding"] = dict(channel)
    return layer


def tooltip_points(dataset: str, x: dict, y: dict, tooltip: list, *, size: int = 80) -> dict[str, Any]:
    """Invisible points along a line that carry its tooltip (a line's own tooltip would
    show one point for the whole line): hovering near the line shows the values there."""
    return {"data": {"name": dataset}, "mark": {"type": "point", "opacity": 0, "size": size},
            "encoding": {"x": x, "y": y, "tooltip": tooltip}}


#: A text mark in the theme's text colour (CONFIG's ``text`` gives the same to marks
#: that set nothing; spelled out for layers that override other text properties).
TEXT_MARK = {"type": "text", "color": {"expr": TEXT_COLOUR}}


def spoken(value: float | None, digits: int = 2) -> str:
    """A number as a text alternative reads it: ``0.92``, ``infinity``, ``not drawn``.

    >>> spoken(0.9163), spoken(float("inf")), spoken(None), spoken(-0.0001)
    ('0.92', 'infinity', 'not drawn', '0.00')
    """
    if value is None or math.isnan(value):
        return "not drawn"
    if math.isinf(value):
        return "infinity" if value > 0 else "minus infinity"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def spoken_list(names, values, digits: int = 2) -> str:
    """``"A: 0.92, B: 1.20"``: names paired with their values, for a text alternative."""
    return ", ".join(f"{name}: {spoken(value, digits)}" for name, value in zip(names, values))


def floats(values) -> list[float]:
    """Plain Python floats (no numpy scalars: the data crosses the wire as JSON/Arrow)."""
    return [float(v) for v in np.asarray(values, dtype=float).ravel()]


def finite_or_none(values) -> list[float | None]:
    """Floats for Vega-Lite, with ±inf and NaN as None (not drawn rather than drawn wrong)."""
    return [float(v) if math.isfinite(v) else None for v in values]
