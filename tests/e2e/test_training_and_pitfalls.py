"""In Chromium: pressing Train makes the loss chart grow; every Pitfalls tab opens and computes."""

from __future__ import annotations

import re
import time

from .browser import EXCEPTION, metrics, open_url, page_url, settled

TRAINING, PITFALLS = "pages/6_Live_training.py", "pages/7_Pitfalls.py"

PROGRESS = '[data-testid="stProgress"]'
TAB_READY = """() => document.querySelector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]') !== null
    && [...document.querySelectorAll('[role="tabpanel"]')].some(p => p.offsetParent !== null
        && p.querySelectorAll('[data-testid="stMetricValue"]').length >= 2)"""


def epoch_shown(page) -> int:
    match = re.search(r"Epoch (\d+) of", page.locator(PROGRESS).first.inner_text())
    return int(match.group(1)) if match else 0


def wait_for_epoch_above(page, epoch: int, timeout_s: float = 180) -> int:
    """The page keeps ticking while it trains, so poll the progress text, not 'notRunning'."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        now = epoch_shown(page)
        if now > epoch:
            return now
        time.sleep(0.25)
    raise AssertionError(f"training did not get past epoch {epoch} within {timeout_s} s")


def test_train_makes_the_loss_chart_grow(page, server, artifacts):
    open_url(page, page_url(server.url, TRAINING) + "?t_lr=0.03")  # changed: trains live
    assert "Ready" in page.locator(PROGRESS).first.inner_text()
    page.locator(".st-key-t_train button").click()
    first = wait_for_epoch_above(page, 0)
    later = wait_for_epoch_above(page, first)
    assert later > first
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1
    assert "Validation loss (nats)" in metrics(page)
    page.screenshot(path=str(artifacts / "live_training_running.png"), full_page=True)
    assert not page.locator(EXCEPTION).count()
    assert page.console_errors == []


def test_default_settings_replay_also_grows(page, server):
    open_url(page, page_url(server.url, TRAINING))
    page.locator(".st-key-t_train button").click()
    first = wait_for_epoch_above(page, 0)   # the first press records the run
    assert wait_for_epoch_above(page, first) > first
    assert page.get_by_text("computed once on the server").count() == 1
    assert not page.locator(EXCEPTION).count()


def test_every_pitfalls_tab_opens_and_shows_its_numbers(page, server, artifacts):
    open_url(page, page_url(server.url, PITFALLS), timeout_ms=120_000)
    tabs = page.get_by_role("tab")
    names = [tabs.nth(i).inner_text().strip() for i in range(tabs.count())]
    assert len(names) == 4
    seen = set()
    for i, name in enumerate(names):
        if i:
            # A tab switches in the browser at once, and only then does the server compute
            # the new tab's numbers: wait for those numbers, not for any rerun.
            tabs.nth(i).click()
            page.wait_for_function(TAB_READY, timeout=120_000)
            settled(page, timeout_ms=120_000)
        panel = page.locator('[role="tabpanel"]:visible')
        values = panel.locator('[data-testid="stMetricValue"]')
        assert values.count() >= 2, f"tab {name!r} shows no numbers"
        seen.add(tuple(values.all_inner_texts()))
        assert not page.locator(EXCEPTION).count(), f"tab {name!r} raised"
        page.screenshot(path=str(artifacts / f"pitfalls_tab_{i}.png"), full_page=True)
    assert len(seen) == 4                     # each tab computed its own numbers
    assert page.console_errors == []
