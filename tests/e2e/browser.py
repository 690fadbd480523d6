"""Driving the app in Chromium: the server, "settled", and reading pages back.

Shared by tests/e2e, tests/test_bench_classroom_protocol.py and the benches
(bench/bench_latency.py, bench/bench_classroom.py), so a benchmark measures exactly what
the tests check, on a server started the same way. Playwright is imported by the
callers, not here.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
BROWSER_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SETTLED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
MAIN = '[data-testid="stMain"]'
SIDEBAR_LINKS = '[data-testid="stSidebar"] [data-testid="stPageLink"] a[href]'
EXCEPTION = '[data-testid="stException"]'
HEALTH_TIMEOUT_S = 60


def chromium_path() -> str:
    """The Chromium binary: $CE_CHROMIUM, else Debian's /usr/bin/chromium."""
    return os.environ.get("CE_CHROMIUM", "/usr/bin/chromium")


# --- the lesson's pages --------------------------------------------------------------------

@functools.cache
def registry():
    """``ui/registry.py``, the one list of pages, loaded without the ``ui`` package.

    Importing ``ui`` tunes the importing process (ui/tuning.py: ``gc.freeze``, a
    background import of scikit-learn), which the server needs and a bench client, timing
    that server on the same machine, must not pay for.
    """
    spec = importlib.util.spec_from_file_location("_lesson_registry",
                                                  ROOT / "ui" / "registry.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module     # dataclasses look the module up while building Page
    spec.loader.exec_module(module)
    return module


def url_path(file: str) -> str:
    """The URL path a page file is served at: ``""`` for the entry script (the landing
    page), ``"Entropy"`` for ``pages/1_Entropy.py`` (Streamlit's own file-name rule)."""
    from streamlit.source_util import page_icon_and_name

    lesson = registry()
    lesson.find(file)           # KeyError, naming the file, if it is not a registry page
    return "" if file == lesson.PAGES[0].file else page_icon_and_name(Path(file))[1]


def page_url(base_url: str, file: str) -> str:
    """The address of a page file on the server at ``base_url``."""
    return f"{base_url}/{url_path(file)}"


def page_file(url: str) -> str | None:
    """The registry's page file (``"pages/1_Entropy.py"``) a Streamlit URL belongs to."""
    path = urlsplit(url).path.strip("/")
    return next((file for file in registry().page_files() if url_path(file) == path), None)


# --- the server ----------------------------------------------------------------------------

def free_port() -> int:
    """A port nobody listens on right now (the OS picks it when binding to port 0)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """``streamlit run`` in its own process group, on a loopback port."""

    port: int
    process: subprocess.Popen
    log: Path                   # the server's stdout and stderr

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def start_server(script: str = "app.py", options: list[str] = ()) -> Server:
    """Launch ``streamlit run script`` (a path from the repository root) on a free port;
    returns at once (not yet healthy). ``options`` are more ``streamlit run`` options,
    with or without their leading ``--`` (``runner.postScriptGC=false``)."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="ce-streamlit-", suffix=".log")[1])
    extra = [o if o.startswith("--") else f"--{o}" for o in options]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script,
             "--server.port", str(port), "--server.address", HOST,
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             # Files are edited while tests and benches run; a file watcher would rerun
             # pages (or reload modules under live sessions) mid-measurement.
             "--server.fileWatcherType", "none", *extra],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop_server kills children too
        )
    return Server(port, process, log)


def wait_healthy(server: Server, timeout_s: float = HEALTH_TIMEOUT_S) -> None:
    """Poll /_stcore/health until it says "ok"; raise with the server's output otherwise."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        if _healthy(server.url):
            return
        time.sleep(0.05)
    status = ("exited with code " + str(server.process.returncode)
              if server.process.poll() is not None else f"not healthy after {timeout_s:.0f} s")
    raise RuntimeError(f"streamlit server at {server.url} {status}. Its output:\n"
                       + server.log.read_text(errors="replace"))


def stop_server(server: Server) -> None:
    """Stop the server's whole process group: SIGTERM, then SIGKILL if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)


@contextlib.contextmanager
def streamlit_server(script: str = "app.py", options: list[str] = (),
                     timeout_s: float = HEALTH_TIMEOUT_S):
    """A healthy server for the duration of the block; always stopped (and its log
    removed) afterwards. Raises RuntimeError, with the server's output, if it never gets
    healthy."""
    server = start_server(script, options)
    try:
        wait_healthy(server, timeout_s)
        yield server
    finally:
        stop_server(server)
        server.log.unlink(missing_ok=True)


# --- waiting -------------------------------------------------------------------------------

def settled(page, timeout_ms: float = 60_000) -> None:
    """The script is not running, the main area shows content, and nothing is still loading.

    Widgets and charts whose JavaScript is lazy-loaded sit as ``stSkeleton`` placeholders for
    a while after the script finished; a slow machine makes that seconds.
    """
    page.wait_for_function(_SETTLED_JS, timeout=timeout_ms)


_SETTLED_JS = """() => document.querySelector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]') !== null
    && document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stElementContainer"]').length > 0
    && document.querySelector('[data-testid="stSkeleton"]') === null"""

_WATCH_RUNS = """() => {
    // What only a rerun changes: text drawn by the script (not a slider's own value label,
    // which moves on the key press itself).
    window.__ceRunText = () => [...document.querySelectorAll(
        '[data-testid="stMain"] [data-testid="stMarkdown"], '
        + '[data-testid="stMain"] [data-testid="stAlert"], '
        + '[data-testid="stMain"] [data-testid="stCaptionContainer"]')]
        .filter(m => !m.closest('[data-testid="stSlider"], [data-testid="stFileUploader"], '
                                + '[data-testid="stWidgetLabel"], label, [data-baseweb]'))
        .map(m => m.innerText).join('|');
    const app = document.querySelector('[data-testid="stApp"]');
    window.__ceSawRun = false;
    // Numbers that live scrubbing writes in the browser (ui/scrub.js marks them) change on
    // the key press itself, so only the others count as proof of a rerun.
    window.__ceMetrics = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .filter(m => !m.closest('[data-ce-scrub]')).map(m => [m, m.innerText]);
    window.__ceText = window.__ceRunText();
    window.__ceObserver?.disconnect();
    // records batch up: a fast rerun can go running -> notRunning before the callback,
    // so look at each record's old value too
    window.__ceObserver = new MutationObserver(records => {
        if (records.some(r => r.oldValue !== 'notRunning')
            || app.getAttribute('data-test-script-state') !== 'notRunning') {
            window.__ceSawRun = true;
        }
    });
    window.__ceObserver.observe(app, {attributes: true, attributeOldValue: true,
                                      attributeFilter: ['data-test-script-state']});
}"""
# Changed metrics or page text also prove the rerun happened: a run of a few milliseconds
# can go running -> notRunning inside one React render, and the attribute never changes.
_RUN_DONE = ("() => (window.__ceSawRun || window.__ceMetrics.some(([m, text]) => "
             "!m.isConnected || m.innerText !== text) "
             "|| window.__ceRunText() !== window.__ceText) && (" + _SETTLED_JS + ")()")


def open_url(page, url: str, timeout_ms: float = 60_000) -> None:
    """Go to ``url`` and wait until the page settled."""
    page.goto(url)
    settled(page, timeout_ms)


def rerun_settled(page, action, timeout_ms: float = 60_000) -> None:
    """Do ``action()`` (which must make the script rerun) and wait for that rerun to finish.

    Waiting for "notRunning" alone would return before the rerun even started, so a
    MutationObserver notes that the state left "notRunning" first.
    """
    page.evaluate(_WATCH_RUNS)
    action()
    page.wait_for_function(_RUN_DONE, timeout=timeout_ms)


# --- reading the page ----------------------------------------------------------------------

def sidebar_links(page) -> list[tuple[str, str]]:
    """(label, absolute URL) of every page link in the sidebar, in order."""
    links = page.locator(SIDEBAR_LINKS)
    out = []
    for i in range(links.count()):
        link = links.nth(i)
        label = link.locator('[data-testid="stMarkdownContainer"]').inner_text().strip()
        url = link.evaluate("a => a.href")  # resolved against the page URL
        out.append((label, url))
    return out


def shown_exception(page) -> str | None:
    """The start of the first exception box the page shows, or None."""
    boxes = page.locator(EXCEPTION)
    return boxes.first.inner_text()[:800] if boxes.count() else None


def metrics(page) -> dict[str, str]:
    """{label: value text} of every st.metric in the main area."""
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')].map(m => [
            m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
            m.querySelector('[data-testid="stMetricValue"]').innerText.trim()]))""")


def query_params(page) -> dict[str, str]:
    """The page URL's query string as a dict (bound widgets live there)."""
    return query_params_of(page.url)


def query_params_of(url: str) -> dict[str, str]:
    """A URL's query string as a dict."""
    return dict(parse_qsl(urlsplit(url.strip()).query))


def sliders(page) -> list[dict]:
    """Every slider thumb in the main area: widget key, value, min, max, step, shown text.

    The key comes from the ``st-key-<key>`` class Streamlit puts on keyed elements. For an
    st.select_slider, ``value`` is the option's index and ``text`` the option.
    """
    return page.evaluate("""() =>
        [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stSlider"]')]
        .flatMap(s => {
            const box = s.closest('[class*="st-key-"]');
            const key = box ? [...box.classList].find(c => c.startsWith('st-key-')).slice(7)
                            : null;
            return [...s.querySelectorAll('input[type=range]')].map((t, thumb) => ({
                key, thumb, value: t.value, min: t.min, max: t.max, step: t.step,
                text: t.getAttribute('aria-valuetext'),
                ends: [...s.querySelectorAll('[data-testid="stSliderTickBar"] p')]
                      .map(p => p.innerText.trim())}));
        })""")


def is_numeric_slider(slider: dict) -> bool:
    """An st.slider, whose thumb input holds the value itself.

    A select_slider's input holds the option's index instead; its thumb text and the
    labels at both ends of its track (the first and last options) then differ from the
    input's value, min and max.
    """
    shown = [slider["text"], *slider["ends"]]
    held = [slider["value"], slider["min"], slider["max"]]
    return len(shown) == 3 and all(same_value(a, b) for a, b in zip(shown, held))


def same_value(a: str | None, b: str | None) -> bool:
    """Two widget values as text, equal as numbers when both are numbers."""
    if a is None or b is None:
        return a == b
    try:
        return math.isclose(float(a), float(b), abs_tol=1e-9)
    except (TypeError, ValueError):
        return a == b


def slider_thumb(page, key: str, thumb: int = 0):
    """Locator of a slider's thumb input, found by widget key."""
    return page.locator(f'{MAIN} .st-key-{key} [data-testid="stSlider"] input[type=range]').nth(
        thumb)


def focus_slider(page, slider: dict):
    """Focus a slider's thumb (``slider`` as ``sliders`` lists it), opening its tab first;
    returns the thumb's locator. Arrow keys then move it one step."""
    thumb = slider_thumb(page, slider["key"], slider["thumb"])
    reveal(page, thumb)
    thumb.focus()
    return thumb


def widget_state(page) -> dict[str, str]:
    """Every keyed widget's shown value as text, then the URL's query params on top.

    Bound widgets put only non-default values in the URL, so the page itself supplies
    the rest (sliders: the thumb's value; radios: the checked option's text; number
    inputs: their text). The URL wins where both speak.
    """
    shown = page.evaluate("""() => {
        const state = {};
        for (const box of document.querySelectorAll('[data-testid="stMain"] [class*="st-key-"]')) {
            const key = [...box.classList].find(c => c.startsWith('st-key-')).slice(7);
            const thumbs = [...box.querySelectorAll('[data-testid="stSlider"] input[type=range]')];
            const checked = box.querySelector(
                '[data-testid="stRadio"] [data-testid="stRadioOption"][data-selected="true"]');
            const number = box.querySelector('[data-testid="stNumberInput"] input');
            if (thumbs.length) state[key] = thumbs.map(t => t.value).join(',');
            else if (checked) state[key] = checked.innerText.trim();
            else if (number) state[key] = number.value;
        }
        return state;
    }""")
    return {**shown, **query_params(page)}


def unit(page) -> str:
    """The unit chosen in the sidebar radio (key "unit")."""
    return page.locator('[data-testid="stSidebar"] .st-key-unit '
                        '[data-testid="stRadioOption"][data-selected="true"]').inner_text().strip()


def reveal(page, locator) -> None:
    """Open the st.tabs tab a widget sits in, if that tab is not the one shown.

    Streamlit renders every tab's panel (``stTabPanel``, hidden ones ``display: none``)
    in the order of its tab buttons (``stTab``).
    """
    if locator.is_visible():
        return
    index = locator.evaluate("""el => {
        const panel = el.closest('[data-testid="stTabPanel"]');
        if (!panel) return -1;
        const tabs = panel.closest('[data-testid="stTabs"]');
        const panels = [...tabs.querySelectorAll('[data-testid="stTabPanel"]')]
            .filter(p => p.closest('[data-testid="stTabs"]') === tabs);
        const buttons = [...tabs.querySelectorAll('[data-testid="stTab"]')]
            .filter(b => b.closest('[data-testid="stTabs"]') === tabs);
        buttons[panels.indexOf(panel)].setAttribute('data-ce-reveal', '1');
        return panels.indexOf(panel);
    }""")
    if index >= 0:
        page.locator('[data-ce-reveal="1"]').click()  # switching tabs needs no rerun
        locator.wait_for(state="visible")


# Opening a page's own URL (/Entropy) makes the frontend probe <page>/_stcore/health and
# <page>/_stcore/host-config to find the base URL path, before it finds them at the root:
# two 404s in the console on every direct page load, harmless (streamlit/streamlit#7074).
_BASE_PATH_PROBE = re.compile(r"^https?://127\.0\.0\.1:\d+/[^/?#]+/_stcore/(health|host-config)$")


def _harmless(msg) -> bool:
    return (msg.text.startswith("Failed to load resource: the server responded with a status "
                                "of 404")
            and bool(_BASE_PATH_PROBE.match(msg.location.get("url", ""))))


def new_tab(context, timeout_ms: float = 60_000):
    """A tab whose ``console_errors`` list collects console errors and uncaught page errors."""
    tab = context.new_page()
    tab.set_default_timeout(timeout_ms)
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(
        f"console.{msg.type}: {msg.text} ({msg.location.get('url', '')})")
        if msg.type == "error" and not _harmless(msg) else None)
    tab.on("pageerror", lambda err: errors.append(f"pageerror: {err}"))
    tab.console_errors = errors
    return tab
