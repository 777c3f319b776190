"""Our engine against PyTorch's float64 numbers, stored in tests/fixtures/torch_reference.json.

The fixtures are written by tests/make_torch_fixtures.py (torch==2.13.0); see its docstring
for the graph description format, which this module interprets with our engine. Torch is
not imported here.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
from mg_tui.engine import Value

FIXTURES = Path(__file__).parent.parent / "fixtures" / "torch_reference.json"
DATA = json.loads(FIXTURES.read_text())
ALL_OPS = {"+", "-", "*", "/", "**", "neg", "exp", "log", "tanh", "relu", "sigmoid", "sum"}
ALL_OPS |= {"builtin_sum", "logsumexp"}
NARY = ("sum", "builtin_sum", "logsumexp")


def operand(a, nodes: list[Value]):
    return float(a["k"]) if isinstance(a, dict) else nodes[a]


def build(case: dict) -> list[Value]:
    """One Value per described node, leaves first; the last one is the output."""
    nodes = [Value(x) for x in case["leaves"]]
    for op, *args in case["nodes"]:
        if op == "sum":
            nodes.append(Value.sum([operand(a, nodes) for a in args[0]]))
        elif op == "builtin_sum":
            nodes.append(sum(operand(a, nodes) for a in args[0]))
        elif op == "logsumexp":
            nodes.append(Value.logsumexp([operand(a, nodes) for a in args[0]]))
        elif len(args) == 2:
            a, b = operand(args[0], nodes), operand(args[1], nodes)
            if op == "+":
                nodes.append(a + b)
            elif op == "-":
                nodes.append(a - b)
            elif op == "*":
                nodes.append(a * b)
            elif op == "/":
                nodes.append(a / b)
            elif op == "**":
                nodes.append(a**b)
            else:
                raise AssertionError(f"unknown binary op {op}")
        else:
            x = nodes[args[0]]
            nodes.append(-x if op == "neg" else getattr(x, op)())
    return nodes


def assert_close(got: list[float], want: list[float], what: str) -> None:
    # 1e-9 relative, plus a floor relative to the case's largest magnitude: where a sum
    # cancels, float64 rounding of the terms (ours or torch's) is all that is left.
    scale = max(abs(w) for w in want)
    for i, (g, w) in enumerate(zip(got, want)):
        assert math.isfinite(g) == math.isfinite(w), (what, i, g, w)
        tolerance = 1e-9 * max(abs(g), abs(w)) + 1e-12 * scale
        assert abs(g - w) <= tolerance, f"{what} of node {i}: ours {g!r}, torch {w!r}"


def check(case: dict) -> None:
    nodes = build(case)
    assert len(nodes) == len(case["values"])
    assert_close([n.data for n in nodes], case["values"], "value")
    nodes[-1].backward()
    assert_close([n.grad for n in nodes], case["grads"], "grad")


@pytest.mark.parametrize("case", DATA["ops"], ids=[c["name"] for c in DATA["ops"]])
def test_every_op_against_torch(case):
    check(case)


def test_random_graphs_against_torch():
    failures = []
    for case in DATA["graphs"]:
        try:
            check(case)
        except AssertionError as error:
            failures.append(f"{case['name']}: {error}")
    assert not failures, "\n".join(failures[:10])


def test_fixtures_cover_every_op_and_hundreds_of_graphs():
    assert DATA["torch_version"] == "2.13.0"
    graphs = DATA["graphs"]
    assert len(graphs) >= 300
    in_ops = Counter(op for c in DATA["ops"] for op, *_ in c["nodes"])
    in_graphs = Counter(op for c in graphs for op, *_ in c["nodes"])
    assert set(in_ops) == ALL_OPS
    assert set(in_graphs) == ALL_OPS
    assert min(in_graphs.values()) >= 50
    # numbers on either side, and exponents that are numbers and Values
    sides = Counter(
        tuple(isinstance(a, dict) for a in args) for c in graphs for op, *args in c["nodes"]
    )
    assert sides[(True, False)] > 0 and sides[(False, True)] > 0 and sides[(False, False)] > 0
    # fan-out: some node is used more than once, somewhere even twice by the same node
    reused = twice_by_one = 0
    for c in graphs:
        uses = Counter()
        for op, *args in c["nodes"]:
            flat = [a for a in (args[0] if op in NARY else args) if isinstance(a, int)]
            uses.update(flat)
            twice_by_one += len(flat) != len(set(flat))
        reused += any(n > 1 for n in uses.values())
    assert reused > 100 and twice_by_one > 10
