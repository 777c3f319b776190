"""A modal screen whose dismiss runs at most once.

Textual's `Screen.dismiss` pops whatever screen is on top, so a second call (enter
pressed twice, enter then escape) pops the main screen or raises ScreenStackError.
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class DismissOnceScreen(ModalScreen[ResultType]):
    """ModalScreen whose dismiss (and escape/close bindings through it) happens once."""

    _dismissed: bool = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        """Dismiss with `result` the first time; later calls do nothing."""
        if self._dismissed or self.app.screen is not self:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)
