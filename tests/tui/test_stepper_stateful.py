"""The stepper's keys, autoplay and the worker's commands in any order, against a reference.

`tui/controllers/stepper.Stepper` drives the backward walk from the keys (`.` `,` `F`,
autoplay `w` and its timer) while the worker's commands (f b u s) settle it. After every
rule, each grad of the graph on screen equals a reference partial pass of the chain rule
over the nodes the walk has processed, computed here on floats from the grads the walk
started from; a walk that a command finishes leaves the grads of a whole pass, to the bit.
The host is a plain object: the stepper uses only what its `StepperHost` protocol names.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from mg_tui.engine import topological_order
from mg_tui.nn import PhaseError
from mg_tui.nn.config import RunConfig
from mg_tui.tui.controllers.quizzer import Quizzer
from mg_tui.tui.controllers.stepper import Stepper
from mg_tui.tui.core.session import Command, Session

from tests.tui.core.test_walk_stateful import reference_pass


class Tree:
    """The graph tree as the stepper sees it: a selected value, paths it opens."""

    cursor_node = None

    def __init__(self) -> None:
        self.selected = None
        self.opened: list[tuple[int, ...]] = []

    def value_of(self, _node):
        return self.selected

    def expand_path(self, path) -> None:
        self.opened.append(path)

    def refresh_values(self) -> None:
        pass


class Timer:
    def __init__(self, callback) -> None:
        self.callback = callback
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True


class Host:
    """The screen, reduced to what the stepper uses of it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.snapshot = session.snapshot()
        self.playing = False
        self.tree = Tree()
        self.timers: list[Timer] = []
        self.app = None

    def show(self, snapshot) -> None:
        self.snapshot = snapshot

    def show_walk(self, snapshot) -> None:
        pass

    def notify(self, message: str, **_kwargs) -> None:
        pass

    def set_interval(self, _interval: float, callback) -> Timer:
        self.timers.append(Timer(callback))
        return self.timers[-1]

    def run_worker(self, *_args, **_kwargs) -> None:
        raise AssertionError("the stepper starts no worker")


class StepperKeys(RuleBasedStateMachine):
    @initialize(seed=st.integers(0, 3))
    def build(self, seed: int) -> None:
        config = RunConfig(seed=seed)
        self.session = Session(config)
        self.session.run(Command("build", config))
        self.host = Host(self.session)
        self.stepper = Stepper(self.host, Quizzer(self.host))
        self.start: dict[int, float] | None = None  # grads when the walk on screen began

    # -- the reference's bookkeeping -------------------------------------------------------

    @property
    def walk(self):
        return self.session.backward

    def _order(self):
        return list(reversed(topological_order(self.session.trainer.graph)))

    def _key(self, press) -> None:
        """A stepper key; the grads it starts a walk from are the reference's start."""
        if not self.walk.active:
            self.start = {id(n): n.grad for n in self._order()}
        press()
        if not self.walk.active:
            self.start = None

    # -- rules: the stepper's keys ---------------------------------------------------------

    @rule()
    def node_step(self) -> None:
        self._key(self.stepper.step)

    @rule()
    def node_back(self) -> None:
        self._key(self.stepper.back)

    @rule(pick=st.integers(0, 10**6))
    def until_final(self, pick: int) -> None:
        order = self._order()
        self.host.tree.selected = order[pick % len(order)]
        self._key(self.stepper.until_final)
        if self.walk.active:
            assert self.walk.is_final(self.host.tree.selected) or self.walk.complete

    @rule()
    def autoplay(self) -> None:
        self._key(self.stepper.toggle_autoplay)

    @rule()
    def timer_fires(self) -> None:
        live = [t for t in self.host.timers if not t.stopped]
        if live:
            self._key(live[0].callback)

    # -- rules: the worker's commands --------------------------------------------------------

    @rule(name=st.sampled_from(["forward", "backward", "update", "step"]))
    def command(self, name: str) -> None:
        walking, start = self.walk.active, self.start
        order = self._order()
        with self.session.lock:
            try:
                snapshot = self.session.run(Command(name))
            except PhaseError:
                snapshot = None
        if snapshot is not None:
            self.host.snapshot = snapshot  # what the screen does with SessionUpdated
        assert not self.walk.active  # every command settles a walk
        if walking and name == "backward":  # it finished the walk: a whole pass
            grads, _ = reference_pass(order[0], order, start, len(order))
            assert [n.grad for n in order] == [grads[id(n)] for n in order]
        self.start = None

    # -- what the screen shows ---------------------------------------------------------------

    @invariant()
    def grads_are_the_reference_partial_pass(self) -> None:
        if not hasattr(self, "stepper") or not self.walk.active:
            return
        order = self._order()
        grads, _ = reference_pass(order[0], order, self.start, self.walk.cursor)
        assert [n.grad for n in order] == [grads[id(n)] for n in order]
        assert self.host.snapshot.walk is self.walk

    @invariant()
    def one_timer_while_autoplaying(self) -> None:
        if not hasattr(self, "stepper"):
            return
        live = [t for t in self.host.timers if not t.stopped]
        assert len(live) == (1 if self.stepper.autoplaying else 0)


TestStepperKeys = StepperKeys.TestCase
TestStepperKeys.settings = settings(
    max_examples=100,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
