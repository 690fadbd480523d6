"""Start here: what the app teaches and the path through it."""

import streamlit as st

import ce_core
import ui

unit = ui.page_setup(__file__)

st.title("Cross-entropy, interactively")
st.markdown(
    "Cross-entropy is the loss almost every classifier is trained with, and it comes from "
    "a simple question in information theory: *how many bits, on average, do you need to "
    "describe what happened, if your code was built for a different guess of what would "
    "happen?* These pages build that idea up one piece at a time. Every number you see is "
    "computed live by a small, tested Python library, and every control can be moved."
)

seen = 0.9
st.info(
    f"A model that gives the true class probability **{seen}** pays "
    f"**{ui.fmt(ce_core.binary_cross_entropy([1], [seen]), unit)}**; one that gives it "
    f"**{1 - seen:.1f}** pays **{ui.fmt(ce_core.binary_cross_entropy([1], [1 - seen]), unit)}**. "
    "The rest of this app explains why, and why that is exactly the right way to punish a model.",
    icon=":material/lightbulb:",
)

st.subheader("The path")
for page in ui.PAGES[1:]:
    col_link, col_text = st.columns([1, 3], vertical_alignment="center")
    col_link.page_link(page.file, label=page.title, icon=page.icon)
    col_text.caption(page.summary)

st.caption(
    "Choose **nats** (natural log, what ML libraries report) or **bits** (log base 2) in the "
    "sidebar; every page follows your choice."
)

ui.lesson_nav(__file__)
