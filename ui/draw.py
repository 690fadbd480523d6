"""Drawing a :class:`charts.style.Chart` with Streamlit."""

from __future__ import annotations

import html

import streamlit as st

from ui.presenter import PRESENTER_FONT_PX, presenting


#: Key prefixes of the box holding a chart and its text alternative (Streamlit tags a
#: chart's own box with no key), and of the text's box: ui/access.py hides the text from
#: sight (not from a screen reader) and ties it to the chart.
CHART_KEY = "ce_chart_"
ALT_KEY = "ce_alt_"


def chart(figure, key: str) -> None:
    """Draw a Vega-Lite ``Chart`` full width, with its text alternative under it.

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
    with st.container(key=CHART_KEY + key):
        st.vega_lite_chart(spec, key=key, width="content" if getattr(figure, "own_width", False)
                           else "stretch")
        if getattr(figure, "alt", ""):
            alt_text(figure.alt, key)


def alt_text(text: str, key: str) -> None:
    """A chart's description, HTML-escaped (it may quote labels a student typed), in a
    box that screen readers read and eyes do not see; redrawn with the chart's numbers."""
    st.container(key=ALT_KEY + key).html(
        f'<p id="ce-alt-{html.escape(key)}">{html.escape(text)}</p>')


def _table(columns: dict[str, list]):
    """Columns as a pyarrow Table: Streamlit ships it as is (0.1 ms), where a dict goes
    through pandas first (0.6 ms for ten rows, 7 ms for 2,000)."""
    import pyarrow as pa

    try:
        return pa.table(columns)
    except (pa.ArrowException, TypeError):   # mixed types in a column: let pandas decide
        return columns
