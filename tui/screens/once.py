"""Modal screens whose dismiss runs at most once.

Textual's `Screen.dismiss` pops whatever screen is on top, so a second call (enter
pressed twice, enter then escape) pops the main screen or raises ScreenStackError.
"""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class DismissOnce:
    """Mixin for a Screen (put it first): the first dismiss happens, later ones, or one
    while another screen is on top, do nothing. A plain mixin, so Textual's per-class
    CSS and component classes stay the screen's own."""

    _dismissed: bool = False

    def dismiss(self, result=None) -> AwaitComplete:  # type: ignore[no-untyped-def]
        if self._dismissed or self.app.screen is not self:  # type: ignore[attr-defined]
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)  # type: ignore[misc]


class DismissOnceScreen(DismissOnce, ModalScreen[ResultType]):
    """ModalScreen whose dismiss (and escape/close bindings through it) happens once."""
