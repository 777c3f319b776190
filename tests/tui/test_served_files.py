"""Served (`mg-tui serve`), saving and exporting are downloads: nothing is written on the server.

`App.is_web` is what Textual's web driver reports; here it is set, and the delivery is
caught where Textual hands it to the driver. The real browser test is
tests/e2e/test_browser.py.
"""

from __future__ import annotations

import json
import os

import pytest
from mg_tui.tui.app import MgApp
from mg_tui.tui.screens.file_prompt import FilePrompt
from textual.widgets import Input

from tests.tui.conftest import idle, press


@pytest.fixture
def served(monkeypatch, tmp_path):
    """Served from an empty folder; returns the deliveries: (file name, mime, text)."""
    monkeypatch.setattr(MgApp, "is_web", property(lambda self: True))
    monkeypatch.chdir(tmp_path)
    deliveries = []

    def deliver(self, binary, *, save_filename, mime_type=None, **_kwargs):
        data = binary.read()
        deliveries.append((save_filename, mime_type, data if isinstance(data, str) else ""))
        return "key"

    monkeypatch.setattr(MgApp, "_deliver_binary", deliver)
    return deliveries


async def test_a_served_ctrl_s_delivers_the_model_and_writes_nothing(make_app, served, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert not isinstance(app.screen, FilePrompt)  # no server path is asked for
        ((name, mime, text),) = served
        assert name == "mg-tui-model.json" and mime == "application/json"
        document = json.loads(text)
        assert document["format"] == "mg-tui model" and len(document["history"]) == 2
        assert set(document["parameters"]) == set(app.explorer.session.trainer.model.state_dict())
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(("key", "suffix"), [("f2", ".svg"), ("f3", ".dot")])
async def test_served_exports_are_downloads(make_app, served, tmp_path, key, suffix, monkeypatch):
    exports = tmp_path / "exports"
    monkeypatch.setenv("MG_TUI_EXPORT_DIR", str(exports))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        await pilot.press(key)
        await pilot.pause()
        assert len(served) == 1 and served[0][0].endswith(suffix)
    assert not exports.exists() and os.listdir(tmp_path) == []


async def test_served_load_takes_only_files_inside_the_serve_folder(
    make_app, served, tmp_path_factory
):
    outside = tmp_path_factory.mktemp("elsewhere") / "m.json"
    outside.write_text("{}")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(outside)
        await pilot.press("enter")
        await idle(pilot)
        said = " ".join(n.message for n in app._notifications)
        assert "loads only files inside its folder" in said
        assert app.explorer.snapshot.step == 1
