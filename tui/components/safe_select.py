"""Textual's Select, without the crash of a page key pressed as its list opens.

Textual 8.2's option list maps each option to its screen line only once it is drawn;
Page Up or Page Down before that raises KeyError in `OptionList._move_page`, which
ends the app (the soak found it: `o`, then page up at once). Until the list is drawn
a page key does nothing, as there is no page yet to move by.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay


class _DrawnPagesOverlay(SelectOverlay):
    def _move_page(self, direction: int) -> None:
        if not self._lines or (self.highlighted or 0) not in self._index_to_line:
            return  # not drawn yet: no page to move by
        super()._move_page(direction)


class SafeSelect(Select):
    """A Select whose list ignores page keys until it has been drawn."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _DrawnPagesOverlay(type_to_search=self._type_to_search).data_bind(
            compact=Select.compact
        )
