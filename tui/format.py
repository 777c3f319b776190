"""Numbers and grads as styled text: the rule is tui/core/numbers.py, the colours are here.

Colour shows a grad's sign (tui/colours.py: `grad.positive`, `grad.negative`), bold its
size, and the glyph and the number's own sign repeat the sign, so the meaning survives
`NO_COLOR` and monochrome terminals.
"""

from __future__ import annotations

import math

from mg_tui.tui.colours import styled
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
    "grad_emphasis",
    "grad_glyph",
    "grad_string",
    "grad_style",
    "grad_text",
    "num",
    "percent",
    "signed",
]

LARGE_GRAD = 0.1  # a grad at least this large (or nan, inf) is bold


def grad_style(g: float) -> str:
    """The meaning of a grad's colour (tui/colours.py): its sign, or nan/inf; zero is muted."""
    if not math.isfinite(g):
        return "grad.nonfinite"
    if g == 0.0:
        return "muted"
    return "grad.positive" if g > 0.0 else "grad.negative"


def grad_emphasis(g: float) -> str:
    """`bold` for a large grad (nan compares False: bold too)."""
    return "" if abs(g) < LARGE_GRAD else "bold"


def grad_text(g: float) -> Text:
    """The grad as styled text, the same string in every view: `▼-0.02664`."""
    return styled(grad_string(g), grad_style(g), grad_emphasis(g))
