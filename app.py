"""Start here: what the app teaches and the path through it."""

import streamlit as st

import ce_core
import ui

unit = ui.page_setup("Start here", icon="📉")

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
descriptions = {
    "Entropy": "surprise, bits vs nats, and why a skewed distribution is cheap to describe",
    "Cross-entropy & KL": "coding one distribution with another's code; the extra cost is KL",
    "Softmax": "from logits to probabilities, temperature, stable arithmetic, the gradient p − y",
    "Penalty curves": "−ln p, binary cross-entropy, and why it trains better than squared error",
    "Your numbers": "paste labels and predictions, get the loss sample by sample",
    "Live training": "watch train and validation loss fall while real models learn",
    "Pitfalls": "class imbalance, label noise, overconfidence and overfitting, caused and fixed",
}
for path in ui.page_files()[1:]:
    label, icon = ui.page_label(path)
    col_link, col_text = st.columns([1, 3], vertical_alignment="center")
    with col_link:
        st.page_link(path, label=label, icon=icon)
    with col_text:
        st.caption(descriptions.get(label, ""))

st.caption(
    "Choose **nats** (natural log, what ML libraries report) or **bits** (log base 2) in the "
    "sidebar; every page follows your choice."
)

ui.lesson_nav(__file__)
