"""The session keeps a hand-edited training set through a reset, never into other data."""

from __future__ import annotations

import math
from contextlib import suppress
from dataclasses import replace

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from mg_tui.nn import PhaseError
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.tui.core.data_editing import EditRequest
from mg_tui.tui.core.session import Command, Session

MOONS = RunConfig(dataset="moons", samples=12, arch=(4,), activation="relu", seed=1)


def edited_session() -> Session:
    session = Session(MOONS)
    session.run(Command("build", MOONS))
    session.run(Command("edit_data", EditRequest((0.25, 0.75), 1)))
    return session


def test_a_reset_keeps_the_added_point_and_starts_from_the_seeded_weights() -> None:
    session = edited_session()
    before = session.trainer.dataset
    assert len(before) == 13 and before.xs[-1] == (0.25, 0.75) and before.ys[-1] == 1.0
    session.run(Command("step"))
    session.run(Command("build", MOONS))  # what r sends
    assert session.trainer.dataset == before and session.trainer.step_count == 0
    fresh = Session(MOONS)
    fresh.run(Command("build", MOONS))
    assert session.trainer.model.state_dict() == fresh.trainer.model.state_dict()
    assert len(session.trainer.batch) == 13  # the graph on screen has the point


def test_other_data_drops_the_edits() -> None:
    session = edited_session()
    session.run(Command("build", replace(MOONS, seed=2)))  # another draw of moons
    assert len(session.trainer.dataset) == 12 and session.trainer.edits.empty


# -- edits in any order with steps and the node-by-node walk ----------------------------

XOR = RunConfig(dataset="xor", samples=8, arch=(3,), seed=1)
COORD = st.floats(-1.5, 1.5, allow_nan=False)


class EditsAmongSteps(RuleBasedStateMachine):
    """Clicks on the boundary between any keys. The reference is a plain list of the
    training points the next step will use. While a step is under way its set never
    changes, the graph's loss is that set's loss, and once backward is done every grad is,
    to the bit, what a fresh backward pass on that set at those weights gives. (A finished
    step's graph stays on screen after an edit: the edit is for the next step.)"""

    @initialize()
    def build(self) -> None:
        self.session = Session(XOR)
        self.session.run(Command("build", XOR))
        base = self.session.trainer.base_dataset
        self.points = list(zip(base.xs, base.ys))  # the reference: what the next step uses
        self._graph_seen()

    def _graph_seen(self) -> None:
        trainer = self.session.trainer
        self.graph, self.graph_set = trainer.graph, trainer.dataset

    def _run(self, name: str, arg: object = None) -> None:
        with suppress(PhaseError, ValueError):
            self.session.run(Command(name, arg))
        if self.session.trainer.graph is not self.graph:
            self._graph_seen()

    @rule(name=st.sampled_from(["step", "forward", "backward", "update"]))
    def command(self, name: str) -> None:
        self._run(name)

    @rule(operation=st.sampled_from(["step_node", "undo_node", "finish"]))
    def stepper(self, operation: str) -> None:
        controller = self.session.backward
        with suppress(PhaseError):
            if not controller.active:
                if operation != "step_node":
                    return
                controller.start(self.session.index)
            getattr(controller, operation)()

    @rule(x=COORD, y=COORD, label=st.sampled_from([0, 1]))
    def click(self, x: float, y: float, label: int) -> None:
        self._run("edit_data", EditRequest((x, y), label))
        self.points.append(((x, y), 1.0 if label == 1 else -1.0))

    @rule(x=COORD, y=COORD)
    def right_click(self, x: float, y: float) -> None:
        self._run("edit_data", EditRequest((x, y)))
        if len(self.points) > 1:  # the last point is never removed
            nearest = min(
                range(len(self.points)), key=lambda i: math.dist(self.points[i][0], (x, y))
            )
            del self.points[nearest]

    @invariant()
    def the_next_step_trains_on_the_reference_set(self) -> None:
        trainer = self.session.trainer
        upcoming = trainer.current_edits.apply(trainer.base_dataset)
        assert list(zip(upcoming.xs, upcoming.ys)) == self.points

    @invariant()
    def the_graph_on_screen_is_its_own_sets(self) -> None:
        trainer = self.session.trainer
        if trainer.phase in ("forward", "backward"):  # a step under way: its own set, weights
            assert trainer.dataset == self.graph_set
            assert len(trainer.batch) == len(trainer.dataset)
            float_loss = trainer.measure(trainer.dataset).loss
            assert math.isclose(trainer.graph.data, float_loss, rel_tol=1e-9, abs_tol=1e-12)
        if trainer.phase == "backward" and not self.session.backward.active:
            twin = build_trainer(XOR)
            twin.model.load_state_dict(trainer.model.state_dict())
            twin.edit_data(trainer.edits)
            twin.forward()
            twin.backward()
            grads = [p.grad for p in trainer.model.parameters()]
            assert grads == [p.grad for p in twin.model.parameters()]


TestEditsAmongSteps = EditsAmongSteps.TestCase
TestEditsAmongSteps.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
