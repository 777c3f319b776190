"""One key registry: the app's bindings, the help screen and the palette read tui/keys.py."""

from __future__ import annotations

from mg_tui.tui.app import MgApp
from mg_tui.tui.commands import app_commands
from mg_tui.tui.keys import MAIN_KEYS, key_of

from tests.tui.conftest import idle


def test_every_action_has_one_key_and_the_app_binds_exactly_the_registry():
    actions = [b.action for b in MAIN_KEYS]
    assert len(actions) == len(set(actions)), "an action is bound twice"
    assert MgApp.BINDINGS == MAIN_KEYS
    assert key_of("step") == "s" and key_of("save") == "ctrl+s" and key_of("node_step") == "."


async def test_help_and_palette_name_the_keys_of_the_registry(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        described = dict(app.key_help())
        for binding in MAIN_KEYS:
            assert (binding.tooltip or binding.description) in described.values()
        commands = {c.title: c.help for c in app_commands(app)}
        assert commands["Train one step"].endswith(f"({key_of('step')})")
        assert commands["Save the model"].endswith(f"({key_of('save')})")
