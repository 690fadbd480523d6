"""What every page needs to be usable by keyboard and screen reader (WCAG 2.1 AA).

Streamlit draws the widgets; this adds what it leaves out: a focus ring unlike the
current-page highlight, captions and disabled labels at 4.5:1 contrast, chart
descriptions hidden from sight but not from a screen reader, chart toolbars out of the
Tab order until their chart has focus, formulas that scroll sideways reachable by
keyboard, and numbers that wrap in a narrow column instead of ending in "…".
``tests/e2e/test_a11y.py`` checks the result with axe-core.
"""

from __future__ import annotations

import streamlit as st

from ui.draw import ALT_KEY, CHART_KEY

#: Keyed box of the page script below (hidden: it only runs).
SCRIPT_KEY = "ce_access"

# Light / dark: the script below sets html[data-ce-theme] from the app's background, so
# rules can follow a theme chosen in the settings menu as well as the viewer's system.
_CSS = f"""
.stApp [data-testid="stCaptionContainer"] {{ opacity: 0.75; }}
.stApp label[data-testid="stWidgetLabel"][disabled] {{ color: inherit; opacity: 0.75; }}
.stApp [data-testid="stSliderTickBar"] {{ color: inherit !important; opacity: 0.75; }}
html[data-ce-theme="dark"] .stApp [data-testid="stBaseButton-primary"] {{ color: #0E1117; }}
.stApp :is(a, button, summary, [role="tab"], [tabindex="0"]):focus-visible {{
  outline: 3px solid #0072B2; outline-offset: 2px; }}
html[data-ce-theme="dark"] .stApp :is(a, button, summary, [role="tab"], [tabindex="0"]):focus-visible {{
  outline-color: #56B4E9; }}
div:has(> [data-testid="stElementToolbar"]):focus-within > [data-testid="stElementToolbar"] {{
  opacity: 1; }}
.stApp [class*="st-key-{ALT_KEY}"] {{ position: absolute !important; width: 1px !important;
  min-width: 0 !important; height: 1px !important; margin: -1px; padding: 0; overflow: hidden;
  clip-path: inset(50%); white-space: nowrap; }}
.stApp .st-key-{SCRIPT_KEY} {{ display: none; }}
.stApp [data-testid="stMetricValue"] :is(div, p), .stApp [data-testid="stMetricLabel"] p {{
  white-space: normal !important; overflow-wrap: break-word; }}
"""

_SCRIPT = """<script>
(() => {
  if (window.__ceAccess) return;
  window.__ceAccess = true;
  const ALT = 'st-key-%(alt)s';
  const theme = () => {
    const app = document.querySelector('.stApp');
    if (!app) return;
    const [r, g, b] = getComputedStyle(app).backgroundColor.match(/[\\d.]+/g).map(Number);
    document.documentElement.dataset.ceTheme = 0.2126 * r + 0.7152 * g + 0.0722 * b < 128
      ? 'dark' : 'light';
  };
  const tidy = () => {
    theme();
    // A chart or table toolbar: out of the Tab order until its element has focus.
    for (const bar of document.querySelectorAll('[data-testid="stElementToolbar"]')) {
      const open = bar.parentElement.contains(document.activeElement);
      for (const button of bar.querySelectorAll('button')) button.tabIndex = open ? 0 : -1;
    }
    // A chart: one Tab stop, described by the text under it.
    for (const box of document.querySelectorAll(`[class*="${ALT}"]`)) {
      const chart = box.closest('[class*="%(chart)s"]')?.querySelector('.stVegaLiteChart');
      const text = box.querySelector('p[id]');
      if (chart && text) {
        chart.tabIndex = 0;
        chart.setAttribute('aria-describedby', text.id);
      }
    }
    // A formula wider than its column scrolls: keyboard users must reach it to scroll.
    for (const formula of document.querySelectorAll('.katex-display')) {
      if (formula.scrollWidth > formula.clientWidth) formula.tabIndex = 0;
      else formula.removeAttribute('tabindex');
    }
  };
  let queued = false;
  const soon = () => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; tidy(); }); }
  };
  new MutationObserver(soon).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['class']});
  // On focus, at once: a key pressed right after Tab must find the chart's toolbar open.
  window.addEventListener('focusin', tidy);
  for (const event of ['focusout', 'resize']) window.addEventListener(event, soon);
  tidy();
})();
</script>""" % {"alt": ALT_KEY, "chart": "st-key-" + CHART_KEY}


def page_aids() -> None:
    """The rules and the script above, once a page (``ui.page_setup`` calls it)."""
    st.html(f"<style>{_CSS}</style>")
    st.sidebar.container(key=SCRIPT_KEY).html(_SCRIPT, unsafe_allow_javascript=True)
