"""The backprop stepper in the app: node by node, back, until final, autoplay, settling."""

from __future__ import annotations

from mg_tui.engine import topological_order
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.tui.components.graph_tree import FINAL, PARTIAL, WAITING, node_line
from mg_tui.tui.core.graphs import GraphSource

from tests.tui.conftest import idle, press, wait_for


def reference_grads(config: RunConfig) -> list[float]:
    """The grads `backward()` gives on the same model's first graph, in topological order."""
    trainer = build_trainer(config)
    trainer.forward()
    trainer.backward()
    return [v.grad for v in topological_order(trainer.graph)]


def grads(app) -> list[float]:
    return [v.grad for v in topological_order(app.explorer.session.trainer.graph)]


async def test_stepping_every_node_gives_exactly_the_grads_of_backward(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("full_stop", "full_stop")
        controller = app.explorer.session.backward
        assert controller.active and controller.interior_done == 2
        assert app.explorer.tree.border_subtitle.startswith(
            f"node 2 of {controller.interior_total}"
        )
        while not controller.complete:
            app.explorer.action_node_step()
        await pilot.pause()
        assert grads(app) == reference_grads(RunConfig())
        assert "all done" in app.explorer.tree.border_subtitle
        await press(pilot, "u")  # the update settles the walk
        assert app.explorer.snapshot.phase == "update" and app.explorer.snapshot.step == 1


async def test_the_tree_follows_and_the_panel_shows_the_contributions(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("full_stop", "full_stop", "full_stop")
        await pilot.pause()
        step = app.explorer.session.backward.last_interior
        assert app.explorer.tree.value_of(app.explorer.tree.cursor_node) is step.node
        text = app.explorer.panel.text
        c = step.contributions[0]
        assert "processed: passed its grad on" in text
        assert ".grad += " in text and "→" in text
        assert c.grad_after == c.grad_before + c.amount


async def test_step_back_restores_the_grads_exactly(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        before = grads(app)
        for _ in range(20):
            app.explorer.action_node_step()
        middle = grads(app)
        node = app.explorer.session.backward.last_interior.node
        await pilot.press("full_stop", "full_stop", "full_stop", "comma", "backspace", "comma")
        await pilot.pause()
        assert grads(app) == middle
        assert app.explorer.session.backward.interior_done == 20
        assert (
            app.explorer.tree.value_of(app.explorer.tree.cursor_node) is not node
        )  # the undone one
        for _ in range(20):
            app.explorer.action_node_back()
        assert grads(app)[:-1] == before[:-1]  # the root's seed stays 1 during the walk
        await press(pilot, "f")  # abandons the walk: every grad 0 again
        assert grads(app) == before
        assert not app.explorer.session.backward.active


async def test_finality_marks_with_fan_out(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.explorer.open_graph(GraphSource.from_expression("a*a + a", {"a": 3.0}))
        await idle(pilot)
        root = app.explorer.snapshot.root
        product, a = root.inputs
        assert product.inputs == (a, a)
        controller = app.explorer.session.backward
        await pilot.press("full_stop")  # the + node: a gets 1 of its 3 contributions
        await pilot.pause()
        assert controller.received[a] == 1 and not controller.is_final(a)
        assert node_line(a, app.explorer.snapshot.index, controller).plain.startswith(PARTIAL)
        assert node_line(product, app.explorer.snapshot.index, controller).plain.startswith(FINAL)
        app.explorer.tree.expand_path((1,))
        await pilot.pause()
        assert "1 of 3 contributions received" in app.explorer.panel.text
        await pilot.press("full_stop")  # the * node: two more, a's grad is final
        await pilot.pause()
        assert controller.is_final(a) and a.grad == 2 * 3.0 + 1.0
        assert node_line(a, app.explorer.snapshot.index, controller).plain.startswith(FINAL)
        app.explorer.tree.expand_path((1,))
        await pilot.pause()
        assert "final · 3 of 3 contributions" in app.explorer.panel.text
        await pilot.press("comma")
        await pilot.pause()
        assert controller.received[a] == 1 and a.grad == 1.0


async def test_waiting_mark_and_until_final(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("full_stop")
        controller = app.explorer.session.backward
        app.explorer.jump_to("L1.N1.w0")
        await pilot.pause()
        w = app.explorer.tree.value_of(app.explorer.tree.cursor_node)
        assert node_line(w, app.explorer.snapshot.index, controller).plain.startswith(WAITING)
        await pilot.press("F")
        await pilot.pause()
        assert controller.is_final(w)
        expected = dict(
            zip(topological_order(app.explorer.snapshot.root), reference_grads(RunConfig()))
        )
        assert w.grad == expected[w]


async def test_autoplay_advances_and_stops_at_the_end(make_app):
    app = make_app(dataset="tiny", arch=(2,))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.explorer.stepper.pace_index = 0  # the slowest pace, so it cannot finish before we look
        await pilot.press("w")
        assert app.explorer.stepper.autoplaying
        app.explorer.stepper.pace_index = 5
        await pilot.press("asterisk")  # faster: to the fastest pace
        await wait_for(pilot, lambda: app.explorer.session.backward.interior_done > 3)
        await wait_for(pilot, lambda: not app.explorer.stepper.autoplaying, timeout=30)
        assert app.explorer.session.backward.complete
        await pilot.press("w", "w")  # stop it by hand too
        assert not app.explorer.stepper.autoplaying


async def test_a_training_step_mid_walk_settles_the_walk(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("full_stop", "full_stop", "full_stop")
        await press(pilot, "s")
        assert not app.explorer.session.backward.active
        assert app.explorer.snapshot.step == 1 and app.explorer.snapshot.walk is None
        reference = build_trainer(RunConfig())
        reference.step()
        mine = app.explorer.session.trainer.model.parameters()
        assert [p.data for p in mine] == [p.data for p in reference.model.parameters()]
