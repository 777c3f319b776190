"""The explorer's actions beyond training: the backprop stepper, gradient checks, the
expression explorer and the guided tour (their keys are in tui/keys.py).

`ExplorerActions` is a base class of `MgApp`, so these features live here and app.py
stays about training.
The stepper runs on the UI thread: one node is a few multiplications. It takes the
session lock without waiting, so a node is never processed while a worker command
runs, and every worker command settles a walk first (Session calls
`BackwardController.settle()`), so an update never sees half-accumulated grads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from mg_tui import nn
from mg_tui.engine import BackwardStep
from mg_tui.tui.components.graph_tree import MAX_CHILDREN, TreeView
from mg_tui.tui.components.lesson_pane import LessonPane
from mg_tui.tui.core.gradient_check import (
    NotCheckable,
    check_all,
    check_value,
    checked_weights,
    verdict,
)
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.core.lessons import LESSONS
from mg_tui.tui.core.session import Command
from mg_tui.tui.core.snapshot import Snapshot
from mg_tui.tui.core.walk import BackwardController
from mg_tui.tui.screens.expression_form import ExpressionForm
from mg_tui.tui.screens.gradient_check_screen import GradCheckScreen
from textual.app import App
from textual.timer import Timer
from textual.widgets import ContentSwitcher

if TYPE_CHECKING:
    from mg_tui.engine import GradientCheck, GradientReport

PACES = (2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.02)  # seconds per node for autoplay
DEFAULT_PACE = 2  # index into PACES: two nodes a second

# Training-only actions: hidden (and refused) while exploring an expression or lesson graph.
TRAINING_ACTIONS = frozenset(
    {
        "step",
        "toggle_play",
        "update",
        "lr_up",
        "lr_down",
        "settings",
        "save",
        "switch_view",
        "confusion",
        "toggle_log_scale",
        "neurons",
        "network",
        "reset",
    }
)
TOUR_ACTIONS = frozenset({"next_lesson", "previous_lesson"})


class ExplorerActions(App[None]):
    """Stepper, gradient check, expression and tour actions for MgApp (keys: above)."""

    pace_index = DEFAULT_PACE
    tour_index: int | None = None
    _autoplay: Timer | None = None
    _autoplay_walked = False  # this autoplay has processed a node (so it never restarts)
    # The network's tree and view as the user left them for an expression or a lesson.
    _network_view: tuple[TreeView, str] | None = None

    # -- which keys apply now -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide training keys on a graph without parameters, tour keys outside the tour."""
        session = getattr(self, "session", None)
        if action in TRAINING_ACTIONS and session is not None and session.static:
            return False
        if action == "leave_mode":
            return self.away or self.nudger.pane is not None
        if action == "next_pane":
            layout = getattr(self, "_layout", None)
            return bool(layout and layout[0])  # compact
        return not (action in TOUR_ACTIONS and self.tour_index is None)

    @property
    def away(self) -> bool:
        """An expression or a lesson is shown (or on its way): Escape goes back."""
        session = getattr(self, "session", None)
        return self.tour_index is not None or (session is not None and session.away)

    # -- the stepper ----------------------------------------------------------------------

    def walk(self, operation: Callable[[BackwardController], object], *, start: bool = True):
        """Apply `operation` to the walk (starting one if needed and allowed) and redraw.

        Returns what the operation returned, or None if nothing could be done now.
        """
        controller = self.session.backward
        if controller is None or self.playing:
            return None
        if not self.session.lock.acquire(blocking=False):
            return None  # a worker command is running; it settles the walk anyway
        try:
            if not controller.active:
                if not start:
                    return None
                controller.start(self.session.index)
            result = operation(controller)
            trainer = self.session.trainer
            snapshot = replace(
                self.snapshot,
                phase=trainer.phase,
                walk=controller if controller.active else None,
                graph_changed=False,
            )
        except nn.PhaseError:
            self.notify(
                "The stepper walks a fresh graph: press f for a forward pass first.",
                title="Backprop node by node",
                severity="warning",
            )
            return None
        finally:
            self.session.lock.release()
        self._show(snapshot)
        return result

    def select_node(self, step: BackwardStep | None) -> None:
        """Put the tree's cursor on the node a step processed, opening only the way there."""
        index = self.snapshot.index if self.snapshot else None
        if step is None or index is None:
            return
        path = index.path_of(step.node, MAX_CHILDREN)
        if path is not None:
            self.tree.expand_path(path)

    def action_node_step(self) -> None:
        if self.quizzer.on:
            question = self.walk(lambda _: self.quizzer.question())  # starts the walk
            if question is not None:
                self.quizzer.ask(question, self._step_node)
                return
        self._step_node()

    def _step_node(self) -> None:
        self.select_node(self.walk(BackwardController.step_node))

    def action_quiz(self) -> None:
        """Q: quiz mode on or off (each . first asks for an operand's grad)."""
        on = self.quizzer.toggle()
        self.notice = "quiz on: . asks before it steps" if on else "quiz off"
        self._show_status()
        if self.snapshot is not None:
            self.show_walk(self.snapshot)

    def action_node_back(self) -> None:
        self.select_node(self.walk(BackwardController.undo_node, start=False))

    def action_until_final(self) -> None:
        value = self.tree.value_of(self.tree.cursor_node)
        if value is None:
            return
        controller = self.session.backward
        if controller is not None and controller.active and controller.is_final(value):
            self.notify("Its grad is already final.", title="Backprop")
            return
        self.walk(lambda c: c.run_until_final(value))
        self.tree.refresh_values()

    def action_autoplay(self) -> None:
        """Start or stop stepping on a timer (the first tick starts the walk if needed)."""
        if self._autoplay is not None:
            self.stop_autoplay()
            return
        controller, trainer = self.session.backward, self.session.trainer
        if controller is None or trainer is None:
            return
        if not controller.active and trainer.phase != "forward":
            self.walk(BackwardController.step_node)  # says why: a forward pass first
            return
        self._autoplay_walked = False
        self._autoplay_tick()
        self._start_timer()

    def _start_timer(self) -> None:
        if self._autoplay is not None:
            self._autoplay.stop()
        self._autoplay = self.set_interval(PACES[self.pace_index], self._autoplay_tick)
        self.show_walk(self.snapshot)

    def stop_autoplay(self) -> None:
        if self._autoplay is not None:
            self._autoplay.stop()
            self._autoplay = None
        if self.snapshot is not None:
            self.show_walk(self.snapshot)

    @property
    def autoplaying(self) -> bool:
        return self._autoplay is not None

    def _autoplay_tick(self) -> None:
        controller = self.session.backward
        if controller is None or controller.complete:
            self.stop_autoplay()
            return
        if not controller.active and self._autoplay_walked:
            self.stop_autoplay()  # a command settled the walk: do not start another
            return
        step = self.walk(BackwardController.step_node, start=not self._autoplay_walked)
        if step is not None:
            self._autoplay_walked = True
            self.select_node(step)
        if controller.complete:
            self.stop_autoplay()

    def action_pace(self, direction: int) -> None:
        self.pace_index = min(max(self.pace_index + direction, 0), len(PACES) - 1)
        if self._autoplay is not None:
            self._start_timer()
        self.notify(f"autoplay: {pace_text(self.pace_index)}", timeout=1.5)

    def show_walk(self, snapshot: Snapshot) -> None:
        """After every snapshot: the progress line under the tree and the static layout."""
        self.main_screen.set_class(bool(snapshot.title), "-static")
        self.apply_layout()  # the panes change with the mode (no chart on an expression)
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
        self.tree.border_subtitle = text

    # -- gradient check -------------------------------------------------------------------

    def action_check_node(self) -> None:
        value = self.tree.value_of(self.tree.cursor_node)
        trainer = self.session.trainer
        if value is None or trainer is None:
            return
        self.run_worker(
            partial(self._check_node, trainer, value),
            name="gradcheck",
            group="gradcheck",
            thread=True,
            exit_on_error=False,
        )

    def _check_node(self, trainer, value) -> None:
        try:
            with self.session.lock:
                result = check_value(trainer, value)
                checked = checked_weights(trainer)
        except (NotCheckable, ValueError) as error:
            self.call_from_thread(
                self.notify, str(error), title="Gradient check", severity="warning"
            )
            return
        self.call_from_thread(self.show_check, result, checked)

    def show_check(self, result: GradientCheck, checked: str = "") -> None:
        from mg_tui.engine import GradientReport

        self.last_check = GradientReport((result,))
        self.push_screen(GradCheckScreen(self.last_check, "value", checked))

    def action_check_all(self) -> None:
        trainer = self.session.trainer
        if trainer is None:
            return
        self.notify("Checking every gradient…", title="Gradient check", timeout=2)
        self.run_worker(
            partial(self._check_all, trainer),
            name="gradcheck",
            group="gradcheck",
            thread=True,
            exit_on_error=False,
        )

    def _check_all(self, trainer) -> None:
        try:
            with self.session.lock:
                report = check_all(trainer)
                checked = checked_weights(trainer)
        except (NotCheckable, ValueError) as error:
            self.call_from_thread(
                self.notify, str(error), title="Gradient check", severity="warning"
            )
            return
        what = "variables" if self.session.static else "parameters"
        self.call_from_thread(self.show_report, report, what, checked)

    def show_report(self, report: GradientReport, what: str, checked: str = "") -> None:
        self.last_check = report
        self.push_screen(GradCheckScreen(report, what, checked))
        self.notice = f"gradcheck {verdict(report.max_relative_error)}"

    # -- the expression explorer ---------------------------------------------------------

    def action_expression(self) -> None:
        self.push_screen(ExpressionForm(), self.open_graph)

    def open_graph(self, source: GraphSource | None) -> None:
        """Explore `source`'s graph (r goes back to the network)."""
        if source is None:
            return
        self._keep_network_view()
        self._remove_lesson_pane()  # from a lesson: the expression replaces it
        self.stop_autoplay()
        self._set_playing(False)
        self.notice = ""
        self.submit(Command("graph", source))
        self.refresh_bindings()

    # -- leaving an expression or a lesson ------------------------------------------------

    def _keep_network_view(self) -> None:
        """On the way out of the network: remember its tree and view for the way back."""
        if self.away or getattr(self, "snapshot", None) is None:
            return
        views = self.query_one("#views", ContentSwitcher)
        self._network_view = (self.tree.view_state(), views.current or "chart")

    def action_leave_mode(self) -> None:
        """Escape: undo a nudge; else back to the network exactly as it was (step, history,
        selection, walk)."""
        if self.nudger.clear():
            self.refresh_bindings()
            return
        if not self.away:
            return
        self.stop_autoplay()
        self._set_playing(False)
        self._remove_lesson_pane()
        self.notice = ""
        self.submit(Command("network"))
        self.refresh_bindings()

    def restore_network_view(self) -> None:
        """After the worker has brought the network back: its tree and view as they were."""
        kept, self._network_view = self._network_view, None
        if kept is None:
            return
        tree_view, current = kept
        self.tree.restore_view(tree_view)
        self.query_one("#views", ContentSwitcher).current = current
        self._mark_view()
        self.call_after_refresh(self._request_grid)
        self._show_node()

    def start_with_graph(self, source: GraphSource) -> None:
        """Before the app runs: open on `source` instead of the network (mg-tui expr)."""
        self._first_command = Command("graph", source)

    # -- the guided tour -----------------------------------------------------------------

    def start_with_tour(self, number: int = 0) -> None:
        """Before the app runs: open on lesson `number` (mg-tui tour)."""
        self._first_command = self._lesson_command(number)
        self._tour_on_mount = number

    def on_mount(self) -> None:
        # Textual calls on_mount of every class in the hierarchy: MgApp's runs too.
        number = getattr(self, "_tour_on_mount", None)
        if number is not None:
            self.open_tour(number, load=False)

    def action_tour(self) -> None:
        if self.tour_index is None:
            self.open_tour(0)
        else:
            self.action_leave_mode()

    def action_next_lesson(self) -> None:
        if self.tour_index is not None and self.tour_index + 1 < len(LESSONS):
            self.open_tour(self.tour_index + 1)

    def action_previous_lesson(self) -> None:
        if self.tour_index is not None and self.tour_index > 0:
            self.open_tour(self.tour_index - 1)

    @property
    def lesson_pane(self) -> LessonPane | None:
        panes = self.query(LessonPane)
        return panes.first() if panes else None

    def open_tour(self, number: int, *, load: bool = True) -> None:
        """Show lesson `number`: its text now, its graph from the worker, its facts later."""
        self._keep_network_view()
        self.tour_index = number
        lesson = LESSONS[number]
        pane = self.lesson_pane
        if pane is None:
            pane = LessonPane(id="lesson")
            self.query_one("#side").mount(pane, before="#node")
            self.main_screen.add_class("-tour")
        pane.show(lesson, number + 1, len(LESSONS), None)
        self.stop_autoplay()
        if load:
            self._set_playing(False)
            self.notice = ""
            self.submit(self._lesson_command(number))
        views = self.query_one("#views", ContentSwitcher)
        views.current = "boundary" if lesson.key == "moons" else "chart"
        self._mark_view()
        self.call_after_refresh(self._request_grid)
        self.refresh_bindings()
        self.run_worker(
            partial(self._lesson_facts, number),
            name="facts",
            group="facts",
            thread=True,
            exit_on_error=False,
        )

    def _lesson_command(self, number: int) -> Command:
        lesson = LESSONS[number]
        if lesson.config is not None:
            return Command("lesson", lesson.config)  # the worker builds it (moons: scikit-learn)
        return Command("graph", GraphSource.from_lesson(lesson))

    def _lesson_facts(self, number: int) -> None:
        try:
            facts = LESSONS[number].facts()  # engine work, off the UI thread
        except Exception as error:  # shown in the pane, never a pane stuck on "computing"
            facts = [("the numbers could not be computed", f"{type(error).__name__}: {error}")]
        self.call_from_thread(self._show_facts, number, facts)

    def _show_facts(self, number: int, facts) -> None:
        pane = self.lesson_pane
        if pane is not None and self.tour_index == number:
            pane.show(LESSONS[number], number + 1, len(LESSONS), facts)

    def _remove_lesson_pane(self) -> None:
        pane = self.lesson_pane
        if pane is not None:
            pane.remove()
        self.main_screen.remove_class("-tour")
        self.tour_index = None
        self.refresh_bindings()


def pace_text(index: int) -> str:
    seconds = PACES[index]
    return f"{1 / seconds:g} nodes/s" if seconds < 1 else f"1 node/{seconds:g}s"
