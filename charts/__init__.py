"""Chart builders: data in, a Vega-Lite :class:`~charts.style.Chart` out. One module per topic.

No Streamlit here, and no math: every number a chart draws comes from ``ce_core``.
Import the builders from their module (``from charts.penalty import penalty_curves``),
so a concept page never imports the training charts, which need scikit-learn.
"""
