"""Numbers and grads as short text: the same formatting in the tree, the panel and the status.

Colour shows a grad's sign (tui/colours.py: `grad.positive`, `grad.negative`), bold its
size, and a glyph repeats the sign, so the meaning survives `NO_COLOR` and monochrome
terminals.
"""

from __future__ import annotations

import math

from mg_tui.tui.colours import styled
from rich.text import Text

POSITIVE = "▲"
NEGATIVE = "▼"
ZERO = "·"


def num(x: float, digits: int = 4) -> str:
    """A short, readable number: `0.5`, `-2.0`, `0.001234`, `1.23e-05`, `nan`."""
    if x == 0.0:
        return "0.0"
    if not math.isfinite(x):
        return str(x)
    if abs(x) >= 1e5 or abs(x) < 1e-4:
        return f"{x:.{max(digits - 2, 1)}e}"
    text = f"{x:.{digits}g}"
    if "e" in text:  # 'g' chose an exponent for a mid-sized number: write it out
        text = f"{x:.{digits}f}".rstrip("0")
    if "." not in text:
        text += ".0"
    return text


def signed(x: float, digits: int = 4) -> str:
    """Like `num`, with an explicit sign: `+0.5`, `-2.0`."""
    text = num(x, digits)
    return text if x == 0.0 or text.startswith(("-", "n", "i")) else "+" + text


def grad_glyph(g: float) -> str:
    """▲ for a positive grad, ▼ for a negative one, · for zero (or nan)."""
    if g > 0.0:
        return POSITIVE
    if g < 0.0:
        return NEGATIVE
    return ZERO


def grad_style(g: float) -> str:
    """The meaning of a grad's colour (tui/colours.py): its sign, or nan/inf; zero is muted."""
    if not math.isfinite(g):
        return "grad.nonfinite"
    if g == 0.0:
        return "muted"
    return "grad.positive" if g > 0.0 else "grad.negative"


LARGE_GRAD = 0.1  # a grad at least this large (or nan, inf) is bold


def grad_text(g: float, digits: int = 4, *, signed_: bool = True) -> Text:
    """The grad as styled text with its glyph: `▼-0.0123`, or `▼0.0123` (the glyph is the sign)."""
    number = signed(g, digits) if signed_ else num(abs(g), digits)
    large = not abs(g) < LARGE_GRAD  # nan compares False: bold too
    return styled(f"{grad_glyph(g)}{number}", grad_style(g), "bold" if large else "")


def percent(x: float | None) -> str:
    """An accuracy as `75%`, or `-` when unknown."""
    return "-" if x is None else f"{x * 100:.0f}%"
