"""The command palette, with a guard for a Textual bug on a terminal too short to show it.

Textual 8.2.8: when the palette's result list has options but no rows to draw them in
(a terminal 4 rows tall), PageUp/PageDown raise `KeyError` in `OptionList._move_page`,
because the list only measures its lines once it has a size. Here a page move on a list
with no visible rows does nothing, which is what it would show anyway. Textual itself is
not patched; remove this once upstream guards `_move_page`.
"""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

PAGE_ACTIONS = frozenset({"page_up", "page_down"})


class GuardedCommandPalette(CommandPalette):
    """Textual's palette; a page move on a list with no visible rows is ignored."""

    def _action_command_list(self, action: str) -> None:
        if action in PAGE_ACTIONS:
            command_list = self.query_one(CommandList)
            if not command_list.scrollable_content_region:
                return
        super()._action_command_list(action)
