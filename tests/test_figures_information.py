"""Figure builders for the entropy and cross-entropy pages: what they draw is what the math says.

Expected values come from SciPy (scipy.stats.entropy) or hand computation, never from ce_core.
"""

import json
import math

import numpy as np
import pytest
import scipy.stats

from ce_core import InputError
from ce_core.figures import (
    binary_entropy_curve,
    compare_distributions,
    entropy_decomposition,
    surprise_bars,
)

LN2 = math.log(2)


def spec(fig) -> dict:
    """The JSON Plotly ships to the browser: NaN or Infinity here would break the chart."""
    text = fig.to_json()
    assert "NaN" not in text and "Infinity" not in text
    return json.loads(text)


def hlines(fig) -> list[float]:
    return [s["y0"] for s in spec(fig)["layout"].get("shapes", []) if s["y0"] == s["y1"]]


# ---------------------------------------------------------------- surprise_bars


def test_surprise_bars_heights_are_probabilities_and_surprises_in_bits():
    p = [0.5, 0.25, 0.125, 0.125]
    fig = surprise_bars(p, unit="bits")
    prob, surp = spec(fig)["data"][:2]
    assert prob["y"] == p
    assert surp["y"] == pytest.approx([1.0, 2.0, 3.0, 3.0])  # -log2 of 1/2, 1/4, 1/8
    # entropy line at the expected surprise (1.75 bits by hand), maximum line at log2 4 = 2
    assert sorted(hlines(fig)) == pytest.approx(sorted([1.75, 2.0]))
    assert scipy.stats.entropy(p, base=2) == pytest.approx(1.75)


def test_surprise_bars_in_nats_match_scipy():
    p = [0.4, 0.3, 0.2, 0.1]
    fig = surprise_bars(p, unit="nats")
    assert spec(fig)["data"][1]["y"] == pytest.approx([-math.log(v) for v in p])
    assert sorted(hlines(fig)) == pytest.approx(sorted([scipy.stats.entropy(p), math.log(4)]))


def test_surprise_bars_zero_probability_is_labelled_infinite_not_drawn():
    fig = surprise_bars([1.0, 0.0, 0.0], unit="bits")
    surp = spec(fig)["data"][1]
    assert surp["y"] == [0.0, None, None]  # no bar of made-up height
    assert surp["text"] == ["0.00", "∞", "∞"]
    labels = [a["text"] for a in spec(fig)["layout"]["annotations"]]
    assert sum("∞" in t for t in labels) == 2
    assert sorted(hlines(fig)) == pytest.approx([0.0, math.log2(3)])


def test_surprise_bars_axes_say_their_unit():
    layout = spec(surprise_bars([0.5, 0.5], unit="bits"))["layout"]
    titles = [layout[a]["title"]["text"] for a in layout if a.startswith("yaxis")]
    assert "probability" in titles and "surprise (bits)" in titles


def test_surprise_bars_rejects_a_non_distribution():
    with pytest.raises(InputError, match="sums to"):
        surprise_bars([0.5, 0.6])


# ---------------------------------------------------------------- binary_entropy_curve


def test_binary_entropy_curve_marker_at_the_coin():
    fig = binary_entropy_curve(0.9, unit="bits")
    curve, marker = spec(fig)["data"]
    assert marker["x"] == [0.9]
    # -0.9 log2 0.9 - 0.1 log2 0.1 = 0.4690 bits
    assert marker["y"][0] == pytest.approx(0.4689955935892812)
    assert hlines(fig) == pytest.approx([1.0])  # a fair coin's one bit


def test_binary_entropy_curve_is_scipy_everywhere_in_nats():
    curve = spec(binary_entropy_curve(0.5, unit="nats"))["data"][0]
    xs = np.asarray(curve["x"])
    expected = [scipy.stats.entropy([x, 1 - x]) for x in xs]
    np.testing.assert_allclose(curve["y"], expected, atol=1e-12)
    assert xs[0] == 0 and xs[-1] == 1 and 0.5 in xs


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_binary_entropy_curve_rejects_bad_p(p):
    with pytest.raises(InputError):
        binary_entropy_curve(p)


# ---------------------------------------------------------------- compare_distributions


def test_compare_distributions_bars_and_code_lengths():
    p, q = [1.0, 0.0, 0.0], [0.7, 0.2, 0.1]
    bar_p, bar_q = spec(compare_distributions(p, q, unit="bits"))["data"]
    assert bar_p["y"] == p and bar_q["y"] == q
    # Q's code lengths -log2 q, in the hover: 0.515, 2.322, 3.322
    assert [c[0] for c in bar_q["customdata"]] == ["0.515", "2.322", "3.322"]


def test_compare_distributions_zero_q_code_is_infinite():
    bar_q = spec(compare_distributions([0.5, 0.5], [1.0, 0.0]))["data"][1]
    assert bar_q["customdata"][1] == ["∞"]


def test_compare_distributions_needs_same_outcomes():
    with pytest.raises(InputError, match="same outcomes|entries"):
        compare_distributions([0.5, 0.5], [0.2, 0.3, 0.5])


# ---------------------------------------------------------------- entropy_decomposition


def test_decomposition_stacks_entropy_and_kl_to_the_cross_entropy():
    p, q = [0.5, 0.5], [0.9, 0.1]
    h, kl = spec(entropy_decomposition(p, q, unit="bits"))["data"]
    # second row: data from P with Q's code. H(P) = 1 bit; KL by scipy
    assert h["x"][1] == pytest.approx(1.0)
    assert kl["x"][1] == pytest.approx(scipy.stats.entropy(p, q, base=2))
    # first row: the roles swapped, H(Q) and KL(Q||P)
    assert h["x"][0] == pytest.approx(scipy.stats.entropy(q, base=2))
    assert kl["x"][0] == pytest.approx(scipy.stats.entropy(q, p, base=2))
    # the two KL directions differ: 0.737 vs 0.531 bits
    assert kl["x"][0] != pytest.approx(kl["x"][1], abs=0.1)


def test_decomposition_infinite_kl_is_a_labelled_hatched_bar():
    fig = entropy_decomposition([0.5, 0.5], [1.0, 0.0], unit="nats")
    data = spec(fig)
    kl = data["data"][1]
    assert kl["marker"]["pattern"]["shape"] == ["", "x"]  # only the P-with-Q's-code row
    texts = [a["text"] for a in data["layout"]["annotations"]]
    assert any("KL(P‖Q) = ∞" in t for t in texts)
    assert any("H(P,Q) = ∞" in t for t in texts)
    # the finite direction: data from Q (certain) coded with P's code costs ln 2 nats
    assert any(f"H(Q,P) = {LN2:.3f}" in t for t in texts)
    assert data["data"][1]["x"][0] == pytest.approx(LN2)
