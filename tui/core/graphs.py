"""Graphs that are not a network: an expression with values, or a tour lesson's graph.

`StaticTrainer` stands in for `nn.Trainer` in the session, so the tree, the panel,
backward all at once or node by node, and the gradient check work the same on
`tanh(a*b + c)` as on a network. It has the forward and backward phases only: there
are no parameters to update, so a forward pass simply builds a fresh graph again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

from mg_tui.engine import Value
from mg_tui.engine.expression import ExpressionError
from mg_tui.engine.program import Program, parse_program
from mg_tui.nn import PhaseError
from mg_tui.nn.trainer import GraphPhases

if TYPE_CHECKING:
    from mg_tui.tui.core.lessons import Lesson


@dataclass(frozen=True)
class GraphSource:
    """How to build a graph again: `make()` a fresh one; `expression` rebuilds it around
    given leaves (what the gradient check needs). `values` are every leaf's number: the
    ones given (a=2) and the ones the program assigns (f = -2.0)."""

    title: str
    make: Callable[[], Value]
    expression: Program | None = None
    values: tuple[tuple[str, float], ...] = ()

    @classmethod
    def from_expression(cls, text: str, values: Mapping[str, float]) -> GraphSource:
        """Parse and build once, so bad input raises ExpressionError here, not later."""
        program = parse_program(text)
        assigned = [name for name in values if name in program.names]
        if assigned:
            raise ExpressionError(
                f"{', '.join(assigned)} {'is' if len(assigned) == 1 else 'are'} assigned in "
                "the program: give each value once, there or as name=NUMBER"
            )
        unused = [name for name in values if name not in program.variables]
        if unused:
            raise ExpressionError(
                f"{', '.join(unused)} {'is' if len(unused) == 1 else 'are'} not in the "
                f"expression (its variables: {', '.join(program.variables) or 'none'})"
            )
        given = {name: float(values[name]) for name in program.variables if name in values}
        program.build(given)
        leaves = (*given.items(), *program.constants)
        return cls(text, lambda: program.build(given), program, leaves)

    @classmethod
    def from_lesson(cls, lesson: Lesson) -> GraphSource:
        program = parse_program(lesson.expression) if lesson.expression else None
        constants = program.constants if program is not None else ()
        return cls(lesson.title, lesson.build, program, (*lesson.values, *constants))

    def rebuild(self, leaves: Mapping[str, Value]) -> Value:
        """The same computation on these leaf Values (nudge one, rebuild: a numerical check)."""
        if self.expression is None:
            raise ValueError("this graph has no expression to rebuild it from")
        return self.expression.build({**dict(self.values), **leaves})


class StaticTrainer(GraphPhases):
    """The parts of nn.Trainer the session and the stepper use, for a fixed computation."""

    static = True

    def __init__(self, source: GraphSource) -> None:
        self.source = source
        self.title = source.title
        self.phase = "ready"
        self.graph: Value | None = None
        self.roles: dict = {}  # no parameters, inputs or targets: its leaves are variables
        self.predictions: list[Value] = []
        self.batch: list[int] = []
        self.history: list = []
        self.step_count = 0
        self.model = SimpleNamespace(architecture="", parameters=list)
        self.dataset = SimpleNamespace(n_features=0, xs=(), ys=(), name="", classes=())
        self.test = None
        self.multi_output = False
        self.optimizer = SimpleNamespace(lr=0.0)
        self.data_before_update: dict[Value, float] = {}
        self.last_lr: float | None = None
        self.threshold = 0.0
        self.config = None
        self._stepping = False

    def forward(self) -> Value:
        """A fresh graph (new leaves, every grad 0)."""
        self.graph = self.source.make()
        self.phase = "forward"
        self._stepping = False
        return self.graph

    def update(self) -> None:
        raise PhaseError(f"{self.title} has no parameters to update: f builds it afresh")

    def step(self) -> None:
        self.update()


def is_static(trainer: object) -> bool:
    return getattr(trainer, "static", False)
