"""In Chromium: the loss landscape of the Live training page is a live 3-D chart.

Both surfaces draw (WebGL) with nothing fetched from anywhere but our server; a drag
turns a surface and hovering reads a number; moving the step count leaves the charts on
screen mounted, turned as the learner left them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .browser import EXCEPTION, HOST, focus_slider, open_url, page_url, rerun_settled, sliders

TRAINING = "pages/6_Live_training.py"
LOSSES = ("cross_entropy", "squared_error")


def plot(loss: str) -> str:
    return f'.st-key-t_landscape_{loss} .js-plotly-plot'


DRAWN = """sel => { const gd = document.querySelector(sel);
    return !!gd && !!gd._fullLayout && !!gd._fullLayout.scene
        && gd.querySelectorAll('canvas').length > 0 }"""
EYE = """sel => { const eye = document.querySelector(sel)._fullLayout.scene.camera.eye;
    return [eye.x, eye.y, eye.z] }"""


def open_landscape(page, server, query: str = "") -> list[str]:
    """The page, scrolled to the section; returns the requests made outside our server."""
    outside: list[str] = []
    page.context.route("**/*", lambda route: (
        route.continue_() if urlsplit(route.request.url).hostname == HOST
        else (outside.append(route.request.url), route.abort())))
    open_url(page, page_url(server.url, TRAINING) + query, timeout_ms=120_000)
    page.locator("#why-cross-entropy").scroll_into_view_if_needed()
    for loss in LOSSES:
        page.wait_for_function(DRAWN, arg=plot(loss), timeout=60_000)
    return outside


def drag(page, selector: str, dx: float, dy: float) -> None:
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx / 2, y + dy / 2, steps=5)
    page.mouse.move(x + dx, y + dy, steps=5)
    page.mouse.up()


def test_both_surfaces_draw_offline_and_turn_and_hover(page, server, artifacts):
    outside = open_landscape(page, server)
    assert outside == []          # plotly.js is Streamlit's own bundle: no CDN, no fonts
    assert not page.locator(EXCEPTION).count()
    for loss in LOSSES:
        before = page.evaluate(EYE, plot(loss))
        drag(page, plot(loss), 120, 40)
        page.wait_for_function(f"sel => ({EYE})(sel).join() !== {before!r}.join()",
                               arg=plot(loss), timeout=10_000)
    # hover: a label with the loss appears somewhere over the cross-entropy surface
    page.locator(plot("cross_entropy")).scroll_into_view_if_needed()
    box = page.locator(plot("cross_entropy")).bounding_box()
    label = ""
    for fx, fy in [(0.5, 0.55), (0.45, 0.6), (0.55, 0.5), (0.5, 0.65), (0.4, 0.5), (0.3, 0.4)]:
        page.mouse.move(box["x"] + fx * box["width"], box["y"] + fy * box["height"], steps=4)
        page.wait_for_timeout(400)
        label = page.evaluate("""sel => [...document.querySelector(sel)
            .querySelectorAll('.hovertext')].map(t => t.textContent).join(' ')""",
                              plot("cross_entropy"))
        if label:
            break
    assert "cross-entropy (nats)" in label
    page.screenshot(path=str(artifacts / "loss_landscape.png"))
    assert page.console_errors == []


def test_a_step_count_move_keeps_the_turned_charts_mounted(page, server):
    open_landscape(page, server)
    page.evaluate(f"""() => {{ for (const l of {list(LOSSES)!r})
        document.querySelector(`.st-key-t_landscape_${{l}} .js-plotly-plot`).ceMark = 1 }}""")
    drag(page, plot("cross_entropy"), 150, 0)
    turned = page.evaluate(EYE, plot("cross_entropy"))
    (steps,) = [s for s in sliders(page) if s["key"] == "t_gd_steps"]
    thumb = focus_slider(page, steps)
    rerun_settled(page, lambda: thumb.press("ArrowLeft"))
    assert page.locator(".st-key-t_gd_steps input[type=range]").input_value() == str(
        int(float(steps["value"])) - 1)
    for loss in LOSSES:   # the same DOM nodes: not re-mounted
        assert page.evaluate("sel => document.querySelector(sel).ceMark", plot(loss)) == 1
    assert page.evaluate(EYE, plot("cross_entropy")) == turned
    assert not page.locator(EXCEPTION).count()


def test_the_map_view_is_a_flat_chart(page, server):
    open_url(page, page_url(server.url, TRAINING) + "?t_gd_view=Map", timeout_ms=120_000)
    page.locator("#why-cross-entropy").scroll_into_view_if_needed()
    page.wait_for_function("sel => !!document.querySelector(sel)?._fullLayout?.xaxis",
                           arg=plot("squared_error"), timeout=60_000)
    assert page.locator(f"{plot('squared_error')} .contour").count() >= 1
    assert not page.locator(EXCEPTION).count()
