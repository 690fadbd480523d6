"""AppTest of pages/1_Entropy.py: move the controls, press the presets, switch units, and
compare the shown numbers with SciPy and hand computation, formatted the way the page shows them."""

import math

import numpy as np
import pytest
import scipy.stats

from tests.apptest import chart_data, chart_spec, metrics, page_opener, shown

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
    assert m["Shortest code (likeliest outcome)"] == "0.9163 nats"  # -ln 0.4
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
    assert m["Shortest code (likeliest outcome)"] == "0.0000 nats"
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
