"""K outputs: cross-entropy and softmax from logsumexp, the argmax accuracy, the confusion
matrix, L1, and the float forward pass over many points.

Expected values are the formulas written out here with the math module.
"""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value
from mg_tui.nn import MLP, RunConfig, build_trainer
from mg_tui.nn.losses import (
    accuracy,
    confusion_matrix,
    cross_entropy,
    l1_regularization,
    softmax,
)


def test_cross_entropy_is_minus_log_softmax_of_the_right_class() -> None:
    logits = [[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]]
    labels = [0, 1]
    z = [[Value(v) for v in row] for row in logits]
    loss = cross_entropy(z, labels)
    by_hand = 0.0
    for row, y in zip(logits, labels):
        by_hand += -math.log(math.exp(row[y]) / sum(math.exp(v) for v in row))
    assert loss.data == pytest.approx(by_hand / 2, rel=1e-14)
    loss.backward()
    # d CE / d z_k = (softmax_k - [k == y]) / batch
    for row, y, values in zip(logits, labels, z):
        total = sum(math.exp(v) for v in row)
        for k, value in enumerate(values):
            want = (math.exp(row[k]) / total - (k == y)) / 2
            assert value.grad == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_softmax_sums_to_one_and_orders_as_the_logits() -> None:
    probs = softmax([Value(1.0), Value(3.0), Value(-2.0)])
    total = math.exp(1) + math.exp(3) + math.exp(-2)
    assert [p.data for p in probs] == pytest.approx(
        [math.exp(1) / total, math.exp(3) / total, math.exp(-2) / total], rel=1e-14
    )
    assert sum(p.data for p in probs) == pytest.approx(1.0, abs=1e-15)


def test_accuracy_is_the_argmax_and_the_confusion_matrix_counts() -> None:
    preds = [[0.1, 2.0, 0.0], [3.0, 1.0, 0.0], [0.0, 0.1, 0.2], [1.0, 0.0, 0.5]]
    labels = [1, 0, 1, 2]
    assert accuracy(preds, [float(y) for y in labels]) == 0.5
    assert confusion_matrix(preds, labels, 3) == [[1, 0, 0], [0, 1, 1], [1, 0, 0]]
    # one output: the side of the threshold against +1 / -1
    assert confusion_matrix([0.3, -0.2, 0.9], [1, 1, 0], 2) == [[0, 1], [1, 1]]


def test_l1_grad_is_alpha_times_the_sign() -> None:
    params = [Value(0.5), Value(-2.0), Value(0.0)]
    penalty = l1_regularization(params, 0.1)
    assert penalty.data == pytest.approx(0.1 * 2.5)
    penalty.backward()
    assert [p.grad for p in params] == pytest.approx([0.1, -0.1, 0.0])


def test_a_multiclass_trainer_has_k_outputs_and_labels_as_targets() -> None:
    trainer = build_trainer(RunConfig(dataset="spiral", classes=4, samples=12, arch=(3,)))
    assert trainer.model.architecture == "2-3-4" and trainer.multi_output
    loss = trainer.forward()
    assert trainer.loss_targets(trainer.dataset) == tuple(float(c) for c in trainer.dataset.labels)
    outs = [trainer.model.evaluate(x) for x in trainer.dataset.xs]
    by_hand = sum(
        math.log(sum(math.exp(v) for v in out)) - out[y]
        for out, y in zip(outs, trainer.dataset.labels)
    ) / len(outs)
    assert loss.data == pytest.approx(by_hand, rel=1e-12)
    record = trainer.step()
    assert record.accuracy == sum(
        max(range(4), key=out.__getitem__) == y for out, y in zip(outs, trainer.dataset.labels)
    ) / len(outs)


def test_cross_entropy_on_two_classes_uses_two_outputs() -> None:
    config = RunConfig(dataset="moons", samples=10, loss="cross-entropy")
    assert config.nouts == [4, 4, 2] and config.effective_output_activation == "linear"
    trainer = build_trainer(config)
    assert set(trainer.loss_targets(trainer.dataset)) == {0.0, 1.0}  # -1 is class 0
    trainer.step()


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_evaluate_many_is_evaluate_to_the_last_bit(activation: str) -> None:
    points = [(0.3, -1.2), (2.0, 0.5), (-0.7, -0.1)]
    for nouts in ([5, 1], [4, 3]):
        model = MLP(2, nouts, activation, seed=4)
        assert model.evaluate_many(points) == [model.evaluate(p) for p in points]


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"dataset": "spiral", "classes": 3, "loss": "mse"}, "spiral has 3 classes: use --loss"),
        ({"dataset": "sine", "loss": "svm"}, "sine is regression: use --loss mse or sse"),
        ({"dataset": "sine", "loss": "cross-entropy"}, "sine is regression"),
        ({"dataset": "moons", "test_fraction": 0.999}, "leaves 0 of the 100 samples"),
    ],
)
def test_a_loss_or_split_that_does_not_fit_the_data_is_refused(settings: dict, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        RunConfig(**settings)
