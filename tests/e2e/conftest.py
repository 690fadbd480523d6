"""Real-browser fixtures: one Streamlit server and one Chromium per session.

Chromium is Debian's (``/usr/bin/chromium``, or ``$CE_CHROMIUM``), driven by the
playwright package; ``playwright install`` cannot download browsers here. Without
the browser these tests skip, unless ``CE_REQUIRE_BROWSER=1`` (CI), where a
missing browser fails them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .browser import BROWSER_ARGS, ROOT, chromium_path, new_tab, streamlit_server

ARTIFACTS = ROOT / "artifacts" / "e2e"


def _no_browser(reason: str):
    if os.environ.get("CE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (CE_REQUIRE_BROWSER=1, so this fails instead of skipping)",
                    pytrace=False)
    pytest.skip(f"{reason}; set CE_CHROMIUM to a Chromium binary to run the browser tests")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (skips when there is none)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:  # the dev requirements install it; a bare env may not
        _no_browser(f"the playwright package is not importable ({err})")
    executable = chromium_path()
    if not (Path(executable).is_file() and os.access(executable, os.X_OK)):
        _no_browser(f"no Chromium executable at {executable}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def server(browser):
    """``streamlit run app.py`` on a free 127.0.0.1 port (``server.url``), stopped afterwards.

    Depends on ``browser`` so that a missing browser skips before a server starts.
    """
    with streamlit_server("app.py") as running:
        yield running


@pytest.fixture
def page(browser):
    """A fresh context (cookies, session, storage) and tab per test.

    ``page.console_errors`` lists the console errors and uncaught page errors so far.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        yield new_tab(context)
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """artifacts/e2e/ (git-ignored), where screenshots go."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
