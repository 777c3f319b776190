"""Axis ticks a reader can read: whole steps, and 1-2-5 steps for the loss.

plotext picks its own y ticks from the data's range (`5.27 4.95 4.32 4.00 3.37`), which
are neither evenly spaced as written nor round. These functions choose the ticks and the
range to draw, so every gap between two labels is the same round number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

NICE_STEPS = (1.0, 2.0, 5.0, 10.0)  # the mantissas of a step: 0.1, 0.2, 0.5, 1, 2, 5, 10…


@dataclass(frozen=True)
class Ticks:
    """Tick positions, their labels and the axis range that holds them all."""

    values: list[float]
    labels: list[str]
    low: float
    high: float


def step_ticks(first: int, last: int, most: int = 5) -> list[int]:
    """Whole step numbers for the x-axis (plotext would label 0.75, 1.25… on short runs)."""
    stride = max(1, -(-(last - first) // (most - 1)))
    return list(range(first, last + 1, stride))


def nice_step(span: float, most: int) -> float:
    """The smallest 1-2-5 step that covers `span` in at most `most - 1` gaps."""
    raw = span / max(1, most - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for mantissa in NICE_STEPS:
        if mantissa * magnitude >= raw * (1 - 1e-9):
            return mantissa * magnitude
    return 10.0 * magnitude  # unreachable: 10 covers every mantissa below it


def linear_ticks(low: float, high: float, most: int = 5) -> Ticks:
    """Evenly spaced round ticks; the range grows to the ticks just outside the data."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"ticks need finite bounds, not {low}, {high}")
    if high - low <= abs(high) * 1e-12:  # one value: a band around it
        pad = abs(high) * 0.1 or 1.0
        low, high = low - pad, high + pad
    step = nice_step(high - low, most)
    while True:
        first = math.floor(low / step + 1e-9)
        last = math.ceil(high / step - 1e-9)
        if last - first <= most - 1:
            break
        step = nice_step(step * (most - 1) * 1.0001, most)  # the next round step up
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    values = [round(k * step, decimals) for k in range(first, last + 1)]
    labels = [f"{v:.{decimals}f}" for v in values]
    return Ticks(values, labels, values[0], values[-1])


LARGEST_POWER = 308  # 10.0**309 overflows


def log_ticks(low: float, high: float) -> Ticks:
    """Ticks at 1, 2 and 5 times powers of ten (only powers of ten over many decades)."""
    if not (low > 0 and math.isfinite(high) and high >= low):
        raise ValueError(f"a log axis needs positive bounds, not {low}, {high}")
    # 1e308 is the largest power of ten a float holds: a loss near the float limit
    # (1.7e308) gets the highest tick there is rather than an overflow.
    first, last = math.floor(math.log10(low)), min(math.ceil(math.log10(high)), LARGEST_POWER)
    mantissas = (1.0,) if last - first > 2 else (1.0, 2.0, 5.0)
    candidates = [m * 10.0**e for e in range(first, last + 1) for m in mantissas]
    below = max(c for c in candidates if c <= low * (1 + 1e-9))
    above = min((c for c in candidates if c >= high * (1 - 1e-9)), default=high)
    values = [c for c in candidates if below <= c <= above]
    return Ticks(values, [f"{v:g}" for v in values], below, above)


def inner_ticks(low: float, high: float, most: int = 5) -> Ticks:
    """Round ticks inside a fixed range (an axis that cannot grow): the smallest 1-2-5 step
    that puts at most `most` multiples of itself in [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high) and high > low):
        raise ValueError(f"ticks need a finite range, not {low}, {high}")
    step = nice_step(high - low, 4 * most)  # small, then up the 1-2-5 ladder until few enough
    while True:
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        if last - first + 1 <= most:
            break
        step = nice_step(step * 1.0001, 2)
    decimals = max(0, -math.floor(math.log10(step) + 1e-9))
    values = [round(k * step, decimals) for k in range(first, last + 1)]
    return Ticks(values, [f"{v:.{decimals}f}" for v in values], low, high)
