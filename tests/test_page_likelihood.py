"""AppTest of pages/2_Likelihood.py: type or draw flips, move q, fit a logistic model, and
compare the shown numbers with SciPy, scikit-learn and hand computation."""

import functools
import math
import operator

import numpy as np
import pytest
import scipy.stats
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

import ce_core
from tests.apptest import chart_data, drawn_with_fragment_ids, metrics, page_opener, shown

PAGE = "pages/2_Likelihood.py"
open_page = page_opener(PAGE)
LIKELIHOOD, LOG_L, CE = ("Likelihood Π qᵢ", "Log-likelihood Σ log qᵢ",
                         "Mean cross-entropy per flip")
BEST_Q, LEAST = "Best q: the share of heads k/n", "Least cross-entropy (at q = k/n)"
FIRST_ZERO = "The product became 0.0 at flip"
# the coin panels, then the running likelihood, then the logistic chart
LIKELIHOOD_PANEL, CE_PANEL, RUNNING, LOGISTIC = 0, 2, 3, 4


def test_seven_heads_in_ten_with_a_fair_coin_model():
    at = open_page()            # HHTHTHHHTH and q = 0.5
    m = metrics(at)
    assert m[LIKELIHOOD] == "0.0009766"                       # 0.5^10 = 1/1024
    assert m[LOG_L] == shown(10 * math.log(0.5))              # −6.9315 nats
    assert m[CE] == shown(math.log(2))                        # ln 2 per flip
    assert m[BEST_Q] == "7/10 = 0.7"
    assert m[LEAST] == shown(scipy.stats.entropy([0.7, 0.3]))  # 0.6109 nats
    assert m[FIRST_ZERO] == "never"
    assert "0.50^{7}" in at.latex[0].value and "0.0009766" in at.latex[0].value


def test_the_cross_entropy_curve_is_lowest_where_the_likelihood_is_highest():
    at = open_page()
    curve = chart_data(at, CE_PANEL, "curve")
    likelihood = chart_data(at, LIKELIHOOD_PANEL, "curve")
    assert curve["q"][curve["v"].idxmin()] == pytest.approx(0.7)
    assert likelihood["q"][likelihood["v"].idxmax()] == pytest.approx(0.7)
    # the likelihood curve is q^7 (1 - q)^3, written out
    np.testing.assert_allclose(likelihood["v"], likelihood["q"] ** 7 * (1 - likelihood["q"]) ** 3,
                               rtol=1e-12)
    best = chart_data(at, CE_PANEL, "best")
    assert best["q"][0] == 0.7 and best["v"][0] == pytest.approx(scipy.stats.entropy([0.7, 0.3]))


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_moving_q_moves_the_numbers_in_the_chosen_unit(unit):
    at = open_page()
    at.radio(key="unit").set_value(unit).run()
    at.slider(key="l_q").set_value(0.7).run()
    ll = scipy.stats.bernoulli.logpmf([1, 1, 0, 1, 0, 1, 1, 1, 0, 1], 0.7).sum()
    m = metrics(at)
    assert m[LOG_L] == shown(ll, unit)
    assert m[CE] == shown(-ll / 10, unit) == m[LEAST]        # at q = k/n the two agree
    assert m[LIKELIHOOD] == f"{0.7 ** 7 * 0.3 ** 3:.4g}"


def test_two_thousand_fair_flips_underflow_the_product_but_not_the_sum_of_logs():
    at = open_page()
    at.button(key="l_preset_1").click().run()                 # "2,000 flips of a fair coin"
    assert not at.exception
    flips = ce_core.draw_flips(2000, heads=0.5, seed=0)       # the data the preset draws
    m = metrics(at)
    assert m[LIKELIHOOD] == m["Product after all 2,000 flips"] == "0.0"
    assert m[LOG_L] == shown(2000 * math.log(0.5))            # −1386.2944 nats
    # Python's float multiplication, flip by flip: the first count whose product is 0.0
    products = [functools.reduce(operator.mul, [0.5] * i, 1.0) for i in (1074, 1075)]
    assert products[0] > 0 and products[1] == 0.0
    assert m[FIRST_ZERO] == "1,075"
    k = int(flips.sum())
    assert m[BEST_Q] == f"{k}/2000 = {k / 2000:.4g}"
    assert "0.0 \\text{ in float64}" in at.latex[0].value and "10^{-603}" in at.latex[0].value
    zero = chart_data(at, RUNNING, "zero")
    assert list(zero["flips"]) == [1075]
    panel_note = chart_data(at, LIKELIHOOD_PANEL, "note")["text"][0]
    assert "0.0" in panel_note


def test_a_typo_in_the_flips_is_named_and_nothing_breaks():
    at = open_page()
    at.text_input(key="l_flips").set_value("HHXT").run()
    assert not at.exception
    assert any("Flip 3" in w.value and "neither heads nor tails" in w.value for w in at.warning)
    assert LIKELIHOOD not in metrics(at)                      # no numbers for bad data


def test_q_that_rules_out_a_flip_gives_zero_likelihood_and_infinite_loss():
    at = open_page(l_flips="HHT", l_q="1.0")
    m = metrics(at)
    assert (m[LIKELIHOOD], m[LOG_L], m[CE]) == ("0.0", "−∞ nats", "∞ nats")
    assert any("impossible" in w.value for w in at.warning)
    formula = at.latex[0].value
    assert r"= 0 \\" in formula and r"-\infty\ \text{nats}" in formula    # ∞ as maths, not text
    assert r"\text{−∞" not in formula and "float64" not in formula       # exactly 0, no underflow
    assert any("flip 3 probability 0" in c.value for c in at.caption)      # the tail, at q = 1


def test_the_url_reopens_typed_flips_and_q():
    at = open_page(l_flips="HTTT", l_q="0.25")
    assert at.text_input(key="l_flips").value == "HTTT" and at.slider(key="l_q").value == 0.25
    assert metrics(at)[CE] == shown(scipy.stats.entropy([0.25, 0.75]))   # q = k/n = 1/4


# --- the labelled set ----------------------------------------------------------------------

def default_points():
    return ce_core.make_1d_data(12, separation=1.0, seed=0)   # the page's default data


def sklearn_fit(x, y):
    model = LogisticRegression(C=np.inf, tol=1e-12, max_iter=10_000).fit(x[:, None], y)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def test_the_logistic_models_cross_entropy_is_log_loss_and_its_best_fit_is_sklearns():
    at = open_page()
    x, y = default_points()
    p = 1 / (1 + np.exp(-(0.5 * x + 0.0)))                    # w = 0.5, b = 0 by default
    m = metrics(at)
    assert m["Mean cross-entropy"] == shown(log_loss(y, p))
    assert m["Log-likelihood"] == shown(scipy.stats.bernoulli.logpmf(y, p).sum())
    w, b = sklearn_fit(x, y)
    assert m["Best fit: w and b"] == f"w = {w:.3f}, b = {b:.3f}"
    best_p = 1 / (1 + np.exp(-(w * x + b)))
    assert m["Least mean cross-entropy"] == shown(log_loss(y, best_p))
    points = chart_data(at, LOGISTIC, "points")
    np.testing.assert_allclose(points["p_true"], np.where(y == 1, p, 1 - p), rtol=1e-12)


def test_move_to_the_best_fit_sets_the_sliders_to_sklearns_fit():
    at = open_page()
    at.button(key="l_best").click().run()
    w, b = sklearn_fit(*default_points())
    assert at.slider(key="l_w").value == pytest.approx(round(w, 1))
    assert at.slider(key="l_b").value == pytest.approx(round(b, 1))


def test_separated_classes_say_there_is_no_best_fit():
    at = open_page(l_gap="4.0", l_dseed="0")                  # 12 points, no overlap
    x, y = ce_core.make_1d_data(12, separation=4.0, seed=0)
    assert x[y == 0].max() < x[y == 1].min()                  # separated, checked directly
    m = metrics(at)
    assert m["Best fit: w and b"] == m["Least mean cross-entropy"] == "none"
    assert any("do not overlap" in i.value for i in at.info)
    assert at.button(key="l_best").disabled


def test_controls_and_what_they_move_are_fragments_and_the_quick_check_is_not(monkeypatch):
    drawn = drawn_with_fragment_ids(monkeypatch, open_page)
    fragment_of = {name: fragment for _, name, fragment in drawn}
    coin = {fragment_of[k] for k in ("l_src", "l_flips", "l_n", "l_coin", "l_seed", "l_q",
                                     LIKELIHOOD, FIRST_ZERO)}
    labelled = {fragment_of[k] for k in ("l_m", "l_gap", "l_dseed", "l_w", "l_b",
                                         "Mean cross-entropy")}
    assert len(coin) == len(labelled) == 1 and coin != labelled and "" not in coin | labelled
    assert fragment_of["l_qc_reveal"] == fragment_of["unit"] == ""
