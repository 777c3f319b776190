"""Graph tools (order, edges, consumers, counts, DOT, zero_grad), the gradient check,
the collector switch, and the absence of reference cycles."""

from __future__ import annotations

import gc
import math
import re
from types import SimpleNamespace

import pytest
from mg_tui.engine import (
    GradientReport,
    Value,
    check_gradients,
    collector_paused,
    consumers,
    edges,
    node_count,
    numerical_derivative,
    op_counts,
    to_dot,
    topological_order,
    zero_grad,
)


def small_graph():
    """A labelled graph with fan-out: `a` is used by two nodes, and twice by one."""
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    sq = a * a
    sq.label = "sq"
    ab = a * b
    ab.label = "ab"
    s = Value.sum([sq, ab, b])
    s.label = "s"
    out = s.tanh()
    out.label = "out"
    return SimpleNamespace(a=a, b=b, sq=sq, ab=ab, s=s, out=out, all=(a, b, sq, ab, s, out))


def test_topological_order_puts_inputs_first_and_each_node_once():
    g = small_graph()
    order = topological_order(g.out)
    assert len(order) == 6 and len(set(map(id, order))) == 6
    assert {id(n) for n in order} == {id(n) for n in g.all}
    assert order[-1] is g.out
    for i, node in enumerate(order):
        for x in node.inputs:
            assert order.index(x) < i


def test_topological_order_is_deterministic():
    first = [n.label for n in topological_order(small_graph().out)]
    again = [n.label for n in topological_order(small_graph().out)]
    assert first == again
    out = small_graph().out
    assert topological_order(out) == topological_order(out)


def test_edges_are_every_operand_use():
    pairs = [(x.label, n.label) for x, n in edges(small_graph().out)]
    want = [("a", "sq"), ("a", "sq"), ("a", "ab"), ("b", "ab")]
    want += [("sq", "s"), ("ab", "s"), ("b", "s"), ("s", "out")]
    assert sorted(pairs) == sorted(want)


def test_consumers_count_fan_out():
    g = small_graph()
    users = consumers(g.out)
    assert len(users) == 6
    assert sorted((n.label, i) for n, i in users[g.a]) == [("ab", 0), ("sq", 0), ("sq", 1)]
    assert sorted((n.label, i) for n, i in users[g.b]) == [("ab", 1), ("s", 2)]
    assert users[g.sq] == [(g.s, 0)]
    assert users[g.s] == [(g.out, 0)]
    assert users[g.out] == []


def test_node_count_and_op_counts():
    g = small_graph()
    assert node_count(g.out) == 6
    assert op_counts(g.out) == {"": 2, "*": 2, "sum": 1, "tanh": 1}
    assert node_count(g.a) == 1
    x = Value(1.0)
    y = x + 2  # the number becomes a leaf of its own
    assert node_count(y) == 3


def test_zero_grad_zeroes_every_node():
    graph = small_graph().all
    out = graph[-1]
    out.backward()
    assert all(n.grad != 0.0 for n in graph)
    zero_grad(out)
    assert all(n.grad == 0.0 for n in graph)
    out.backward()
    out.zero_grad()
    assert all(n.grad == 0.0 for n in graph)


def test_to_dot_has_one_record_per_node_and_one_edge_per_use():
    g = small_graph()
    a, out = g.a, g.out
    out.backward()
    dot = to_dot(out)
    assert dot.startswith("digraph")
    assert dot.rstrip().endswith("}")
    lines = dot.strip().splitlines()
    records = [ln for ln in lines if "shape=record" in ln]
    assert len(records) == node_count(out)
    declared = {ln.split()[0] for ln in lines[1:-1] if "->" not in ln and "[" in ln}
    arrows = [re.fullmatch(r"\s*(\w+) -> (\w+);", ln) for ln in lines if "->" in ln]
    assert all(arrows)
    for m in arrows:
        assert m.group(1) in declared and m.group(2) in declared
    # one arrow per operand use, plus one from each op to its result
    interior = [n for n in topological_order(out) if n.inputs]
    assert len(arrows) == len(edges(out)) + len(interior)
    assert f"{out.data:.4f}" in dot and f"{a.grad:.4f}" in dot
    assert dot.count("{") == dot.count("}")


def test_to_dot_escapes_labels():
    x = Value(1.0, label='a "quoted" {odd|label} <x>')
    y = x * 2
    dot = to_dot(y)
    record = next(ln for ln in dot.splitlines() if "quoted" in ln)
    # inside the quoted label, every special character is escaped
    inner = record.split('label="', 1)[1].rsplit('"]', 1)[0]
    assert re.search(r'(?<!\\)"', inner) is None
    for char in "|<>":
        assert f"\\{char}" in inner


# -- gradient check -------------------------------------------------------------------


def test_check_gradients_passes_a_correct_function():
    x, y = Value(0.7, "x"), Value(-1.2, "y")

    def f():
        return (x * y).tanh() + (x**2).exp() / (1 + y**2) + (x - y).relu()

    report = check_gradients(f, [x, y])
    assert isinstance(report, GradientReport)
    assert len(report.checks) == 2
    assert report.max_relative_error < 1e-7
    assert [c.value for c in report.checks] == [x, y]
    # afterwards the grads are the analytic ones, from one pass
    x.grad = y.grad = 0.0
    f().backward()
    analytic = (x.grad, y.grad)
    check_gradients(f, [x, y])
    assert (x.grad, y.grad) == analytic


def test_check_gradients_catches_a_wrong_local_derivative():
    x, y = Value(1.5, "x"), Value(0.5, "y")

    def cube(v: Value) -> Value:
        # a custom node whose stored local derivative is wrong: 2x**2 instead of 3x**2
        return Value(v.data**3, "", (v,), (2.0 * v.data**2,), "cube")

    def f():
        return cube(x) * y

    report = check_gradients(f, [x, y])
    assert report.worst.value is x
    assert report.max_relative_error == pytest.approx(1 / 3, rel=1e-4)
    assert report.worst.analytic == pytest.approx(2.0 * 1.5**2 * 0.5)
    assert report.worst.numerical == pytest.approx(3.0 * 1.5**2 * 0.5, rel=1e-6)


def test_numerical_derivative_restores_the_value():
    x = Value(0.3)
    d = numerical_derivative(lambda: (x * 3).exp(), x)
    assert d == pytest.approx(3 * math.exp(0.9), rel=1e-8)
    assert x.data == 0.3

    def failing():
        if x.data > 0.3:
            raise RuntimeError("boom")
        return x * 1

    with pytest.raises(RuntimeError):
        numerical_derivative(failing, x)
    assert x.data == 0.3


def test_empty_report():
    report = check_gradients(lambda: Value(1.0) * 2, [])
    assert report.max_relative_error == 0.0 and report.worst is None


# -- the cyclic garbage collector ---------------------------------------------------------


def test_collector_paused_disables_and_restores():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # still inside the outer block
    assert gc.isenabled()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_collector_paused_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def build_and_use_a_graph() -> None:
    xs = [Value(float(i) / 7, f"x{i}") for i in range(20)]
    w = Value(0.3, "w")
    h = [(x * w + 1).tanh() for x in xs]
    loss = Value.sum(hi**2 for hi in h) / len(h) + (w.exp() - xs[3]).relu().sigmoid()
    loss = loss + sum(h[:5]) ** Value(1.5) - (2 ** xs[4]).log()
    loss.backward()
    steps = list(loss.backward_steps())
    steps[-1].undo()
    to_dot(loss)
    consumers(loss)
    edges(loss)
    check_gradients(lambda: (w * xs[2]).tanh(), [w])


def test_graphs_make_no_reference_cycles():
    build_and_use_a_graph()  # warm up: caches, imports
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        before = sum(1 for o in gc.get_objects() if type(o) is Value)
        build_and_use_a_graph()
        after = sum(1 for o in gc.get_objects() if type(o) is Value)
        unreachable = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert after == before, "reference counting alone did not free the graph"
    assert unreachable == 0, "the graph left cyclic garbage"


def test_a_cycle_would_be_detected():
    # The check above can fail: a node that refers to itself is only freed by the collector.
    gc.collect()
    gc.disable()
    try:
        v = Value(1.0)
        v.label = [v]  # a deliberate cycle through the label slot
        del v
        unreachable = gc.collect()
    finally:
        gc.enable()
    assert unreachable >= 2
