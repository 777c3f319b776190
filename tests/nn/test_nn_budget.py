"""The step-graph estimate (nn.budget) against the nodes a real step builds, and the refusal.

Each expected count is engine.node_count of the graph Trainer.forward really builds, so
the estimate is checked against the engine, not against itself.
"""

from __future__ import annotations

import pytest
from mg_tui.engine import node_count
from mg_tui.nn import RunConfig, build_trainer
from mg_tui.nn.budget import MAX_GRAPH_NODES, estimate_nodes

RUNS = [
    {},  # the seeds' 3-4-4-1 on tiny, sse
    {"dataset": "moons", "samples": 12, "arch": (8, 8), "activation": "relu", "loss": "svm"},
    {"dataset": "moons", "samples": 12, "loss": "bce", "output_activation": "sigmoid"},
    {"dataset": "spiral", "samples": 15, "classes": 3, "l2": 1e-3},
    {"dataset": "blobs", "samples": 10, "classes": 4, "l1": 1e-3, "l2": 1e-3, "batch_size": 4},
    {"dataset": "sine", "samples": 9, "arch": (5,), "test_fraction": 0.3},
    {"dataset": "xor", "samples": 8, "arch": (), "loss": "mse"},
]


@pytest.mark.parametrize("settings", RUNS, ids=[str(r) for r in RUNS])
def test_the_estimate_is_the_real_step_graph(settings: dict) -> None:
    config = RunConfig(**settings)
    trainer = build_trainer(config)
    real = node_count(trainer.forward())
    estimate = estimate_nodes(
        config.shape.n_features,
        config.nouts,
        config.activation,
        config.effective_output_activation,
        config.loss,
        config.batch_size or config.n_train,
        l1=bool(config.l1),
        l2=bool(config.l2),
    )
    assert estimate == real


def test_a_step_past_two_million_nodes_is_refused_before_anything_is_built() -> None:
    # 2-64x8-1 tanh on 100 moons, mse. A sample: 2 inputs; 64 neurons of 2 products, a sum
    # and a tanh; 7 layers of 64 neurons of 64 products, a sum and a tanh; the output's 66;
    # the loss's target, difference and square.
    per_sample = 2 + 64 * 4 + 7 * 64 * 66 + 66 + 3
    parameters = 64 * 3 + 7 * 64 * 65 + 65
    total = 100 * per_sample + parameters + 3  # + the mean's sum, 1/n and product
    assert (per_sample, total) == (29_895, 3_018_880)
    fits = (2_000_000 - parameters - 3) // per_sample
    with pytest.raises(ValueError) as caught:
        RunConfig(dataset="moons", arch=(64,) * 8)
    message = str(caught.value)
    assert "\n" not in message
    assert message == (
        "one step would build about 3.0 million graph nodes (100 samples of 29,895 nodes "
        "each), more than the 2.0 million a step may build: use a batch size of at most "
        f"{fits} (--batch-size), fewer samples or smaller layers"
    )
    assert RunConfig(dataset="moons", arch=(64,) * 8, batch_size=fits).batch_size == fits
    with pytest.raises(ValueError, match=f"at most {fits}"):
        RunConfig(dataset="moons", arch=(64,) * 8, batch_size=fits + 1)


def test_the_limits_on_layers_are_clear() -> None:
    with pytest.raises(ValueError, match=r"^at most 8 hidden layers, got 9 "):
        RunConfig(arch=(4,) * 9)
    with pytest.raises(ValueError, match=r"^layer sizes must be between 1 and 64, got 65$"):
        RunConfig(arch=(65,))
    assert RunConfig(arch=(64,) * 8).nouts == [64] * 8 + [1]  # tiny: 4 samples fit
    assert MAX_GRAPH_NODES == 2_000_000
