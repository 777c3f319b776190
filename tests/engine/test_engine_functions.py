"""engine.functions: each function of one variable, declared once, and Value's ops on it.

Two kinds of checks. The table against references written here (the math module,
decimal arithmetic at 40 digits, the definitions), so that what it declares is right;
and Value's methods against the table, for any float, so that nothing computes its
own copy: the node's number and local derivative are the table's to the bit, and an
error is the same error.
"""

from __future__ import annotations

import math
import struct
from decimal import Decimal, localcontext

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mg_tui.engine import UNARY, Value

EDGES = [
    math.nan,
    math.inf,
    -math.inf,
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1e-300,
    -1e-300,
    0.5,
    -0.5,
    1.0,
    -1.0,
    36.0,
    -36.0,
    709.78,
    709.79,
    -745.2,
    -745.1,
    1000.0,
    -1000.0,
    1e308,
    -1e308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
]

FLOATS = st.one_of(st.sampled_from(EDGES), st.floats())

SETTINGS = settings(max_examples=300, deadline=None)


def bits(x: float) -> bytes:
    """The float's 8 bytes: equal bits, so NaN equals NaN and 0.0 differs from -0.0."""
    return struct.pack("<d", x)


def test_the_table_is_the_five_documented_functions() -> None:
    assert list(UNARY) == ["exp", "log", "tanh", "relu", "sigmoid"]
    assert all(callable(getattr(Value, name)) for name in UNARY)


# -- the table against references ------------------------------------------------------


def decimal_sigmoid(x: float) -> float:
    with localcontext() as context:
        context.prec = 40
        return float(1 / (1 + (-Decimal(x)).exp()))


def decimal_sech_squared(x: float) -> float:
    with localcontext() as context:
        context.prec = 40
        e = Decimal(x).exp()
        return float(4 / (e + 1 / e) ** 2)


@SETTINGS
@given(x=FLOATS)
def test_each_function_has_its_definitions_value(x: float) -> None:
    if math.isnan(x):
        for name, f in UNARY.items():
            assert math.isnan(f.value(x)), name
        return
    assert bits(UNARY["tanh"].value(x)) == bits(math.tanh(x))
    assert UNARY["relu"].value(x) == (x if x > 0 else 0.0)
    if x == math.inf:
        assert UNARY["exp"].value(x) == math.inf
    elif x > 709.7828:  # e**709.7828 is above the largest float, 1.797e308 = e**709.78271
        with pytest.raises(OverflowError):
            UNARY["exp"].value(x)
    elif x < 709.7827:
        assert UNARY["exp"].value(x) == math.exp(x)
    if x <= 0:
        with pytest.raises(ValueError):
            UNARY["log"].value(x)
    else:
        assert UNARY["log"].value(x) == math.log(x)
    s = UNARY["sigmoid"].value(x)
    if x > 800:
        assert s == 1.0
    elif x < -800:  # e**x is below the smallest float: exactly 0
        assert s == 0.0
    else:  # full relative accuracy in both tails, thanks to the mirrored form
        assert s == pytest.approx(decimal_sigmoid(x), rel=4e-16, abs=0.0)


@SETTINGS
@given(x=FLOATS)
def test_each_derivative_is_the_definitions(x: float) -> None:
    def d(name: str) -> float:
        f = UNARY[name]
        return f.derivative(x, f.value(x))

    if math.isnan(x):
        assert all(math.isnan(d(name)) for name in ("exp", "log", "tanh", "sigmoid"))
        assert d("relu") == 1.0  # NaN passes through relu, so its grad passes too
        return
    assert d("relu") == (1.0 if x > 0 else 0.0)
    if x < 709.7827 or x == math.inf:
        assert d("exp") == math.exp(x)
    if x > 0:
        assert d("log") == 1.0 / x
    # 1 - t*t and s*(1 - s) lose their relative accuracy where the output nears its
    # limit; their absolute error stays within a few ulps of 1
    if abs(x) < 1e5:
        assert d("tanh") == pytest.approx(decimal_sech_squared(x), rel=1e-15, abs=3e-16)
        s = decimal_sigmoid(x)
        assert d("sigmoid") == pytest.approx(s * (1 - s), rel=1e-15, abs=3e-16)
    else:
        assert d("tanh") == 0.0
        assert d("sigmoid") == 0.0


def test_the_domain_errors_name_the_op_and_the_value() -> None:
    with pytest.raises(ValueError) as raised:
        Value(0.0).log()
    assert str(raised.value) == "log: log(0.0) is undefined, the input must be > 0"
    with pytest.raises(ValueError) as raised:
        Value(-2.5).log()
    assert str(raised.value) == "log: log(-2.5) is undefined, the input must be > 0"
    with pytest.raises(OverflowError) as raised:
        Value(1000.0).exp()
    assert str(raised.value) == "exp: exp(1000.0) overflows a float"


# -- Value's ops are the table's ---------------------------------------------------------


@pytest.mark.parametrize("name", list(UNARY))
@SETTINGS
@given(x=FLOATS)
@example(x=math.nan)
def test_the_value_op_is_the_table_function(name: str, x: float) -> None:
    function = UNARY[name]
    leaf = Value(x)
    try:
        y = function.value(x)
    except (ValueError, OverflowError) as error:
        with pytest.raises(type(error)) as raised:
            getattr(leaf, name)()
        message = str(raised.value)
        assert message == str(error)
        assert message.startswith(f"{name}: {name}({x!r})")
        return
    out = getattr(leaf, name)()
    assert out.op == name
    assert out.inputs == (leaf,)
    assert bits(out.data) == bits(y)
    assert bits(out.local_grads[0]) == bits(function.derivative(x, y))


@pytest.mark.parametrize("name", list(UNARY))
def test_backward_through_the_op_gives_the_table_derivative(name: str) -> None:
    x = 0.75
    leaf = Value(x)
    out = getattr(leaf, name)()
    out.backward()
    function = UNARY[name]
    assert leaf.grad == function.derivative(x, function.value(x))
