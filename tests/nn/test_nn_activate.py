"""activate() on floats is the engine's Value op to the bit, NaN and infinities included."""

from __future__ import annotations

import math
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mg_tui.engine import Value
from mg_tui.nn.layers import ACTIVATIONS, FLOAT_ACTIVATIONS, Neuron, activate

INPUTS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 5e-324, 1000.0, -1000.0, 0.5, -0.5, 1e308]


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def graph_activation(name: str, x: float) -> float:
    """The activation as a network's graph computes it: the Value op of that name."""
    return Value(x).data if name == "linear" else getattr(Value(x), name)().data


def test_the_activations_are_the_four_documented() -> None:
    assert ACTIVATIONS == ("tanh", "relu", "sigmoid", "linear")
    assert set(FLOAT_ACTIVATIONS) == set(ACTIVATIONS)


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("x", INPUTS)
def test_float_activation_matches_value_op(name: str, x: float) -> None:
    assert bits(activate(name, x)) == bits(graph_activation(name, x))


@pytest.mark.parametrize("name", ACTIVATIONS)
@settings(max_examples=300, deadline=None)
@given(x=st.floats())
def test_float_activation_is_the_value_op_to_the_bit(name: str, x: float) -> None:
    assert bits(activate(name, x)) == bits(graph_activation(name, x))


def test_relu_of_nan_is_nan_on_floats_as_in_the_graph() -> None:
    """The bug of issue 10: activate('relu', nan) was 0.0 while Value(nan).relu() was nan."""
    assert math.isnan(activate("relu", math.nan))
    assert math.isnan(Value(math.nan).relu().data)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_a_neurons_output_is_its_activation_op(name: str) -> None:
    neuron = Neuron(2, name, rng=random.Random(0))
    out = neuron([0.5, -1.5])
    assert out.op == ("sum" if name == "linear" else name)
    assert out.label == neuron.name
    assert bits(out.data) == bits(neuron.evaluate([0.5, -1.5]))
