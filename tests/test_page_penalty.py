"""AppTest of pages/4_Penalty_curves.py: set the controls, compare the shown numbers with
hand formulas and scikit-learn's log_loss, formatted the way the page shows them."""

import math
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import log_loss
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/4_Penalty_curves.py"
LN2 = math.log(2)


def shown(nats: float, unit: str) -> str:
    if math.isinf(nats):
        return f"∞ {unit}"
    value = nats if unit == "nats" else nats / LN2
    return f"{value:.4f} {unit}"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def open_page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(PAGE)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def test_default_shows_the_seed_penalties():
    at = open_page()
    m = metrics(at)
    # p = 0.9, y = 1: -ln 0.9 = 0.1054; had the label been 0: -ln 0.1 = 2.3026
    assert m["Loss for true label 1"] == shown(-math.log(0.9), "nats") == "0.1054 nats"
    assert m["If y = 0: −log(1 − p)"] == "2.3026 nats"
    assert m["Squared error (no unit)"] == "0.0100"
    assert m["Focal loss, γ = 2"] == shown(-(0.1**2) * math.log(0.9), "nats")
    assert len(at.get("plotly_chart")) == 3
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
    assert m["Cross-entropy ∂loss/∂z"] == f"{0.25 - 0:+.4f}"
    assert m["Squared error ∂loss/∂z"] == f"{2 * 0.25 * 0.25 * 0.75:+.4f}"


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
    at.radio(key="unit").set_value("bits").run()
    assert metrics(at)["Worst clipped loss −log ε"] == "52.0000 bits"  # eps = 2**-52


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
