"""The guided tour (t, n, N): one lesson at a time, beside the graph it is about.

A lesson's text shows at once, its graph comes from the training worker (a lesson
with a network is built like any other: moons needs scikit-learn), and its facts,
engine numbers, from a worker thread of their own.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from mg_tui.tui.components.lesson_pane import LessonPane
from mg_tui.tui.controllers.host import ScreenHost
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.core.lessons import LESSONS
from mg_tui.tui.core.session import Command

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.widget import Widget


class TourHost(ScreenHost, Protocol):
    """What the tour uses of the screen."""

    def query_one(self, selector: str) -> Widget: ...

    def query(self, selector: type) -> object: ...

    def set_class(self, add: bool, *class_names: str) -> DOMNode: ...

    def refresh_bindings(self) -> None: ...

    def leave_network(self) -> None: ...

    def stop_for_another_graph(self) -> None: ...

    def submit(self, command: Command) -> None: ...

    def show_view(self, name: str) -> None: ...


class Tour:
    """Which lesson is on (None: no tour), and its pane."""

    def __init__(self, host: TourHost) -> None:
        self.host = host
        self.index: int | None = None

    @property
    def pane(self) -> LessonPane | None:
        panes = self.host.query(LessonPane)
        return panes.first() if panes else None

    def open(self, number: int, *, load: bool = True) -> None:
        """Show lesson `number`: its text now, its graph from the worker, its facts later."""
        host = self.host
        host.leave_network()
        self.index = number
        lesson = LESSONS[number]
        pane = self.pane
        if pane is None:
            pane = LessonPane(id="lesson")
            host.query_one("#side").mount(pane, before="#node")
            host.set_class(True, "-tour")
        pane.show(lesson, number + 1, len(LESSONS), None)
        if load:
            host.stop_for_another_graph()
            host.submit(self.command(number))
        host.show_view("boundary" if lesson.key == "moons" else "chart")
        host.refresh_bindings()
        host.run_worker(
            partial(self._facts, number),
            name="facts",
            group="facts",
            thread=True,
            exit_on_error=False,
        )

    def next(self) -> None:
        if self.index is not None and self.index + 1 < len(LESSONS):
            self.open(self.index + 1)

    def previous(self) -> None:
        if self.index is not None and self.index > 0:
            self.open(self.index - 1)

    def close(self) -> None:
        """No lesson: the pane goes (the graph is the caller's to change)."""
        pane = self.pane
        if pane is not None:
            pane.remove()
        self.host.set_class(False, "-tour")
        self.index = None
        self.host.refresh_bindings()

    @property
    def mode_name(self) -> str:
        return f"lesson {self.index + 1}/{len(LESSONS)}" if self.index is not None else ""

    @staticmethod
    def command(number: int) -> Command:
        """The worker's command that builds lesson `number`'s graph."""
        lesson = LESSONS[number]
        if lesson.config is not None:
            return Command("lesson", lesson.config)  # the worker builds it (moons: scikit-learn)
        return Command("graph", GraphSource.from_lesson(lesson))

    def _facts(self, number: int) -> None:
        try:
            facts = LESSONS[number].facts()  # engine work, off the UI thread
        except Exception as error:  # shown in the pane, never a pane stuck on "computing"
            facts = [("the numbers could not be computed", f"{type(error).__name__}: {error}")]
        self.host.app.call_from_thread(self._show_facts, number, facts)

    def _show_facts(self, number: int, facts) -> None:
        pane = self.pane
        if pane is not None and self.index == number:
            pane.show(LESSONS[number], number + 1, len(LESSONS), facts)
