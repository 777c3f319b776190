"""How big one training step's graph will be, known before anything is built.

Why: a scalar engine makes a Python object per number it computes, about 130 bytes
each with its operands and local derivatives (bench.engine measures it). `--arch
1024,...` with 16 layers on 100 samples asks for billions of nodes and used to grow a
process past 4 GB before the first frame; a configuration is now refused at once, with
the estimate and what to reduce. The estimate counts the nodes Trainer.forward builds
(tests/nn check it against engine.node_count on real graphs).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

MAX_GRAPH_NODES = 2_000_000  # about 260 MB of nodes: the most one step may build

# Nodes a loss adds per sample beyond the prediction (its target leaf included), and
# once for the batch (the sum, the 1/n constant and the product).
LOSS_NODES = {"sse": 3, "mse": 3, "svm": 5, "bce": 4, "cross-entropy": 2}
LOSS_BATCH_NODES = {"sse": 1, "mse": 3, "svm": 3, "bce": 3, "cross-entropy": 3}


def parameter_count(nin: int, nouts: Sequence[int]) -> int:
    """An MLP's parameters, without building it: a weight per input and a bias, each neuron."""
    return sum((fan_in + 1) * width for fan_in, width in itertools.pairwise([nin, *nouts]))


def nodes_per_sample(
    nin: int, nouts: Sequence[int], hidden_activation: str, output_activation: str, loss: str
) -> int:
    """The nodes one sample adds: its inputs, each neuron's products, sum and activation,
    and its share of the loss."""
    count = nin
    sizes = [nin, *nouts]
    for layer, (fan_in, width) in enumerate(itertools.pairwise(sizes)):
        last = layer == len(nouts) - 1
        activation = output_activation if last else hidden_activation
        count += width * (fan_in + 1 + (activation != "linear"))
    return count + LOSS_NODES.get(loss, 5)


def estimate_nodes(
    nin: int,
    nouts: Sequence[int],
    hidden_activation: str,
    output_activation: str,
    loss: str,
    batch: int,
    *,
    l1: bool = False,
    l2: bool = False,
) -> int:
    """The nodes of one step's graph: the batch's samples, the parameters, the penalties."""
    params = parameter_count(nin, nouts)
    per_sample = nodes_per_sample(nin, nouts, hidden_activation, output_activation, loss)
    fixed = params + LOSS_BATCH_NODES.get(loss, 3)
    if l1:  # a sign constant and a product per parameter; a sum, alpha, a product, a +
        fixed += 2 * params + 4
    if l2:  # a product per parameter; a sum, alpha, a product, a +
        fixed += params + 4
    return batch * per_sample + fixed


def check_budget(
    nin: int,
    nouts: Sequence[int],
    hidden_activation: str,
    output_activation: str,
    loss: str,
    batch: int,
    *,
    l1: bool = False,
    l2: bool = False,
) -> int:
    """The estimate, or ValueError (one line: the estimate and what to reduce) above the limit."""
    estimate = estimate_nodes(
        nin, nouts, hidden_activation, output_activation, loss, batch, l1=l1, l2=l2
    )
    if estimate <= MAX_GRAPH_NODES:
        return estimate
    per_sample = nodes_per_sample(nin, nouts, hidden_activation, output_activation, loss)
    fixed = estimate - batch * per_sample
    fits = (MAX_GRAPH_NODES - fixed) // per_sample
    advice = (
        f"use a batch size of at most {fits} (--batch-size), fewer samples or smaller layers"
        if fits >= 1
        else "use smaller or fewer hidden layers"
    )
    raise ValueError(
        f"one step would build about {_millions(estimate)} graph nodes ({batch} samples of "
        f"{per_sample:,} nodes each), more than the {_millions(MAX_GRAPH_NODES)} a step may "
        f"build: {advice}"
    )


def _millions(n: int) -> str:
    return f"{n / 1e6:.1f} million" if n >= 100_000 else f"{n:,}"
