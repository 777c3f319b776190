"""The expression parser calls exactly the engine's functions of one variable (UNARY)."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mg_tui.engine import UNARY, Value
from mg_tui.engine.expression import FUNCTIONS, ExpressionError, build_expression

NOT_FUNCTIONS = ["sin", "cos", "sqrt", "abs", "max", "linear", "neg", "softmax", "Exp", "x"]


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def test_the_callable_functions_are_the_tables_names() -> None:
    assert FUNCTIONS == ("exp", "log", "tanh", "relu", "sigmoid")
    assert set(FUNCTIONS) == set(UNARY)


@pytest.mark.parametrize("name", list(UNARY))
def test_each_table_function_can_be_called_and_is_the_value_op(name: str) -> None:
    out = build_expression(f"{name}(x)", x=0.5)
    assert out.op == name
    assert bits(out.data) == bits(getattr(Value(0.5), name)().data)
    assert bits(out.data) == bits(UNARY[name].value(0.5))


@pytest.mark.parametrize("name", NOT_FUNCTIONS)
def test_a_name_outside_the_table_cannot_be_called(name: str) -> None:
    with pytest.raises(ExpressionError, match="can be called"):
        build_expression(f"{name}(x)", x=0.5)


@settings(max_examples=300, deadline=None)
@given(
    name=st.one_of(
        st.sampled_from(list(UNARY)),
        st.sampled_from(NOT_FUNCTIONS),
        st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,7}", fullmatch=True),
    )
)
def test_a_call_is_accepted_exactly_when_the_name_is_in_the_table(name: str) -> None:
    try:
        build_expression(f"{name}(x)", x=0.5)
    except ExpressionError:
        accepted = False
    else:
        accepted = True
    assert accepted == (name in UNARY)
