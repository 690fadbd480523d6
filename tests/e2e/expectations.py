"""What each page must show after its slider moves, computed independently with ce_core.

One entry per page file: which slider the browser test presses (by widget key) and a
function ``(state, unit) -> {metric label: expected value text}``. ``state`` holds every
widget's value as text, keyed by widget key: the URL query string (bound widgets) over
the values the page shows for widgets still at their defaults. The function parses the
text, calls ce_core, and formats the number the way the page's metric does.

A page without an entry still gets the generic test (the first slider moves at least one
metric, and nothing raises).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

import ce_core
from tests.apptest import shown

State = dict[str, str]


@dataclass(frozen=True)
class Expectation:
    slider: str                                   # widget key of the slider to press
    # None: the page's numbers cannot be predicted from its widgets, so the test only
    # checks that at least one metric changes (as for a page with no entry).
    metrics: Callable[[State, str], dict[str, str]] | None = None


def weights(state: State, prefix: str, k: int) -> list[int]:
    """The K weight sliders ``prefix1..prefixK`` as ints."""
    return [int(float(state[f"{prefix}{i}"])) for i in range(1, k + 1)]


def fixed(value: float, digits: int = 4, sign: bool = False) -> str:
    """A plain number as the pages print it: ``'0.2500'``, ``'+0.0100'``."""
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def number(state: State, key: str) -> float:
    return float(state[key])


# --- pages/1_Entropy.py: e_k outcomes with weights e_p1..e_pK; coin e_b when K > 2 ----------

def entropy_page(state: State, unit: str) -> dict[str, str]:
    k = int(number(state, "e_k"))
    p = ce_core.normalize_weights(weights(state, "e_p", k))
    expected = {
        "Entropy H(P)": shown(ce_core.entropy(p), unit),
        f"Maximum log K (K = {k})": shown(ce_core.entropy(np.full(k, 1 / k)), unit),
        # the likeliest outcome's surprise, −log max p (abs: a certain outcome gives 0, not −0)
        "Smallest surprise (likeliest outcome)": shown(abs(math.log(float(np.max(p)))), unit),
    }
    if k > 2:  # the coin slider only exists then
        coin = number(state, "e_b")
        expected[f"Coin entropy H({coin:.2f})"] = shown(ce_core.entropy([coin, 1 - coin]), unit)
    return expected


# --- pages/2_Cross_entropy_and_KL.py: ce_k outcomes, P weights ce_p*, Q weights ce_q* ------

def cross_entropy_page(state: State, unit: str) -> dict[str, str]:
    k = int(number(state, "ce_k"))
    p = ce_core.normalize_weights(weights(state, "ce_p", k))
    q = ce_core.normalize_weights(weights(state, "ce_q", k))
    h_p, h_pq = ce_core.entropy(p), ce_core.cross_entropy(p, q)
    return {
        "Entropy H(P)": shown(h_p, unit),
        "Cross-entropy H(P,Q)": shown(h_pq, unit),
        # KL from its definition as the gap, not from kl_divergence
        "KL(P‖Q), the extra cost": shown(h_pq - h_p, unit),
        "KL(P‖Q): data from P, Q's code": shown(h_pq - h_p, unit),
        "KL(Q‖P): data from Q, P's code": shown(ce_core.cross_entropy(q, p)
                                                - ce_core.entropy(q), unit),
    }


# --- pages/2_Likelihood.py: typed flips l_flips (not in the state until edited), model q l_q

def likelihood_page(state: State, unit: str) -> dict[str, str]:
    q = number(state, "l_q")
    flips = state.get("l_flips", "HHTHTHHHTH").upper()     # the page's default flips
    k, n = flips.count("H"), len(flips)
    # the log-likelihood by hand: k ln q + (n − k) ln(1 − q); q stays inside (0, 1) here
    log_l = k * math.log(q) + (n - k) * math.log(1 - q)
    return {"Log-likelihood Σ log qᵢ": shown(log_l, unit),
            "Mean cross-entropy per flip": shown(-log_l / n, unit),
            "Likelihood Π qᵢ": f"{q ** k * (1 - q) ** (n - k):.4g}"}


# --- pages/3_Softmax.py: s_k classes, logits s_z0.., temperature s_t, true class s_y, shift s_c

def softmax_page(state: State, unit: str) -> dict[str, str]:
    k = int(number(state, "s_k"))
    z = np.array([number(state, f"s_z{i}") for i in range(k)])
    t, y, shift = number(state, "s_t"), int(state["s_y"]), number(state, "s_c")
    p = ce_core.softmax(z, temperature=t)
    # the loss from log-softmax, the gradient from the batch gradient (chain rule: / T)
    loss = -float(ce_core.log_softmax(z / t)[y])
    grad = ce_core.softmax_cross_entropy_grad([y], (z / t)[None, :])[0] / t
    stable = ce_core.softmax(z + shift, temperature=t)
    return {
        "Loss −log p(true class)": shown(loss, unit),
        "p(true class)": fixed(p[y]),
        # in the loss's unit: in bits, the gradient in nats divided by ln 2
        f"∂loss/∂z{y} (true class)": fixed(grad[y] / (math.log(2) if unit == "bits" else 1),
                                           sign=True),
        f"Stable p(class {y})": fixed(stable[y]),
    }


# --- pages/4_Penalty_curves.py: prediction pc_p, true label pc_y, focal γ pc_g ---------------

def penalty_page(state: State, unit: str) -> dict[str, str]:
    p, y, gamma = number(state, "pc_p"), int(state["pc_y"]), number(state, "pc_g")
    loss = ce_core.binary_cross_entropy([y], [p])
    return {
        f"Loss for true label {y}": shown(loss, unit),
        "If y = 1: −log p": shown(ce_core.binary_cross_entropy([1], [p]), unit),
        "If y = 0: −log(1 − p)": shown(ce_core.binary_cross_entropy([0], [p]), unit),
        "Cross-entropy": shown(loss, unit),
        "Squared error (no unit)": fixed((y - p) ** 2),
        f"Focal loss, γ = {gamma:g}": shown(ce_core.focal_loss([y], [p], gamma=gamma), unit),
        # with p = σ(z): ∂CE/∂z = p − y, ∂SE/∂z = 2(p − y)·p(1 − p)
        "Cross-entropy ∂loss/∂z": fixed((p - y) / (math.log(2) if unit == "bits" else 1),
                                        sign=True),   # in the loss's unit
        "Squared error ∂loss/∂z": fixed(2 * (p - y) * p * (1 - p), sign=True),
        "Clipped like log_loss": shown(loss, unit),
    }


EXPECTATIONS: dict[str, Expectation] = {
    "pages/1_Entropy.py": Expectation("e_k", entropy_page),
    "pages/2_Cross_entropy_and_KL.py": Expectation("ce_q1", cross_entropy_page),
    # its first sliders draw flips and are disabled while the flips are typed
    "pages/2_Likelihood.py": Expectation("l_q", likelihood_page),
    "pages/3_Softmax.py": Expectation("s_t", softmax_page),
    "pages/4_Penalty_curves.py": Expectation("pc_p", penalty_page),
    # Its first slider (t_n, points in the data set) feeds training, which only runs after
    # "Train"; the gradient-descent tab's metrics follow their sliders at once.
    "pages/6_Live_training.py": Expectation("t_gd_steps"),
}


def slider_to_press(file: str | None, sliders: list[dict]) -> dict:
    """The slider a test or bench presses on a page (``sliders`` as ``browser.sliders``
    lists them, keyed ones only): the page's expectation names it, else the first one
    below its maximum."""
    if file in EXPECTATIONS:
        key = EXPECTATIONS[file].slider
        wanted = [s for s in sliders if s["key"] == key]
        assert wanted, f"{file}: no slider with key {key!r}; it has {sliders}"
        return wanted[0]
    movable = [s for s in sliders if float(s["value"]) < float(s["max"])]
    assert movable, f"{file}: no keyed slider that ArrowRight can move: {sliders}"
    return movable[0]
