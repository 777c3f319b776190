"""Side trips under any order of keys: the network comes back exactly as it was.

A user trains, walks backprop node by node, opens expressions and lessons, walks and
trains those, and comes back, in any order. The reference is a second session that
receives only the commands given while the network was shown, as if the side trips
had never happened. Whenever the network is shown, its every parameter (data and
grad, to the bit), step count, history, phase and walk position must equal the
reference's; nothing done away may leak into it.
"""

from __future__ import annotations

from contextlib import suppress

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from mg_tui.nn import PhaseError
from mg_tui.nn.config import RunConfig
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.core.lessons import LESSONS
from mg_tui.tui.core.session import Command, Session

# Lessons that a test can open quickly: graphs, and networks without scikit-learn.
QUICK_LESSONS = [
    lesson for lesson in LESSONS if lesson.config is None or lesson.config.dataset == "tiny"
]
EXPRESSIONS = [
    ("a*b + c", {"a": 2.0, "b": -3.0, "c": 10.0}),
    ("tanh(x*x - y)", {"x": 0.5, "y": 2.0}),
]


def run(session: Session, name: str, arg: object = None) -> None:
    """A command as the worker runs it; the errors the app shows and goes on from."""
    with suppress(PhaseError, ValueError):
        session.run(Command(name, arg))


def walk(session: Session, operation: str) -> None:
    """A stepper key (`.` or `,`) as the app applies it: starts a walk when allowed."""
    controller = session.backward
    try:
        if not controller.active:
            if operation != "step_node":
                return
            controller.start(session.index)
        getattr(controller, operation)()
    except PhaseError:
        pass


def state(session: Session) -> dict[str, object]:
    trainer = session.trainer
    walk = session.backward
    return {
        "params": [(p.data, p.grad) for p in trainer.model.parameters()],
        "step": trainer.step_count,
        "history": [(r.loss, r.accuracy) for r in trainer.history],
        "phase": trainer.phase,
        "loss": trainer.graph.data if trainer.graph is not None else None,
        "walk": (walk.active, walk.cursor if walk.active else None),
    }


class SideTrips(RuleBasedStateMachine):
    @initialize()
    def build(self) -> None:
        self.session = Session(RunConfig())
        self.reference = Session(RunConfig())
        run(self.session, "build", RunConfig())
        run(self.reference, "build", RunConfig())
        self.network = self.session.trainer

    @property
    def away(self) -> bool:
        return self.session.away

    def both(self, name: str) -> None:
        """A key that acts on whatever is shown: the reference sees it only at home."""
        run(self.session, name)
        if not self.away:
            run(self.reference, name)

    @rule(name=st.sampled_from(["step", "forward", "backward", "update"]))
    def command(self, name: str) -> None:
        if self.session.static and name != "forward":
            return  # the app hides these keys on an expression (check_action)
        self.both(name)

    @rule(operation=st.sampled_from(["step_node", "undo_node", "finish"]))
    def stepper(self, operation: str) -> None:
        walk(self.session, operation)
        if not self.away:
            walk(self.reference, operation)

    @rule(which=st.sampled_from(EXPRESSIONS))
    def expression(self, which) -> None:
        text, values = which
        run(self.session, "graph", GraphSource.from_expression(text, values))

    @rule(lesson=st.sampled_from(QUICK_LESSONS))
    def lesson(self, lesson) -> None:
        if lesson.config is not None:
            run(self.session, "lesson", lesson.config)
        else:
            run(self.session, "graph", GraphSource.from_lesson(lesson))

    @rule()
    def leave(self) -> None:
        run(self.session, "network")

    @invariant()
    def the_network_is_as_the_reference_says(self) -> None:
        if self.away:
            assert self.session.kept_network().trainer is self.network
            return
        assert self.session.trainer is self.network
        assert state(self.session) == state(self.reference)


TestSideTrips = SideTrips.TestCase
TestSideTrips.settings = settings(
    max_examples=60,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
