"""Live scrubbing in Chromium: while the hand drags a slider (``page.mouse``), the chart and
the headline number follow it before release, and the number shown at a mid-drag position
is ce_core's for that position (written out here, as the page tests do, not through ui).

``drag`` and ``DRAGS`` are shared with bench/bench_scrub.py, so the bench measures exactly
what these tests check.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Optional

import pytest

import ce_core

from .browser import open_url, page_url, rerun_settled

ROOT_SLIDER = '.st-key-{key} [data-testid="stSlider"]'


def _nats(value: float) -> str:
    """As ui.fmt prints a value in nats (tests/apptest.shown)."""
    return "∞ nats" if math.isinf(value) else f"{value:.4f} nats"


@dataclass(frozen=True)
class Drag:
    """One page's main slider, what it moves, and ce_core's number for a slider value."""
    file: str
    slider: str
    chart: str
    metric: str
    expected: Callable[[float], str]
    fraction: float = 0.5      # of the track, from the thumb towards the right (or left)


DRAGS = [
    Drag("pages/1_Entropy.py", "e_p1", "e_chart_surprise", "e_m_entropy",
         lambda v: _nats(ce_core.entropy(ce_core.normalize_weights([v, 30, 20, 10])))),
    Drag("pages/2_Cross_entropy_and_KL.py", "ce_q1", "ce_chart_decomposition", "ce_m_hpq",
         lambda v: _nats(ce_core.cross_entropy(ce_core.normalize_weights([60, 30, 10]),
                                               ce_core.normalize_weights([v, 40, 30])))),
    Drag("pages/3_Softmax.py", "s_z0", "s_fig_probs", "s_m_loss",
         lambda v: _nats(ce_core.softmax_step([v, 1.0, 0.1], 0).loss)),
    Drag("pages/4_Penalty_curves.py", "pc_p", "pc_fig_curves", "pc_m_loss",
         lambda v: _nats(ce_core.binary_cross_entropy([1], [v]))),
]

# One look at the page: the slider's value, the metric's text, and a fingerprint of the
# chart's canvas (drawn down to 48 x 36 pixels: any change of the bars or the marker shows).
_LOOK = """([slider, chart, metric]) => {
    const input = document.querySelector(`.st-key-${slider} input[type="range"]`);
    const value = document.querySelector(`.st-key-${metric} [data-testid="stMetricValue"]`);
    const canvas = document.querySelector(`.st-key-${chart}_live canvas`);
    let print = "";
    if (canvas) {
        const small = document.createElement("canvas");
        small.width = 48; small.height = 36;
        const g = small.getContext("2d");
        g.drawImage(canvas, 0, 0, 48, 36);
        const px = g.getImageData(0, 0, 48, 36).data;
        let h = 0;
        for (let i = 0; i < px.length; i += 1) h = (h * 31 + px[i]) >>> 0;
        print = String(h);
    }
    return [Number(input.value), value ? value.innerText : "", print];
}"""


@dataclass
class Recorded:
    looks: list            # (slider value, metric text, chart fingerprint) after each step
    step_s: list           # when each step was taken, s from the press
    release_ms: float      # release -> the rerun finished and the page settled
    before_release: object = None   # what ``before_release()`` returned


def thumb_centre(page, drag: Drag) -> tuple[float, float, float]:
    """The thumb's centre and the track's width, px."""
    slider = page.locator(ROOT_SLIDER.format(key=drag.slider))
    thumb = slider.locator('[data-testid="stSliderThumbValue"]').locator("..")
    box, track = thumb.bounding_box(), slider.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, track["width"]


def drag(page, drag: Drag, *, steps: int = 30, seconds: float = 1.0, direction: int = 1,
         before_release: Callable[[], object] = lambda: None,
         look: Optional[str] = None) -> Recorded:
    """Press the thumb, move it in ``steps`` over ``seconds`` (looking at the page after each
    step), call ``before_release``, release, and time the rerun that settles the page."""
    page.locator(ROOT_SLIDER.format(key=drag.slider)).scroll_into_view_if_needed()
    x, y, width = thumb_centre(page, drag)
    distance = direction * drag.fraction * width
    keys = [drag.slider, drag.chart, drag.metric]
    page.mouse.move(x, y)
    page.mouse.down()
    start, looks, times = time.perf_counter(), [], []
    for i in range(1, steps + 1):
        page.mouse.move(x + distance * i / steps, y)
        times.append(time.perf_counter() - start)
        looks.append(tuple(page.evaluate(look or _LOOK, keys)))
        pause = start + seconds * i / steps - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    last = before_release()
    before = time.perf_counter()
    rerun_settled(page, page.mouse.up)
    return Recorded(looks, times, (time.perf_counter() - before) * 1000, last)


def open_page(page, server, drag: Drag) -> None:
    open_url(page, page_url(server.url, drag.file))
    page.locator(f".st-key-{drag.chart}_live canvas").wait_for()
    page.wait_for_function(
        "k => document.querySelector(`.st-key-${k}_live form.vega-bindings input`) !== null",
        arg=drag.chart)


@pytest.mark.parametrize("case", DRAGS, ids=[d.slider for d in DRAGS])
def test_the_chart_and_number_follow_the_hand(page, server, case):
    open_page(page, server, case)
    direction = 1 if case.slider != "pc_p" else -1    # p starts at 0.9: drag it down
    recorded = drag(page, case, steps=20, seconds=0.8, direction=direction)
    prints = [print_ for _, _, print_ in recorded.looks]
    assert len(set(prints)) >= 5, f"the chart showed {len(set(prints))} states while dragged"
    value, text, _ = recorded.looks[len(recorded.looks) // 2]
    assert text == case.expected(value), f"at {case.slider} = {value}"
    values = [v for v, _, _ in recorded.looks]
    assert len(set(values)) >= 5       # the thumb itself moved through the steps
    assert not page.locator('[data-testid="stException"]').count()
    assert not page.console_errors, page.console_errors


# Counts the MutationObservers that watch sliders' aria-valuetext (what ui/scrub.js makes).
_COUNT_WATCHERS = """(() => {
    window.__ceWatchers = 0;
    const observe = MutationObserver.prototype.observe;
    const disconnect = MutationObserver.prototype.disconnect;
    MutationObserver.prototype.observe = function (target, options) {
        if (!this.__ceCounted && options?.attributeFilter?.includes('aria-valuetext')) {
            this.__ceCounted = true;
            window.__ceWatchers += 1;
        }
        return observe.call(this, target, options);
    };
    MutationObserver.prototype.disconnect = function () {
        if (this.__ceCounted) { this.__ceCounted = false; window.__ceWatchers -= 1; }
        return disconnect.call(this);
    };
})()"""


def test_reruns_do_not_pile_up_slider_watchers(page, server):
    """Streamlit calls a component's script again on every rerun that changes its data and
    keeps only the last cleanup: one watcher a section must survive five reruns (before the
    fix there were six, each writing its stale step on every move: drags got slower)."""
    page.add_init_script(_COUNT_WATCHERS)
    case = DRAGS[3]                                   # Penalty curves: one section
    open_page(page, server, case)
    thumb = page.locator(ROOT_SLIDER.format(key=case.slider)).locator('input[type="range"]')
    thumb.focus()
    for i in range(5):
        rerun_settled(page, lambda: page.keyboard.press("ArrowLeft" if i % 2 else "ArrowRight"))
    assert page.evaluate("window.__ceWatchers") == 1
