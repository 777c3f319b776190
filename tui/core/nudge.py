"""The lecture's first experiment: nudge a leaf by h and watch the output move.

    output(x + h) - output(x)  ~=  grad * h

For a variable of an expression, a parameter or an input of the network: the output
(the expression's root or the loss) is evaluated again with the leaf at x + h, on the
same graph the screen shows (the weights it was built with), and set beside grad × h,
where grad comes from a full backward pass of that graph. Nothing on screen changes:
the leaf's data and every grad are as before afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

from mg_tui.engine import Value
from mg_tui.tui.core.gradient_check import (
    check,
    leaf_problem,
    weights_of_the_graph,
)
from mg_tui.tui.core.graph_index import name

STEPS = (0.1, 0.01, 0.001, 0.0001)  # the h a learner can choose, largest first
DEFAULT_STEP = 0.001


@dataclass(frozen=True)
class Nudge:
    """One nudge: the leaf, h, the output before and after, and backprop's grad."""

    leaf: str
    h: float
    before: float
    after: float
    grad: float

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def predicted(self) -> float:
        """What the grad says the change is, to first order."""
        return self.grad * self.h


def nudge(trainer, value: Value, h: float = DEFAULT_STEP) -> Nudge:
    """Nudge `value` (a leaf of the graph on screen) by `h`; raises NotCheckable otherwise."""
    with weights_of_the_graph(trainer):
        return _nudge(trainer, value, h)


def _nudge(trainer, value: Value, h: float) -> Nudge:
    leaf = leaf_problem(trainer, value)
    mine = leaf.leaf
    grad = check(leaf.problem, [mine], h).checks[0].analytic  # a full backward, grads restored
    before = leaf.output()
    original = mine.data
    try:
        mine.data = original + h
        after = leaf.output()
    finally:
        mine.data = original
    return Nudge(name(value), h, before, after, grad)
