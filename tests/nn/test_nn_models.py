"""Models: the seeds' 41-parameter network, labels, seeding, repr, state dicts."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value
from mg_tui.nn import MLP, Layer, Module, Neuron


def test_seed_network_has_41_parameters() -> None:
    model = MLP(3, [4, 4, 1])
    assert model.num_parameters() == 41
    assert len(model.parameters()) == 16 + 20 + 5
    assert model.architecture == "3-4-4-1"
    assert model.activation == model.output_activation == "tanh"


def test_micrograd_demo_model_shape() -> None:
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear")
    assert model.num_parameters() == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1)
    assert [n.activation for n in model.layers[0].neurons] == ["relu"] * 16
    assert model.layers[-1].neurons[0].activation == "linear"


def test_labels_say_where_each_parameter_lives() -> None:
    labels = list(MLP(3, [4, 4, 1], seed=0).state_dict())
    assert labels[:5] == ["L1.N1.w0", "L1.N1.w1", "L1.N1.w2", "L1.N1.b", "L1.N2.w0"]
    assert labels[-5:] == ["L3.N1.w0", "L3.N1.w1", "L3.N1.w2", "L3.N1.w3", "L3.N1.b"]
    assert "L2.N3.w2" in labels
    assert len(set(labels)) == 41


def test_initial_weights_uniform_biases_zero() -> None:
    model = MLP(3, [4, 4, 1], seed=3)
    for layer in model.layers:
        for neuron in layer.neurons:
            assert neuron.b.data == 0.0
            assert all(-1.0 <= w.data <= 1.0 for w in neuron.w)


def test_same_seed_same_model_other_seed_other_model() -> None:
    a = MLP(3, [4, 4, 1], seed=7).state_dict()
    assert a == MLP(3, [4, 4, 1], seed=7).state_dict()
    assert a != MLP(3, [4, 4, 1], seed=8).state_dict()


def test_neuron_is_one_sum_node_then_activation() -> None:
    neuron = Neuron(3, rng=None, name="L1.N2")
    out = neuron([1.0, 2.0, 3.0])
    assert out.op == "tanh"
    (pre,) = out.inputs
    assert pre.op == "sum"
    assert len(pre.inputs) == 4  # b + three products
    assert pre.inputs[0] is neuron.b
    expected = sum(w.data * x for w, x in zip(neuron.w, [1.0, 2.0, 3.0]))
    assert out.data == pytest.approx(math.tanh(expected))


def test_forward_matches_evaluate_on_floats() -> None:
    for act, out_act in [("tanh", None), ("relu", "linear"), ("sigmoid", "sigmoid")]:
        model = MLP(2, [5, 3, 1], activation=act, output_activation=out_act, seed=1)
        for x in [(0.3, -0.7), (2.0, 1.5)]:
            assert model(list(x)).data == pytest.approx(model.evaluate(x), abs=1e-12)


def test_zero_grad() -> None:
    model = MLP(3, [4, 4, 1], seed=0)
    model([2.0, 3.0, -1.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_repr_is_readable() -> None:
    text = repr(MLP(3, [4, 1], activation="relu", output_activation="linear"))
    assert text == (
        "MLP of [Layer of [ReluNeuron(3), ReluNeuron(3), ReluNeuron(3), ReluNeuron(3)], "
        "Layer of [LinearNeuron(4)]]"
    )
    assert repr(Module()) == "Module(0 parameters)"
    assert repr(Layer(2, 1)) == "Layer of [TanhNeuron(2)]"


def test_state_dict_round_trip_is_exact() -> None:
    source, target = MLP(3, [4, 4, 1], seed=1), MLP(3, [4, 4, 1], seed=2)
    target.load_state_dict(source.state_dict())
    assert target.state_dict() == source.state_dict()
    x = [2.0, 3.0, -1.0]
    assert target(x).data == source(x).data


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.pop("L2.N1.w3"), "missing L2.N1.w3"),
        (lambda s: s.update({"L9.N1.b": 1.0}), "unexpected L9.N1.b"),
        (lambda s: s.update({"L1.N1.b": "x"}), "not a finite number"),
        (lambda s: s.update({"L1.N1.b": math.nan}), "not a finite number"),
        (lambda s: s.update({"L1.N1.b": True}), "not a finite number"),
    ],
)
def test_load_state_dict_mismatch_changes_nothing(edit, message) -> None:
    model = MLP(3, [4, 4, 1], seed=1)
    before = model.state_dict()
    state = MLP(3, [4, 4, 1], seed=2).state_dict()
    edit(state)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_load_state_dict_from_other_architecture() -> None:
    model = MLP(3, [4, 4, 1], seed=1)
    with pytest.raises(ValueError, match=r"missing .* and \d+ more"):
        model.load_state_dict(MLP(3, [2, 1]).state_dict())


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLP(0, [1]),
        lambda: MLP(2, []),
        lambda: MLP(2, [0, 1]),
        lambda: MLP(2, [1], activation="swish"),
        lambda: Neuron(0),
    ],
)
def test_bad_models_are_refused(make) -> None:
    with pytest.raises(ValueError):
        make()


def test_neuron_checks_input_width() -> None:
    with pytest.raises(ValueError, match="expects 3 inputs, got 2"):
        Neuron(3)([1.0, Value(2.0)])


def test_neuron_outputs_carry_the_neuron_name() -> None:
    model = MLP(2, [2, 1], activation="relu", output_activation="linear", seed=0)
    out = model([0.5, -0.5])
    assert out.label == "L2.N1" and out.op == "sum"
    hidden = [x for x in out.inputs[1].inputs if x.label.startswith("L1.")]
    assert hidden and hidden[0].label == "L1.N1"


def test_the_float_forward_pass_is_the_graph_to_the_bit() -> None:
    """MLP.evaluate (plots, grids, the gradient check's float loss) adds in the same order
    as the graph's sum nodes, so it gives the same number for every activation."""
    import random as stdlib_random

    rng = stdlib_random.Random(7)
    for activation in ("tanh", "relu", "sigmoid", "linear"):
        model = MLP(2, [5, 3, 1], activation=activation, seed=3)
        for _ in range(20):
            point = [rng.uniform(-2, 2), rng.uniform(-2, 2)]
            assert model.evaluate(point) == model(point).data


import pytest as _pytest  # noqa: E402


@_pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_the_float_forward_pass_is_the_graphs_to_the_bit(activation) -> None:
    """Grids, pictures and evaluate() run on floats; they must equal the graph exactly."""
    import random as _random

    from mg_tui.nn.layers import MLP as _MLP
    from mg_tui.nn.layers import float_forward

    model = _MLP(2, [5, 4, 1], activation=activation, output_activation="linear", seed=7)
    rng = _random.Random(3)
    points = [(rng.uniform(-3, 3), rng.uniform(-3, 3)) for _ in range(50)]
    floats = float_forward(model.float_layers(), points)  # layer -> point -> neuron
    for i, point in enumerate(points):
        graph = model(list(point))
        assert floats[-1][i][0] == graph.data
        assert model.evaluate(point) == graph.data
    hidden = model.layers[0](list(points[0]))
    assert floats[0][0] == [v.data for v in hidden]
