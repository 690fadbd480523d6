"""Entropy: how surprising a distribution is on average, in nats or bits.

URL keys (public, keep stable): e_k = number of outcomes, e_p1..e_p10 = raw weights,
e_b = probability of the coin on the binary-entropy curve when K > 2.
"""

import streamlit as st

import ce_core
import ui
import ui.scrub
from charts.information import binary_entropy_curve, surprise_bars, surprise_grid_data
from charts.style import Chart
from ui.scrub import View
from ui.widgets import Weights

unit = ui.page_setup(__file__)

MAX_K = 10
DEFAULT_K = 4
WEIGHTS = Weights("e_p", "Outcome {i}", (40, 30, 20, 10, 10, 10, 10, 10, 10, 10))
PRESETS = {name: {"e_k": len(w), **{f"e_p{i}": v for i, v in enumerate(w, start=1)}}
           for name, w in {
               "Fair coin": (50, 50),
               "Coin 0.9 / 0.1": (90, 10),
               "Fair die": (10,) * 6,
               "Skewed": (80, 40, 20, 10, 10),
               "Certain": (100, 0, 0, 0),
           }.items()}
LOG = {"nats": r"\ln", "bits": r"\log_2"}[unit]
WEIGHT_STEPS = ui.scrub.steps(0, 100, 1)
COIN_STEPS = ui.scrub.steps(0.0, 1.0, 0.01)


def distribution_ui() -> tuple[int, list[int]]:
    """The number of outcomes and one weight slider per outcome."""
    k = st.slider("Number of outcomes K", 2, MAX_K, DEFAULT_K, key="e_k", bind="query-params")
    st.markdown("**Weights** (relative: each is divided by their total to give its probability)")
    return k, ui.widgets.weight_sliders([WEIGHTS], k, MAX_K)[0]


def expected_surprise_latex(p, s, h: float) -> str:
    """H(P) = −Σ p log p written out with this distribution's numbers, four terms a line."""
    terms = [rf"{pi:.2f}\cdot{si:.2f}" for pi, si in zip(p, s) if pi > 0]
    lines = [" + ".join(terms[i:i + 4]) for i in range(0, len(terms), 4)]
    body = r" \\ &\quad + ".join(lines)
    value = ce_core.to_unit(h, unit)
    return (
        r"\begin{aligned} H(P) &= -\sum_i p_i\," + LOG + r" p_i"
        r" = \sum_i p_i \cdot \underbrace{(-" + LOG + r" p_i)}_{\text{surprise}} \\ &= "
        + body + rf" \\ &= {value:.4f}\ \text{{{unit}}} \end{{aligned}}"
    )


def weights_view(values: dict) -> View:
    """What the weights move: the surprise chart and the three numbers above it."""
    p = ce_core.normalize_weights([values[f"e_p{i}"] for i in range(1, len(values) + 1)])
    return View(
        charts={"e_chart_surprise": surprise_bars(p, unit=unit)},
        metrics=weights_metrics(len(p), ce_core.entropy(p), ce_core.max_entropy(len(p)),
                                min(ce_core.surprise(p))))


def weights_views(key: str, grid: list, values: dict) -> list[View | None]:
    """:func:`weights_view` at every step of one weight slider, from one ce_core call."""
    k = len(values)
    rows = [[w if f"e_p{i}" == key else values[f"e_p{i}"] for i in range(1, k + 1)]
            for w in grid]
    costs = ce_core.pair_costs(rows, rows)       # P coded with its own code: H(P), −log p
    h_max = ce_core.max_entropy(k)
    return [None if data is None else View(
                charts={"e_chart_surprise": Chart({}, data)},
                metrics=weights_metrics(k, costs.h_p[i], h_max, costs.surprise_q[i].min()))
            for i, data in enumerate(surprise_grid_data(costs, unit))]


def weights_metrics(k: int, h: float, h_max: float, least_surprise: float) -> dict:
    return {"e_m_entropy": ("Entropy H(P)", ui.fmt(h, unit)),
            "e_m_max": (f"Maximum log K (K = {k})", ui.fmt(h_max, unit)),
            "e_m_surprise": ("Smallest surprise (likeliest outcome)", ui.fmt(least_surprise, unit))}


def entropy_metrics(live: ui.scrub.Section) -> None:
    """The entropy, its maximum log K, and the smallest surprise."""
    m1, m2, m3 = st.columns(3)
    live.metric(m1, "e_m_entropy", border=True,
                help="The average surprise: the solid line in the lower chart.")
    live.metric(m2, "e_m_max", border=True,
                help="Reached only when all K outcomes are equally likely: the dashed line.")
    live.metric(m3, "e_m_surprise", border=True,
                help="−log of the largest p. In bits, it is the ideal length of the "
                     "likeliest outcome's codeword.")


def surprise_panel(p, live: ui.scrub.Section) -> None:
    """The formula with this distribution's numbers, and each outcome's surprise."""
    surprise = ce_core.to_unit(ce_core.surprise(p), unit)
    live.chart("e_chart_surprise")   # first, beside the sliders: one projector screen holds both
    live.follow()
    st.latex(expected_surprise_latex(p, surprise, ce_core.entropy(p)))
    st.caption(
        "Top: the probabilities after normalising the weights. Bottom: each outcome's surprise; "
        "the solid line is the entropy (their average, weighted by the top bars), the dashed "
        "line the maximum log K. An outcome with p = 0 would have infinite surprise, but it "
        "never happens, so it adds nothing to the average (0 · log 0 counts as 0)."
    )


def coin_of(values: dict) -> float:
    """The coin's p: outcome 1's probability when K = 2, else its own slider."""
    if "e_b" in values:
        return values["e_b"]
    return float(ce_core.normalize_weights([values["e_p1"], values["e_p2"]])[0])


def coin_view(values: dict) -> View:
    """What the coin's p moves: the curve's marked point and the coin's entropy."""
    coin = coin_of(values)
    return View(charts={"e_chart_binary": binary_entropy_curve(coin, unit=unit)},
                metrics={"e_m_coin": (f"Coin entropy H({coin:.2f})",
                                      ui.fmt(ce_core.binary_entropy(coin), unit))})


def coin_ui(weights: list[int]) -> dict:
    """The controls of the coin: the weights above when K = 2, else a slider of its own."""
    if len(weights) == 2:
        coin = float(ce_core.normalize_weights(weights)[0])
        st.markdown(
            f"With two outcomes the whole distribution is one number, p = P(outcome 1) = "
            f"**{coin:.2f}**, set by the weights above. Entropy peaks for a fair coin and falls "
            "to 0 as the coin becomes certain either way."
        )
        return {"e_p1": weights[0], "e_p2": weights[1]}
    st.markdown(
        f"Your distribution has K = {len(weights)} outcomes, so it is not a point on this "
        "curve. The curve is the special case of a coin; move its p here, or choose K = 2 "
        "above to put your own distribution on it."
    )
    return {"e_b": st.slider("p = P(outcome 1) for a coin", 0.0, 1.0, 0.9, 0.01, key="e_b",
                             bind="query-params")}


def coin_section(weights: list[int]) -> None:
    """Two outcomes: the binary entropy curve and where the coin sits on it."""
    st.subheader("Two outcomes: the binary entropy curve")
    formula = st.container()
    left, right = st.columns([1, 2], gap="large")
    with left:
        values = coin_ui(weights)
        grids = {key: (COIN_STEPS if key == "e_b" else WEIGHT_STEPS) for key in values}
        live = ui.scrub.Section("e_coin", coin_view, values, grids, context=(unit,))
        live.metric(st, "e_m_coin", border=True)
    coin = coin_of(values)
    h = ce_core.binary_entropy(coin)
    formula.latex(
        rf"H({coin:.2f}) = -{coin:.2f}\,{LOG} {coin:.2f} - (1 - {coin:.2f})\,{LOG} "
        rf"(1 - {coin:.2f}) = {ce_core.to_unit(h, unit):.4f}\ \text{{{unit}}}"
    )
    with right:
        live.chart("e_chart_binary")
    live.follow()


def codeword_table(p, code) -> dict[str, list[str]]:
    """One row per outcome: its probability, Huffman codeword and length, and the ideal length."""
    def word(w):
        return "never happens: no codeword" if w is None else (w or "empty: nothing to send")
    return {
        "outcome": [str(i) for i in range(1, len(p) + 1)],
        "p": [f"{v:.3f}" for v in p],
        "codeword": [word(w) for w in code.codewords],
        "length (bits)": [("—" if w is None else str(n)) for w, n in zip(code.codewords,
                                                                        code.lengths)],
        "ideal −log₂ p (bits)": ["∞" if v == float("inf") else f"{v:.3f}"
                                 for v in code.ideal_lengths],
    }


def code_panel(p) -> None:
    """A real code for this distribution: Huffman's codewords beside the ideal lengths."""
    code = ce_core.huffman_code(p)
    h, avg = code.entropy_bits, code.average_length
    st.subheader("A real code for this distribution")
    st.markdown(
        "A code gives each outcome a **codeword** of 0s and 1s, none the beginning of another, "
        "so a stream of codewords reads back without separators. Huffman's construction (merge "
        "the two least likely outcomes, again and again) gives the shortest average length "
        "**L** any such code can have. Its lengths are whole bits; the ideal lengths −log₂ p "
        "usually are not, so L lies between the entropy and one bit more."
    )
    m1, m2, m3 = st.columns(3)
    m1.metric("Average codeword length L", f"{avg:.4f} bits", border=True,
              help="Each codeword's length weighted by its outcome's probability.")
    m2.metric("Entropy H, the lower bound", f"{h:.4f} bits", border=True,
              help="No code averages fewer bits per outcome.")
    m3.metric("Extra bits L − H", f"{code.redundancy:.4f} bits", border=True,
              help="0 only when every p is a power of 1/2: then −log₂ p is a whole number.")
    st.latex(rf"H = {h:.4f} \;\le\; L = {avg:.4f} \;<\; H + 1")   # in bits, as the metrics say
    st.dataframe(codeword_table(p, code), hide_index=True)
    st.caption(
        "Code lengths are counted in bits whatever unit the sidebar shows: a codeword is a "
        "string of binary digits, and no code is measured in nats. An outcome with p = 0 "
        "never happens and needs no codeword; when one outcome is certain, nothing needs to "
        "be sent at all."
    )


CLAIM = (
    "You may read that entropy is *the number of bits required to transmit a randomly selected "
    "event*. Not quite: one event ideally needs −log₂ p bits, and that differs from event to "
    "event (the orange bars). Entropy is the **average** of those lengths, weighted by how often "
    "each event happens. It is a lower bound: no code averages fewer bits, and a real code, whose "
    "codewords are whole bits long, usually needs a little more."
)


@st.fragment
def explorer() -> None:
    """Everything the sliders move. A fragment: moving a slider reruns this part only, not
    the sidebar, the quick check or the code below (a third of the cost of a rerun)."""
    metrics = st.container()
    ui.widgets.preset_buttons(PRESETS, "e_preset")   # beneath the numbers: nearer the chart
    left, right = st.columns([1, 2], gap="large")
    with left:
        k, weights = distribution_ui()
    values = {f"e_p{i}": w for i, w in enumerate(weights, start=1)}
    try:
        # one ce_core call a grid where it gives entropy()'s floats exactly
        exact = len(values) <= ce_core.PAIR_COSTS_EXACT_K
        live = ui.scrub.Section("e_w", weights_view, values, dict.fromkeys(values, WEIGHT_STEPS),
                                views=weights_views if exact else None,
                                context=(unit,))
    except ce_core.InputError as err:
        right.warning(f"{err}", icon=":material/warning:")
        return
    p = ce_core.normalize_weights(weights)
    with metrics:
        entropy_metrics(live)
    with right:
        surprise_panel(p, live)
    st.info(CLAIM, icon=":material/fact_check:")
    code_panel(p)
    coin_section(weights)


st.title("Entropy: the average surprise")
st.markdown(
    "An outcome that had probability *p* carries a **surprise** of −log *p*: a sure thing "
    "tells you nothing, a one-in-a-million event tells you a lot. Counted in bits, that "
    "surprise is also the ideal length of the outcome's codeword, so likely outcomes get short "
    "codewords and rare ones long ones. **Entropy** is the surprise you should *expect* on "
    "average: the probability-weighted mean of those ideal lengths. It is a lower bound: no "
    "code averages fewer bits per outcome, and the best code made of whole bits needs less "
    "than one bit more."
)

explorer()

DIE = [1 / 8] * 8
ui.quick_check(
    "e_qc", "A fair eight-sided die is rolled. How much information does one roll carry on average?",
    ce_core.entropy(DIE), unit,
    f"All eight faces are equally likely, so every roll has the same surprise, "
    f"−log(1/8) = {ui.fmt(ce_core.entropy(DIE), 'bits', 0)} = "
    f"{ui.fmt(ce_core.entropy(DIE), 'nats', 3)}: the most any eight-outcome distribution "
    "can have.",
)

ui.show_code(ce_core.entropy, ce_core.surprise, ce_core.normalize_weights,
             ce_core.binary_entropy)

ui.lesson_nav(__file__)
