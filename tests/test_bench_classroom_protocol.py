"""Keeps bench/st_client.py honest: two sessions speak Streamlit's websocket protocol to a
live ``streamlit run app.py`` (started as the benches start it), open the Entropy page,
move a slider once, and must get a successful ``script_finished`` and a changed entropy
metric back.

Skipped (with the reason) only when the server cannot start here.
"""

import asyncio
import concurrent.futures
import contextlib
import sys
from pathlib import Path

import pytest

from tests.e2e.browser import HOST, streamlit_server, url_path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import st_client  # noqa: E402

SESSIONS = 2
ENTROPY = "Entropy H(P)"
PAGE = url_path("pages/1_Entropy.py")


@pytest.fixture(scope="module")
def server():
    with contextlib.ExitStack() as stack:
        try:
            running = stack.enter_context(streamlit_server("app.py", timeout_s=30))
        except (RuntimeError, OSError) as exc:
            pytest.skip(f"streamlit server could not start: {exc}")
        yield running


def entropy_shown(run: st_client.Run) -> str:
    values = [m.body for m in run.of_type("metric") if m.label == ENTROPY]
    assert values, f"no {ENTROPY!r} metric in the run's deltas"
    return values[-1]


async def student(server, xsrf: str | None, target: float) -> tuple[str, str, float]:
    async with st_client.Session(HOST, server.port, xsrf=xsrf) as session:
        assert session.ws.subprotocol == "streamlit"
        opened = await session.open_page(PAGE, timeout=25)
        assert opened.ok, [e.message for e in opened.exceptions]
        before = entropy_shown(opened)
        slider = session.widget_by_key("slider", "e_p1")     # id found in the deltas
        assert slider.id.startswith("$$ID-") and slider.min <= target <= slider.max
        run, latency = await session.set_slider(slider.id, target, timeout=15)
        # The weights live in an st.fragment: like the browser, the client reruns only it.
        assert run.fragment_ids and run.status == st_client.FRAGMENT_OK and run.ok
        return before, entropy_shown(run), latency


def test_two_sessions_move_a_slider(server):
    xsrf = st_client.xsrf_cookie(server.url)
    assert xsrf, "enableXsrfProtection is on: /_stcore/health should set the cookie"

    async def both():
        return await asyncio.wait_for(
            asyncio.gather(*(student(server, xsrf, t) for t in (90.0, 5.0))), 50)

    # Its own thread and event loop: after the browser tests, Playwright's sync API keeps
    # an event loop running in the main thread, where asyncio.run() refuses to start.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        results = pool.submit(lambda: asyncio.run(both())).result()
    assert len(results) == SESSIONS
    for before, after, latency in results:
        assert before != after, "moving weight 1 should change the entropy"
        assert 0 < latency < 15
    assert results[0][1] != results[1][1], "each session keeps its own slider value"
