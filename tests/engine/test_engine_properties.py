"""Property tests over random expression graphs (hypothesis).

A program is a few leaf values and a list of steps; each step applies an op to earlier
nodes (so nodes are reused: fan-out, even `x * x`) or to plain numbers. Steps whose
operands are outside the op's domain, near relu's kink or give huge numbers are drawn
again as a tanh, which is always safe. The program is then fixed, so finite differences
re-evaluate exactly the same graph at nudged leaf values.
"""

from __future__ import annotations

import math
from collections import Counter

from hypothesis import HealthCheck, assume, given, reject, settings
from hypothesis import strategies as st
from mg_tui.engine import Value, consumers, edges, node_count, op_counts, topological_order

UNARY = ("neg", "exp", "log", "tanh", "relu", "sigmoid")
BINARY = ("*", "+", "-", "/", "**")
CONST_EXPONENTS = (2, 3, -1, -2, 0.5, 1.5, 0, 1)
CONST_BASES = (0.5, 2.0, 3.0)

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def operand(a, nodes: list[Value]):
    return a[1] if isinstance(a, tuple) else nodes[a]


def apply(step: tuple, nodes: list[Value]) -> Value:
    op, args = step
    if op == "sum":
        return Value.sum([operand(a, nodes) for a in args])
    if op == "builtin_sum":
        return sum(operand(a, nodes) for a in args)
    if op in BINARY:
        a, b = operand(args[0], nodes), operand(args[1], nodes)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return a / b
        return a**b
    x = nodes[args[0]]
    return -x if op == "neg" else getattr(x, op)()


def safe(step: tuple, nodes: list[Value]) -> bool:
    op, args = step

    def v(a):
        return a[1] if isinstance(a, tuple) else nodes[a].data

    if op == "log":
        return v(args[0]) >= 0.25
    if op == "exp":
        return v(args[0]) <= 5.0
    if op == "relu":
        return abs(v(args[0])) >= 0.05
    if op == "/":
        return abs(v(args[1])) >= 0.25
    if op == "**":
        base, exponent = v(args[0]), v(args[1])
        if isinstance(args[1], tuple):  # x ** number
            if not float(exponent).is_integer():
                return base >= 0.25
            return exponent >= 0 or abs(base) >= 0.25
        return base >= 0.25 and abs(exponent) <= 3.0
    return True


def evaluate(leaves: list[float], steps: list[tuple]) -> list[Value]:
    nodes = [Value(x) for x in leaves]
    for step in steps:
        nodes.append(apply(step, nodes))
    return nodes


CONSTANTS = (-2.5, -1.0, -0.5, 0.25, 1.0, 1.5, 3.0)
KINDS = ("binary", "unary", "binary", "nary")
SIDES = ("vv", "vv", "vk", "kv")
STEP_BYTES = 8


@st.composite
def programs(draw, max_leaves: int = 4, max_steps: int = 12):
    leaf = st.floats(-2.5, 2.5, allow_nan=False, allow_infinity=False)
    leaves = draw(st.lists(leaf, min_size=1, max_size=max_leaves))
    # Each step is drawn as 8 bytes and decoded below: one draw per program keeps
    # generation cheap, and hypothesis still shrinks toward short, simple programs.
    size = STEP_BYTES * draw(st.integers(1, max_steps))
    code = draw(st.binary(min_size=size, max_size=size))
    nodes = [Value(x) for x in leaves]
    steps: list[tuple] = []
    for at in range(0, len(code) - STEP_BYTES + 1, STEP_BYTES):
        kind_code, op_code, a_code, b_code, side_code, m, *extra = code[at : at + STEP_BYTES]
        more = extra[: m % 3]
        n = len(nodes)

        def pick(code: int, n: int = n) -> int:
            # even codes favour the three newest nodes (depth), odd ones any node (fan-out)
            if code % 2 == 0:
                return n - 1 - (code // 2) % min(3, n)
            return (code // 2) % n

        kind = KINDS[kind_code % len(KINDS)]
        if kind == "unary":
            step = (UNARY[op_code % len(UNARY)], (pick(a_code),))
        elif kind == "binary":
            op = BINARY[op_code % len(BINARY)]
            a, b = pick(a_code), pick(b_code)
            side = SIDES[side_code % len(SIDES)]
            if op == "**":
                if side == "vk":
                    b = ("k", CONST_EXPONENTS[side_code // 4 % len(CONST_EXPONENTS)])
                elif side == "kv":
                    a = ("k", CONST_BASES[side_code // 4 % len(CONST_BASES)])
            elif side != "vv":
                k = ("k", CONSTANTS[side_code // 4 % len(CONSTANTS)])
                a, b = (a, k) if side == "vk" else (k, b)
            step = (op, (a, b))
        else:
            op = ("sum", "builtin_sum")[op_code % 2]
            args = [pick(c) for c in (a_code, *more)]
            if op == "sum" and b_code % 2:
                args.append(("k", CONSTANTS[b_code // 2 % len(CONSTANTS)]))
            step = (op, tuple(args))
        value = apply(step, nodes) if safe(step, nodes) else None
        if value is None or not math.isfinite(value.data) or abs(value.data) > 1e3:
            step = ("tanh", (step[1][0] if isinstance(step[1][0], int) else n - 1,))
            value = apply(step, nodes)
        steps.append(step)
        nodes.append(value)
    return leaves, steps


def relu_signs(nodes: list[Value]) -> list[bool]:
    return [n.inputs[0].data > 0 for n in nodes if n.op == "relu"]


def reachable(root: Value) -> dict[int, Value]:
    """Brute force: every node reachable from root, by id."""
    seen: dict[int, Value] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(node.inputs)
    return seen


@settings(SETTINGS, max_examples=2500)
@given(programs())
def test_leaf_grads_match_finite_differences(program):
    leaves, steps = program
    nodes = evaluate(leaves, steps)
    root = nodes[-1]
    root.backward()
    signs = relu_signs(nodes)
    # rounding in the forward pass grows with the magnitudes it adds up
    magnitude = sum(abs(n.data) for n in topological_order(root))
    for i, x in enumerate(leaves):
        h = 1e-6 * max(1.0, abs(x))
        up, down = list(leaves), list(leaves)
        up[i] += h
        down[i] -= h
        try:
            f_up, f_down = evaluate(up, steps), evaluate(down, steps)
        except (ValueError, ZeroDivisionError, OverflowError):  # nudged out of the domain
            reject()
        assume(relu_signs(f_up) == signs == relu_signs(f_down))  # no kink crossed
        numerical = (f_up[-1].data - f_down[-1].data) / (up[i] - down[i])
        analytic = nodes[i].grad
        tolerance = 1e-5 * max(abs(analytic), abs(numerical)) + 1e-13 * magnitude / h + 1e-9
        assert abs(analytic - numerical) <= tolerance, (i, analytic, numerical)


@settings(SETTINGS, max_examples=1200)
@given(programs(), st.lists(st.floats(-5.0, 5.0), min_size=4, max_size=4))
def test_backward_steps_equal_backward_and_undo_restores_exactly(program, prior):
    leaves, steps = program
    root = evaluate(leaves, steps)[-1]
    order = topological_order(root)
    # leaves (inputs and number constants) start with grads left by an earlier pass
    before = {id(n): prior[j % 4] for j, n in enumerate(n for n in order if not n.inputs)}
    for n in order:
        n.grad = before.get(id(n), 0.0)
    root.backward()
    want = [n.grad for n in order]

    for n in order:  # interior grads are garbage: the stepper must reset them
        n.grad = before.get(id(n), 123.0)
    taken, snapshots = [], []
    for k, step in enumerate(root.backward_steps(), start=1):
        node = step.node
        assert node is order[-k]  # reverse topological order
        assert (step.position, step.total) == (k, len(order))
        assert step.grad == node.grad
        assert [c.index for c in step.contributions] == list(range(len(node.inputs)))
        latest: dict[int, float] = {}
        for c in step.contributions:
            assert c.input is node.inputs[c.index]
            assert c.local_grad == node.local_grads[c.index]
            assert c.amount == c.local_grad * step.grad
            assert c.grad_after == c.grad_before + c.amount
            if id(c.input) in latest:  # the same operand twice (x * x): chained
                assert c.grad_before == latest[id(c.input)]
            latest[id(c.input)] = c.grad_after
        for c in step.contributions:
            assert c.input.grad == latest[id(c.input)]
        taken.append(step)
        snapshots.append([n.grad for n in order])
    assert snapshots[-1] == want  # exactly backward()'s grads

    for step, snapshot in zip(reversed(taken), reversed(snapshots)):
        assert [n.grad for n in order] == snapshot
        step.undo()
    # back to the seeded start: leaves as they were, interior 0.0, the root 1.0
    start = [before[id(n)] if not n.inputs else 0.0 for n in order]
    start[-1] = 1.0
    assert [n.grad for n in order] == start


@settings(SETTINGS, max_examples=1000)
@given(programs())
def test_graph_tools_agree_with_brute_force(program):
    leaves, steps = program
    root = evaluate(leaves, steps)[-1]
    order = topological_order(root)
    seen = reachable(root)
    assert len(order) == len(seen) == node_count(root)
    assert {id(n) for n in order} == set(seen)
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(x)] < position[id(n)] for n in order for x in n.inputs)
    assert order[-1] is root
    assert [id(n) for n in topological_order(root)] == [id(n) for n in order]
    again = topological_order(evaluate(leaves, steps)[-1])
    assert [(n.op, n.data) for n in again] == [(n.op, n.data) for n in order]

    uses = Counter((id(x), id(n), i) for n in order for i, x in enumerate(n.inputs))
    users = consumers(root)
    assert set(map(id, users)) == set(seen)
    assert Counter((id(x), id(n), i) for x, pairs in users.items() for n, i in pairs) == uses
    assert Counter((id(x), id(n)) for x, n in edges(root)) == Counter(
        (x, n) for x, n, _ in uses.elements()
    )
    assert op_counts(root) == Counter(n.op for n in order)

    # after backward, every node's grad is the chain-rule sum over its consumers
    root.backward()
    for node in order[:-1]:
        terms = [n.local_grads[i] * n.grad for n, i in users[node]]
        assert terms, "every node but the root has a consumer"
        assert math.isclose(
            node.grad, math.fsum(terms), rel_tol=1e-12, abs_tol=1e-12 * sum(map(abs, terms))
        )
