"""Modal screens dismiss at most once: a second enter/escape must not pop the main screen."""

from __future__ import annotations

from mg_tui.tui.screens.file_prompt import FilePrompt
from textual.widgets import Input

from tests.tui.conftest import idle


async def test_file_prompt_submitted_twice_then_cancelled_dismisses_once(make_app, tmp_path):
    path = tmp_path / "model.json"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        main = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, FilePrompt)
        field = prompt.query_one("#prompt-input", Input)
        field.value = str(path)
        event = Input.Submitted(field, str(path))
        prompt.on_input_submitted(event)
        prompt.on_input_submitted(event)
        prompt.action_cancel()
        await idle(pilot)
        assert path.exists()
        assert app.screen is main
        assert len(app.screen_stack) == 1


async def test_the_command_palette_closes_once(make_app):
    """Enter then escape, fast, in the palette: the soak's ScreenStackError."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        main = app.screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        palette.dismiss()
        palette.dismiss()
        await pilot.pause()
        assert app.screen is main and len(app.screen_stack) == 1
