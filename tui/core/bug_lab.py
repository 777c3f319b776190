"""The bug lab: the classic mistakes of a hand-written backprop, run for real.

Each function named `buggy_...` or `naive_...` here is deliberately wrong, the way
micrograd's learners write it (its issue tracker keeps asking about these), and lives
here, never in the engine. The tour's bug-lab lessons (tui/core/lessons.py) run each
one beside the engine on the same graph and show both results: the facts below are
computed by running the code every time, so the wrong numbers are the real wrong
numbers and the right ones are the engine's.

Textual-free, like everything in tui/core.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from mg_tui.engine import Value, topological_order
from mg_tui.engine.program import parse_program

if TYPE_CHECKING:
    from mg_tui.tui.core.lessons import Fact


def _program(text: str, values: dict[str, float]) -> tuple[Value, dict[str, Value]]:
    """Build `text` over fresh named leaves; return the root and the leaves by name."""
    leaves = {name: Value(value, name) for name, value in values.items()}
    return parse_program(text).build(leaves), leaves


def error_text(error: BaseException) -> str:
    """What Python prints for an error: "OverflowError: math range error"."""
    return f"{type(error).__name__}: {error}"


# -- 1. `=` instead of `+=` ------------------------------------------------------------------


def buggy_backward_assigning(root: Value) -> None:
    """The engine's backward() with one character missing: `x.grad = d * g`.

    Same order, same local derivatives; but each contribution replaces the grad
    instead of adding to it, so a value used twice keeps only its last contribution.
    """
    order = topological_order(root)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for x, d in zip(node.inputs, node.local_grads):
            x.grad = d * node.grad  # the bug: the engine has +=


ASSIGN_SIMPLE = "b = a + a"
ASSIGN_SIMPLE_VALUES = {"a": 3.0}
ASSIGN_LECTURE = "d = a*b; e = a + b; f = d*e"
ASSIGN_LECTURE_VALUES = {"a": -2.0, "b": 3.0}


def assignment_facts() -> list[Fact]:
    """Each leaf's grad after the buggy backward and after the engine's, per graph."""
    facts: list[Fact] = []
    for text, values, name in (
        (ASSIGN_SIMPLE, ASSIGN_SIMPLE_VALUES, "b = a + a"),
        (ASSIGN_LECTURE, ASSIGN_LECTURE_VALUES, "f = (a*b)*(a+b)"),
    ):
        wrong_root, wrong = _program(text, values)
        buggy_backward_assigning(wrong_root)
        right_root, right = _program(text, values)
        right_root.backward()
        for leaf in values:
            facts.append((f"{name}: {leaf}.grad with = (wrong)", wrong[leaf].grad))
            facts.append((f"{name}: {leaf}.grad with += (engine)", right[leaf].grad))
    return facts


# -- 2. a recursive backward without the topological order ------------------------------------


def naive_recursive_backward(root: Value) -> list[Value]:
    """Apply a node's rule, then recurse into each operand: no order, no memory.

    The backward asked about in micrograd's issues #21 and #68. Return the nodes in
    the order their rules ran. A node used twice (`b + b` has operands (b, b)) is
    visited once per use, and each visit passes on whatever grad it has so far.
    """
    for node in topological_order(root):
        node.grad = 0.0
    root.grad = 1.0
    ran: list[Value] = []

    def visit(node: Value) -> None:
        if node.is_leaf:
            return
        ran.append(node)
        for x, d in zip(node.inputs, node.local_grads):
            x.grad += d * node.grad
        for x in node.inputs:
            visit(x)

    visit(root)
    return ran


ORDER_PROGRAM = "b = a + a; c = b + b"  # micrograd PR #64's example
ORDER_DEEPER = "b = a + a; c = b + b; d = c + c"  # one more doubling
ORDER_VALUES = {"a": 1.0}


def _grads(root: Value) -> dict[str, float]:
    return {node.label: node.grad for node in topological_order(root)}


def order_facts() -> list[Fact]:
    """For each program: the order the rules ran and every grad, recursive vs engine."""
    facts: list[Fact] = []
    for text in (ORDER_PROGRAM, ORDER_DEEPER):
        root, _ = _program(text, ORDER_VALUES)
        ran = naive_recursive_backward(root)
        right, _ = _program(text, ORDER_VALUES)
        steps = [step.node for step in right.backward_steps() if not step.node.is_leaf]
        wrong_grads, right_grads = _grads(root), _grads(right)
        last = text.rsplit(";", 1)[-1].strip()  # "c = b + b"
        name = root.label
        facts.append((last, root.data))
        facts.append((f"{name}: rules ran, recursive", ", ".join(n.label for n in ran)))
        facts.append((f"{name}: rules ran, engine", ", ".join(n.label for n in steps)))
        for node in topological_order(right)[-2::-1]:  # below the root, top down
            label = node.label
            wrong = "" if wrong_grads[label] == right_grads[label] else " (wrong)"
            facts.append((f"{name}: {label}.grad, recursive{wrong}", wrong_grads[label]))
            facts.append((f"{name}: {label}.grad, engine", right_grads[label]))
    return facts


# -- 3. forgetting zero_grad -------------------------------------------------------------------

# One weight fitting w*x to y: loss = (w*x - y)**2, whose minimum is w = y/x = 2.
FIT_PROGRAM = "loss = (w*x - y)**2"
FIT_VALUES = {"w": 0.0, "x": 2.0, "y": 4.0}
FIT_LR = 0.05
FIT_STEPS = 10


def train_one_weight(zero_grad: bool, steps: int = FIT_STEPS) -> list[float]:
    """Gradient descent on FIT for `steps` steps; the loss before each update.

    The engine's backward() adds into a leaf's grad (as PyTorch does), so without
    `w.grad = 0.0` before it, each step's grad is the sum of every step's so far.
    """
    program = parse_program(FIT_PROGRAM)
    w = Value(FIT_VALUES["w"], "w")
    losses = []
    for _ in range(steps):
        loss = program.build({"w": w, "x": FIT_VALUES["x"], "y": FIT_VALUES["y"]})
        losses.append(loss.data)
        if zero_grad:
            w.grad = 0.0
        loss.backward()
        w.data -= FIT_LR * w.grad
    return losses


def _sequence(xs: list[float]) -> str:
    return ", ".join(f"{x:.4g}" for x in xs)


def zero_grad_facts() -> list[Fact]:
    right, wrong = train_one_weight(zero_grad=True), train_one_weight(zero_grad=False)
    return [
        (f"loss, steps 1 to {FIT_STEPS}, with zero_grad", _sequence(right)),
        (f"loss, steps 1 to {FIT_STEPS}, zero_grad forgotten", _sequence(wrong)),
        (f"loss at step {FIT_STEPS} with zero_grad", right[-1]),
        (f"loss at step {FIT_STEPS}, zero_grad forgotten", wrong[-1]),
        ("steps where the loss rose, with zero_grad", float(_rises(right))),
        ("steps where the loss rose, zero_grad forgotten", float(_rises(wrong))),
    ]


def _rises(losses: list[float]) -> int:
    return sum(b > a for a, b in pairwise(losses))


# -- 4. tanh written with exp ----------------------------------------------------------------

TANH_AT = 355.0
TANH_PROGRAM = "t = tanh(x)"
TANH_VALUES = {"x": TANH_AT}


def naive_tanh(x: float) -> float:
    """tanh as the formula reads: (e^2x - 1)/(e^2x + 1). math.exp overflows past 709.78."""
    e = math.exp(2 * x)
    return (e - 1) / (e + 1)


def naive_tanh_value(x: Value) -> Value:
    """The same formula on Values, through the engine's exp."""
    e = (2 * x).exp()
    return (e - 1) / (e + 1)


def _attempt(compute: Callable[[], float]) -> float | str:
    try:
        return compute()
    except OverflowError as error:
        return error_text(error)


def tanh_facts() -> list[Fact]:
    x = Value(TANH_AT, "x")
    t = x.tanh()
    t.backward()
    return [
        ("math.exp(2*355)", _attempt(lambda: math.exp(2 * TANH_AT))),
        ("naive tanh(355)", _attempt(lambda: naive_tanh(TANH_AT))),
        ("naive tanh(354)", _attempt(lambda: naive_tanh(TANH_AT - 1))),
        ("naive tanh on Values at 355", _attempt(lambda: naive_tanh_value(Value(TANH_AT)).data)),
        ("largest x before exp(2x) overflows", math.log(sys.float_info.max) / 2),
        ("engine tanh(355)", t.data),
        ("engine dtanh/dx at 355 (1 - t**2)", x.grad),
        ("math.tanh(-355)", math.tanh(-TANH_AT)),
    ]


# -- 5. recursion depth ---------------------------------------------------------------------

CHAIN_DEPTH = 5000


def chain(depth: int = CHAIN_DEPTH) -> Value:
    """y = x + 1 + 1 + ... : `depth` additions, each on the one before, a graph that deep."""
    x = Value(0.0, "x")
    y = x
    for _ in range(depth):
        y = y + 1.0
    y.label = "y"
    return y


def recursive_topological_order(root: Value) -> list[Value]:
    """micrograd's build_topo: a recursive depth-first walk, one Python frame per level."""
    order: list[Value] = []
    visited: set[Value] = set()

    def build_topo(v: Value) -> None:
        if v not in visited:
            visited.add(v)
            for child in v.inputs:
                build_topo(child)
            order.append(v)

    build_topo(root)
    return order


@dataclass(frozen=True)
class DepthRun:
    """What each walk did on the chain, at this interpreter's recursion limit."""

    limit: int
    nodes: int  # the engine's count
    recursive: int | str  # the recursive walk's count, or its error
    x_grad: float


def run_depth(depth: int = CHAIN_DEPTH) -> DepthRun:
    root = chain(depth)
    try:
        recursive: int | str = len(recursive_topological_order(root))
    except RecursionError as error:
        recursive = error_text(error)
    nodes = len(topological_order(root))
    root.backward()
    [x] = [node for node in topological_order(root) if node.label == "x"]
    return DepthRun(sys.getrecursionlimit(), nodes, recursive, x.grad)


def depth_facts() -> list[Fact]:
    run = run_depth()
    return [
        ("chain depth (additions)", float(CHAIN_DEPTH)),
        ("sys.getrecursionlimit()", float(run.limit)),
        ("recursive build_topo", run.recursive),
        ("engine topological_order(): nodes", float(run.nodes)),
        ("engine backward(): dy/dx", run.x_grad),
    ]
