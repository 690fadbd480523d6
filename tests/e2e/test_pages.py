"""Every page in a real browser: loads cleanly, its slider moves its numbers, state travels.

Pages come from the page registry (``ui/registry.py``), so a new page is covered as soon
as it has its entry there; the sidebar must link exactly those pages. Each test goes
through every page and reports all the pages that fail together.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from . import browser as b
from .expectations import EXPECTATIONS, slider_to_press


@dataclass
class Visit:
    """What one page showed on a fresh load."""
    label: str
    url: str
    file: str
    problems: list[str] = field(default_factory=list)
    sliders: list[dict] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="session")
def visits(browser, server, artifacts) -> list[Visit]:
    """Every page of the registry, in lesson order, loaded once in a fresh session.

    Records exceptions and console errors, the sliders and metrics it shows, and writes a
    full-page screenshot to artifacts/e2e/.
    """
    found = []
    for entry in b.registry().PAGES:
        visit = Visit(entry.title, b.page_url(server.url, entry.file), entry.file)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            tab = b.new_tab(context)
            b.open_url(tab, visit.url)
            tab.screenshot(path=str(artifacts / f"{Path(visit.file).stem}.png"), full_page=True)
            exception = b.shown_exception(tab)
            if exception:
                visit.problems.append(f"exception shown: {exception}")
            if tab.locator("h1").count() == 0:
                visit.problems.append("no title")
            if tab.console_errors:
                visit.problems.append(f"console errors: {tab.console_errors}")
            visit.sliders = [s for s in b.sliders(tab) if s["key"]]
            visit.metrics = b.metrics(tab)
        finally:
            context.close()
        found.append(visit)
    return found


def test_sidebar_links_are_the_registry_pages(page, server):
    """The landing page's sidebar links every registry page, in order, under its title."""
    b.open_url(page, server.url)
    links = b.sidebar_links(page)
    assert links, "the sidebar shows no page links"
    assert [(label, b.page_file(url)) for label, url in links] == [
        (entry.title, entry.file) for entry in b.registry().PAGES], f"sidebar links: {links}"


def test_every_expectation_is_a_registry_page():
    """An entry in expectations.py for a renamed or removed page would silently stop testing."""
    assert set(EXPECTATIONS) <= set(b.registry().page_files())


def test_every_page_loads_without_errors(visits):
    """No exception box, a title, no console error (screenshots in artifacts/e2e/)."""
    problems = [f"{v.file}: {p}" for v in visits for p in v.problems]
    assert not problems, "\n".join(problems)


def press_right(page, slider: dict) -> None:
    """Focus the slider's thumb, press ArrowRight, wait for the rerun to settle."""
    b.focus_slider(page, slider)
    b.rerun_settled(page, lambda: page.keyboard.press("ArrowRight"))


def test_slider_key_press_updates_the_numbers(page, visits):
    """ArrowRight on a slider: the URL holds the new value and the metrics follow it.

    With an entry in expectations.py, the metrics must equal ce_core's values for the
    new state; without one, at least one metric must change.
    """
    problems = []
    slider_visits = [v for v in visits if v.sliders]
    assert slider_visits, "no page has a slider"
    for visit in slider_visits:
        page.console_errors.clear()
        b.open_url(page, visit.url)
        slider = slider_to_press(visit.file, visit.sliders)
        before = b.metrics(page)
        press_right(page, slider)
        after = b.metrics(page)
        where = f"{visit.file}, after ArrowRight on {slider['key']}"

        moved = {(s["key"], s["thumb"]): s for s in b.sliders(page)}.get(
            (slider["key"], slider["thumb"]))
        in_url = b.query_params(page).get(slider["key"])
        if moved is None:
            problems.append(f"{where}: the slider is gone")
        elif not math.isclose(float(moved["value"]),
                              float(slider["value"]) + float(slider["step"]), abs_tol=1e-9):
            problems.append(f"{where}: the thumb went from {slider['value']} to {moved['value']}")
        elif not b.same_value(in_url, moved["text"]):
            # the URL holds the value (a select_slider's option), as the thumb shows it
            problems.append(f"{where}: the URL has {slider['key']}={in_url}, "
                            f"the slider shows {moved['text']}")
        exception = b.shown_exception(page)
        if exception:
            problems.append(f"{where}: exception shown: {exception}")
        if page.console_errors:
            problems.append(f"{where}: console errors: {page.console_errors}")

        expectation = EXPECTATIONS.get(visit.file)
        if expectation and expectation.metrics:
            expected = expectation.metrics(b.widget_state(page), b.unit(page))
            for metric, text in expected.items():
                if after.get(metric) != text:
                    problems.append(f"{where}: metric {metric!r} shows {after.get(metric)!r}, "
                                    f"ce_core says {text!r} (all metrics: {after})")
        elif before == after:
            problems.append(f"{where}: no metric changed: {after}")
    assert not problems, "\n".join(problems)


def test_unit_choice_survives_following_a_sidebar_link(page, visits):
    """Choose bits on the landing page, follow sidebar links: still bits, numbers in bits."""
    b.open_url(page, visits[0].url)
    b.rerun_settled(page, lambda: page.locator(
        '[data-testid="stSidebar"] .st-key-unit [data-testid="stRadioOption"]',
        has_text="bits").click())
    assert b.unit(page) == "bits"

    # follow links until a page that shows numbers with a unit
    for visit in visits[1:]:
        link = page.locator(b.SIDEBAR_LINKS, has_text=visit.label).first
        b.rerun_settled(page, link.click)
        page.wait_for_url(re.compile(re.escape(visit.url) + r"(\?.*)?$"))
        assert b.unit(page) == "bits", f"the unit went back to {b.unit(page)} on {visit.file}"
        with_unit = [v for v in b.metrics(page).values() if v.endswith((" bits", " nats"))]
        if with_unit:
            assert all(v.endswith(" bits") for v in with_unit), f"{visit.file}: {with_unit}"
            return
    pytest.fail("no page after the landing page shows a metric in bits or nats")


def test_url_query_reopens_the_page_with_that_slider_value(page, visits):
    """A link with ?key=value (a non-default value) opens the page with the slider there."""
    problems = []
    numeric = [v for v in visits if any(map(b.is_numeric_slider, v.sliders))]
    assert numeric, "no page has an st.slider"
    for visit in numeric:
        # a select_slider's URL value is an option we cannot derive from the page, so skip it
        slider = next(filter(b.is_numeric_slider, visit.sliders))
        high, step, value = (float(slider[k]) for k in ("max", "step", "value"))
        target = value + step if value + step <= high else value - step
        text = f"{target:g}" if "." in slider["step"] + slider["min"] else str(int(target))
        b.open_url(page, f"{visit.url}?{urlencode({slider['key']: text})}")
        reopened = {s["key"]: s for s in b.sliders(page)}.get(slider["key"])
        if reopened is None:
            problems.append(f"{visit.file}: ?{slider['key']}={text} shows no such slider")
        elif not math.isclose(float(reopened["value"]), target, abs_tol=1e-9):
            problems.append(f"{visit.file}: ?{slider['key']}={text} opened with the slider at "
                            f"{reopened['value']}")
        if b.query_params(page).get(slider["key"]) != text:
            problems.append(f"{visit.file}: the URL lost ?{slider['key']}={text}: {page.url}")
    assert not problems, "\n".join(problems)


def test_link_to_this_view_carries_a_slider_moved_inside_a_fragment(page, visits):
    """The sidebar sits outside the pages' fragments; its share link must still be current.

    Move the pressed slider (a fragment rerun), open "Link to this view": the link has the
    new value, and opening it shows the page in that state.
    """
    visit = next(v for v in visits if v.file in EXPECTATIONS)
    b.open_url(page, visit.url)
    slider = slider_to_press(visit.file, visit.sliders)
    press_right(page, slider)
    moved = b.query_params(page)
    assert slider["key"] in moved, f"{visit.file}: the URL did not record {slider['key']}"

    b.rerun_settled(page, page.locator('[data-testid="stSidebar"]').get_by_text(
        "Link to this view").click)
    link = page.locator('[data-testid="stPopoverBody"] [data-testid="stCode"]').inner_text()
    assert b.query_params_of(link) == moved, f"stale share link {link!r}, page at {page.url}"

    b.open_url(page, link.strip())
    reopened = {s["key"]: s for s in b.sliders(page)}[slider["key"]]
    assert reopened["value"] == moved[slider["key"]] or math.isclose(
        float(reopened["value"]), float(moved[slider["key"]]), abs_tol=1e-9)
