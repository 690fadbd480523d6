"""In Chromium, through HAProxy in front of two replicas (deploy/local_cluster.py): two students
upload, train, switch pages and lose their connection; each stays on its own replica the whole
time and sees only its own state.

The proxy is Debian's HAProxy (.ci/run installs it); without it this skips, and fails in CI.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time

import pytest
from sklearn.metrics import log_loss

from .browser import EXCEPTION, ROOT, metrics, new_tab, page_url, rerun_settled, settled

sys.path.insert(0, str(ROOT / "deploy"))

import local_cluster  # noqa: E402

YOUR_NUMBERS, TRAINING = "pages/5_Your_numbers.py", "pages/6_Live_training.py"
SPAM_HAM = "label,ham,spam\nspam,.1,.9\nham,.9,.1\nham,.8,.2\nspam,.35,.65\n"
UPLOAD_INPUT = '[data-testid="stFileUploader"] input[type="file"]'
PROGRESS = '[data-testid="stProgress"]'
MEAN = "Mean cross-entropy"
DISCONNECTED_TICK = "Cannot send rerun backMessage when disconnected from server."


@pytest.fixture(scope="module")
def cluster(browser):
    if local_cluster.find_haproxy() is None:
        if os.environ.get("CI") == "true" or os.environ.get("CE_REQUIRE_BROWSER") == "1":
            pytest.fail("haproxy is missing: .ci/run installs Debian's package", pytrace=False)
        pytest.skip("haproxy is not installed (apt-get install haproxy)")
    with local_cluster.Cluster(2, install=False) as running:
        yield running


def replica_of(context) -> str:
    """The student's affinity cookie: which replica the proxy keeps it on."""
    values = [c["value"] for c in context.cookies() if c["name"] == "ce_replica"]
    assert len(values) == 1, context.cookies()
    return values[0]


def epoch_shown(page) -> int:
    match = re.search(r"Epoch (\d+) of", page.locator(PROGRESS).first.inner_text())
    return int(match.group(1)) if match else 0


def follow_link(page, title: str, file: str) -> None:
    """Click the sidebar link (a page switch on the same websocket) and wait for the page."""
    page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a', has_text=title).click()
    page.wait_for_url(re.compile(re.escape(page_url("", file)) + r"($|\?)"))
    settled(page)


def run_finished(page) -> bool:
    """The progress text says "Epoch N of N"."""
    match = re.search(r"Epoch (\d+) of (\d+)", page.locator(PROGRESS).first.inner_text())
    return bool(match) and match.group(1) == match.group(2)


def wait_until(predicate, what: str, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout_s:.0f} s")
        time.sleep(0.25)


def test_two_students_stay_on_their_replicas_through_upload_training_and_reconnect(
        browser, cluster, tmp_path, artifacts):
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in "ab"]
    try:
        alice, bob = (new_tab(c) for c in contexts)
        for tab in (alice, bob):      # both load at once: each replica's first run is slow
            tab.goto(page_url(cluster.url, YOUR_NUMBERS))
        for tab in (alice, bob):
            settled(tab)
        replicas = [replica_of(c) for c in contexts]
        assert replicas[0] != replicas[1], "round robin: the second student goes to the other"
        default = metrics(bob)[MEAN]

        # Alice uploads a file (an HTTP PUT, which must reach the replica of her session).
        path = tmp_path / "spam_ham.csv"
        path.write_text(SPAM_HAM, encoding="utf-8")
        rerun_settled(alice, lambda: alice.locator(UPLOAD_INPUT).set_input_files(str(path)))
        expected = log_loss(["spam", "ham", "ham", "spam"],
                            [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
        assert metrics(alice)[MEAN] == f"{expected:.4f} nats"

        # Bob switches to bits and types his own numbers.
        rerun_settled(bob, lambda: bob.get_by_text("bits", exact=True).click())
        area = bob.locator("textarea")
        area.fill("1, 0.5\n0, 0.5")
        rerun_settled(bob, lambda: area.press("Control+Enter"))
        assert metrics(bob)[MEAN] == f"{-math.log2(0.5):.4f} bits"

        # Alice follows the sidebar link to Live training and presses Train.
        follow_link(alice, "Live training", TRAINING)
        alice.locator(".st-key-t_train button").click()
        wait_until(lambda: epoch_shown(alice) > 0, "training did not start")

        # Both connections drop (a network blip); the frontend reconnects by itself.
        cluster.drop_connections()
        time.sleep(1.0)
        for tab in (alice, bob):
            settled(tab)
        # Alice's run goes on in her session to its last epoch (a fresh session on another
        # replica would show "Ready" at epoch 0; the run may even have ended during the blip).
        wait_until(lambda: run_finished(alice), "training did not reach its last epoch")
        # Bob's session kept his unit and his numbers.
        assert metrics(bob)[MEAN] == "1.0000 bits"
        assert "1, 0.5" in bob.locator("textarea").input_value()
        rerun_settled(bob, lambda: bob.get_by_text("nats", exact=True).click())
        assert metrics(bob)[MEAN] == f"{math.log(2):.4f} nats"

        # Alice goes back to Your numbers: her unit is still nats, Bob's text is not there.
        follow_link(alice, "Your numbers", YOUR_NUMBERS)
        alice.locator('[data-testid="stMetricLabel"]', has_text=MEAN).first.wait_for()
        settled(alice)
        assert metrics(alice)[MEAN].endswith(" nats")
        assert "1, 0.5" not in alice.locator("textarea").input_value()
        assert metrics(alice)[MEAN] in (default, f"{expected:.4f} nats")

        assert [replica_of(c) for c in contexts] == replicas, "a student changed replica"
        busy = {name: int(row["scur"]) for name, row in cluster.servers().items()}
        assert all(n >= 1 for n in busy.values()), busy     # each replica holds a student
        for tab, name in ((alice, "alice"), (bob, "bob")):
            assert not tab.locator(EXCEPTION).count()
            tab.screenshot(path=str(artifacts / f"proxy_{name}.png"), full_page=True)
        # while disconnected, the frontend says so for each run_every tick it could not send
        for tab in (alice, bob):
            assert [e for e in tab.console_errors if DISCONNECTED_TICK not in e] == []
    finally:
        for context in contexts:
            context.close()
