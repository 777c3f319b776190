"""One key registry: the app's bindings, the help screen and the palette read tui/keys.py."""

from __future__ import annotations

from mg_tui.tui.app import MgApp
from mg_tui.tui.commands import app_commands
from mg_tui.tui.keys import MAIN_KEYS, key_of
from mg_tui.tui.screens.explorer import ExplorerScreen
from textual.actions import parse as parse_action

from tests.tui.conftest import idle, press


def test_every_action_has_one_key_and_the_app_binds_exactly_the_registry():
    actions = [b.action for b in MAIN_KEYS]
    assert len(actions) == len(set(actions)), "an action is bound twice"
    assert ExplorerScreen.BINDINGS == MAIN_KEYS
    assert key_of("step") == "s" and key_of("save") == "ctrl+s" and key_of("node_step") == "."


async def test_help_and_palette_name_the_keys_of_the_registry(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        described = dict(app.explorer.key_help())
        for binding in MAIN_KEYS:
            _, action, arguments = parse_action(binding.action)
            shown = (binding.tooltip or binding.description) in described.values()
            assert shown == (app.explorer.check_action(action, arguments) is not False), (
                binding.action
            )
        commands = {c.title: c.help for c in app_commands(app.explorer)}
        assert commands["Train one step"].endswith(f"({key_of('step')})")
        assert commands["Save the model"].endswith(f"({key_of('save')})")


def described_actions(app: MgApp) -> set[str]:
    """The actions whose descriptions the help lists now."""
    shown = {description for _, description in app.explorer.key_help()}
    return {b.action for b in MAIN_KEYS if (b.tooltip or b.description) in shown}


async def test_help_lists_the_keys_of_the_current_mode(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        network = described_actions(app)
        assert {"step", "toggle_play", "reset"} <= network
        assert not network & {"next_lesson", "leave_mode", "next_pane"}
        await press(pilot, "e", "enter")
        expression = described_actions(app)
        assert not expression & {"step", "toggle_play", "update", "settings", "reset"}
        assert {"node_step", "node_back", "leave_mode", "check_node"} <= expression
        await press(pilot, "escape", "t")
        assert {"next_lesson", "previous_lesson", "leave_mode"} <= described_actions(app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert "next_pane" in described_actions(app)


def test_every_key_has_its_action_where_its_binding_sends_it():
    """The main screen owns the keys: each of its bindings, and the tree's `screen.` ones,
    names an action the explorer screen has; the tree's others are the tree's own."""
    from mg_tui.tui.components.graph_tree import GraphTree
    from mg_tui.tui.screens.explorer import ExplorerScreen

    for binding in ExplorerScreen.BINDINGS:
        _, action, _ = parse_action(binding.action)
        assert callable(getattr(ExplorerScreen, f"action_{action}", None)), binding.action
    for binding in GraphTree.BINDINGS:
        namespace, action, _ = parse_action(binding.action)
        owner = ExplorerScreen if namespace == "screen" else GraphTree
        assert callable(getattr(owner, f"action_{action}", None)), binding.action
