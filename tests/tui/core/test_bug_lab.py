"""The bug lab's lessons: each mistake run for real, its wrong numbers and the right ones.

Every expected number here is derived by hand in the comments (or by plain float
arithmetic written out in the test), never read back from tui/core/bug_lab.py.
"""

from __future__ import annotations

import inspect
import math
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from mg_tui.engine import Value, backprop, functions, graph, topological_order
from mg_tui.engine import value as value_module
from mg_tui.engine.program import parse_program
from mg_tui.nn import module, trainer
from mg_tui.tui.core import bug_lab
from mg_tui.tui.core.lessons import lesson

ROOT = Path(__file__).resolve().parents[3]


def facts(key: str) -> dict[str, float | str]:
    found = dict(lesson(key).facts())
    assert len(found) == len(lesson(key).facts())  # every fact has its own name
    return found


# -- = instead of += -------------------------------------------------------------------------------


def test_assigning_backward_gives_a_grad_1_instead_of_2_on_b_equals_a_plus_a():
    # b = a + a: the + node sends 1 to each operand; both are a. Added: 2. Assigned: the
    # second 1 replaces the first, so 1.
    got = facts("bug-assign")
    assert got["b = a + a: a.grad with = (wrong)"] == 1.0
    assert got["b = a + a: a.grad with += (engine)"] == 2.0


def test_assigning_backward_on_the_lectures_second_example():
    # f = d*e, d = a*b, e = a+b at a = -2, b = 3: d = -6, e = 1, f = -6.
    # Right: df/da = e*b + d*1 = 3 - 6 = -3; df/db = e*a + d*1 = -2 - 6 = -8.
    # Wrong, in the engine's reverse topological order f, e, d: f sets d.grad = e = 1 and
    # e.grad = d = -6; e (a+b) sets a.grad = b.grad = -6; d (a*b) then sets
    # a.grad = b * 1 = 3 and b.grad = a * 1 = -2, replacing e's.
    got = facts("bug-assign")
    assert got["f = (a*b)*(a+b): a.grad with = (wrong)"] == 3.0
    assert got["f = (a*b)*(a+b): b.grad with = (wrong)"] == -2.0
    assert got["f = (a*b)*(a+b): a.grad with += (engine)"] == -3.0
    assert got["f = (a*b)*(a+b): b.grad with += (engine)"] == -8.0
    text = lesson("bug-assign").text
    assert "1 instead of 2" in text and "3 instead of -3" in text and "-2 instead of -8" in text


def test_the_assigning_backward_is_right_where_nothing_is_shared():
    """Only the `=` differs: on a graph without fan-out it agrees with the engine."""
    x, y = Value(3.0, "x"), Value(-2.0, "y")
    out = (x * y).tanh()
    bug_lab.buggy_backward_assigning(out)
    assert (x.grad, y.grad) == pytest.approx((y.data * (1 - out.data**2), 3.0 * (1 - out.data**2)))


# -- a recursive backward without the topological order --------------------------------------------


def test_recursive_backward_on_pr_64s_example():
    # a = 1, b = a + a, c = b + b: c = 4a, so dc/db = 2 and dc/da = 4.
    # Recursive: c's rule gives b 1 + 1 = 2. c's operands are (b, b): b is visited twice,
    # and each visit sends b.grad = 2 down both of its edges to a: 4 + 4 = 8.
    got = facts("bug-order")
    assert got["c = b + b"] == 4.0
    assert got["c: rules ran, recursive"] == "c, b, b"
    assert got["c: rules ran, engine"] == "c, b"
    assert got["c: b.grad, recursive"] == 2.0 and got["c: b.grad, engine"] == 2.0
    assert got["c: a.grad, recursive (wrong)"] == 8.0
    assert got["c: a.grad, engine"] == 4.0


def test_recursive_backward_one_doubling_deeper():
    # d = c + c = 8a. Recursive: d gives c 2. Visit c (1st): b += 2 + 2 = 4; visit b twice:
    # a += 4 + 4 each time: 16. Visit c (2nd): b += 4: 8; visit b twice: a += 8 + 8 each
    # time: 16 + 32 = 48. The engine: c 2, b 4, a 8.
    got = facts("bug-order")
    assert got["d = c + c"] == 8.0
    assert got["d: rules ran, recursive"] == "d, c, b, b, c, b, b"
    assert got["d: rules ran, engine"] == "d, c, b"
    assert (got["d: c.grad, recursive"], got["d: c.grad, engine"]) == (2.0, 2.0)
    assert (got["d: b.grad, recursive (wrong)"], got["d: b.grad, engine"]) == (8.0, 4.0)
    assert (got["d: a.grad, recursive (wrong)"], got["d: a.grad, engine"]) == (48.0, 8.0)
    text = lesson("bug-order").text
    assert "a.grad comes out 8" in text and "48 instead of 8" in text


def test_the_recursive_backward_is_right_on_a_tree():
    """On a graph where nothing is used twice, recursion in any order is fine."""
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    out = a * b + c
    ran = bug_lab.naive_recursive_backward(out)
    assert len(ran) == 2
    assert (a.grad, b.grad, c.grad) == (-3.0, 2.0, 1.0)


# -- zero_grad forgotten ---------------------------------------------------------------------------


def by_hand_losses(zero_grad: bool, steps: int = 10) -> tuple[list[float], list[float]]:
    """loss = (2w - 4)**2, dloss/dw = 4(2w - 4); w from 0, lr 0.05. The losses and ws."""
    w, total, losses, ws = 0.0, 0.0, [], []
    for _ in range(steps):
        losses.append((2 * w - 4) ** 2)
        grad = 4 * (2 * w - 4)
        total = grad if zero_grad else total + grad
        w -= 0.05 * total
        ws.append(w)
    return losses, ws


def test_zero_grad_forgotten_the_loss_sequences():
    got = facts("bug-zero-grad")
    right, _ = by_hand_losses(zero_grad=True)
    wrong, ws = by_hand_losses(zero_grad=False)
    # With zero_grad: w -> 0.6 w + 0.8, so w - 2 shrinks by 0.6 and the loss by 0.36.
    assert right == pytest.approx([16 * 0.36**k for k in range(10)], rel=1e-12)
    # Forgotten: the grads sum. w1 = 0.8; w2 = 0.8 + 0.05 * (16 + 9.6) = 2.08;
    # w3 = 2.08 + 0.05 * (25.6 - 0.64) = 3.328: losses 16, 5.76, 0.0256, 7.054336.
    assert wrong[:4] == pytest.approx([16.0, 5.76, 0.0256, 7.054336], abs=1e-12)
    assert got["loss at step 10 with zero_grad"] == pytest.approx(right[-1], rel=1e-12)
    assert got["loss at step 10, zero_grad forgotten"] == pytest.approx(wrong[-1], rel=1e-12)
    shown_right = [float(x) for x in got["loss, steps 1 to 10, with zero_grad"].split(", ")]
    shown_wrong = [float(x) for x in got["loss, steps 1 to 10, zero_grad forgotten"].split(", ")]
    assert shown_right == pytest.approx(right, rel=1e-3)  # 4 significant digits
    assert shown_wrong == pytest.approx(wrong, rel=1e-3)
    rises = sum(b > a for a, b in pairwise(wrong))
    assert got["steps where the loss rose, zero_grad forgotten"] == rises >= 2
    assert got["steps where the loss rose, with zero_grad"] == 0
    assert max(ws) > 2  # "past the minimum at 2"
    text = lesson("bug-zero-grad").text
    assert "by a factor 0.36 each time" in text and "learning rate 0.05, 10 steps" in text


def test_the_zero_grad_lessons_graph_is_its_first_loss():
    root = lesson("bug-zero-grad").build()
    assert (root.label, root.data) == ("loss", 16.0)
    root.backward()
    [w] = [n for n in topological_order(root) if n.label == "w"]
    assert w.grad == -16.0  # 4 * (2*0 - 4)


# -- tanh from exp ---------------------------------------------------------------------------------


def test_naive_tanh_overflows_at_355_and_the_engines_gives_1():
    got = facts("bug-tanh")
    assert got["math.exp(2*355)"] == "OverflowError: math range error"
    assert got["naive tanh(355)"] == "OverflowError: math range error"
    assert got["naive tanh on Values at 355"] == "OverflowError: exp: exp(710.0) overflows a float"
    assert got["naive tanh(354)"] == 1.0  # e**708 is about 3e307: (e - 1)/(e + 1) rounds to 1
    assert got["largest x before exp(2x) overflows"] == pytest.approx(709.78 / 2, abs=0.01)
    assert got["engine tanh(355)"] == 1.0
    assert got["engine dtanh/dx at 355 (1 - t**2)"] == 0.0
    assert got["math.tanh(-355)"] == -1.0
    with pytest.raises(OverflowError, match="math range error"):
        math.exp(710)
    assert "709.78" in lesson("bug-tanh").text


def test_the_naive_formula_is_right_where_it_does_not_overflow():
    for x in (-3.0, -0.5, 0.0, 0.25, 2.0):
        assert bug_lab.naive_tanh(x) == pytest.approx(math.tanh(x), abs=1e-15)
        assert bug_lab.naive_tanh_value(Value(x)).data == pytest.approx(math.tanh(x), abs=1e-15)


# -- recursion depth -------------------------------------------------------------------------------


def test_recursive_topological_sort_fails_on_the_5000_deep_chain_and_the_engines_works():
    assert sys.getrecursionlimit() < 5000  # the limit as it is, here as in the app
    got = facts("bug-depth")
    assert got["chain depth (additions)"] == 5000
    assert got["sys.getrecursionlimit()"] == sys.getrecursionlimit()
    assert str(got["recursive build_topo"]).startswith(
        "RecursionError: maximum recursion depth exceeded"
    )
    assert got["engine topological_order(): nodes"] == 1 + 5000 + 5000  # x, 5000 ones, 5000 sums
    assert got["engine backward(): dy/dx"] == 1.0  # y = x + 5000


def test_the_recursive_sort_is_micrograds_walk_and_right_when_shallow():
    root = bug_lab.chain(50)
    assert root.data == 50.0
    assert bug_lab.recursive_topological_order(root) == topological_order(root)
    run = bug_lab.run_depth(50)
    assert (run.recursive, run.nodes, run.x_grad) == (101, 101, 1.0)


def test_the_depth_lessons_graph_is_the_chain():
    root = lesson("bug-depth").build()
    assert (root.label, root.data) == ("y", 5000.0)
    depth, node = 0, root
    while node.inputs:
        node, depth = node.inputs[0], depth + 1
    assert (depth, node.label) == (5000, "x")


# -- each lesson points at the code that does it right ---------------------------------------------

POINTERS = {
    # lesson: (file named in the text, function named in the text, the object, what it contains)
    "bug-assign": [
        ("engine/backprop.py", "propagate()", backprop.propagate, "x.grad += d * g"),
        ("engine/backprop.py", "backward()", backprop.backward, "x.grad += d * g"),
    ],
    "bug-order": [
        ("engine/backprop.py", "backward()", backprop.backward, "reversed(order)"),
        ("engine/backprop.py", "_interior_order(root)", backprop.backward, "_interior_order(root)"),
        ("engine/graph.py", "topological_order()", graph.topological_order, "stack"),
    ],
    "bug-zero-grad": [
        ("nn/trainer.py", "Trainer.forward()", trainer.Trainer.forward, "self.model.zero_grad()"),
        ("nn/module.py", "Module.zero_grad()", module.Module.zero_grad, "p.grad = 0.0"),
    ],
    "bug-tanh": [
        ("engine/functions.py", "tanh = math.tanh", functions, "\ntanh = math.tanh\n"),
        ("engine/functions.py", "d_tanh()", functions.d_tanh, "1.0 - y * y"),
        ("engine/functions.py", "sigmoid()", functions.sigmoid, "mirrored"),
        ("engine/value.py", "Value.tanh()", value_module.Value.tanh, "functions.d_tanh(x, y)"),
    ],
    "bug-depth": [
        ("engine/graph.py", "topological_order()", graph.topological_order, "stack.append"),
        ("engine/backprop.py", "_interior_order()", backprop._interior_order, "stack.append"),
    ],
}


@pytest.mark.parametrize("key", sorted(POINTERS))
def test_each_bug_lab_lesson_points_at_the_real_code(key):
    text = lesson(key).text
    for path, function, obj, snippet in POINTERS[key]:
        assert (ROOT / path).is_file(), path
        assert path in text and function in text, (key, path, function)
        assert snippet in inspect.getsource(obj), (key, function, snippet)
        assert Path(inspect.getsourcefile(obj)).resolve() == (ROOT / path).resolve()


def test_the_engines_walks_do_not_recurse():
    for walk in (graph.topological_order, backprop._interior_order):
        body = inspect.getsource(walk).split(":", 1)[1]
        assert f"{walk.__name__}(" not in body


def test_check_refuses_a_text_where_a_number_is_expected():
    entry = lesson("bug-tanh")
    wrong = [(name, "OverflowError: math range error") for name, _ in entry.facts()]
    problems = entry.check(wrong)
    assert problems and all("not a number" in p for p in problems)


def test_every_bug_lab_graph_is_its_expression():
    for key in ("bug-assign", "bug-order", "bug-zero-grad", "bug-tanh"):
        entry = lesson(key)
        built = parse_program(entry.expression).build(dict(entry.values))
        assert built.data == entry.build().data and built.label == entry.build().label
