"""Formulas that fit their column: a display formula wider than its column is set smaller.

On a 390 px phone most of our formulas, with their numbers written in, are wider than the
column; scrolled sideways, their result was off screen. The script below shrinks each one
that does not fit, down to ``MIN_SCALE`` of its size (below that it scrolls again), and
redoes it when the page changes or the window is resized.
"""

from __future__ import annotations

import streamlit as st

#: Keyed box of the script (hidden: it only runs).
SCRIPT_KEY = "ce_fit"
#: The smallest share of KaTeX's size a formula is set at; narrower than that, it scrolls.
MIN_SCALE = 0.5

_CSS = f".stApp .st-key-{SCRIPT_KEY} {{ display: none; }}"

_SCRIPT = """<script>
(() => {
  if (window.__ceFit) return;
  window.__ceFit = true;
  // The width of KaTeX's visible part, from its first box to its last (its hidden MathML
  // copy is wide but never shown; an SVG brace may poke a pixel out of its box).
  const width = shown => {
    const boxes = shown.children;
    return boxes.length ? boxes[boxes.length - 1].getBoundingClientRect().right
      - boxes[0].getBoundingClientRect().left : 0;
  };
  const fit = () => {
    for (const shown of document.querySelectorAll('.katex-display > .katex > .katex-html')) {
      const formula = shown.parentElement, room = formula.parentElement.clientWidth;
      formula.style.fontSize = '';                 // KaTeX's own 1.21em, then measure
      let size = 1.21;                             // a few passes: wide parts scale unevenly
      for (let pass = 0; pass < 3 && width(shown) > room + 0.5; pass++) {
        size = Math.max(1.21 * %(min)s, size * (room - 2) / width(shown));
        formula.style.fontSize = size.toFixed(3) + 'em';
      }
    }
  };
  let queued = false;
  const soon = () => {
    if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fit(); }); }
  };
  new MutationObserver(soon).observe(document.body,
    {childList: true, subtree: true, characterData: true});
  window.addEventListener('resize', soon);
  fit();
})();
</script>""" % {"min": MIN_SCALE}


def fit_formulas() -> None:
    """The script above, once a page (``presenter.view_css`` calls it)."""
    st.sidebar.container(key=SCRIPT_KEY).html(f"<style>{_CSS}</style>" + _SCRIPT,
                                              unsafe_allow_javascript=True)
