"""The gradient check in the app: backprop's grad beside a central difference.

For one leaf (a parameter or an input of the network, a variable of an expression)
or for every parameter: nudge the leaf's value by ±eps, build the loss again from
scratch and take (f(x+eps) - f(x-eps)) / 2eps. The graph on screen is never touched:
the analytic grad comes from a fresh graph too (one backward pass), and every grad the
fresh passes add to the model's shared parameters is put back afterwards. Runs in a
thread worker under the session lock (a moons model takes a while).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from engine import GradientCheck, GradientReport, Value, numerical_derivative
from nn.losses import l2_regularization
from tui.graph_index import kind, name
from tui.static_graph import is_static

EPS = 1e-6
AGREE = 1e-6  # relative error below which the check says "agree"

Progress = Callable[[int, int], None]


class NotCheckable(ValueError):
    """The selected node cannot be checked (an operation, a target, a constant)."""


@dataclass(frozen=True)
class Problem:
    """A loss to rebuild from scratch, the leaves it can be nudged at, and what to restore."""

    rebuild: Callable[[], Value]
    shared: Sequence[Value]  # leaves of the live graph a fresh backward adds grads to


def network_problem(trainer, inputs: dict[str, Value] | None = None) -> Problem:
    """The trainer's loss on its current batch, from the model's current parameters.

    `inputs` maps input labels (`x[2][0]`) to Values to use instead of fresh ones, so
    an input can be nudged too. Mirrors nn.Trainer.forward.
    """
    inputs = inputs or {}
    xs, ys, batch = trainer.dataset.xs, trainer.dataset.ys, trainer.batch
    params = trainer.model.parameters()

    def rebuild() -> Value:
        rows = [
            [inputs.get(f"x[{i}][{j}]") or Value(v, f"x[{i}][{j}]") for j, v in enumerate(xs[i])]
            for i in batch
        ]
        preds = [trainer._output(trainer.model(x)) for x in rows]
        loss = trainer.loss_fn(preds, [ys[i] for i in batch], batch)
        if trainer.l2:
            loss = loss + l2_regularization(params, trainer.l2)
        return loss

    return Problem(rebuild, params)


def expression_problem(trainer, leaves: dict[str, Value]) -> Problem:
    source = trainer.source
    return Problem(lambda: source.rebuild(leaves), ())


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
            checks.append(GradientCheck(x, a, numerical_derivative(problem.rebuild, x, eps)))
            if progress is not None:
                progress(n, len(wrt))
        return GradientReport(tuple(checks))
    finally:
        for p, g in zip(problem.shared, saved):
            p.grad = g
        for x, g in zip(wrt, saved_wrt):
            x.grad = g


def check_value(trainer, value: Value, eps: float = EPS) -> GradientCheck:
    """Check one leaf of the live graph (raises NotCheckable for anything else)."""
    if value.inputs:
        raise NotCheckable(f"{name(value)} is computed: select a parameter or an input (a leaf)")
    if not value.label:
        raise NotCheckable("a constant has no derivative to check: select a parameter or input")
    if is_static(trainer):
        if trainer.source.expression is None:
            raise NotCheckable("this lesson's graph cannot be rebuilt for a numerical check")
        mine = Value(value.data, value.label)
        problem = expression_problem(trainer, {value.label: mine})
    else:
        k = kind(value)
        if k == "param":
            mine = value
            problem = network_problem(trainer)
        elif k == "input":
            mine = Value(value.data, value.label)
            problem = network_problem(trainer, {value.label: mine})
        else:
            raise NotCheckable(f"{value.label} is a {k}: select a parameter or an input")
    result = check(problem, [mine], eps).checks[0]
    return GradientCheck(value, result.analytic, result.numerical)


def check_all(trainer, eps: float = EPS, progress: Progress | None = None) -> GradientReport:
    """Every parameter of the network, or every variable of an expression."""
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
