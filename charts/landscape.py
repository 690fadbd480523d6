"""The loss landscape over (w, b) in 3-D, as plain Plotly figure dicts (no ``plotly`` import).

One figure a loss: the surface, the gradient-descent path on it, its start and the
loss's lowest point. The same numbers drawn flat (:func:`landscape_contour`) serve a
phone, where a 3-D scene is too small to turn with a finger.

Dicts, not ``plotly.graph_objects``: building a ``go.Figure`` validates every property
(tens of milliseconds for two surfaces, BENCHMARKS.md), and nothing here needs it. Colours
and fonts of the page's theme (light or dark) are applied by Streamlit's frontend; only
the Okabe-Ito colours of the marks are set here.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from ce_core.information import to_unit
from ce_core.landscape import Landscape, Walk
from ce_core.training import DescentPath

from .style import GRID, PALETTE

#: What a loss is called on an axis; squared error has no unit.
AXIS_NAMES = {"cross_entropy": "cross-entropy ({unit})", "squared_error": "squared error"}
#: Yellow at the bottom, dark at the top, as on the flat loss map above (Viridis is
#: readable with every common colour blindness).
COLOURSCALE = "Viridis"
#: A camera above the lowest points' side (w > 0, b < 0), looking across the bowl at the
#: slope the walks start on (w < 0, b > 0): bottom, walls and both walks at first sight.
CAMERA = {"eye": {"x": 1.45, "y": -1.25, "z": 1.0}, "center": {"x": 0, "y": 0, "z": -0.15}}
#: Paths float this share of the surface's height above it, so the surface never hides them.
LIFT = 0.015
HEIGHT = 440


def _values(landscape: Landscape, loss: str, unit: str) -> np.ndarray:
    grid = landscape.grid(loss)
    return to_unit(grid, unit) if loss == "cross_entropy" else grid


def _path_values(path: DescentPath, loss: str, unit: str) -> np.ndarray:
    return to_unit(path.loss, unit) if loss == "cross_entropy" else np.asarray(path.loss)


def typed_array(values) -> dict[str, str]:
    """An array as Plotly.js reads it without parsing numbers: float32 bytes in base64
    (a third of the JSON text; 7 significant digits, more than any label shows).

    >>> typed_array([[1.0, 2.0], [3.0, 4.0]])
    {'dtype': 'f4', 'bdata': 'AACAPwAAAEAAAEBAAACAQA==', 'shape': '2, 2'}
    """
    array = np.ascontiguousarray(values, dtype="<f4")
    return {"dtype": "f4", "bdata": base64.b64encode(array.tobytes()).decode("ascii"),
            "shape": ", ".join(str(n) for n in array.shape)}


def _surface(landscape: Landscape, z: np.ndarray, axis: str) -> dict[str, Any]:
    return {"type": "surface", "x": typed_array(landscape.ws), "y": typed_array(landscape.bs),
            "z": typed_array(z), "colorscale": COLOURSCALE, "reversescale": True,
            "showscale": False, "opacity": 0.93, "name": axis,
            "contours": {"z": {"show": True, "usecolormap": True, "width": 1}},
            "hovertemplate": f"w %{{x:.2f}}, b %{{y:.2f}}<br>{axis} %{{z:.4f}}<extra></extra>"}


def _walk(path: DescentPath, z: np.ndarray, shown: int, lift: float, axis: str) -> list[dict]:
    """The path (its first ``shown`` points: the rest left the square), and its start."""
    w, b, height = path.w[:shown].tolist(), path.b[:shown].tolist(), (z[:shown] + lift).tolist()
    hover = f"step %{{text}}<br>w %{{x:.3f}}, b %{{y:.3f}}<br>{axis} %{{customdata:.4f}}<extra></extra>"
    walk = {"type": "scatter3d", "mode": "lines+markers", "name": "gradient descent",
            "x": w, "y": b, "z": height, "text": list(range(shown)),
            "customdata": z[:shown].tolist(), "hovertemplate": hover,
            "line": {"color": PALETTE["vermillion"], "width": 7},
            "marker": {"color": PALETTE["vermillion"], "size": 3.5}}
    start = {"type": "scatter3d", "mode": "markers", "name": "start", "x": w[:1], "y": b[:1],
             "z": height[:1], "text": [0], "customdata": z[:1].tolist(), "hovertemplate": hover,
             "marker": {"color": PALETTE["yellow"], "size": 9, "symbol": "circle",
                        "line": {"color": "#202020", "width": 2}}}
    return [walk, start]


def _lowest(best: tuple[float, float], value: float, lift: float, axis: str) -> dict[str, Any]:
    return {"type": "scatter3d", "mode": "markers", "name": "lowest point",
            "x": [best[0]], "y": [best[1]], "z": [value + lift],
            "hovertemplate": (f"lowest point<br>w %{{x:.4f}}, b %{{y:.4f}}<br>{axis} "
                              f"{value:.4f}<extra></extra>"),
            "marker": {"color": PALETTE["sky"], "size": 8, "symbol": "diamond",
                       "line": {"color": "#202020", "width": 2}}}


def _axis(title: str, font_size: int, *, flat: bool = False) -> dict[str, Any]:
    axis = {"title": {"text": title, "font": {"size": font_size + 1}}, "nticks": 6,
            "tickfont": {"size": font_size - 2}, "gridcolor": GRID, "zerolinecolor": GRID}
    return axis | ({"showgrid": False} if flat else {"showbackground": False, "showspikes": False})


def _layout(title: str, axis: str, font_size: int) -> dict[str, Any]:
    return {"title": {"text": title, "font": {"size": font_size + 2}},
            "height": HEIGHT, "margin": {"l": 0, "r": 0, "t": 30 + font_size, "b": 0},
            "font": {"size": font_size},
            # below the plot: above it, the mode bar's buttons would cover it
            "legend": {"orientation": "h", "y": 0, "x": 0, "yanchor": "top",
                       "font": {"size": font_size - 1}},
            "scene": {"xaxis": _axis("w", font_size), "yaxis": _axis("b", font_size),
                      "zaxis": _axis(axis, font_size), "camera": CAMERA,
                      "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.75}}}


def landscape_surface(landscape: Landscape, walk: Walk, *, unit: str = "nats",
                      title: str = "", font_size: int = 15) -> dict[str, Any]:
    """A Plotly figure dict: the walk's loss over (w, b) as a surface, the part of the
    walk inside the square on it, its start, and the loss's lowest point.

    Examples
    --------
    >>> from ce_core.landscape import landscape_for, walks
    >>> from ce_core.training import make_1d_data
    >>> x, y = make_1d_data()
    >>> land = landscape_for(x, y, resolution=5)
    >>> walk = walks(x, y, land, learning_rate=0.3, steps=3, start=(-3, 3))["squared_error"]
    >>> fig = landscape_surface(land, walk)
    >>> [trace["name"] for trace in fig["data"]]
    ['squared error', 'gradient descent', 'start', 'lowest point']
    >>> fig["layout"]["scene"]["zaxis"]["title"]["text"], fig["data"][0]["z"]["shape"]
    ('squared error', '5, 5')
    """
    loss = walk.loss
    axis = AXIS_NAMES[loss].format(unit=unit)
    z = _values(landscape, loss, unit)
    lift = LIFT * float(z.max() - z.min())
    low = float(to_unit(walk.lowest, unit)) if loss == "cross_entropy" else walk.lowest
    data = [_surface(landscape, z, axis),
            *_walk(walk.path, _path_values(walk.path, loss, unit), walk.shown, lift, axis),
            _lowest(landscape.optima[loss], low, lift, axis)]
    return {"data": data, "layout": _layout(title, axis, font_size)}


def landscape_contour(landscape: Landscape, walk: Walk, *, unit: str = "nats",
                      title: str = "", font_size: int = 15) -> dict[str, Any]:
    """The same figure seen from above: filled contours, the path and the two markers.

    Examples
    --------
    >>> from ce_core.landscape import landscape_for, walks
    >>> from ce_core.training import make_1d_data
    >>> x, y = make_1d_data()
    >>> land = landscape_for(x, y, resolution=5)
    >>> walk = walks(x, y, land, learning_rate=0.3, steps=3, start=(-3, 3))["cross_entropy"]
    >>> [trace["type"] for trace in landscape_contour(land, walk)["data"]]
    ['contour', 'scatter', 'scatter', 'scatter']
    """
    flat = landscape_surface(landscape, walk, unit=unit, title=title, font_size=font_size)
    surface, *marks = flat["data"]
    contour = {"type": "contour", "x": surface["x"], "y": surface["y"], "z": surface["z"],
               "colorscale": COLOURSCALE, "reversescale": True, "showscale": False,
               "ncontours": 18, "line": {"width": 0.5}, "name": surface["name"],
               "hovertemplate": surface["hovertemplate"]}
    flat_marks = [{**{k: v for k, v in mark.items() if k != "z"}, "type": "scatter"}
                  for mark in marks]
    for mark in flat_marks:   # 2-D lines take no 3-D marker sizes' scale: a little larger
        mark["marker"] = {**mark["marker"], "size": mark["marker"]["size"] * 1.6}
    layout = {k: v for k, v in flat["layout"].items() if k != "scene"}
    layout.update(xaxis=_axis("w", font_size, flat=True), yaxis=_axis("b", font_size, flat=True),
                  height=HEIGHT - 40)
    return {"data": [contour, *flat_marks], "layout": layout}
