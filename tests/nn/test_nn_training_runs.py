"""The runs the issue promises: the seeds' 20 steps, micrograd's demo, Adam."""

from __future__ import annotations

import pytest
from mg_tui.nn import MLP, SGD, Adam, Trainer, accuracy, linear_decay, load_dataset


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_seeds_training_run_reduces_the_loss(seed: int) -> None:
    """MLP(3, [4, 4, 1]) on tiny, summed squared error, SGD lr 0.1, 20 steps."""
    model = MLP(3, [4, 4, 1], seed=seed)
    trainer = Trainer(model, load_dataset("tiny"), "sse", SGD(model.parameters(), lr=0.1))
    history = [trainer.step() for _ in range(20)]
    first, last = history[0].loss, history[-1].loss
    assert first > 1.0
    assert last < 0.1 * first and last < 0.5
    assert history[-1].accuracy == 1.0


def test_micrograd_demo_reaches_100_percent_within_100_steps() -> None:
    data = load_dataset("moons", 100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], activation="relu", output_activation="linear", seed=0)
    optimizer = SGD(model.parameters(), lr=linear_decay())  # 1.0 - 0.9 * k / 100
    trainer = Trainer(model, data, "svm", optimizer, l2=1e-4)
    reached = None
    for _ in range(100):
        record = trainer.step()
        if record.accuracy == 1.0:
            reached = record.step
            break
    assert reached is not None, f"best accuracy {max(r.accuracy for r in trainer.history)}"
    assert reached <= 60  # micrograd's demo first reaches 100% at step 40; we measured 38


@pytest.mark.parametrize("name", ["circles", "xor"])
def test_adam_trains_to_95_percent(name: str) -> None:
    data = load_dataset(name, 100, noise=0.1, seed=0)
    model = MLP(2, [8, 8, 1], seed=0)
    trainer = Trainer(model, data, "mse", Adam(model.parameters(), lr=0.05))
    for _ in range(60):
        trainer.step()
    assert accuracy(trainer.predict(data.xs), data.ys) >= 0.95
