"""Why is this grad small? An answer computed from the node's own numbers.

A grad is the sum over a node's uses of (local derivative × the consumer's grad), so a
grad of (nearly) 0 has one of a few causes, each visible in the numbers:

- backward has not reached it yet (the walk is part way);
- nothing uses it: no path to the output;
- a dead ReLU: the relu's input is ≤ 0, so its local derivative is 0;
- a saturated tanh or sigmoid: the output is near its limits, the local derivative tiny;
- a factor of 0: in `w * x` the local derivative for w is x;
- the consumer's own grad is small, for one of these reasons further up;
- the contributions cancel.

`why_small` returns those lines, or None when the grad is not small.
"""

from __future__ import annotations

from collections import Counter

from mg_tui.engine import Value
from mg_tui.tui.core.graph_index import GraphIndex, name
from mg_tui.tui.core.numbers import num

TINY = 1e-3  # a grad below this (the root's is 1) counts as small
SATURATED = 0.99  # |tanh| above this: the local derivative 1 - t² is below 0.02
DEPTH = 6  # consumers followed upwards looking for the first cause


def is_small(grad: float) -> bool:
    return abs(grad) < TINY


def why_small(value: Value, index: GraphIndex, walk=None) -> list[str] | None:
    """The causes of `value`'s small grad, most common first; None if it is not small."""
    if value is index.root or not is_small(value.grad):
        return None
    if walk is not None and not walk.complete and not walk.is_final(value):
        return ["backward has not finished with it: not every consumer has passed its grad on"]
    return _causes(value, index, DEPTH)


def _causes(value: Value, index: GraphIndex, depth: int) -> list[str]:
    uses = index.consumers(value)
    if not uses:
        return ["nothing uses this value: no path leads from it to the output, so its grad is 0"]
    terms = [consumer.local_grads[j] * consumer.grad for consumer, j in uses]
    if not all(is_small(t) for t in terms):
        shown = " + ".join(num(t) for t in terms[:4]) + (" + …" if len(terms) > 4 else "")
        return [f"its contributions cancel: {shown} = {num(sum(terms))}"]
    causes: Counter[str] = Counter()
    for consumer, j in uses:
        causes[_cause(value, consumer, j, index, depth)] += 1
    lines = []
    for cause, count in causes.most_common(3):
        lines.append(cause if len(uses) == 1 else f"{cause} ({count} of {len(uses)} uses)")
    return lines


def _cause(value: Value, consumer: Value, j: int, index: GraphIndex, depth: int) -> str:
    """Why one use's contribution (local derivative × consumer's grad) is small."""
    local = consumer.local_grads[j]
    op = consumer.op
    if op == "relu" and local == 0.0:
        return f"dead ReLU: its input {num(value.data)} is ≤ 0, so the relu's local grad is 0"
    if op == "tanh" and abs(consumer.data) > SATURATED:
        return f"saturated tanh: out {num(consumer.data)}, local grad 1 - t² = {num(local)}"
    if op == "sigmoid" and local < 1.0 - SATURATED:
        return f"saturated sigmoid: out {num(consumer.data)}, local grad s(1 - s) = {num(local)}"
    if op == "*" and local == 0.0:
        other = consumer.inputs[1 - j] if len(consumer.inputs) == 2 else None
        factor = name(other) if other is not None else "the other factor"
        return f"multiplied by {factor} = 0: the local grad of a product is the other factor"
    if is_small(consumer.grad):
        if depth <= 0:
            return f"its consumer {name(consumer)} has grad {num(consumer.grad)}"
        above = _causes(consumer, index, depth - 1) if consumer is not index.root else []
        why = f": {above[0]}" if above else ""
        return f"its consumer {name(consumer)} has grad {num(consumer.grad)}{why}"
    return f"a small local grad: {num(local)} × {name(consumer)}'s grad {num(consumer.grad)}"
