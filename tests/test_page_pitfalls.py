"""AppTest of pages/7_Pitfalls.py: each tab's controls move its numbers, and every shown
number equals one computed here independently (scikit-learn, SciPy, NumPy by hand) from
the same seeded data or from the probabilities the seeded experiment produced."""

import json
import math

import numpy as np
import pytest
from scipy.optimize import minimize_scalar
from scipy.special import softmax as scipy_softmax
from scipy.stats import entropy as scipy_entropy
from sklearn.calibration import calibration_curve
from sklearn.metrics import log_loss, recall_score
from sklearn.utils.class_weight import compute_class_weight
from streamlit.testing.v1 import AppTest

from ce_core import make_dataset
from ce_core import pitfalls as pf
from tests.apptest import APP, charts, metrics, open_page, shown

PAGE = "pages/7_Pitfalls.py"
LN2 = math.log(2)
PLAIN_SLIDERS = ("pf_flip", "pf_bins")  # the others are select_sliders


def pct(share: float) -> str:
    return f"{share:.1%}"


def open_tab(tab: str, unit: str = "nats", **widgets) -> AppTest:
    at = open_page(PAGE, unit=unit, timeout=90)
    at.session_state["pf_tab"] = tab
    at.run()
    for key, value in widgets.items():
        widget = at.slider(key=key) if key in PLAIN_SLIDERS else at.select_slider(key=key)
        widget.set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_opens_on_imbalance_with_title_formulas_code_and_lesson_nav():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.title[0].value.startswith("Pitfalls")
    assert [t.label for t in at.tabs] == ["Class imbalance", "Label noise", "Overconfidence",
                                         "Overfitting"]
    assert at.latex and any(e.label == "Show the code" for e in at.expander)
    assert "Base-rate baseline" in metrics(at)  # only the open tab computes
    assert "Fitted temperature T*" not in metrics(at)


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_imbalance_numbers(unit):
    at = open_tab("Class imbalance", unit, pf_imb=5.0, pf_gamma=1.0)
    m = metrics(at)
    data = make_dataset("blobs", n_samples=300, n_classes=2, noise=2.0, imbalance=5.0, seed=0)
    train_freq = np.bincount(data.y_train) / len(data.y_train)
    val_freq = np.bincount(data.y_val) / len(data.y_val)
    assert m["Base-rate baseline"] == shown(log_loss(data.y_val, np.tile(train_freq, (len(data.y_val), 1))), unit)
    assert m["H(y) of the validation labels"] == shown(scipy_entropy(val_freq), unit)
    study = pf.imbalance_study(5.0, gamma=1.0)
    np.testing.assert_array_equal(study.data.y_val, data.y_val)
    baseline = log_loss(data.y_val, np.tile(train_freq, (len(data.y_val), 1)))
    gain = 1 - log_loss(data.y_val, study.runs["plain"].val_probs) / baseline
    assert m["Plain model's gain over baseline"] == pct(gain)
    table = at.table[0].value
    assert list(table["recipe"]) == ["plain", "class-weighted", "focal"]
    seeds = [make_dataset("blobs", n_samples=300, n_classes=2, noise=2.0, imbalance=5.0, seed=k)
             for k in range(pf.SEEDS)]
    show = (lambda v: shown(v, unit)[:-len(unit) - 1])           # the number, the unit is in the header
    for row, (scheme, runs) in zip(table.to_dict("records"), study.seeds.items()):
        assert len(runs) == pf.SEEDS == 5
        loss, weighted, recall = [], [], []
        for run, data_k in zip(runs, seeds):
            np.testing.assert_array_equal(run.y_val, data_k.y_val)
            loss.append(log_loss(data_k.y_val, run.val_probs))
            w = compute_class_weight("balanced", classes=np.arange(2), y=data_k.y_train)
            weighted.append(log_loss(data_k.y_val, run.val_probs, sample_weight=w[data_k.y_val]))
            recall.append(recall_score(data_k.y_val, run.val_probs.argmax(axis=1), pos_label=1))
        for column, values, fmt in ((f"validation loss ({unit})", loss, show),
                                    (f"class-weighted validation loss ({unit})", weighted, show),
                                    ("rare-class recall", recall, pct)):
            assert row[column] == f"{fmt(np.mean(values))} ({fmt(min(values))}–{fmt(max(values))})"
    # The weighted models lower the class-weighted loss, the average they were trained on.
    by_scheme = {r["recipe"]: r for r in table.to_dict("records")}
    first = lambda text: float(text.split()[0])
    assert (first(by_scheme["class-weighted"][f"class-weighted validation loss ({unit})"])
            < first(by_scheme["plain"][f"class-weighted validation loss ({unit})"]))
    # The chart draws the same per-class recall and loss, class sizes in its labels.
    (spec, drawn), = charts(at)
    bars = drawn["classes"]
    sizes = np.bincount(data.y_val)
    assert list(bars["class"][:2]) == [f"class {k} ({sizes[k]} pts)" for k in (0, 1)]
    for scheme, run in study.runs.items():
        mine = bars[bars["run"] == scheme]
        np.testing.assert_allclose(mine["recall"], recall_score(data.y_val, run.val_probs.argmax(axis=1),
                                                               average=None))
        q_true = np.clip(run.val_probs[np.arange(len(data.y_val)), data.y_val], 2.0 ** -52, 1)
        per_class = [-np.log(q_true[data.y_val == k]).mean() for k in (0, 1)]
        scale = 1 if unit == "nats" else 1 / LN2
        np.testing.assert_allclose(mine["loss"], np.array(per_class) * scale, rtol=1e-9)
    assert f"mean cross-entropy ({unit})" in json.dumps(spec)


def test_imbalance_text_says_the_baseline_plainly_and_rare_recall_steps():
    at = open_tab("Class imbalance")
    text = " ".join(md.value for md in at.markdown)
    assert "so the two differ as much as those shares do" not in text
    assert "always predicts the class shares of the training set" in text
    study = pf.imbalance_study(10.0, gamma=2.0)
    rare = int(np.sum(study.data.y_val == 1))
    assert rare == 8                                           # 8 rare validation points ...
    assert any(f"steps of 1/{rare} = 12.5%" in c.value for c in at.caption)   # ... 12.5 % steps


def test_label_noise_numbers():
    at = open_tab("Label noise", pf_flip=0.1, pf_eps_noise=0.2)
    m = metrics(at)
    study = pf.noise_study(0.1, epsilon=0.2)
    data = make_dataset("moons", n_samples=200, noise=0.2, flip=0.1, seed=0)
    np.testing.assert_array_equal(study.data.flipped, data.flipped)
    losses = study.train_losses
    assert m["Mean training loss (plain)"] == shown(float(np.mean(losses)))
    worst = np.sort(losses)[::-1][: round(0.1 * len(losses))]
    assert m["Share carried by the worst 10 %"] == pct(worst.sum() / losses.sum())
    assert m["Mean loss, clean points"] == shown(float(np.mean(losses[~data.flipped])))
    assert m["Mean loss, flipped points"] == shown(float(np.mean(losses[data.flipped])))
    assert not any(label.startswith("Validation:") for label in m)   # reported over seeds instead
    assert any("Huber" in el.value for el in at.info)
    (spec, histogram), (_, remedies) = charts(at)
    bars = histogram["bars"]
    assert bars["count"].sum() == len(losses)            # every training point in one bar
    assert bars.loc[bars["group"] == "flipped label", "count"].sum() == data.flipped.sum()
    assert histogram["mean"]["mean"][0] == pytest.approx(np.mean(losses))
    # Unstacked on a linear axis: each bar from 0 to its own count, side by side in its bin.
    assert '"log"' not in json.dumps(spec)
    assert spec["layer"][0]["encoding"]["y2"] == {"datum": 0}          # every bar from 0
    edges = np.linspace(0, losses.max(), 31)
    for group, mask in (("clean label", ~data.flipped), ("flipped label", data.flipped)):
        mine = bars[bars["group"] == group]
        expected = np.histogram(losses[mask], bins=edges)[0]
        np.testing.assert_array_equal(mine["count"], expected[expected > 0])
    clean, flipped = bars[bars["group"] == "clean label"], bars[bars["group"] == "flipped label"]
    assert (clean["right"] <= clean["start"] + (clean["end"] - clean["start"]) / 2 + 1e-12).all()
    assert (flipped["left"] >= flipped["start"] + (flipped["end"] - flipped["start"]) / 2 - 1e-12).all()
    rows = remedies["remedies"]
    assert list(rows["recipe"]) == list(study.runs)
    for i, name in enumerate(study.seeds):
        per_seed = [log_loss(run.y_val, run.val_probs) for run in study.seeds[name]]
        assert len(per_seed) == 5
        assert rows["loss"][i] == pytest.approx(np.mean(per_seed))
        assert (rows["low"][i], rows["high"][i]) == pytest.approx((min(per_seed), max(per_seed)))


def independent_ece(y, probs, n_bins):
    correct = (probs.argmax(axis=1) == y).astype(int)
    confidence = probs.max(axis=1)
    prob_true, prob_pred = calibration_curve(correct, confidence, n_bins=n_bins)
    edges = np.linspace(0, 1, n_bins + 1)
    counts = np.bincount(np.searchsorted(edges[1:-1], confidence), minlength=n_bins)
    counts = counts[counts > 0]
    return float(np.sum(counts * np.abs(prob_true - prob_pred)) / counts.sum())


def scaled(probs, t):
    return scipy_softmax(np.log(probs) / t, axis=1)


def test_calibration_numbers():
    at = open_tab("Overconfidence", pf_temp=2.0, pf_eps=0.05, pf_bins=8)
    m = metrics(at)
    study = pf.calibration_study(0.05)
    plain = study.runs["plain"]
    y, q = plain.y_val, plain.val_probs
    assert m["Validation loss, as trained (T = 1)"] == shown(log_loss(y, q))
    assert m["ECE, as trained (T = 1)"] == pct(independent_ece(y, q, 8))
    assert m["Validation loss at T = 2"] == shown(log_loss(y, scaled(q, 2.0)))
    assert m["ECE at T = 2"] == pct(independent_ece(y, scaled(q, 2.0), 8))
    best = minimize_scalar(lambda t: log_loss(y, scaled(q, t)), bounds=(0.05, 20), method="bounded",
                           options={"xatol": 1e-9}).x
    assert float(m["Fitted temperature T*"]) == pytest.approx(best, abs=2e-3)
    fitted = pf.fit_temperature(y, q)  # the shown T* to 3 decimals; ECE needs it unrounded
    assert m["Validation loss at T*"] == shown(log_loss(y, scaled(q, best)))
    smooth = study.runs["label smoothing"]
    assert m["ECE at T*"] == pct(independent_ece(y, scaled(q, fitted), 8))
    assert m["Loss, smoothing ε = 0.05"] == shown(log_loss(y, smooth.val_probs))
    assert m["ECE, smoothing ε = 0.05"] == pct(independent_ece(y, smooth.val_probs, 8))
    assert best > 1  # the large, long-trained network is overconfident
    (_, reliability), (_, temperature) = charts(at)
    assert list(dict.fromkeys(reliability["bins"]["model"])) == [
        "as trained (T = 1)", "T = 2", "label smoothing ε = 0.05"]
    assert reliability["bins"]["count"][reliability["bins"]["order"] == 0].sum() == len(y)
    marks = temperature["marks"]
    assert list(marks["label"]) == ["your T = 2.00", f"fitted T = {best:.2f}"]
    assert marks["loss"][0] == pytest.approx(log_loss(y, scaled(q, 2.0)))
    assert marks["T"][1] == pytest.approx(best, abs=2e-3)


def test_at_t_equal_one_no_card_repeats_the_model_as_trained():
    at = open_tab("Overconfidence", pf_temp=1.0)
    labels = list(metrics(at))
    assert not any("at T = 1" in label and "T*" not in label for label in labels), labels
    values = [m.value for m in at.metric if m.label.startswith("Validation loss")]
    assert len(values) == len(set(values)) == 2            # as trained, and at T*


def test_reliability_diagram_is_square_bars_over_a_count_histogram():
    at = open_tab("Overconfidence", pf_temp=2.0, pf_bins=10)
    study = pf.calibration_study(0.1)
    y, q = study.runs["plain"].y_val, study.runs["plain"].val_probs
    (spec, reliability), _ = charts(at)
    top, counts = spec["vconcat"]
    assert top["width"] == top["height"]                                    # square axes
    marks = [layer["mark"]["type"] for layer in top["layer"]]
    assert "bar" in marks and [layer["mark"]["type"] for layer in counts["layer"]] == ["bar"]
    bins = reliability["bins"]
    plain = bins[bins["order"] == 0]
    correct = (q.argmax(axis=1) == y).astype(int)
    prob_true, prob_pred = calibration_curve(correct, q.max(axis=1), n_bins=10)
    np.testing.assert_allclose(plain["accuracy"], prob_true)
    np.testing.assert_allclose(plain["confidence"], prob_pred)
    edges = np.linspace(0, 1, 11)
    hist = np.bincount(np.searchsorted(edges[1:-1], q.max(axis=1)), minlength=10)
    np.testing.assert_array_equal(plain["count"], hist[hist > 0])


def test_calibration_without_smoothing_hides_second_model():
    at = open_tab("Overconfidence", pf_eps=0.0)
    assert not any(label.startswith("ECE, smoothing") for label in metrics(at))
    (_, reliability), _ = charts(at)
    assert set(reliability["bins"]["model"]) == {"as trained (T = 1)"}   # T = 1: one model only


def test_overfitting_numbers_and_alpha_closes_the_gap():
    at = open_tab("Overfitting", pf_alpha=0.0, pf_n=60)
    m = metrics(at)
    run = pf.overfitting_study(0.0, n_samples=60)
    data = make_dataset("moons", n_samples=60, noise=0.35, flip=0.1, val_fraction=0.5, seed=0)
    val = run.history.val_loss
    best = int(np.argmin(val)) + 1
    assert m["Final validation loss"] == shown(log_loss(data.y_val, run.val_probs))
    assert m["Final training loss"] == shown(float(np.mean(run.train_losses)))
    assert m["Gap (validation − training)"] == shown(val[-1] - run.history.train_loss[-1])
    assert m[f"Early stopping: epoch {best}"] == shown(float(val.min()))
    assert val[-1] > val.min() + 0.2  # validation loss climbed after its best epoch
    (_, curves), = charts(at)                   # the loss curves, the best epoch marked
    np.testing.assert_allclose(curves["losses"]["validation"][1:], val)
    assert curves["losses"]["epoch"][0] == 0 and curves["chance"]["loss"][0] == pytest.approx(LN2)
    text = " ".join(md.value for md in at.markdown)
    assert "Why the validation loss starts below the training loss" in text
    assert "Only the training labels are flipped" in text
    first = run.history.records[0]
    assert first.val_loss < first.train_loss        # what the sentence explains, in this run
    assert list(curves["best"]["epoch"]) == [best]
    gap_free = float(m["Gap (validation − training)"].split()[0])
    at.select_slider(key="pf_alpha").set_value(0.3).run()
    assert not at.exception
    assert float(metrics(at)["Gap (validation − training)"].split()[0]) < gap_free


def test_tab_and_controls_come_from_the_url():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(PAGE)
    at.query_params["pf_tab"] = "Overfitting"
    at.query_params["pf_alpha"] = "0.01"
    at.run()
    assert not at.exception
    assert at.select_slider(key="pf_alpha").value == 0.01
    assert "Final validation loss" in metrics(at)
