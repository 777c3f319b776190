"""The backward phase, all at once or one node at a time.

`BackwardController` is the seam for the node-by-node stepper (issue 5): the app
owns one, `run_all()` is what the `b` key does, and `start()` / `step()` / `undo()` /
`finish()` / `abandon()` walk the graph with `Trainer.backward_steps()`. Whoever
starts a walk must finish or abandon it before the next forward pass or update, so
a model update never sees half-accumulated grads; `settle()` does whichever is
right and the session calls it before every other command.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine import BackwardStep
from nn import Trainer


class BackwardController:
    """Runs `trainer`'s backward phase, either in one go or as a resumable walk."""

    def __init__(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self.applied: list[BackwardStep] = []  # the walk so far, oldest first
        self._walk: Iterator[BackwardStep] | None = None

    @property
    def active(self) -> bool:
        """True while a node-by-node walk is started and not finished."""
        return self._walk is not None

    @property
    def last(self) -> BackwardStep | None:
        return self.applied[-1] if self.applied else None

    def run_all(self) -> None:
        """Backprop every node: finishes a walk in progress, or runs `Trainer.backward()`."""
        if self._walk is not None:
            self.finish()
        else:
            self.trainer.backward()

    def start(self) -> None:
        """Begin a walk after a forward pass (raises nn.PhaseError otherwise)."""
        self.abandon()
        self.trainer._require("forward", "backward")
        self._walk = self.trainer.backward_steps()
        self.applied = []

    def step(self) -> BackwardStep | None:
        """Process the next node; None (and phase "backward") once every node is done."""
        if self._walk is None:
            return None
        try:
            step = next(self._walk)
        except StopIteration:
            self._walk = None
            return None
        self.applied.append(step)
        if step.position == step.total:
            self._close()
        return step

    def undo(self) -> BackwardStep | None:
        """Take back the newest node's contributions exactly (only during a walk)."""
        if self._walk is None or not self.applied:
            return None
        step = self.applied.pop()
        step.undo()
        return step

    def finish(self) -> None:
        """Process every remaining node: the grads end as `backward()` leaves them."""
        while self._walk is not None:
            self.step()

    def abandon(self) -> None:
        """Undo the whole walk: grads go back to where the forward pass left them."""
        if self._walk is None:
            return
        for step in reversed(self.applied):
            step.undo()
        self.applied = []
        self._walk = None
        self.trainer.graph.grad = 0.0  # prepare() seeded the root with 1.0

    def settle(self) -> None:
        """Before any other phase: a started walk is finished, never left half-applied."""
        if self._walk is not None:
            self.finish()

    def _close(self) -> None:
        # Exhaust the generator so the Trainer moves to its "backward" phase.
        assert self._walk is not None
        for _ in self._walk:
            pass
        self._walk = None
