"""The gradient check in the app: backprop's grad beside a central difference.

For one leaf (a parameter or an input of the network, a variable of an expression)
or for every parameter: nudge the leaf's value by ±eps, evaluate the loss again and
take (f(x+eps) - f(x-eps)) / 2eps. The graph on screen is never touched: the analytic
grad comes from a fresh graph (one backward pass), and every grad that pass adds to
the model's shared parameters is put back afterwards.

The numerical side of a network check runs on plain floats (`FloatLoss`): the same
forward arithmetic as the engine's graph, but no Value per operation, and each nudge
recomputes only what depends on the nudged value (the layers after a weight's neuron,
one sample for an input). Rebuilding the moons graph (38,000 nodes) twice for each of
337 parameters took 80 s; the floats take well under a second. Expressions are small
and are rebuilt as graphs. Runs in a thread worker under the session lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from mg_tui.engine import GradientCheck, GradientReport, Value, numerical_derivative
from mg_tui.tui.core.graph_index import kind, name
from mg_tui.tui.core.graphs import is_static

EPS = 1e-6
AGREE = 1e-6  # relative error below which the check says "agree"

Progress = Callable[[int, int], None]
Numerical = Callable[[Value, float], float]  # (leaf, eps) -> central difference
Inputs = dict[tuple[int, int], Value]  # (sample, feature) -> the input Value to nudge


class NotCheckable(ValueError):
    """The selected node cannot be checked (an operation, a target, a constant)."""


@dataclass(frozen=True)
class Problem:
    """A loss: its graph for backprop, its central difference, and what to restore."""

    rebuild: Callable[[], Value]  # a fresh graph of the loss, for the analytic side
    numerical: Numerical  # d loss / d leaf by central difference
    shared: Sequence[Value]  # leaves of the live graph a fresh backward adds grads to


class FloatLoss:
    """The trainer's loss on its current batch, evaluated on plain floats.

    Mirrors nn.Trainer.forward operation for operation: each neuron is
    act(sum([b, w0*x0, w1*x1, ...])) as the engine's n-ary sum node adds it, the
    predictions go through the trainer's own loss function (a graph of one leaf per
    sample), and the penalties are the trainer's (l2 * sum(p*p), l1 * sum(|p|)). So it
    equals the graph's loss to the last bit or two (tests/tui/test_gradcheck_ui.py checks 1e-12).

    Every layer's outputs for every sample are computed once, from the model as it
    is at the first derivative; a nudge then recomputes only the nudged neuron and
    the layers after it, or only the nudged input's sample. The nudged value is read
    from its Value's `.data`, where numerical_derivative puts it.
    """

    def __init__(self, trainer, inputs: Inputs | None = None) -> None:
        self.trainer = trainer
        self.model = trainer.model
        self.batch = list(trainer.batch)
        targets = trainer.loss_targets(trainer.dataset)
        self.targets = [targets[i] for i in self.batch]
        self.rows = [list(trainer.dataset.xs[i]) for i in self.batch]
        # input label -> (position in the batch, feature), for the inputs to nudge
        self.inputs: dict[int, tuple[Value, int, int]] = {}
        position = {i: s for s, i in enumerate(self.batch)}
        for (i, j), value in (inputs or {}).items():
            if i in position:
                self.inputs[id(value)] = (value, position[i], j)
        # parameter -> (layer, neuron) that holds it
        self.where: dict[int, tuple[int, int]] = {
            id(p): (k, n)
            for k, layer in enumerate(self.model.layers)
            for n, neuron in enumerate(layer.neurons)
            for p in neuron.parameters()
        }
        self.acts: list[list[list[float]]] | None = None  # acts[k][s]: layer k's input

    def loss(self, preds: Sequence[float]) -> float:
        """The trainer's loss of these predictions (penalties included) at the parameters' data."""
        return self.trainer.loss_of(preds, self.targets, self.batch)

    def __call__(self) -> float:
        """The loss from scratch (every layer of every sample): for tests."""
        preds = []
        for row in self.rows:
            out = row
            for layer in self.model.layers:
                out = [n.evaluate(out) for n in layer.neurons]
            preds.append(_final(out))
        return self.loss(preds)

    def derivative(self, x: Value, eps: float) -> float:
        """Central difference of the loss with respect to a parameter or a nudged input."""
        self.at(x)  # caches every layer's outputs before x moves
        return numerical_derivative(lambda: Value(self.at(x)), x, eps)

    def at(self, x: Value) -> float:
        """The loss with `x` (a parameter or a nudged input) at its current `.data`.

        The first call caches every layer's outputs: make it before moving `x`.
        """
        if self.acts is None:
            self._cache()
        if id(x) in self.where:
            return self._nudged_neuron(*self.where[id(x)])
        if id(x) in self.inputs:
            _, s, j = self.inputs[id(x)]
            return self._nudged_input(s, j, x)
        raise NotCheckable(f"{name(x)} is not a parameter or an input of this step's loss")

    def _cache(self) -> None:
        acts = [self.rows]
        for layer in self.model.layers:
            acts.append([[n.evaluate(out) for n in layer.neurons] for out in acts[-1]])
        self.acts = acts

    def _nudged_neuron(self, k: int, n: int) -> float:
        """The loss when neuron n of layer k has changed: that neuron, then the rest."""
        layers = self.model.layers
        neuron, later = layers[k].neurons[n], layers[k + 1 :]
        preds = []
        for before, after in zip(self.acts[k], self.acts[k + 1]):
            out = after.copy()
            out[n] = neuron.evaluate(before)
            for layer in later:
                out = [m.evaluate(out) for m in layer.neurons]
            preds.append(_final(out))
        return self.loss(preds)

    def _nudged_input(self, s: int, j: int, x: Value) -> float:
        """The loss when feature j of the batch's sample s is x.data: that sample again."""
        out = self.rows[s].copy()
        out[j] = x.data
        for layer in self.model.layers:
            out = [m.evaluate(out) for m in layer.neurons]
        preds = [_final(final) for final in self.acts[-1]]
        preds[s] = _final(out)
        return self.loss(preds)


def _final(outputs: list[float]) -> float | list[float]:
    """The model's prediction from its last layer's outputs: one float, or the K outputs."""
    return outputs[0] if len(outputs) == 1 else outputs


def network_problem(trainer, inputs: Inputs | None = None) -> Problem:
    """The trainer's loss on its current batch, from the model's current parameters.

    `inputs` maps (sample, feature) to Values to use instead of fresh ones, so
    an input can be nudged too. The graph mirrors nn.Trainer.forward; the numerical
    side is a FloatLoss.
    """
    inputs = inputs or {}
    xs, ys, batch = trainer.dataset.xs, trainer.loss_targets(trainer.dataset), trainer.batch
    params = trainer.model.parameters()

    def rebuild() -> Value:
        rows = [
            [inputs.get((i, j)) or Value(v, f"x[{i}][{j}]") for j, v in enumerate(xs[i])]
            for i in batch
        ]
        preds = [trainer._output(trainer.model(x)) for x in rows]
        loss = trainer.loss_fn(preds, [ys[i] for i in batch], batch)
        penalty = trainer.penalty()
        return loss if penalty is None else loss + penalty

    return Problem(rebuild, FloatLoss(trainer, inputs).derivative, params)


def expression_problem(trainer, leaves: dict[str, Value]) -> Problem:
    source = trainer.source

    def rebuild() -> Value:
        return source.rebuild(leaves)

    return Problem(rebuild, lambda x, eps: numerical_derivative(rebuild, x, eps), ())


def check(
    problem: Problem, wrt: Sequence[Value], eps: float = EPS, progress=None
) -> GradientReport:
    """Analytic (a fresh backward) and numerical derivative for each of `wrt`."""
    saved = [p.grad for p in problem.shared]
    saved_wrt = [x.grad for x in wrt]
    try:
        for x in wrt:
            x.grad = 0.0
        problem.rebuild().backward()
        analytic = [x.grad for x in wrt]
        checks = []
        for n, (x, a) in enumerate(zip(wrt, analytic), start=1):
            checks.append(GradientCheck(x, a, problem.numerical(x, eps)))
            if progress is not None:
                progress(n, len(wrt))
        return GradientReport(tuple(checks))
    finally:
        for p, g in zip(problem.shared, saved):
            p.grad = g
        for x, g in zip(wrt, saved_wrt):
            x.grad = g


@contextmanager
def weights_of_the_graph(trainer) -> Iterator[None]:
    """Put back, for the block, the weights the graph on screen was built with.

    After an update (`s` or `u`) the panel still describes that step's graph, whose grads
    were computed at the weights before the update; the check must use those, not the
    updated ones. The parameters' data is restored exactly afterwards.
    """
    if is_static(trainer) or trainer.phase != "update" or not trainer.data_before_update:
        yield
        return
    before = trainer.data_before_update
    now = {p: p.data for p in before}
    try:
        for p, data in before.items():
            p.data = data
        yield
    finally:
        for p, data in now.items():
            p.data = data


def checked_weights(trainer) -> str:
    """Which graph and which weights a check uses, in words for its screen."""
    if is_static(trainer):
        return f"the expression {trainer.title}" if trainer.title else ""
    if trainer.phase == "update":
        return (
            f"step {trainer.step_count}'s graph, at the weights it was built with "
            "(before that step's update)"
        )
    return f"the graph of step {trainer.step_count + 1}, at the current weights"


def check_value(trainer, value: Value, eps: float = EPS) -> GradientCheck:
    """Check one leaf of the graph on screen (raises NotCheckable for anything else)."""
    with weights_of_the_graph(trainer):
        return _check_value(trainer, value, eps)


@dataclass(frozen=True)
class LeafProblem:
    """One leaf of the graph on screen, made ready to move: the Value to move (`leaf`), the
    loss to differentiate, and `output()`, the loss with `leaf` at its current `.data`."""

    leaf: Value
    problem: Problem
    output: Callable[[], float]


def leaf_problem(trainer, value: Value) -> LeafProblem:
    """The check's and the nudge's shared setup; NotCheckable for anything but a leaf."""
    if value.inputs:
        raise NotCheckable(f"{name(value)} is computed: select a parameter or an input (a leaf)")
    if not value.label:
        raise NotCheckable("a constant has no derivative: select a parameter or an input")
    if is_static(trainer):
        if trainer.source.expression is None:
            raise NotCheckable("this lesson's graph cannot be rebuilt with a moved leaf")
        mine = Value(value.data, value.label)
        problem = expression_problem(trainer, {value.label: mine})
        return LeafProblem(mine, problem, lambda: problem.rebuild().data)
    k = kind(value, trainer.roles)
    if k == "param":
        mine, inputs = value, None
    elif k == "input":
        role = trainer.roles[value]
        mine = Value(value.data, value.label)
        inputs = {(role.sample, role.feature): mine}
    else:
        raise NotCheckable(f"{value.label} is a {k}: select a parameter or an input")
    loss = FloatLoss(trainer, inputs)
    return LeafProblem(mine, network_problem(trainer, inputs), lambda: loss.at(mine))


def _check_value(trainer, value: Value, eps: float) -> GradientCheck:
    leaf = leaf_problem(trainer, value)
    result = check(leaf.problem, [leaf.leaf], eps).checks[0]
    return GradientCheck(value, result.analytic, result.numerical)


def check_all(trainer, eps: float = EPS, progress: Progress | None = None) -> GradientReport:
    """Every parameter of the network, or every variable of an expression."""
    with weights_of_the_graph(trainer):
        return _check_all(trainer, eps, progress)


def _check_all(trainer, eps: float, progress: Progress | None) -> GradientReport:
    if is_static(trainer):
        source = trainer.source
        if source.expression is None:
            raise NotCheckable("this lesson's graph cannot be rebuilt for a numerical check")
        leaves = {n: Value(v, n) for n, v in source.values}
        return check(expression_problem(trainer, leaves), list(leaves.values()), eps, progress)
    params = trainer.model.parameters()
    return check(network_problem(trainer), params, eps, progress)


def verdict(error: float) -> str:
    return "agree" if error < AGREE else ("close" if error < 1e-3 else "DISAGREE")
