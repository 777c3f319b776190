"""Losses and accuracy against hand computations."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value
from mg_tui.nn import (
    accuracy,
    binary_cross_entropy,
    l2_regularization,
    mean_squared_error,
    sum_squared_error,
    svm_max_margin,
)


def preds(*values: float) -> list[Value]:
    return [Value(v) for v in values]


def test_sum_and_mean_squared_error() -> None:
    p = preds(0.5, -0.2)
    # (0.5 - 1)^2 + (-0.2 + 1)^2 = 0.25 + 0.64
    assert sum_squared_error(p, [1.0, -1.0]).data == pytest.approx(0.89)
    assert mean_squared_error(p, [1.0, -1.0]).data == pytest.approx(0.445)


def test_squared_error_gradient() -> None:
    p = preds(0.5, -0.2)
    sum_squared_error(p, [1.0, -1.0]).backward()
    assert [x.grad for x in p] == pytest.approx([2 * (0.5 - 1), 2 * (-0.2 + 1)])


def test_svm_max_margin() -> None:
    p = preds(0.5, -0.2, 2.0)
    # relu(1 - 0.5) = 0.5, relu(1 - 0.2) = 0.8, relu(1 - 2) = 0
    loss = svm_max_margin(p, [1.0, -1.0, 1.0])
    assert loss.data == pytest.approx((0.5 + 0.8 + 0.0) / 3)
    loss.backward()
    assert [x.grad for x in p] == pytest.approx([-1 / 3, 1 / 3, 0.0])


def test_binary_cross_entropy() -> None:
    p = preds(0.8, 0.3)
    expected = -(math.log(0.8) + math.log(0.7)) / 2
    assert binary_cross_entropy(p, [1.0, -1.0]).data == pytest.approx(expected, rel=1e-9)


def test_binary_cross_entropy_saturated_is_finite() -> None:
    loss = binary_cross_entropy(preds(0.0, 1.0), [1.0, -1.0])
    assert math.isfinite(loss.data) and loss.data > 20


def test_l2_regularization() -> None:
    params = preds(1.0, -2.0)
    loss = l2_regularization(params, 0.1)
    assert loss.data == pytest.approx(0.1 * (1 + 4))
    loss.backward()
    assert [p.grad for p in params] == pytest.approx([0.2, -0.4])


def test_targets_are_labelled_leaves() -> None:
    loss = sum_squared_error(preds(0.5), [1.0], indices=[3])
    labels = {n.label for n in _leaves(loss)}
    assert "y[3]" in labels


def _leaves(root: Value) -> list[Value]:
    from mg_tui.engine import topological_order

    return [n for n in topological_order(root) if not n.inputs]


def test_accuracy() -> None:
    assert accuracy(preds(0.5, -0.2, 0.1, -3.0), [1.0, -1.0, -1.0, -1.0]) == 0.75
    assert accuracy([0.9, 0.2], [1.0, -1.0], threshold=0.5) == 1.0
    assert accuracy([], []) == 0.0


def test_each_loss_does_what_its_explanation_says() -> None:
    """The settings form's one-line explanations (losses.EXPLAINED), computed by hand."""
    from mg_tui.nn.losses import EXPLAINED, LOSSES

    assert set(EXPLAINED) == set(LOSSES)
    ys = [1.0, -1.0, 1.0]
    scores = [0.5, -2.0, 0.2]
    squares = (0.5 - 1) ** 2 + (-2.0 + 1) ** 2 + (0.2 - 1) ** 2  # 1.89
    assert EXPLAINED["sse"] == "sum of (pred - y)² over the batch"
    assert LOSSES["sse"](preds(*scores), ys).data == pytest.approx(squares)
    assert EXPLAINED["mse"] == "mean of (pred - y)² over the batch"
    assert LOSSES["mse"](preds(*scores), ys).data == pytest.approx(squares / 3)
    assert EXPLAINED["svm"] == "max-margin hinge: mean of relu(1 - y·pred)"
    hinge = (max(0, 1 - 0.5) + max(0, 1 - 2.0) + max(0, 1 - 0.2)) / 3  # (0.5 + 0 + 0.8) / 3
    assert LOSSES["svm"](preds(*scores), ys).data == pytest.approx(hinge)
    assert EXPLAINED["bce"].startswith("mean of -log(p) if y = +1, -log(1 - p) if y = -1")
    probabilities = [0.9, 0.2, 0.6]
    cross = -(math.log(0.9) + math.log(1 - 0.2) + math.log(0.6)) / 3
    assert LOSSES["bce"](preds(*probabilities), ys).data == pytest.approx(cross)
