"""Presenter features and failure handling, driven through Textual's pilot (fast).

SVG and DOT export (keys and palette), --theme, --presenter, an error in the training
worker (a message, training paused, the app goes on) and a crash of the app itself
(the recovery guard saves the model; `--resume` finds it).
"""

from __future__ import annotations

import os
import time
from xml.etree import ElementTree

import pytest
from mg_tui.nn.config import RunConfig
from mg_tui.nn.serialize import load_trainer
from mg_tui.tui import cli, export, launch, recovery
from mg_tui.tui.app import MgApp


async def until(pilot, condition, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)
    await pilot.pause()


async def ready(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.explorer.snapshot is not None and app.explorer.idle)


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("MG_TUI_EXPORT_DIR", str(tmp_path / "exports"))
    monkeypatch.setenv("MG_TUI_STATE_DIR", str(tmp_path / "state"))
    return tmp_path


async def test_f2_saves_an_svg_and_f3_a_dot_file_and_says_where(dirs):
    app = MgApp(RunConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        svgs = list((dirs / "exports").glob("*.svg"))
        dots = list((dirs / "exports").glob("*.dot"))
        assert len(svgs) == 1 and len(dots) == 1
        svg = ElementTree.parse(svgs[0]).getroot()  # well-formed XML, the marker comment too
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert "step" in "".join(svg.itertext())
        dot = dots[0].read_text()
        first, second = dot.splitlines()[:2]
        assert first.startswith("//") and second.startswith("digraph") and "L1.N1.w0" in dot
        said = " ".join(notices(app))
        assert str(svgs[0].resolve()) in said
        assert str(dots[0].resolve()) in said


@pytest.mark.parametrize("key", ["f2", "f3"])
async def test_an_export_never_replaces_a_file_mg_tui_did_not_write(dirs, monkeypatch, key):
    """Even were the time-stamped name taken by a user's own file, it would survive."""
    exports = dirs / "exports"
    exports.mkdir()
    notes = exports / "notes.txt"
    notes.write_text("my notes")
    monkeypatch.setattr(export, "_name", lambda suffix: "notes.txt")
    app = MgApp(RunConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert notes.read_text() == "my notes"
        assert os.listdir(exports) == ["notes.txt"]
        assert any("not a file mg-tui wrote" in said for said in notices(app))


async def test_exports_are_in_the_command_palette_and_the_help(dirs):
    app = MgApp(RunConfig())
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Save a picture of the screen (SVG)" in titles
        assert "Export the graph (Graphviz DOT)" in titles
        help_text = " ".join(f"{k} {d}" for k, d in app.explorer.key_help())
        assert "f2" in help_text.lower() and "SVG" in help_text
        assert "f3" in help_text.lower() and "DOT" in help_text


@pytest.mark.parametrize("theme", ["textual-light", "textual-dark"])
async def test_theme_option(theme):
    app = launch.make_app(RunConfig(), theme=theme)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.theme == theme
        assert app.current_theme.dark is (theme == "textual-dark")


def test_unknown_theme_is_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--theme", "neon"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown theme 'neon'" in err and "textual-light" in err


async def test_presenter_layout_at_80x24_shows_step_and_loss_in_big_digits():
    from textual.widgets import Digits, Footer

    app = launch.make_app(RunConfig(), presenter=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("s", "s")
        await ready(pilot)
        await until(pilot, lambda: str(app.query_one("#presenter-step", Digits).value) == "2")
        loss = app.query_one("#presenter-loss", Digits).value
        assert float(loss) == pytest.approx(app.explorer.snapshot.loss, rel=1e-3)
        assert not app.query_one(Footer).display
        assert app.explorer.tree.size.height >= 12  # the graph keeps most of the screen


async def test_an_error_in_the_training_worker_pauses_and_the_app_goes_on():
    app = MgApp(RunConfig())
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        trainer = app.explorer.session.trainer
        real_update = trainer.update

        def broken_update(*args, **kwargs):
            raise RuntimeError("simulated bug in update")

        trainer.update = broken_update
        await pilot.press("space")  # playing: the worker meets the error
        await until(pilot, lambda: any("simulated bug" in n for n in notices(app)))
        await until(pilot, lambda: not app.explorer.playing)
        assert app.is_running
        assert "error" in app.explorer.status.text or "paused" in app.explorer.status.text
        trainer.update = real_update
        before = app.explorer.session.trainer.step_count
        await pilot.press("s")
        await until(pilot, lambda: app.explorer.snapshot.step > before)


class CrashingApp(MgApp):
    """Trains two steps, then a bug in the UI thread: Textual exits with status 1."""

    def on_mount(self) -> None:
        self._asked = False
        self.set_interval(0.05, self._tick)

    def _tick(self) -> None:
        explorer = self.explorer
        if explorer.snapshot is None:
            return
        if not self._asked:
            self._asked = True
            explorer.action_step()
            explorer.action_step()
        elif explorer.idle and explorer.snapshot.step == 2:
            raise RuntimeError("simulated crash in the app")


def test_a_crash_saves_the_model_and_resume_finds_it(dirs, capsys):
    guard = recovery.Guard(CrashingApp(RunConfig()))
    status = guard.run(headless=True)
    assert status == 1
    path = dirs / "state" / "recovery.json"
    assert guard.saved == path and path.is_file()
    assert load_trainer(path).step_count == 2
    err = capsys.readouterr().err
    assert f"saved the model to {path}" in err and "mg-tui --resume" in err

    args = cli.build_parser().parse_args(["--resume"])
    assert launch.ui_kwargs(args, cli.build_parser()) == {"resume": str(path)}


def test_resume_without_a_file_is_one_line(dirs, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["--resume"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nothing to resume" in err
