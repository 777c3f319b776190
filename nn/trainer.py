"""Trainer: one training step as three visible phases, forward, backward, update.

The app drives the phases one at a time (and the backward phase one node at a
time); `step()` runs all three. A step whose loss or grads are not finite is
refused before the update, so a diverging run never corrupts the model.

With a test set, every step also measures the model on it, on plain floats (the float
forward pass, `MLP.evaluate`: no graph of the model), with the weights the step's
training loss was computed with. The test loss is the loss function alone: the L1 and L2
penalties measure the weights, not how well they predict unseen samples, so they are left
out of it (the training loss, the step's graph, includes them).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from mg_tui.engine import BackwardStep, Value, collector_paused, prepare, zero_grad
from mg_tui.nn.data import Dataset
from mg_tui.nn.data_edits import DataEdits
from mg_tui.nn.layers import MLP, float_forward
from mg_tui.nn.losses import (
    LOSSES,
    MULTI_OUTPUT,
    Loss,
    Prediction,
    accuracy,
    l1_regularization,
    l2_regularization,
    penalty_value,
    predicted_class,
)
from mg_tui.nn.optim import SGD, Optimizer
from mg_tui.nn.roles import PARAMETER, Role

if TYPE_CHECKING:
    from mg_tui.nn.config import RunConfig
    from mg_tui.nn.split import Scaler

PHASES = ("ready", "forward", "backward", "update")


@dataclass(frozen=True)
class StepRecord:
    """What one completed step measured, before its update: the batch's loss and accuracy
    and, with a test set, the test set's (accuracy None for regression)."""

    step: int
    loss: float
    accuracy: float | None
    lr: float
    test_loss: float | None = None
    test_accuracy: float | None = None


class Measure(NamedTuple):
    """The model's loss and accuracy (None for regression) on a set of samples."""

    loss: float
    accuracy: float | None


@dataclass(frozen=True)
class DecisionGrid:
    """The model's score on a cols x rows grid over `bounds` (row 0 at the top), and at
    each sample of the training set (`samples`, in its order: which points it gets wrong)
    and of the test set (`test_samples`).

    With K outputs (`argmax`), each score is the predicted class's index instead.
    """

    bounds: tuple[float, float, float, float]
    cols: int
    rows: int
    scores: tuple[tuple[float, ...], ...]
    samples: tuple[float, ...] = ()
    output: str = "tanh"  # the output activation: how a score reads as confidence
    argmax: bool = False
    test_samples: tuple[float, ...] = ()  # the score at each test sample, in its order
    # With K outputs: each cell's probability of its predicted class (softmax), row by row.
    probabilities: tuple[tuple[float, ...], ...] = ()


def top_probability(scores: Sequence[float]) -> float:
    """The softmax probability of the largest of K scores: 1 / sum_j exp(z_j - z_max)."""
    top = max(scores)
    return 1.0 / sum(math.exp(z - top) for z in scores)


class TrainingDiverged(ArithmeticError):
    """The loss or a gradient stopped being a finite number; the update was not applied."""

    def __init__(self, step: int, reason: str) -> None:
        super().__init__(f"diverged at step {step}: {reason}")
        self.step = step
        self.reason = reason


class PhaseError(RuntimeError):
    """A phase was asked for out of order (for example update before backward)."""


class GraphPhases:
    """The forward and backward phases over one graph, shared by every kind of trainer.

    Subclasses build `self.graph` in `forward()` and set `phase` to "forward"; this
    class runs backward on it, at once or one node at a time, and guards the order.
    """

    graph: Value | None
    phase: str
    _stepping: bool  # a node-by-node pass was started and not finished

    def backward(self) -> None:
        """Backprop the whole graph at once."""
        self._require("forward", "backward")
        with collector_paused():
            self._clear_partial_pass()
            self.graph.backward()
        self.phase = "backward"

    def backward_steps(self) -> Iterator[BackwardStep]:
        """Backprop one node per step; the phase becomes "backward" when it is exhausted.

        The phase is checked now, not at the first `next()`. Starting again (or calling
        `backward()`) before it is exhausted discards the partial pass.
        """
        self._require("forward", "backward")
        self._clear_partial_pass()
        self._stepping = True
        return self._steps(self.graph)

    def begin_backward_walk(self) -> list[Value]:
        """Seed the graph for a walk that can go back and forth; return its order, root first.

        The walker applies `engine.apply_step` to the nodes in this order and calls
        `end_backward_walk()` once every node is done. Starting again (or calling
        `backward()`) before then discards the partial pass, as for `backward_steps()`.
        """
        self._require("forward", "backward")
        self._clear_partial_pass()
        self._stepping = True
        return prepare(self.graph)

    def end_backward_walk(self) -> None:
        """Every node of the walk is done: the grads are those of `backward()`."""
        self._require("forward", "backward")
        self._stepping = False
        self.phase = "backward"

    def _steps(self, graph: Value) -> Iterator[BackwardStep]:
        yield from graph.backward_steps()
        if graph is self.graph and self.phase == "forward":
            self.phase = "backward"

    def _clear_partial_pass(self) -> None:
        if self._stepping:
            zero_grad(self.graph)
            self._stepping = False

    def _require(self, phase: str, wanted: str) -> None:
        if self.phase != phase or self.graph is None:
            raise PhaseError(f"{wanted} needs the {phase} phase first (now: {self.phase})")


class Trainer(GraphPhases):
    """Trains `model` on `dataset`, one visible phase at a time."""

    def __init__(
        self,
        model: MLP,
        dataset: Dataset,
        loss: str | Loss = "mse",
        optimizer: Optimizer | None = None,
        *,
        lr: float = 0.1,
        batch_size: int | None = None,
        l1: float = 0.0,
        l2: float = 0.0,
        seed: int = 0,
        test: Dataset | None = None,
    ) -> None:
        if model.nin != dataset.n_features:
            raise ValueError(
                f"the model takes {model.nin} inputs but {dataset.name} has "
                f"{dataset.n_features} features"
            )
        if test is not None and test.n_features != dataset.n_features:
            raise ValueError(f"the test set has {test.n_features} features, not {model.nin}")
        if isinstance(loss, str):
            if loss not in LOSSES:
                raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
            self.loss_name, self.loss_fn = loss, LOSSES[loss]
        else:
            self.loss_name, self.loss_fn = getattr(loss, "__name__", "custom"), loss
        if batch_size is not None and not 1 <= batch_size <= len(dataset):
            raise ValueError(f"batch size must be between 1 and {len(dataset)}, got {batch_size}")
        # K outputs scored against a class index (cross-entropy), or one output.
        self.multi_output = self.loss_name in MULTI_OUTPUT
        outputs = model.nouts[-1]
        if self.multi_output and outputs != dataset.n_classes:
            raise ValueError(
                f"{self.loss_name} needs one output per class: {dataset.n_classes}, not {outputs}"
            )
        if not self.multi_output and outputs != 1:
            raise ValueError(f"the {self.loss_name} loss scores one output, not {outputs}")
        self.model = model
        self.dataset = dataset  # what the steps train on: the base set with `edits` applied
        self.base_dataset = dataset  # the training split as built from the settings
        self.edits = DataEdits()  # points added and removed by hand (nn/data_edits.py)
        self._pending_edits: DataEdits | None = None  # for the next forward (a step is on)
        self.test = test  # the held-out samples, never trained on (None: no split)
        self.optimizer = optimizer or SGD(model.parameters(), lr)
        self.batch_size = batch_size
        self.l1 = l1
        self.l2 = l2
        self.rng = random.Random(seed)
        self.threshold = 0.5 if model.output_activation == "sigmoid" else 0.0

        self.phase = "ready"
        self.graph: Value | None = None
        self.predictions: list[Value] = []
        self.batch: list[int] = []
        self.history: list[StepRecord] = []
        # For the app's panel: each parameter's value before the last update.
        self.data_before_update: dict[Value, float] = {}
        self.optimizer_before_update: dict[str, int | list[float]] = {}
        self.roles: dict[Value, Role] = {}  # this graph's parameters, inputs, targets, preds
        self.last_lr: float | None = None
        # The settings this Trainer was built from (nn.config.build_trainer sets it);
        # saved with the model so a session can be restored.
        self.config: RunConfig | None = None
        self.scaler: Scaler | None = None  # how a CSV's features were scaled (build_trainer)
        self.data_sha256: str | None = None  # the CSV file's content, as trained on
        self.data_warning = ""  # set on load when the CSV changed since the save
        # True once a stepper has started on the current graph: its partial grads
        # must be cleared before another backward pass, or leaves would double up.
        self._stepping = False

    @property
    def step_count(self) -> int:
        """Completed steps (updates applied)."""
        return len(self.history)

    def edit_data(self, edits: DataEdits) -> bool:
        """Train on the base set with `edits` from the next step on; True if the training set
        changed now, False if it waits for the next `forward()`.

        Between a forward pass and its update the set must stay as the graph was built
        from it (`update()` scores the batch against it), so mid-step the edits wait.
        """
        if self.phase in ("ready", "update"):
            self._use_edits(edits)
            return True
        self._pending_edits = edits
        return False

    @property
    def current_edits(self) -> DataEdits:
        """The edits the next step trains with (waiting ones included)."""
        return self._pending_edits if self._pending_edits is not None else self.edits

    def _use_edits(self, edits: DataEdits) -> None:
        self.dataset = edits.apply(self.base_dataset)
        self.edits = edits
        self._pending_edits = None

    # -- the three phases --------------------------------------------------------

    def forward(self) -> Value:
        """Build this step's graph and return its root, the loss; every grad is 0."""
        if self._pending_edits is not None:
            self._use_edits(self._pending_edits)
        self.model.zero_grad()
        n = len(self.dataset)
        if self.batch_size is None or self.batch_size >= n:
            batch = list(range(n))
        else:
            batch = sorted(self.rng.sample(range(n), self.batch_size))
        xs, ys = self.dataset.xs, self.loss_targets(self.dataset)
        try:
            with collector_paused():
                inputs = [[Value(v, f"x[{i}][{j}]") for j, v in enumerate(xs[i])] for i in batch]
                preds = [self._output(self.model(x)) for x in inputs]
                targets = [Value(ys[i], f"y[{i}]") for i in batch]
                roles = dict.fromkeys(self.model.parameters(), PARAMETER)
                for i, row, p, y in zip(batch, inputs, preds, targets):
                    if isinstance(p, list):  # K outputs: pred[i][k]
                        for k, out in enumerate(p):
                            out.label = f"pred[{i}][{k}]"
                            roles[out] = Role("prediction", i)
                    else:
                        p.label = f"pred[{i}]"
                        roles[p] = Role("prediction", i)
                    roles[y] = Role("target", i)
                    roles.update((x, Role("input", i, j)) for j, x in enumerate(row))
                loss = self.loss_fn(preds, targets, batch)
                penalty = self.penalty()
                if penalty is not None:
                    loss = loss + penalty
        except (ArithmeticError, ValueError) as error:
            raise self._diverge(str(error)) from error
        loss.label = "loss"
        if not math.isfinite(loss.data):
            raise self._diverge(f"the loss is {loss.data}")
        self.graph, self.predictions, self.batch, self.roles = loss, preds, batch, roles
        self.phase = "forward"
        self._stepping = False
        return loss

    def update(self) -> StepRecord:
        """Apply the optimizer, unless a grad is not finite; record the step."""
        self._require("backward", "update")
        params = self.model.parameters()
        bad = next((p for p in params if not math.isfinite(p.grad)), None)
        if bad is not None:
            raise self._diverge(f"the grad of {bad.label} is {bad.grad}")
        # before the update: the weights this step's training loss was computed with
        test = self.measure(self.test, penalty=False) if self.test is not None else None
        before = [p.data for p in params]
        optimizer_before = self.optimizer.state_dict()
        lr = self.optimizer.lr
        try:
            self.optimizer.step()
            bad = next((p for p in params if not math.isfinite(p.data)), None)
            reason = f"the update made {bad.label} {bad.data}" if bad is not None else None
        except ArithmeticError as error:
            reason = f"the update failed: {error}"
        if reason is not None:
            # Refuse the whole update: parameters and optimizer state (momentum,
            # Adam's moments, its step count) go back to what they were.
            for p, value in zip(params, before):
                p.data = value
            self.optimizer.load_state_dict(optimizer_before)
            raise self._diverge(reason)
        self.data_before_update = dict(zip(params, before))
        self.optimizer_before_update = optimizer_before  # the panel writes the update out
        self.last_lr = lr
        targets = self.loss_targets(self.dataset)
        record = StepRecord(
            step=self.step_count + 1,
            loss=self.graph.data,
            accuracy=self._accuracy(self.predictions, [targets[i] for i in self.batch]),
            lr=lr,
            test_loss=test.loss if test is not None else None,
            test_accuracy=test.accuracy if test is not None else None,
        )
        self.history.append(record)
        self.phase = "update"
        return record

    def step(self) -> StepRecord:
        """Forward, backward and update: one whole training step."""
        with collector_paused():
            self.forward()
            self.backward()
            return self.update()

    # -- predictions ---------------------------------------------------------------

    def loss_targets(self, data: Dataset) -> tuple[float, ...]:
        """Each sample's target as the loss takes it: the class index for cross-entropy,
        else the data set's own target (+/-1, or a number for regression)."""
        if self.multi_output:
            return tuple(float(label) for label in data.labels)
        return data.ys

    def penalty(self) -> Value | None:
        """The L1 and L2 terms added to the loss, as a graph (None when both are 0)."""
        params = self.model.parameters()
        terms = []
        if self.l1:
            terms.append(l1_regularization(params, self.l1))
        if self.l2:
            terms.append(l2_regularization(params, self.l2))
        if not terms:
            return None
        return terms[0] if len(terms) == 1 else terms[0] + terms[1]

    def loss_of(
        self,
        scores: Sequence[Prediction],
        ys: Sequence[float],
        indices: Sequence[int] | None = None,
        *,
        penalty: bool = True,
    ) -> float:
        """This run's loss (penalties included, unless `penalty` is False) for these scores,
        on plain floats: the loss function over constant leaves, no graph of the model.

        For numbers about the model that must not touch the current graph: a summary
        after training, a test set, or a finite difference in a gradient check. `ys` are
        targets as the loss takes them (`loss_targets`).
        """
        constants = [[Value(v) for v in s] if isinstance(s, list) else Value(s) for s in scores]
        loss = self.loss_fn(constants, ys, indices).data
        if not penalty:
            return loss
        return loss + penalty_value(self.model.parameters(), self.l1, self.l2)

    def measure(self, data: Dataset, *, penalty: bool = True) -> Measure:
        """The model's loss (penalties included unless `penalty` is False) and accuracy on
        every sample of `data`, on plain floats.

        The graph, phase and batch sampler are left as they are.
        """
        scores = self.predict(data.xs)
        targets = self.loss_targets(data)
        loss = self.loss_of(scores, targets, penalty=penalty)
        return Measure(loss, self._accuracy(scores, targets))

    def _accuracy(self, preds: Sequence[Prediction], targets: Sequence[float]) -> float | None:
        if self.dataset.regression:
            return None
        return accuracy(preds, targets, self.threshold)

    def predicted_classes(self, data: Dataset) -> list[int]:
        """The class the model names for each sample of `data` (classification only)."""
        return [predicted_class(s, self.threshold) for s in self.predict(data.xs)]

    def predict(self, points: Sequence[Sequence[float]]) -> list[Prediction]:
        """The model's output for each point, in plain floats (no graph is built): a float,
        or a list of K for a model with K outputs."""
        return self.model.evaluate_many(points)

    def decision_grid(
        self, cols: int, rows: int, bounds: tuple[float, float, float, float] | None = None
    ) -> DecisionGrid:
        """The model's score over a grid covering the data (2-D data sets only)."""
        if self.dataset.n_features != 2:
            raise ValueError(f"a decision boundary needs 2-D data; {self.dataset.name} is not")
        x0, x1, y0, y1 = bounds or self.picture_bounds()
        points = [
            (x0 + (x1 - x0) * (c + 0.5) / cols, y1 - (y1 - y0) * (r + 0.5) / rows)
            for r in range(rows)
            for c in range(cols)
        ]
        layers = self.model.float_layers()
        if self.multi_output:  # K outputs: a cell or a sample reads as its argmax, the class

            def read(out: list[float]) -> float:
                return float(predicted_class(out))

        else:

            def read(out: list[float]) -> float:
                return out[0]

        cells = float_forward(layers, points)[-1]
        outputs = [read(out) for out in cells]
        scores = [tuple(outputs[r * cols : (r + 1) * cols]) for r in range(rows)]
        probabilities = ()
        if self.multi_output:
            top = [top_probability(out) for out in cells]
            probabilities = tuple(tuple(top[r * cols : (r + 1) * cols]) for r in range(rows))
        samples = tuple(read(out) for out in float_forward(layers, self.dataset.xs)[-1])
        test = self.test.xs if self.test is not None else ()
        test_samples = tuple(read(out) for out in float_forward(layers, test)[-1]) if test else ()
        output = self.model.output_activation
        return DecisionGrid(
            (x0, x1, y0, y1),
            cols,
            rows,
            tuple(scores),
            samples,
            output,
            self.multi_output,
            test_samples,
            probabilities,
        )

    def picture_bounds(self, margin: float = 0.5) -> tuple[float, float, float, float]:
        """(xmin, xmax, ymin, ymax) over the training and the test points, widened by margin."""
        points = self.dataset.xs + (self.test.xs if self.test is not None else ())
        a, b = [p[0] for p in points], [p[1] for p in points]
        return min(a) - margin, max(a) + margin, min(b) - margin, max(b) + margin

    # -- helpers -------------------------------------------------------------------

    def _output(self, out: Value | list[Value]) -> Value | list[Value]:
        """One prediction: the model's output, or its K outputs for cross-entropy."""
        if isinstance(out, list) != self.multi_output:
            raise ValueError(f"the {self.loss_name} loss does not fit this model's outputs")
        return out

    def _diverge(self, reason: str) -> TrainingDiverged:
        error = TrainingDiverged(self.step_count + 1, reason)
        self.phase = "ready"
        return error
