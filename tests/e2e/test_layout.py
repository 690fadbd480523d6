"""Every page at the three screens a course meets: a desk, a projector, a phone.

For each page in the registry: nothing makes the document wider than the window, and no
display formula is wider than its column (ui/fit.py shrinks the ones that would be). In
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
  const control = main.querySelector('[data-testid="stSlider"]');
  const chart = main.querySelector('[data-testid="stVegaLiteChart"], [data-testid="stPlotlyChart"]');
  let span = null;
  if (control && chart) {
    const a = control.getBoundingClientRect(), c = chart.getBoundingClientRect();
    span = Math.max(a.bottom, c.bottom) - Math.min(a.top, c.top);
  }
  return {document: document.documentElement.scrollWidth,
          window: document.documentElement.clientWidth, wide, span};
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


def measure(screen, base_url: str, file: str) -> dict:
    _, tab, query = screen
    open_url(tab, page_url(base_url, file) + query)
    tab.wait_for_timeout(800)            # charts and formulas lay out after the script settles
    return tab.evaluate(_MEASURE_JS)


@pytest.mark.parametrize("file", PAGES)
def test_nothing_is_wider_than_the_window_or_its_column(screen, server, file):
    seen = measure(screen, server.url, file)
    assert seen["document"] <= seen["window"], f"{screen[0]}: the page scrolls sideways"
    assert seen["wide"] == [], f"{screen[0]}: formulas wider than their column: {seen['wide']}"
    if screen[0] != "presenter" or seen["span"] is None:
        return
    window = SCREENS["presenter"][0]["height"]
    assert seen["span"] <= window, (
        f"the first slider and the first chart span {seen['span']:.0f} px, more than one "
        "720 px window")
