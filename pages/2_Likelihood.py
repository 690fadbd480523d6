"""Likelihood: the mean cross-entropy of a model on data is its negative log-likelihood per
sample, so minimising cross-entropy is maximum-likelihood estimation.

URL keys (public, keep stable): l_src = where the flips come from (Type / Draw),
l_flips = typed flips, l_n, l_coin, l_seed = how many flips are drawn, from what coin, which
draw; l_q = the model's P(heads); l_m, l_gap, l_dseed = the labelled points; l_w, l_b = the
logistic model.
"""

import streamlit as st

import ce_core
import ui
from charts.likelihood import coin_panels, logistic_fit, running_likelihood

unit = ui.page_setup(__file__)
LOG = {"nats": r"\ln", "bits": r"\log_2"}
SOURCES = ("Type", "Draw")
FLIP_COUNTS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
W_RANGE, B_RANGE = (-6.0, 6.0), (-4.0, 4.0)

PRESETS = {
    "7 heads in 10 flips": {"l_src": "Type", "l_flips": "HHTHTHHHTH", "l_q": 0.5},
    "2,000 flips of a fair coin": {"l_src": "Draw", "l_n": 2000, "l_coin": 0.5, "l_seed": 0,
                                   "l_q": 0.5},
    "3 heads in 3 flips": {"l_src": "Type", "l_flips": "HHH", "l_q": 0.5},
}


# ----------------------------------------------------------------------------- the coin

def flips_ui():
    """Presets, then typed or drawn flips in three columns (all under the charts on one
    projector screen); returns the flips, or None after a message."""
    ui.widgets.preset_buttons(PRESETS, "l_preset")
    typing, drawing, numbering = st.columns(3)
    source = typing.radio("Your flips", SOURCES, key="l_src", horizontal=True, bind="query-params",
                      help="Type a short sequence yourself, or let the computer flip a coin "
                           "many times.")
    typed = typing.text_input("Flips: H for heads, T for tails", "HHTHTHHHTH", key="l_flips",
                          bind="query-params", disabled=source != "Type", max_chars=20_000)
    n = drawing.select_slider("Number of flips to draw", FLIP_COUNTS, 100, key="l_n",
                         bind="query-params", disabled=source != "Draw")
    coin = drawing.slider("The real coin's chance of heads", 0.05, 0.95, 0.5, step=0.05,
                     key="l_coin", bind="query-params", disabled=source != "Draw")
    seed = numbering.number_input("Draw number (change it for new flips)", 0, 9999, 0, key="l_seed",
                           bind="query-params", disabled=source != "Draw")
    try:
        if source == "Draw":
            return ce_core.draw_flips(n, heads=coin, seed=int(seed))
        return ce_core.read_flips(typed)
    except ce_core.InputError as err:
        st.warning(ui.plain(err), icon=":material/edit:")
        return None


def likelihood_text(value: float) -> str:
    """The float64 product as a student reads it: 0.0 when it underflowed."""
    return "0.0" if value == 0.0 else f"{value:.4g}"


def log_text(nats: float) -> str:
    """A log-likelihood in the chosen unit: −∞ keeps its sign."""
    return f"−∞ {unit}" if nats == -float("inf") else ui.fmt(nats, unit)


def coin_metrics(fit: ce_core.CoinFit) -> None:
    m = st.columns(3)
    m[0].metric("Likelihood Π qᵢ", likelihood_text(fit.likelihood),
                border=True, help="The probability your model gives these flips, in this "
                "order: the product of its probability for each flip, as float64 computes it.")
    m[1].metric("Log-likelihood Σ log qᵢ", log_text(fit.log_likelihood), border=True,
                help="The same product taken through the log: a sum, one term a flip.")
    m[2].metric("Mean cross-entropy per flip", ui.fmt(fit.cross_entropy, unit), border=True,
                help="Minus the log-likelihood divided by the number of flips: the average "
                "loss.")
    b = st.columns(2)
    b[0].metric("Best q: the share of heads k/n", f"{fit.heads}/{fit.n} = {fit.best_q:.4g}",
                border=True, help="The maximum-likelihood estimate.")
    b[1].metric("Least cross-entropy (at q = k/n)", ui.fmt(fit.best_cross_entropy, unit),
                border=True, help="The entropy of the shares of heads and tails in your flips.")


def true_size(log_likelihood: float) -> str:
    """A likelihood from its log, as a power of ten, for LaTeX."""
    mantissa, exponent = ce_core.power_of_ten(log_likelihood)
    return rf"{mantissa:.3f}\times 10^{{{exponent}}}"


def coin_latex(fit: ce_core.CoinFit) -> str:
    """The likelihood, its log and the cross-entropy with this q, k and n plugged in, one
    short step a line (a phone shows about 40 characters of a formula)."""
    k, n, q, log = fit.heads, fit.n, fit.q, LOG[unit]
    ruled_out = fit.log_likelihood == -float("inf")    # q gave a flip that came up 0
    if fit.likelihood > 0 or ruled_out:
        product = "0" if ruled_out else rf"{fit.likelihood:.4g}"
    else:
        product = rf"0.0 \text{{ in float64}} \\ &\approx {true_size(fit.log_likelihood)}"
    ll = (rf"-\infty\ \text{{{unit}}}" if ruled_out
          else rf"\text{{{ui.fmt(fit.log_likelihood, unit)}}}")
    return (
        r"\begin{aligned} L(q) &= \prod_{i=1}^{n} q_i = q^{k}(1-q)^{n-k} \\"
        rf" &= {q:.2f}^{{{k}}}\cdot{1 - q:.2f}^{{{n - k}}} \\ &= {product} \\"
        rf" {log} L(q) &= k\,{log} q \\ &\quad + (n-k)\,{log}(1-q) \\ &= {ll} \\"
        rf" -\tfrac{{1}}{{n}}\,{log} L(q) &= H(\hat P, Q) \\"
        rf" &= \text{{{ui.fmt(fit.cross_entropy, unit)} per flip}} \end{{aligned}}"
    )


def coin_charts(flips, fit: ce_core.CoinFit) -> None:
    """The three panels against q, side by side, and what they show in words."""
    panels = coin_panels(flips, fit.q, unit=unit)
    for column, (which, chart) in zip(st.columns(3), panels.items()):
        with column:
            ui.chart(chart, f"l_chart_{which}")
    st.caption(
        f"Three views of one model against your {fit.n:,} flips, for every q from 0 to 1. "
        f"Left: the likelihood, highest at q = k/n = {fit.best_q:.4g} (the green star). "
        "Middle: its log, highest at the same q. Right: the mean cross-entropy, minus the log "
        f"divided by n, lowest there, at {ui.fmt(fit.best_cross_entropy, unit)}. The red ring "
        f"is your q = {fit.q:.2f}."
    )


def underflow_section(flips, fit: ce_core.CoinFit) -> None:
    """The product of many probabilities reaches 0.0 in float64; the sum of their logs does not."""
    st.subheader("Why the computer adds logs instead of multiplying")
    run = ce_core.running_product(flips, fit.q)
    smallest = ui.fmt(ce_core.LOG_FLOAT64_SMALLEST, unit, 2)
    mantissa, exponent = ce_core.power_of_ten(ce_core.LOG_FLOAT64_SMALLEST)
    st.markdown(
        "Every flip multiplies the likelihood by a probability below 1, so it shrinks "
        "geometrically: a fair coin halves it at each flip. A float64 number cannot be smaller "
        f"than $2^{{-1074}} \\approx {mantissa:.2f} \\times 10^{{{exponent}}}$ (its log is "
        f"{smallest}); anything smaller "
        "is rounded to 0.0, and once the product is 0.0 every later flip keeps it there. Then "
        "every model scores 0.0 and the best one can no longer be found. The log turns the "
        "product into a sum, log Π qᵢ = Σ log qᵢ, whose terms are small numbers such as "
        f"{ui.fmt(ce_core.coin_likelihood([1], 0.5).log_likelihood, unit, 3)} a fair flip, "
        "so the sum stays an ordinary number however many flips there are. That is why "
        "libraries compute the cross-entropy, never the likelihood itself."
    )
    m = st.columns(3)
    m[0].metric(f"Product after all {fit.n:,} flips", likelihood_text(fit.likelihood),
                border=True)
    m[1].metric(f"Sum of logs after {fit.n:,} flips", log_text(fit.log_likelihood), border=True)
    m[2].metric("The product became 0.0 at flip",
                f"{run.first_zero:,}" if run.first_zero else "never", border=True,
                help="Counted from the first flip, multiplying in the order of your flips.")
    ui.chart(running_likelihood(flips, fit.q, unit=unit), "l_chart_running")
    if fit.log_likelihood == -float("inf"):
        st.caption(
            f"Your q gives flip {run.first_zero:,} probability 0, so from there the product is "
            "exactly 0 and the sum of logs is −∞: logs rescue a likelihood that is tiny, not one "
            "that is zero. Move q off 0 and 1."
        )
    elif run.first_zero:
        st.caption(
            f"The blue line adds logs and goes on to {log_text(fit.log_likelihood)}. The dashed "
            f"orange line is the log of the float64 product: it follows the blue one until it "
            f"crosses the red line at {smallest}, the log of the smallest float64, and stops at "
            f"flip {run.first_zero:,}, where the product is 0.0."
        )
    else:
        st.caption(
            f"The blue line adds logs; the dashed orange line, the log of the float64 "
            f"product, lies on it. With {fit.n:,} flips the product stays above the red line, "
            f"the log of the smallest float64 ({smallest}). Press **2,000 flips of a fair "
            "coin** to see it fall to 0.0."
        )


@st.fragment
def coin_explorer() -> None:
    """Everything the flips and q move. A fragment: a move reruns this part only.

    The q slider sits directly above the three charts it moves (on a 720-px projector
    both fit one screen), the flips and the formula beneath them."""
    metrics = st.container()
    q = st.slider("Your model's chance of heads, q", 0.0, 1.0, 0.5, step=0.01, key="l_q",
                  bind="query-params")
    charts = st.container()
    flips = flips_ui()
    if flips is None:
        return
    fit = ce_core.coin_likelihood(flips, q)
    with metrics:
        coin_metrics(fit)
    with charts:
        coin_charts(flips, fit)
    st.latex(coin_latex(fit))
    if fit.log_likelihood == -float("inf"):
        st.warning("Your q says a side that did come up is impossible, so the likelihood "
                   "is 0 and the cross-entropy is infinite. Move q off 0 and 1.",
                   icon=":material/all_inclusive:")
    underflow_section(flips, fit)


# ----------------------------------------------------------------------------- labelled points

def points_ui():
    """The labelled points: how many, how far apart the classes are, which draw."""
    c = st.columns(3)
    m = c[0].slider("Points", 6, 40, 12, step=2, key="l_m", bind="query-params")
    gap = c[1].slider("Distance between the two classes", 0.0, 4.0, 1.0, step=0.5, key="l_gap",
                      bind="query-params", help="How far apart the centres of the 0s and the "
                      "1s are; the points scatter by 1 around them.")
    seed = c[2].number_input("Draw number", 0, 9999, 0, key="l_dseed", bind="query-params")
    return ce_core.make_1d_data(m, separation=gap, seed=int(seed))


def move_to(best: tuple[float, float]) -> None:
    """Set the w and b sliders to the best fit, to the nearest 0.1 inside their ranges."""
    w, b = best
    st.session_state["l_w"] = min(max(round(w, 1), W_RANGE[0]), W_RANGE[1])
    st.session_state["l_b"] = min(max(round(b, 1), B_RANGE[0]), B_RANGE[1])


def model_ui(best: tuple[float, float] | None) -> tuple[float, float]:
    c = st.columns([2, 2, 1.4], vertical_alignment="bottom")
    w = c[0].slider("Slope w", *W_RANGE, 0.5, step=0.1, key="l_w", bind="query-params")
    b = c[1].slider("Offset b", *B_RANGE, 0.0, step=0.1, key="l_b", bind="query-params")
    c[2].button("Move to the best fit", key="l_best", on_click=move_to, args=(best,),
                disabled=best is None, width="stretch",
                help="Sets w and b to the best fit, to the nearest 0.1.")
    return w, b


def best_fit(x, y) -> tuple[tuple[float, float] | None, str]:
    """The maximum-likelihood (w, b), or None and why there is none."""
    try:
        return ce_core.logistic_mle(x, y), ""
    except ce_core.InputError as err:
        return None, str(err)


def logistic_metrics(fit: ce_core.LogisticFit, best: ce_core.LogisticFit | None) -> None:
    m = st.columns(3)
    m[0].metric("Likelihood Π p(yᵢ | xᵢ)", likelihood_text(fit.likelihood),
                border=True, help="The probability your model gives all the labels at once.")
    m[1].metric("Log-likelihood", log_text(fit.log_likelihood), border=True)
    m[2].metric("Mean cross-entropy", ui.fmt(fit.cross_entropy, unit), border=True,
                help="The mean binary cross-entropy, −(1/n) × the log-likelihood.")
    b = st.columns(2)
    b[0].metric("Best fit: w and b", "none" if best is None else
                f"w = {best.w:.3f}, b = {best.b:.3f}", border=True,
                help="The maximum-likelihood model: the least mean cross-entropy.")
    b[1].metric("Least mean cross-entropy", "none" if best is None else
                ui.fmt(best.cross_entropy, unit), border=True)


@st.fragment
def labelled_explorer() -> None:
    """Everything the points and the model's w and b move, as one fragment: the chart
    right under the sliders (one projector screen), its numbers and formula after it."""
    x, y = points_ui()
    mle, why_none = best_fit(x, y)
    w, b = model_ui(mle)
    fit = ce_core.logistic_likelihood(x, y, w, b)
    best = ce_core.logistic_likelihood(x, y, *mle) if mle else None
    if mle is None:
        st.info(why_none, icon=":material/call_split:")
    n, log = len(x), LOG[unit]
    ui.chart(logistic_fit(x, y, w, b, mle, unit=unit), "l_chart_logistic")
    worst = max(range(n), key=lambda i: fit.losses[i])
    st.caption(
        f"{n} points on a line: label 0 at height 0 (blue circles), label 1 at height 1 (orange "
        "squares). The red curve is your model's probability of label 1, the dashed green one "
        "the best fit's. A grey stick joins each point to your curve; its length is 1 minus "
        f"the probability your model gives that point's label. The longest, at x = {x[worst]:.2f}, "
        f"costs {ui.fmt(fit.losses[worst], unit)}."
    )
    logistic_metrics(fit, best)
    st.latex(
        rf"\begin{{aligned}} & -\frac{{1}}{{n}}\,{log} \prod_{{i=1}}^{{n}} p(y_i \mid x_i) \\ &= "
        rf"-\frac{{1}}{{{n}}}\sum_{{i=1}}^{{{n}}} \big[y_i\,{log} p_i \\ &\qquad + (1 - y_i)\,"
        rf"{log}(1 - p_i)\big] \\ &= \text{{{ui.fmt(fit.cross_entropy, unit)}}}, \quad "
        rf"p_i = \sigma({w:.1f}\,x_i {'+' if b >= 0 else '-'} {abs(b):.1f}) \end{{aligned}}"
    )


def labelled_section() -> None:
    st.subheader("A labelled set: logistic regression is maximum likelihood")
    st.markdown(
        "A classifier is scored the same way. Each point has a position x and a label y, 0 or 1; "
        "a logistic model gives it p = σ(w x + b) for label 1 and 1 − p for label 0. The "
        "likelihood is the product of the probabilities it gives the labels that were observed, "
        "and minus its log, divided by the number of points, is exactly the mean binary "
        "cross-entropy. So training a classifier with cross-entropy is maximum-likelihood "
        "estimation. The best w and b have no formula: Newton's method finds them, and they are "
        "what scikit-learn's `LogisticRegression(penalty=None)` returns. Move w and b, and watch "
        "the cross-entropy fall as the likelihood rises."
    )
    labelled_explorer()


st.title("Likelihood: cross-entropy is maximum likelihood")
st.markdown(
    "A model gives every outcome a probability. The **likelihood** of some data is the "
    "probability the model gives the whole data set: the product of its probabilities for each "
    "observation. Its log is a sum, and minus that sum divided by the number of observations is "
    "the **mean cross-entropy**, the loss of the previous page. So the model with the smallest "
    "cross-entropy is the one that makes your data most likely: minimising cross-entropy is "
    "**maximum-likelihood estimation**. Start with a coin whose model says heads with "
    "probability q."
)

coin_explorer()
labelled_section()

SEVEN_HEADS = ce_core.read_flips("HHTHTHHHTH")
ui.quick_check(
    "l_qc", "A coin lands heads 7 times in 10 flips, and the model uses the best q for these "
    "flips. What is its mean cross-entropy per flip?",
    ce_core.coin_likelihood(SEVEN_HEADS, 0.7).cross_entropy, unit,
    f"The best q is the share of heads, 7/10 = 0.7, and the cross-entropy there is the entropy "
    f"of (0.7, 0.3): {ui.fmt(ce_core.coin_likelihood(SEVEN_HEADS, 0.7).best_cross_entropy, unit, 3)}"
    ". Any other q costs more, by the KL divergence between (0.7, 0.3) and (q, 1 − q).",
)

ui.show_code(ce_core.coin_likelihood, ce_core.running_product, ce_core.logistic_likelihood,
             ce_core.logistic_mle)

ui.lesson_nav(__file__)
