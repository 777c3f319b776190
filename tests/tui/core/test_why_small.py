"""Why is this grad small: each cause, found from the numbers of small graphs built here."""

from __future__ import annotations

from mg_tui.engine import Value
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.why_small import why_small


def explain(root: Value, node: Value) -> list[str] | None:
    root.backward()
    return why_small(node, GraphIndex.build(root))


def test_a_dead_relu_names_its_input() -> None:
    x, w = Value(-0.5, "x"), Value(2.0, "w")
    h = x * w  # -1.0
    out = h.relu() * Value(3.0, "v")
    (cause,) = explain(out, h)
    assert cause.startswith("dead ReLU") and "-1.0" in cause


def test_a_saturated_tanh_gives_its_output_and_local_grad() -> None:
    x = Value(5.0, "x")  # tanh(5) = 0.99991, local grad 1 - t² = 1.8e-4
    out = x.tanh()
    (cause,) = explain(out, x)
    assert cause.startswith("saturated tanh")
    assert "0.9999" in cause and "0.0001816" in cause  # 1 - tanh(5)²


def test_a_zero_factor_is_named() -> None:
    w, x = Value(0.7, "w"), Value(0.0, "x")
    out = w * x
    (cause,) = explain(out, w)
    assert cause.startswith("multiplied by x = 0")


def test_a_value_nothing_uses_says_so() -> None:
    out = Value(2.0, "a") * Value(3.0, "b")
    lonely = Value(1.0, "z")
    index = GraphIndex.build(out)
    out.backward()
    index.users.setdefault(lonely, [])  # a leaf in the index that no op consumes
    assert why_small(lonely, index)[0].startswith("nothing uses this value")


def test_the_cause_is_followed_up_the_consumers() -> None:
    x = Value(-1.0, "x")
    r = x.relu()  # dead: 0
    y = r * Value(2.0, "w")
    out = y + Value(1.0, "b")
    # x's grad is 0 because relu is dead at x; r's grad is 2 (not small)
    assert explain(out, x)[0].startswith("dead ReLU")
    # w's grad is r.data = 0: the factor 0
    w = y.inputs[1]
    assert why_small(w, GraphIndex.build(out))[0].startswith("multiplied by relu = 0")


def test_cancelling_contributions_are_shown() -> None:
    a = Value(3.0, "a")
    out = a - a
    (cause,) = explain(out, a)
    assert cause == "its contributions cancel: 1.0 + -1.0 = 0.0"


def test_a_grad_that_is_not_small_has_no_explanation() -> None:
    a = Value(3.0, "a")
    out = a * Value(2.0, "b")
    assert explain(out, a) is None
    assert why_small(out, GraphIndex.build(out)) is None  # the root's grad is 1


def test_a_walk_part_way_says_backward_has_not_finished() -> None:
    from mg_tui.tui.core.graphs import GraphSource, StaticTrainer
    from mg_tui.tui.core.walk import BackwardController

    trainer = StaticTrainer(GraphSource.from_expression("tanh(a*b)", {"a": 2, "b": -3}))
    out = trainer.forward()
    index = GraphIndex.build(out)
    walk = BackwardController(trainer)
    walk.start(index)
    walk.step()  # tanh done; a still waits on the * node
    a = out.inputs[0].inputs[0]
    (cause,) = why_small(a, index, walk)
    assert cause.startswith("backward has not finished")
