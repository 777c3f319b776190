"""activate() on floats agrees with the engine's Value op, NaN and infinities included."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value
from mg_tui.nn.layers import ACTIVATIONS, activate

INPUTS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1000.0, -1000.0, 0.5, -0.5]


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("x", INPUTS)
def test_float_activation_matches_value_op(name: str, x: float) -> None:
    expected = Value(x).data if name == "linear" else getattr(Value(x), name)().data
    got = activate(name, x)
    if math.isnan(expected):
        assert math.isnan(got)
    else:
        assert got == expected
