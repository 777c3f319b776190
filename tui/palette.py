"""Page moves guarded against a Textual bug on lists too short to show (the palette, Selects).

Textual 8.2.8: when the palette's result list has options but no rows to draw them in
(a terminal 4 rows tall), PageUp/PageDown raise `KeyError` in `OptionList._move_page`,
because the list only measures its lines once it has a size. Here a page move on a list
with no visible rows does nothing, which is what it would show anyway. Textual itself is
not patched; remove this once upstream guards `_move_page`.
"""

from __future__ import annotations

from mg_tui.tui.screens.once import DismissOnce
from textual.binding import Binding
from textual.command import CommandList, CommandPalette
from textual.widget import Widget
from textual.widgets import OptionList

PAGE_ACTIONS = frozenset({"page_up", "page_down"})

# For a screen with Selects: these run before the open list's own PageUp/PageDown.
GUARDED_PAGE_KEYS = [
    Binding("pageup", "guarded_page('page_up')", show=False, priority=True),
    Binding("pagedown", "guarded_page('page_down')", show=False, priority=True),
]


def page_move(focused: Widget | None, action: str) -> None:
    """Pass a page move to the focused widget, unless it is a list with no rows to draw."""
    if focused is None:
        return
    if isinstance(focused, OptionList) and not focused.scrollable_content_region:
        return
    method = getattr(focused, f"action_{action}", None)
    if method is not None:
        method()


class GuardedCommandPalette(DismissOnce, CommandPalette):
    """Textual's palette; a page move on a list with no visible rows is ignored, it closes
    once (enter then escape, fast, would otherwise pop the main screen too), and a search
    that ends as it closes does not look for its removed list."""

    def _watch__list_visible(self) -> None:
        """Textual 8.2.8 shows or hides the result list when a search ends, by a timer the
        palette does not stop when it closes: type, then escape at once, and the timer
        fired after the palette's widgets were gone (NoMatches, which ended the app; the
        soak found it). Closing, there is no list to show or hide."""
        if not self.query(CommandList):
            return
        super()._watch__list_visible()

    def _action_command_list(self, action: str) -> None:
        if action in PAGE_ACTIONS:
            command_list = self.query_one(CommandList)
            if not command_list.scrollable_content_region:
                return
        super()._action_command_list(action)
