"""AppTest of pages/6_Live_training.py.

AppTest does not tick ``st.fragment(run_every=...)`` by itself. The page is built so
that the training fragment's body also runs on every full run of the script, and
advances a running training by one tick (a few epochs) each time. So a test presses
Train and then calls ``at.run()``: each call is one more tick.
Expected numbers come from scikit-learn (log_loss on the session's model), not ce_core.
"""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

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
    assert [r["epoch"] for r in rows] == list(range(1, len(t.history) + 1))
    assert rows[-1]["validation"] == pytest.approx(
        log_loss(data.y_val, model.predict_proba(data.X_val)))
    assert rows[-1]["training"] == pytest.approx(
        log_loss(data.y_train, model.predict_proba(data.X_train)))
    assert [r["epoch"] for r in chart_dataset(chart, "best")] == [int(np.argmin(val)) + 1]
    assert len(at.table) == 1 and len(at.table[0].value) == 6  # most-penalised points


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
    assert len(at.get("vega_lite_chart")) == 1  # only gradient descent before training
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
    at = open_page()
    x, y = _gd_data()
    reference = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    w, b = reference.coef_[0, 0], reference.intercept_[0]
    m = metrics(at)
    assert float(m["Distance to the optimum"]) < 1e-4
    assert m["Loss after 200 steps (nats)"] + " nats" == shown(log_loss(y, expit(w * x + b)))
    assert m["Loss at the start (nats)"] + " nats" == shown(log_loss(y, expit(-3.0 * x + 3.0)))


def test_gradient_descent_steps_move_the_path_not_the_loss_grid():
    at = open_page()
    chart = at.get("vega_lite_chart")[0]
    spec, grid = chart_spec(chart), chart_dataset(chart, "grid")
    assert len(chart_dataset(chart, "path")) == 201  # the start and 200 steps
    at.slider(key="t_gd_steps").set_value(50).run()
    chart = at.get("vega_lite_chart")[0]
    assert chart_spec(chart) == spec
    assert chart_dataset(chart, "grid") == grid
    path = chart_dataset(chart, "path")
    assert len(path) == 51 and (path[0]["w"], path[0]["b"]) == (-3.0, 3.0)
    # The drawn path ends where scikit-learn's log_loss of that (w, b) says it should.
    x, y = _gd_data()
    assert path[-1]["loss"] == pytest.approx(log_loss(y, expit(path[-1]["w"] * x + path[-1]["b"])))


def _gd_data():
    from ce_core import make_1d_data  # the page's data set (the data, not the math under test)

    return make_1d_data(separation=1.5)


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
