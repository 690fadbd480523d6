"""AppTest of pages/2_Cross_entropy_and_KL.py: set P and Q, press the presets, switch units, and
compare the shown numbers with SciPy, PyTorch and hand computation."""

import math

import numpy as np
import pytest
import scipy.stats
import torch

from tests.apptest import (chart_data, chart_spec, drawn_with_fragment_ids, metrics,
                           page_opener, shown)

PAGE = "pages/2_Cross_entropy_and_KL.py"
open_page = page_opener(PAGE)
LN2 = math.log(2)
PRESET_KEYS = {
    "Coin coded as 0.9 / 0.1": "ce_preset_0",
    "One-hot label (the loss)": "ce_preset_1",
    "Model rules out an outcome": "ce_preset_2",
    "Model close to the truth": "ce_preset_3",
    "Q = P": "ce_preset_copy",
}
H_P, H_PQ = "Entropy H(P)", "Cross-entropy H(P,Q)"
KL_PQ, KL_QP = "KL(P‖Q): data from P, Q's code", "KL(Q‖P): data from Q, P's code"


def expected(p, q, unit):
    """H(P), H(P,Q), KL(P||Q), KL(Q||P) from SciPy (its entropy(p, q) is the KL divergence)."""
    base = 2 if unit == "bits" else None
    h = scipy.stats.entropy(p, base=base)
    kl_pq = scipy.stats.entropy(p, q, base=base)
    kl_qp = scipy.stats.entropy(q, p, base=base)
    to_nats = LN2 if unit == "bits" else 1.0  # shown() takes nats
    return [shown(v * to_nats, unit) for v in (h, h + kl_pq, kl_pq, kl_qp)]


def shown_metrics(at):
    m = metrics(at)
    return [m[H_P], m[H_PQ], m["KL(P‖Q), the extra cost"], m[KL_QP]]


def test_default_p_and_q():
    at = open_page()
    p, q = [0.6, 0.3, 0.1], [0.3, 0.4, 0.3]  # default weights, each set summing to 100
    assert shown_metrics(at) == expected(p, q, "nats")
    assert metrics(at)[KL_PQ] == metrics(at)["KL(P‖Q), the extra cost"]
    assert len(at.get("vega_lite_chart")) == 2
    # the decomposition's bar ends are the two cross-entropies, by SciPy
    totals = chart_data(at, 0, "totals")
    np.testing.assert_allclose(totals["x"], [scipy.stats.entropy(p) + scipy.stats.entropy(p, q),
                                             scipy.stats.entropy(q) + scipy.stats.entropy(q, p)])
    bars = chart_data(at, 1, "bars")
    np.testing.assert_allclose(bars["prob"], [0.6, 0.3, 0.1, 0.3, 0.4, 0.3])  # P's bars, then Q's
    assert metrics(at)[H_PQ] .split()[0] in at.latex[0].value  # result plugged into the formula


def test_fair_coin_with_a_biased_code_in_bits():
    at = open_page()
    at.radio(key="unit").set_value("bits").run()
    at.button(key=PRESET_KEYS["Coin coded as 0.9 / 0.1"]).click().run()
    assert not at.exception
    m = metrics(at)
    assert m[H_P] == "1.0000 bits"
    # KL = 0.5 log2(0.5/0.9) + 0.5 log2(0.5/0.1) = 0.5 (log2 5 - log2 1.8) = 0.7370 bits
    assert m[KL_PQ] == "0.7370 bits"
    # swapped: 0.9 log2 1.8 + 0.1 log2 0.2 = 0.7632 - 0.2322 = 0.5310 bits: not symmetric
    assert m[KL_QP] == "0.5310 bits"
    assert m[H_PQ] == "1.7370 bits"
    assert shown_metrics(at) == expected([0.5, 0.5], [0.9, 0.1], "bits")


def test_one_hot_p_collapses_to_minus_log_q_and_matches_pytorch():
    at = open_page()
    at.button(key=PRESET_KEYS["One-hot label (the loss)"]).click().run()
    assert not at.exception
    m = metrics(at)
    assert m[H_P] == "0.0000 nats"
    assert m[H_PQ] == m[KL_PQ] == m["−log q(1), the loss"] == "0.3567 nats"  # -ln 0.7
    # the reverse direction: Q produces outcomes P calls impossible
    assert m[KL_QP] == "∞ nats"
    logits = torch.log(torch.tensor([[0.7, 0.2, 0.1]], dtype=torch.float64))
    torch_loss = torch.nn.functional.cross_entropy(logits, torch.tensor([0])).item()
    assert m["Library loss in nats (log_loss / F.cross_entropy)"] == shown(torch_loss, "nats")
    at.radio(key="unit").set_value("bits").run()
    assert metrics(at)["−log q(1), the loss"] == f"{-math.log2(0.7):.4f} bits" == "0.5146 bits"
    # the library loss stays in nats whatever the unit
    assert metrics(at)["Library loss in nats (log_loss / F.cross_entropy)"] == "0.3567 nats"


def test_q_zero_where_p_positive_is_infinite_not_nan():
    at = open_page()
    at.button(key=PRESET_KEYS["Model rules out an outcome"]).click().run()
    assert not at.exception
    m = metrics(at)
    assert m[H_PQ] == m[KL_PQ] == "∞ nats"
    # reverse is finite: 0.6 ln(0.6/0.6) + 0.4 ln(0.4/0.3), by SciPy
    assert m[KL_QP] == shown(scipy.stats.entropy([0.6, 0.4, 0.0], [0.6, 0.3, 0.1]), "nats")
    assert "outcome 3" in at.warning[0].value
    assert r"\infty" in at.latex[0].value
    assert "nan" not in " ".join(m.values()).lower()


def test_q_equal_to_p_costs_nothing_extra():
    at = open_page()
    at.button(key=PRESET_KEYS["Q = P"]).click().run()
    m = metrics(at)
    assert m[KL_PQ] == m[KL_QP] == "0.0000 nats"
    assert m[H_PQ] == m[H_P] == shown(scipy.stats.entropy([0.6, 0.3, 0.1]), "nats")
    assert [at.slider(key=f"ce_q{i}").value for i in (1, 2, 3)] == [60, 30, 10]


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_sliders_set_p_and_q(unit):
    at = open_page()
    at.radio(key="unit").set_value(unit).run()
    at.slider(key="ce_k").set_value(4).run()
    for key, w in {"ce_p1": 10, "ce_p2": 20, "ce_p3": 30, "ce_p4": 40,
                   "ce_q1": 25, "ce_q2": 25, "ce_q3": 25, "ce_q4": 25}.items():
        at.slider(key=key).set_value(w).run()
    assert not at.exception
    assert shown_metrics(at) == expected([0.1, 0.2, 0.3, 0.4], [0.25] * 4, unit)
    q_bars = chart_data(at, 1, "bars").query("series == 'Q (model)'")
    np.testing.assert_allclose(q_bars["prob"], [0.25] * 4)


def test_moving_q_swaps_the_charts_data_not_their_spec():
    at = open_page()
    specs = [chart_spec(at, i) for i in range(2)]
    at.slider(key="ce_q1").set_value(60).run()  # Q = (60, 40, 30) / 130
    p, q = [0.6, 0.3, 0.1], [60 / 130, 40 / 130, 30 / 130]
    assert [chart_spec(at, i) for i in range(2)] == specs
    totals = chart_data(at, 0, "totals")
    assert totals["x"][0] == pytest.approx(scipy.stats.entropy(p) + scipy.stats.entropy(p, q))
    at.button(key=PRESET_KEYS["Model rules out an outcome"]).click().run()  # KL(P||Q) = inf
    assert [chart_spec(at, i) for i in range(2)] == specs
    totals = chart_data(at, 0, "totals")
    assert list(totals["infinite"]) == [True, False] and "∞" in totals["label"][0]


def test_url_reopens_the_page_in_its_state():
    at = open_page(ce_k="2", ce_p1="50", ce_p2="50", ce_q1="90", ce_q2="10")
    assert [at.slider(key=k).value for k in ("ce_k", "ce_p1", "ce_q1", "ce_q2")] == [2, 50, 90, 10]
    assert shown_metrics(at) == expected([0.5, 0.5], [0.9, 0.1], "nats")
    at.button(key=PRESET_KEYS["Model rules out an outcome"]).click().run()
    # a preset writes its values into the URL
    assert dict(at.query_params).get("ce_q3") == "0"


def test_the_controls_and_everything_they_move_are_one_fragment(monkeypatch):
    # a one-hot P, so that the loss section's metrics are drawn too
    drawn = drawn_with_fragment_ids(monkeypatch, open_page, ce_k="2", ce_p1="100", ce_p2="0")
    fragment_of = {name: fragment for _, name, fragment in drawn}
    controls = ["ce_k", *PRESET_KEYS.values(), *(f"ce_{w}{i}" for w in "pq" for i in range(1, 7))]
    (explorer,) = {fragment_of[key] for key in controls}
    assert explorer
    moved = [(kind, name) for kind, name, fragment in drawn
             if kind in ("metric", "vega_lite_chart") and fragment != explorer]
    assert moved == []
    assert fragment_of["−log q(1), the loss"] == explorer
    assert [kind for kind, *_ in drawn].count("vega_lite_chart") == 2
    # the sidebar, the title, the quick check stay outside: a slider does not rerun them
    assert fragment_of["unit"] == fragment_of["Cross-entropy and KL divergence"] == ""
    assert fragment_of["ce_qc_reveal"] == ""
