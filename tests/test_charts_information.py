"""Figure builders for the entropy and cross-entropy pages: what they draw is what the math says.

Expected values come from SciPy (scipy.stats.entropy) or hand computation, never from ce_core.
Every chart is valid Vega-Lite, and a slider (weights, K, the coin) changes only its data.
"""

import math

import numpy as np
import pytest
import scipy.stats

from ce_core import InputError
from charts.information import binary_entropy_curve, compare_distributions, entropy_decomposition, surprise_bars
from tests.vega import assert_same_spec, assert_valid, column

LN2 = math.log(2)


def axis_titles(spec) -> set[str]:
    """Every title given to an x or y encoding anywhere in the spec (layers, panels)."""
    found = set()
    if isinstance(spec, dict):
        for channel in ("x", "y"):
            encoding = spec.get("encoding", {}).get(channel, {})
            for title in (encoding.get("title"), (encoding.get("axis") or {}).get("title")):
                if title:
                    found.add(title)
        for value in spec.values():
            found |= axis_titles(value)
    elif isinstance(spec, list):
        for item in spec:
            found |= axis_titles(item)
    return found


def rows(chart, dataset: str, **where) -> list[dict]:
    """The rows of a dataset whose columns equal ``where``."""
    cols = chart.data[dataset]
    table = [dict(zip(cols, values)) for values in zip(*cols.values())]
    return [r for r in table if all(r[k] == v for k, v in where.items())]


# ---------------------------------------------------------------- surprise_bars


def test_surprise_bars_heights_are_probabilities_and_surprises_in_bits():
    p = [0.5, 0.25, 0.125, 0.125]
    chart = surprise_bars(p, unit="bits")
    assert_valid(chart)
    assert chart.data["outcomes"]["prob"] == p
    assert chart.data["outcomes"]["outcome"] == ["1", "2", "3", "4"]
    np.testing.assert_allclose(column(chart, "outcomes", "surprise"), [1, 2, 3, 3])  # -log2 p
    # entropy line at the expected surprise (1.75 bits by hand), maximum line at log2 4 = 2
    np.testing.assert_allclose(column(chart, "levels", "value"), [1.75, 2.0])
    assert scipy.stats.entropy(p, base=2) == pytest.approx(1.75)
    # each bar's share of H: p × surprise, summing to H
    np.testing.assert_allclose(column(chart, "outcomes", "contribution"), [0.5, 0.5, 0.375, 0.375])


def test_surprise_bars_in_nats_match_scipy():
    p = [0.4, 0.3, 0.2, 0.1]
    chart = surprise_bars(p, unit="nats", labels=["a", "b", "c", "d"])
    assert_valid(chart)
    assert chart.data["outcomes"]["outcome"] == ["a", "b", "c", "d"]
    np.testing.assert_allclose(column(chart, "outcomes", "surprise"), [-math.log(v) for v in p])
    np.testing.assert_allclose(column(chart, "levels", "value"),
                               [scipy.stats.entropy(p), math.log(4)])


def test_surprise_bars_zero_probability_is_labelled_infinite_not_drawn():
    chart = surprise_bars([1.0, 0.0, 0.0], unit="bits")
    assert_valid(chart)
    outcomes = chart.data["outcomes"]
    assert outcomes["surprise"] == [0.0, None, None]  # no bar of made-up height
    assert outcomes["contribution"] == [0.0, 0.0, 0.0]  # 0 · log 0 counts as 0
    labels = outcomes["infinity_label"]
    assert labels[0] == "" and all("∞" in t and "p = 0" in t for t in labels[1:])
    np.testing.assert_allclose(column(chart, "levels", "value"), [0.0, math.log2(3)])
    # the ∞ label sits inside the surprise axis, above the entropy and maximum lines
    # (so no line crosses it)
    assert all(math.log2(3) < y < chart.data["levels"]["top"][0] for y in outcomes["infinity_y"])


def test_surprise_bars_leave_room_above_the_tallest_bar():
    chart = surprise_bars([0.9, 0.1], unit="bits")
    tallest = -math.log2(0.1)  # 3.32 bits
    assert chart.data["levels"]["top"][0] > tallest


def test_surprise_bars_axes_say_their_unit():
    titles = axis_titles(surprise_bars([0.5, 0.5], unit="bits").spec)
    assert {"probability", "surprise (bits)", "outcome"} <= titles
    assert "surprise (nats)" in axis_titles(surprise_bars([0.5, 0.5], unit="nats").spec)


def test_surprise_bars_spec_does_not_move_with_the_weights_or_k():
    four = surprise_bars([0.4, 0.3, 0.2, 0.1])
    assert_same_spec(four, surprise_bars([0.1, 0.2, 0.3, 0.4]))
    assert_same_spec(four, surprise_bars([0.5, 0.25, 0.25]))  # K is data too
    assert_same_spec(four, surprise_bars([1.0, 0.0, 0.0, 0.0]))  # so is an infinite bar
    assert four.spec != surprise_bars([0.4, 0.3, 0.2, 0.1], unit="bits").spec


def test_surprise_bars_rejects_a_non_distribution():
    with pytest.raises(InputError, match="sums to"):
        surprise_bars([0.5, 0.6])


# ---------------------------------------------------------------- binary_entropy_curve


def test_binary_entropy_curve_marker_at_the_coin():
    chart = binary_entropy_curve(0.9, unit="bits")
    assert_valid(chart)
    assert chart.data["coin"]["p"] == [0.9]
    # -0.9 log2 0.9 - 0.1 log2 0.1 = 0.4690 bits
    assert chart.data["coin"]["h"][0] == pytest.approx(0.4689955935892812)
    assert chart.data["coin"]["label"] == ["this coin: H(0.90) = 0.469 bits"]
    assert chart.data["peak"]["h"] == pytest.approx([1.0])  # a fair coin's one bit
    assert "1.000 bits" in chart.data["peak"]["label"][0]


def test_binary_entropy_curve_is_scipy_everywhere_in_nats():
    chart = binary_entropy_curve(0.5, unit="nats")
    xs = column(chart, "curve", "p")
    expected = [scipy.stats.entropy([x, 1 - x]) for x in xs]
    np.testing.assert_allclose(column(chart, "curve", "h"), expected, atol=1e-12)
    assert xs[0] == 0 and xs[-1] == 1 and 0.5 in xs
    assert chart.data["peak"]["h"] == pytest.approx([LN2])


def test_binary_entropy_curve_spec_does_not_move_with_the_coin():
    a, b = binary_entropy_curve(0.9), binary_entropy_curve(0.25)
    assert_same_spec(a, b)
    # 0.25 ln 4 + 0.75 ln(4/3) = 0.5623 nats
    assert b.data["coin"]["label"] == ["this coin: H(0.25) = 0.562 nats"]
    assert {"entropy H(p) (nats)", "p = probability of outcome 1"} <= axis_titles(a.spec)
    assert "entropy H(p) (bits)" in axis_titles(binary_entropy_curve(0.9, unit="bits").spec)


@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_binary_entropy_curve_rejects_bad_p(p):
    with pytest.raises(InputError):
        binary_entropy_curve(p)


# ---------------------------------------------------------------- compare_distributions


def test_compare_distributions_bars_and_code_lengths():
    p, q = [1.0, 0.0, 0.0], [0.7, 0.2, 0.1]
    chart = compare_distributions(p, q, unit="bits")
    assert_valid(chart)
    truth = rows(chart, "bars", series="P (truth)")
    model = rows(chart, "bars", series="Q (model)")
    assert [r["prob"] for r in truth] == p and [r["prob"] for r in model] == q
    assert [r["outcome"] for r in model] == ["1", "2", "3"]
    # Q's code lengths -log2 q, in the tooltip: 0.515, 2.322, 3.322
    assert [r["code_q"] for r in model] == ["0.515", "2.322", "3.322"]
    assert [r["label"] for r in truth] == ["1.00", "0.00", "0.00"]
    assert "probability" in axis_titles(chart.spec)


def test_compare_distributions_zero_q_code_is_infinite():
    chart = compare_distributions([0.5, 0.5], [1.0, 0.0])
    assert [r["code_q"] for r in rows(chart, "bars", series="Q (model)")] == ["0.000", "∞"]


def test_compare_distributions_value_labels_only_up_to_four_outcomes():
    five = compare_distributions([0.2] * 5, [0.1, 0.2, 0.3, 0.2, 0.2])
    assert set(five.data["bars"]["label"]) == {""}
    assert_same_spec(compare_distributions([0.6, 0.3, 0.1], [0.3, 0.4, 0.3]), five)


def test_compare_distributions_needs_same_outcomes():
    with pytest.raises(InputError, match="same outcomes|entries"):
        compare_distributions([0.5, 0.5], [0.2, 0.3, 0.5])


# ---------------------------------------------------------------- entropy_decomposition


def test_decomposition_stacks_entropy_and_kl_to_the_cross_entropy():
    p, q = [0.5, 0.5], [0.9, 0.1]
    chart = entropy_decomposition(p, q, unit="bits")
    assert_valid(chart)
    kl_pq, kl_qp = scipy.stats.entropy(p, q, base=2), scipy.stats.entropy(q, p, base=2)
    h_q = scipy.stats.entropy(q, base=2)
    h_row, kl_row = rows(chart, "segments", row="data from P, Q's code")
    # top bar: data from P with Q's code. H(P) = 1 bit from 0, then KL(P||Q) on top of it
    assert (h_row["start"], h_row["end"]) == (0.0, pytest.approx(1.0))
    assert kl_row["start"] == pytest.approx(1.0)
    assert kl_row["end"] == pytest.approx(1.0 + kl_pq)
    assert kl_row["value"] == pytest.approx(kl_pq)
    # bottom bar: the roles swapped, H(Q) and KL(Q||P)
    h2, kl2 = rows(chart, "segments", row="data from Q, P's code")
    assert h2["end"] == pytest.approx(h_q) and kl2["value"] == pytest.approx(kl_qp)
    # the two KL directions differ: 0.737 vs 0.531 bits
    assert kl_pq == pytest.approx(0.7370, abs=1e-4) and kl_qp == pytest.approx(0.5310, abs=1e-4)
    # totals written at the bar ends: H(P,Q) = 1.737 bits, H(Q,P) = H(Q) + KL(Q||P)
    np.testing.assert_allclose(column(chart, "totals", "x"), [1 + kl_pq, h_q + kl_qp])
    assert chart.data["totals"]["label"] == [f"H(P,Q) = {1 + kl_pq:.3f}",
                                             f"H(Q,P) = {h_q + kl_qp:.3f}"]
    assert chart.data["frame"]["right"][0] > 1 + kl_pq  # room for the label
    assert "average code length per outcome (bits)" in axis_titles(chart.spec)


def test_decomposition_infinite_kl_is_labelled_not_drawn():
    chart = entropy_decomposition([0.5, 0.5], [1.0, 0.0], unit="nats")
    assert_valid(chart)
    h_row, kl_row = rows(chart, "segments", row="data from P, Q's code")
    assert kl_row["start"] is None and kl_row["end"] is None and kl_row["value"] is None
    assert h_row["end"] == pytest.approx(LN2)  # H(P) of a fair coin is still drawn
    totals = chart.data["totals"]
    assert totals["infinite"] == [True, False]
    assert "KL(P‖Q) = ∞" in totals["label"][0] and "H(P,Q) = ∞" in totals["label"][0]
    assert totals["x"][0] == pytest.approx(LN2)  # the ∞ label starts where H(P) ends
    # the finite direction: data from Q (certain) coded with P's code costs ln 2 nats
    assert totals["label"][1] == f"H(Q,P) = {LN2:.3f}"
    _, kl_qp = rows(chart, "segments", row="data from Q, P's code")
    assert kl_qp["value"] == pytest.approx(LN2)
    assert not any(v is not None and math.isinf(v)
                   for col in chart.data["segments"].values() for v in col
                   if isinstance(v, float))


def test_decomposition_spec_does_not_move_with_p_and_q():
    a = entropy_decomposition([0.6, 0.3, 0.1], [0.3, 0.4, 0.3])
    assert_same_spec(a, entropy_decomposition([0.6, 0.3, 0.1], [0.6, 0.4, 0.0]))
    assert_same_spec(a, entropy_decomposition([0.5, 0.5], [0.9, 0.1]))


def panel_px(chart) -> int:
    """Height of the surprise panel's plot (the lower one), as the spec draws it."""
    return chart.spec["vconcat"][1]["height"]


def test_no_reference_line_crosses_a_value_label():
    # The reviewer's case: p = (.4, .3, .2, .1): H ≈ 1.28 and ln 4 ≈ 1.39 nats run through
    # the space just above the 1.20 bar, so its label goes inside the bar's top. The axis
    # ends at 1.3 · ln 10 ≈ 2.99, so on a 180 px panel 1 nat is 60 px: the 0.92 label,
    # standing 4-24 px above its bar (59-79 px), would touch H's line at 77 px too.
    p = [0.4, 0.3, 0.2, 0.1]
    chart = surprise_bars(p)
    assert_valid(chart)
    assert panel_px(chart) == 180
    out = chart.data["outcomes"]
    assert out["label_inside"] == ["0.92", "1.20", "", ""]
    assert out["label_above"] == ["", "", "1.61", "2.30"]
    top = chart.data["levels"]["top"][0]
    px = panel_px(chart) / top       # the panel's plot is this tall, its axis ends at top
    lines = [v * px for v in chart.data["levels"]["value"]]
    for base, above, inside in zip(out["label_y"], out["label_above"], out["label_inside"]):
        low, high = ((base * px + 4, base * px + 24) if above else (base * px - 24, base * px - 4))
        assert all(v < low - 1.5 or v > high + 1.5 for v in lines), (base, lines)


@pytest.mark.parametrize("seed", range(40))
def test_value_labels_avoid_the_lines_for_any_distribution(seed):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.full(rng.integers(2, 9), 0.7))
    chart = surprise_bars(p, unit="bits" if seed % 2 else "nats")
    out = chart.data["outcomes"]
    px = panel_px(chart) / chart.data["levels"]["top"][0]
    lines = [v * px for v in chart.data["levels"]["value"]]
    for s, base, above, inside in zip(out["surprise"], out["label_y"], out["label_above"],
                                      out["label_inside"]):
        assert (above == "") != (inside == "") and f"{s:.2f}" in (above, inside)
        low, high = ((base * px + 4, base * px + 24) if above else (base * px - 24, base * px - 4))
        assert all(v < low - 1.5 or v > high + 1.5 for v in lines)
        assert high < panel_px(chart) and (above or base * px >= 28)   # in the plot, in its bar


def test_cross_entropy_charts_give_no_code_length_in_nats():
    """A code is counted in bits: in nats the same −ln q is a surprise, not a length."""
    import json
    p, q = [0.6, 0.3, 0.1], [0.2, 0.5, 0.3]
    for chart in (compare_distributions(p, q, unit="nats"), entropy_decomposition(p, q, unit="nats")):
        assert "code length" not in json.dumps(chart.spec) + chart.alt
    assert "code length" in json.dumps(compare_distributions(p, q, unit="bits").spec)
