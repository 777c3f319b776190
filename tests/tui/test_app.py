"""The app driven by keys: steps, phases, reset, data sets, save/load, quitting."""

from __future__ import annotations

import time

from mg_tui.tui.components.graph_tree import GraphTree
from mg_tui.tui.components.loss_chart import LossChart
from mg_tui.tui.components.node_panel import NodePanel
from mg_tui.tui.components.status_bar import StatusBar
from textual.actions import parse as parse_action

from tests.tui.conftest import MOONS, idle, press, wait_for


async def test_starts_on_the_tiny_network_with_a_forward_graph(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        snap = app.explorer.snapshot
        assert snap.architecture == "3-4-4-1"
        assert snap.phase == "forward"
        assert snap.root.label == "loss"
        assert "tiny  3-4-4-1 tanh" in app.query_one(StatusBar).text
        assert "forward" in app.query_one(StatusBar).text


async def test_a_step_changes_the_loss_and_the_chart(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        chart = app.query_one(LossChart)
        assert chart.points == 0
        await press(pilot, "s")
        first = app.explorer.snapshot.history[-1].loss
        await press(pilot, "s")
        assert app.explorer.snapshot.step == 2
        assert app.explorer.snapshot.history[-1].loss != first
        assert chart.points == 2
        assert "step 2" in app.query_one(StatusBar).text


async def test_the_three_phases_one_key_each(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s")  # a whole step: phase update
        assert app.explorer.snapshot.phase == "update"
        await press(pilot, "f")
        assert app.explorer.snapshot.phase == "forward"
        params = app.explorer.session.trainer.model.parameters()
        assert all(p.grad == 0.0 for p in params)
        await press(pilot, "b")
        assert app.explorer.snapshot.phase == "backward"
        assert any(p.grad != 0.0 for p in params)
        before = [p.data for p in params]
        await press(pilot, "u")
        assert app.explorer.snapshot.phase == "update"
        assert app.explorer.snapshot.step == 2
        assert [p.data for p in params] != before


async def test_update_before_backward_is_refused_politely(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "u")
        assert app.explorer.snapshot.phase == "forward"
        assert app.is_running


async def test_reset_gives_the_seeded_weights_back(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        start = app.explorer.session.trainer.model.state_dict()
        await press(pilot, "s", "s")
        assert app.explorer.session.trainer.model.state_dict() != start
        await press(pilot, "r")
        assert app.explorer.snapshot.step == 0
        assert app.explorer.session.trainer.model.state_dict() == start


async def test_learning_rate_keys(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "plus")
        assert app.explorer.snapshot.lr == 0.2
        await press(pilot, "minus", "minus")
        assert app.explorer.snapshot.lr == 0.05
        assert "lr 0.05" in app.query_one(StatusBar).text


async def test_switch_data_set_to_moons(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.explorer.change(**MOONS)
        await idle(pilot)
        assert app.explorer.snapshot.config.dataset == "moons"
        assert app.explorer.snapshot.architecture == "2-4-1"
        assert "moons" in app.query_one(StatusBar).text
        await press(pilot, "s")
        assert app.explorer.snapshot.step == 1


async def test_settings_form_changes_the_activation(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-activation").value = "relu"
        await pilot.press("ctrl+s")
        await idle(pilot)
        assert app.explorer.snapshot.config.activation == "relu"


async def test_settings_form_sets_micrograd_demo_options_and_the_loss_follows_the_data(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("o")
        await pilot.pause()
        form = app.screen
        form.query_one("#field-dataset").value = "xor"
        form.query_one("#field-schedule").value = "linear"
        form.query_one("#field-l2").value = "1e-4"
        await pilot.press("ctrl+s")
        await idle(pilot, timeout=30)
        config = app.explorer.snapshot.config
        assert (config.dataset, config.schedule, config.l2) == ("xor", "linear", 1e-4)
        assert config.loss == "mse"  # the untouched default (sse on tiny) followed the data
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#field-l2").value = "lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "L2 penalty must be a number, got 'lots'" in str(
            app.screen.query_one("#settings-error").render()
        )


async def test_divergence_pauses_and_says_so(make_app):
    app = make_app(activation="linear", lr=1000.0)
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("space")
        await wait_for(pilot, lambda: not app.explorer.playing)
        await idle(pilot)
        assert app.explorer.notice.startswith("diverged")
        assert "diverged" in app.query_one(StatusBar).text
        assert "paused" in app.query_one(StatusBar).text
        assert any("diverged" in n.message for n in app._notifications)
        # The model was not corrupted: every parameter is still a finite number.
        assert all(
            abs(p.data) < float("inf") for p in app.explorer.session.trainer.model.parameters()
        )


async def test_save_and_load_round_trip(make_app, tmp_path):
    path = tmp_path / "model.json"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        saved = app.explorer.session.trainer.model.state_dict()
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(path)
        await press(pilot, "enter")
        assert path.exists()
        await press(pilot, "s", "r")
        assert app.explorer.session.trainer.model.state_dict() != saved
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(path)
        await press(pilot, "enter")
        assert app.explorer.session.trainer.model.state_dict() == saved
        assert app.explorer.snapshot.step == 2


async def test_loading_a_bad_file_says_so_and_goes_on(make_app, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(bad)
        await press(pilot, "enter")
        assert any("corrupt" in n.message for n in app._notifications)
        await press(pilot, "s")
        assert app.explorer.snapshot.step == 1


async def test_pausing_shows_the_last_step_played(make_app):
    """Playing shows only some steps (tui/core/frame_pacer.py); once paused, the screen shows
    the model as it is: the last step, its graph and its index, every step in the chart."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.explorer.session.trainer.step_count >= 30)
        await pilot.press("space")
        await idle(pilot)
        trainer = app.explorer.session.trainer
        steps = trainer.step_count
        assert app.explorer.snapshot.step == steps == len(trainer.history) >= 30
        assert app.explorer.snapshot.root is trainer.graph
        assert app.explorer.snapshot.index.root is trainer.graph
        assert app.explorer.snapshot.history[-1] == trainer.history[-1]
        assert len(app.query_one(LossChart).history) == steps  # plotted thinned, all kept
        assert f"step {steps}" in app.query_one(StatusBar).text


async def test_quitting_while_playing_moons_is_quick(make_app):
    app = make_app(**{**MOONS, "samples": 100, "arch": (16, 16)})
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot, timeout=30)
        await pilot.press("space")
        await wait_for(pilot, lambda: app.explorer.snapshot.step >= 1, timeout=30)
        started = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - started < 0.5


async def test_help_screen_lists_every_binding(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(desc for _, desc in app.screen.keys)
        for binding in app.explorer.BINDINGS:
            _, action, arguments = parse_action(binding.action)
            if app.explorer.check_action(action, arguments) is not False:  # works on the network
                assert (binding.tooltip or binding.description) in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0]


async def test_tiny_terminal_does_not_crash(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "f", "b", "u")
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await press(pilot, "s")
        assert app.explorer.snapshot.step == 3
        assert app.query_one(GraphTree).root.data is not None
        assert app.query_one(NodePanel).value is not None
