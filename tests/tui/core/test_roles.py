"""Node roles are data the Trainer records, never parsed back from a label."""

from __future__ import annotations

from mg_tui.engine import Value, topological_order
from mg_tui.nn import MLP, Role, Trainer, load_dataset
from mg_tui.tui.core.graph_index import GraphIndex, kind


def tiny_forward() -> Trainer:
    trainer = Trainer(MLP(3, [4, 4, 1], seed=0), load_dataset("tiny"))
    trainer.forward()
    return trainer


def test_forward_records_every_parameter_input_target_and_prediction():
    trainer = tiny_forward()
    roles = trainer.roles
    params = trainer.model.parameters()
    assert all(roles[p] == Role("param") for p in params)
    inputs = [r for r in roles.values() if r.kind == "input"]
    every_cell = [(i, j) for i in range(4) for j in range(3)]
    assert sorted((r.sample, r.feature) for r in inputs) == every_cell
    assert sorted(r.sample for r in roles.values() if r.kind == "target") == [0, 1, 2, 3]
    preds = {v: r for v, r in roles.items() if r.kind == "prediction"}
    assert list(preds) == trainer.predictions and [r.sample for r in preds.values()] == [0, 1, 2, 3]
    # every leaf of the graph that carries a name has a role
    leaves = [v for v in topological_order(trainer.graph) if not v.inputs and v.label]
    assert all(v in roles for v in leaves)
    targets = [v for v, r in roles.items() if r.kind == "target"]
    assert [v.data for v in targets] == list(trainer.dataset.ys)


def test_kind_follows_the_role_not_the_label():
    trainer = tiny_forward()
    index = GraphIndex.build(trainer.graph, trainer.roles)
    w = trainer.model.parameters()[0]
    x = next(v for v, r in trainer.roles.items() if r.kind == "input")
    w.label, x.label = "x[0][0]", "L1.N1.w0"  # names that would fool a parser
    assert kind(w, index.roles) == "param"
    assert kind(x, index.roles) == "input"
    # without roles (an expression), a named leaf is a variable and a bare number a constant
    assert kind(Value(2.0, "x[1][2]")) == "param"
    assert kind(Value(2.0)) == "const"
    assert kind(trainer.graph, index.roles) == "op"
