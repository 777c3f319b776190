"""backward(), backward_steps() and undo on hand-made graphs, fan-out and deep chains."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import (
    Value,
    collector_paused,
    consumers,
    edges,
    node_count,
    op_counts,
    to_dot,
    topological_order,
    zero_grad,
)


def test_reuse_of_a_non_leaf_node():
    a = Value(3.0, "a")
    b = a + a
    c = b + b
    c.backward()
    assert c.data == 12.0
    assert b.grad == 2.0
    assert a.grad == 4.0


def test_reuse_across_consumers():
    a = Value(-2.0, "a")
    b = a * 3  # a feeds b and c
    c = a.exp()
    d = b * c + a
    d.backward()
    # d = 3a e^a + a -> d' = 3 e^a + 3 a e^a + 1
    assert a.grad == pytest.approx(3 * math.exp(-2) + 3 * -2 * math.exp(-2) + 1, rel=1e-14)


def test_square_by_self_product_counts_both_operands():
    a = Value(5.0)
    out = a * a
    out.backward()
    assert a.grad == 10.0


def test_backward_twice_accumulates_into_leaves_only():
    a, b = Value(2.0, "a"), Value(-1.0, "b")
    h = a * b  # interior
    out = h + a
    out.backward()
    assert (a.grad, b.grad, h.grad, out.grad) == (0.0, 2.0, 1.0, 1.0)
    out.backward()
    # leaves doubled, as in PyTorch; the interior node holds this pass's grad
    assert (a.grad, b.grad) == (0.0, 4.0)
    assert (h.grad, out.grad) == (1.0, 1.0)
    c = Value(3.0)
    y = c * c
    y.backward()
    y.backward()
    assert c.grad == 12.0


def test_backward_on_a_leaf_accumulates_like_any_leaf():
    # d(x)/d(x) = 1, and leaves accumulate across calls (PyTorch gives 2.0 here).
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0


def test_zero_grad_between_passes_gives_the_same_grads():
    a, b = Value(0.7), Value(-1.3)
    out = (a * b).tanh() + a.exp()
    out.backward()
    first = (a.grad, b.grad)
    out.zero_grad()
    assert a.grad == b.grad == 0.0
    out.backward()
    assert (a.grad, b.grad) == first


def test_unreachable_nodes_are_untouched():
    a, b = Value(1.0), Value(2.0)
    used = a * 2
    unused = a * b  # shares `a` but is not part of `used`'s graph
    used.backward()
    assert a.grad == 2.0
    assert b.grad == 0.0 and unused.grad == 0.0


# -- backward_steps ------------------------------------------------------------------


def test_steps_show_every_contribution_of_a_plus_a():
    a = Value(1.5, "a")
    b = a + a
    steps = list(b.backward_steps())
    assert [s.node for s in steps] == [b, a]
    first = steps[0]
    assert first.grad == 1.0 and first.position == 1 and first.total == 2
    c0, c1 = first.contributions
    assert (c0.input, c0.index, c0.local_grad, c0.amount) == (a, 0, 1.0, 1.0)
    assert (c0.grad_before, c0.grad_after) == (0.0, 1.0)
    assert (c1.input, c1.index, c1.grad_before, c1.grad_after) == (a, 1, 1.0, 2.0)
    assert a.grad == 2.0
    assert steps[1].contributions == () and steps[1].grad == 2.0
    first.undo()
    assert a.grad == 0.0


def test_steps_of_a_small_neuron_match_backward_exactly():
    def build():
        x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
        w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
        b = Value(6.8813735870195432, "b")
        return [x1, x2, w1, w2, b], (x1 * w1 + x2 * w2 + b).tanh()

    leaves, out = build()
    out.backward()
    want = [v.grad for v in leaves]
    leaves, out = build()
    for step in out.backward_steps():
        assert step.node.grad == step.grad
        for c in step.contributions:
            assert c.amount == c.local_grad * step.grad
            assert c.grad_after == c.grad_before + c.amount
    assert [v.grad for v in leaves] == want


def test_stepper_stopped_early_then_undone():
    a, b = Value(2.0, "a"), Value(3.0, "b")
    out = (a * b) + a
    a.grad = 0.25  # an earlier pass left something in a leaf
    steps = out.backward_steps()
    s1 = next(steps)  # the "+" node: passes 1.0 to (a * b) and to a
    assert s1.node is out
    assert a.grad == 1.25
    s2 = next(steps)  # the "*" node
    assert s2.node is out.inputs[0]
    assert (a.grad, b.grad) == (1.25 + 3.0, 2.0)
    s2.undo()
    assert (a.grad, b.grad) == (1.25, 0.0)
    s1.undo()
    assert a.grad == 0.25
    assert out.inputs[0].grad == 0.0


def test_steps_on_a_leaf_root():
    x = Value(4.0)
    steps = list(x.backward_steps())
    assert len(steps) == 1 and steps[0].node is x and steps[0].contributions == ()
    assert steps[0].total == 1


# -- deep chains -------------------------------------------------------------------


# Big graphs are built with the cyclic collector paused, as the app does (engine.collector):
# with it on, Python's collector rescans the growing graph again and again.


def test_million_node_chain_backpropagates():
    with collector_paused():
        x = Value(1.0, "x")
        c = Value(1.0, "c")
        y = x
        n = 1_000_000
        for _ in range(n):
            y = y * c
        y.backward()
        assert x.grad == 1.0
        assert c.grad == float(n)  # c is used by every node: a million contributions of 1.0
        del y  # freeing a million-deep chain must not crash either


def test_stepper_on_a_100k_deep_chain():
    with collector_paused():
        x = Value(0.5)
        y = x
        for _ in range(100_000):
            y = -y
        steps = 0
        for step in y.backward_steps():
            steps += 1
            last = step
        assert steps == 100_001 and last.node is x and last.position == last.total == steps
        assert x.grad == 1.0  # an even number of negations


@collector_paused()
def test_graph_walks_on_a_100k_deep_chain():
    x = Value(0.1, "x")
    c = Value(1.0, "c")
    y = x
    n = 100_000
    for _ in range(n):
        y = y * c + 0.0
    order = topological_order(y)
    assert len(order) == node_count(y) == 3 * n + 2
    assert order[-1] is y
    position = {id(node): i for i, node in enumerate(order)}
    assert all(position[id(i)] < position[id(node)] for node in order for i in node.inputs)
    users = consumers(y)
    assert len(users[c]) == n
    assert users[y] == []
    assert len(edges(y)) == 4 * n
    counts = op_counts(y)
    assert counts["*"] == n and counts["+"] == n and counts[""] == n + 2
    y.backward()
    assert x.grad == 1.0 and c.grad == pytest.approx(0.1 * n, rel=1e-9)
    dot = to_dot(y)
    assert dot.count("shape=record") == 3 * n + 2
    zero_grad(y)
    assert x.grad == 0.0 and c.grad == 0.0 and y.grad == 0.0
