"""Accessibility in a real browser: axe-core, chart descriptions, the keyboard.

axe-core (bundled, pinned, by the axe-playwright-python package: no network at test
time) checks the WCAG 2.0 and 2.1 A and AA rules on every page of the registry in the
light and the dark theme (the app follows the viewer's setting), in presenter mode at
1280 x 720, and after a slider moved. No serious or critical violation may remain.
One server, one browser; each view is one tab that goes through the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from . import browser as b
from .expectations import slider_to_press

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

#: WCAG 2.0 and 2.1, levels A and AA (axe's own rule tags).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


@dataclass(frozen=True)
class View:
    name: str
    viewport: dict
    color_scheme: str
    query: str = ""
    move: bool = False      # also press a slider and check again


VIEWS = (
    View("light", {"width": 1400, "height": 1000}, "light", move=True),
    View("dark", {"width": 1400, "height": 1000}, "dark"),
    View("presenter", {"width": 1280, "height": 720}, "light", "?present=1"),
)


@dataclass
class Scan:
    """What one page showed in one view."""
    where: str
    violations: list[str] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)     # see _CHARTS
    moved_charts: list[dict] | None = None                # the same after a slider moved


# Every chart: its key, its described-by text, and how large that text's box is drawn.
_CHARTS = """() => [...document.querySelectorAll('[data-testid="stMain"] .stVegaLiteChart')]
    .map(chart => {
        const box = chart.closest('[class*="st-key-"]');
        const key = box ? [...box.classList].find(c => c.startsWith('st-key-')).slice(7) : null;
        const text = document.getElementById(chart.getAttribute('aria-describedby') || '');
        // the box the text is clipped to: what the eye could see of it
        const clip = text && text.closest('[class*="st-key-ce_alt_"]');
        const rect = clip && clip.getBoundingClientRect();
        return {key, tabindex: chart.getAttribute('tabindex'), text: text && text.textContent,
                width: rect && rect.width, height: rect && rect.height};
    })"""

# The charts are drawn (a canvas each), the page script (ui/access.py) has run, and every
# description box drawn so far is tied to its chart.
_CHARTS_READY = """() => document.documentElement.dataset.ceTheme
    && [...document.querySelectorAll('[data-testid="stMain"] .stVegaLiteChart')]
        .every(c => c.querySelector('canvas'))
    && [...document.querySelectorAll('[data-testid="stMain"] [id^="ce-alt-"]')]
        .every(t => document.querySelector(`[aria-describedby="${t.id}"]`))"""


def blocking(tab, axe) -> list[str]:
    """axe's serious and critical violations on the tab: ``rule (impact): target …``."""
    found = axe.run(tab, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
            for v in found if v["impact"] in BLOCKING for node in v["nodes"]]


def open_page(tab, url: str) -> None:
    b.open_url(tab, url)
    tab.wait_for_function(_CHARTS_READY, timeout=30_000)


def switch_page(tab, entry) -> None:
    """Go to a registry page through its sidebar link, as a student does: the session,
    its theme and presenter mode stay (and no reload: a third of the test's time)."""
    path = b.url_path(entry.file)
    tab.evaluate("""path => [...document.querySelectorAll(
        '[data-testid="stSidebar"] [data-testid="stPageLink"] a')]
        .find(a => new URL(a.href).pathname.replace(/^\\/|\\/$/g, '') === path).click()""", path)
    tab.wait_for_function("title => document.title.startsWith(title + ' ·')", arg=entry.title)
    b.settled(tab)
    tab.wait_for_function(_CHARTS_READY, timeout=30_000)


# Nothing on the page is still faded as stale by a rerun in progress.
_FRESH = """() => !document.querySelector('[data-testid="stMain"] [data-stale="true"]')"""


def press_a_slider(tab, file: str) -> bool:
    """ArrowRight on the page's test slider (tests/e2e/expectations.py); False if none."""
    keyed = [s for s in b.sliders(tab) if s["key"]]
    if not keyed:
        return False
    b.focus_slider(tab, slider_to_press(file, keyed))
    b.rerun_settled(tab, lambda: tab.keyboard.press("ArrowRight"))
    tab.wait_for_function(_CHARTS_READY, timeout=30_000)
    tab.wait_for_function(_FRESH, timeout=30_000)
    return True


@pytest.fixture(scope="module")
def scans(browser, server) -> list[Scan]:
    """Every registry page in every view, checked by axe (and again after a slider moved)."""
    axe = axe_playwright.Axe()
    found = []
    for view in VIEWS:
        context = browser.new_context(viewport=view.viewport, color_scheme=view.color_scheme)
        try:
            tab = b.new_tab(context)
            for i, entry in enumerate(b.registry().PAGES):
                scan = Scan(f"{entry.title} ({view.name})")
                if i == 0:
                    open_page(tab, b.page_url(server.url, entry.file) + view.query)
                else:
                    switch_page(tab, entry)
                scan.violations = blocking(tab, axe)
                scan.charts = tab.evaluate(_CHARTS)
                if view.move and press_a_slider(tab, entry.file):
                    scan.violations += [f"after a slider moved: {v}" for v in blocking(tab, axe)]
                    scan.moved_charts = tab.evaluate(_CHARTS)
                found.append(scan)
        finally:
            context.close()
    return found


def test_no_serious_or_critical_wcag_violation(scans):
    """axe-core, WCAG 2.0/2.1 A and AA: every page, light and dark, presenter, after a move."""
    problems = [f"{scan.where}: {v}" for scan in scans for v in scan.violations]
    assert not problems, f"{len(problems)} serious or critical violations:\n" + "\n".join(problems)


def test_every_chart_is_one_tab_stop_described_by_hidden_text(scans):
    """Each chart is focusable and its description (aria-describedby) is text a screen
    reader reads and the eye does not see (a 1 x 1 px clipped box)."""
    problems = []
    charts = 0
    for scan in scans:
        for chart in scan.charts:
            charts += 1
            if chart["tabindex"] != "0":
                problems.append(f"{scan.where}: chart {chart['key']} is not a Tab stop")
            if not (chart["text"] or "").strip():
                problems.append(f"{scan.where}: chart {chart['key']} has no description")
            elif chart["width"] > 1 or chart["height"] > 1:
                problems.append(f"{scan.where}: chart {chart['key']}'s description is visible "
                                f"({chart['width']} x {chart['height']} px)")
    assert charts >= 20, f"only {charts} charts seen"
    assert not problems, "\n".join(problems)


def test_chart_descriptions_follow_the_slider(scans):
    """After a slider moved, at least one chart of that page describes new numbers."""
    moved = [scan for scan in scans if scan.moved_charts is not None and scan.charts]
    assert len(moved) >= 5, f"only {len(moved)} pages had a slider and a chart"
    unchanged = [scan.where for scan in moved
                 if [c["text"] for c in scan.charts] == [c["text"] for c in scan.moved_charts]]
    assert not unchanged, f"no chart description changed after the slider moved: {unchanged}"


# --- the keyboard ----------------------------------------------------------------------------

# What has focus: tag, text, its test id, whether it is a chart or a toolbar button, and
# how its focus indicator is drawn.
_FOCUSED = """() => {
    const a = document.activeElement;
    const style = getComputedStyle(a);
    return {tag: a.tagName, text: (a.getAttribute('aria-label') || a.innerText || '').trim().slice(0, 60),
            testid: a.getAttribute('data-testid'), chart: a.classList.contains('stVegaLiteChart'),
            toolbar: !!a.closest('[data-testid="stElementToolbar"]'),
            sidebar: !!a.closest('[data-testid="stSidebar"]'),
            current: a.getAttribute('aria-current') === 'page' || a.matches('.active, [data-active="true"]'),
            outline: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
            shadow: style.boxShadow, background: style.backgroundColor};
}"""


def tab_until(tab, wanted, limit: int = 80, key: str = "Tab") -> list[dict]:
    """Press ``key`` until ``wanted(focused)``; every focus on the way, the last one wanted."""
    seen = []
    for _ in range(limit):
        tab.keyboard.press(key)
        focused = tab.evaluate(_FOCUSED)
        seen.append(focused)
        if wanted(focused):
            return seen
    raise AssertionError(f"not reached in {limit} presses of {key}; focus went: "
                         + " | ".join(f"{f['tag']} {f['text']}" for f in seen))


def test_entropy_page_by_keyboard_only(browser, server):
    """Tab, Enter and the arrows walk the Entropy page: the sidebar links show a focus
    ring unlike the current-page highlight, a preset button sets a fair coin (H = ln 2,
    by hand), a chart is one stop whose toolbar joins the Tab order only from it, and the
    quick check takes a typed guess and reveals ln 8 = 2.079 nats (a fair 8-sided die)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab = b.new_tab(context)
        open_page(tab, b.page_url(server.url, "pages/1_Entropy.py"))
        links = tab_until(tab, lambda f: f["sidebar"] and f["tag"] == "A" and "Cross" in f["text"])
        ring = links[-1]
        assert ring["outline"] == "solid" and ring["outlineWidth"] >= 2, ring
        current = tab.evaluate("""() => {
            const a = [...document.querySelectorAll('[data-testid="stSidebar"] a')]
                .find(x => x.innerText.includes('Entropy'));
            const s = getComputedStyle(a);
            return {outline: s.outlineStyle, background: s.backgroundColor};}""")
        assert current["outline"] == "none", "the current page looks focused: " + str(current)

        walk = tab_until(tab, lambda f: f["text"] == "Fair coin")
        b.rerun_settled(tab, lambda: tab.keyboard.press("Enter"))
        assert b.metrics(tab)["Entropy H(P)"] == "0.6931 nats"      # ln 2

        walk += tab_until(tab, lambda f: f["chart"])
        assert not [f for f in walk if f["toolbar"]], "a chart toolbar button was a Tab stop"
        back = tab_until(tab, lambda f: True, limit=1, key="Shift+Tab")[-1]
        assert back["toolbar"] and back["text"] == "Fullscreen", back
        tab.keyboard.press("Tab")                                  # back on the chart

        tab_until(tab, lambda f: f["testid"] == "stTextInputField")
        tab.keyboard.type("2.08")
        tab_until(tab, lambda f: f["text"] == "Reveal")
        b.rerun_settled(tab, lambda: tab.keyboard.press("Enter"))
        assert "2.079" in tab.locator(b.MAIN).inner_text()
    finally:
        context.close()


def test_live_training_buttons_are_reachable_by_keyboard(browser, server):
    """Tab reaches Train, and Enter starts it (the Pause button becomes usable)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab = b.new_tab(context)
        open_page(tab, b.page_url(server.url, "pages/6_Live_training.py"))
        seen = tab_until(tab, lambda f: f["text"].endswith("Train"), limit=120)
        assert not [f for f in seen if f["toolbar"]]
    finally:
        context.close()
