"""Every chart's text alternative (``Chart.alt``) says the chart's numbers, and they are right.

Expected values are hand computations (with their source in a comment) or come from
SciPy / scikit-learn, never from the builders' own output. The AppTest at the end reads
the description back from a page, as ``ui.draw`` renders it, escaped.
"""

from __future__ import annotations

import html
import math
import re

import numpy as np
import pytest
from scipy.special import softmax as scipy_softmax
from scipy.stats import entropy as scipy_entropy

from charts.calculator import loss_histogram_figure
from charts.information import (binary_entropy_curve, compare_distributions, entropy_decomposition,
                                surprise_bars)
from charts.likelihood import coin_panels, logistic_fit, running_likelihood
from charts.penalty import logit_gradients, loss_comparison, penalty_curves
from charts.softmax import (softmax_gradient_bars, softmax_probability_bars,
                            softmax_temperature_lines)
from charts.style import spoken, spoken_list


def numbers(text: str) -> list[float]:
    """Every decimal number written in a text (thousands separators allowed)."""
    return [float(m.replace(",", "")) for m in re.findall(r"-?\d[\d,]*\.\d+|-?\d+", text)]


def says(text: str, value: float, digits: int) -> bool:
    """``value`` is written in ``text`` rounded to ``digits`` decimals."""
    return f"{value:.{digits}f}" in text


def test_spoken_reads_infinities_and_missing_values():
    assert spoken(math.inf) == "infinity" and spoken(-math.inf) == "minus infinity"
    assert spoken(None) == "not drawn" and spoken(math.nan) == "not drawn"
    assert spoken(-0.0004, 3) == "0.000" and spoken(1.23456, 3) == "1.235"
    assert spoken_list(["A", "B"], [0.916, 1.2]) == "A: 0.92, B: 1.20"


def test_surprise_bars_say_every_surprise_the_entropy_and_its_maximum():
    p = [0.5, 0.25, 0.125, 0.125]
    alt = surprise_bars(p).alt
    for name, q in zip("1234", p):
        assert f"{name}: {-math.log(q):.2f}" in alt          # surprise −ln p, by hand
    assert says(alt, scipy_entropy(p), 2)                   # H = 1.2130 nats (SciPy)
    assert says(alt, math.log(4), 2)                        # log K = ln 4 = 1.386
    bits = surprise_bars(p, unit="bits").alt
    assert "1: 1.00, 2: 2.00, 3: 3.00, 4: 3.00" in bits      # −log2 of 1/2, 1/4, 1/8
    assert says(bits, 1.75, 2) and "bits" in bits            # H = 1.75 bits (Cover & Thomas 2.1)


def test_surprise_bars_name_an_impossible_outcome():
    alt = surprise_bars([0.5, 0.5, 0.0]).alt
    assert "3: infinity" in alt and says(alt, math.log(2), 2)


def test_binary_entropy_curve_says_the_coin_and_the_peak():
    alt = binary_entropy_curve(0.9).alt
    h = scipy_entropy([0.9, 0.1])                           # 0.3251 nats
    assert says(alt, h, 3) and says(alt, math.log(2), 3) and "p = 0.90" in alt
    assert says(binary_entropy_curve(0.5, unit="bits").alt, 1.0, 3)


def test_compare_distributions_says_p_q_and_q_code_length():
    alt = compare_distributions([0.5, 0.5], [0.9, 0.1]).alt
    assert "P 0.50, Q 0.90" in alt and "P 0.50, Q 0.10" in alt
    assert f"{-math.log(0.9):.3f}" in alt and f"{-math.log(0.1):.3f}" in alt


def test_entropy_decomposition_says_h_plus_kl_both_ways():
    p, q = [0.5, 0.5], [0.9, 0.1]
    alt = entropy_decomposition(p, q).alt
    h_p, kl_pq = scipy_entropy(p), scipy_entropy(p, q)      # SciPy: entropy(p, q) is KL
    h_q, kl_qp = scipy_entropy(q), scipy_entropy(q, p)
    for value in (h_p, kl_pq, h_p + kl_pq, h_q, kl_qp, h_q + kl_qp):
        assert says(alt, value, 3), (value, alt)
    assert "infinity" in entropy_decomposition(p, [1.0, 0.0]).alt   # q = 0 where p > 0


def test_coin_panels_say_your_q_and_the_best_q():
    flips = [1, 1, 0]   # k = 2 heads of n = 3
    panels = coin_panels(flips, 0.5)
    # q = 0.5: L = 1/8, ln L = 3 ln 0.5, mean loss ln 2; best q = 2/3: L = 4/27
    assert "0.125" in panels["likelihood"].alt and "0.148" in panels["likelihood"].alt
    assert says(panels["log_likelihood"].alt, 3 * math.log(0.5), 3)
    assert says(panels["log_likelihood"].alt, math.log(4 / 27), 3)
    assert says(panels["cross_entropy"].alt, math.log(2), 3)
    assert says(panels["cross_entropy"].alt, -math.log(4 / 27) / 3, 3)
    assert "lowest" in panels["cross_entropy"].alt and "highest" in panels["likelihood"].alt


def test_running_likelihood_says_where_the_product_underflows():
    # 0.5^n underflows to 0.0 at n = 1075: 2^-1075 is below the smallest float64 2^-1074
    alt = running_likelihood([1, 0] * 600, 0.5).alt
    assert "flip 1,075" in alt and says(alt, 1200 * math.log(0.5), 2)
    assert "same value" in running_likelihood([1, 0], 0.5).alt


def test_logistic_fit_says_each_point_and_the_mean_loss():
    from sklearn.metrics import log_loss
    x, y, w, b = np.array([-1.0, 0.0, 1.0, 2.0]), np.array([0, 0, 1, 1]), 1.0, 0.0
    p1 = 1 / (1 + np.exp(-(w * x + b)))
    alt = logistic_fit(x, y, w, b, (2.0, -0.5)).alt
    for p_label in np.where(y == 1, p1, 1 - p1):
        assert says(alt, p_label, 3)
    assert says(alt, log_loss(y, p1), 3) and "w = 2.00, b = -0.50" in alt


def test_softmax_bars_say_each_probability_and_the_true_class():
    z = np.array([2.0, 1.0, 0.1])
    p = scipy_softmax(z)
    alt = softmax_probability_bars(p, 0).alt
    assert "class 0 (true class)" in alt and all(says(alt, v, 3) for v in p)
    grad = p - np.eye(3)[0]                                  # softmax − one-hot
    galt = softmax_gradient_bars(grad, 0).alt
    assert all(says(galt, v, 3) for v in grad)
    assert "class 0 (true class): -0.341, raised" in galt and "lowered" in galt


def test_temperature_lines_say_the_probabilities_at_the_ends_and_at_t():
    z = np.array([2.0, 1.0, 0.1])
    alt = softmax_temperature_lines(z, temperature=2.0).alt
    for t in (0.1, 10.0, 2.0):
        assert all(says(alt, v, 3) for v in scipy_softmax(z / t)), t


def test_penalty_charts_say_the_losses_and_gradients_at_p():
    p = 0.3
    assert says(penalty_curves(p).alt, -math.log(p), 3)
    assert says(penalty_curves(p).alt, -math.log(1 - p), 3)
    assert "p = 0.9 → 0.105" in penalty_curves(p).alt        # the seed article's −ln 0.9
    comparison = loss_comparison(1, gamma=2.0, p=p).alt
    # focal loss −(1 − p)^γ ln p (Lin et al. 2017), squared error (1 − p)²
    for value in (-math.log(p), (1 - p) ** 2, -(1 - p) ** 2 * math.log(p)):
        assert says(comparison, value, 3), value
    gradients = logit_gradients(1, p=p).alt
    # sigmoid + cross-entropy: p − y; sigmoid + squared error: 2(p − y) p (1 − p)
    assert says(gradients, p - 1, 3) and says(gradients, 2 * (p - 1) * p * (1 - p), 3)
    assert says(logit_gradients(1, p=p, unit="bits").alt, (p - 1) / math.log(2), 3)


def test_loss_histogram_says_how_many_samples_and_the_tallest_bin():
    alt = loss_histogram_figure(np.array([2, 5, 1]), np.array([0.0, 0.5, 1.0, 1.5]), "nats",
                                n_infinite=1).alt
    assert "8 samples in 3 bins" in alt and "0.500 to 1.000, holds 5" in alt
    assert "1 infinite" in alt


def test_training_charts_say_their_numbers():
    from ce_core.training import DescentPath, EpochRecord, History
    from charts.training import gradient_descent_surface, loss_cells, loss_curves
    records = [EpochRecord(e, 1 / e, 1 / e + e / 10, 0.0, 0.5, 0.5, 1.0, 0.0) for e in (1, 2, 3)]
    alt = loss_curves(History(records), n_classes=2).alt
    # validation 1/e + e/10: 1.1, 0.7, 0.633..., lowest at epoch 3; chance ln 2
    assert "training (solid) from 1.000 to 0.333" in alt and "validation (dashed)" in alt
    assert "0.633 at epoch 3" in alt and says(alt, math.log(2), 3)
    path = DescentPath(np.array([0.0, 1.0]), np.array([0.0, 0.5]), np.array([0.7, 0.4]))
    walk = gradient_descent_surface(loss_cells([0, 1, 2], [0, 1], np.ones((2, 3))), path,
                                           (1.5, 0.4)).alt
    assert "0.7000" in walk and "0.4000" in walk and "w = 1.50, b = 0.40" in walk


def test_pitfalls_charts_say_their_numbers():
    from charts.pitfalls import loss_histogram, temperature_curve
    alt = loss_histogram([0.1, 0.2, 3.0], [False, False, True]).alt
    assert "2 points with a clean label" in alt and "1 with a flipped label" in alt
    assert "mean 1.100" in alt                                # (0.1 + 0.2 + 3.0) / 3
    t = temperature_curve([0.5, 1.0, 2.0], [0.6, 0.5, 0.55], chosen=(1.0, 0.5), best=(1.2, 0.49)).alt
    assert "0.5000" in t and "0.4900" in t and "fitted T = 1.20" in t


def test_a_page_draws_the_description_and_updates_it():
    """AppTest: the Entropy page's surprise chart description, read back from the page as
    ui.draw renders it, matches SciPy and follows a weight."""
    from tests.apptest import open_page
    at = open_page("pages/1_Entropy.py")

    def weights():
        k = int(at.slider(key="e_k").value)
        return np.array([at.slider(key=f"e_p{i}").value for i in range(1, k + 1)], dtype=float)

    before = _description(at, "e_chart_surprise")
    assert says(before, scipy_entropy(weights() / weights().sum()), 2), before
    at.slider(key="e_p1").set_value(int(weights()[0]) + 7).run()
    after = _description(at, "e_chart_surprise")
    assert after != before and says(after, scipy_entropy(weights() / weights().sum()), 2), after


def _description(at, key: str) -> str:
    """The text ui.draw drew for the chart ``key`` (HTML unescaped)."""
    for element in at.get("html"):
        body = element.proto.body
        if f'id="ce-alt-{key}"' in body:
            return html.unescape(re.sub(r"<[^>]+>", "", body))
    return ""


def test_the_description_is_escaped_html():
    """Text in a description (a label a student typed) is shown as text, never as markup."""
    from streamlit.testing.v1 import AppTest

    def script():
        import ui
        from charts.style import Chart, vega_spec
        ui.chart(Chart(vega_spec(layer=[]), {}, alt='Outcome <img src=x onerror=alert(1)> & "q"'),
                 "t_chart")

    at = AppTest.from_function(script).run()
    body = next(e.proto.body for e in at.get("html") if 'id="ce-alt-t_chart"' in e.proto.body)
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;" in body
