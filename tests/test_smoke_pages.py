"""Every page runs without an exception, in nats and in bits.

Pages are discovered from the pages/ folder, so a new page is covered without
editing this test.
"""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))


def start() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    return at.run()


def test_landing_page_runs_and_lists_every_page():
    at = start()
    assert not at.exception
    assert at.title[0].value == "Cross-entropy, interactively"
    assert at.radio(key="unit").value == "nats"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_page_runs_without_exception(page, unit):
    at = start()
    at.radio(key="unit").set_value(unit).run()
    at.switch_page(page).run()
    assert not at.exception, f"{page} raised: {[e.value for e in at.exception]}"
    assert at.radio(key="unit").value == unit  # the unit survives the page switch
