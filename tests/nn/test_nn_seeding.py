"""Initial weights: `random.seed()` works as in micrograd; `seed=k` stays private."""

from __future__ import annotations

import random

import pytest
from mg_tui.nn import MLP, Layer, Neuron


def weights(model: MLP | Layer | Neuron) -> list[float]:
    return [p.data for p in model.parameters()]


def test_global_seed_fixes_an_unseeded_mlp() -> None:
    random.seed(42)
    a = weights(MLP(2, [16, 16, 1]))
    random.seed(42)
    b = weights(MLP(2, [16, 16, 1]))
    assert a == b
    assert len(set(a)) > 300  # real draws, not a constant


def test_global_seed_fixes_unseeded_layer_and_neuron() -> None:
    random.seed(42)
    layer, neuron = weights(Layer(3, 4)), weights(Neuron(5))
    random.seed(42)
    assert weights(Layer(3, 4)) == layer
    assert weights(Neuron(5)) == neuron


def test_different_global_seeds_give_different_weights() -> None:
    random.seed(1)
    a = weights(MLP(2, [16, 16, 1]))
    random.seed(2)
    assert weights(MLP(2, [16, 16, 1])) != a


def test_unseeded_mlp_consumes_the_global_stream() -> None:
    random.seed(42)
    first = weights(MLP(2, [4, 1]))
    second = weights(MLP(2, [4, 1]))  # continues the stream: a fresh draw
    assert first != second


def test_unseeded_mlp_draws_as_micrograd_does() -> None:
    micrograd_nn = pytest.importorskip("micrograd.nn")
    random.seed(42)
    ours = MLP(2, [16, 16, 1], activation="relu", output_activation="linear")
    random.seed(42)
    theirs = micrograd_nn.MLP(2, [16, 16, 1])
    assert weights(ours) == [p.data for p in theirs.parameters()]


def test_seeded_mlp_ignores_and_keeps_the_global_state() -> None:
    reference = weights(MLP(2, [16, 16, 1], seed=7))
    for global_seed in (0, 42):
        random.seed(global_seed)
        state = random.getstate()
        assert weights(MLP(2, [16, 16, 1], seed=7)) == reference
        assert random.getstate() == state  # nothing consumed, nothing altered


def test_seeded_mlp_matches_a_private_generator() -> None:
    """seed=k draws exactly what random.Random(k) gives, as before."""
    rng = random.Random(3)
    expected = [
        w
        for nin, nout in [(3, 4), (4, 4), (4, 1)]
        for _ in range(nout)
        for w in [*(rng.uniform(-1.0, 1.0) for _ in range(nin)), 0.0]
    ]
    assert weights(MLP(3, [4, 4, 1], seed=3)) == expected


def test_explicit_rng_leaves_the_global_state_alone() -> None:
    random.seed(5)
    state = random.getstate()
    a = weights(Layer(3, 2, rng=random.Random(9)))
    assert random.getstate() == state
    assert weights(Layer(3, 2, rng=random.Random(9))) == a
