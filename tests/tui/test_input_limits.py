"""Every text field has a maximum length, and a huge paste changes nothing and blocks nothing."""

from __future__ import annotations

import pytest
from mg_tui.engine.expression import MAX_LENGTH
from textual import events
from textual.widgets import Input

from tests.tui.conftest import idle

SCREENS = {"e": "expression form", "o": "settings", "ctrl+s": "save prompt", "ctrl+o": "load"}


@pytest.mark.parametrize("key", SCREENS, ids=list(SCREENS.values()))
async def test_every_field_of_every_form_is_bounded_and_a_megabyte_paste_is_refused(
    make_app, key
):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press(key)
        await pilot.pause()
        fields = list(app.screen.query(Input))
        assert fields, f"{SCREENS[key]} has no text field"
        for field in fields:
            assert 0 < field.max_length <= 4096, field.id
            before = field.value
            field.focus()
            await pilot.pause()
            field.post_message(events.Paste("x" * 1_000_000))
            await pilot.pause()
            assert field.value == before
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1


async def test_the_expression_field_takes_what_the_parser_takes(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#expr-text", Input).max_length == MAX_LENGTH
