"""The loss landscape (Live training, "Why cross-entropy and not squared error"): what a move costs.

Run:  python bench/bench_landscape.py [--moves 20] [--no-browser]

1. Build cost, in this process: both surfaces and walks (ce_core) and both figure dicts
   (charts), then what Streamlit does with a figure on every run: validating a plain dict
   through ``go.Figure`` (what ``st.plotly_chart(dict)`` does) against handing it over as
   built (ui/draw_3d.py's ReadyFigure, then ``plotly.io.to_json``).
2. Server time, over Streamlit's websocket (bench/st_client.py, which sends the hashes of
   the big messages it holds, as the browser does): a step-count move (the section's
   fragment rerun; the figures do not change), a start-w move (new walks: two new figures
   on the cached surfaces) and a separation move to a value not seen before (new data, new
   surfaces: the first draw of a new surface). Each is the time from sending the rerun to
   ``script_finished``, with the bytes the server sent; interleaved in rounds of 4 with
   moves of bench/reference_app.py's slider on a second server (ratio = median / the
   reference's median).
3. Browser settle time (Chromium): key press on the Steps slider or the separation slider
   until the page settled with new numbers (and, for a new surface, both charts drawn
   again), against the reference page's slider in another tab; with the websocket bytes
   the tab received per press.

Targets: a step-count move <= 50 ms of server time, the first draw of a new surface <= 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import percentile  # noqa: E402
from st_client import ClientState, BackMsg, Session, xsrf_cookie  # noqa: E402
from tests.e2e import browser as b  # noqa: E402

ROUND = 4
STEP_TARGET_MS, SURFACE_TARGET_MS = 50.0, 300.0
PAGE, TRAINING = "Live_training", "pages/6_Live_training.py"


# ----------------------------------------------------------------------------- 1. in process

def build_costs(repeats: int = 20) -> list[tuple[str, float]]:
    """Median ms of each stage, one surface pair at the page's defaults."""
    import streamlit.elements.plotly_chart  # noqa: F401  (registers Streamlit's template)
    import plotly.io as pio
    import plotly.tools

    from ce_core import landscape
    from ce_core.training import make_1d_data
    from charts.landscape import landscape_surface
    from ui.draw_3d import _ready_figure_class

    x, y = make_1d_data()
    ready = _ready_figure_class()

    def surfaces():
        return landscape.landscape_for(x, y)

    land = surfaces()

    def figures():
        both = landscape.walks(x, y, land, learning_rate=0.3, steps=50, start=(-3.0, 3.0))
        return [landscape_surface(land, walk) for walk in both.values()]

    figs = figures()
    stages = {
        "both surfaces + optima (ce_core.landscape_for)": surfaces,
        "both walks + both figure dicts": figures,
        "st.plotly_chart's work, dict validated as go.Figure (2 figures)": lambda: [
            pio.to_json(plotly.tools.return_figure_from_figure_or_data(f, True), validate=False)
            for f in figs],
        "st.plotly_chart's work, ReadyFigure as built (2 figures)": lambda: [
            pio.to_json(plotly.tools.return_figure_from_figure_or_data(ready(f), True),
                        validate=False) for f in figs],
    }
    rows = []
    for name, stage in stages.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            stage()
            times.append((time.perf_counter() - start) * 1000)
        rows.append((name, statistics.median(times)))
    rows.append(("bytes of both figures' JSON", float(sum(len(json.dumps(f)) for f in figs))))
    return rows


def section_calls(moves: int) -> list[tuple[str, float]]:
    """Median ms of the section's own calls on a step-count move, in an AppTest of the
    page: drawing each figure (ui.draw_3d.plotly_figure) and the cached figures' lookup."""
    import logging

    from streamlit.runtime.caching import cache_utils

    import ui.draw_3d as draw_3d
    from tests.apptest import open_page

    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR)
    calls: dict[str, list[float]] = {"ui.draw_3d.plotly_figure (one figure)": [],
                                     "landscape_figures, cached (both figures)": [],
                                     "whole page rerun (AppTest)": []}
    real_draw, real_call = draw_3d.plotly_figure, cache_utils.CachedFunc.__call__

    def timed_draw(*args, **kwargs):
        start = time.perf_counter()
        real_draw(*args, **kwargs)
        calls["ui.draw_3d.plotly_figure (one figure)"].append((time.perf_counter() - start) * 1000)

    def timed_call(self, *args, **kwargs):
        start = time.perf_counter()
        value = real_call(self, *args, **kwargs)
        if self._info.func.__name__ == "landscape_figures":
            calls["landscape_figures, cached (both figures)"].append(
                (time.perf_counter() - start) * 1000)
        return value

    draw_3d.plotly_figure, cache_utils.CachedFunc.__call__ = timed_draw, timed_call
    try:
        at = open_page(TRAINING, timeout=120)
        for value in (29, 30, 29):          # warm
            at.slider(key="t_gd_steps").set_value(value).run()
        for values in calls.values():
            values.clear()
        for i in range(moves):
            start = time.perf_counter()
            at.slider(key="t_gd_steps").set_value(30 - i % 2).run()
            calls["whole page rerun (AppTest)"].append((time.perf_counter() - start) * 1000)
    finally:
        draw_3d.plotly_figure, cache_utils.CachedFunc.__call__ = real_draw, real_call
    return [(name, statistics.median(times)) for name, times in calls.items()]


# ----------------------------------------------------------------------------- 2. server

class CachingSession(Session):
    """A Session that, like the browser, tells the server which big messages it holds,
    and counts what arrives: bytes, references to held messages, full Plotly charts."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cached: set[str] = set()
        self.bytes = self.refs = self.plotly_full = 0

    def _handle(self, msg) -> None:
        self.bytes += msg.ByteSize()
        if msg.metadata.cacheable and msg.hash:
            self.cached.add(msg.hash)
        if msg.WhichOneof("type") == "ref_hash":
            self.refs += 1
        elif (msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element"
              and msg.delta.new_element.WhichOneof("type") == "plotly_chart"):
            self.plotly_full += 1
        super()._handle(msg)

    async def _send_rerun(self, *, page_name: str = "", fragment_id: str = "",
                          is_auto_rerun: bool = False, extra=()) -> None:
        cs = ClientState(query_string=self.query_string,
                         page_script_hash="" if page_name else self.page_script_hash,
                         page_name=page_name, fragment_id=fragment_id,
                         is_auto_rerun=is_auto_rerun)
        cs.widget_states.widgets.extend(self._widget_states(extra))
        cs.cached_message_hashes.extend(sorted(self.cached))
        cs.context_info.url = f"http://{self.host}:{self.port}/{page_name}"
        await asyncio.wait_for(self.ws.send(BackMsg(rerun_script=cs).SerializeToString()), 10)

    async def move(self, key: str, value: float) -> tuple[float, int, int, int]:
        """ms, bytes, references and full Plotly charts of one slider move."""
        before = self.bytes, self.refs, self.plotly_full
        _, seconds = await self.set_slider(self.widget_by_key("slider", key).id, value)
        return (seconds * 1000, self.bytes - before[0], self.refs - before[1],
                self.plotly_full - before[2])


async def open_session(server) -> CachingSession:
    session = CachingSession(b.HOST, server.port, xsrf=xsrf_cookie(server.url))
    await session.connect()
    return session


CALL = "    loss_landscape_section(separation, lr, (w0, b0))\n"


@contextlib.contextmanager
def app_without_landscape():
    """The app copied to a temporary folder with the landscape section's one call taken out,
    served like the app: the same fragment, minus this section."""
    with tempfile.TemporaryDirectory(prefix="ce-no-landscape-") as folder:
        copy = Path(folder) / "app"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
            ".git", "artifacts", "__pycache__", "*.png", "deploy", "docs"))
        page = copy / TRAINING
        source = page.read_text(encoding="utf-8")
        assert source.count(CALL) == 1, "the section's call moved: update CALL"
        page.write_text(source.replace(CALL, ""), encoding="utf-8")
        log = Path(folder) / "server.log"
        port = b.free_port()
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                 "--server.address", b.HOST, "--server.headless", "true",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                cwd=copy, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        server = b.Server(port, process, log)
        try:
            b.wait_healthy(server)
            yield server
        finally:
            b.stop_server(server)


async def section_share(app, bare, moves: int) -> dict[str, list[tuple]]:
    """Step-count moves on the page and on the page without the section, interleaved."""
    found = {"steps, page": [], "steps, page without this section": []}
    sessions = {"steps, page": await open_session(app),
                "steps, page without this section": await open_session(bare)}
    try:
        for session in sessions.values():
            await session.open_page(PAGE, timeout=120)
            await session.move("t_gd_steps", 29.0)     # warm: every cache filled
        for i in range(0, 2 * moves, ROUND):
            for name, session in sessions.items():
                for j in range(ROUND):
                    found[name].append(await session.move("t_gd_steps", 30.0 - (i + j) % 2))
        return found
    finally:
        for session in sessions.values():
            await session.close()


async def server_moves(app, reference, moves: int) -> dict[str, list[tuple]]:
    page, ref = await open_session(app), await open_session(reference)
    try:
        start = time.perf_counter()
        await page.open_page(PAGE, timeout=120)
        first_open = (time.perf_counter() - start) * 1000
        await ref.open_page()
        found = {"steps": [], "start w": [], "new surface": [], "reference": []}
        plans = {"steps": ("t_gd_steps", [29.0, 30.0] * moves),
                 "start w": ("t_gd_w0", [-3.5, -2.5, -2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0,
                                         1.5, 2.0, 2.5, 3.0, 3.5, 4.0, -4.0][:moves]),
                 "new surface": ("t_gd_sep", [0.75, 1.0, 1.25, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0,
                                              0.5][:moves])}
        for name, (key, values) in plans.items():
            values = values[:moves]
            for i in range(0, len(values), ROUND):
                for v in ([0.6, 0.5] * ROUND)[:ROUND]:
                    found["reference"].append(await ref.move("ref_p", v))
                for v in values[i:i + ROUND]:
                    found[name].append(await page.move(key, v))
            if name == "start w":   # back to the default start for the separation moves
                await page.move("t_gd_w0", -3.0)
        found["first page open (full run, cold process)"] = [(first_open, 0, 0, 0)]
        return found
    finally:
        await page.close()
        await ref.close()


# ----------------------------------------------------------------------------- 3. browser

PLOTS = ["t_landscape_cross_entropy", "t_landscape_squared_error"]
_MARK = ("() => " + " && ".join(
    f"(document.querySelector('.st-key-{k} .js-plotly-plot') || {{}}).ceMark === 1"
    for k in PLOTS))
_SET_MARK = "() => { " + " ".join(
    f"const g{i} = document.querySelector('.st-key-{k} .js-plotly-plot'); if (g{i}) g{i}.ceMark = 1;"
    for i, k in enumerate(PLOTS)) + " }"
_REDRAWN = ("() => " + " && ".join(
    f"(g => g && g.ceMark !== 1 && g._fullLayout && g.querySelector('canvas'))"
    f"(document.querySelector('.st-key-{k} .js-plotly-plot'))" for k in PLOTS))
_METRICS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stMetric"]')].map(m => m.innerText).join('|')"""
_DONE = "(before) => (" + b._SETTLED_JS + ")() && ((" + _METRICS + ")() !== before)"


def timed_press(page, key: str, direction: str, *, redraw: bool, received: list[int]) -> tuple:
    """ms from the key press until settled with new numbers (and redrawn charts), and the
    websocket bytes received meanwhile; whether the charts stayed mounted."""
    page.bring_to_front()     # a background tab gets no animation frames
    thumb = b.slider_thumb(page, key)
    thumb.focus()
    page.evaluate(_SET_MARK)
    before, start_bytes = page.evaluate(_METRICS), received[0]
    page.evaluate(b._WATCH_RUNS)
    start = time.perf_counter()
    page.keyboard.press(direction)
    page.wait_for_function(_DONE, arg=before, timeout=120_000, polling=16)
    if redraw:
        page.wait_for_function(_REDRAWN, timeout=120_000, polling=16)
    ms = (time.perf_counter() - start) * 1000
    return ms, received[0] - start_bytes, page.evaluate(_MARK)


def open_counting_tab(browser, url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = b.new_tab(context)
    received = [0]
    page.on("websocket", lambda ws: ws.on(
        "framereceived", lambda frame: received.__setitem__(0, received[0] + len(frame))))
    b.open_url(page, url, timeout_ms=120_000)
    return context, page, received


def browser_moves(app, reference, moves: int) -> dict[str, list[tuple]]:
    from playwright.sync_api import sync_playwright

    found = {"steps": [], "new surface": [], "reference": []}   # (server caches warm from part 2)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=b.chromium_path(),
                                             args=b.BROWSER_ARGS)
        try:
            ref_context, ref_page, ref_bytes = open_counting_tab(browser, reference.url)
            context, page, received = open_counting_tab(browser, b.page_url(app.url, TRAINING))
            page.locator(".st-key-t_landscape_squared_error").scroll_into_view_if_needed()
            page.wait_for_function(_REDRAWN.replace("g.ceMark !== 1 && ", ""), timeout=60_000)
            for name, key, redraw in (("steps", "t_gd_steps", False),
                                      ("new surface", "t_gd_sep", True)):
                for i in range(moves):
                    if i % ROUND == 0:
                        ref_page.bring_to_front()
                        for j in range(ROUND):
                            found["reference"].append(timed_press(
                                ref_page, "ref_p", "ArrowRight" if j % 2 == 0 else "ArrowLeft",
                                redraw=False, received=ref_bytes))
                        page.bring_to_front()
                    # separation: always up (a new value, so a new surface), steps: back and forth
                    direction = "ArrowRight" if (name == "new surface" or i % 2 == 0) else "ArrowLeft"
                    if name == "new surface" and i == 6:
                        break   # 1.5 to 3.0 in steps of 0.25: 6 presses up, each a new value
                    found[name].append(timed_press(page, key, direction, redraw=redraw,
                                                   received=received))
            context.close()
            ref_context.close()
        finally:
            browser.close()
    return found


# ----------------------------------------------------------------------------- report

def share_table(found: dict[str, list[tuple]]) -> None:
    page, bare = (statistics.median(r[0] for r in rows) for rows in found.values())
    print("| run | n | median ms | p90 ms |\n|---|---:|---:|---:|")
    for name, rows in found.items():
        times = [r[0] for r in rows]
        print(f"| {name} | {len(rows)} | {statistics.median(times):.1f} | "
              f"{percentile(times, 90):.1f} |")
    print(f"  this section's share of a step-count move: {page - bare:.1f} ms "
          f"(page / page without it = {page / bare:.2f})")


def table(found: dict[str, list[tuple]], unit: str) -> None:
    ref = statistics.median(t[0] for t in found["reference"])
    print(f"| move | n | median ms | p90 ms | × reference ({ref:.1f} ms) | median bytes {unit} |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, rows in found.items():
        times = [r[0] for r in rows]
        print(f"| {name} | {len(rows)} | {statistics.median(times):.1f} | "
              f"{percentile(times, 90):.1f} | {statistics.median(times) / ref:.2f} | "
              f"{statistics.median(r[1] for r in rows):,.0f} |")
    extra = {name: rows for name, rows in found.items() if rows and len(rows[0]) == 4}
    for name, rows in extra.items():
        if name != "reference" and "first" not in name:
            print(f"  {name}: per move {statistics.median(r[2] for r in rows):.0f} "
                  f"reference(s) to held messages, "
                  f"{statistics.median(r[3] for r in rows):.0f} full Plotly chart(s)")
    kept = {name: rows for name, rows in found.items() if rows and len(rows[0]) == 3
            and name != "reference"}
    for name, rows in kept.items():
        print(f"  {name}: charts stayed mounted on {sum(bool(r[2]) for r in rows)} "
              f"of {len(rows)} presses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=20, help="moves per kind")
    parser.add_argument("--no-browser", action="store_true", help="skip part 3")
    args = parser.parse_args()
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores, "
          f"`uptime`: {load}\n")
    print("1. In process (median of 20)\n\n| stage | ms |\n|---|---:|")
    for name, ms in build_costs():
        print(f"| {name} | {ms:,.1f} |")
    print(f"\n1b. The section's calls on a step-count move, AppTest (median of {args.moves})\n")
    print("| call | ms |\n|---|---:|")
    for name, ms in section_calls(args.moves):
        print(f"| {name} | {ms:,.1f} |")
    with b.streamlit_server("app.py") as app, b.streamlit_server("bench/reference_app.py") as ref:
        print("\n2. Server time over the websocket\n")
        table(asyncio.run(server_moves(app, ref, args.moves)), "sent")
        with app_without_landscape() as bare:
            print("\n2b. The section's own share: the page against a copy without it\n")
            share_table(asyncio.run(section_share(app, bare, args.moves)))
        if not args.no_browser:
            print("\n3. Browser: key press to settled page\n")
            table(browser_moves(app, ref, args.moves), "received")
    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"\nafter: `uptime`: {load}")
    print(f"targets: step-count move <= {STEP_TARGET_MS:.0f} ms server time; "
          f"first draw of a new surface <= {SURFACE_TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()
