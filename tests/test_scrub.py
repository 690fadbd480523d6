"""The live-scrub tables ui/scrub.py ships, read back from what the browser gets (AppTest).

Each page's table holds, for every step of each slider (the other controls as they are),
the rows its charts draw and the numbers it shows. Rows are checked against SciPy,
PyTorch and hand computations, not against the page's own code; then the size budget,
and values off the grid.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import torch
import torch.nn.functional as F

from tests.apptest import open_page, scrub_frames, shown, vega_charts
from ui.scrub import BUDGET_BYTES


def table(at, section: str) -> dict:
    """The browser half's data for one section: grids, charts' states, numbers."""
    for element in at.get("bidi_component"):
        if element.proto.id.endswith(f"scrub_{section}"):
            return json.loads(element.proto.json)
    raise AssertionError(f"no live-scrub table for {section}")


def chart_frames(at, key: str) -> dict:
    """Every shipped row of the chart drawn with ``key`` (its spec names no key: the
    order of the page's charts does)."""
    return scrub_frames(vega_charts(at)[_ORDER[key]])


_ORDER = {"e_chart_surprise": 0, "e_chart_binary": 1, "ce_chart_decomposition": 0,
          "ce_chart_distributions": 1, "s_fig_probs": 0, "pc_fig_curves": 0,
          "pc_fig_compare": 1, "pc_fig_grad": 2}


def state(frame, tab: dict, chart: str, slider: str, value) -> "pd.DataFrame":
    """The rows a chart shows while ``slider`` stands at ``value``."""
    s = tab["charts"][chart][slider] + tab["sliders"][slider].index(value)
    return frame[(frame["_lo"] <= s) & (s <= frame["_hi"])].reset_index(drop=True)


def numbers(tab: dict, metric: str, slider: str, value) -> str:
    return tab["metrics"][metric][slider]["value"][tab["sliders"][slider].index(value)]


@pytest.mark.parametrize("v", [0, 1, 17, 40, 73, 100])
def test_entropy_weight_rows(v):
    at = open_page("pages/1_Entropy.py")
    tab = table(at, "e_w")
    w = np.array([v, 30, 20, 10], float)
    p = w / w.sum()                                  # the normalisation by hand
    rows = state(chart_frames(at, "e_chart_surprise")["outcomes"], tab, "e_chart_surprise",
                 "e_p1", v)
    np.testing.assert_allclose(rows["prob"], p, rtol=1e-12)
    drawn = rows["surprise"].to_numpy(dtype=float)
    finite = p > 0
    np.testing.assert_allclose(drawn[finite], -np.log(p[finite]), rtol=1e-12)
    assert numbers(tab, "e_m_entropy", "e_p1", v) == shown(scipy.stats.entropy(p))
    assert numbers(tab, "e_m_surprise", "e_p1", v) == shown(-math.log(p.max()))


@pytest.mark.parametrize("v", [0.0, 0.01, 0.29, 0.5, 0.9, 1.0])
def test_entropy_coin_rows(v):
    at = open_page("pages/1_Entropy.py")
    tab = table(at, "e_coin")
    coin = state(chart_frames(at, "e_chart_binary")["coin"], tab, "e_chart_binary", "e_b", v)
    assert coin["p"].tolist() == [v]
    assert coin["h"][0] == pytest.approx(scipy.stats.entropy([v, 1 - v]), rel=1e-12, abs=1e-15)
    entry = tab["metrics"]["e_m_coin"]["e_b"]
    i = tab["sliders"]["e_b"].index(v)
    assert entry["label"][i] == f"Coin entropy H({v:.2f})"
    assert entry["value"][i] == shown(scipy.stats.entropy([v, 1 - v]))


@pytest.mark.parametrize("slider, v", [("ce_q1", 0), ("ce_q1", 55), ("ce_p2", 0), ("ce_p3", 99)])
def test_cross_entropy_rows(slider, v):
    at = open_page("pages/2_Cross_entropy_and_KL.py")
    tab = table(at, "ce_pq")
    weights = {"ce_p": [60, 30, 10], "ce_q": [30, 40, 30]}
    weights[slider[:4]][int(slider[4:]) - 1] = v
    p, q = (np.array(weights[k], float) / sum(weights[k]) for k in ("ce_p", "ce_q"))
    h_pq = scipy.stats.entropy(p) + scipy.stats.entropy(p, q)     # H(P) + KL(P||Q)
    assert numbers(tab, "ce_m_hpq", slider, v) == shown(h_pq)
    assert numbers(tab, "ce_m_kl", slider, v) == shown(scipy.stats.entropy(p, q))
    bars = state(chart_frames(at, "ce_chart_distributions")["bars"], tab,
                 "ce_chart_distributions", slider, v)
    np.testing.assert_allclose(bars["prob"][:3], p, rtol=1e-6)   # P's bars, then Q's
    np.testing.assert_allclose(bars["prob"][3:], q, rtol=1e-6)
    totals = state(chart_frames(at, "ce_chart_decomposition")["totals"], tab,
                   "ce_chart_decomposition", slider, v)
    # an infinite total is written after H(P) (charts.information._totals)
    end = h_pq if math.isfinite(h_pq) else scipy.stats.entropy(p)
    assert totals["x"][0] == pytest.approx(end, rel=1e-6)


@pytest.mark.parametrize("slider, v", [("s_z0", -10.0), ("s_z0", 0.0), ("s_z1", 3.7),
                                       ("s_t", 0.1), ("s_t", 2.5), ("s_t", 10.0)])
def test_softmax_rows(slider, v):
    at = open_page("pages/3_Softmax.py")
    tab = table(at, "s_p")
    z, t = [2.0, 1.0, 0.1], 1.0
    if slider == "s_t":
        t = v
    else:
        z[int(slider[3:])] = v
    zt = torch.tensor(z, dtype=torch.float64) / t
    probs = torch.softmax(zt, 0).numpy()
    loss = float(F.cross_entropy(zt[None, :], torch.tensor([0])))
    bars = state(chart_frames(at, "s_fig_probs")["bars"], tab, "s_fig_probs", slider, v)
    np.testing.assert_allclose(bars["probability"], probs, rtol=1e-12)
    assert numbers(tab, "s_m_loss", slider, v) == shown(loss)
    assert numbers(tab, "s_m_p", slider, v) == f"{probs[0]:.4f}"


@pytest.mark.parametrize("slider, v", [("pc_p", 0.01), ("pc_p", 0.5), ("pc_p", 0.93),
                                       ("pc_g", 0.0), ("pc_g", 3.5)])
def test_penalty_rows(slider, v):
    at = open_page("pages/4_Penalty_curves.py")
    tab = table(at, "pc")
    p, gamma = 0.9, 2.0
    if slider == "pc_p":
        p = v
    else:
        gamma = v
    focal = -((1 - p) ** gamma) * math.log(p)       # Lin et al. 2017, y = 1
    assert numbers(tab, "pc_m_focal", slider, v) == shown(focal)
    if slider == "pc_p":
        assert numbers(tab, "pc_m_loss", "pc_p", v) == shown(-math.log(p))
        assert numbers(tab, "pc_m_se", "pc_p", v) == f"{(1 - p) ** 2:.4f}"
        marker = state(chart_frames(at, "pc_fig_curves")["current"], tab, "pc_fig_curves",
                       "pc_p", v)
        np.testing.assert_allclose(sorted(marker["loss"]), sorted([-math.log(p), -math.log(1 - p)]),
                                   rtol=1e-12)


@pytest.mark.parametrize("page, query, section", [
    ("pages/1_Entropy.py", {"e_k": "6"}, "e_w"),
    ("pages/1_Entropy.py", {"e_k": "10"}, "e_w"),
    ("pages/2_Cross_entropy_and_KL.py", {"ce_k": "6"}, "ce_pq"),
    ("pages/3_Softmax.py", {"s_k": "10"}, "s_p"),
    ("pages/4_Penalty_curves.py", {"pc_y": "0"}, "pc"),
])
def test_every_table_fits_the_budget(page, query, section):
    at = open_page(page, query)
    assert not at.exception
    assert table(at, section)["bytes"] <= BUDGET_BYTES


@pytest.mark.parametrize("page, section", [
    ("pages/1_Entropy.py", "e_w"), ("pages/1_Entropy.py", "e_coin"),
    ("pages/2_Cross_entropy_and_KL.py", "ce_pq"), ("pages/3_Softmax.py", "s_p"),
    ("pages/4_Penalty_curves.py", "pc")])
def test_the_charts_follow_on_every_page_as_it_opens(page, section):
    tab = table(open_page(page), section)
    assert tab["charts"] and all(tab["charts"].values()), "only the numbers would follow"


@pytest.mark.parametrize("page, query", [
    ("pages/1_Entropy.py", {"e_b": "0.905"}),
    ("pages/4_Penalty_curves.py", {"pc_p": "0.123", "pc_g": "1.25"}),
    ("pages/3_Softmax.py", {"s_z0": "0.55", "s_t": "0.15"}),
])
def test_a_value_off_the_grid_is_no_error(page, query):
    at = open_page(page, query)
    assert not at.exception
    assert at.get("bidi_component")     # the other steps still follow the hand




def _filter_states(spec) -> dict[str, int]:
    """Dataset name -> its place in the live-scrub param (the state its filter reads)."""
    out = {}

    def walk(node):
        if isinstance(node, dict):
            for step in node.get("transform", []):
                found = re.search(r"datum\._lo <= scrub_s(\d+)", str(step.get("filter", "")))
                if found and isinstance(node.get("data"), dict):
                    out[node["data"]["name"]] = int(found.group(1))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(spec)
    return out


@pytest.mark.parametrize("page, section", [("pages/1_Entropy.py", "e_w"),
                                           ("pages/2_Cross_entropy_and_KL.py", "ce_pq"),
                                           ("pages/3_Softmax.py", "s_p"),
                                           ("pages/4_Penalty_curves.py", "pc")])
def test_a_dataset_left_alone_by_a_slider_shows_the_same_rows_all_along_it(page, section):
    """While a slider moves, a dataset it leaves alone keeps that slider's first state (so
    Vega skips it on each step). That is right only if the dataset's rows are the same at
    every step of the slider. Penalty's curves ignore p: they must be left alone."""
    at = open_page(page)
    tab = table(at, section)
    checked = []
    for chart_key, by_slider in tab.get("still", {}).items():
        chart = vega_charts(at)[_ORDER[chart_key]]
        frames = scrub_frames(chart)
        places = _filter_states(json.loads(chart.proto.spec))
        for slider, left_alone in by_slider.items():
            low = tab["charts"][chart_key][slider]
            high = low + len(tab["sliders"][slider]) - 1
            for dataset in [d for d, place in places.items() if place in left_alone]:
                frame = frames[dataset].drop(columns=["_t"])

                def rows(s):
                    shown_ = frame[(frame["_lo"] <= s) & (s <= frame["_hi"])]
                    return shown_.drop(columns=["_lo", "_hi"]).reset_index(drop=True)
                first = rows(low)
                assert len(first)
                for s in range(low + 1, high + 1):
                    pd.testing.assert_frame_equal(rows(s), first)
                checked.append((chart_key, dataset, slider))
    if "Penalty" in page:
        assert ("pc_fig_compare", "curves", "pc_p") in checked, checked


def _bytes_and_token(at, chart: str, dataset: str) -> tuple[bytes, str]:
    element = vega_charts(at)[_ORDER[chart]]
    data = {d.name: d.data.data for d in element.proto.datasets}[dataset]
    return data, str(scrub_frames(element)[dataset]["_t"].iloc[0])


def test_a_dataset_a_rerun_leaves_alone_keeps_its_bytes_and_one_it_changes_a_new_token():
    """After p moves, Penalty's curves (which ignore p) go out byte for byte as before, so
    the browser keeps them as they are; the marker at p changes and gets a new token. When
    p comes back, the marker's rows are as at first, but its token is new again: a param
    left over from the first visit cannot pick rows that were not meant for it."""
    at = open_page("pages/4_Penalty_curves.py")
    curves = _bytes_and_token(at, "pc_fig_compare", "curves")
    marker = _bytes_and_token(at, "pc_fig_curves", "current")
    at.slider(key="pc_p").set_value(0.5).run()
    assert _bytes_and_token(at, "pc_fig_compare", "curves") == curves
    moved = _bytes_and_token(at, "pc_fig_curves", "current")
    assert moved[1] != marker[1] and moved[0] != marker[0]
    at.slider(key="pc_p").set_value(0.9).run()
    back = _bytes_and_token(at, "pc_fig_curves", "current")
    assert back[1] not in (marker[1], moved[1])
    assert scrub_frames(vega_charts(at)[0])["current"].drop(columns=["_t"]).equals(
        _frame(marker[0]).drop(columns=["_t"]))


def _frame(data: bytes):
    import pyarrow
    return pyarrow.ipc.open_stream(data).read_all().to_pandas()


def test_runs_ship_a_row_once_while_it_stays_and_blank_new_rows_tooltips():
    """ui.scrub's merge of the states' rows, by hand: the settled rows (state -1), a state
    equal to them (both rows extend), a state where outcome 2 moves (its new row comes once,
    its tooltip blank), and a state equal to that one (both rows extend again)."""
    from ui.scrub import _runs
    settled = {"x": [1, 2], "tip": ["a", "b"]}
    states = [(0, {"x": [1, 2], "tip": ["a", "b"]}),
              (1, {"x": [1, 3], "tip": ["a", "c"]}),
              (2, {"x": [1, 3], "tip": ["a", "c"]})]
    assert _runs(settled, iter(states), ["tip"]) == {
        "x": [1, 2, 3], "tip": ["a", "b", None], "_lo": [-1, -1, 1], "_hi": [2, 0, 2]}
    # a row that moved ships again even if it had been seen two states before
    states.append((3, {"x": [1, 2], "tip": ["a", "b"]}))
    merged = _runs(settled, iter(states), ["tip"])
    assert merged["x"] == [1, 2, 3, 2] and merged["_lo"] == [-1, -1, 1, 3]
    assert merged["_hi"] == [3, 0, 2, 3]


def test_runs_keep_a_row_drawn_twice_twice():
    """Two equal rows in one state (two bars of the same height) must both show at every
    state, also where a state is the same as the one before (the merge's shortcut)."""
    from ui.scrub import _runs
    settled = {"x": [1, 1], "tip": ["a", "a"]}
    states = [(s, {"x": [1, 1], "tip": ["a", "a"]}) for s in range(3)]
    merged = _runs(settled, iter(states), ["tip"])
    for s in range(-1, 3):
        shown = [x for x, lo, hi in zip(merged["x"], merged["_lo"], merged["_hi"]) if lo <= s <= hi]
        assert shown == [1, 1], (s, merged)
