"""One colour ramp for every picture of values: negative orange, 0 neutral, positive blue.

As in TensorFlow Playground. 25 levels (12 each side of 0), so shades read as amounts,
not as two classes. Under NO_COLOR (Textual's monochrome filter turns both hues into
the same grey) the sign and size are drawn with glyphs instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LEVELS = 12  # shades on each side of 0
NEGATIVE_RGB = (232, 121, 18)
POSITIVE_RGB = (26, 125, 222)
NEUTRAL_RGB = {True: (38, 38, 38), False: (236, 236, 236)}  # by dark theme or not
POSITIVE_GLYPHS = "░▒▓█"  # NO_COLOR: more ink, larger value
NEGATIVE_GLYPHS = "·∙•●"


def level(v: float) -> int:
    """-LEVELS .. LEVELS for v in [-1, 1] (clipped; NaN is 0)."""
    if math.isnan(v):
        return 0
    return round(max(-1.0, min(1.0, v)) * LEVELS)


def rgb(v: float, dark: bool = True) -> tuple[int, int, int]:
    """The ramp's colour for v in [-1, 1]."""
    k = level(v)
    end = POSITIVE_RGB if k > 0 else NEGATIVE_RGB
    t = abs(k) / LEVELS
    base = NEUTRAL_RGB[dark]
    return tuple(round(b + (e - b) * t) for b, e in zip(base, end))


def hex_colour(v: float, dark: bool = True) -> str:
    r, g, b = rgb(v, dark)
    return f"#{r:02x}{g:02x}{b:02x}"


def glyph(v: float) -> str:
    """NO_COLOR: a glyph whose ink grows with |v|, blocks for positive, dots for negative."""
    k = level(v)
    if k == 0:
        return " "
    glyphs = POSITIVE_GLYPHS if k > 0 else NEGATIVE_GLYPHS
    return glyphs[min(len(glyphs) - 1, (abs(k) - 1) * len(glyphs) // LEVELS)]


def normalised(activation: str, values: Sequence[float]) -> list[float]:
    """A neuron's values in [-1, 1] for the ramp: tanh as it is, sigmoid around 0.5,
    relu and linear divided by their largest magnitude on the picture."""
    if activation == "tanh":
        return list(values)
    if activation == "sigmoid":
        return [2.0 * v - 1.0 for v in values]
    largest = max((abs(v) for v in values if not math.isnan(v)), default=0.0) or 1.0
    return [v / largest for v in values]
