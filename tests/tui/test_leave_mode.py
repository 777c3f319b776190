"""Escape leaves an expression or a lesson and gives the network back exactly as it was:
step, history, grads, the tree's selection and open nodes, and a walk in progress."""

from __future__ import annotations

from mg_tui.tui.app import MgApp
from mg_tui.tui.core.lessons import LESSONS

from tests.tui.conftest import idle, press


def network_state(app: MgApp) -> dict[str, object]:
    """What the user sees of the network, read from the app (not from the session)."""
    trainer = app.explorer.session.trainer
    walk = app.explorer.snapshot.walk
    return {
        "trainer": trainer,
        "step": app.explorer.snapshot.step,
        "history": app.explorer.snapshot.history,
        "phase": app.explorer.snapshot.phase,
        "params": [(p.data, p.grad) for p in trainer.model.parameters()],
        "root": app.explorer.snapshot.root,
        "selected": app.explorer.tree.value_of(app.explorer.tree.cursor_node),
        "opened": app.explorer.tree.view_state().opened,
        "walk": None if walk is None else (walk.cursor, walk.progress()),
        "status": app.explorer.mode_name,
    }


async def select_a_deep_node(pilot) -> None:
    """Open the loss and its first operand, and put the cursor two lines down."""
    await press(pilot, "down", "right", "down", "down")


async def test_s_s_e_enter_escape_returns_to_step_2_with_the_same_selection():
    app = MgApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        await select_a_deep_node(pilot)
        before = network_state(app)
        assert before["step"] == 2 and before["selected"] is not app.explorer.snapshot.root
        await press(pilot, "e", "enter")
        assert app.explorer.snapshot.title and app.explorer.mode_name == "expression"
        assert app.explorer.session.trainer is not before["trainer"]
        await press(pilot, "escape")
        assert network_state(app) == before
        assert app.explorer.mode_name == "network" and "network" in str(
            app.explorer.status.render()
        )


async def test_a_walk_in_progress_survives_a_lesson_and_an_expression():
    app = MgApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "f", "full_stop", "full_stop", "full_stop", "comma")
        await select_a_deep_node(pilot)
        before = network_state(app)
        assert before["walk"] is not None and before["walk"][0] > 0
        await press(pilot, "t", "greater_than_sign", "e", "enter")
        assert app.explorer.session.trainer is not before["trainer"]
        await press(pilot, "escape")
        assert app.explorer.tour.index is None and app.explorer.tour.pane is None
        assert network_state(app) == before
        # The walk goes on where it was: the next node is the reference's next node.
        await press(pilot, "full_stop")
        assert app.explorer.snapshot.walk.cursor > before["walk"][0]


async def test_leaving_a_network_lesson_gives_back_the_users_network_not_the_lessons():
    network_lesson = next(i for i, lesson in enumerate(LESSONS) if lesson.config is not None)
    app = MgApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s", "s")
        before = network_state(app)
        await press(pilot, "t", *["greater_than_sign"] * network_lesson)
        assert app.explorer.tour.index == network_lesson
        await press(pilot, "s", "r", "s")  # train and reset the lesson's own network
        assert app.explorer.session.trainer is not before["trainer"]
        await press(pilot, "t")  # t leaves the tour as Escape does
        assert network_state(app) == before


async def test_escape_does_nothing_on_the_network_and_is_shown_only_away():
    app = MgApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        before = network_state(app)
        assert app.explorer.check_action("leave_mode", ()) is False
        await press(pilot, "escape")
        assert network_state(app) == before
        await press(pilot, "e", "enter")
        assert app.explorer.check_action("leave_mode", ()) is True
        assert (
            app.explorer.check_action("reset", ()) is False
        )  # r no longer throws the network away


async def test_escape_from_a_first_expression_builds_the_default_network():
    app = MgApp()
    from mg_tui.tui.core.graphs import GraphSource

    app.explorer.start_with_graph(GraphSource.from_expression("a*b", {"a": 2.0, "b": 3.0}))
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        assert app.explorer.mode_name == "expression"
        await press(pilot, "escape")
        assert app.explorer.mode_name == "network" and app.explorer.snapshot.root.label == "loss"
        assert app.explorer.snapshot.step == 0
