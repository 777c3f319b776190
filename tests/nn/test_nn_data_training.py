"""Each data set trains to a measured result with its defaults (arch, lr, loss).

Accuracy here is counted by the test from the model's float outputs (the argmax, or the
side of the threshold) against the data set's labels; the bounds are a little below
what these runs measured, so a regression in the engine, the losses or the defaults
fails them. Sample counts and steps are small to keep the suite fast.
"""

from __future__ import annotations

import pytest
from mg_tui.nn import RunConfig, build_trainer


def trained(steps: int, **settings) -> tuple:
    config = RunConfig(**settings)
    assert "arch" not in settings and "lr" not in settings and "loss" not in settings
    trainer = build_trainer(config)
    for _ in range(steps):
        trainer.step()
    return config, trainer


def counted_accuracy(trainer) -> float:
    """Right answers over all training samples, counted here from the raw outputs."""
    data = trainer.dataset
    hits = 0
    for x, y in zip(data.xs, data.ys):
        out = trainer.model.evaluate(x)
        if isinstance(out, list):
            hits += max(range(len(out)), key=out.__getitem__) == int(y)
        else:
            hits += (out > 0) == (y > 0)
    return hits / len(data)


@pytest.mark.parametrize(
    ("settings", "steps", "measured", "bound"),
    [
        ({"dataset": "moons", "samples": 60}, 60, 0.85, 0.83),
        ({"dataset": "spiral", "samples": 40}, 80, 0.775, 0.75),
        ({"dataset": "blobs", "classes": 3, "samples": 60, "seed": 3}, 60, 0.9167, 0.9),
        ({"dataset": "spiral", "classes": 3, "samples": 45}, 80, 0.7333, 0.7),
    ],
    ids=["moons", "spiral-2", "blobs-3", "spiral-3"],
)
def test_classification_defaults_train_to_a_measured_accuracy(
    settings: dict, steps: int, measured: float, bound: float
) -> None:
    config, trainer = trained(steps, **settings)
    accuracy = counted_accuracy(trainer)
    assert accuracy >= bound, f"{accuracy:.4f} (measured {measured})"
    assert trainer.measure(trainer.dataset).accuracy == accuracy  # the app's own count agrees
    if config.n_classes > 2:
        assert config.loss == "cross-entropy" and trainer.model.nouts[-1] == config.n_classes
    assert trainer.history[-1].loss < trainer.history[0].loss / 1.5


def test_sine_regression_loss_falls_by_a_measured_factor() -> None:
    config, trainer = trained(60, dataset="sine", samples=40)
    assert (config.loss, trainer.model.output_activation, config.n_outputs) == ("mse", "linear", 1)
    data = trainer.dataset
    mse = sum((trainer.model.evaluate(x) - y) ** 2 for x, y in zip(data.xs, data.ys)) / len(data)
    first = trainer.history[0].loss
    # measured: 0.250 -> 0.017, a factor of about 14.7
    assert first / mse >= 10.0, (first, mse)
    assert trainer.history[-1].accuracy is None  # regression has no accuracy
