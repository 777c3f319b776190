"""The gradient check keys (c, C): backprop's grads against finite differences.

The check runs in a worker thread under the session lock, on the graph the panel
describes, at the weights it was built with (tui/core/gradient_check.py), and its
screen names that step and those weights.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from mg_tui.engine import GradientReport
from mg_tui.tui.controllers.host import ScreenHost
from mg_tui.tui.core.gradient_check import (
    NotCheckable,
    check_all,
    check_value,
    checked_weights,
    verdict,
)
from mg_tui.tui.screens.gradient_check_screen import GradCheckScreen

if TYPE_CHECKING:
    from mg_tui.engine import Value
    from mg_tui.nn import Trainer
    from mg_tui.tui.core.session import Session


class CheckerHost(ScreenHost, Protocol):
    """What the gradient check uses of the screen."""

    session: Session
    notice: str


class GradientChecker:
    """Start a check off the UI thread; show its report when it is done."""

    def __init__(self, host: CheckerHost) -> None:
        self.host = host
        self.last_check: GradientReport | None = None  # the report on screen last

    def check_value(self, value: Value | None) -> None:
        """c: the selected node's grad against a central difference."""
        trainer = self.host.session.trainer
        if value is None or trainer is None:
            return
        self._run(partial(self._check_value, trainer, value))

    def check_all(self) -> None:
        """C: every parameter's (or variable's) grad."""
        trainer = self.host.session.trainer
        if trainer is None:
            return
        self.host.notify("Checking every gradient…", title="Gradient check", timeout=2)
        self._run(partial(self._check_all, trainer))

    def _run(self, work) -> None:
        self.host.run_worker(
            work, name="gradcheck", group="gradcheck", thread=True, exit_on_error=False
        )

    # -- on the worker's thread -----------------------------------------------------------

    def _check_value(self, trainer: Trainer, value: Value) -> None:
        try:
            with self.host.session.lock:
                report = GradientReport((check_value(trainer, value),))
                checked = checked_weights(trainer)
        except (NotCheckable, ValueError) as error:
            self._warn(str(error))
            return
        self.host.app.call_from_thread(self.show, report, "value", checked)

    def _check_all(self, trainer: Trainer) -> None:
        try:
            with self.host.session.lock:
                report = check_all(trainer)
                checked = checked_weights(trainer)
        except (NotCheckable, ValueError) as error:
            self._warn(str(error))
            return
        what = "variables" if self.host.session.static else "parameters"
        self.host.app.call_from_thread(self.show, report, what, checked, announce=True)

    def _warn(self, message: str) -> None:
        self.host.app.call_from_thread(
            self.host.notify, message, title="Gradient check", severity="warning"
        )

    # -- on the UI thread -------------------------------------------------------------------

    def show(
        self, report: GradientReport, what: str, checked: str = "", *, announce: bool = False
    ) -> None:
        """The report's screen; with `announce`, its verdict stays on the status line."""
        self.last_check = report
        self.host.app.push_screen(GradCheckScreen(report, what, checked))
        if announce:
            self.host.notice = f"gradcheck {verdict(report.max_relative_error)}"
