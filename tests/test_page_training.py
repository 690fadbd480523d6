"""AppTest of pages/6_Live_training.py.

AppTest does not tick ``st.fragment(run_every=...)`` by itself. The page is built so
that the training fragment's body also runs on every full run of the script, and
advances a running training by one tick (a few epochs) each time. So a test presses
Train and then calls ``at.run()``: each call is one more tick.
Expected numbers come from scikit-learn (log_loss on the session's model), not ce_core.
"""

import json

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from ce_core import make_dataset
from tests.apptest import chart_json as chart_spec
from tests.apptest import chart_rows as chart_dataset
from tests.apptest import metrics, page_opener, shown

PAGE = "pages/6_Live_training.py"
open_page = page_opener(PAGE)


def trainer(at):
    return at.session_state["t_trainer"] if "t_trainer" in at.session_state else None


def test_opens_ready_with_title_formula_and_code():
    at = open_page()
    assert at.title[0].value.startswith("Live training")
    assert at.latex  # the formula
    assert "Ready" in at.get("progress")[0].proto.text
    assert at.button(key="t_train").label == "Train"
    assert any(e.label == "Show the code" for e in at.expander)


def test_train_then_each_run_advances_and_matches_log_loss():
    at = open_page()
    at.button(key="t_train").click().run()
    assert not at.exception
    first = len(trainer(at).history)
    assert first >= 1
    at.run()
    at.run()
    t = trainer(at)
    assert len(t.history) > first  # every run is one more tick
    data, model = t.data, t.model
    # The shown numbers equal scikit-learn's log_loss of the session's model right now.
    m = metrics(at)
    assert m["Training loss (nats)"] + " nats" == shown(log_loss(data.y_train, model.predict_proba(data.X_train)))
    assert m["Validation loss (nats)"] + " nats" == shown(log_loss(data.y_val, model.predict_proba(data.X_val)))
    val = [r.val_loss for r in t.history.records]
    assert f"Best, epoch {int(np.argmin(val)) + 1} (nats)" in m
    # The live chart holds every epoch of both curves, each equal to scikit-learn's
    # log_loss at the last epoch, and marks the best epoch once.
    chart = at.get("vega_lite_chart")[0]
    rows = chart_dataset(chart, "losses")
    assert [r["epoch"] for r in rows] == list(range(0, len(t.history) + 1))   # epoch 0 first
    assert rows[-1]["validation"] == pytest.approx(
        log_loss(data.y_val, model.predict_proba(data.X_val)))
    assert rows[-1]["training"] == pytest.approx(
        log_loss(data.y_train, model.predict_proba(data.X_train)))
    assert [r["epoch"] for r in chart_dataset(chart, "best")] == [int(np.argmin(val)) + 1]
    assert len(at.table) == 1 and len(at.table[0].value) == 6  # most-penalised points


def test_loss_chart_starts_at_epoch_zero_with_the_chance_line():
    at = open_page(t_data="Blobs", t_model="Logistic", t_k="3")
    at.button(key="t_train").click().run()
    t = trainer(at)
    chart = at.get("vega_lite_chart")[0]
    first = chart_dataset(chart, "losses")[0]
    # SGDClassifier starts from zero weights: before any update it says 1/3 for every class.
    uniform = np.full((len(t.data.y_train), 3), 1 / 3)
    assert first["epoch"] == 0
    assert first["training"] == pytest.approx(log_loss(t.data.y_train, uniform), rel=1e-12)
    (chance,) = chart_dataset(chart, "chance")
    assert chance["loss"] == pytest.approx(np.log(3), rel=1e-12)
    assert chance["label"] == "guessing 1/3 each: ln 3 = 1.099 nats"


def test_chance_line_in_bits():
    at = open_page()
    at.radio(key="unit").set_value("bits").run()
    at.button(key="t_train").click().run()
    (chance,) = chart_dataset(at.get("vega_lite_chart")[0], "chance")
    assert chance["loss"] == pytest.approx(1.0) and "log₂ 2 = 1.000 bits" in chance["label"]


def test_surface_rings_the_tables_points_by_the_same_ids():
    at = open_page(t_flip="0.2")
    at.button(key="t_train").click().run()
    at.run()
    t = trainer(at)
    table = at.table[0].value
    surface = [c for c in at.get("vega_lite_chart") if "worst" in {d.name for d in c.proto.datasets}]
    ringed = chart_dataset(surface[0], "worst")
    assert [r["point"] for r in ringed] == [int(i) for i in table["point"]]
    assert [r["id"] for r in ringed] == [str(i) for i in table["point"]]
    # The six costliest by scikit-learn's per-point log loss, worst first.
    probs = t.model.predict_proba(t.data.X_train)
    each = [log_loss([c], [p], labels=range(2)) for c, p in zip(t.data.y_train, probs)]
    assert [r["point"] for r in ringed] == list(np.argsort(-np.array(each), kind="stable")[:6])
    for r in ringed:
        assert (r["x"], r["y"]) == tuple(t.data.X_train[r["point"]])


def test_flipped_label_caption_only_when_labels_were_flipped():
    def captions(at):
        return " ".join(c.value for c in at.caption)

    clean = open_page(t_lr="0.03")
    clean.button(key="t_train").click().run()
    assert "A confident mistake" in captions(clean)
    assert "flipped" not in captions(clean) and "flipped?" not in clean.table[0].value
    noisy = open_page(t_flip="0.2")
    noisy.button(key="t_train").click().run()
    assert "With flipped labels, most of these are the flipped points" in captions(noisy)
    assert "flipped?" in noisy.table[0].value


def test_previous_and_next_links_like_every_page():
    from ui.registry import neighbours

    at = open_page()
    previous, following = neighbours(PAGE)
    links = [link.proto.label for link in at.main.get("page_link")]
    assert links[-2:] == [f"Previous: {previous.title}", f"Next: {following.title}"]


def test_pause_stops_and_reset_clears():
    at = open_page()
    at.button(key="t_train").click().run()
    at.button(key="t_pause").click().run()
    epochs = len(trainer(at).history)
    at.run()
    assert len(trainer(at).history) == epochs
    at.button(key="t_train").click().run()  # resume the same run
    assert len(trainer(at).history) > epochs
    at.button(key="t_reset").click().run()
    assert trainer(at) is None and "Ready" in at.get("progress")[0].proto.text


def test_numbers_follow_the_unit():
    at = open_page()
    at.radio(key="unit").set_value("bits").run()
    at.button(key="t_train").click().run()
    t = trainer(at)
    assert metrics(at)["Validation loss (bits)"] + " bits" == shown(
        log_loss(t.data.y_val, t.model.predict_proba(t.data.X_val)), "bits")


def test_huge_learning_rate_shows_divergence_not_a_traceback():
    at = open_page()
    at.select_slider(key="t_lr").set_value(1000.0).run()
    at.button(key="t_train").click().run()
    at.run()
    assert not at.exception
    assert trainer(at).stop_kind == "diverged"
    assert any("diverged" in e.value and "learning rate" in e.value for e in at.error)


@pytest.mark.parametrize("settings, message", [
    (dict(t_n=40, t_imb=20.0), "every class needs at least"),                   # a class vanishes
    (dict(t_data="Digits", t_n=1500, t_imb=20.0), "only 174"),                  # digit 0 runs out
])
def test_impossible_data_shows_the_input_error(settings, message):
    at = open_page()
    for key, value in settings.items():
        widget = at.select_slider(key=key) if key == "t_imb" else (
            at.selectbox(key=key) if key == "t_data" else at.slider(key=key))
        widget.set_value(value)
    at.run()
    at.button(key="t_train").click().run()
    assert not at.exception
    assert any(message in e.value for e in at.error)
    assert trainer(at) is None


def test_digits_show_the_worst_predicted_gallery():
    at = open_page()
    at.selectbox(key="t_data").set_value("Digits").run()
    at.slider(key="t_n").set_value(300).run()
    at.button(key="t_train").click().run()
    assert not at.exception
    gallery = [c for c in at.get("vega_lite_chart")
               if "titles" in {d.name for d in c.proto.datasets}]
    assert len(gallery) == 1
    titles = [r["text"] for r in chart_dataset(gallery[0], "titles")]
    assert len(titles) == 8 and all(t.startswith("true ") and "nats" in t for t in titles)
    # The worst first: its loss is −ln of the probability the session's model gave it.
    t = trainer(at)
    loss = -np.log(t.model.predict_proba(t.data.X_val)[np.arange(len(t.data.y_val)), t.data.y_val])
    assert titles[0].endswith(f"{loss.max():.2f} nats")


def test_live_charts_keep_their_spec_from_tick_to_tick():
    at = open_page()
    # Before training: the training set (every point, in its class) and gradient descent.
    points, _ = at.get("vega_lite_chart")
    data = make_dataset("moons", n_samples=300, noise=0.2, val_fraction=0.3, seed=0)
    assert sorted(r["class"] for r in chart_dataset(points, "points")) == sorted(
        f"class {c}" for c in data.y_train)
    at.button(key="t_train").click().run()
    loss_chart, surface_chart, _ = at.get("vega_lite_chart")
    spec, rows = chart_spec(loss_chart), chart_dataset(loss_chart, "losses")
    surface_spec = chart_spec(surface_chart)
    at.run()
    loss_chart, surface_chart, _ = at.get("vega_lite_chart")
    # Same spec (the browser keeps the chart and swaps its data), more epochs.
    assert chart_spec(loss_chart) == spec and chart_spec(surface_chart) == surface_spec
    assert len(chart_dataset(loss_chart, "losses")) > len(rows)
    points = chart_dataset(surface_chart, "points")
    assert len(points) == len(trainer(at).data.y_train)


def test_changing_a_setting_restarts_the_run():
    at = open_page()
    at.button(key="t_train").click().run()
    at.run()
    before = trainer(at)
    at.select_slider(key="t_lr").set_value(0.03).run()
    after = trainer(at)
    assert after is not before and after.spec.learning_rate == 0.03
    assert len(after.history) <= len(before.history)


def test_state_comes_from_the_url():
    at = open_page(t_data="Spiral", t_k="4", t_model="Logistic")
    at.button(key="t_train").click().run()
    t = trainer(at)
    assert t.data.name == "spiral" and t.data.n_classes == 4 and t.spec.kind == "logistic"


def test_gradient_descent_tab_reaches_sklearns_optimum():
    at = open_page(t_gd_lr="10.0", t_gd_steps="50")
    x, y = _gd_data()
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    w, b = reference.coef_[0, 0], reference.intercept_[0]
    m = metrics(at)
    assert float(m["Distance to the optimum"]) < 1e-6
    assert m["Loss after 50 steps (nats)"] + " nats" == shown(log_loss(y, expit(w * x + b)))
    assert m["Loss at the start (nats)"] + " nats" == shown(log_loss(y, expit(-3.0 * x + 3.0)))


def _descend_by_hand(x, y, lr, steps, w=-3.0, b=3.0):
    """Plain gradient descent written out here: the loss after each step (log_loss)."""
    losses = [log_loss(y, expit(w * x + b))]
    for _ in range(steps):
        r = expit(w * x + b) - y
        w, b = w - lr * np.mean(r * x), b - lr * np.mean(r)
        losses.append(log_loss(y, expit(w * x + b)))
    return np.array(losses)


def test_gradient_descent_default_is_a_walk_the_steps_slider_moves():
    at = open_page()
    assert at.select_slider(key="t_gd_lr").value == 0.3
    assert at.slider(key="t_gd_steps").value <= 50
    x, y = _gd_data()
    by_hand = _descend_by_hand(x, y, 0.3, 50)
    m = metrics(at)
    steps = at.slider(key="t_gd_steps").value
    assert m[f"Loss after {steps} steps (nats)"] + " nats" == shown(by_hand[steps])
    assert float(m["Distance to the optimum"]) > 0.1          # still on its way at the default
    at.slider(key="t_gd_steps").set_value(50).run()
    after = metrics(at)["Loss after 50 steps (nats)"] + " nats"
    assert after == shown(by_hand[50]) and by_hand[50] < by_hand[steps] - 0.01   # more steps, lower
    assert not at.warning and any("loss fell on every step" in c.value for c in at.caption)


def test_a_large_step_size_diverges_and_says_so_without_an_error():
    at = open_page(t_gd_lr="30.0", t_gd_steps="50")
    assert not at.exception and not at.error
    x, y = _gd_data()
    by_hand = _descend_by_hand(x, y, 30.0, 50)
    rises = int(np.sum(np.diff(by_hand) > 0))
    assert rises > 0                                             # the reference goes up too
    (warning,) = at.warning
    assert "too large: gradient descent does not converge" in warning.value
    assert f"went up on {rises} of the 50 steps" in warning.value
    # 2/λ_max from the Hessian at scikit-learn's optimum, written out here
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    p = expit(reference.coef_[0, 0] * x + reference.intercept_[0])
    features = np.column_stack([x, np.ones_like(x)])
    hessian = features.T @ (features * (p * (1 - p))[:, None]) / len(x)
    assert f"2 / λ_max = {2 / np.linalg.eigvalsh(hessian).max():.1f}" in warning.value
    assert 10.0 < 2 / np.linalg.eigvalsh(hessian).max() < 30.0   # so 30 overshoots, 10 does not


def test_a_huge_step_size_ends_above_its_start_and_is_called_divergence():
    at = open_page(t_gd_lr="100.0", t_gd_steps="50", t_gd_sep="0.5")
    x, y = _gd_data(0.5)
    by_hand = _descend_by_hand(x, y, 100.0, 50)
    assert by_hand[-1] > by_hand[0]
    (warning,) = at.warning
    assert "gradient descent diverges: the loss ended higher than it started" in warning.value


def test_gradient_descent_contours_are_log_spaced():
    at = open_page()
    grid = chart_dataset(at.get("vega_lite_chart")[-1], "grid")   # gradient descent: the last
    edges = sorted({r["band"] for r in grid})
    ratios = np.diff(np.log(edges))
    assert len(edges) >= 8 and np.ptp(ratios) < 0.1      # equal steps in log, not in loss
    lowest = [r for r in grid if r["band"] == edges[0]]
    assert len(lowest) < 0.2 * len(grid)                 # the bottom of the bowl is a small ring
    assert all(r["band"] <= r["loss"] for r in grid)


@pytest.mark.parametrize("lr", ["3.0", "30.0"])   # 30: the walk overshoots, wider each step
def test_gradient_descent_steps_move_the_path_not_the_loss_grid(lr):
    at = open_page(t_gd_lr=lr, t_gd_steps="5")
    chart = at.get("vega_lite_chart")[-1]
    spec, grid = chart_spec(chart), chart_dataset(chart, "grid")
    assert len(chart_dataset(chart, "path")) == 6  # the start and 5 steps
    at.slider(key="t_gd_steps").set_value(50).run()
    chart = at.get("vega_lite_chart")[-1]
    assert chart_spec(chart) == spec
    assert chart_dataset(chart, "grid") == grid     # the map stays; only the walk grows
    path = chart_dataset(chart, "path")
    assert len(path) == 51 and (path[0]["w"], path[0]["b"]) == (-3.0, 3.0)
    # Every step of the walk is on the map, but for those past |w| or |b| = 20, where
    # ce_core.surface_around stops the map (its `limit`).
    on_map = [p for p in path if abs(p["w"]) <= 20 and abs(p["b"]) <= 20]
    assert len(on_map) >= 3
    assert all(min(c["w"] for c in grid) <= p["w"] <= max(c["w2"] for c in grid)
               and min(c["b"] for c in grid) <= p["b"] <= max(c["b2"] for c in grid)
               for p in on_map)
    # The drawn path ends where scikit-learn's log_loss of that (w, b) says it should.
    x, y = _gd_data()
    assert path[-1]["loss"] == pytest.approx(log_loss(y, expit(path[-1]["w"] * x + path[-1]["b"])))


def _gd_data(separation=1.5):
    from ce_core import make_1d_data  # the page's data set (the data, not the math under test)

    return make_1d_data(separation=separation)


# ----------------------------------------------------------------------------- cross-entropy or squared error

def _landscape_charts(at) -> dict[str, object]:
    """The section's two Plotly charts by loss, as their protos (spec JSON, id, alt)."""
    found = {}
    for chart in at.get("plotly_chart"):
        for loss in ("cross_entropy", "squared_error"):
            if chart.proto.id.endswith(f"t_landscape_{loss}"):
                found[loss] = chart.proto
    return found


def _squared_error(x, y, w, b):
    return float(np.mean((expit(w * x + b) - y) ** 2))


def _squared_error_walk(x, y, lr, steps, w=-3.0, b=3.0):
    """Gradient descent on mean((σ(wx + b) − y)²), written out here: the loss at each point."""
    losses = [_squared_error(x, y, w, b)]
    for _ in range(steps):
        p = expit(w * x + b)
        dz = 2 * (p - y) * p * (1 - p)
        w, b = w - lr * np.mean(dz * x), b - lr * np.mean(dz)
        losses.append(_squared_error(x, y, w, b))
    return np.array(losses)


def test_landscape_says_in_words_what_both_walks_did():
    from scipy.optimize import minimize

    at = open_page()
    charts = _landscape_charts(at)
    assert set(charts) == {"cross_entropy", "squared_error"}
    x, y = _gd_data()
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    w, b = reference.coef_[0, 0], reference.intercept_[0]
    ce = _descend_by_hand(x, y, 0.3, 50)
    lowest = log_loss(y, expit(w * x + b))
    assert charts["cross_entropy"].alt == (
        f"Cross-entropy: from {shown(ce[0])} at (w, b) = (-3, 3) to {shown(ce[-1])} after 50 "
        f"steps, {(ce[0] - ce[-1]) / (ce[0] - lowest):.0%} of the way down to the lowest "
        f"point, {shown(lowest)} at w = {w:.3f}, b = {b:.3f}.")
    se = _squared_error_walk(x, y, 0.3, 50)
    best = minimize(lambda t: _squared_error(x, y, *t), [w, b], method="Nelder-Mead",
                    options={"xatol": 1e-10, "fatol": 1e-14}).x
    se_lowest = _squared_error(x, y, *best)
    assert charts["squared_error"].alt == (
        f"Squared error: from {se[0]:.4f} at (w, b) = (-3, 3) to {se[-1]:.4f} after 50 steps, "
        f"{(se[0] - se[-1]) / (se[0] - se_lowest):.0%} of the way down to the lowest point, "
        f"{se_lowest:.4f} at w = {best[0]:.3f}, b = {best[1]:.3f}.")
    captions = [c.value for c in at.caption]
    assert charts["cross_entropy"].alt in captions and charts["squared_error"].alt in captions
    spec = json.loads(charts["cross_entropy"].spec)
    assert [t["type"] for t in spec["data"]] == ["surface", "scatter3d", "scatter3d", "scatter3d"]


def test_landscape_is_not_sent_again_when_only_the_step_count_moves():
    at = open_page(t_gd_lr="3.0")
    before = {loss: (c.id, c.spec) for loss, c in _landscape_charts(at).items()}
    at.slider(key="t_gd_steps").set_value(50).run()
    assert {loss: (c.id, c.spec) for loss, c in _landscape_charts(at).items()} == before
    at.select_slider(key="t_gd_lr").set_value(1.0).run()       # a new walk: a new figure,
    after = {loss: json.loads(c.spec) for loss, c in _landscape_charts(at).items()}
    for loss, (_, spec) in before.items():
        old = json.loads(spec)
        assert after[loss]["data"][1]["x"] != old["data"][1]["x"]
        assert after[loss]["data"][0]["z"] == old["data"][0]["z"]   # on the same surface
    at.slider(key="t_gd_sep").set_value(2.0).run()              # new data: a new surface
    moved = {loss: json.loads(c.spec) for loss, c in _landscape_charts(at).items()}
    assert all(moved[loss]["data"][0]["z"] != after[loss]["data"][0]["z"] for loss in moved)


def test_landscape_is_drawn_without_validating_a_plotly_figure(monkeypatch):
    import plotly.graph_objects as go

    built = []
    real = go.Figure.__init__
    monkeypatch.setattr(go.Figure, "__init__",
                        lambda self, *a, **k: built.append(bool(a or k)) or real(self, *a, **k))
    at = open_page()
    at.slider(key="t_gd_steps").set_value(40).run()
    assert len(_landscape_charts(at)) == 2
    assert built and not any(built)     # only empty figures: nothing to validate


def test_landscape_map_view_and_bits():
    at = open_page(t_gd_view="Map")
    charts = _landscape_charts(at)
    spec = json.loads(charts["cross_entropy"].spec)
    assert [t["type"] for t in spec["data"]] == ["contour", "scatter", "scatter", "scatter"]
    assert at.radio(key="t_gd_view").value == "Map"
    at.radio(key="unit").set_value("bits").run()
    spec = json.loads(_landscape_charts(at)["cross_entropy"].spec)
    x, y = _gd_data()
    line = spec["data"][1]
    assert line["customdata"][0] == pytest.approx(log_loss(y, expit(-3.0 * x + 3.0)) / np.log(2))
    assert "bits" in _landscape_charts(at)["cross_entropy"].alt


# ----------------------------------------------------------------------------- one run for a whole class

def test_default_settings_replay_one_shared_recording(monkeypatch):
    import streamlit as st

    import ce_core.replay
    from ce_core.replay import Replay

    calls = []
    real = ce_core.replay.record_run
    monkeypatch.setattr(ce_core.replay, "record_run",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    st.cache_resource.clear()
    students = [open_page(), open_page()]
    for at in students:
        at.button(key="t_train").click().run()
        at.run()
        assert isinstance(trainer(at), Replay)
        assert not at.exception
    assert len(calls) == 1                      # computed once, watched twice
    assert trainer(students[0]).run is trainer(students[1]).run   # one copy in memory
    a, b = (trainer(at).history for at in students)
    n = min(len(a), len(b))                     # paced by the clock, so they may differ in length
    assert n >= 2 and [r.val_loss for r in a.records[:n]] == [r.val_loss for r in b.records[:n]]
    assert any("computed once on the server" in c.value for c in students[0].caption)


def test_changed_settings_train_live():
    from ce_core.training import Trainer

    at = open_page(t_lr="0.03")
    at.button(key="t_train").click().run()
    assert isinstance(trainer(at), Trainer)


def test_step_one_epoch_trains_exactly_one_and_stays_paused():
    at = open_page(t_model="Logistic")            # a run of one's own, not the replay
    at.button(key="t_step_one").click().run()
    assert not at.exception and trainer(at).epoch == 1 and not at.session_state["t_running"]
    at.button(key="t_step_one").click().run()
    t = trainer(at)
    assert t.epoch == 2
    # The loss shown is scikit-learn's log_loss of the model after those two epochs.
    p = t.model.predict_proba(t.data.X_train)
    assert metrics(at)["Training loss (nats)"] == f"{log_loss(t.data.y_train, p):.4f}"


def test_the_speed_slider_paces_the_run():
    at = open_page()
    at.select_slider(key="t_speed").set_value(0.25).run()
    at.button(key="t_train").click().run()
    assert trainer(at).pace.per_second == 2.5     # 1x is 10 epochs a second
