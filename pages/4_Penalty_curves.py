"""Penalty curves: −ln p, binary cross-entropy against squared error and focal loss,
the gradient that reaches the logit, clipping at p = 0 or 1, and worked examples."""

import functools

import streamlit as st

import ce_core
import ui
import ui.scrub
from charts.penalty import logit_gradients, loss_comparison, penalty_curves
from ce_core.validation import EPS
from ui.scrub import View

unit = ui.page_setup(__file__)
ln = r"\ln" if unit == "nats" else r"\log_2"

P_PRESETS = {"p = 0.9": 0.9, "p = 0.1": 0.1, "p = 0": 0.0}
P_STEPS = ui.scrub.steps(0.0, 1.0, 0.01)
GAMMA_STEPS = ui.scrub.steps(0.0, 5.0, 0.5)


def penalty_view(y: int, values: dict) -> View:
    """What p and γ move: the three charts and the numbers beside them."""
    p, gamma = values["pc_p"], values["pc_g"]
    loss = ce_core.binary_cross_entropy([y], [p])
    grad_ce = ce_core.to_unit(ce_core.logit_gradient_cross_entropy(p, y), unit)
    return View(
        charts={"pc_fig_curves": penalty_curves(p, unit=unit),
                "pc_fig_compare": loss_comparison(y, gamma=gamma, p=p, unit=unit),
                "pc_fig_grad": logit_gradients(y, p=p, unit=unit)},
        metrics={
            "pc_m_loss": (f"Loss for true label {y}", ui.fmt(loss, unit)),
            "pc_m_if1": ("If y = 1: −log p", ui.fmt(ce_core.binary_cross_entropy([1], [p]), unit)),
            "pc_m_if0": ("If y = 0: −log(1 − p)",
                         ui.fmt(ce_core.binary_cross_entropy([0], [p]), unit)),
            "pc_m_ce": ("Cross-entropy", ui.fmt(loss, unit)),
            "pc_m_se": ("Squared error (no unit)", f"{ce_core.squared_error(p, y):.4f}"),
            "pc_m_focal": (f"Focal loss, γ = {gamma:g}",
                           ui.fmt(ce_core.focal_loss([y], [p], gamma=gamma), unit)),
            "pc_m_gce": ("Cross-entropy ∂loss/∂z", f"{grad_ce:+.4f}"),
            "pc_m_gse": ("Squared error ∂loss/∂z",
                         f"{ce_core.logit_gradient_squared_error(p, y):+.4f}")})


def set_p(value: float) -> None:
    st.session_state["pc_p"] = value  # bound widgets change only through session_state


def penalty_controls() -> tuple[float, int, float]:
    """The prediction p, the true label y, and the focal loss γ, one under another."""
    p = st.slider("Predicted probability of class 1, p", 0.0, 1.0, 0.9, step=0.01,
                  key="pc_p", bind="query-params")
    for col, (name, value) in zip(st.columns(len(P_PRESETS)), P_PRESETS.items()):
        col.button(name, on_click=set_p, args=(value,), key=f"pc_set_{value}",
                   width="stretch", help=f"Set p to {value:g}")
    y = st.radio("True label y", [1, 0], key="pc_y", horizontal=True, bind="query-params")
    gamma = st.slider("Focal loss γ (in the second chart below)", 0.0, 5.0, 2.0, step=0.5,
                      key="pc_g", bind="query-params",
                      help="γ = 0 is plain cross-entropy; larger γ shrinks the loss of "
                           "predictions that are already good.")
    return p, y, gamma


def cross_entropy_stage(live: ui.scrub.Section, chart) -> None:
    """The loss at p for the true label and both curves, beside the controls."""
    with chart:
        m1, m2, m3 = st.columns(3)
        for where, key in zip((m1, m2, m3), ("pc_m_loss", "pc_m_if1", "pc_m_if0")):
            live.metric(where, key)
        live.chart("pc_fig_curves")


def cross_entropy_formula(p: float, y: int) -> None:
    """The loss written out with this p and y, and the worked examples on the curves."""
    loss = ce_core.binary_cross_entropy([y], [p])
    st.latex(
        rf"\ell = -\left[y\,{ln} p + (1 - y)\,{ln}(1 - p)\right]"
        rf" = -\left[{y}\cdot{ln} {p:.2f} + {1 - y}\cdot{ln} {1 - p:.2f}\right]"
        rf" = \text{{{ui.fmt(loss, unit)}}}"
        + (r"\ \text{(clipped, see below)}" if p in (0.0, 1.0) else "")
    )
    seed = ce_core.binary_cross_entropy([1, 1], [0.9, 0.1], reduction="none")
    st.caption(
        f"The green diamonds are a common worked example, a positive predicted at 0.9 and at 0.1: "
        f"−ln 0.9 = {ui.fmt(float(seed[0]), 'nats', 3)} and −ln 0.1 = "
        f"{ui.fmt(float(seed[1]), 'nats', 3)}. The penalty creeps up while the model is mostly "
        "right and then climbs without bound."
    )


def comparison_section(p: float, y: int, gamma: float, live: ui.scrub.Section) -> None:
    """Cross-entropy beside squared error and focal loss at the same p."""
    st.subheader("Against squared error and focal loss")
    st.markdown(
        "Squared error (y − p)² never charges more than 1, however sure and wrong the model is. "
        "It has no unit: it is not an amount of information, so it is neither nats nor bits, and "
        "only the shapes of the curves compare, not their heights. Focal loss multiplies cross-entropy by (1 − p_t)^γ, which shrinks the loss of samples the "
        "model already gets right so that training spends its effort on the hard ones."
    )
    loss = ce_core.binary_cross_entropy([y], [p])
    se = ce_core.squared_error(p, y)
    focal = ce_core.focal_loss([y], [p], gamma=gamma)
    p_t = float(ce_core.binary_loss_table([y], [p])["p of true label"][0])
    # two formulas, not one line: side by side they ran off a phone's screen
    st.latex(rf"(y - p)^2 = ({y} - {p:.2f})^2 = {se:.4f}\ \text{{(no unit)}}")
    st.latex(rf"-(1 - p_t)^{{\gamma}} {ln} p_t = -(1 - {p_t:.2f})^{{{gamma:g}}}\,{ln} "
             rf"{p_t:.2f} = \text{{{ui.fmt(focal, unit)}}}")
    c1, c2, c3 = st.columns(3)
    for where, key in zip((c1, c2, c3), ("pc_m_ce", "pc_m_se", "pc_m_focal")):
        live.metric(where, key)
    live.chart("pc_fig_compare")


CE_GRADIENT = {  # ∂ℓ_CE/∂z in the loss's unit: −log₂ p = −ln p / ln 2
    "nats": ("p - y", "{p:.2f} - {y}"),
    "bits": (r"\frac{p - y}{\ln 2}", r"\frac{{{p:.2f} - {y}}}{{\ln 2}}"),
}


def gradient_section(p: float, y: int, live: ui.scrub.Section) -> None:
    """The gradient each loss sends back to the logit, cross-entropy's in the chosen unit."""
    st.subheader("Why cross-entropy trains better than squared error")
    st.markdown(
        "What moves a model is the gradient, not the loss. With a sigmoid output p = σ(z), the "
        "gradient of cross-entropy in nats with respect to the logit z is just **p − y**: the "
        "further off, the harder the push (in bits, where −log₂ p = −ln p / ln 2, it is "
        "**(p − y) / ln 2**). Squared error picks up the sigmoid's slope p(1 − p) as an extra "
        "factor, and that slope is nearly 0 when p is near 0 or 1. So exactly when the model is "
        "confidently wrong, squared error barely tells it to change. (We keep the factor 2 from "
        "differentiating (y − p)²; halving the loss would remove it.) Squared error has no unit, "
        "and neither has its gradient."
    )
    grad_ce = ce_core.to_unit(ce_core.logit_gradient_cross_entropy(p, y), unit)
    grad_se = ce_core.logit_gradient_squared_error(p, y)
    formula, numbers = CE_GRADIENT[unit]
    st.latex(
        rf"\frac{{\partial \ell_{{CE}}}}{{\partial z}} = {formula} = "
        + numbers.format(p=p, y=y)
        + rf" = {grad_ce:+.4f}\ \text{{{unit} per unit of logit}}"
    )
    st.latex(
        rf"\frac{{\partial \ell_{{SE}}}}{{\partial z}} = 2(p - y)\,p(1 - p) = "
        rf"2({p:.2f} - {y})\cdot{p:.2f}\cdot{1 - p:.2f} = {grad_se:+.4f}\ \text{{(no unit)}}"
    )
    d1, d2 = st.columns(2)
    live.metric(d1, "pc_m_gce", help=f"{unit} per unit of logit")
    live.metric(d2, "pc_m_gse", help="No unit: squared error has none, so neither has its gradient.")
    live.chart("pc_fig_grad")
    st.caption("Each legend entry names its curve's unit: cross-entropy's gradient is in "
               f"{unit} per unit of logit, squared error's has no unit.")
    st.page_link("pages/6_Live_training.py",   # st.page_link takes no #anchor in 1.67
                 label="Both losses over a model's two parameters, in 3-D: Live training, "
                       "at the end of 'Gradient descent by hand'",
                 icon=":material/landscape:")


def clipping_section(p: float, y: int) -> None:
    """What p = 0 or 1 does: the exact loss is infinite, log_loss clips."""
    st.subheader("What p = 0 or p = 1 does")
    exact = ce_core.binary_cross_entropy([y], [p], clip=False)
    worst = ce_core.binary_cross_entropy([1], [0.0])
    st.markdown(
        "If the model gives the true class probability exactly 0, the loss is −ln 0 = ∞, and a "
        "single such sample makes the mean infinite too. scikit-learn's `log_loss` avoids this by "
        "clipping every probability into [ε, 1 − ε] with ε the float64 machine epsilon, so the worst "
        "a sample can cost is −ln ε. This app's losses clip the same way. Try the "
        "*p = 0* button above with y = 1."
    )
    mantissa, exponent = f"{EPS:.3e}".split("e")
    st.latex(rf"\varepsilon = 2^{{-52}} \approx {mantissa} \times 10^{{{int(exponent)}}}, \qquad -\ln \varepsilon = "
             rf"\text{{{ui.fmt(worst, 'nats', 2)}}} = \text{{{ui.fmt(worst, 'bits', 2)}}}")
    e1, e2, e3 = st.columns(3)
    e1.metric("Exact loss at your p", ui.fmt(exact, unit))
    e2.metric("Clipped like log_loss", ui.fmt(ce_core.binary_cross_entropy([y], [p]), unit))
    e3.metric("Worst clipped loss −log ε", ui.fmt(worst, unit))


@st.fragment
def explorer() -> None:
    """Everything p, y and γ move: all four sections read them, so one fragment. Moving a
    control reruns this part only, not the sidebar, the worked examples, the quick check or
    the code below."""
    controls, chart = st.columns([1, 2], gap="large")   # on a projector both fit one screen
    with controls:
        p, y, gamma = penalty_controls()
    live = ui.scrub.Section("pc", functools.partial(penalty_view, y), {"pc_p": p, "pc_g": gamma},
                            {"pc_p": P_STEPS, "pc_g": GAMMA_STEPS}, context=(unit, y))
    cross_entropy_stage(live, chart)
    cross_entropy_formula(p, y)
    comparison_section(p, y, gamma, live)
    gradient_section(p, y, live)
    live.follow()
    clipping_section(p, y)


st.title("Penalty curves: why −ln p punishes confident mistakes")
st.markdown(
    "For a yes/no prediction, cross-entropy charges the model **−ln of the probability it gave "
    "to what actually happened**. Near-certain and right costs almost nothing; near-certain and "
    "wrong costs without limit, because −ln p grows to infinity as p falls to 0. Move p and "
    "watch both curves; the true label only decides which curve the model pays on."
)

explorer()

def example_tab(name: str, note: str, table: dict, mean: float, p_col: str) -> None:
    """One worked example: its samples, each one's loss, and the mean written out."""
    st.caption(note)
    columns = {k: v for k, v in table.items() if k != "loss"}
    st.dataframe({
        "sample": list(range(len(table["loss"]))),
        **columns,
        f"loss ({unit})": ce_core.to_unit(table["loss"], unit),
    }, hide_index=True, column_config={f"loss ({unit})": st.column_config.NumberColumn(
        format="%.4f")})
    terms = " ".join(rf"- {ln} {v:g}" for v in table[p_col])
    st.latex(rf"\bar\ell = \frac{{1}}{{{len(table['loss'])}}}\left({terms}\right) = "
             rf"\text{{{ui.fmt(mean, unit)}}}")
    st.metric(f"Mean loss, {name}", ui.fmt(mean, unit))


st.subheader("Worked examples, sample by sample")
binary_y, binary_p = [1, 0, 1, 1, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.9]
onehot = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]
probs = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.3, 0.5], [0.8, 0.1, 0.1], [0.2, 0.7, 0.1]]
sk_y, sk_p = [0, 1], [[0.9, 0.1], [0.5, 0.5]]
examples = {
    "Six binary predictions": (ce_core.binary_loss_table(binary_y, binary_p),
                               ce_core.binary_cross_entropy(binary_y, binary_p),
                               "p of true label"),
    "Five samples, three classes": (ce_core.categorical_loss_table(onehot, probs),
                                    ce_core.categorical_cross_entropy(onehot, probs),
                                    "p of true class"),
    "scikit-learn's log_loss example": (ce_core.categorical_loss_table(sk_y, sk_p),
                                        ce_core.categorical_cross_entropy(sk_y, sk_p),
                                        "p of true class"),
}
notes = {
    "Six binary predictions": "A common worked example: y = [1, 0, 1, 1, 0, 1], "
        "p = [0.9, 0.1, 0.8, 0.7, 0.2, 0.9]. A negative (y = 0) pays −ln(1 − p).",
    "Five samples, three classes": "A common worked example: one-hot labels and a softmax output "
        "per row. Only the probability of the true class enters the loss.",
    "scikit-learn's log_loss example": "y = [0, 1], p = [[0.9, 0.1], [0.5, 0.5]], the example "
        "in scikit-learn's documentation.",
}
for tab, (name, (table, mean, p_col)) in zip(st.tabs(list(examples)), examples.items()):
    with tab:
        example_tab(name, notes[name], table, mean, p_col)

ui.quick_check(
    "pc_qc", "The model says 0.1 for the class that turns out to be true. What is the loss?",
    ce_core.binary_cross_entropy([1], [0.1]), unit,
    f"−log 0.1 = {ui.fmt(ce_core.binary_cross_entropy([1], [0.1]), unit, 3)}, against "
    f"{ui.fmt(ce_core.binary_cross_entropy([1], [0.9]), unit, 3)} had it said 0.9: confident "
    "mistakes cost far more than confident successes earn.",
)

ui.show_code(ce_core.binary_cross_entropy, ce_core.squared_error, ce_core.logit_gradient_squared_error,
             ce_core.binary_loss_table)

ui.lesson_nav(__file__)
