"""The network's weights and grads, copied in the worker for the pictures to draw from.

The worker changes the parameters every step; a view that read them on the UI thread
could draw half of one step and half of the next. The worker copies them (a few hundred
floats) into the snapshot instead, and the neuron and network views draw only the copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mg_tui.nn.layers import FloatLayer, float_forward, neuron_output


@dataclass(frozen=True)
class NeuronState:
    """One neuron: `L2.N3`, its activation, incoming weights and bias, with their grads."""

    name: str
    activation: str
    weights: tuple[float, ...]
    bias: float
    weight_grads: tuple[float, ...]
    bias_grad: float

    def output(self, x: Sequence[float]) -> float:
        return neuron_output(self.activation, self.weights, self.bias, x)

    def parameter(self, i: int) -> tuple[str, float, float]:
        """(label, data, grad) of weight i, or of the bias for i == len(weights)."""
        if i == len(self.weights):
            return f"{self.name}.b", self.bias, self.bias_grad
        return f"{self.name}.w{i}", self.weights[i], self.weight_grads[i]


@dataclass(frozen=True)
class ModelState:
    """Every layer's neurons, inputs first excluded: layers[k][j] is L{k+1}.N{j+1}."""

    nin: int
    layers: tuple[tuple[NeuronState, ...], ...]

    @classmethod
    def of(cls, model) -> ModelState:
        """Copy `model` (an nn.MLP) as it is now."""
        return cls(
            model.nin,
            tuple(
                tuple(
                    NeuronState(
                        n.name,
                        n.activation,
                        tuple(w.data for w in n.w),
                        n.b.data,
                        tuple(w.grad for w in n.w),
                        n.b.grad,
                    )
                    for n in layer.neurons
                )
                for layer in model.layers
            ),
        )

    def float_layers(self) -> list[FloatLayer]:
        """The copy's numbers as nn's float forward pass takes them."""
        return [
            (layer[0].activation, [(n.weights, n.bias) for n in layer]) for layer in self.layers
        ]

    def outputs(self, points: Sequence[Sequence[float]]) -> list[list[list[float]]]:
        """Every layer's outputs for every point, on floats (as the model computes them)."""
        return float_forward(self.float_layers(), points)

    def find(self, name: str) -> NeuronState | None:
        for layer in self.layers:
            for neuron in layer:
                if neuron.name == name:
                    return neuron
        return None
