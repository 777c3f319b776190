"""Losses over predictions (Values) and +/-1 targets, and accuracy.

Targets become labelled leaves (`y[2]`) so the app's tree can name them; a caller that
already made them (nn.Trainer, which records their roles) passes the Values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mg_tui.engine import Value

Loss = Callable[[Sequence[Value], Sequence[float | Value]], Value]


def _targets(ys: Sequence[float | Value], indices: Sequence[int] | None) -> list[Value]:
    idx = indices if indices is not None else range(len(ys))
    return [y if isinstance(y, Value) else Value(y, f"y[{i}]") for y, i in zip(ys, idx)]


def sum_squared_error(
    preds: Sequence[Value], ys: Sequence[float], indices: Sequence[int] | None = None
) -> Value:
    """sum((pred - y)**2), as the seeds write it."""
    return Value.sum([(p - y) ** 2 for p, y in zip(preds, _targets(ys, indices))])


def mean_squared_error(
    preds: Sequence[Value], ys: Sequence[float], indices: Sequence[int] | None = None
) -> Value:
    """The mean of (pred - y)**2."""
    return sum_squared_error(preds, ys, indices) * (1.0 / len(preds))


def svm_max_margin(
    preds: Sequence[Value], ys: Sequence[float], indices: Sequence[int] | None = None
) -> Value:
    """mean(relu(1 - y * score)), micrograd demo's loss for +/-1 labels."""
    margins = [(1 - y * p).relu() for p, y in zip(preds, _targets(ys, indices))]
    return Value.sum(margins) * (1.0 / len(margins))


def binary_cross_entropy(
    preds: Sequence[Value], ys: Sequence[float], indices: Sequence[int] | None = None
) -> Value:
    """Mean cross-entropy of sigmoid outputs in (0, 1) against +/-1 labels.

    The probability is clamped into [1e-12, 1 - 1e-12] through a small constant
    so that a saturated sigmoid gives a large, finite loss rather than log(0).
    """
    terms = []
    for p, y in zip(preds, ys):
        if (y.data if isinstance(y, Value) else y) > 0:
            terms.append(-((p + 1e-12).log()))
        else:
            terms.append(-((1.0 + 1e-12 - p).log()))
    return Value.sum(terms) * (1.0 / len(terms))


def l2_regularization(params: Sequence[Value], alpha: float) -> Value:
    """alpha * sum(p**2)."""
    return alpha * Value.sum([p * p for p in params])


def accuracy(preds: Sequence[Value | float], ys: Sequence[float], threshold: float = 0.0) -> float:
    """Fraction of samples whose prediction is on the label's side of `threshold`."""
    if not preds:
        return 0.0
    hits = 0
    for p, y in zip(preds, ys):
        score = p.data if isinstance(p, Value) else p
        hits += (score > threshold) == (y > 0)
    return hits / len(preds)


LOSSES: dict[str, Loss] = {
    "sse": sum_squared_error,
    "mse": mean_squared_error,
    "svm": svm_max_margin,
    "bce": binary_cross_entropy,
}

# What each loss computes over the batch's predictions and +/-1 targets, in one line (the
# settings form shows it under the loss). A test checks every one against the function.
EXPLAINED: dict[str, str] = {
    "sse": "sum of (pred - y)² over the batch",
    "mse": "mean of (pred - y)² over the batch",
    "svm": "max-margin hinge: mean of relu(1 - y·pred)",
    "bce": "mean of -log(p) if y = +1, -log(1 - p) if y = -1; p: sigmoid output",
}
