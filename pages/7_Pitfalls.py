"""Pitfalls lab: four ways cross-entropy training goes wrong, each with its remedy measured.

Only the open tab computes (``st.tabs(..., bind=...)`` and ``tab.open``). Every
experiment is a pure function of its controls (seeded data, seeded models), so its
result is cached with st.cache_data; no model is kept between runs.

URL keys (public, keep stable): pf_tab, pf_imb, pf_gamma, pf_flip, pf_eps_noise,
pf_temp, pf_eps, pf_bins, pf_alpha, pf_n.
"""

import streamlit as st

import ce_core
import ui
from ce_core import pitfalls as pf
from charts.training import loss_curves
from charts.pitfalls import loss_histogram, per_class_bars, reliability_diagram, remedy_bars, temperature_curve

unit = ui.page_setup(__file__)
ln = r"\ln" if unit == "nats" else r"\log_2"
ln_text = "ln" if unit == "nats" else "log₂"

TABS = ["Class imbalance", "Label noise", "Overconfidence", "Overfitting"]
IMBALANCES = [1.0, 2.0, 3.0, 5.0, 10.0, 20.0]
GAMMAS = [0.5, 1.0, 2.0, 3.0, 5.0]
SMOOTHING = [0.0, 0.05, 0.1, 0.2, 0.3]
TEMPERATURES = [0.25, 0.33, 0.5, 0.67, 0.8, 1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0]
ALPHAS = [0.0, 0.0001, 0.001, 0.01, 0.03, 0.1, 0.3, 1.0]


@st.cache_data(show_spinner=f"Training three models on {pf.SEEDS} seeds…", max_entries=32)
def imbalance_study(imbalance: float, gamma: float):
    return pf.imbalance_study(imbalance, gamma=gamma)


@st.cache_data(show_spinner=f"Training four models on {pf.SEEDS} seeds…", max_entries=32)
def noise_study(flip: float, epsilon: float):
    return pf.noise_study(flip, epsilon=epsilon)


@st.cache_data(show_spinner="Training a large network…", max_entries=16)
def calibration_study(epsilon: float):
    return pf.calibration_study(epsilon)


@st.cache_data(show_spinner="Training a large network on a few points…", max_entries=32)
def overfitting_study(alpha: float, n_samples: int):
    return pf.overfitting_study(alpha, n_samples=n_samples)


def pct(share: float) -> str:
    return f"{share:.1%}"


def mean_and_range(spread, show) -> str:
    """"mean (lowest–highest)" of a per-seed number, each value written by ``show``."""
    return f"{show(spread.mean)} ({show(spread.low)}–{show(spread.high)})"


def nats_as_unit(value: float) -> str:
    return ui.number(value, unit)


def guard_rail_notes(runs: dict) -> None:
    """Say so when a time limit or divergence ended a run early: its numbers are partial."""
    for name, run in runs.items():
        if run.stop_kind != "max_epochs":
            st.warning(f"**{name}**: {run.stop_reason}", icon=":material/timer:")


def stage():
    """Controls and numbers on the left, the chart they move on the right: on a projector
    both fit one screen (on a phone the chart follows the controls)."""
    return st.columns([2, 3], gap="large")


# ----------------------------------------------------------------------------- 1. class imbalance

def imbalance_tab() -> None:
    st.markdown(
        "When one class is rare, a model can score a decent average loss by leaning on the "
        "common class, and the average hides that the rare class is hardly ever found. "
        "The yardstick is a model that ignores its input and always predicts the class shares "
        "of the training set. Its loss is the entropy H(y) of the labels when the scored labels "
        "have those same shares, and any model that learned from the inputs must beat it. "
        "Weighting the loss per class (or per hard point, as the focal loss does) moves the "
        "model's attention to the rare class: a weighted model minimises the class-weighted "
        "cross-entropy L_w, in which every class counts as much as any other."
    )
    st.latex(rf"\begin{{gathered}} H(y) = -\sum_k f_k {ln} f_k \\ "   # one per line: a phone fits each
             rf"L_w = -\frac{{\sum_i w_{{y_i}} {ln} q_{{i,y_i}}}}{{\sum_i w_{{y_i}}}},\ "
             r"w_k = \frac{n}{K\,n_k} \\ "
             rf"\text{{focal: }} w_i \propto w_{{y_i}}(1 - q_{{i,y_i}})^\gamma \end{{gathered}}")
    controls, chart = stage()
    with controls:
        imbalance = st.select_slider("Imbalance: common class ÷ rare class", IMBALANCES, 10.0,
                                     key="pf_imb", bind="query-params")
        gamma = st.select_slider("Focal γ (how much easy points are discounted)", GAMMAS, 2.0,
                                 key="pf_gamma", bind="query-params")
        study = imbalance_study(imbalance, gamma)
        guard_rail_notes(study.runs)
        baseline_metrics(study)
    with chart:
        ui.chart(per_class_bars(study.runs, unit=unit), "pf_chart_classes")
        st.caption("Per class, on the validation set of the first seed. The plain model's low "
                   "mean loss comes from the common class; weighting trades some of its loss for "
                   "finding the rare class. The weighted models score worse on the *unweighted* "
                   "mean and better on the class-weighted one: the average they were trained to "
                   "lower.")
    imbalance_table(study)
    ui.show_code(pf.base_rate_baseline, pf.per_class_report, pf.balanced_class_weights,
                 pf.class_weighted_loss, pf.focal_weights)


def baseline_metrics(study) -> None:
    """The base-rate yardstick on the first seed's split, and the plain model's gain over it."""
    base = study.baseline
    # One under the other: a narrow column cuts two side by side.
    st.metric("Base-rate baseline", ui.fmt(base.loss, unit), border=True,
              help="Always predict the training shares "
                   f"({', '.join(pct(r) for r in base.rates)}); scored on the validation set.")
    st.metric("H(y) of the validation labels", ui.fmt(base.label_entropy, unit), border=True,
              help="Equal to the baseline when the validation set has the training shares.")
    st.metric("Plain model's gain over baseline", pct(base.skill(study.runs["plain"].val_loss)),
              border=True, help="1 − (plain model's validation loss ÷ baseline loss): the share "
                                "of the baseline's loss that looking at the inputs removes.")


def imbalance_table(study) -> None:
    """Each recipe's losses and rare-class recall: the mean over the seeds and their range."""
    rare, n_rare = study.rare, study.rare_validation_points
    st.markdown(f"**Each recipe on {pf.SEEDS} seeds** (a new data set and a new start each): "
                "the mean, and in brackets the lowest and the highest.")
    st.table([{"recipe": scheme,
               f"validation loss ({unit})": mean_and_range(study.loss_spread(scheme), nats_as_unit),
               f"class-weighted validation loss ({unit})":
                   mean_and_range(study.weighted_loss_spread(scheme), nats_as_unit),
               "rare-class recall": mean_and_range(study.recall_spread(scheme), pct)}
              for scheme in study.seeds], border="horizontal")
    st.caption(f"The validation set holds only {n_rare} points of class {rare}, so one run's "
               f"recall moves in steps of 1/{n_rare} = {pct(study.recall_step)}: a single seed could "
               "make any recipe look better or worse than it is.")


# ----------------------------------------------------------------------------- 2. label noise

def noise_tab() -> None:
    st.markdown(
        "A wrong label that the model disagrees with costs −log of a small probability: a "
        "handful of such points can carry a large part of the mean, and the gradient pulls the "
        "model towards them. The remedies that fit classification keep the loss bounded or the "
        "pull small: **label smoothing** (never ask for probability 1), **down-weighting** points "
        "the model finds implausible (the gradient of a bounded loss), or simply **more data**, "
        "so the true pattern outvotes the noise."
    )
    st.latex(rf"\begin{{gathered}} t_k = (1-\varepsilon)[k = y] + \frac{{\varepsilon}}{{K}},\ "
             rf"\ell = -\sum_k t_k {ln} q_k \\ "
             r"\text{down-weighted: } w_i \propto q_{i,y_i}^{\,\beta}\ "
             r"(\text{the gradient of } \tfrac{1 - q^\beta}{\beta}) \end{gathered}")
    st.info(
        "**Huber loss is not the fix here.** Huber loss is for regression: it is squared error "
        "near zero and linear for large residuals, so one far-off target cannot dominate. A "
        "classifier has no residual to clip: it outputs probabilities and is scored by "
        "−log q. Its robust cousins are the ones on this tab: label smoothing, bounded or "
        "symmetric losses (generalised or symmetric cross-entropy), and down-weighting or "
        "cleaning suspicious labels.", icon=":material/info:")
    c1, c2 = st.columns(2)
    flip = c1.slider("Flipped training labels (fraction)", 0.0, 0.4, 0.2, step=0.05, key="pf_flip",
                     bind="query-params")
    epsilon = c2.select_slider("Label smoothing ε", SMOOTHING[1:], 0.1, key="pf_eps_noise",
                               bind="query-params")
    study = noise_study(flip, epsilon)
    guard_rail_notes(study.runs)
    noise_charts(study)        # right under the sliders (one projector screen), numbers after
    noise_metrics(study)
    ui.show_code(pf.top_loss_share, pf.smoothed_dataset, pf.truncated_weights)


def noise_metrics(study) -> None:
    """How much of the training loss the flipped points carry."""
    losses = study.train_losses
    clean, flipped = pf.mean_loss_by_group(losses, study.data.flipped)
    m = st.columns(2) + st.columns(2)
    m[0].metric("Mean training loss (plain)", ui.fmt(study.runs["plain"].history.last.train_loss, unit),
                border=True)
    m[1].metric("Share carried by the worst 10 %", pct(pf.top_loss_share(losses, 0.1)), border=True,
                help="The worst-predicted tenth of the training points carries this share of the "
                     "summed loss.")
    m[2].metric("Mean loss, clean points", ui.fmt(clean, unit), border=True)
    m[3].metric("Mean loss, flipped points",
                ui.fmt(flipped, unit) if study.data.flipped.any() else "none flipped", border=True)


def noise_charts(study) -> None:
    """Each training point's loss, and the remedies' validation loss."""
    left, right = st.columns(2, gap="large")
    with left:
        ui.chart(loss_histogram(study.train_losses, study.data.flipped, unit=unit), "pf_chart_hist")
        st.caption("Each training point's own loss under the plain model (first seed): clean "
                   "points in the left half of each bin, flipped ones in the right half. The "
                   "flipped points sit far to the right and pull the mean (dashed) up.")
    with right:
        spreads = {name: study.loss_spread(name) for name in study.seeds}
        ui.chart(remedy_bars(study.runs, unit=unit, spreads=spreads), "pf_chart_remedies")
        st.caption(f"Validation loss on clean labels after training each way, on {pf.SEEDS} "
                   "seeds: the bar is the mean, the whisker and the brackets the lowest and the "
                   "highest. Remedies whose whiskers overlap are not told apart by this "
                   "experiment. 'More data' has three times the points, the same share flipped: it stops the "
                   "model memorising single flips, but it still learns that a share of the labels "
                   "disagree, so its confidence in the true class stays below 1 − that share.")


# ----------------------------------------------------------------------------- 3. calibration

def calibration_tab() -> None:
    st.markdown(
        "A network trained long enough on noisy data grows surer of itself than its record "
        "justifies. A **reliability diagram** bins predictions by their confidence and compares it "
        "with the share that was right; the **expected calibration error** (ECE) is the average "
        "gap. **Temperature scaling** divides the logits by one number T fitted on the "
        "validation set: it never changes which class wins, only how sure the model says it is, "
        "and the validation cross-entropy is lowest at the fitted T. Label smoothing during "
        "training is another way to keep confidence in check."
    )
    st.latex(r"\mathrm{ECE} = \sum_b \frac{n_b}{n}\,\bigl|\mathrm{acc}_b - \mathrm{conf}_b\bigr|"
             r"\qquad q^{(T)} = \mathrm{softmax}(z / T)"
             rf"\qquad T^\star = \arg\min_T -\frac1n\sum_i {ln} q^{{(T)}}_{{i,y_i}}")
    c1, c2, c3 = st.columns(3)
    temperature = c1.select_slider("Temperature T", TEMPERATURES, 1.0, key="pf_temp",
                                   bind="query-params")
    epsilon = c2.select_slider("Label smoothing ε (second model)", SMOOTHING, 0.1, key="pf_eps",
                               bind="query-params")
    n_bins = c3.slider("Confidence bins", 5, 20, 10, key="pf_bins", bind="query-params")
    study = calibration_study(epsilon)
    guard_rail_notes(study.runs)
    plain = study.runs["plain"]
    fitted = pf.fit_temperature(plain.y_val, plain.val_probs)
    stage = st.container()     # the charts right under the sliders (one projector screen)
    top = st.columns(3)
    top[0].metric("Fitted temperature T*", f"{fitted:.3f}", border=True,
                  help="Minimises the validation cross-entropy (Brent's method on ln T).")
    curves = temperature_metrics(plain, temperature, fitted, n_bins)
    if "label smoothing" in study.runs:
        curves.update(smoothing_metrics(top[1:], study.runs["label smoothing"], epsilon, n_bins))
    with stage:
        calibration_charts(plain, curves, temperature, fitted)
    ui.show_code(pf.reliability_bins, pf.scale_temperature, pf.fit_temperature)


def temperature_metrics(plain, temperature: float, fitted: float, n_bins: int) -> dict:
    """Loss and ECE as trained, at the chosen T and at T*; returns the reliability curves."""
    y, probs = plain.y_val, plain.val_probs
    scaled = pf.scale_temperature(probs, temperature)
    settings = [(", as trained (T = 1)", plain.val_loss, probs)]
    if temperature != 1.0:   # at T = 1 it is the model as trained: no second copy of its cards
        settings.append((f" at T = {temperature:g}", pf.temperature_loss(y, probs, temperature),
                         scaled))
    settings.append((" at T*", pf.temperature_loss(y, probs, fitted),
                     pf.scale_temperature(probs, fitted)))
    for col, (where, loss, q) in zip(st.columns(3), settings):
        col.metric(f"Validation loss{where}", ui.fmt(loss, unit), border=True)
        col.metric(f"ECE{where}", pct(pf.expected_calibration_error(y, q, n_bins=n_bins)), border=True)
    curves = {"as trained (T = 1)": pf.reliability_bins(y, probs, n_bins=n_bins)}
    if temperature != 1.0:
        curves[f"T = {temperature:g}"] = pf.reliability_bins(y, scaled, n_bins=n_bins)
    return curves


def smoothing_metrics(columns, smooth, epsilon: float, n_bins: int) -> dict:
    """The second model, trained on smoothed targets: its loss, ECE and reliability curve."""
    columns[0].metric(f"Loss, smoothing ε = {epsilon:g}", ui.fmt(smooth.val_loss, unit),
                      border=True, help="Validation loss of a second model trained on smoothed "
                                        "targets, at T = 1.")
    columns[1].metric(f"ECE, smoothing ε = {epsilon:g}",
                      pct(pf.expected_calibration_error(smooth.y_val, smooth.val_probs, n_bins=n_bins)),
                      border=True)
    return {f"label smoothing ε = {epsilon:g}": pf.reliability_bins(
        smooth.y_val, smooth.val_probs, n_bins=n_bins)}


def calibration_charts(plain, curves: dict, temperature: float, fitted: float) -> None:
    y, probs = plain.y_val, plain.val_probs
    left, right = st.columns(2, gap="large")
    with left:
        ui.chart(reliability_diagram(curves), "pf_chart_reliability")
        st.caption("Bars: the share right in each confidence bin; dark ticks: how confident "
                   "the model was there. A tick above its bar (a bar below the diagonal) is "
                   "overconfidence. Beneath: the points in each bin. Only bins above 0.5 can "
                   "fill: with two classes the top probability is at least one half.")
    with right:
        grid = pf.temperature_grid()
        ui.chart(temperature_curve(
            grid, pf.temperature_losses(y, probs, grid),
            chosen=(temperature, pf.temperature_loss(y, probs, temperature)),
            best=(fitted, pf.temperature_loss(y, probs, fitted)), unit=unit),
            "pf_chart_temperature")
        st.caption("The same model's validation loss as T changes. T > 1 softens every "
                   "prediction; the star is the fitted T*. Fitting and scoring on one set flatters "
                   "T* a little: in practice fit it on a held-out calibration split.")


# ----------------------------------------------------------------------------- 4. overfitting

def overfitting_tab() -> None:
    st.markdown(
        "Give a large network a few noisy points and enough epochs, and it will drive the "
        "training loss towards zero by memorising them, flipped labels included. The validation "
        "loss tells the truth: it falls, bottoms out, then climbs as the model grows confident "
        "about patterns that are not there. An **L2 penalty** α keeps the weights small, and "
        "**early stopping** keeps the model from the epoch with the lowest validation loss."
    )
    st.latex(rf"\min_W\ -\frac1n\sum_i {ln} q_{{i,y_i}} + \frac{{\alpha}}{{2}}\lVert W\rVert^2"
             r"\qquad e^\star = \arg\min_e L_{\text{val}}(e)")
    controls, chart = stage()
    with controls:
        alpha = st.select_slider("L2 strength α", ALPHAS, 0.0, key="pf_alpha",
                                 bind="query-params")
        n_samples = st.select_slider("Points (half of them for validation)",
                                     [40, 60, 80, 120, 200, 400], 80, key="pf_n",
                                     bind="query-params")
    run = overfitting_study(alpha, n_samples)
    with chart:
        ui.chart(loss_curves(run.history, unit=unit, n_classes=2), "pf_chart_overfit")
    best = run.history.best
    m = st.columns(4)
    m[0].metric("Final training loss", ui.fmt(run.history.last.train_loss, unit), border=True)
    m[1].metric("Final validation loss", ui.fmt(run.val_loss, unit), border=True)
    m[2].metric("Gap (validation − training)", ui.fmt(run.gap, unit), border=True)
    m[3].metric(f"Early stopping: epoch {run.best_epoch}", ui.fmt(best.val_loss, unit),
                border=True, help="The lowest validation loss of the run, and its epoch.")
    st.caption(f"A 64×64 network, {len(run.history)} epochs on {len(run.train_losses)} training points "
               "(10 % of their labels flipped), from epoch 0, before any update. The star and "
               f"dashed line mark the early-stopping epoch; the dotted grey line at {ln_text} 2 is "
               "guessing one half; with α > 0 a dotted grey curve shows the L2 penalty the "
               "optimiser also pays.")
    st.markdown(
        "**Why the validation loss starts below the training loss.** Only the training labels "
        "are flipped; the validation labels are clean. While the model is still learning the "
        "true pattern, every flipped training point is one it predicts wrong, so it adds to "
        "the training loss and has no counterpart in the validation set. Only once the network "
        "memorises the flips does the training loss drop below, and the gap opens the other way.")
    guard_rail_notes({"this run": run})
    ui.show_code(pf.overfitting_study, pf.train_weighted)


# ----------------------------------------------------------------------------- the page

st.title("Pitfalls: when cross-entropy misleads")
st.markdown(
    "Cross-entropy is a fair judge of probabilities, but it answers exactly the question it is "
    "asked: the *average* surprise on *these* labels. Rare classes, wrong labels, "
    "overconfident models and small training sets all exploit that. Each tab shows one pitfall, "
    "measures it, and measures what helps."
)
tabs = st.tabs(TABS, key="pf_tab", bind="query-params")
for tab, draw in zip(tabs, (imbalance_tab, noise_tab, calibration_tab, overfitting_tab)):
    if tab.open:
        with tab:
            try:
                draw()
            except (ce_core.InputError, ce_core.Diverged) as err:   # a run that diverged says so
                st.error(str(err), icon=":material/error:")
ui.lesson_nav(__file__)
