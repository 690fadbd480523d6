"""Every page runs without an exception, in nats and in bits.

Pages come from the page registry (``ui.registry.page_files()``), so a new page is
covered as soon as it has its entry there.
"""

import pytest

from tests.apptest import open_app, open_page
from ui.registry import PAGES, page_files


def test_landing_page_runs_and_lists_every_page():
    at = open_app()
    assert not at.exception
    assert at.title[0].value == "Cross-entropy, interactively"
    assert at.radio(key="unit").value == "nats"
    path = [link.proto.label for link in at.main.get("page_link")]
    assert path[:-1] == [page.title for page in PAGES[1:]], path   # then "Next: ..."
    assert [link.proto.label for link in at.sidebar.get("page_link")] == [
        page.title for page in PAGES]


@pytest.mark.parametrize("page", page_files()[1:])
@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_page_runs_without_exception(page, unit):
    at = open_page(page, unit=unit)   # the unit is chosen on the landing page, then the switch
    assert not at.exception, f"{page} raised: {[e.value for e in at.exception]}"
    assert at.radio(key="unit").value == unit  # the unit survives the page switch
