"""Regenerate the README's screenshots: python docs/shoot.py

Starts the app, opens each page below in headless Chromium at 1280 × 900 (light theme),
waits until it has settled and writes docs/<name>.png.
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


def main() -> None:
    with sync_playwright() as playwright, b.streamlit_server(ROOT, "app.py") as server:
        browser = playwright.chromium.launch(executable_path=b.chromium_path(),
                                             args=b.BROWSER_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900},
                                          color_scheme="light")
            page = b.new_tab(context)
            for name, path in SHOTS.items():
                page.goto(f"{server.url}/{path}")
                b.settled(page)
                page.wait_for_timeout(1500)        # charts draw after the script settles
                page.screenshot(path=str(ROOT / "docs" / f"{name}.png"))
                print("wrote", f"docs/{name}.png")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
