"""Cross-entropy and KL divergence: coding data from P with a code built for Q.

URL keys (public, keep stable): ce_k = number of outcomes,
ce_p1..ce_p6 = raw weights of P (truth), ce_q1..ce_q6 = raw weights of Q (model).
"""

import streamlit as st

import ce_core
import ui
import ui.scrub
from charts.information import compare_distributions, entropy_decomposition, pair_grid_data
from charts.style import Chart
from ui.scrub import View
from ui.widgets import Weights

unit = ui.page_setup(__file__)

MAX_K = 6
DEFAULT_K = 3
P_WEIGHTS = Weights("ce_p", "P: outcome {i}", (60, 30, 10, 10, 10, 10), "**P, the truth**")
Q_WEIGHTS = Weights("ce_q", "Q: outcome {i}", (30, 40, 30, 10, 10, 10), "**Q, the model**")


def preset(p: tuple[int, ...], q: tuple[int, ...]) -> dict:
    """The widget values of a preset: K and both columns of weights."""
    return {"ce_k": len(p), **{f"ce_p{i}": v for i, v in enumerate(p, start=1)},
            **{f"ce_q{i}": v for i, v in enumerate(q, start=1)}}


PRESETS = {
    "Coin coded as 0.9 / 0.1": preset((50, 50), (90, 10)),
    "One-hot label (the loss)": preset((100, 0, 0), (70, 20, 10)),
    "Model rules out an outcome": preset((60, 30, 10), (60, 40, 0)),
    "Model close to the truth": preset((60, 30, 10), (55, 33, 12)),
}
LOG = {"nats": r"\ln", "bits": r"\log_2"}
WEIGHT_STEPS = ui.scrub.steps(0, 100, 1)


def copy_p_to_q() -> None:
    for i in range(1, st.session_state["ce_k"] + 1):
        st.session_state[f"ce_q{i}"] = st.session_state[f"ce_p{i}"]


def preset_row() -> None:
    """The presets across the page, above the sliders: in the sliders' column they took
    two screens' worth of a projector's height before the first slider."""
    row = ui.widgets.preset_buttons(PRESETS, "ce_preset")
    row.button("Set Q = P (a perfect model)", key="ce_preset_copy", on_click=copy_p_to_q)


def distributions_ui() -> tuple[int, list[int], list[int]]:
    """The number of outcomes, and a weight slider per outcome for P and for Q."""
    k = st.slider("Number of outcomes K", 2, MAX_K, DEFAULT_K, key="ce_k", bind="query-params")
    st.caption("Weights are relative: each is divided by the total of its column.")
    p_weights, q_weights = ui.widgets.weight_sliders([P_WEIGHTS, Q_WEIGHTS], k, MAX_K)
    return k, p_weights, q_weights


def tex(value: float, digits: int = 4) -> str:
    """A number for LaTeX, with ∞ written as \\infty."""
    return r"\infty" if value == float("inf") else f"{value:.{digits}f}"


def number(nats: float) -> str:
    """A value computed in nats, in the chosen unit, for LaTeX."""
    return tex(ce_core.to_unit(nats, unit))


def cross_entropy_latex(p, q, h_p: float, kl_pq: float, h_pq: float) -> str:
    """H(P,Q) = −Σ p log q with this P and Q plugged in, then split into H(P) + KL(P‖Q)."""
    code_q = ce_core.to_unit(ce_core.surprise(q), unit)
    terms = [rf"{pi:.2f}\cdot{tex(ci, 2)}" for pi, ci in zip(p, code_q) if pi > 0]
    lines = [" + ".join(terms[i:i + 3]) for i in range(0, len(terms), 3)]
    return (
        r"\begin{aligned} H(P,Q) &= -\sum_i p_i\," + LOG[unit] + r" q_i \\ &= "
        + r" \\ &\quad + ".join(lines)
        + rf" \\ &= {number(h_pq)}\ \text{{{unit}}}"
        + rf" = \underbrace{{H(P)}}_{{{number(h_p)}}}"
        + rf" + \underbrace{{\mathrm{{KL}}(P\,\|\,Q)}}_{{{number(kl_pq)}}} \end{{aligned}}"
    )


def pq_view(values: dict) -> View:
    """What the weights of P and Q move: both charts and the three numbers above them."""
    k = len(values) // 2
    p = ce_core.normalize_weights([values[f"ce_p{i}"] for i in range(1, k + 1)])
    q = ce_core.normalize_weights([values[f"ce_q{i}"] for i in range(1, k + 1)])
    return View(
        charts={"ce_chart_decomposition": entropy_decomposition(p, q, unit=unit),
                "ce_chart_distributions": compare_distributions(p, q, unit=unit)},
        metrics=pq_metrics(ce_core.entropy(p), ce_core.cross_entropy(p, q),
                           ce_core.kl_divergence(p, q)))


def pq_views(key: str, grid: list, values: dict) -> list[View | None]:
    """:func:`pq_view` at every step of one weight slider, from one ce_core call (505 views
    one by one cost 0.6 s after each release; BENCHMARKS.md, bench_scrub)."""
    k = len(values) // 2
    rows = [{**values, key: w} for w in grid]
    costs = ce_core.pair_costs([[r[f"ce_p{i}"] for i in range(1, k + 1)] for r in rows],
                               [[r[f"ce_q{i}"] for i in range(1, k + 1)] for r in rows])
    views = []
    for i, data in enumerate(pair_grid_data(costs, unit)):
        views.append(None if data is None else View(
            charts={"ce_chart_decomposition": Chart({}, data["decomposition"]),
                    "ce_chart_distributions": Chart({}, data["distributions"])},
            metrics=pq_metrics(costs.h_p[i], costs.h_pq[i], costs.kl_pq[i])))
    return views


def pq_metrics(h_p: float, h_pq: float, kl_pq: float) -> dict:
    return {"ce_m_h": ("Entropy H(P)", ui.fmt(h_p, unit)),
            "ce_m_hpq": ("Cross-entropy H(P,Q)", ui.fmt(h_pq, unit)),
            "ce_m_kl": ("KL(P‖Q), the extra cost", ui.fmt(kl_pq, unit))}


def cross_entropy_metrics(live: ui.scrub.Section) -> None:
    m = st.columns(3)
    live.metric(m[0], "ce_m_h", border=True,
                help="The best possible average code length for data from P.")
    live.metric(m[1], "ce_m_hpq", border=True,
                help="The average code length when data come from P but the code is Q's.")
    live.metric(m[2], "ce_m_kl", border=True,
                help="H(P,Q) − H(P): what the wrong code costs on top of the entropy.")


def decomposition_panel(p, q, h_p: float, kl_pq: float, h_pq: float,
                        live: ui.scrub.Section) -> None:
    """The formula with P and Q plugged in, and the two charts."""
    st.latex(cross_entropy_latex(p, q, h_p, kl_pq, h_pq))
    live.chart("ce_chart_decomposition")
    st.caption(
        "Each bar is a cross-entropy split into its two parts: the entropy of the data (blue, "
        "unavoidable) and the KL divergence (red-orange, the waste from using the other distribution's "
        "code). The top bar is the one that matters for training: data from P, code from Q."
    )
    live.chart("ce_chart_distributions")
    live.follow()


def claim_box(h_pq: float, kl_pq: float) -> None:
    st.info(
        "You may read that the cross-entropy is *the number of additional bits* needed when you "
        "use Q instead of P. That mixes up the two quantities. The cross-entropy "
        f"H(P,Q) = {ui.fmt(h_pq, unit)} here is the **whole** average code length; the **additional** "
        f"part is KL(P‖Q) = {ui.fmt(kl_pq, unit)}. They only coincide when H(P) = 0, that is when "
        "the truth is certain, as with a one-hot label below. You may also read that a perfect model "
        "has cross-entropy 0: true for one-hot labels, but in general the floor is H(P), reached "
        "when Q = P.",
        icon=":material/fact_check:",
    )


def outcomes_named(indices: list[int]) -> str:
    return ", ".join(f"outcome {i}" for i in indices)


def asymmetry_section(p, q, kl_pq: float) -> None:
    """KL(P‖Q) against KL(Q‖P), and what an outcome ruled out does to each."""
    st.subheader("Not a distance: KL(P‖Q) ≠ KL(Q‖P)")
    a1, a2 = st.columns(2)
    a1.metric("KL(P‖Q): data from P, Q's code", ui.fmt(kl_pq, unit), border=True)
    a2.metric("KL(Q‖P): data from Q, P's code", ui.fmt(ce_core.kl_divergence(q, p), unit),
              border=True, help="The lower bar of the chart above.")
    st.markdown(
        "KL weighs each outcome by how often the *first* distribution produces it, so swapping the "
        "roles changes the answer; that is why it is called a divergence rather than a distance. "
        "The asymmetry is sharpest at zero: if Q gives probability q → 0 to an outcome that P still "
        "produces, its code length −log q grows without bound, and so do H(P,Q) and KL(P‖Q). "
        "The reverse direction does not care, because Q never produces that outcome."
    )
    ruled_out = [i for i, (pi, qi) in enumerate(zip(p, q), start=1) if pi > 0 and qi == 0]
    if ruled_out:
        st.warning(
            f"Q gives probability 0 to {outcomes_named(ruled_out)}, which P still produces. Q's "
            f"code has no codeword for it, so H(P,Q) = KL(P‖Q) = ∞. A classifier that is certain "
            f"and wrong pays an infinite loss; libraries clip probabilities to avoid that, which "
            f"is why `log_loss` reports a large finite number instead.",
            icon=":material/all_inclusive:",
        )
    reverse = [i for i, (pi, qi) in enumerate(zip(p, q), start=1) if qi > 0 and pi == 0]
    if reverse:
        st.caption(
            f"Here the reverse direction is the infinite one: Q produces {outcomes_named(reverse)}, "
            "which P rules out, so coding Q's data with P's code has no codeword for it and "
            "KL(Q‖P) = ∞."
        )


def one_hot_section(p, q) -> None:
    """A one-hot P: the cross-entropy becomes the classification loss −log q(true class)."""
    st.subheader("From cross-entropy to the loss: a one-hot P")
    true_class = next((i for i, v in enumerate(p) if v == 1.0), None)
    if true_class is None:
        st.markdown(
            "A training label says which class is true: P puts all its probability on one outcome "
            "(a one-hot vector). Press **One-hot label (the loss)** above, or set all but one P "
            "weight to 0, to see what the cross-entropy becomes."
        )
        return
    c = true_class + 1
    st.markdown(
        f"P is one-hot: outcome {c} is the true class. Every term with p = 0 drops out, H(P) = 0, "
        f"and the cross-entropy collapses to the surprise of the true class under the model, "
        f"−log q({c}). That is the classification loss for one sample, and here it equals "
        "KL(P‖Q): with certain labels, minimising cross-entropy and minimising KL are the same."
    )
    surprise = ce_core.surprise(q)[true_class]
    st.latex(
        rf"H(P,Q) = -1\cdot {LOG[unit]} q_{{{c}}} = -{LOG[unit]}\,{float(q[true_class]):.2f} = "
        rf"{number(surprise)}\ \text{{{unit}}}"
    )
    library_loss(c, surprise, ce_core.categorical_cross_entropy([true_class], [q]))


def library_loss(c: int, surprise: float, loss: float) -> None:
    """The one-hot loss in the chosen unit beside what the libraries report, in nats."""
    b1, b2 = st.columns(2)
    b1.metric(f"−log q({c}), the loss", ui.fmt(surprise, unit), border=True)
    b2.metric("Library loss in nats (log_loss / F.cross_entropy)", ui.fmt(loss, "nats"),
              border=True,
              help="categorical_cross_entropy, which matches scikit-learn's log_loss and, fed the "
              "logits ln q, PyTorch's F.cross_entropy. Libraries clip q = 0 to machine epsilon.")
    loss_07 = ce_core.surprise([0.7, 0.3])[0]
    st.caption(
        f"Machine-learning libraries report nats: a true-class probability of 0.7 costs "
        f"{ui.fmt(loss_07, 'nats')}, which is {ui.fmt(loss_07, 'bits')}. PyTorch's "
        "`F.cross_entropy` also takes logits, not probabilities: the Softmax page shows what it "
        "prints for [0.7, 0.2, 0.1]."
    )
    st.page_link("pages/3_Softmax.py", label="What F.cross_entropy really prints",
                 icon=":material/arrow_forward:")


@st.fragment
def explorer() -> None:
    """Everything the presets and sliders move. A fragment: moving a slider reruns this part
    only, not the sidebar, the quick check or the code below."""
    metrics = st.container()
    preset_row()
    left, right = st.columns([2, 3], gap="large")
    with left:
        k, p_weights, q_weights = distributions_ui()
    values = {**{f"ce_p{i}": w for i, w in enumerate(p_weights, start=1)},
              **{f"ce_q{i}": w for i, w in enumerate(q_weights, start=1)}}
    try:
        live = ui.scrub.Section("ce_pq", pq_view, values, dict.fromkeys(values, WEIGHT_STEPS),
                                views=pq_views, context=(unit,))
        p = ce_core.normalize_weights(p_weights)
        q = ce_core.normalize_weights(q_weights)
    except ce_core.InputError as err:
        right.warning(f"{err}", icon=":material/warning:")
        return
    h_p, h_pq, kl_pq = ce_core.entropy(p), ce_core.cross_entropy(p, q), ce_core.kl_divergence(p, q)
    with metrics:
        cross_entropy_metrics(live)
    with right:
        decomposition_panel(p, q, h_p, kl_pq, h_pq, live)
    claim_box(h_pq, kl_pq)
    asymmetry_section(p, q, kl_pq)
    one_hot_section(p, q)


st.title("Cross-entropy and KL divergence")
st.markdown(
    "Suppose outcomes really come from **P**, but you built your code from a model **Q**: each "
    "outcome gets a code of length −log *q*. The average length you then pay is the "
    "**cross-entropy** H(P,Q). It can never beat the entropy H(P), the cost of the best code "
    "for P, and the gap between the two is the **KL divergence** KL(P‖Q): the price of the wrong "
    "model. Training a classifier shrinks exactly that gap."
)

explorer()

FAIR, BIASED = [0.5, 0.5], [0.9, 0.1]
ui.quick_check(
    "ce_qc", "The data are tosses of a fair coin, but your code was built for a coin that lands "
    "heads 90 % of the time. How much *extra* does each toss cost you?",
    ce_core.kl_divergence(FAIR, BIASED), unit,
    f"The cross-entropy is {ui.fmt(ce_core.cross_entropy(FAIR, BIASED), unit, 3)} per toss, but "
    f"{ui.fmt(ce_core.entropy(FAIR), unit, 3)} of it is the entropy of a fair coin, which no code "
    "can avoid. The extra is KL(P‖Q) = H(P,Q) − H(P).",
)

ui.show_code(ce_core.cross_entropy, ce_core.kl_divergence, ce_core.entropy)

ui.lesson_nav(__file__)
