"""Drawing a Plotly figure dict (charts/landscape.py) with Streamlit, without validating it.

``st.plotly_chart`` turns a dict into a ``go.Figure`` to validate it, every run (50 ms for
one surface, BENCHMARKS.md), but takes a figure it is given as already valid and only asks
for its ``to_dict()``. A :class:`ReadyFigure` answers with the dict as built, so a rerun
pays for the JSON alone. A figure that did not change gives the same JSON, so the same
element id and message: Streamlit sends the browser a reference to the copy it already has
(its message cache), and the chart on screen stays mounted, turned as the learner left it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.presenter import PRESENTER_FONT_PX, presenting

#: Chart text in px: 15 like the Vega-Lite charts, larger on a projector.
FONT_PX = 15
#: The mode bar's buttons a rotating 3-D chart does not need (export goes to a PNG
#: of the current view: kept).
CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["resetCameraLastSave3d"]}


def font_px() -> int:
    """Chart text size for this session: larger in presenter mode."""
    return round(FONT_PX * PRESENTER_FONT_PX / 16) if presenting() else FONT_PX


def _ready_figure_class():
    import plotly.graph_objects as go   # not at import: Plotly is only for this chart

    class ReadyFigure(go.Figure):
        """A ``go.Figure`` that hands Streamlit a prebuilt dict as its ``to_dict()``."""

        def __init__(self, spec: dict[str, Any]):
            super().__init__()          # empty: nothing to validate
            self._ready_spec = spec

        def to_dict(self) -> dict[str, Any]:
            return self._ready_spec

    return ReadyFigure


_READY = None


def plotly_figure(spec: dict[str, Any], key: str, *, alt: str) -> None:
    """Draw a Plotly figure dict full width, with ``alt`` as its accessible name.

    ``spec`` is sent as built: plain JSON values (typed arrays as ``{"dtype", "bdata"}``).
    """
    global _READY
    if _READY is None:
        _READY = _ready_figure_class()
    st.plotly_chart(_READY(spec), key=key, width="stretch", config=CONFIG, theme="streamlit",
                    alt=alt)
