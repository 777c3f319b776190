"""Backprop node by node: the stepper's keys (. , g a < >) and its autoplay timer.

The walk itself is `tui/core/walk.BackwardController` (exact under any order of step,
undo, run-to-final and finish); this drives it from the UI thread: one node is a few
multiplications. It takes the session lock without waiting, so a node is never
processed while a worker command runs, and every worker command settles a walk first
(`BackwardController.settle()`), so an update never sees half-accumulated grads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from mg_tui import nn
from mg_tui.tui.components.graph_tree import MAX_CHILDREN
from mg_tui.tui.controllers.host import ScreenHost
from mg_tui.tui.core.walk import BackwardController

if TYPE_CHECKING:
    from mg_tui.engine import BackwardStep
    from mg_tui.tui.components.graph_tree import GraphTree
    from mg_tui.tui.controllers.quizzer import Quizzer
    from mg_tui.tui.core.session import Session
    from mg_tui.tui.core.snapshot import Snapshot
    from textual.timer import Timer

PACES = (2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.02)  # seconds per node for autoplay
DEFAULT_PACE = 2  # index into PACES: two nodes a second


class StepperHost(ScreenHost, Protocol):
    """What the stepper uses of the screen."""

    session: Session
    snapshot: Snapshot | None
    playing: bool

    @property
    def tree(self) -> GraphTree: ...

    def show(self, snapshot: Snapshot) -> None: ...

    def show_walk(self, snapshot: Snapshot) -> None: ...

    def set_interval(self, interval: float, callback: Callable[[], object]) -> Timer: ...


class Stepper:
    """One node at a time, by key or on a timer; the quiz asks before each node."""

    def __init__(self, host: StepperHost, quizzer: Quizzer) -> None:
        self.host = host
        self.quizzer = quizzer
        self.pace_index = DEFAULT_PACE
        self._autoplay: Timer | None = None
        self._autoplay_walked = False  # this autoplay has processed a node (never restarts)

    def walk(self, operation: Callable[[BackwardController], object], *, start: bool = True):
        """Apply `operation` to the walk (starting one if needed and allowed) and redraw.

        Returns what the operation returned, or None if nothing could be done now.
        """
        host, session = self.host, self.host.session
        controller = session.backward
        if controller is None or host.playing or host.snapshot is None:
            return None
        if not session.lock.acquire(blocking=False):
            return None  # a worker command is running; it settles the walk anyway
        try:
            if not controller.active:
                if not start:
                    return None
                controller.start(session.index)
            result = operation(controller)
            snapshot = replace(
                host.snapshot,
                phase=session.trainer.phase,
                walk=controller if controller.active else None,
                graph_changed=False,
            )
        except nn.PhaseError:
            host.notify(
                "The stepper walks a fresh graph: press f for a forward pass first.",
                title="Backprop node by node",
                severity="warning",
            )
            return None
        finally:
            session.lock.release()
        host.show(snapshot)
        return result

    def select(self, step: BackwardStep | None) -> None:
        """Put the tree's cursor on the node a step processed, opening only the way there."""
        snapshot = self.host.snapshot
        index = snapshot.index if snapshot else None
        if step is None or index is None:
            return
        path = index.path_of(step.node, MAX_CHILDREN)
        if path is not None:
            self.host.tree.expand_path(path)

    def step(self) -> None:
        """`.`: the next node (in quiz mode, after the question about it)."""
        if self.quizzer.on:
            question = self.walk(lambda _: self.quizzer.question())  # starts the walk
            if question is not None:
                self.quizzer.ask(question, self._step)
                return
        self._step()

    def _step(self) -> None:
        self.select(self.walk(BackwardController.step_node))

    def back(self) -> None:
        """`,`: undo the last node."""
        self.select(self.walk(BackwardController.undo_node, start=False))

    def until_final(self) -> None:
        """`g`: process nodes until the selected node's grad is final."""
        tree = self.host.tree
        value = tree.value_of(tree.cursor_node)
        if value is None:
            return
        controller = self.host.session.backward
        if controller is not None and controller.active and controller.is_final(value):
            self.host.notify("Its grad is already final.", title="Backprop")
            return
        self.walk(lambda c: c.run_until_final(value))
        tree.refresh_values()

    # -- autoplay ---------------------------------------------------------------------------

    @property
    def autoplaying(self) -> bool:
        return self._autoplay is not None

    def toggle_autoplay(self) -> None:
        """Start or stop stepping on a timer (the first tick starts the walk if needed)."""
        if self._autoplay is not None:
            self.stop_autoplay()
            return
        session = self.host.session
        controller, trainer = session.backward, session.trainer
        if controller is None or trainer is None:
            return
        if not controller.active and trainer.phase != "forward":
            self.walk(BackwardController.step_node)  # says why: a forward pass first
            return
        self._autoplay_walked = False
        self._tick()
        self._start_timer()

    def stop_autoplay(self) -> None:
        if self._autoplay is not None:
            self._autoplay.stop()
            self._autoplay = None
        if self.host.snapshot is not None:
            self.host.show_walk(self.host.snapshot)

    def pace(self, direction: int) -> None:
        """`<` `>`: autoplay slower or faster."""
        self.pace_index = min(max(self.pace_index + direction, 0), len(PACES) - 1)
        if self._autoplay is not None:
            self._start_timer()
        self.host.notify(f"autoplay: {pace_text(self.pace_index)}", timeout=1.5)

    def _start_timer(self) -> None:
        if self._autoplay is not None:
            self._autoplay.stop()
        self._autoplay = self.host.set_interval(PACES[self.pace_index], self._tick)
        if self.host.snapshot is not None:
            self.host.show_walk(self.host.snapshot)

    def _tick(self) -> None:
        controller = self.host.session.backward
        if controller is None or controller.complete:
            self.stop_autoplay()
            return
        if not controller.active and self._autoplay_walked:
            self.stop_autoplay()  # a command settled the walk: do not start another
            return
        step = self.walk(BackwardController.step_node, start=not self._autoplay_walked)
        if step is not None:
            self._autoplay_walked = True
            self.select(step)
        if controller.complete:
            self.stop_autoplay()

    def progress(self, snapshot: Snapshot) -> str:
        """The line under the tree: how far the walk is, autoplay's pace, the quiz score."""
        walk = snapshot.walk
        text = ". node by node" if snapshot.phase == "forward" else ""
        if walk is not None:
            text = walk.progress()
            if walk.complete:
                text += " · all done"
        if self._autoplay is not None:
            text += f" · ▶ {pace_text(self.pace_index)}"
        if self.quizzer.on:
            text += f" · {self.quizzer.score}"
        return text


def pace_text(index: int) -> str:
    seconds = PACES[index]
    return f"{1 / seconds:g} nodes/s" if seconds < 1 else f"1 node/{seconds:g}s"
