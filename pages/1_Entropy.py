"""Entropy: how surprising a distribution is on average, in nats or bits."""


import streamlit as st

import ce_core
import ui
from charts.information import binary_entropy_curve, surprise_bars

unit = ui.page_setup(__file__)

# URL keys (public, keep stable): e_k = number of outcomes, e_p1..e_p10 = raw weights,
# e_b = probability of the coin on the binary-entropy curve when K > 2.
MAX_K = 10
DEFAULT_K = 4
DEFAULT_WEIGHTS = (40, 30, 20, 10, 10, 10, 10, 10, 10, 10)
PRESETS = {
    "Fair coin": (50, 50),
    "Coin 0.9 / 0.1": (90, 10),
    "Fair die": (10,) * 6,
    "Skewed": (80, 40, 20, 10, 10),
    "Certain": (100, 0, 0, 0),
}
LOG = {"nats": r"\ln", "bits": r"\log_2"}



def apply_preset(weights: tuple[int, ...]) -> None:
    """Bound widgets can only be changed through session state, so presets run as callbacks."""
    st.session_state["e_k"] = len(weights)
    for i, w in enumerate(weights, start=1):
        st.session_state[f"e_p{i}"] = w


def weight_slider(i: int) -> int:
    return st.slider(f"Outcome {i}", 0, 100, DEFAULT_WEIGHTS[i - 1], key=f"e_p{i}",
                     bind="query-params")


def distribution_ui() -> tuple[int, list[int]]:
    """Presets, the number of outcomes and one weight slider per outcome."""
    st.markdown("**Presets**")
    cols = st.columns(2)
    for i, (name, weights) in enumerate(PRESETS.items()):
        cols[i % 2].button(name, key=f"e_preset_{i}", on_click=apply_preset, args=(weights,),
                           width="stretch")
    k = st.slider("Number of outcomes K", 2, MAX_K, DEFAULT_K, key="e_k", bind="query-params")
    st.markdown("**Weights** (relative: each is divided by their total to give its probability)")
    weights = [weight_slider(i) for i in range(1, k + 1)]
    if k < MAX_K:
        # Every slider exists on every run: Streamlit 1.67 leaves a preset's value out of the
        # URL when its slider did not exist in the previous run, so the unused ones wait here.
        with st.expander(f"Outcomes {k + 1} to {MAX_K}: not in use while K = {k}"):
            for i in range(k + 1, MAX_K + 1):
                weight_slider(i)
    return k, weights


def expected_surprise_latex(p, s, h: float) -> str:
    """H(P) = −Σ p log p written out with this distribution's numbers, four terms a line."""
    terms = [rf"{pi:.2f}\cdot{si:.2f}" for pi, si in zip(p, s) if pi > 0]
    lines = [" + ".join(terms[i:i + 4]) for i in range(0, len(terms), 4)]
    body = r" \\ &\quad + ".join(lines)
    value = ce_core.to_unit(h, unit)
    return (
        r"\begin{aligned} H(P) &= -\sum_i p_i\," + LOG[unit] + r" p_i"
        r" = \sum_i p_i \cdot \underbrace{(-" + LOG[unit] + r" p_i)}_{\text{surprise}} \\ &= "
        + body + rf" \\ &= {value:.4f}\ \text{{{unit}}} \end{{aligned}}"
    )


st.title("Entropy: the average surprise")
st.markdown(
    "An outcome that had probability *p* carries a **surprise** of −log *p*: a sure thing "
    "tells you nothing, a one-in-a-million event tells you a lot. That surprise is also the "
    "length of its ideal code, so likely outcomes get short codes and rare ones long codes. "
    "**Entropy** is the surprise you should *expect* on average: the probability-weighted "
    "mean of the code lengths, which is the fewest bits (or nats) per outcome any code can achieve."
)

@st.fragment
def explorer() -> None:
    """Everything the sliders move. A fragment: moving a slider reruns this part only, not
    the sidebar, the quick check or the code below (a third of the cost of a rerun)."""
    metrics = st.container()
    left, right = st.columns([1, 2], gap="large")
    with left:
        k, weights = distribution_ui()

    try:
        p = ce_core.normalize_weights(weights)
    except ce_core.InputError as err:
        right.warning(f"{err}", icon=":material/warning:")
        return

    h = ce_core.entropy(p)
    h_max = ce_core.max_entropy(k)
    s = ce_core.to_unit(ce_core.surprise(p), unit)

    with metrics:
        m1, m2, m3 = st.columns(3)
        m1.metric("Entropy H(P)", ui.fmt(h, unit), border=True,
                  help="The average surprise: the solid line in the lower chart.")
        m2.metric(f"Maximum log K (K = {k})", ui.fmt(h_max, unit), border=True,
                  help="Reached only when all K outcomes are equally likely: the dashed line.")
        m3.metric("Shortest code (likeliest outcome)", ui.fmt(min(ce_core.surprise(p)), unit),
                  border=True, help="The surprise of the most likely outcome: its ideal code length.")

    with right:
        st.latex(expected_surprise_latex(p, s, h))
        ui.chart(surprise_bars(p, unit=unit), "e_chart_surprise")
        st.caption(
            "Top: the probabilities after normalising the weights. Bottom: each outcome's surprise; "
            "the solid line is the entropy (their average, weighted by the top bars), the dashed "
            "line the maximum log K. An outcome with p = 0 would have infinite surprise, but it "
            "never happens, so it adds nothing to the average (0 · log 0 counts as 0)."
        )

    st.info(
        "One article on our reading list says entropy is *the number of bits required to transmit a "
        "randomly selected event*. Not quite: one event needs −log₂ p bits, and that differs from "
        "event to event (the orange bars). Entropy is the **average** of those lengths, weighted by "
        "how often each event happens, and no code can beat that average.",
        icon=":material/fact_check:",
    )

    st.subheader("Two outcomes: the binary entropy curve")
    curve_formula = st.container()
    curve_left, curve_right = st.columns([1, 2], gap="large")
    with curve_left:
        if k == 2:
            coin = float(p[0])
            st.markdown(
                f"With two outcomes the whole distribution is one number, p = P(outcome 1) = "
                f"**{coin:.2f}**, set by the weights above. Entropy peaks for a fair coin and falls "
                "to 0 as the coin becomes certain either way."
            )
        else:
            st.markdown(
                f"Your distribution has K = {k} outcomes, so it is not a point on this curve. "
                "The curve is the special case of a coin; move its p here, or choose K = 2 above "
                "to put your own distribution on it."
            )
            coin = st.slider("p = P(outcome 1) for a coin", 0.0, 1.0, 0.9, 0.01, key="e_b",
                             bind="query-params")
        st.metric(f"Coin entropy H({coin:.2f})", ui.fmt(ce_core.binary_entropy(coin), unit),
                  border=True)
    with curve_formula:
        st.latex(
            rf"H({coin:.2f}) = -{coin:.2f}\,{LOG[unit]} {coin:.2f} - (1 - {coin:.2f})\,{LOG[unit]} "
            rf"(1 - {coin:.2f}) = {ce_core.to_unit(ce_core.binary_entropy(coin), unit):.4f}\ "
            rf"\text{{{unit}}}"
        )
    with curve_right:
        ui.chart(binary_entropy_curve(coin, unit=unit), "e_chart_binary")


explorer()

ui.quick_check(
    "e_qc", "A fair eight-sided die is rolled. How much information does one roll carry on average?",
    ce_core.entropy([1 / 8] * 8), unit,
    f"All eight faces are equally likely, so every roll has the same surprise, "
    f"−log(1/8) = {ui.fmt(ce_core.entropy([1 / 8] * 8), 'bits', 0)} = "
    f"{ui.fmt(ce_core.entropy([1 / 8] * 8), 'nats', 3)}: the most any eight-outcome distribution "
    "can have.",
)

ui.show_code(ce_core.entropy, ce_core.surprise, ce_core.normalize_weights,
             ce_core.binary_entropy)

ui.lesson_nav(__file__)
