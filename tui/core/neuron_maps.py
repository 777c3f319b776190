"""What every hidden neuron computes over the input plane (or along x for 1-D data).

TensorFlow Playground draws each hidden neuron's output as a small heat map over the
inputs: the picture of the feature it has learned. These are computed in the worker on
floats from a ModelState (never by building graphs): one forward pass per grid point
gives every neuron's value at that point.
"""

from __future__ import annotations

from dataclasses import dataclass

from mg_tui.tui.core.model_state import ModelState


@dataclass(frozen=True)
class NeuronMaps:
    """values[k][j] is hidden neuron L{k+1}.N{j+1} on the grid, row-major, row 0 on top.

    For 1-D data the grid is one row: the neuron's curve along x.
    """

    bounds: tuple[float, float, float, float]  # x0, x1, y0, y1 (y unused for 1-D data)
    cols: int
    rows: int
    names: tuple[tuple[str, ...], ...]
    activations: tuple[str, ...]  # one per hidden layer
    values: tuple[tuple[tuple[float, ...], ...], ...]


def neuron_maps(
    state: ModelState, bounds: tuple[float, float, float, float], cols: int, rows: int
) -> NeuronMaps:
    """Every hidden neuron (all layers but the output layer) on a cols x rows grid."""
    if state.nin not in (1, 2):
        raise ValueError(f"neuron pictures need 1-D or 2-D inputs, not {state.nin}-D")
    hidden = state.layers[:-1]
    rows = 1 if state.nin == 1 else rows
    x0, x1, y0, y1 = bounds
    points = [
        [x0 + (x1 - x0) * (c + 0.5) / cols]
        + ([] if state.nin == 1 else [y1 - (y1 - y0) * (r + 0.5) / rows])
        for r in range(rows)
        for c in range(cols)
    ]
    every = state.outputs(points)[:-1]  # layer -> point -> neuron
    values = [
        [[outputs[j] for outputs in layer_out] for j in range(len(layer))]
        for layer, layer_out in zip(hidden, every)
    ]
    return NeuronMaps(
        bounds,
        cols,
        rows,
        tuple(tuple(n.name for n in layer) for layer in hidden),
        tuple(layer[0].activation for layer in hidden),
        tuple(tuple(tuple(v) for v in layer) for layer in values),
    )


def picture_bounds(dataset) -> tuple[float, float, float, float]:
    """The input plane the pictures cover: the data's, with a margin (x only for 1-D)."""
    if dataset.n_features == 2:
        return dataset.bounds()
    xs = [x[0] for x in dataset.xs]
    margin = 0.05 * ((max(xs) - min(xs)) or 1.0)
    return min(xs) - margin, max(xs) + margin, 0.0, 0.0
