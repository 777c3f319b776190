"""Reverse-mode differentiation: the chain rule applied node by node.

Every node stores its operands (`inputs`) and the local derivative of its output with
respect to each operand (`local_grads`), so one rule serves every op:

    for x, d in zip(node.inputs, node.local_grads):
        x.grad += d * node.grad

`backward()` and the step-by-step `backward_steps()` share `prepare()` and that rule;
the stepper only records what the rule did, so exhausting it leaves the same grads.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mg_tui.engine import collector
from mg_tui.engine.graph import topological_order

if TYPE_CHECKING:
    from mg_tui.engine.value import Value


@dataclass(frozen=True, slots=True)
class Contribution:
    """What processing one node added to one of its operands' grad."""

    input: Value
    index: int  # position of `input` among the node's operands
    local_grad: float  # d(node)/d(input), stored at forward time
    amount: float  # local_grad * node.grad, the amount added
    grad_before: float
    grad_after: float


@dataclass(frozen=True, slots=True)
class BackwardStep:
    """One node processed by backprop: its (final) grad and what it passed on."""

    node: Value
    grad: float
    contributions: tuple[Contribution, ...]
    position: int  # 1-based: this was node `position` of `total`
    total: int

    def undo(self) -> None:
        """Restore every operand's grad to what it was before this step, exactly."""
        for c in reversed(self.contributions):
            c.input.grad = c.grad_before


def prepare(root: Value) -> list[Value]:
    """Order the graph for backprop and seed it; return the nodes root first.

    Interior nodes restart from 0.0 and the root gets 1.0, so they always hold this
    pass's gradient. Leaves keep what they had: calling backward twice without
    zeroing accumulates into leaves (parameters, inputs), as in PyTorch.
    """
    order = topological_order(root)
    for node in order:
        if node._op:
            node.grad = 0.0
    _seed(root)
    order.reverse()
    return order


def _seed(root: Value) -> None:
    """d(root)/d(root) = 1. A leaf root is a leaf like any other: it accumulates."""
    root.grad = root.grad + 1.0 if not root._op else 1.0


def propagate(node: Value) -> None:
    """The chain rule for one node: pass its grad on to each operand."""
    g = node.grad
    for x, d in zip(node.inputs, node.local_grads):
        x.grad += d * g


def backward(root: Value) -> None:
    """Fill in d(root)/d(node) for every node of root's graph.

    The same seeding, order and rule as `backward_steps`, so the same grads to the
    last bit, with the overheads of a general walk taken out: see `_interior_order`.
    """
    if not root._op:  # a leaf root: nothing to walk, it just accumulates
        _seed(root)
        return
    order = _interior_order(root)  # also zeroes the grads of interior nodes
    _seed(root)
    for node in reversed(order):
        # propagate(node), inlined and reading the node's slots (see engine.value) rather
        # than building its `inputs` and `local_grads` tuples: the same additions in the
        # same order, so the same bits as `propagate` (d * g is g when d is a sum's 1).
        g = node.grad
        a = node._a
        if a is None:  # an n-ary node: a Sum (every local grad 1) or a LogSumExp
            if node._op == "sum":
                for x in node._terms:
                    x.grad += g
            else:
                for x, d in zip(node._terms, node._shares):
                    x.grad += d * g
        else:
            a.grad += node._da * g
            b = node._b
            if b is not None:
                b.grad += node._db * g
    # For the program's own training loop: see engine.collector, "the user's own loop".
    collector.graph_differentiated(root, len(order))


def _interior_order(root: Value) -> list[Value]:
    """`topological_order(root)` without the leaves, faster, and zeroing as it goes.

    The same depth-first walk, each node's operands in their stored order, without
    recursion: a node taken from the stack is opened (marked, put back, its operands
    pushed above it so that they are walked first) or, met again once they are done,
    emitted. A node is marked by setting its grad to one of this walk's own zeros,
    float objects made for the walk, instead of adding it to a set (a set of 40,000
    nodes is a megabyte of random look-ups); marking it so is also the zeroing
    backward needs. Leaves, whose grads must be kept, are never marked nor pushed.
    """
    opened = float("0.0")  # 0.0, but new objects: `grad is opened` means seen by this walk
    done = float("0.0")
    order: list[Value] = []
    stack = [root]
    push, pop, emit = stack.append, stack.pop, order.append
    while stack:
        node = pop()
        mark = node.grad
        if mark is done:  # pushed by two consumers, and walked already
            continue
        if mark is opened:  # met again: its operands are done, it comes next
            node.grad = done
            emit(node)
            continue
        node.grad = opened
        push(node)
        a = node._a
        if a is None:  # n-ary: its terms last first, so that the first is walked first
            for x in reversed(node._terms):
                if x._op and x.grad is not done:
                    push(x)
        else:
            b = node._b
            if b is not None and b._op and b.grad is not done:
                push(b)
            if a._op and a.grad is not done:
                push(a)
    return order


def backward_steps(root: Value) -> Iterator[BackwardStep]:
    """Backprop one node at a time, in reverse topological order (root first).

    Each step has already been applied when it is yielded. Stop early and the grads
    are those of a partial pass; call `undo()` on steps (newest first) to go back.
    """
    order = prepare(root)
    total = len(order)
    for position, node in enumerate(order, start=1):
        yield apply_step(node, position, total)


def apply_step(node: Value, position: int, total: int) -> BackwardStep:
    """Apply the chain rule for `node` (`propagate`) and record what it added.

    The one step of `backward_steps`, public so that a walk which can go back and forth
    over `prepare()`'s order (the app's stepper) applies exactly the same rule.
    """
    before = [x.grad for x in node.inputs]
    propagate(node)
    g = node.grad
    contributions = []
    # Recompute what was added in the same sequence as `propagate`, so an operand
    # used twice by this node (a + a) gets two contributions with true before/after.
    running: dict[int, float] = {}
    for index, (x, d) in enumerate(zip(node.inputs, node.local_grads)):
        grad_before = running.get(id(x), before[index])
        amount = d * g
        grad_after = grad_before + amount
        running[id(x)] = grad_after
        contributions.append(Contribution(x, index, d, amount, grad_before, grad_after))
    return BackwardStep(node, g, tuple(contributions), position, total)
