"""One look for every chart: colour-blind-safe colours, readable fonts, light and dark themes."""

from __future__ import annotations

import plotly.graph_objects as go

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


def apply_style(fig: go.Figure, *, title: str | None = None, height: int = 380) -> go.Figure:
    """Shared layout: transparent background (follows Streamlit's light or dark theme),
    16 px text for projectors, hover showing all traces at one x."""
    fig.update_layout(
        title=title,
        height=height,
        colorway=SEQUENCE,
        font=dict(size=16),
        margin=dict(l=10, r=10, t=50 if title else 20, b=10),
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, xanchor="left", x=0),
        hoverlabel=dict(font_size=15),
    )
    grid = "rgba(127,127,127,0.25)"
    # Sizes set on the axes and legend themselves: Streamlit's chart theme replaces the
    # layout-wide font size, but keeps these.
    axis = dict(gridcolor=grid, zerolinecolor=grid, tickfont_size=15, title_font_size=16)
    fig.update_xaxes(**axis)
    fig.update_yaxes(**axis)
    fig.update_layout(legend_font_size=15)
    return fig
