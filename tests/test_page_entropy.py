"""AppTest of pages/1_Entropy.py: move the controls, press the presets, switch units, and
compare the shown numbers with SciPy and hand computation, formatted the way the page shows them."""

import json
import math

import numpy as np
import pytest
import scipy.stats

from tests.apptest import chart_data, chart_json, chart_spec, metrics, page_opener, shown, vega_charts
from tests.test_wording import page_text

PAGE = "pages/1_Entropy.py"
open_page = page_opener(PAGE)
PRESET_KEYS = {  # button key -> preset name on the page
    "Fair coin": "e_preset_0",
    "Coin 0.9 / 0.1": "e_preset_1",
    "Fair die": "e_preset_2",
    "Skewed": "e_preset_3",
    "Certain": "e_preset_4",
}


def test_default_distribution():
    at = open_page()
    m = metrics(at)
    p = [0.4, 0.3, 0.2, 0.1]  # default weights 40, 30, 20, 10 over K = 4
    assert m["Entropy H(P)"] == shown(scipy.stats.entropy(p), "nats") == "1.2799 nats"
    assert m["Maximum log K (K = 4)"] == "1.3863 nats"  # ln 4
    assert m["Smallest surprise (likeliest outcome)"] == "0.9163 nats"  # -ln 0.4
    assert len(at.get("vega_lite_chart")) == 2
    bars = chart_data(at, 0, "outcomes")  # the surprise chart draws the same distribution
    np.testing.assert_allclose(bars["prob"], p)
    np.testing.assert_allclose(bars["surprise"], [-math.log(v) for v in p])
    coin = chart_data(at, 1, "coin")  # the binary curve's coin is e_b's default, 0.9
    assert coin["h"][0] == pytest.approx(scipy.stats.entropy([0.9, 0.1]))
    assert "1.2799" in at.latex[0].value  # the result is plugged into the formula
    assert r"0.40\cdot0.92" in at.latex[0].value  # and so are p and its surprise


@pytest.mark.parametrize(
    "preset, k, entropy_bits",
    [
        ("Fair coin", 2, "1.0000 bits"),  # one yes/no question
        ("Coin 0.9 / 0.1", 2, "0.4690 bits"),  # -0.9 log2 0.9 - 0.1 log2 0.1
        ("Fair die", 6, f"{math.log2(6):.4f} bits"),  # log2 6 = 2.5850
        ("Skewed", 5, "1.8750 bits"),  # 1/2*1 + 1/4*2 + 1/8*3 + 2 * 1/16*4
        ("Certain", 4, "0.0000 bits"),  # nothing left to learn
    ],
)
def test_presets_in_bits(preset, k, entropy_bits):
    at = open_page()
    at.radio(key="unit").set_value("bits").run()
    at.button(key=PRESET_KEYS[preset]).click().run()
    assert not at.exception
    assert at.slider(key="e_k").value == k
    m = metrics(at)
    assert m["Entropy H(P)"] == entropy_bits
    assert m[f"Maximum log K (K = {k})"] == f"{math.log2(k):.4f} bits"
    # the preset's values are in the URL (values equal to the slider defaults are left out)
    assert dict(at.query_params).get("e_k", "4") == str(k)


def test_certain_outcome_shows_zero_not_minus_zero():
    at = open_page()
    at.button(key=PRESET_KEYS["Certain"]).click().run()
    m = metrics(at)
    assert m["Entropy H(P)"] == "0.0000 nats"
    assert m["Smallest surprise (likeliest outcome)"] == "0.0000 nats"
    assert "-0.00" not in at.latex[0].value


def test_sliders_set_the_distribution():
    at = open_page()
    specs = [chart_spec(at, i) for i in range(2)]
    at.slider(key="e_k").set_value(3).run()
    for key, w in (("e_p1", 10), ("e_p2", 30), ("e_p3", 60)):
        at.slider(key=key).set_value(w).run()
    assert not at.exception
    p = [0.1, 0.3, 0.6]
    m = metrics(at)
    assert m["Entropy H(P)"] == shown(scipy.stats.entropy(p), "nats")
    assert m["Maximum log K (K = 3)"] == shown(math.log(3), "nats")
    # the chart shows the new K = 3 distribution with the spec it had for K = 4:
    # K and the weights only swap its data, so the browser keeps it mounted
    np.testing.assert_allclose(chart_data(at, 0, "outcomes")["prob"], p)
    assert list(chart_data(at, 0, "outcomes")["outcome"]) == ["1", "2", "3"]
    assert [chart_spec(at, i) for i in range(2)] == specs
    at.radio(key="unit").set_value("bits").run()
    assert metrics(at)["Entropy H(P)"] == f"{scipy.stats.entropy(p, base=2):.4f} bits"


def test_all_weights_zero_is_a_message_not_a_crash():
    at = open_page()
    at.slider(key="e_k").set_value(2).run()
    at.slider(key="e_p1").set_value(0).run()
    at.slider(key="e_p2").set_value(0).run()
    assert not at.exception
    assert "all 0" in at.warning[0].value


def test_binary_curve_uses_own_slider_when_k_above_2():
    at = open_page()
    at.slider(key="e_b").set_value(0.25).run()
    # 0.25*2 + 0.75*log2(4/3) = 0.8113 bits = 0.5623 nats
    assert metrics(at)["Coin entropy H(0.25)"] == shown(scipy.stats.entropy([0.25, 0.75]), "nats")
    assert list(chart_data(at, 1, "coin")["p"]) == [0.25]


def test_binary_curve_follows_the_distribution_when_k_is_2():
    at = open_page()
    at.button(key=PRESET_KEYS["Coin 0.9 / 0.1"]).click().run()
    assert not [s for s in at.slider if s.key == "e_b"]  # no second coin to set
    assert metrics(at)["Coin entropy H(0.90)"] == shown(scipy.stats.entropy([0.9, 0.1]), "nats")


def test_url_reopens_the_page_in_its_state():
    at = open_page(e_k="3", e_p1="70", e_p2="20", e_p3="10")
    assert [at.slider(key=k).value for k in ("e_k", "e_p1", "e_p2", "e_p3")] == [3, 70, 20, 10]
    m = metrics(at)
    assert m["Entropy H(P)"] == shown(scipy.stats.entropy([0.7, 0.2, 0.1]), "nats")
    assert dict(at.query_params)["e_p1"] == "70"


def test_preset_that_raises_k_puts_every_value_in_the_url():
    # opened as a coin, then the die: outcome 3's weight (10) differs from its default (20),
    # so the link must carry it, or reopening the link would not show a fair die
    at = open_page(e_k="2", e_p1="50", e_p2="50")
    at.button(key=PRESET_KEYS["Fair die"]).click().run()
    params = dict(at.query_params)
    assert params["e_k"] == "6" and params["e_p3"] == "10"
    reopened = open_page(**params)
    assert metrics(reopened)["Entropy H(P)"] == shown(math.log(6), "nats")


# --- the code panel: a real code, in bits ----------------------------------------------------

def code_table(at):
    return at.dataframe[0].value


def test_three_equal_outcomes_average_five_thirds_bits_not_log2_3():
    # codewords 0, 10, 11 (by hand): (1 + 2 + 2) / 3 = 5/3 bits, while H = log2 3 = 1.585 bits;
    # shown in bits although the sidebar says nats
    at = open_page(e_k="3", e_p1="10", e_p2="10", e_p3="10")
    m = metrics(at)
    assert m["Average codeword length L"] == f"{5 / 3:.4f} bits" == "1.6667 bits"
    assert m["Entropy H, the lower bound"] == f"{math.log2(3):.4f} bits"
    assert m["Extra bits L − H"] == f"{5 / 3 - math.log2(3):.4f} bits"
    table = code_table(at)
    assert list(table["codeword"]) == ["0", "10", "11"]
    assert list(table["length (bits)"]) == ["1", "2", "2"]
    assert list(table["ideal −log₂ p (bits)"]) == [f"{math.log2(3):.3f}"] * 3
    assert "H = 1.5850" in at.latex[1].value and "L = 1.6667" in at.latex[1].value


def test_code_panel_of_the_default_distribution():
    # by hand: merges 0.1 + 0.2, 0.3 + 0.3, 0.4 + 0.6 give lengths 1, 2, 3, 3; L = 1.9 bits
    at = open_page()
    table = code_table(at)
    words = list(table["codeword"])
    assert words == ["0", "10", "110", "111"]
    assert not any(a != b and b.startswith(a) for a in words for b in words)  # prefix-free
    np.testing.assert_allclose([float(v) for v in table["ideal −log₂ p (bits)"]],
                               -np.log2([0.4, 0.3, 0.2, 0.1]), atol=5e-4)
    h = scipy.stats.entropy([0.4, 0.3, 0.2, 0.1], base=2)
    m = metrics(at)
    assert m["Average codeword length L"] == "1.9000 bits"
    assert m["Entropy H, the lower bound"] == f"{h:.4f} bits"
    assert h <= 1.9 < h + 1


def test_impossible_and_certain_outcomes_in_the_code_panel():
    at = open_page(e_k="3", e_p1="50", e_p2="0", e_p3="50")
    table = code_table(at)
    assert list(table["codeword"]) == ["0", "never happens: no codeword", "1"]
    assert list(table["ideal −log₂ p (bits)"])[1] == "∞"
    assert metrics(at)["Average codeword length L"] == "1.0000 bits"
    at.button(key=PRESET_KEYS["Certain"]).click().run()
    assert not at.exception
    assert list(code_table(at)["codeword"])[0] == "empty: nothing to send"
    assert metrics(at)["Average codeword length L"] == "0.0000 bits"


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_no_code_length_is_ever_given_in_nats(unit):
    at = open_page()
    if unit == "bits":
        at.radio(key="unit").set_value("bits").run()
    code_metrics = {k: v for k, v in metrics(at).items() if "code" in k.lower()}
    assert code_metrics and all(v.endswith(" bits") for v in code_metrics.values()), code_metrics
    text = page_text(at)
    assert "bits whatever unit the sidebar shows" in text
    # the surprise chart calls −ln p a code length nowhere
    titles = json.dumps(chart_json(vega_charts(at)[0]), ensure_ascii=False)
    assert ("codeword length" in titles) == (unit == "bits")
    assert "code length" not in titles


def test_entropy_is_called_a_lower_bound_and_never_what_a_code_achieves():
    text = page_text(open_page())
    for wrong in ("any code can achieve", "may need up to one bit more", "Shortest code"):
        assert wrong not in text
    assert text.count("lower bound") >= 2
