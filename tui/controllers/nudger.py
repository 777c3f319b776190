"""The nudge key (x): compute off the UI thread, show the pane, take it away again.

Composed into the explorer screen (`ExplorerScreen.nudger`), handed the screen: its
actions call `toggle`, `cycle_step` and `clear`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from mg_tui.tui.components.nudge_pane import NudgePane
from mg_tui.tui.controllers.host import ScreenHost
from mg_tui.tui.core.gradient_check import NotCheckable
from mg_tui.tui.core.graph_index import name
from mg_tui.tui.core.nudge import DEFAULT_STEP, STEPS, Nudge, nudge

if TYPE_CHECKING:
    from mg_tui.engine import Value
    from mg_tui.tui.core.session import Session
    from textual.widget import Widget


class NudgerHost(ScreenHost, Protocol):
    """What the nudge uses of the screen."""

    session: Session

    def query_one(self, selector: str) -> Widget: ...


class Nudger:
    """The nudge pane's life: one at a time, gone when the graph changes."""

    def __init__(self, host: NudgerHost) -> None:
        self.host = host
        self.h = DEFAULT_STEP
        self.pane: NudgePane | None = None  # the one shown

    def toggle(self, value: Value | None) -> None:
        """Nudge `value`, or undo the nudge shown (the same key)."""
        if not self.clear():
            self._start(value)

    def _start(self, value: Value | None) -> None:
        session = self.host.session
        if value is None or session.trainer is None:
            return
        self.host.run_worker(
            partial(self._compute, session, session.trainer, value),
            name="nudge",
            group="nudge",
            thread=True,
            exit_on_error=False,
        )

    def cycle_step(self) -> float:
        """The next smaller h (0.1 … 0.0001, then round again); a shown nudge is redone."""
        self.h = STEPS[(STEPS.index(self.h) + 1) % len(STEPS)]
        if self.pane is not None:
            self._start(self.pane.leaf)  # the new pane replaces it
        return self.h

    def clear(self) -> bool:
        """Take the pane away (the graph changed, or undo); True if there was one."""
        pane, self.pane = self.pane, None
        if pane is None:
            return False
        pane.remove()
        return True

    def _compute(self, session, trainer, value: Value) -> None:
        try:
            with session.lock:
                result = nudge(trainer, value, self.h)
                output = name(trainer.graph)
        except (NotCheckable, ValueError) as error:
            notify = self.host.notify
            self.host.app.call_from_thread(notify, str(error), title="Nudge", severity="warning")
            return
        self.host.app.call_from_thread(self._show, result, output, value)

    def _show(self, result: Nudge, output: str, value: Value) -> None:
        if self.pane is None:
            self.pane = NudgePane(value)
            self.host.query_one("#side").mount(self.pane, after="#node")
        self.pane.leaf = value
        self.pane.show(result, output)
