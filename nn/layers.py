"""Neuron, Layer and MLP, as in micrograd's nn.py, with named parameters.

Every parameter is labelled with where it lives (`L1.N2.w0` is layer 1, neuron 2,
the weight on input 0; `L1.N2.b` its bias) so the app can name it in the tree.
A neuron's pre-activation is one n-ary sum node: b + w0*x0 + w1*x1 + ...
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from operator import mul
from typing import Protocol

from mg_tui.engine import UNARY, Sum, Value
from mg_tui.nn.module import Module

FLOAT_ACTIVATIONS = {name: UNARY[name].value for name in ("tanh", "relu", "sigmoid")} | {
    "linear": None
}
"""Each activation on plain floats: the engine's function of the same name (the one
that `Value.tanh()` and the others use), or None for linear, the identity."""

ACTIVATIONS = tuple(FLOAT_ACTIVATIONS)
"""The activations a neuron may have."""

Input = Value | float


class Uniform(Protocol):
    """Where initial weights come from: a `random.Random`, or the `random` module itself."""

    def uniform(self, a: float, b: float) -> float: ...


def _weights_source(rng: Uniform | None) -> Uniform:
    """`rng` if given, else the `random` module's global state, as in micrograd.

    So `random.seed(42)` before building a model fixes its weights, as users of
    micrograd expect.
    """
    return random if rng is None else rng


FloatLayer = tuple[str, Sequence[tuple[Sequence[float], float]]]
"""(activation, [(weights, bias) per neuron]): one layer's numbers, for the float pass."""


def activate(activation: str, x: float) -> float:
    """An activation on a plain float, matching the engine's op of the same name."""
    f = FLOAT_ACTIVATIONS[activation]
    return x if f is None else f(x)


def neuron_output(
    activation: str, weights: Sequence[float], bias: float, x: Sequence[float]
) -> float:
    """act(b + Σ w_i·x_i) on floats: the float forward pass of one neuron. The additions
    come in the order of `Neuron.__call__`'s sum node (b first), so the number is the
    graph's to the bit."""
    return activate(activation, sum(map(mul, weights, x), bias))


def float_forward(
    layers: Sequence[FloatLayer], points: Sequence[Sequence[float]]
) -> list[list[list[float]]]:
    """Every layer's outputs for every point, on floats: the one float forward pass
    (decision grids, neuron pictures, the model's `evaluate`), layer by layer over all
    points at once, with each neuron's numbers as `neuron_output` adds them."""
    every, out = [], points
    for activation, neurons in layers:
        f = FLOAT_ACTIVATIONS[activation]
        if f is None:
            out = [[sum(map(mul, w, x), b) for w, b in neurons] for x in out]
        else:
            out = [[f(sum(map(mul, w, x), b)) for w, b in neurons] for x in out]
        every.append(out)
    return every


def _check_activation(name: str) -> str:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}")
    return name


class Neuron(Module):
    """act(b + sum_i w_i * x_i), weights uniform in [-1, 1], bias 0.

    Weights are drawn from `rng`, or without one from the `random` module's global
    state (micrograd's behaviour: `random.seed(k)` makes a model reproducible).
    """

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        *,
        rng: Uniform | None = None,
        name: str = "N1",
    ) -> None:
        if nin < 1:
            raise ValueError(f"a neuron needs at least one input, got nin={nin}")
        rng = _weights_source(rng)
        self.activation = _check_activation(activation)
        self.name = name
        self.w = [Value(rng.uniform(-1.0, 1.0), f"{name}.w{i}") for i in range(nin)]
        self.b = Value(0.0, f"{name}.b")

    def __call__(self, x: Sequence[Input]) -> Value:
        if len(x) != len(self.w):
            raise ValueError(f"{self.name} expects {len(self.w)} inputs, got {len(x)}")
        # b + sum of w_i * x_i; map calls Value.__mul__ directly, without a Python
        # loop per weight (the hot path: 30,000 products per moons step), and the
        # terms are Values by construction: a Sum directly, without Value.sum's check
        act = Sum((self.b, *map(Value.__mul__, self.w, x)))
        # linear: the sum is the output, and carries the neuron's name; else the Value
        # method of the activation's name: tanh(), relu() or sigmoid()
        out = act if self.activation == "linear" else getattr(act, self.activation)()
        out.label = self.name
        return out

    def evaluate(self, x: Sequence[float]) -> float:
        """This neuron on plain floats, building no graph: the same additions in the same
        order as `__call__`'s sum node, so the same number (plots, grids, the float loss
        of the gradient check)."""
        return neuron_output(self.activation, [w.data for w in self.w], self.b.data, x)

    def parameters(self) -> list[Value]:
        return [*self.w, self.b]

    def __repr__(self) -> str:
        return f"{self.activation.capitalize()}Neuron({len(self.w)})"


class Layer(Module):
    """`nout` neurons that each see all `nin` inputs."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "tanh",
        *,
        rng: Uniform | None = None,
        name: str = "L1",
    ) -> None:
        if nout < 1:
            raise ValueError(f"a layer needs at least one neuron, got nout={nout}")
        rng = _weights_source(rng)
        self.name = name
        self.neurons = [
            Neuron(nin, activation, rng=rng, name=f"{name}.N{j + 1}") for j in range(nout)
        ]

    def __call__(self, x: Sequence[Input]) -> list[Value]:
        return [n(x) for n in self.neurons]

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: MLP(3, [4, 4, 1]) is the seeds' 41-parameter network.

    `activation` is used in the hidden layers; the output layer uses
    `output_activation`, which defaults to the same (micrograd's demo model is
    MLP(2, [16, 16, 1], activation="relu", output_activation="linear")).
    With `seed=k` the weights come from a private `random.Random(k)`; without one
    from the `random` module's global state, so `random.seed(42)` fixes them.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "tanh",
        output_activation: str | None = None,
        *,
        seed: int | None = None,
    ) -> None:
        if nin < 1:
            raise ValueError(f"an MLP needs at least one input, got nin={nin}")
        if not nouts:
            raise ValueError("an MLP needs at least one layer")
        self.nin = nin
        self.nouts = list(nouts)
        self.activation = _check_activation(activation)
        self.output_activation = _check_activation(output_activation or activation)
        self.seed = seed
        # seed=k: a private generator, independent of (and not touching) the global
        # state; no seed: the global `random` state, so `random.seed()` works.
        rng = _weights_source(None if seed is None else random.Random(seed))
        sizes = [nin, *self.nouts]
        self.layers = [
            Layer(
                sizes[i],
                sizes[i + 1],
                self.output_activation if i == len(self.nouts) - 1 else self.activation,
                rng=rng,
                name=f"L{i + 1}",
            )
            for i in range(len(self.nouts))
        ]

    def __call__(self, x: Sequence[Input]) -> Value | list[Value]:
        """The network's output: one Value when the last layer has one neuron."""
        out: Sequence[Input] = x
        for layer in self.layers:
            out = layer(out)
        return out[0] if len(out) == 1 else list(out)

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def evaluate(self, x: Sequence[float]) -> float | list[float]:
        """The network on plain floats, building no graph (plots, grids, a test set): one
        float when the last layer has one neuron, else a list of its K outputs, as
        `__call__` returns one Value or K."""
        return self.evaluate_many([x])[0]

    def evaluate_many(self, points: Sequence[Sequence[float]]) -> list[float | list[float]]:
        """`evaluate` of each point, the weights read once for them all (a test set's at a
        time): the same additions in the same order, so the same numbers."""
        last = float_forward(self.float_layers(), points)[-1]
        return [out[0] if len(out) == 1 else out for out in last]

    def float_layers(self) -> list[FloatLayer]:
        """Every layer's numbers now, copied: what `float_forward` runs on."""
        return [
            (
                layer.neurons[0].activation,
                [([w.data for w in n.w], n.b.data) for n in layer.neurons],
            )
            for layer in self.layers
        ]

    @property
    def architecture(self) -> str:
        """`3-4-4-1`: inputs, then each layer's width."""
        return "-".join(str(n) for n in [self.nin, *self.nouts])

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
