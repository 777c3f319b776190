"""Walks over a computation graph: order, edges, fan-out, counts, Graphviz DOT.

Every walk here is iterative. Graphs in mg-tui are tens of thousands of nodes wide
and can be a million nodes deep; a recursive walk would hit Python's recursion limit
at a depth of about 1,000.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mg_tui.engine.value import Value


def topological_order(root: Value) -> list[Value]:
    """Every node reachable from `root`, each after all of its inputs (root last).

    The post-order of a recursive depth-first search over inputs in their stored
    order (so it is deterministic), without the recursion.
    """
    order: list[Value] = []
    visited = {root}
    # (node, iterator over its inputs) is one frame of the recursive walk: the
    # current frame lives in two locals, its callers on the stack.
    stack: list[tuple[Value, Iterator[Value]]] = []
    push, pop, emit, mark = stack.append, stack.pop, order.append, visited.add
    node, inputs = root, iter(root.inputs)
    while True:
        for child in inputs:
            if child not in visited:
                mark(child)
                if child._op:  # computed: descend, the current frame waits on the stack
                    push((node, inputs))
                    node, inputs = child, iter(child.inputs)
                    break
                emit(child)
        else:  # all inputs done: emit the node and return to its caller
            emit(node)
            if not stack:
                return order
            node, inputs = pop()


def edges(root: Value) -> list[tuple[Value, Value]]:
    """Every (input, consumer) edge of the graph, consumers in topological order."""
    return [(x, node) for node in topological_order(root) for x in node.inputs]


def consumers(root: Value) -> dict[Value, list[tuple[Value, int]]]:
    """For every node, the nodes that use it, as (consumer, operand index) pairs.

    A node used twice by one consumer (`a + a`) appears twice: that is fan-out, and
    each use adds its own contribution to the node's grad.
    """
    users: dict[Value, list[tuple[Value, int]]] = {}
    for node in topological_order(root):
        users.setdefault(node, [])
        for index, x in enumerate(node.inputs):
            users[x].append((node, index))
    return users


def node_count(root: Value) -> int:
    """How many distinct nodes the graph has."""
    return len(topological_order(root))


def op_counts(root: Value) -> Counter[str]:
    """How many nodes of each op the graph has (leaves count under "")."""
    return Counter(node.op for node in topological_order(root))


def zero_grad(root: Value) -> None:
    """Set the grad of every node of the graph to 0.0."""
    for node in topological_order(root):
        node.grad = 0.0


def to_dot(root: Value, rankdir: str = "LR") -> str:
    """The graph as Graphviz DOT text (render with `dot -Tsvg`; no binary needed here).

    As in micrograd's `draw_dot`, each value is a record node showing label, data
    and grad, and each op is a small oval node feeding it.
    """
    order = topological_order(root)
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    lines = [
        "digraph mg {",
        f"  rankdir={rankdir};",
        '  node [fontname="monospace"];',
    ]
    for node in order:
        name = ids[node]
        label = _dot_escape(node.label) + " | " if node.label else ""
        text = f"{{ {label}data {node.data:.4f} | grad {node.grad:.4f} }}"
        lines.append(f'  {name} [shape=record, label="{text}"];')
        if node.inputs:
            lines.append(f'  {name}_op [label="{_dot_escape(node.op)}"];')
            lines.append(f"  {name}_op -> {name};")
            for x in node.inputs:
                lines.append(f"  {ids[x]} -> {name}_op;")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_escape(text: str) -> str:
    for char in '\\"{}|<>':
        text = text.replace(char, "\\" + char)
    return text
