"""Live training: train and validation cross-entropy falling while a real model learns,
the decision surface with each point's own loss, and gradient descent done by hand.

How it runs: the session's run lives in st.session_state["t_trainer"]: a Trainer, or at
the default settings a Replay of one recording shared by every session (st.cache_resource);
both are a ce_core.training.TrainingRun, so the page draws them alike. The panel below the
controls is an ``st.fragment`` that re-runs itself every TICK_SECONDS while training (less
often when many sessions watch the page at once: ce_core.replay.Viewers) and moves the run
on by one ``tick`` each time (both go by the clock at the chosen speed, ce_core.training.Pace;
a Trainer trains at most Trainer.EPOCHS_PER_TICK a tick), so the controls stay responsive. A
fragment's body also runs on every full run of the script, so a test (AppTest does not
tick ``run_every``) advances training by pressing Train and then calling ``at.run()``:
one tick per run.
"""

import time
import uuid

import streamlit as st

import ce_core
import ui
from ui import draw_3d
from charts.landscape import landscape_contour, landscape_surface
from charts.training import (decision_surface, digits_gallery, gradient_descent_surface, loss_cells,
                             loss_curves, training_points)
from ce_core import landscape
from ce_core.datasets import Dataset
from ce_core.replay import Replay, Viewers, record_run
from ce_core.training import SPEEDS, Diverged, History, Trainer, TrainingRun

unit = ui.page_setup(__file__)
ln = r"\ln" if unit == "nats" else r"\log_2"
ln_text = "ln" if unit == "nats" else "log₂"

# URL keys (public, keep stable): t_data, t_n, t_noise, t_k, t_imb, t_flip, t_val, t_seed,
# t_model, t_layers, t_units, t_act, t_solver, t_lr, t_batch, t_alpha, t_epochs, t_speed,
# t_gd_sep, t_gd_lr, t_gd_steps, t_gd_w0, t_gd_b0, t_gd_view.
TICK_SECONDS = 0.25      # redraws four a second for a few viewers, less often for a class
VIEWER_SECONDS = 60.0    # a session counts as watching this page for this long after a run
SURFACE_SECONDS = 1.5    # the decision surface / digits gallery refresh at least this often
MAX_SECONDS = 30.0       # training time allowed per run
WORST = 6                # rows in the most-penalised table
GALLERY = 8              # digits in the gallery
SHOWN_ERRORS = (ce_core.InputError, Diverged)   # shown as a message, never as a traceback

# The shown option is what a bound widget writes to the URL, so these labels are public too.
DATA_SETS = {"Moons": "moons", "Circles": "circles", "Blobs": "blobs", "XOR": "xor",
             "Spiral": "spiral", "Digits": "digits"}
MODELS = {"Neural net": "mlp", "Logistic": "logistic"}
LEARNING_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0, 1000.0]
ALPHAS = [0.0, 0.0001, 0.001, 0.01, 0.1, 1.0]
IMBALANCES = [1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0]


@st.cache_data(show_spinner=False, max_entries=32)
def load_data(name, n_samples, noise, n_classes, imbalance, flip, val_fraction, seed):
    """Data sets are deterministic and read-only, so one copy serves every session."""
    return ce_core.make_dataset(name, n_samples=n_samples, noise=noise, n_classes=n_classes,
                                imbalance=imbalance, flip=flip, val_fraction=val_fraction, seed=seed)


def data_ui() -> dict:
    """The data set and its knobs, as make_dataset's keyword arguments."""
    name = DATA_SETS[st.selectbox("Data set", list(DATA_SETS), key="t_data", bind="query-params",
                                  help="Two-dimensional shapes you can see whole, or 8×8 images "
                                       "of handwritten digits (10 classes).")]
    n = st.slider("Points (train + validation)", 40, 1500, 300, step=20, key="t_n",
                  bind="query-params")
    noise = st.slider("Noise (standard deviation)", 0.0, 1.0, 0.2, step=0.05, key="t_noise",
                      bind="query-params",
                      help="Jitter added to every point; for digits, to every pixel (0..1).")
    k = st.slider("Classes", 2, 5, 3, key="t_k", bind="query-params",
                  disabled=name not in ("blobs", "spiral"),
                  help="Only blobs and spirals have a choice; moons, circles and XOR have 2, "
                       "digits 10.")
    imbalance = st.select_slider("Imbalance: largest class ÷ smallest", IMBALANCES, 1.0,
                                 key="t_imb", bind="query-params")
    flip = st.slider("Flipped training labels (fraction)", 0.0, 0.4, 0.0, step=0.05, key="t_flip",
                     bind="query-params",
                     help="Label noise: this share of training points gets a wrong class. "
                          "Validation labels stay clean.")
    val = st.slider("Held out for validation", 0.1, 0.5, 0.3, step=0.05, key="t_val",
                    bind="query-params")
    seed = st.number_input("Seed", 0, 9999, 0, key="t_seed", bind="query-params")
    return dict(name=name, n_samples=n, noise=noise, n_classes=k, imbalance=imbalance, flip=flip,
                val_fraction=val, seed=int(seed))


def model_ui(seed: int) -> tuple[ce_core.ModelSpec, int]:
    """The model, its hyper-parameters and the number of epochs."""
    kind = MODELS[st.radio("Model", list(MODELS), key="t_model", horizontal=True,
                           bind="query-params",
                           help="Neural net: scikit-learn's MLPClassifier. Logistic: "
                                "SGDClassifier(loss='log_loss'), a straight-line boundary.")]
    is_mlp = kind == "mlp"
    c1, c2 = st.columns(2)
    layers = c1.slider("Hidden layers", 1, 3, 2, key="t_layers", bind="query-params",
                       disabled=not is_mlp)
    units = c2.select_slider("Units per layer", [2, 4, 8, 16, 32, 64], 16, key="t_units",
                             bind="query-params", disabled=not is_mlp)
    activation = c1.selectbox("Activation", ce_core.training.ACTIVATIONS, key="t_act",
                              bind="query-params", disabled=not is_mlp)
    solver = c2.selectbox("Optimiser", ce_core.training.SOLVERS, key="t_solver",
                          bind="query-params", disabled=not is_mlp)
    lr = st.select_slider("Learning rate", LEARNING_RATES, 0.01, key="t_lr", bind="query-params",
                          help="The step size. Try 10 or more to watch a run diverge.")
    batch = st.select_slider("Batch size", [1, 8, 16, 32, 64, 128, 256], 32, key="t_batch",
                             bind="query-params", disabled=not is_mlp,
                             help="Logistic regression here is plain SGD: one point per step.")
    alpha = st.select_slider("L2 strength α", ALPHAS, 0.0001, key="t_alpha", bind="query-params",
                             help="Pulls the weights towards 0; its penalty is drawn dotted.")
    epochs = st.slider("Epochs", 10, 500, 150, step=10, key="t_epochs", bind="query-params")
    spec = ce_core.ModelSpec(kind=kind, hidden_layers=(units,) * layers, activation=activation,
                             solver=solver, learning_rate=lr, batch_size=batch, alpha=alpha,
                             seed=seed)
    return spec, epochs

def settings_ui() -> tuple[dict, ce_core.ModelSpec, int]:
    """The Data and Model boxes side by side: make_dataset's keyword arguments, the model,
    the epochs."""
    data_box, model_box = (column.container(border=True) for column in st.columns(2))
    with data_box:
        st.markdown("**Data**")
        data_kwargs = data_ui()
    with model_box:
        st.markdown("**Model**")
        spec, epochs = model_ui(data_kwargs["seed"])
    return data_kwargs, spec, epochs


# ----------------------------------------------------------------------------- Train / Pause / Reset

def on_train() -> None:
    run = st.session_state.get("t_trainer")
    if run is not None and run.done:
        st.session_state["t_trainer"] = None  # a finished run restarts from scratch
    st.session_state["t_running"] = True


def on_pause() -> None:
    st.session_state["t_running"] = False
    run = st.session_state.get("t_trainer")
    if run is not None:
        run.pause()   # a replay resumes where it stopped, not where the clock got to


def on_reset() -> None:
    st.session_state["t_trainer"] = None
    st.session_state["t_running"] = False


def on_step() -> None:
    """One epoch, then stay paused (current_run takes the step)."""
    on_pause()
    st.session_state["t_step"] = True


def buttons_ui() -> float:
    """Train, Pause, Step one epoch, Reset and the speed, in one row; returns the speed."""
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.button("Train", key="t_train", on_click=on_train, type="primary",
                  icon=":material/play_arrow:")
        st.button("Pause", key="t_pause", on_click=on_pause, icon=":material/pause:")
        st.button("Step one epoch", key="t_step_one", on_click=on_step,
                  icon=":material/skip_next:")
        st.button("Reset", key="t_reset", on_click=on_reset, icon=":material/restart_alt:")
        return st.select_slider("Speed (1 = 10 epochs/s)", list(SPEEDS), 1.0,
                                key="t_speed", bind="query-params", width=240,
                                help="How fast the run plays: slow it down to talk through "
                                     "each epoch. A model of your own trains no faster than "
                                     "the machine can.")


@st.cache_resource(show_spinner="Training once for everyone on these settings…", max_entries=4)
def recorded_run(data_kwargs, spec, epochs):
    """The default run, computed once per server and replayed to every session.

    A recording keyed on its own settings is always the right history, so this is only
    a question of cost: it is worth it for the settings a whole class starts from.
    cache_resource, not cache_data: every session shares the one recording instead of
    unpickling its own copy (1.8 MB each). That is safe because nothing writes to it: a
    RecordedRun is frozen, a Replay keeps its own history, and the snapshots only
    ever predict (a model that partial_fit mutates must never be shared like this).
    """
    # A snapshot every epoch (a replay paced by the clock can stop on any epoch), so the
    # surface always shows the model whose numbers are on screen: ~1.6 MB per recording.
    return record_run(load_data(**data_kwargs), spec, max_epochs=epochs, max_seconds=MAX_SECONDS,
                      snapshot_every=1)


def default_settings() -> bool:
    """True when every training control is at its default: bound widgets leave a default
    value out of the URL, so then no t_ parameter (other than gradient descent's) is there."""
    return not any(name.startswith("t_") and not name.startswith("t_gd_")
                   for name in st.query_params)


def new_run(data_kwargs: dict, spec: ce_core.ModelSpec, epochs: int) -> TrainingRun:
    """The shared recording, replayed, at the default settings; else a model of one's own."""
    if default_settings():
        return Replay(recorded_run(data_kwargs, spec, epochs))
    return Trainer(load_data(**data_kwargs), spec, max_epochs=epochs, max_seconds=MAX_SECONDS)


def stop_with(err: Exception) -> None:
    """Stop training and say why."""
    st.session_state["t_running"] = False
    st.error(str(err), icon=":material/error:")


def current_run(config: tuple, speed: float) -> TrainingRun | None:
    """The session's run for these settings at ``speed``; a new one when Train or Step
    was pressed, and one epoch more after Step."""
    state = st.session_state
    run, step = state.get("t_trainer"), state.pop("t_step", False)
    if run is not None and state.get("t_config") != config:
        run = state["t_trainer"] = None  # settings changed: that run is over
        if state.get("t_running"):
            st.toast("Settings changed: training restarted.", icon=":material/restart_alt:")
    try:
        if run is None and (state.get("t_running") or step):
            run = new_run(*config)
            state["t_trainer"], state["t_config"] = run, config
        if run is not None:
            run.set_speed(speed)
            if step and not run.done:
                run.advance(1)
    except SHOWN_ERRORS as err:
        stop_with(err)
    return run


@st.cache_resource
def page_viewers() -> Viewers:
    """The sessions watching this page: one counter shared by every session."""
    return Viewers(window=VIEWER_SECONDS)


def redraw_seconds() -> float:
    """Seconds between redraws of the live panel, for as many viewers as watch now."""
    viewer = st.session_state.setdefault("t_viewer", uuid.uuid4().hex)
    return page_viewers().redraw_interval(viewer, time.monotonic(), fastest=TICK_SECONDS)


def ticking(seconds: float) -> float | None:
    """How often a live panel re-runs itself: only while training."""
    return seconds if st.session_state.get("t_running") else None


# ----------------------------------------------------------------------------- live panels

def run_status(run: TrainingRun | None, epochs: int) -> None:
    if run is None:
        st.progress(0.0, text=f"Ready: press Train to run up to {epochs} epochs.")
        return
    last = run.history.last
    accuracy = f" · validation accuracy {last.val_accuracy:.1%}" if last else ""
    st.progress(min(run.epoch / run.max_epochs, 1.0),
                text=f"Epoch {run.epoch} of {run.max_epochs} · {run.seconds:.1f} s of "
                     f"training{accuracy}")


def run_notes(run: TrainingRun) -> None:
    """How the run ended, and where a replay comes from: under the chart, which comes first."""
    if run.stop_kind == "diverged":
        st.error(run.stop_reason, icon=":material/trending_up:")
    elif run.stop_kind == "time":
        st.warning(run.stop_reason, icon=":material/timer:")
    elif run.stop_kind == "max_epochs":
        st.success(run.stop_reason, icon=":material/check_circle:")
    if run.replayed:
        st.caption("These are the default settings, so this run was computed once on the server "
                   "and is replayed epoch by epoch to everyone who presses Train. Change any "
                   "setting to train a model of your own, live.")


def loss_metrics(history: History) -> None:
    last, best = history.last, history.best
    m1, m2, m3 = st.columns(3)
    # The unit sits in the label: the three columns are too narrow for "0.0677 nats".
    m1.metric(f"Training loss ({unit})", ui.number(last.train_loss, unit), border=True,
              help="Mean cross-entropy of predict_proba on the training set, without the L2 term.")
    m2.metric(f"Validation loss ({unit})", ui.number(last.val_loss, unit), border=True,
              help=f"On the held-out points. Validation accuracy: {last.val_accuracy:.1%}.")
    m3.metric(f"Best, epoch {best.epoch} ({unit})", ui.number(best.val_loss, unit), border=True,
              help="The lowest validation loss so far (the star on the chart): where early "
                   "stopping would keep the model.")


def loss_chart(history: History, max_epochs: int, n_classes: int) -> None:
    # The same spec every tick (only the data grows), so Streamlit updates the chart in
    # place instead of re-mounting it: no flicker at ten updates a second.
    ui.chart(loss_curves(history, unit=unit, max_epochs=max_epochs, n_classes=n_classes),
             "t_chart_loss")


def loss_caption(history: History, n_classes: int) -> None:
    st.caption(f"Both curves start at epoch 0, the model before its first update. The dotted "
               f"grey line is the loss of guessing 1/{n_classes} for every class, {ln_text} "
               f"{n_classes}: a model below it has learned something. The red-orange star and "
               f"dashed line mark epoch {history.best.epoch}, the lowest validation loss so far. "
               "The dotted grey curve (when α > 0) is the L2 penalty α/2·‖W‖², which the "
               "optimiser also minimises but the two loss curves leave out.")


def train_one_tick(run: TrainingRun) -> None:
    """Move the run on by one redraw; once it is done, stop the ticking."""
    try:
        run.tick(time.monotonic())   # a replay goes by the clock: it ends on time when ticks are late
    except SHOWN_ERRORS as err:
        stop_with(err)
        return
    if run.done:
        st.session_state["t_running"] = False
        st.rerun()  # a full run stops the ticking and redraws the surface one last time


def training_panel(epochs: int) -> None:
    """One tick: move the run on, then redraw progress, numbers and the loss chart."""
    run = st.session_state.get("t_trainer")
    if run is not None and st.session_state.get("t_running"):
        train_one_tick(run)
    run_status(run, epochs)
    if run is not None and len(run.history):   # the curve first: a projector shows it whole
        loss_chart(run.history, run.max_epochs, run.data.n_classes)
        loss_metrics(run.history)
        loss_caption(run.history, run.data.n_classes)
    if run is not None:
        run_notes(run)


def model_panel(data_kwargs: dict) -> None:
    """What the model believes now: the 2-D decision surface, or the worst digits; before
    the first epoch, the data it will learn from."""
    run = st.session_state.get("t_trainer")
    if run is None or not len(run.history):
        try:
            data = load_data(**data_kwargs)
        except SHOWN_ERRORS:   # Train says what is wrong with these settings
            data = None
        if data is not None and data.image_shape is None:
            ui.chart(training_points(data.X_train, data.y_train, data.n_classes),
                     "t_chart_surface")
        st.caption("The training set. Press **Train**, or **Step one epoch**: the model's view "
                   "of the data appears here as it learns.")
        return
    try:
        if run.data.image_shape is None:
            surface_panel(run.model, run.data, run.epoch)
        else:
            gallery_panel(run.model, run.data, run.epoch)
    except SHOWN_ERRORS as err:  # a diverged model has no probabilities to show
        st.error(str(err), icon=":material/error:")


def surface_panel(model, data: Dataset, epoch: int) -> None:
    losses, _ = ce_core.pointwise_losses(model, data.X_train, data.y_train)
    surface = ce_core.decision_surface_grid(model, data.X_train)
    rows = ce_core.most_penalised(model, data.X_train, data.y_train, count=WORST, unit=unit)
    ui.chart(decision_surface(surface, data.X_train, data.y_train, losses, unit=unit,
                              worst=[row["point"] for row in rows]), "t_chart_surface")
    st.caption("Background: the probability the model gives each class there. Points: the "
               "training set, each drawn larger the more cross-entropy it costs. The ringed "
               "points, with their numbers, are the ones in the table.")
    st.markdown(f"**The {WORST} most penalised training points** (epoch {epoch})")
    flipped = data.flipped.any()
    if flipped:
        for row in rows:
            row["flipped?"] = "yes" if data.flipped[row["point"]] else "no"
    st.table(rows, border="horizontal")
    st.caption("A confident mistake (small P(true class)) costs the most."
               + (" With flipped labels, most of these are the flipped points: the model "
                  "is right to doubt them." if flipped else ""))


def gallery_panel(model, data: Dataset, epoch: int) -> None:
    losses, probs = ce_core.pointwise_losses(model, data.X_val, data.y_val)
    rows = ce_core.most_penalised(model, data.X_val, data.y_val, count=GALLERY, unit=unit)
    worst = [row["point"] for row in rows]
    st.markdown(f"**The {GALLERY} worst-predicted validation digits** (epoch {epoch})")
    ui.chart(digits_gallery(data.X_val[worst], data.y_val[worst], probs[worst], losses[worst],
                            unit=unit, image_shape=data.image_shape), "t_chart_digits")
    st.caption("P is the probability the model gave the true digit; the loss is −log P.")


# ----------------------------------------------------------------------------- gradient descent by hand

#: Step sizes offered: the smallest crawl, the largest overshoot the bottom of every bowl
#: the separation slider makes (2/λ_max runs from about 10 to 150).
GD_RATES = [0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0]


MAX_GD_STEPS = 50


@st.cache_data(show_spinner=False, max_entries=16)
def gd_data(separation: float):
    x, y = ce_core.make_1d_data(separation=separation)
    optimum = ce_core.logistic_1d_optimum(x, y)
    return x, y, optimum, ce_core.training.stable_learning_rate(x, y, optimum)


@st.cache_data(show_spinner=False, max_entries=32)
def gd_map(separation: float, lr: float, start: tuple[float, float], unit: str) -> dict:
    """The loss map framing the longest walk the Steps slider allows: a Steps move then
    draws a longer or shorter walk on the same map, neither recomputed nor sent again."""
    x, y, optimum, _ = gd_data(separation)
    longest = ce_core.gradient_descent_1d(x, y, learning_rate=lr, steps=MAX_GD_STEPS,
                                          start=start)
    # 50 × 50 cells: smooth enough to see the bowl, few enough rects for the browser.
    ws, bs, grid = ce_core.surface_around(x, y, longest, optimum, resolution=50)
    return loss_cells(ws, bs, grid, unit=unit)


def gd_ui() -> tuple[float, float, int, float, float]:
    """Class separation, step size, number of steps and the starting (w, b)."""
    separation = st.slider("Distance between the class means", 0.5, 3.0, 1.5, step=0.25,
                           key="t_gd_sep", bind="query-params")
    lr = st.select_slider("Step size η", GD_RATES, 0.3, key="t_gd_lr", bind="query-params",
                          help="Small steps crawl; steps above 2/λ_max overshoot the bottom "
                               "and the loss goes up. Try 30 or 100.")
    steps = st.slider("Steps", 0, MAX_GD_STEPS, 30, key="t_gd_steps", bind="query-params")
    w0 = st.slider("Start w", -4.0, 4.0, -3.0, step=0.5, key="t_gd_w0", bind="query-params")
    b0 = st.slider("Start b", -4.0, 4.0, 3.0, step=0.5, key="t_gd_b0", bind="query-params")
    return separation, lr, steps, w0, b0


def gd_verdict(path, lr: float, steps: int, stable: float) -> None:
    """Say whether the walk settles, and the step size above which it cannot."""
    limit = (f"Here steps up to η = 2 / λ_max = {stable:.1f} can settle at the bottom, where "
             "λ_max is the bowl's steepest curvature there.")
    if path.diverged:
        outcome = ("diverges: the loss ended higher than it started"
                   if path.loss[-1] > path.loss[0] else "does not converge")
        st.warning(f"**η = {lr:g} is too large: gradient descent {outcome}.** The loss went up "
                   f"on {path.rises} of the {steps} steps instead of falling: each step jumps "
                   f"past the bottom of the bowl. {limit} Lower η.",
                   icon=":material/trending_up:")
    else:
        st.caption(f"The loss fell on every step. {limit}")


def gd_panel(path, optimum: tuple[float, float], steps: int, grid: dict) -> None:
    """The walk on the loss map, then (beneath it, so a projector shows the sliders with
    the whole map) the loss at the start and the end and the distance to the optimum."""
    ui.chart(gradient_descent_surface(grid, path, optimum, unit=unit), "t_chart_gd")
    st.caption("Loss bands are evenly spaced in log (each about 1.25 times the one below), so "
               "the flat bottom of the bowl still shows rings around the star.")
    m1, m2, m3 = st.columns(3)
    m1.metric(f"Loss at the start ({unit})", ui.number(path.loss[0], unit), border=True)
    m2.metric(f"Loss after {steps} steps ({unit})", ui.number(path.loss[-1], unit),
              border=True)
    m3.metric("Distance to the optimum", f"{path.distance_to(optimum):.1e}",
              border=True, help=f"From where gradient descent stopped to the star, scikit-learn's optimum "
                   f"w = {optimum[0]:.4f}, b = {optimum[1]:.4f}.")


@st.fragment
def gradient_descent_section() -> None:
    """A fragment: its sliders rerun this section only, not the training above."""
    st.markdown(
        "One feature *x*, one weight *w* and one bias *b*: the model says "
        "P(y = 1) = σ(w·x + b). With only two parameters we can draw the mean loss at every "
        "(w, b) and watch plain gradient descent walk downhill, each step going against the "
        "gradient. Cross-entropy makes this bowl convex, so there is a single bottom; the star "
        "is where scikit-learn's `LogisticRegression` (no penalty) says it is."
    )
    # Two lines, so that a phone's column holds the formula.
    st.latex(r"\begin{gathered} \frac{\partial L}{\partial w} = \frac1n\sum_i"
             r"(\sigma(w x_i + b) - y_i)\,x_i,\qquad \frac{\partial L}{\partial b} = "
             r"\frac1n\sum_i(\sigma(w x_i + b) - y_i) \\ (w, b) \leftarrow (w, b) - "
             r"\eta\,\nabla L \end{gathered}")
    controls, chart = st.columns([1, 2.4], gap="large")
    with controls:
        separation, lr, steps, w0, b0 = gd_ui()
    x, y, optimum, stable = gd_data(separation)
    path = ce_core.gradient_descent_1d(x, y, learning_rate=lr, steps=steps, start=(w0, b0))
    with chart:
        gd_verdict(path, lr, steps, stable)
        gd_panel(path, optimum, steps, gd_map(separation, lr, (w0, b0), unit))
    ui.show_code(ce_core.logistic_1d_grad, ce_core.gradient_descent_1d)
    loss_landscape_section(separation, lr, (w0, b0))


# ----------------------------------------------------------------------------- cross-entropy or squared error

#: The walks on the 3-D surfaces take the Steps slider's largest count, whatever it is set
#: to: the figures then do not change when it moves, so they are not sent again.
LANDSCAPE_STEPS = MAX_GD_STEPS
VIEWS = ["3-D", "Map"]   # shown and written to the URL (t_gd_view): public


@st.cache_data(show_spinner=False, max_entries=16)
def landscape_data(separation: float):
    """The data and both loss surfaces for one separation: one grid evaluation."""
    x, y = ce_core.make_1d_data(separation=separation)
    return x, y, landscape.landscape_for(x, y)


@st.cache_data(show_spinner=False, max_entries=64)
def landscape_figures(separation: float, lr: float, start: tuple[float, float], unit: str,
                      view: str, font_px: int):
    """Both figure dicts and walks; a move that changes none of these returns the same
    dicts, so the charts on screen are not sent again."""
    x, y, land = landscape_data(separation)
    both = landscape.walks(x, y, land, learning_rate=lr, steps=LANDSCAPE_STEPS, start=start)
    draw = landscape_surface if view == "3-D" else landscape_contour
    figures = {loss: draw(land, walk, unit=unit, title=LOSS_TITLES[loss], font_size=font_px)
               for loss, walk in both.items()}
    return figures, both, land


LOSS_TITLES = {"cross_entropy": "Cross-entropy", "squared_error": "Squared error"}


def default_view() -> str:
    """A flat map on a phone (its browser says "Mobi", as MDN advises to test), where a
    3-D scene is too small to turn with a finger; 3-D elsewhere."""
    agent = st.context.headers.get("User-Agent", "") if st.context.headers else ""
    return "Map" if "Mobi" in agent else "3-D"


def walk_summary(walk, land, start: tuple[float, float]) -> str:
    """The figure in words, from the same numbers: where the walk started and ended, and
    the loss's lowest point."""
    def value(v):
        return ui.fmt(v, unit) if walk.loss == "cross_entropy" else f"{v:.4f}"
    best = land.optima[walk.loss]
    left = ("" if walk.shown == len(walk.path.w) else
            f" It left the drawn square after {walk.shown - 1} steps.")
    return (f"{LOSS_TITLES[walk.loss]}: from {value(walk.path.loss[0])} at (w, b) = "
            f"({start[0]:g}, {start[1]:g}) to {value(walk.path.loss[-1])} after "
            f"{LANDSCAPE_STEPS} steps, {walk.share_of_drop:.0%} of the way down to the "
            f"lowest point, {value(walk.lowest)} at w = {best[0]:.3f}, b = {best[1]:.3f}.{left}")


def loss_landscape_section(separation: float, lr: float, start: tuple[float, float]) -> None:
    """Cross-entropy beside squared error over (w, b), each with its gradient-descent walk."""
    st.subheader("Why cross-entropy and not squared error", anchor="why-cross-entropy")
    st.markdown(
        "Keep the model σ(w·x + b), the data, the start and the step size η above, and change "
        "only the loss. **Cross-entropy** is a bowl: steep wherever the model is "
        "confidently wrong, so gradient descent slides to the bottom. **Squared error** "
        "(σ(w·x + b) − y)² of the same probabilities never exceeds 1 and goes flat "
        "where the sigmoid saturates: its gradient carries a factor p(1 − p) that vanishes "
        f"there, so the same {LANDSCAPE_STEPS} steps barely move. Drag to turn a surface, "
        "scroll to zoom, hover for the numbers.")
    view = st.radio("View", VIEWS, index=VIEWS.index(default_view()), key="t_gd_view",
                    horizontal=True, bind="query-params",
                    help="Map: the same surfaces seen from above, easier on a small screen.")
    figures, both, land = landscape_figures(separation, lr, start, unit, view,
                                            draw_3d.font_px())
    for column, (loss, walk) in zip(st.columns(2, gap="medium"), both.items()):
        with column:
            summary = walk_summary(walk, land, start)
            draw_3d.plotly_figure(figures[loss], f"t_landscape_{loss}", alt=summary)
            st.caption(summary)
    ui.show_code(landscape.gradient, landscape.descend)


# ----------------------------------------------------------------------------- the page

st.title("Live training: watch cross-entropy fall")
st.markdown(
    "A classifier learns by nudging its weights to make the probability it gives the true "
    "class a little larger, for every training point, again and again. Cross-entropy is the "
    "score it is trying to push down: the average of −log of those probabilities. Watch it "
    "drop on the training set, and compare it with the **validation** set the model never "
    "trains on: when the two curves part, the model has started memorising instead of learning."
)
st.latex(rf"L = -\frac{{1}}{{n}}\sum_{{i=1}}^{{n}} {ln} q_{{i,\,y_i}}"
         r"\qquad\text{minimised as}\qquad L + \tfrac{\alpha}{2}\lVert W\rVert^2")

st.subheader("Train a model")
# The stage first (buttons over the loss curve and the model's view, side by side), so a
# projector shows the controls with what they move; the settings it reads are drawn below.
live, settings = st.container(), st.container(key="t_settings")   # keyed: tests/e2e/test_layout.py
with settings:
    st.markdown("**Settings**: change the data or the model, then press Train.")
    data_kwargs, spec, epochs = settings_ui()
with live:
    speed = buttons_ui()
    current_run((data_kwargs, spec, epochs), speed)
    # Fragments are declared here, after the buttons' callbacks and current_run have
    # settled whether we are training, so they tick only while we are.
    tick = redraw_seconds()
    loss_side, model_side = st.columns(2, gap="medium")
    with loss_side:
        st.fragment(training_panel, run_every=ticking(tick))(epochs)
    with model_side:
        st.fragment(model_panel, run_every=ticking(max(SURFACE_SECONDS, 4 * tick)))(data_kwargs)
ui.show_code(Trainer._one_epoch, ce_core.categorical_cross_entropy)

st.divider()
# A section of its own rather than a tab: its controls stay visible (and reachable by
# keyboard) without a click, and an expander could not hold the "Show the code" expander.
st.subheader("Gradient descent by hand")
gradient_descent_section()
ui.lesson_nav(__file__)
