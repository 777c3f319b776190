"""A failed load changes nothing and says why: at start (--load) and from ctrl+o."""

from __future__ import annotations

from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.screens.explorer import LOAD_FAILED
from textual.widgets import Input

from tests.tui.conftest import idle, press


def notices(app) -> str:
    return " ".join(n.message for n in app._notifications)


async def test_a_failed_load_at_start_opens_the_default_model_and_says_why(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    app = MgApp(RunConfig(), load=str(bad))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        assert app.explorer.snapshot is not None and app.explorer.snapshot.step == 0
        assert "loading" not in app.explorer.status.text
        assert LOAD_FAILED in app.explorer.status.text
        assert str(bad) in notices(app)
        await press(pilot, "s")
        assert app.explorer.snapshot.step == 1


async def test_a_failed_load_mid_session_keeps_the_model_as_it_was(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        weights = app.explorer.session.trainer.model.state_dict()
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one(Input).value = str(tmp_path / "missing.json")
        await pilot.press("enter")
        await idle(pilot)
        assert app.explorer.snapshot.step == 2
        assert app.explorer.session.trainer.model.state_dict() == weights
        assert "no such model file" in notices(app)
        assert LOAD_FAILED in app.explorer.status.text


async def test_an_unexpected_error_in_the_first_load_still_opens_a_model(monkeypatch, tmp_path):
    from mg_tui.tui.core import session

    def broken(_path):
        raise RecursionError("simulated")

    monkeypatch.setattr(session, "load_trainer", broken)
    app = MgApp(RunConfig(), load=str(tmp_path / "m.json"))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        assert app.explorer.snapshot is not None and app.explorer.snapshot.step == 0
        assert "simulated" in notices(app)
        assert "loading" not in app.explorer.status.text
