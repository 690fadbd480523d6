"""Every page at the three screens a course meets: a desk, a projector, a phone.

For each page in the registry (and each Pitfalls tab): nothing makes the document wider
than the window, no display formula is wider than its column (ui/fit.py shrinks the ones
that would be), and no chart draws past its column. In
presenter mode at 1280 x 720 the first slider and the first chart fit in one window, so
a lecturer can move the control with what it moves on screen.
"""

from __future__ import annotations

import pytest

from .browser import open_url, page_url, registry

SCREENS = {
    "desk": ({"width": 1400, "height": 1000}, ""),
    "presenter": ({"width": 1280, "height": 720}, "?present=1"),
    "phone": ({"width": 390, "height": 844}, ""),
}
PAGES = registry().page_files()
#: Views a page opens only on a link: the other tabs of Pitfalls.
VIEWS = [(file, "") for file in PAGES] + [
    ("pages/7_Pitfalls.py", f"pf_tab={tab}") for tab in ("Label+noise", "Overconfidence",
                                                         "Overfitting")]

#: What the window shows of the page: the document's width, formulas wider than their
#: column (measured on KaTeX's visible boxes, first to last), and the extent from the top
#: of the first slider to the bottom of the first chart (both, whichever comes first).
_MEASURE_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const shown = d => { const b = d.querySelector('.katex-html');
    const k = b ? b.children : []; return k.length
      ? k[k.length - 1].getBoundingClientRect().right - k[0].getBoundingClientRect().left : 0; };
  const wide = [...main.querySelectorAll('.katex-display')]
    .filter(d => d.offsetParent !== null && shown(d) > d.clientWidth + 0.5)
    .map(d => `${Math.round(shown(d))} px in ${d.clientWidth} px: ${d.textContent.slice(0, 40)}`);
  const column = el => (el.closest('[data-testid="stColumn"]') || main).getBoundingClientRect();
  const spill = [...main.querySelectorAll('[data-testid="stVegaLiteChart"] canvas')]
    .filter(c => c.offsetParent !== null
                 && c.getBoundingClientRect().right > column(c).right + 1)
    .map(c => `${Math.round(c.getBoundingClientRect().width)} px in ${Math.round(column(c).width)} px: `
              + c.closest('[class*="st-key-ce_chart_"]')?.className.match(/st-key-\\S+/)?.[0]);
  const control = main.querySelector('[data-testid="stSlider"]');
  const chart = main.querySelector('[data-testid="stVegaLiteChart"], [data-testid="stPlotlyChart"]');
  let span = null;
  if (control && chart) {
    const a = control.getBoundingClientRect(), c = chart.getBoundingClientRect();
    span = Math.max(a.bottom, c.bottom) - Math.min(a.top, c.top);
  }
  return {document: document.documentElement.scrollWidth,
          window: document.documentElement.clientWidth, wide, spill, span};
}"""

@pytest.fixture(scope="module", params=list(SCREENS))
def screen(request, browser, server):
    """One tab per screen, shared by the pages: (name, tab, query)."""
    viewport, query = SCREENS[request.param]
    context = browser.new_context(viewport=viewport)
    try:
        yield request.param, context.new_page(), query
    finally:
        context.close()


def measure(screen, base_url: str, file: str, view: str = "") -> dict:
    _, tab, query = screen
    query = "&".join(part for part in (query.lstrip("?"), view) if part)
    open_url(tab, page_url(base_url, file) + (f"?{query}" if query else ""))
    tab.wait_for_timeout(800)            # charts and formulas lay out after the script settles
    return tab.evaluate(_MEASURE_JS)


@pytest.mark.parametrize("file, view", VIEWS, ids=[f"{f}{'?' + v if v else ''}" for f, v in VIEWS])
def test_nothing_is_wider_than_the_window_or_its_column(screen, server, file, view):
    seen = measure(screen, server.url, file, view)
    assert seen["document"] <= seen["window"], f"{screen[0]}: the page scrolls sideways"
    assert seen["wide"] == [], f"{screen[0]}: formulas wider than their column: {seen['wide']}"
    assert seen["spill"] == [], f"{screen[0]}: charts past their column: {seen['spill']}"
    if screen[0] != "presenter" or seen["span"] is None or view:
        return
    window = SCREENS["presenter"][0]["height"]
    assert seen["span"] <= window, (
        f"the first slider and the first chart span {seen['span']:.0f} px, more than one "
        "720 px window")


#: Controls that move no chart (a quick check's answer; the overflow demo, whose numbers
#: and formula sit by it), and the Live training settings: a run reads them when Train is
#: pressed, so they wait under the stage of buttons and charts, which shares a screen.
NO_CHART = ("_qc_reveal", "s_try_1000")
WAITING = "t_settings"

#: Each visible control against the chart nearest it: the height of the smallest window
#: that holds both whole.
_CONTROLS_JS = """([skip, waiting]) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const charts = [...main.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stPlotlyChart"]')]
    .filter(c => c.offsetParent !== null).map(c => c.getBoundingClientRect());
  const far = [];
  for (const s of main.querySelectorAll('[data-testid="stSlider"], [data-testid="stNumberInput"], '
      + '[data-testid="stRadio"], [data-testid="stSelectbox"], [data-testid="stButton"]')) {
    // a folded expander's controls are laid out but not shown
    if (s.offsetParent === null || s.closest('details:not([open])')
        || s.closest('.st-key-' + waiting)) continue;
    const box = s.closest('[class*="st-key-"]');
    const key = box ? [...box.classList].find(c => c.startsWith('st-key-')).slice(7) : s.innerText;
    if (skip.some(part => key.includes(part))) continue;
    const a = s.getBoundingClientRect();
    const span = Math.min(...charts.map(c => Math.max(a.bottom, c.bottom) - Math.min(a.top, c.top)));
    if (span > 720) far.push(`${key}: ${Math.round(span)} px`);
  }
  return far;
}"""


@pytest.mark.parametrize("file, view", VIEWS, ids=[f"{f}{'?' + v if v else ''}" for f, v in VIEWS])
def test_presenting_every_control_shares_a_screen_with_a_chart(browser, server, file, view):
    """At 1280 x 720 presenting, a lecturer can scroll to where a control and a whole chart
    near it are both on the projector (issue 16's stage)."""
    context = browser.new_context(viewport=SCREENS["presenter"][0])
    try:
        tab = context.new_page()
        query = "&".join(part for part in ("present=1", view) if part)
        open_url(tab, f"{page_url(server.url, file)}?{query}")
        tab.wait_for_timeout(800)
        far = tab.evaluate(_CONTROLS_JS, [list(NO_CHART), WAITING])
    finally:
        context.close()
    assert far == [], f"controls with no whole chart in their 720-px window: {far}"


_UNDER_HEADER_JS = """async () => {
  const main = document.querySelector('[data-testid="stMain"]');
  const label = document.querySelector('.st-key-ce_p1');
  label.scrollIntoView();
  await new Promise(r => setTimeout(r, 300));
  main.scrollBy(0, -20);                       // the slider's label 20 px from the top
  await new Promise(r => setTimeout(r, 300));
  const r = label.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + 60, r.top + 10);
  const header = document.querySelector('[data-testid="stHeader"]');
  const button = header.querySelector('button').getBoundingClientRect();
  const buttonHit = document.elementFromPoint(button.left + button.width / 2,
                                              button.top + button.height / 2);
  return {under: r.top + 10 < header.getBoundingClientRect().bottom,
          label: label.contains(hit), button: !!buttonHit.closest('[data-testid="stHeader"] button'),
          background: getComputedStyle(header).backgroundColor};
}"""


def test_presenting_the_header_neither_hides_nor_blocks_the_page(browser, server):
    """Streamlit's header bar is 79 px at presenter size, opaque, above the page: a control
    scrolled to the top of the projector was hidden and could not be pressed."""
    context = browser.new_context(viewport=SCREENS["presenter"][0])
    try:
        tab = context.new_page()
        open_url(tab, page_url(server.url, "pages/2_Cross_entropy_and_KL.py") + "?present=1")
        seen = tab.evaluate(_UNDER_HEADER_JS)
    finally:
        context.close()
    assert seen["under"], "the slider label should sit where the header bar is"
    assert seen["label"], "a press there reaches the header, not the page"
    assert seen["button"], "the header's own button no longer takes a press"
    assert seen["background"] == "rgba(0, 0, 0, 0)"


@pytest.mark.parametrize("file", PAGES)
def test_on_a_phone_the_first_control_is_within_two_screens(browser, server, file):
    """A student on a 390 x 844 phone reaches the page's first slider or text box by the
    second screen (Live training's Train was ~1,800 px down)."""
    viewport = SCREENS["phone"][0]
    context = browser.new_context(viewport=viewport)
    try:
        tab = context.new_page()
        open_url(tab, page_url(server.url, file))
        top = tab.evaluate("""() => { const e = document.querySelector(
            '[data-testid="stMain"] [data-testid="stSlider"], [data-testid="stMain"] textarea');
            return e ? e.getBoundingClientRect().top : null; }""")
    finally:
        context.close()
    if top is None:
        pytest.skip("no slider or text box on this page")
    assert top <= 2 * viewport["height"], f"the first control starts {top:.0f} px down"
