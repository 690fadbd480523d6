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
    text = f"{value:.{digits}f}"
    if text.startswith("-") and float(text) == 0:   # -0.00001 rounds to "-0.0000": show 0
        text = text[1:]
    return f"{text} {unit}"


def number(nats: float, unit: str, digits: int = 4) -> str:
    """``fmt`` without the unit, for a metric whose label already names it."""
    return fmt(nats, unit, digits).rsplit(" ", 1)[0]
