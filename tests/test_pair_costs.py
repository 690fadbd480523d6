"""ce_core.pair_costs, the one-call grid of a weight slider (Cross-entropy & KL page): each row
against SciPy, and float for float against the one-pair functions the settled page uses, so
a number shown during a drag is the digit the rerun then prints."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

import ce_core
from charts.information import (compare_distributions, entropy_decomposition, pair_grid_data,
                                surprise_bars, surprise_grid_data)


def _weights(seed: int, k: int, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Slider-like weights 0..100, many zeros (an outcome ruled out, a one-hot P)."""
    rng = np.random.default_rng(seed)
    wp = rng.integers(0, 101, size=(n, k)).astype(float)
    wq = rng.integers(0, 101, size=(n, k)).astype(float)
    wp[rng.random((n, k)) < 0.3] = 0
    wq[rng.random((n, k)) < 0.3] = 0
    wp[0], wq[1] = 0, 0                       # rows with nothing to show
    return wp, wq


@pytest.mark.parametrize("k", [2, 3, 4, 6])
def test_each_row_is_scipy_s(k):
    wp, wq = _weights(k, k)
    c = ce_core.pair_costs(wp, wq)
    for i in range(len(wp)):
        if wp[i].sum() == 0 or wq[i].sum() == 0:
            assert not c.valid[i]
            continue
        p, q = wp[i] / wp[i].sum(), wq[i] / wq[i].sum()
        assert c.h_p[i] == pytest.approx(scipy.stats.entropy(p), rel=1e-12, abs=1e-15)
        assert c.h_q[i] == pytest.approx(scipy.stats.entropy(q), rel=1e-12, abs=1e-15)
        # scipy.stats.entropy(p, q) is KL(P‖Q), inf where q = 0 < p
        assert c.kl_pq[i] == pytest.approx(scipy.stats.entropy(p, q), rel=1e-12, abs=1e-14)
        assert c.kl_qp[i] == pytest.approx(scipy.stats.entropy(q, p), rel=1e-12, abs=1e-14)
        expected = scipy.stats.entropy(p) + scipy.stats.entropy(p, q)
        assert c.h_pq[i] == pytest.approx(expected, rel=1e-12)
        with np.errstate(divide="ignore"):
            np.testing.assert_allclose(c.surprise_q[i], -np.log(q), rtol=1e-12)


@pytest.mark.parametrize("k", [2, 3, 6])
def test_each_row_is_float_for_float_the_one_pair_functions(k):
    wp, wq = _weights(100 + k, k)
    c = ce_core.pair_costs(wp, wq)
    for i in np.flatnonzero(c.valid):
        p, q = ce_core.normalize_weights(wp[i]), ce_core.normalize_weights(wq[i])
        assert c.p[i].tolist() == p.tolist() and c.q[i].tolist() == q.tolist()
        assert [c.h_p[i], c.kl_pq[i], c.h_pq[i], c.h_q[i], c.kl_qp[i], c.h_qp[i]] == [
            ce_core.entropy(p), ce_core.kl_divergence(p, q), ce_core.cross_entropy(p, q),
            ce_core.entropy(q), ce_core.kl_divergence(q, p), ce_core.cross_entropy(q, p)]
        assert c.surprise_q[i].tolist() == ce_core.surprise(q).tolist()


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_grid_rows_are_the_charts_own_rows(unit):
    """What a drag shows is what the settled chart draws for the same P and Q."""
    wp, wq = _weights(7, 3)
    c = ce_core.pair_costs(wp, wq)
    grid = pair_grid_data(c, unit)
    for i, data in enumerate(grid):
        if data is None:
            assert not c.valid[i]
            continue
        p, q = ce_core.normalize_weights(wp[i]), ce_core.normalize_weights(wq[i])
        assert data["decomposition"] == entropy_decomposition(p, q, unit=unit).data
        assert data["distributions"] == compare_distributions(p, q, unit=unit).data
    assert sum(d is None for d in grid) >= 2


def test_bad_weights_are_named():
    with pytest.raises(ce_core.InputError, match="same shape"):
        ce_core.pair_costs([[1, 2]], [[1, 2, 3]])
    with pytest.raises(ce_core.InputError, match="0 or more"):
        ce_core.pair_costs([[1, -2]], [[1, 2]])
    assert math.isinf(ce_core.pair_costs([[1, 1]], [[1, 0]]).h_pq[0])


@pytest.mark.parametrize("k, unit", [(2, "nats"), (4, "bits"), (7, "nats")])
def test_entropy_grid_rows_are_the_surprise_chart_s_own_rows(k, unit):
    """The Entropy page's weight grid: P coded with its own code, row for row the chart
    and the numbers the settled page draws for that P."""
    wp, _ = _weights(50 + k, k)
    c = ce_core.pair_costs(wp, wp)
    grid = surprise_grid_data(c, unit)
    for i, data in enumerate(grid):
        if data is None:
            assert wp[i].sum() == 0
            continue
        p = ce_core.normalize_weights(wp[i])
        assert data == surprise_bars(p, unit=unit).data
        assert c.h_p[i] == ce_core.entropy(p)
        assert c.surprise_q[i].min() == min(ce_core.surprise(p))
        assert c.h_p[i] == pytest.approx(scipy.stats.entropy(p), rel=1e-12, abs=1e-15)
