"""Numbers as short text, one rule for the tree, the panel and the status line.

A node's data and grad read the same wherever they are shown: `DIGITS` significant digits,
a grad with its sign twice, as a glyph (it survives `NO_COLOR` and monochrome terminals)
and as the number's own sign: `▼-0.02664`, `▲+1.0`, `·0.0`. Only the gradient check,
which compares two ways of computing a grad, asks for more digits.
"""

from __future__ import annotations

import math

DIGITS = 4  # significant digits of every data and grad on the main screen

POSITIVE = "▲"
NEGATIVE = "▼"
ZERO = "·"


def num(x: float, digits: int = DIGITS) -> str:
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


def signed(x: float, digits: int = DIGITS) -> str:
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


def grad_string(g: float) -> str:
    """A grad as every view shows it: `▼-0.02664`, `▲+1.0`, `·0.0`."""
    return f"{grad_glyph(g)}{signed(g)}"


def percent(x: float | None) -> str:
    """An accuracy as `75%`, or `-` when unknown."""
    return "-" if x is None else f"{x * 100:.0f}%"
