"""Ctrl+s saves only where it is safe: a user's file survives, a model is replaced on a yes."""

from __future__ import annotations

import os

from mg_tui.nn.serialize import load_trainer
from mg_tui.tui.screens.confirm import ConfirmScreen
from mg_tui.tui.screens.file_prompt import FilePrompt
from textual.widgets import Input

from tests.tui.conftest import idle, press


async def save_as(pilot, path) -> None:
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FilePrompt)
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await idle(pilot)


def notices(app) -> str:
    return " ".join(n.message for n in app._notifications)


async def test_ctrl_s_never_replaces_a_users_own_file(make_app, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        await save_as(pilot, notes)
        assert notes.read_text() == "my notes"
        assert "not a file mg-tui wrote" in notices(app)
        assert len(app.screen_stack) == 1


async def test_ctrl_s_refuses_a_fifo_in_one_line(make_app, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await save_as(pilot, fifo)
        assert "is a FIFO" in notices(app)


async def test_replacing_a_saved_model_asks_and_no_keeps_it(make_app, tmp_path):
    path = tmp_path / "m.json"
    first = make_app()
    async with first.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        await save_as(pilot, path)
    before = path.read_bytes()
    assert load_trainer(path).step_count == 1

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        await save_as(pilot, path)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await idle(pilot)
        assert path.read_bytes() == before
        await save_as(pilot, path)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await idle(pilot)
        assert load_trainer(path).step_count == 2
        # Saving again over the file this run wrote, unchanged since: no question.
        await press(pilot, "s")
        await save_as(pilot, path)
        assert not isinstance(app.screen, ConfirmScreen)
        assert load_trainer(path).step_count == 3


async def test_a_path_with_brackets_is_shown_as_typed_not_read_as_markup(make_app, tmp_path):
    """The soak's MarkupError: a notice quoting a typed path with `[-v` in it."""
    notes = tmp_path / "notes[-v].txt"
    notes.write_text("mine")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await save_as(pilot, notes)
        await pilot.pause()
        assert str(notes) in notices(app)
        assert app.is_running and notes.read_text() == "mine"
