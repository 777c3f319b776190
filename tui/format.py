"""Numbers and grads as styled text: the rule is tui/core/numbers.py, the colours are here.

Colour shows a grad's sign and size, and the glyph and the number's own sign repeat the
sign, so the meaning survives `NO_COLOR` and monochrome terminals.
"""

from __future__ import annotations

import math

from mg_tui.tui.core.numbers import (
    NEGATIVE,
    POSITIVE,
    ZERO,
    grad_glyph,
    grad_string,
    num,
    percent,
    signed,
)
from rich.text import Text

__all__ = [
    "NEGATIVE",
    "POSITIVE",
    "ZERO",
    "grad_glyph",
    "grad_string",
    "grad_style",
    "grad_text",
    "num",
    "percent",
    "signed",
]


def grad_style(g: float) -> str:
    """A Rich style for a grad: hue by sign, weight by size (bold large, dim tiny)."""
    if not math.isfinite(g):
        return "bold magenta"
    if g == 0.0:
        return "dim"
    hue = "green" if g > 0.0 else "red"
    size = abs(g)
    if size >= 0.1:
        return f"bold {hue}"
    if size < 1e-3:
        return f"dim {hue}"
    return hue


def grad_text(g: float) -> Text:
    """The grad as styled text, the same string in every view: `▼-0.02664`."""
    return Text(grad_string(g), style=grad_style(g))
