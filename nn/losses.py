"""Losses over predictions (Values) and their targets, the penalties, and accuracy.

The losses that score one output per sample (sse, mse, svm, bce) take +/-1 targets (or
any number, for regression with sse and mse); cross-entropy scores K outputs per sample
(the logits z) against a class index. Targets become labelled leaves (`y[2]`) so the
app's tree can name them; a caller that already made them (nn.Trainer, which records
their roles) passes the Values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mg_tui.engine import Value

Loss = Callable[[Sequence[Value], Sequence[float | Value]], Value]
Prediction = Value | float | Sequence[Value | float]  # one output, or K


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


def cross_entropy(
    preds: Sequence[Sequence[Value]], ys: Sequence[float], indices: Sequence[int] | None = None
) -> Value:
    """Mean of logsumexp(z) - z_y: -log of the softmax probability of the right class.

    `preds` holds each sample's K outputs z (the logits); a target is a class index.
    """
    terms = []
    for z, y in zip(preds, ys):
        label = int(y.data if isinstance(y, Value) else y)
        terms.append(Value.logsumexp(z) - z[label])
    return Value.sum(terms) * (1.0 / len(terms))


def softmax(logits: Sequence[Value]) -> list[Value]:
    """exp(z_i - logsumexp(z)): probabilities that sum to 1, from one logsumexp node."""
    total = Value.logsumexp(logits)
    return [(z - total).exp() for z in logits]


def l2_regularization(params: Sequence[Value], alpha: float) -> Value:
    """alpha * sum(p**2)."""
    return alpha * Value.sum([p * p for p in params])


def l1_regularization(params: Sequence[Value], alpha: float) -> Value:
    """alpha * sum(|p|), each |p| written p · sign(p): its grad is the sign (0 at 0)."""
    return alpha * Value.sum([p * _sign(p.data) for p in params])


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0


def penalty_value(params: Sequence[Value], l1: float, l2: float) -> float:
    """The penalties' value on plain floats, as l1_regularization + l2_regularization."""
    total = 0.0
    if l1:
        total += l1 * sum([abs(p.data) for p in params])
    if l2:
        total += l2 * sum([p.data * p.data for p in params])
    return total


def predicted_class(pred: Prediction, threshold: float = 0.0) -> int:
    """The class a prediction names: the argmax of K outputs, or 1 if one output is above
    `threshold` (the +1 side) and 0 otherwise."""
    if isinstance(pred, Sequence):
        scores = [p.data if isinstance(p, Value) else p for p in pred]
        return max(range(len(scores)), key=scores.__getitem__)
    score = pred.data if isinstance(pred, Value) else pred
    return int(score > threshold)


def accuracy(preds: Sequence[Prediction], ys: Sequence[float], threshold: float = 0.0) -> float:
    """Fraction of samples whose prediction names the target's class.

    One output per sample: on the label's side of `threshold` (targets +/-1). K outputs
    per sample: the argmax is the target (a class index).
    """
    if not preds:
        return 0.0
    hits = 0
    for p, y in zip(preds, ys):
        want = int(y) if isinstance(p, Sequence) else int(y > 0)
        hits += predicted_class(p, threshold) == want
    return hits / len(preds)


def confusion_matrix(
    preds: Sequence[Prediction], labels: Sequence[int], k: int, threshold: float = 0.0
) -> list[list[int]]:
    """counts[true][predicted] over the samples: the diagonal is what is right."""
    counts = [[0] * k for _ in range(k)]
    for p, label in zip(preds, labels):
        counts[label][predicted_class(p, threshold)] += 1
    return counts


LOSSES: dict[str, Loss] = {
    "sse": sum_squared_error,
    "mse": mean_squared_error,
    "svm": svm_max_margin,
    "bce": binary_cross_entropy,
    "cross-entropy": cross_entropy,
}
# The losses that score K outputs per sample against a class index.
MULTI_OUTPUT = frozenset({"cross-entropy"})

# What each loss computes over the batch's predictions and +/-1 targets, in one line (the
# settings form shows it under the loss). A test checks every one against the function.
EXPLAINED: dict[str, str] = {
    "sse": "sum of (pred - y)² over the batch",
    "mse": "mean of (pred - y)² over the batch",
    "svm": "max-margin hinge: mean of relu(1 - y·pred)",
    "bce": "mean of -log(p) if y = +1, -log(1 - p) if y = -1; p: sigmoid output",
    "cross-entropy": "mean of logsumexp(z) - z_y = -log softmax(z)_y; z: the K outputs",
}
