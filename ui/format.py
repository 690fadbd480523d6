"""Numbers as a student reads them: a value computed in nats, shown in the chosen unit."""

from __future__ import annotations

import math

import ce_core

UNITS = ("nats", "bits")


def fmt(nats: float, unit: str, digits: int = 4) -> str:
    """A value computed in nats, shown in ``unit`` with its label: ``'0.5146 bits'``."""
    value = ce_core.to_unit(nats, unit)
    if math.isinf(value):
        return f"∞ {unit}"
    if abs(value) >= 1e6:   # 1e300 nats would print 301 digits
        return f"{value:.{digits}e} {unit}"
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:   # -0.00001 rounds to "-0.0000": show 0
        text = text[1:]
    return f"{text} {unit}"


def number(nats: float, unit: str, digits: int = 4) -> str:
    """``fmt`` without the unit, for a metric whose label already names it."""
    return fmt(nats, unit, digits).rsplit(" ", 1)[0]


#: What Markdown (and Streamlit's extensions: ``:red[…]``, ``:emoji:``, ``$…$`` LaTeX)
#: could read as markup. CommonMark lets any ASCII punctuation be escaped with a backslash.
_MARKUP = frozenset("\\`*_{}[]()<>#+-.!|~:$&\"'=^%/;,?@")


def plain(text: object) -> str:
    r"""User text (a header cell, a label, a file name) made safe for ``st.markdown``,
    ``st.error`` or a widget label: shown as typed, never as a link, image, formula or style.

    Every punctuation character is backslash-escaped; line breaks become spaces, and
    invisible characters are named, so a message about them can be read.

    >>> print(plain("**bold** ![x](http://a.b) $\\rule{9em}{9em}$"))
    \*\*bold\*\* \!\[x\]\(http\:\/\/a\.b\) \$\\rule\{9em\}\{9em\}\$
    >>> print(plain("zero\u200bwidth"))
    zero\<U\+200B\>width
    """
    out = []
    for ch in str(text):
        if ch in _MARKUP:
            out.append("\\" + ch)
        elif ch in "\r\n\t":
            out.append(" ")
        elif not ch.isprintable():
            out.append(f"<U+{ord(ch):04X}>".replace("<", "\\<").replace(">", "\\>")
                       .replace("+", "\\+"))
        else:
            out.append(ch)
    return "".join(out)
