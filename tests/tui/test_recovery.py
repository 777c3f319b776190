"""Every crash path keeps the model: a recovery file, 0600 in a 0700 folder, or a second place.

Errors are injected where the app meets them: the training worker, and the handler that
builds each screen. Files go to the temporary folders tests/conftest.py sets up.
"""

from __future__ import annotations

import os
import stat

import pytest
from mg_tui.nn.config import RunConfig
from mg_tui.nn.serialize import load_trainer
from mg_tui.tui import cli, launch, recovery
from mg_tui.tui.app import MgApp
from mg_tui.tui.screens.confirm import ConfirmScreen
from mg_tui.tui.screens.expression_form import ExpressionForm
from mg_tui.tui.screens.file_prompt import FilePrompt
from mg_tui.tui.screens.gradient_check_screen import GradCheckScreen
from mg_tui.tui.screens.help import HelpScreen
from mg_tui.tui.screens.settings import SettingsScreen

from tests.tui.conftest import idle, wait_for


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def assert_private_recovery_file(path, steps: int) -> None:
    assert path.is_file()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    trainer = load_trainer(path)
    assert trainer.step_count == steps == len(trainer.history)


class OpensAScreen(MgApp):
    """Takes two steps, then calls `action` (which opens a screen) once the app is idle:
    an `action_…` of the explorer screen, or a method of the test's own subclass."""

    def __init__(self, action: str) -> None:
        super().__init__(RunConfig())
        self.action = action
        self._stage = 0

    def on_mount(self) -> None:
        self.set_interval(0.05, self._tick)

    def _tick(self) -> None:
        explorer = self.explorer
        if explorer.snapshot is None:
            return
        if self._stage == 0:
            self._stage = 1
            explorer.action_step()
            explorer.action_step()
        elif self._stage == 1 and explorer.idle and explorer.snapshot.step == 2:
            self._stage = 2
            owner = explorer if self.action.startswith("action_") else self
            getattr(owner, self.action)()


def _raise(*_args, **_kwargs):
    raise RuntimeError("simulated bug in a screen")


SCREENS = {
    "action_help": HelpScreen,
    "action_save": FilePrompt,
    "action_settings": SettingsScreen,
    "action_expression": ExpressionForm,
    "action_check_all": GradCheckScreen,
}


@pytest.mark.parametrize(("action", "screen"), SCREENS.items(), ids=list(SCREENS))
def test_an_error_in_a_screens_handler_saves_the_model(monkeypatch, capsys, action, screen):
    monkeypatch.setattr(screen, "compose", _raise)
    guard = recovery.Guard(OpensAScreen(action))
    assert guard.run(headless=True) == 1
    path = recovery.recovery_path()
    assert guard.saved == path
    assert_private_recovery_file(path, steps=2)
    assert f"saved the model to {path}" in capsys.readouterr().err


def test_an_error_in_the_confirm_screen_saves_the_model(monkeypatch, tmp_path):
    class AsksToReplace(OpensAScreen):
        def ask(self) -> None:
            self.push_screen(ConfirmScreen("Replace?", "really?"))

    monkeypatch.setattr(ConfirmScreen, "compose", _raise)
    guard = recovery.Guard(AsksToReplace("ask"))
    assert guard.run(headless=True) == 1
    assert_private_recovery_file(recovery.recovery_path(), steps=2)


async def test_an_error_in_the_training_worker_keeps_the_model_and_says_where():
    app = MgApp(RunConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("s")
        await idle(pilot)
        app.explorer.session.trainer.update = _raise
        await pilot.press("s")
        path = recovery.recovery_path()
        said = lambda: " ".join(n.message for n in app._notifications)  # noqa: E731
        await wait_for(pilot, lambda: "simulated bug" in said())
        assert f"the model is saved to {path}" in said()
        assert_private_recovery_file(path, steps=1)


def test_an_unwritable_state_folder_falls_back_and_says_where(monkeypatch, capsys, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the state folder should be")
    monkeypatch.setenv(recovery.ENV_STATE_DIR, str(blocked))
    guard = recovery.Guard(OpensAScreen("action_help"))
    monkeypatch.setattr(HelpScreen, "compose", _raise)
    assert guard.run(headless=True) == 1
    fallback = recovery.fallback_dir() / recovery.FILENAME
    assert guard.saved == fallback
    assert_private_recovery_file(fallback, steps=2)
    assert f"saved the model to {fallback}" in capsys.readouterr().err


def test_when_no_place_can_be_written_the_line_says_why(monkeypatch, capsys, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("not a folder")
    monkeypatch.setenv(recovery.ENV_STATE_DIR, str(blocked))
    monkeypatch.setattr(recovery, "fallback_dir", lambda: blocked / "also")
    monkeypatch.setattr(HelpScreen, "compose", _raise)
    guard = recovery.Guard(OpensAScreen("action_help"))
    assert guard.run(headless=True) == 1
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "recovery file" in x)
    assert line.startswith("mg-tui: could not save a recovery file (") and str(blocked) in line


class QuitsAfterSteps(OpensAScreen):
    def quit_now(self) -> None:
        self.exit()


def test_a_clean_quit_with_unsaved_steps_keeps_them_in_the_recovery_file(capsys):
    guard = recovery.Guard(QuitsAfterSteps("quit_now"))
    assert guard.run(headless=True) == 0
    path = recovery.recovery_path()
    assert_private_recovery_file(path, steps=2)
    err = capsys.readouterr().err
    assert "quit with 2 unsaved steps; saved the model to" in err and "--resume" in err


def test_a_clean_quit_after_a_save_removes_an_old_recovery_file(tmp_path):
    old = recovery.recovery_path()
    recovery.make_private_folder(old.parent)
    old.write_text("from an earlier SIGTERM")

    class SavesThenQuits(OpensAScreen):
        def save_and_quit(self) -> None:
            self.explorer.files.save_to(str(tmp_path / "m.json"))
            self.set_interval(0.05, self._quit_when_saved)

        def _quit_when_saved(self) -> None:
            if self.explorer.idle and self.explorer.session.saved_step == 2:
                self.exit()

    guard = recovery.Guard(SavesThenQuits("save_and_quit"))
    assert guard.run(headless=True) == 0
    assert not old.exists()
    assert load_trainer(tmp_path / "m.json").step_count == 2


def resume_error(capsys) -> str:
    with pytest.raises(SystemExit) as info:
        launch.ui_kwargs(cli.build_parser().parse_args(["--resume"]), cli.build_parser())
    assert info.value.code == 2
    return capsys.readouterr().err


def test_resume_refuses_a_file_in_a_folder_others_can_write(capsys):
    path = recovery.recovery_path()
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    path.parent.chmod(0o777)
    assert "in a folder other users can write" in resume_error(capsys)


def test_resume_refuses_a_file_another_user_owns(capsys, monkeypatch):
    path = recovery.recovery_path()
    recovery.make_private_folder(path.parent)
    path.write_text("{}")
    real_lstat = os.lstat

    def lstat(p, *args, **kwargs):  # as if root's file sat in our folder (no chown here)
        info = real_lstat(p, *args, **kwargs)
        if os.fspath(p) == str(path):
            fields = list(info)
            fields[stat.ST_UID] = info.st_uid + 1
            return os.stat_result(fields)
        return info

    monkeypatch.setattr(recovery.os, "lstat", lstat)
    assert "belongs to another user" in resume_error(capsys)


def test_resume_takes_the_newer_of_the_two_places():
    for folder, step in ((recovery.state_dir(), 1), (recovery.fallback_dir(), 2)):
        recovery.make_private_folder(folder)
        (folder / recovery.FILENAME).write_text(str(step))
    os.utime(recovery.recovery_path(), (1, 1))
    assert recovery.resumable() == recovery.fallback_dir() / recovery.FILENAME


async def test_an_error_in_the_gradient_check_worker_keeps_the_model(monkeypatch):
    from mg_tui.tui.controllers import gradient_checker

    monkeypatch.setattr(gradient_checker, "check_all", _raise)
    app = MgApp(RunConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("s")
        await idle(pilot)
        app.explorer.action_check_all()
        said = lambda: " ".join(n.message for n in app._notifications)  # noqa: E731
        await wait_for(pilot, lambda: "simulated bug" in said())
        assert "gradcheck failed" in said() and "the model is saved to" in said()
        assert_private_recovery_file(recovery.recovery_path(), steps=1)
        assert app.is_running


def test_autosave_writes_the_recovery_file_every_so_many_steps(monkeypatch):
    from mg_tui.nn.config import build_trainer

    trainer = build_trainer(RunConfig())
    autosave = recovery.Autosave()
    monkeypatch.setattr(recovery.Autosave, "EVERY_SECONDS", 3600.0)
    path = recovery.recovery_path()
    for _ in range(recovery.Autosave.EVERY_STEPS - 1):
        trainer.step()
        assert autosave.after_command(trainer) is None
    assert not path.exists()
    trainer.step()
    assert autosave.after_command(trainer) == path
    assert_private_recovery_file(path, steps=recovery.Autosave.EVERY_STEPS)
    monkeypatch.setattr(recovery.Autosave, "EVERY_SECONDS", 0.0)  # and after M seconds
    trainer.step()
    assert autosave.after_command(trainer) == path
    assert load_trainer(path).step_count == recovery.Autosave.EVERY_STEPS + 1
    assert autosave.after_command(trainer) is None  # no new step: nothing to write
