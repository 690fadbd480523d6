"""Drawing a :class:`charts.style.Chart` with Streamlit."""

from __future__ import annotations

import streamlit as st

from ui.presenter import PRESENTER_FONT_PX, presenting


def chart(figure, key: str) -> None:
    """Draw a Vega-Lite ``Chart`` full width.

    ``key`` keeps the chart mounted across reruns, so a control that moves its numbers
    only swaps the chart's datasets in the browser.
    """
    from charts.style import scaled_fonts   # not at import: keeps app.py light

    spec = figure.to_vega_lite()
    if presenting():   # larger chart text on a projector (re-embeds once)
        spec = scaled_fonts(spec, PRESENTER_FONT_PX / 16)
    spec["datasets"] = {name: _table(columns) for name, columns in spec["datasets"].items()}
    # Canvas, not SVG: ~1,000 SVG nodes a curve were re-layered on every frame (BENCHMARKS.md).
    spec["usermeta"] = {"embedOptions": {"renderer": "canvas"}}
    st.vega_lite_chart(spec, key=key, width="stretch")


def _table(columns: dict[str, list]):
    """Columns as a pyarrow Table: Streamlit ships it as is (0.1 ms), where a dict goes
    through pandas first (0.6 ms for ten rows, 7 ms for 2,000)."""
    import pyarrow as pa

    try:
        return pa.table(columns)
    except (pa.ArrowException, TypeError):   # mixed types in a column: let pandas decide
        return columns
