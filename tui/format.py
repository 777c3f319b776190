"""Numbers and grads as short text: the same formatting in the tree, the panel and the status.

Colour shows a grad's sign and size, and a glyph repeats the sign, so the meaning
survives `NO_COLOR` and monochrome terminals.
"""

from __future__ import annotations

import math

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


def grad_text(g: float, digits: int = 4, *, signed_: bool = True) -> Text:
    """The grad as styled text with its glyph: `▼-0.0123`, or `▼0.0123` (the glyph is the sign)."""
    number = signed(g, digits) if signed_ else num(abs(g), digits)
    return Text(f"{grad_glyph(g)}{number}", style=grad_style(g))


def percent(x: float | None) -> str:
    """An accuracy as `75%`, or `-` when unknown."""
    return "-" if x is None else f"{x * 100:.0f}%"
