"""The command palette opens once: never a second one while the first is still there."""

from __future__ import annotations

import pytest
from mg_tui.tui.app import PALETTE_ID
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches

from tests.tui.conftest import idle


async def test_ctrl_p_as_the_palette_closes_opens_no_second_palette(make_app) -> None:
    """The soak's crash: the palette closed (off the stack, not yet removed) and ctrl+p at
    once; Textual's `is_open` sees only the top screen, and a second palette with the same
    id raised DuplicateIds, which ended the app."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.id == PALETTE_ID
        app.pop_screen()  # as escape does; the screen's removal finishes later
        app.action_command_palette()  # ctrl+p in the same moment
        await pilot.pause()
        await pilot.pause()
        assert app.return_code is None  # still running
        ids = [screen.id for screen in app.screen_stack]
        assert ids.count(PALETTE_ID) <= 1
        await pilot.press("ctrl+p")  # once the first is gone, the key opens it again
        await pilot.pause()
        assert app.screen.id == PALETTE_ID


async def test_a_search_that_ends_as_the_palette_closes_does_not_end_the_app(make_app) -> None:
    """The soak's crash: a search's end shows or hides the result list after the palette's
    widgets were removed (typed, then escape at once). Textual's own palette raises there;
    ours has no list to show and goes on."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert palette.id == PALETTE_ID
        await palette.query_one(CommandList).remove()  # as closing removes it
        with pytest.raises(NoMatches):
            CommandPalette._watch__list_visible(palette)  # Textual's own watcher
        palette._list_visible = not palette._list_visible  # the search ends now
        await pilot.pause()
        assert app.return_code is None and app.is_running
