"""Regenerate the README's screenshots: python docs/shoot.py

Starts the app and opens pages in headless Chromium: each page of ``SHOTS`` at 1280 × 900
(light theme), and for the README's "In a lecture" section one page at each of the three
screens a course meets (``LECTURE``): a desk at 1400 × 1000, a projector at 1280 × 720 in
presenter mode (dark), a phone at 390 × 844. Waits until each page has settled and writes
docs/<name>.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e import browser as b  # noqa: E402

SHOTS = {
    "entropy": "Entropy",
    "cross_entropy": "Cross_entropy_and_KL",
    "softmax": "Softmax",
    "penalty_curves": "Penalty_curves",
    "your_numbers": "Your_numbers",
}
#: name: (viewport, theme, page and query)
LECTURE = {
    "lecture_desk": ({"width": 1400, "height": 1000}, "light", "Cross_entropy_and_KL"),
    "lecture_projector": ({"width": 1280, "height": 720}, "dark", "Your_numbers?present=1"),
    "lecture_phone": ({"width": 390, "height": 844}, "light", "Softmax"),
}


def shoot(browser, url: str, name: str, viewport: dict, theme: str) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=theme)
    try:
        page = b.new_tab(context)
        page.goto(url)
        b.settled(page)
        page.wait_for_timeout(1500)        # charts draw after the script settles
        page.screenshot(path=str(ROOT / "docs" / f"{name}.png"))
        print("wrote", f"docs/{name}.png")
    finally:
        context.close()


def main() -> None:
    with sync_playwright() as playwright, b.streamlit_server("app.py") as server:
        browser = playwright.chromium.launch(executable_path=b.chromium_path(),
                                             args=b.BROWSER_ARGS)
        try:
            for name, path in SHOTS.items():
                shoot(browser, f"{server.url}/{path}", name, {"width": 1280, "height": 900},
                      "light")
            for name, (viewport, theme, path) in LECTURE.items():
                shoot(browser, f"{server.url}/{path}", name, viewport, theme)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
