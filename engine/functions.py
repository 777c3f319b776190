"""The engine's functions of one variable, each declared once, on plain floats.

Each has its value, y = f(x), and its local derivative, dy/dx, computed from x and
y (tanh's is 1 - y*y: cheaper from the output, as micrograd does it). Where f is
undefined or overflows, the error names the op and the value.

`UNARY` is the one list of them. `Value.exp()`, `.log()`, `.tanh()`, `.relu()` and
`.sigmoid()` build their nodes from these functions. The networks' activations and
float forward pass (nn.layers) and the expression parser take their names and float
functions from `UNARY`, so a float pass gives the graph's number to the bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple


def exp(x: float) -> float:
    """e**x. It overflows a float past x = 709.78."""
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(f"exp: exp({x!r}) overflows a float") from None


def d_exp(x: float, y: float) -> float:
    """d/dx e**x = e**x: the output itself."""
    return y


def log(x: float) -> float:
    """The natural logarithm. It is defined for x > 0 only (log(nan) is nan)."""
    if x <= 0.0:
        raise ValueError(f"log: log({x!r}) is undefined, the input must be > 0")
    return math.log(x)


def d_log(x: float, y: float) -> float:
    """d/dx log(x) = 1/x."""
    return 1.0 / x


tanh = math.tanh
"""tanh(x), exact for any input: tanh(1000) is 1.0."""


def d_tanh(x: float, y: float) -> float:
    """d/dx tanh(x) = 1 - tanh(x)**2."""
    return 1.0 - y * y


def relu(x: float) -> float:
    """max(x, 0). NaN in gives NaN out, so a broken number is not hidden as 0."""
    return x if x > 0.0 or math.isnan(x) else 0.0


def d_relu(x: float, y: float) -> float:
    """1 where relu passes x through (x > 0, or NaN), else 0."""
    return 1.0 if x > 0.0 or math.isnan(x) else 0.0


def sigmoid(x: float) -> float:
    """1 / (1 + e**-x). For x < 0 it uses the mirrored form e**x / (1 + e**x), because
    e**-x would overflow for large negative x."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def d_sigmoid(x: float, y: float) -> float:
    """d/dx sigmoid(x) = s * (1 - s), where s = sigmoid(x)."""
    return y * (1.0 - y)


class Unary(NamedTuple):
    """A function of one variable on floats, and its local derivative."""

    value: Callable[[float], float]
    derivative: Callable[[float, float], float]
    """dy/dx at x, given x and y = value(x)."""


UNARY: dict[str, Unary] = {
    "exp": Unary(exp, d_exp),
    "log": Unary(log, d_log),
    "tanh": Unary(tanh, d_tanh),
    "relu": Unary(relu, d_relu),
    "sigmoid": Unary(sigmoid, d_sigmoid),
}
"""Every function of one variable that Value has, by the name of its method and op."""
