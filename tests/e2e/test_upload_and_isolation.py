"""In Chromium: uploading a file on "Your numbers", and two users who never see each other's state."""

from __future__ import annotations

import math

from sklearn.metrics import log_loss

from .browser import EXCEPTION, metrics, new_tab, open_url, page_url, rerun_settled

YOUR_NUMBERS = "pages/5_Your_numbers.py"
SPAM_HAM = "label,ham,spam\nspam,.1,.9\nham,.9,.1\nham,.8,.2\nspam,.35,.65\n"
UPLOAD_INPUT = '[data-testid="stFileUploader"] input[type="file"]'


def open_your_numbers(page, server, query=""):
    open_url(page, page_url(server.url, YOUR_NUMBERS) + query)


def test_uploaded_file_is_scored_and_the_text_box_is_kept(page, server, tmp_path, artifacts):
    path = tmp_path / "spam_ham.csv"
    path.write_text(SPAM_HAM, encoding="utf-8")
    open_your_numbers(page, server)
    typed = page.locator("textarea").input_value()
    rerun_settled(page, lambda: page.locator(UPLOAD_INPUT).set_input_files(str(path)))
    # scikit-learn's docstring value for this input (0.21616), shown to 4 decimals.
    expected = log_loss(["spam", "ham", "ham", "spam"],
                        [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
    assert metrics(page)["Mean cross-entropy"] == f"{expected:.4f} nats"
    assert page.locator("textarea").input_value() == typed      # nothing typed is lost
    assert not page.locator(EXCEPTION).count()
    page.screenshot(path=str(artifacts / "upload.png"), full_page=True)
    assert page.console_errors == []


def test_uploaded_file_that_is_not_text_gets_a_clear_message(page, server, tmp_path):
    path = tmp_path / "scores.csv"
    path.write_bytes(b"1, 0.9\n\xff\xfe0, 0.1\n")
    open_your_numbers(page, server)
    rerun_settled(page, lambda: page.locator(UPLOAD_INPUT).set_input_files(str(path)))
    error = page.locator('[data-testid="stAlertContentError"]')
    assert error.count() == 1
    assert "scores.csv is not UTF-8 text" in error.inner_text()
    assert not page.locator(EXCEPTION).count()


def test_two_users_never_see_each_others_settings_or_data(browser, server):
    alice_ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    bob_ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        alice, bob = new_tab(alice_ctx), new_tab(bob_ctx)
        open_your_numbers(alice, server)
        open_your_numbers(bob, server)
        default = metrics(bob)["Mean cross-entropy"]

        # Alice switches to bits and types her own data.
        rerun_settled(alice, lambda: alice.get_by_text("bits", exact=True).click())
        area = alice.locator("textarea")
        area.fill("1, 0.5\n0, 0.5")
        rerun_settled(alice, lambda: area.press("Control+Enter"))
        assert metrics(alice)["Mean cross-entropy"] == f"{-math.log2(0.5):.4f} bits"

        # Bob reruns his page: still nats, still the default example, his own number.
        # (Format: binary, what "auto" detects for his example, so only a caption changes)
        bob.locator('[data-testid="stSelectbox"]', has_text="Format").click()
        rerun_settled(bob, lambda: bob.get_by_role("option", name="binary").click())
        assert metrics(bob)["Mean cross-entropy"] == default
        assert default.endswith(" nats")
        assert "1, 0.5" not in bob.locator("textarea").input_value()
        # ... and a brand-new visitor gets the defaults, not Alice's last state.
        carol = new_tab(browser.new_context())
        open_your_numbers(carol, server)
        assert metrics(carol)["Mean cross-entropy"] == default
        assert metrics(alice)["Mean cross-entropy"] == "1.0000 bits"
        assert alice.console_errors == [] and bob.console_errors == []
    finally:
        alice_ctx.close()
        bob_ctx.close()
