"""AppTest of pages/4_Penalty_curves.py: set the controls, compare the shown numbers with
hand formulas and scikit-learn's log_loss, formatted the way the page shows them."""

import json
import math

import numpy as np
import pytest
from sklearn.metrics import log_loss

from tests.apptest import chart_datasets, drawn_with_fragment_ids, metrics, page_opener, shown

PAGE = "pages/4_Penalty_curves.py"
open_page = page_opener(PAGE)
LN2 = math.log(2)


def test_default_shows_the_seed_penalties():
    at = open_page()
    m = metrics(at)
    # p = 0.9, y = 1: -ln 0.9 = 0.1054; had the label been 0: -ln 0.1 = 2.3026
    assert m["Loss for true label 1"] == shown(-math.log(0.9), "nats") == "0.1054 nats"
    assert m["If y = 0: −log(1 − p)"] == "2.3026 nats"
    assert m["Squared error (no unit)"] == "0.0100"
    assert m["Focal loss, γ = 2"] == shown(-(0.1**2) * math.log(0.9), "nats")
    assert len(at.get("vega_lite_chart")) == 3
    curves, compare, gradients = chart_datasets(at)
    # the current p = 0.9 on both penalty curves: -ln 0.9 and -ln 0.1
    np.testing.assert_allclose(curves["current"]["loss"], [-math.log(0.9), -math.log(0.1)],
                               rtol=1e-12)
    np.testing.assert_allclose(curves["seed"]["loss"], [-math.log(0.9), -math.log(0.1)],
                               rtol=1e-12)
    assert list(compare["current"]["p"]) == [0.9]
    np.testing.assert_allclose(gradients["current"]["gradient"],
                               [0.9 - 1, 2 * (0.9 - 1) * 0.9 * 0.1], rtol=1e-12)
    assert "0.90" in at.latex[0].value  # p plugged into the formula


def test_controls_in_bits():
    at = open_page()
    at.slider(key="pc_p").set_value(0.25).run()
    at.radio(key="pc_y").set_value(0).run()
    at.slider(key="pc_g").set_value(1.5).run()
    at.radio(key="unit").set_value("bits").run()
    assert not at.exception
    m = metrics(at)
    assert m["Loss for true label 0"] == shown(-math.log(0.75), "bits")
    assert m["If y = 1: −log p"] == f"{-math.log2(0.25):.4f} bits" == "2.0000 bits"
    assert m["Squared error (no unit)"] == f"{0.25**2:.4f}"
    assert m["Focal loss, γ = 1.5"] == shown(-(0.25**1.5) * math.log(0.75), "bits")
    assert m["Cross-entropy ∂loss/∂z"] == f"{(0.25 - 0) / LN2:+.4f}"  # the loss is in bits
    assert m["Squared error ∂loss/∂z"] == f"{2 * 0.25 * 0.25 * 0.75:+.4f}"
    curves, compare, gradients = chart_datasets(at)
    np.testing.assert_allclose(curves["current"]["loss"], [2.0, -math.log2(0.75)], rtol=1e-12)
    x = compare["curves"]["p"].to_numpy()
    focal = compare["curves"]["curve"] == "focal loss"
    # label 0, gamma 1.5, bits: -(p^1.5) log2(1 - p)
    np.testing.assert_allclose(compare["curves"]["loss"][focal],
                               -(x[focal] ** 1.5) * np.log2(1 - x[focal]), rtol=1e-9)
    assert list(compare["note"]["text"]) == ["true label y = 0\nfocal loss: γ = 1.5"]
    assert list(gradients["wrong"]["p"]) == [0.8]


def test_confidently_wrong_gradients():
    at = open_page()
    at.slider(key="pc_p").set_value(0.02).run()
    m = metrics(at)
    assert m["Cross-entropy ∂loss/∂z"] == "-0.9800"  # p - y
    assert m["Squared error ∂loss/∂z"] == f"{2 * (0.02 - 1) * 0.02 * 0.98:+.4f}"  # -0.0384


def test_p_zero_is_infinite_exactly_and_clipped_like_log_loss():
    at = open_page()
    next(b for b in at.button if b.label == "p = 0").click().run()
    assert not at.exception and at.slider(key="pc_p").value == 0.0
    m = metrics(at)
    clipped = log_loss([1], [0.0], labels=[0, 1])  # sklearn clips to float64 eps
    assert m["Exact loss at your p"] == "∞ nats"
    assert m["Clipped like log_loss"] == shown(clipped, "nats") == "36.0437 nats"
    assert m["Worst clipped loss −log ε"] == "36.0437 nats"
    # the penalty chart caps the marker at its top (6 nats) and writes the real value
    current = chart_datasets(at)[0]["current"]
    np.testing.assert_allclose(current["shown"], [6.0, 0.0], atol=1e-15)  # -ln(1 - eps) ~ eps
    assert list(current["text"]) == [f"↑ {-math.log(2.0**-52):.2f} nats", ""]
    at.radio(key="unit").set_value("bits").run()
    assert metrics(at)["Worst clipped loss −log ε"] == "52.0000 bits"  # eps = 2**-52
    assert chart_datasets(at)[0]["current"]["text"][0] == "↑ 52.00 bits"


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_worked_examples_match_log_loss(unit):
    at = open_page()
    at.radio(key="unit").set_value(unit).run()
    m = metrics(at)
    binary = log_loss([1, 0, 1, 1, 0, 1], [0.9, 0.1, 0.8, 0.7, 0.2, 0.9])
    probs = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.3, 0.5], [0.8, 0.1, 0.1], [0.2, 0.7, 0.1]]
    three = log_loss([0, 1, 2, 0, 1], probs)
    sk = log_loss([0, 1], [[0.9, 0.1], [0.5, 0.5]])
    assert m["Mean loss, Six binary predictions"] == shown(binary, unit)
    assert m["Mean loss, Five samples, three classes"] == shown(three, unit)
    assert m["Mean loss, scikit-learn's log_loss example"] == shown(sk, unit)
    if unit == "nats":  # the seed articles' and scikit-learn's published numbers
        assert [m[k] for k in m if k.startswith("Mean loss")] == [
            "0.1865 nats", "0.4281 nats", "0.3993 nats"]
    table = at.dataframe[0].value
    np.testing.assert_allclose(table[f"loss ({unit})"],
                               -np.log([0.9, 0.9, 0.8, 0.7, 0.8, 0.9])
                               / (1 if unit == "nats" else LN2), rtol=1e-12)


def test_url_reopens_the_page_in_that_state():
    at = open_page(pc_p="0.3", pc_y="0", pc_g="4")
    assert at.slider(key="pc_p").value == 0.3 and at.radio(key="pc_y").value == 0
    m = metrics(at)
    assert m["Loss for true label 0"] == shown(-math.log(0.7), "nats")
    assert m["Focal loss, γ = 4"] == shown(-(0.3**4) * math.log(0.7), "nats")


def test_moving_p_label_and_gamma_changes_chart_data_not_specs():
    """pc_p, pc_y and pc_g change the charts' datasets only (the browser keeps them mounted);
    the penalty curves themselves are a dataset that does not change with p."""
    at = open_page()
    before_specs = [c.proto.spec for c in at.get("vega_lite_chart")]
    before = chart_datasets(at)
    at.slider(key="pc_p").set_value(0.3).run()
    at.radio(key="pc_y").set_value(0).run()
    at.slider(key="pc_g").set_value(3.5).run()
    assert not at.exception
    assert [c.proto.spec for c in at.get("vega_lite_chart")] == before_specs
    after = chart_datasets(at)
    assert after[0]["curves"].equals(before[0]["curves"])
    np.testing.assert_allclose(after[0]["current"]["loss"], [-math.log(0.3), -math.log(0.7)],
                               rtol=1e-12)
    assert not after[1]["curves"].equals(before[1]["curves"])  # label and gamma moved
    assert json.loads(at.get("vega_lite_chart")[0].proto.spec)["layer"]


def test_the_controls_and_everything_they_move_are_one_fragment(monkeypatch):
    drawn = drawn_with_fragment_ids(monkeypatch, open_page)
    fragment_of = {name: fragment for _, name, fragment in drawn}
    (explorer,) = {fragment_of[key] for key in ("pc_p", "pc_y", "pc_g", "pc_set_0.9",
                                                 "pc_set_0.1", "pc_set_0.0")}
    assert explorer
    charts = [fragment for kind, _, fragment in drawn if kind == "vega_lite_chart"]
    assert charts == [explorer] * 3
    for label in ("Loss for true label 1", "Focal loss, γ = 2", "Squared error ∂loss/∂z",
                  "Exact loss at your p", "Worst clipped loss −log ε"):
        assert fragment_of[label] == explorer
    # the sidebar, the title, the fixed worked examples and the quick check stay outside
    assert fragment_of["unit"] == fragment_of["pc_qc_reveal"] == ""
    assert fragment_of["Mean loss, Six binary predictions"] == ""
    tables = [fragment for kind, _, fragment in drawn if kind in ("arrow_data_frame", "dataframe")]
    assert tables == [""] * 3


def test_squared_error_is_given_no_unit_anywhere():
    # before: drawn on "loss (nats)" and "∂loss/∂z (nats per unit of logit)"
    for unit in ("nats", "bits"):
        at = open_page()
        if unit == "bits":
            at.radio(key="unit").set_value("bits").run()
        specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
        compare, gradient = (json.dumps(s, ensure_ascii=False) for s in specs[1:])
        assert f'"title": "loss ({unit})"' not in compare
        assert "nats per unit of logit" not in gradient
        assert "squared error (y − p)², no unit" in compare
        assert "squared error: 2(p − y)·p(1 − p), no unit" in gradient
        se_formulas = [f.value for f in at.latex if r"\ell_{SE}" in f.value or "(y - p)^2" in f.value]
        assert len(se_formulas) == 2 and all("(no unit)" in f for f in se_formulas)
        m = next(x for x in at.metric if x.label == "Squared error ∂loss/∂z")
        assert "No unit" in m.help


def test_cross_entropy_gradient_in_bits_matches_a_finite_difference():
    at = open_page(pc_p="0.3")
    at.radio(key="unit").set_value("bits").run()
    # ℓ(z) = −log2 σ(z), y = 1, at z = logit(0.3): central difference
    z, h = math.log(0.3 / 0.7), 1e-6
    slope = (math.log1p(math.exp(-(z + h))) - math.log1p(math.exp(-(z - h)))) / (2 * h * LN2)
    assert metrics(at)["Cross-entropy ∂loss/∂z"] == f"{slope:+.4f}"
    (ce_gradient,) = [f.value for f in at.latex if r"\ell_{CE}" in f.value]
    assert "bits per unit of logit" in ce_gradient and r"\ln 2" in ce_gradient


def test_why_cross_entropy_links_to_the_3d_landscape():
    at = open_page()
    links = [e for e in at.get("page_link") if "3-D" in e.proto.label]
    assert len(links) == 1 and links[0].proto.page.endswith("Live_training")
