"""AppTest of pages/3_Softmax.py: set the controls, compare the shown numbers with SciPy/PyTorch.

The expected strings are formatted here the way the page shows them (4 decimals and the unit),
from values computed independently of ce_core.
"""

import json
import math

import numpy as np
import pytest
import scipy.special
import torch
import torch.nn.functional as F

from tests.apptest import chart_datasets, drawn_with_fragment_ids, metrics, page_opener, shown

PAGE = "pages/3_Softmax.py"
open_page = page_opener(PAGE)


def expected_step(z, y, t):
    zt = torch.tensor(z, dtype=torch.float64, requires_grad=True)
    loss = F.cross_entropy((zt / t)[None, :], torch.tensor([y]))
    loss.backward()
    return loss.item(), zt.grad.numpy(), scipy.special.softmax(np.array(z) / t)


def test_default_page_shows_softmax_of_2_1_01():
    at = open_page()
    p = scipy.special.softmax([2.0, 1.0, 0.1])  # default logits, class 0 true
    shown_metrics = metrics(at)
    assert shown_metrics["Loss −log p(true class)"] == shown(-math.log(p[0]), "nats")
    assert shown_metrics["p(true class)"] == f"{p[0]:.4f}"
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3  # probabilities, gradient, temperature
    bars = chart_datasets(at)[0]["bars"]
    np.testing.assert_allclose(bars["probability"], p, rtol=1e-12)
    assert list(bars["role"]) == ["true class", "other class", "other class"]
    assert all(json.loads(c.proto.spec)["layer"] for c in charts)
    assert at.latex[0].value.count("e^{") >= 4  # the formula with the logits plugged in


def test_controls_and_bits_change_the_numbers():
    at = open_page()
    at.slider(key="s_k").set_value(4).run()
    z = [1.5, -0.5, 3.0, 0.2]
    for i, v in enumerate(z):
        at.slider(key=f"s_z{i}").set_value(v).run()
    at.slider(key="s_t").set_value(2.0).run()
    at.radio(key="s_y").set_value(1).run()
    at.radio(key="unit").set_value("bits").run()
    assert not at.exception
    loss, grad, p = expected_step(z, 1, 2.0)
    shown_metrics = metrics(at)
    assert shown_metrics["Loss −log p(true class)"] == shown(loss, "bits")
    assert shown_metrics["p(true class)"] == f"{p[1]:.4f}"
    # the loss is in bits, so is its gradient: PyTorch's (in nats) divided by ln 2
    assert shown_metrics["∂loss/∂z1 (true class)"] == f"{grad[1] / math.log(2):+.4f}"
    # the gradient chart shows every class's bar, the temperature chart marks T = 2
    probs, grad_chart, temp_chart = chart_datasets(at)
    np.testing.assert_allclose(grad_chart["bars"]["gradient"], grad / math.log(2), rtol=1e-9)
    assert list(grad_chart["bars"]["move"]) == ["lowered", "raised", "lowered", "lowered"]
    np.testing.assert_allclose(probs["bars"]["probability"], p, rtol=1e-9)
    assert list(temp_chart["current"]["T"]) == [2.0]
    assert sorted(set(temp_chart["curves"]["class"])) == [f"class {i}" for i in range(4)]


def test_shift_of_1000_breaks_naive_softmax_only():
    at = open_page()
    at.slider(key="s_c").set_value(1000).run()
    assert not at.exception
    shown_metrics = metrics(at)
    assert shown_metrics["Naive p(class 0)"] == "nan"
    assert shown_metrics["Stable p(class 0)"] == f"{scipy.special.softmax([2.0, 1.0, 0.1])[0]:.4f}"
    assert any("overflowed" in e.value for e in at.error)


def test_seed_example_corrected_with_pytorch_numbers():
    at = open_page()
    p = torch.tensor([[0.7, 0.2, 0.1]], dtype=torch.float64)
    y = torch.tensor([0])
    shown_metrics = metrics(at)
    assert shown_metrics["That number: −log₂ 0.7"] == f"{-math.log2(0.7):.4f} bits"
    assert shown_metrics["F.cross_entropy(ln p, 0)"] == f"{F.cross_entropy(p.log(), y).item():.4f} nats"
    assert shown_metrics["F.cross_entropy([0.7, 0.2, 0.1], 0)"] == f"{F.cross_entropy(p, y).item():.4f} nats"
    assert shown_metrics["F.cross_entropy(ln p, 0)"] == "0.3567 nats"  # not the article's 0.51457


def test_url_reopens_the_page_in_that_state():
    at = open_page(s_t="2", s_k="4", s_y="3", s_z3="5")
    assert at.slider(key="s_t").value == 2.0 and at.slider(key="s_k").value == 4
    z = [2.0, 1.0, 0.1, 5.0]
    loss, _, _ = expected_step(z, 3, 2.0)
    assert metrics(at)["Loss −log p(true class)"] == shown(loss, "nats")


def test_true_class_falls_back_when_k_shrinks():
    at = open_page()
    at.slider(key="s_k").set_value(6).run()
    at.radio(key="s_y").set_value(5).run()
    at.slider(key="s_k").set_value(3).run()
    assert not at.exception and at.radio(key="s_y").value == 0


@pytest.mark.parametrize("preset, label", [("Confident and wrong", 2), ("Equal scores", 0)])
def test_presets(preset, label):
    at = open_page()
    next(b for b in at.button if b.label == preset).click().run()
    assert not at.exception
    z = [6.0, 1.0, 0.0] if preset == "Confident and wrong" else [0.0, 0.0, 0.0]
    p = scipy.special.softmax(z)
    assert metrics(at)["Loss −log p(true class)"] == shown(-math.log(p[label]), "nats")


def test_moving_sliders_changes_chart_data_not_specs():
    """A slider changes the charts' datasets only, so the browser keeps them mounted."""
    at = open_page()
    before = [c.proto.spec for c in at.get("vega_lite_chart")]
    at.slider(key="s_t").set_value(0.5).run()
    at.slider(key="s_z1").set_value(4.0).run()
    at.slider(key="s_k").set_value(5).run()
    at.radio(key="s_y").set_value(3).run()
    assert not at.exception
    assert [c.proto.spec for c in at.get("vega_lite_chart")] == before
    z = [2.0, 4.0, 0.1, -1.0, 0.5]  # the page's default logits, z1 moved
    p = scipy.special.softmax(np.array(z) / 0.5)
    bars = chart_datasets(at)[0]["bars"]
    np.testing.assert_allclose(bars["probability"], p, rtol=1e-9)
    assert list(bars["role"]).index("true class") == 3


def test_the_controls_and_everything_they_move_are_one_fragment(monkeypatch):
    drawn = drawn_with_fragment_ids(monkeypatch, open_page)
    fragment_of = {name: fragment for _, name, fragment in drawn}
    # the overflow section reads the same logits, T and y, so its shift is in the same fragment
    controls = ["s_k", "s_t", "s_z0", "s_z1", "s_z2", "s_y", "s_c", "s_try_1000",
                *(f"s_preset_{i}" for i in range(3))]          # the three presets
    (explorer,) = {fragment_of[key] for key in controls}
    assert explorer
    charts = [fragment for kind, _, fragment in drawn if kind == "vega_lite_chart"]
    assert charts == [explorer] * 3
    for label in ("Loss −log p(true class)", "p(true class)", "∂loss/∂z0 (true class)",
                  "Naive p(class 0)", "Stable p(class 0)"):
        assert fragment_of[label] == explorer
    tables = [fragment for kind, _, fragment in drawn if kind in ("arrow_data_frame", "dataframe")]
    assert tables == [explorer] * 3     # naive, max-subtraction, log-softmax
    assert fragment_of["logsumexp(z)"] == explorer
    # the sidebar, the title, the fixed examples and the quick check stay outside
    assert fragment_of["unit"] == fragment_of["Softmax: from scores to probabilities"] == ""
    assert fragment_of["F.cross_entropy(ln p, 0)"] == fragment_of["s_qc_reveal"] == ""
    assert fragment_of["F.cross_entropy([0, −800], 1)"] == ""


# --- the gradient in the loss's unit ---------------------------------------------------------

def loss_bits(z, y, t):
    """−log2 softmax(z / T)[y] from SciPy, the loss the page shows in bits."""
    return -scipy.special.log_softmax(np.asarray(z) / t)[y] / math.log(2)


@pytest.mark.parametrize("t", [1.0, 2.0])
def test_gradient_in_bits_is_the_slope_of_the_loss_in_bits(t):
    # central differences of −log2 p: the slope of the loss the page defines, whatever
    # formula the page uses
    at = open_page(s_t=str(t))
    at.radio(key="unit").set_value("bits").run()
    z, y, h = np.array([2.0, 1.0, 0.1]), 0, 1e-6
    slope = [(loss_bits(z + h * e, y, t) - loss_bits(z - h * e, y, t)) / (2 * h)
             for e in np.eye(3)]
    bars = chart_datasets(at)[1]["bars"]
    np.testing.assert_allclose(bars["gradient"], slope, rtol=1e-6)
    assert metrics(at)["∂loss/∂z0 (true class)"] == f"{slope[0]:+.4f}"
    latex = at.latex[2].value
    assert r"\ln 2" in latex and "bits per unit of logit" in latex
    assert ("T \\ln 2" in latex) == (t != 1)
    spec = json.loads(at.get("vega_lite_chart")[1].proto.spec)
    assert "∂loss/∂z (bits per unit of logit)" in json.dumps(spec, ensure_ascii=False)


def test_gradient_in_nats_is_p_minus_y():
    at = open_page()
    _, grad, _ = expected_step([2.0, 1.0, 0.1], 0, 1.0)
    np.testing.assert_allclose(chart_datasets(at)[1]["bars"]["gradient"], grad, rtol=1e-12)
    assert "nats per unit of logit" in at.latex[2].value and r"\ln 2" not in at.latex[2].value


def test_at_temperature_one_the_formula_says_e_to_the_z_not_z_over_1():
    at = open_page()
    formulas = " ".join(l.value for l in at.latex)
    assert "/1}" not in formulas and "/T" not in at.latex[0].value
    assert r"e^{2} + e^{1} + e^{0.1}" in at.latex[0].value
    at.slider(key="s_t").set_value(2.0).run()
    assert r"e^{2/2} + e^{1/2} + e^{0.1/2}" in at.latex[0].value


def test_the_true_class_is_labelled_not_only_coloured_when_its_bar_vanishes():
    at = open_page()
    next(b for b in at.button if b.label == "Confident and wrong").click().run()
    probs, grad = chart_datasets(at)[:2]
    p = scipy.special.softmax([6.0, 1.0, 0.0])
    assert p[2] < 0.003                          # the bar is a hair's breadth tall
    assert list(probs["bars"]["tag"]) == ["", "", "true class"]
    assert list(grad["bars"]["tag"]) == ["", "", "true class"]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert any(layer["encoding"].get("text", {}).get("field") == "tag" for layer in spec["layer"])


def test_log_softmax_is_z_minus_logsumexp_like_scipy():
    at = open_page(s_t="2", s_c="700")
    z = (np.array([2.0, 1.0, 0.1]) + 700) / 2
    table = at.dataframe[2].value
    column = [c for c in table.columns if c.startswith("ln p")][0]
    np.testing.assert_allclose([float(v) for v in table[column]], scipy.special.log_softmax(z),
                               atol=5e-5)
    assert metrics(at)["logsumexp(z/2)"] == f"{scipy.special.logsumexp(z):.4f}"
    assert any("Max-subtraction" in m.value for m in at.markdown)
    assert any("log-softmax" in m.value for m in at.markdown)


def test_why_f_cross_entropy_takes_logits_with_pytorch_numbers():
    at = open_page()
    z, y = torch.tensor([[0.0, -800.0]], dtype=torch.float64), torch.tensor([1])
    m = metrics(at)
    assert m["softmax([0, −800]), class 1"] == f"{torch.softmax(z, 1)[0, 1].item():g}" == "0"
    assert m["−ln of that 0"] == "∞ nats"
    assert m["F.cross_entropy([0, −800], 1)"] == f"{F.cross_entropy(z, y).item():.4f} nats"
