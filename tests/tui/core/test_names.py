"""Names of nodes: per-sample nodes say their sample (from the roles, never a label), and an
unlabelled node reads as the expression it computes."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value, topological_order
from mg_tui.engine.expression import parse_expression
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.names import consumer_name, node_name, short_name

CONFIGS = {
    "default": RunConfig(),
    "batch, l2, svm": RunConfig(
        dataset="moons", samples=12, arch=(3,), batch_size=5, l2=0.01, loss="svm", seed=2
    ),
}


def indexed(config: RunConfig):
    trainer = build_trainer(config)
    trainer.forward()
    return trainer, GraphIndex.build(trainer.graph, trainer.roles)


def rows_below(value: Value, roles) -> set[int]:
    """Every data set row `value` is computed from, by brute force over its whole subgraph."""
    return {roles[u].sample for u in topological_order(value) if u in roles} - {None}


@pytest.mark.parametrize("config", CONFIGS.values(), ids=CONFIGS.keys())
def test_a_node_belongs_to_a_sample_exactly_when_all_its_data_is_of_that_row(config):
    trainer, index = indexed(config)
    per_sample = 0
    for value in topological_order(trainer.graph):
        rows = rows_below(value, trainer.roles)
        expected = next(iter(rows)) if len(rows) == 1 else None
        assert index.sample_of(value) == expected, value
        per_sample += expected is not None
    assert per_sample > len(trainer.batch) * 10  # the batch's copies of the network
    assert index.sample_of(trainer.graph) is None  # the loss mixes every row
    for p in trainer.model.parameters():
        assert index.sample_of(p) is None  # shared by every sample


def test_each_samples_copy_of_a_neuron_has_its_own_name_and_parameters_none():
    trainer, index = indexed(RunConfig())  # 3-4-4-1 on the 4 rows of `tiny`
    neuron = trainer.model.layers[0].neurons[2]  # L1.N3
    names = {}
    for row, pred in zip(trainer.batch, trainer.predictions):
        (node,) = [v for v in topological_order(pred) if v.label == neuron.name]
        names[row] = node_name(node, index).text
        assert short_name(node, index) == ("L1.N3", f"[{row}]")
    assert names == {0: "L1.N3[0]", 1: "L1.N3[1]", 2: "L1.N3[2]", 3: "L1.N3[3]"}
    for p in neuron.parameters():
        assert node_name(p, index).text == p.label  # `L1.N3.w0`, no sample
    for row, pred in zip(trainer.batch, trainer.predictions):
        assert node_name(pred, index).text == f"pred[{row}]"  # its label says its row


def test_the_loss_terms_read_as_what_they_compute():
    trainer, index = indexed(RunConfig(loss="sse"))
    terms = trainer.graph.inputs
    assert [node_name(t, index).text for t in terms] == [
        f"(pred[{i}] - y[{i}])**2" for i in range(4)
    ]
    difference = terms[2].inputs[0]
    assert node_name(difference, index).text == "pred[2] - y[2]"
    assert consumer_name(terms[2], difference, index).text == "(pred[2] - y[2])**2"
    assert node_name(terms[2], index).grad() == "((pred[2] - y[2])**2).grad"


def test_an_expression_graph_reads_as_its_expression():
    root = parse_expression("tanh(a*b + c)").build({"a": 2.0, "b": -3.0, "c": 10.0})
    index = GraphIndex.build(root)
    total = root.inputs[0]
    product = total.inputs[0]
    assert node_name(root, index).text == "tanh(a*b + c)"
    assert node_name(total, index).text == "a*b + c"
    assert consumer_name(root, total, index).text == "tanh(a*b + c)"
    assert consumer_name(total, product, index).text == "a*b + c"
    assert short_name(total, index) == ("+", "")  # no sample outside a network


@pytest.mark.parametrize(
    "text",
    [
        "tanh(a*b + c)",
        "a - (b - c)",
        "(a - b) - c",
        "-(a - b)**2/c",
        "a/(b*c)",
        "(a + b)*(c + a)",
        "a**b + exp(-a)",
        "(-a)**2",
        "-a**2",
        "2*a + a*a - 3",
        "a/b/c",
        "sigmoid(a) * relu(b - c)",
    ],
)
def test_a_name_written_out_in_full_computes_the_nodes_value(text):
    """The operands' order and grouping survive: Python evaluates the name to the data."""
    values = {"a": 1.7, "b": 0.6, "c": 2.3}
    root = parse_expression(text).build(values)
    name = node_name(root, GraphIndex.build(root), width=200).text
    assert "…" not in name
    scope = {
        **values,
        "tanh": math.tanh,
        "exp": math.exp,
        "relu": lambda x: max(x, 0.0),
        "sigmoid": lambda x: 1 / (1 + math.exp(-x)),
    }
    assert eval(name, scope) == pytest.approx(root.data, rel=1e-12), name


def test_a_long_expression_is_shortened_to_the_width_keeping_the_named_operand():
    trainer, index = indexed(RunConfig(dataset="moons", samples=4, arch=(8,), seed=1))
    neuron_sum = trainer.predictions[0].inputs[0]  # b + w0*h0 + … + w7*h7
    for width in (12, 20, 30):
        name = node_name(neuron_sum, index, width).text
        assert len(name) <= width or name.count("…") >= 1
        assert "…" in name
    product = neuron_sum.inputs[5]
    shown = consumer_name(neuron_sum, product, index, 34).text
    assert node_name(product, index, 34).text in shown  # the operand itself is named
    assert shown.startswith("… + ") and shown.endswith(" + …")


def test_no_name_is_made_of_operators_only():
    """Whatever the node, its name and its consumers' names contain a name or a number."""
    for config in (*CONFIGS.values(), RunConfig(loss="bce", activation="sigmoid")):
        trainer, index = indexed(config)
        for value in topological_order(trainer.graph):
            names = [node_name(value, index, 34).text]
            names += [consumer_name(c, value, index, 34).text for c, _ in index.consumers(value)]
            for name in names:
                assert any(ch.isalnum() for ch in name), name
