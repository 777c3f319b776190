"""The command palette survives PageUp/PageDown on a terminal too short to show its list.

Textual 8.2.8 raises `KeyError` from `OptionList._move_page` there (tui/palette.py); the
first test shows the upstream bug is real in this Textual, so the guard is not dead code.
"""

from __future__ import annotations

import pytest
from mg_tui.tui.palette import GuardedCommandPalette
from textual.app import App
from textual.command import CommandList

from tests.tui.conftest import idle

TOO_SHORT = (40, 4)  # rows for the palette's input, none for its list


async def test_textual_palette_itself_raises_on_a_page_move_it_cannot_draw():
    app = App()
    with pytest.raises(KeyError):
        async with app.run_test(size=TOO_SHORT) as pilot:
            await pilot.press("ctrl+p")
            await pilot.pause(0.2)
            await pilot.press("down", "pagedown")
            await pilot.pause(0.1)


@pytest.mark.parametrize("keys", [("down", "pagedown"), ("down", "pageup"), ("pageup",)])
async def test_the_apps_palette_ignores_a_page_move_on_a_list_with_no_rows(make_app, keys):
    app = make_app()
    async with app.run_test(size=TOO_SHORT) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        assert isinstance(app.screen, GuardedCommandPalette)
        await pilot.press(*keys)
        await pilot.pause(0.1)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, GuardedCommandPalette)


async def test_page_moves_still_work_where_the_list_has_rows(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        command_list = app.screen.query_one(CommandList)
        await pilot.press("pagedown")
        await pilot.pause(0.1)
        assert command_list.highlighted > 1  # a page, not one row
        await pilot.press("pageup")
        await pilot.pause(0.1)
        assert command_list.highlighted == 0

