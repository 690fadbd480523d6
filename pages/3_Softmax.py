"""Softmax: logits to probabilities, temperature, the loss and its gradient, stable arithmetic."""

import functools

import streamlit as st

import ce_core
import ui
import ui.scrub
from charts.softmax import (probability_bar_grid, softmax_gradient_bars,
                            softmax_probability_bars, softmax_temperature_lines)
from charts.style import Chart
from ui.scrub import View

unit = ui.page_setup(__file__)
log = r"\ln" if unit == "nats" else r"\log_2"

MAX_CLASSES = 10
DEFAULT_LOGITS = (2.0, 1.0, 0.1, -1.0, 0.5, -0.5, 1.5, -2.0, 0.0, -1.5)
LOGIT_STEPS = ui.scrub.steps(-10.0, 10.0, 0.1)
TEMPERATURE_STEPS = ui.scrub.steps(0.1, 10.0, 0.1)


def preset(logits: tuple[float, ...], true_class: int) -> dict:
    """The widget values of a preset: every logit, the true class, and T = 1."""
    return {**{f"s_z{i}": z for i, z in enumerate(logits)}, "s_y": true_class, "s_t": 1.0}


PRESETS = {
    "Equal scores": preset((0.0,) * MAX_CLASSES, 0),
    "Confident and right": preset((6.0, 1.0, 0.0) + (0.0,) * 7, 0),
    "Confident and wrong": preset((6.0, 1.0, 0.0) + (0.0,) * 7, 2),
}


def logit_controls() -> tuple[list[float], float, int]:
    """Number of classes, temperature, one slider per logit, and the true class."""
    k = st.slider("Number of classes K", 3, MAX_CLASSES, 3, key="s_k", bind="query-params")
    temperature = st.slider("Temperature T", 0.1, 10.0, 1.0, step=0.1, key="s_t",
                            bind="query-params",
                            help="The logits are divided by T before the softmax.")
    logits = [
        st.slider(f"Logit z{i} (class {i})", -10.0, 10.0, DEFAULT_LOGITS[i], step=0.1,
                  key=f"s_z{i}", bind="query-params")
        for i in range(k)
    ]
    if st.session_state.get("s_y", 0) >= k:  # the true class vanished with K
        st.session_state["s_y"] = 0
    # plain integers as options, so the URL reads s_y=2 (the formatted label is what is stored)
    true_class = st.radio("True class y", list(range(k)), key="s_y", horizontal=True,
                          bind="query-params")
    ui.widgets.preset_buttons(PRESETS, "s_preset")
    return logits, temperature, true_class


def over_t(numerator: str, temperature: float) -> str:
    """``numerator/T`` for LaTeX, or the numerator alone at T = 1 (e^{z}, not e^{z/1})."""
    return numerator if temperature == 1 else f"{numerator}/{temperature:g}"


def probability_metrics(probabilities, loss: float, true_class: int) -> dict:
    return {"s_m_loss": ("Loss −log p(true class)", ui.fmt(loss, unit)),
            "s_m_p": ("p(true class)", f"{float(probabilities[true_class]):.4f}")}


def probability_view(true_class: int, values: dict) -> View:
    """What the logits and T move: the probability bars, the loss and p(true class)."""
    logits = [values[f"s_z{i}"] for i in range(len(values) - 1)]
    step = ce_core.softmax_step(logits, true_class, temperature=values["s_t"])
    return View(charts={"s_fig_probs": softmax_probability_bars(step.probabilities, true_class)},
                metrics=probability_metrics(step.probabilities, step.loss, true_class))


def probability_views(true_class: int, key: str, grid: list, values: dict) -> list[View]:
    """:func:`probability_view` at every step of one slider, from one ce_core call (201
    softmax_step calls cost a third of a second)."""
    logits = [values[f"s_z{i}"] for i in range(len(values) - 1)]
    if key == "s_t":
        probs, losses = ce_core.softmax_steps([logits] * len(grid), true_class, temperature=grid)
    else:
        i = int(key.removeprefix("s_z"))
        probs, losses = ce_core.softmax_steps([[*logits[:i], z, *logits[i + 1:]] for z in grid],
                                              true_class, temperature=values["s_t"])
    bars = probability_bar_grid(probs, true_class)
    return [View(charts={"s_fig_probs": Chart({}, {"bars": rows})},
                 metrics=probability_metrics(p, float(loss), true_class))
            for rows, p, loss in zip(bars, probs, losses)]


def probability_panel(logits: list[float], temperature: float, true_class: int, step,
                      live: ui.scrub.Section) -> None:
    """Softmax written out for the true class, its loss, and every class's probability."""
    p_true = float(step.probabilities[true_class])
    sym = "" if temperature == 1 else "/T"
    terms = " + ".join(rf"e^{{{over_t(f'{z:g}', temperature)}}}" for z in logits)
    st.latex(
        rf"p_{{{true_class}}} = \frac{{e^{{z_{{{true_class}}}{sym}}}}}{{\sum_j e^{{z_j{sym}}}}}"
        rf" = \frac{{e^{{{over_t(f'{logits[true_class]:g}', temperature)}}}}}{{{terms}}}"
        rf" = {p_true:.4f}"
    )
    st.latex(rf"\ell = -{log} p_{{{true_class}}} = -{log} {p_true:.4f} = "
             rf"\text{{{ui.fmt(step.loss, unit)}}}")
    m1, m2 = st.columns(2)
    live.metric(m1, "s_m_loss")
    live.metric(m2, "s_m_p")
    live.chart("s_fig_probs")
    live.follow()


GRADIENT_TEXT = {
    "nats": "In nats, the gradient of the loss with respect to each logit is the predicted "
            "probability minus the target: **p − onehot(y)** (divided by T when a temperature "
            "is used).",
    "bits": "In bits the loss is −log₂ p = −ln p / ln 2, so its gradient with respect to each "
            "logit is the predicted probability minus the target, divided by ln 2: "
            "**(p − onehot(y)) / ln 2** (and by T when a temperature is used). The more familiar "
            "p − onehot(y) is the gradient of the loss in nats, the unit PyTorch uses.",
}


def gradient_latex(gradient, true_class: int, temperature: float) -> str:
    """∂ℓ/∂z_k in the chosen unit: (p_k − [k = y]) over T, and over ln 2 in bits."""
    scale = [] if temperature == 1 else ["T"]
    scale += [r"\ln 2"] if unit == "bits" else []
    top = rf"p_k - [k = {true_class}]"
    formula = rf"\frac{{{top}}}{{{' '.join(scale)}}}" if scale else top
    terms = ", ".join(f"{g:+.3f}" for g in gradient)
    # three lines: on one, the numbers ran off a phone's screen
    return (rf"\begin{{gathered}} \frac{{\partial \ell}}{{\partial z_k}} = {formula} \\"
            rf" \nabla_z \ell = ({terms}) \\ \text{{in {unit} per unit of logit}} \end{{gathered}}")


def gradient_section(step, true_class: int, temperature: float) -> None:
    """The gradient of the loss in the chosen unit: which logits go up, which go down."""
    st.subheader("Which logits go up, which go down")
    gradient = ce_core.to_unit(step.gradient, unit)   # the loss's unit: ÷ ln 2 in bits
    st.markdown(
        GRADIENT_TEXT[unit] + " Gradient descent moves every logit *against* its gradient. The "
        "true class has a negative gradient, so its logit is **raised**; every other class has "
        "a positive gradient, in proportion to its own probability, so its logit is "
        "**lowered**. The bars always add up to 0."
    )
    st.latex(gradient_latex(gradient, true_class, temperature))
    st.metric(f"∂loss/∂z{true_class} (true class)", f"{float(gradient[true_class]):+.4f}",
              help=f"In {unit} per unit of logit. Negative: gradient descent raises this logit.")
    ui.chart(softmax_gradient_bars(gradient, true_class, unit=unit), "s_fig_grad")


def temperature_expander(logits: list[float], temperature: float) -> None:
    with st.expander("How temperature reshapes the same logits", icon=":material/thermostat:"):
        ui.chart(softmax_temperature_lines(logits, temperature=temperature), "s_fig_temp")
        st.caption("Small T hands almost all the probability to the largest logit; large T pushes "
                   f"every class towards 1/K = 1/{len(logits)}.")


def softmax_table(title: str, columns: dict[str, str], table: dict, true_class: int) -> None:
    """One way of computing softmax, term by term: ``columns`` maps a heading to the
    ``softmax_side_by_side`` entry it shows; the last one is p."""
    st.markdown(title)
    formats = {"logit": "{:g}", "shifted logit": "{:g}", "naive exp": "{:.4g}",
               "stable exp": "{:.4g}", "naive p": "{:.4f}", "stable p": "{:.4f}"}
    st.dataframe({"class": [f"class {i}" for i in range(len(table["logit"]))],
                  **{heading: [formats[entry].format(v) for v in table[entry]]
                     for heading, entry in columns.items()}}, hide_index=True)
    p_entry = list(columns.values())[-1]
    name = "Naive" if p_entry == "naive p" else "Stable"
    st.metric(f"{name} p(class {true_class})", f"{float(table[p_entry][true_class]):.4f}")


def overflow_section(logits: list[float], temperature: float, true_class: int) -> None:
    """The naive softmax against max-subtraction, with a shift that makes the naive one
    overflow; then the same numbers in log form, log-softmax = z − logsumexp(z)."""
    st.subheader("Stable arithmetic: subtract the largest logit, and stay in logs")
    st.markdown(
        "Adding the same number to every logit leaves softmax unchanged, because the common factor "
        "cancels between top and bottom. A computer, though, cannot store e^z beyond about "
        "e^709.78 ≈ 1.8 × 10³⁰⁸: past that it becomes infinity, and infinity divided by infinity is "
        "*not a number* (nan). **Max-subtraction** subtracts the largest logit m first, so the "
        "biggest exponent is e⁰ = 1 and nothing overflows. Push the shift past about 700 to watch "
        "the naive version break."
    )
    shift = st.slider("Add this to every logit", 0, 1000, 0, step=10, key="s_c",
                      bind="query-params")
    table = ce_core.softmax_side_by_side(logits, temperature=temperature, shift=shift)
    naive, stable = st.columns(2)
    with naive:
        softmax_table(r"**Naive:** $e^{z_i/T} / \sum_j e^{z_j/T}$",
                      {"z": "logit", "exp(z/T)": "naive exp", "p": "naive p"}, table, true_class)
    with stable:
        softmax_table(r"**Max-subtraction:** $e^{(z_i - m)/T} / \sum_j e^{(z_j - m)/T}$, "
                      r"$m = \max_j z_j$",
                      {"z − m": "shifted logit", "exp((z−m)/T)": "stable exp", "p": "stable p"},
                      table, true_class)
    if table["naive broke"].any():
        st.error("The naive softmax overflowed: at least one e^(z/T) is infinite, and the "
                 "division produced nan. The stable column is unchanged by the shift.",
                 icon=":material/error:")
    st.button("Try a shift of 1000", key="s_try_1000",
              on_click=lambda: st.session_state.update(s_c=1000))
    log_softmax_part(table, temperature, true_class)


def log_softmax_part(table: dict, temperature: float, true_class: int) -> None:
    """The log form: ln p = z/T − logsumexp(z/T), the loss without forming p."""
    x = over_t("z", temperature)
    x_y = over_t(f"z_{{{true_class}}}", temperature)
    st.markdown(
        "A loss needs ln p, not p, and the log of a softmax has a form of its own: "
        rf"**log-softmax** $\ln p_i = {over_t('z_i', temperature)} - \operatorname{{logsumexp}}"
        rf"({x})$, where $\operatorname{{logsumexp}}(x) = \ln \sum_j e^{{x_j}} = "
        r"m + \ln \sum_j e^{x_j - m}$ uses the same max-subtraction. No probability is formed, "
        "so none can underflow to 0 on the way to its log."
    )
    y = true_class
    st.dataframe({"class": [f"class {i}" for i in range(len(table["logit"]))],
                  x: [f"{v:g}" for v in table["scaled logit"]],
                  f"ln p = {x} − logsumexp({x})": [f"{v:.4f}" for v in table["log p"]]},
                 hide_index=True)
    lse = float(table["log-sum-exp"])
    st.latex(rf"\ln p_{{{y}}} = {x_y} - \operatorname{{logsumexp}}({x}) = "
             rf"{float(table['scaled logit'][y]):g} - {lse:.4f} = {float(table['log p'][y]):.4f}"
             r" \text{ nats}")
    st.metric(f"logsumexp({x})", f"{lse:.4f}",
              help="Grows with the shift, as every logit does; their difference, ln p, does not.")


@st.fragment
def explorer() -> None:
    """Everything the logits, T, y and the shift move. One fragment, not two: the overflow
    section reads the same logits, T and y, and a fragment's rerun does not rerun another
    fragment. Moving a control reruns this part only, not the sidebar or the sections below."""
    col_controls, col_chart = st.columns([1, 2], gap="large")
    with col_controls:
        logits, temperature, true_class = logit_controls()
    step = ce_core.softmax_step(logits, true_class, temperature=temperature)
    values = {**{f"s_z{i}": z for i, z in enumerate(logits)}, "s_t": temperature}
    grids = {**dict.fromkeys(list(values)[:-1], LOGIT_STEPS), "s_t": TEMPERATURE_STEPS}
    live = ui.scrub.Section("s_p", functools.partial(probability_view, true_class), values, grids,
                            views=functools.partial(probability_views, true_class),
                            context=(unit, true_class))
    with col_chart:
        probability_panel(logits, temperature, true_class, step, live)
    gradient_section(step, true_class, temperature)
    temperature_expander(logits, temperature)
    overflow_section(logits, temperature, true_class)


st.title("Softmax: from scores to probabilities")
st.markdown(
    "A classifier's last layer produces one raw score per class, a **logit**, which can be any "
    "real number. Softmax exponentiates each score and divides by the total, so the results are "
    "positive and add up to 1. Dividing the logits by a **temperature** first sharpens the "
    "distribution (T < 1) or flattens it (T > 1). Cross-entropy then looks only at the "
    "probability of the true class."
)

explorer()


def why_logits_section() -> None:
    """Why a loss takes logits: softmax, then log, loses what log-softmax keeps."""
    st.subheader("Why F.cross_entropy takes logits")
    z, y = [0.0, -800.0], 1
    p = ce_core.softmax(z)
    from_p = ce_core.categorical_cross_entropy([y], [p], clip=False)
    from_z = ce_core.softmax_cross_entropy([y], [z])
    st.markdown(
        "PyTorch's `F.cross_entropy(z, y)` takes the logits z and computes $-\\ln p_y$ as "
        "$\\operatorname{logsumexp}(z) - z_y$, the log-softmax above, in one step. Taking the "
        "softmax first and the log afterwards throws small probabilities away. For logits "
        "[0, −800] with class 1 true, $p_1 = e^{-800} / (1 + e^{-800})$ is far below the "
        "smallest number a float64 can hold, so the softmax stores exactly 0, and −ln 0 is "
        "infinite. From the logits the loss is $\\operatorname{logsumexp}(z) - z_1$, a finite "
        "number: the right answer."
    )
    a, b, c = st.columns(3)
    a.metric("softmax([0, −800]), class 1", f"{float(p[y]):g}",
             help="e⁻⁸⁰⁰ underflows: the probability is stored as exactly 0.")
    b.metric("−ln of that 0", ui.fmt(from_p, "nats"), help="The loss from probabilities.")
    c.metric("F.cross_entropy([0, −800], 1)", ui.fmt(from_z, "nats"),
             help="logsumexp(z) − z₁ from the logits: finite and exact.")
    st.code(
        "import torch, torch.nn.functional as F\n"
        "z = torch.tensor([[0.0, -800.0]]); y = torch.tensor([1])\n"
        f"-torch.softmax(z, 1).log()[0, 1]   # tensor({from_p:.0f}): p underflowed to 0\n"
        f"F.cross_entropy(z, y)              # tensor({from_z:.0f}.): from the logits",
        language="python",
    )


why_logits_section()

st.subheader("What PyTorch's F.cross_entropy really prints for [0.7, 0.2, 0.1]")
seed_p = [0.7, 0.2, 0.1]
from_logits = ce_core.softmax_cross_entropy([0], [ce_core.logits_from_probabilities(seed_p)])
from_probs_as_logits = ce_core.softmax_cross_entropy([0], [seed_p])
st.markdown(
    "You may read a worked example that takes a softmax output of [0.7, 0.2, 0.1] with class 0 "
    "true, computes −log₂ 0.7 = 0.515 and presents `tensor(0.51457)` as the output of "
    "`F.cross_entropy(acts, targ)`. Two things are off. PyTorch uses the natural log, so the "
    "same loss comes out as −ln 0.7 = **0.357 nats**; 0.515 is that loss in **bits**. And "
    "`F.cross_entropy` applies softmax itself, so it expects **logits**: handing it the "
    "probabilities [0.7, 0.2, 0.1] softmaxes them a second time and gives a third number."
)
a, b, c = st.columns(3)
a.metric("That number: −log₂ 0.7", ui.fmt(from_logits, "bits"))
b.metric("F.cross_entropy(ln p, 0)", ui.fmt(from_logits, "nats"),
         help="Logits ln [0.7, 0.2, 0.1] have softmax [0.7, 0.2, 0.1]; PyTorch reports nats.")
c.metric("F.cross_entropy([0.7, 0.2, 0.1], 0)", ui.fmt(from_probs_as_logits, "nats"),
         help="The probabilities treated as logits: softmax gives [0.46, 0.28, 0.25].")
st.latex(rf"-\ln\frac{{e^{{0.7}}}}{{e^{{0.7}} + e^{{0.2}} + e^{{0.1}}}} = "
         rf"\text{{{ui.fmt(from_probs_as_logits, 'nats')}}} \neq -\ln 0.7 = "
         rf"\text{{{ui.fmt(from_logits, 'nats')}}} = \text{{{ui.fmt(from_logits, 'bits')}}}")
st.code(
    "import torch, torch.nn.functional as F\n"
    "p = torch.tensor([[0.7, 0.2, 0.1]]); y = torch.tensor([0])\n"
    f"F.cross_entropy(p.log(), y)   # tensor({from_logits:.4f})  nats, from logits\n"
    f"F.cross_entropy(p, y)         # tensor({from_probs_as_logits:.4f})  probabilities misused as logits",
    language="python",
)
st.caption("These three are fixed in the unit each library reports; the rest of the page follows "
           f"your choice ({unit}).")

ui.quick_check(
    "s_qc", "Three classes, and every logit is 5. What is the loss for the true class?",
    ce_core.softmax_cross_entropy(0, [5.0, 5.0, 5.0]), unit,
    "Equal logits give every class probability 1/3, whatever the common value, so the loss "
    f"is −log(1/3) = log 3 = {ui.fmt(ce_core.softmax_cross_entropy(0, [5.0, 5.0, 5.0]), unit, 3)}.",
)

ui.show_code(ce_core.softmax, ce_core.softmax_step, ce_core.naive_softmax,
             ce_core.logsumexp, ce_core.log_softmax, ce_core.softmax_side_by_side)

ui.lesson_nav(__file__)
