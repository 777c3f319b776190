"""Editing the training set on the decision boundary: the mouse and the key cursor add and
remove points, the next step trains on them, and the edits are saved with the model."""

from __future__ import annotations

import math

from mg_tui.tui.components.decision_view import Y_AXIS, DecisionView

from tests.tui.conftest import MOONS, idle, press, wait_for


async def boundary(pilot) -> DecisionView:
    """The boundary view on show, its grid computed."""
    await press(pilot, "v")
    view = pilot.app.query_one(DecisionView)
    await wait_for(pilot, lambda: view.grid is not None)
    return view


def centre(view: DecisionView, col: int, row: int) -> tuple[float, float]:
    """Cell (col, row)'s centre in input coordinates, from the grid's bounds."""
    x0, x1, y0, y1 = view.grid.bounds
    width, height = (x1 - x0) / view.grid.cols, (y1 - y0) / view.grid.rows
    return x0 + width * col + width / 2, y1 - height * row - height / 2


def near(a, b) -> bool:
    """The same point to rounding (the cell centre's sum is written another way here)."""
    return math.dist(a, b) < 1e-12


def mse_by_hand(trainer) -> float:
    """The mean squared error of the model's outputs now over the trainer's set."""
    data = trainer.dataset
    return sum((trainer.model.evaluate(x) - y) ** 2 for x, y in zip(data.xs, data.ys)) / len(data)


async def test_a_click_adds_a_point_and_the_next_step_trains_on_it(make_app) -> None:
    app = make_app(**MOONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        view = await boundary(pilot)
        trainer = app.explorer.session.trainer
        before = list(zip(trainer.dataset.xs, trainer.dataset.ys))
        col, row = 20, 5
        expected = centre(view, col, row)
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + col, row))
        await idle(pilot)
        assert list(zip(trainer.dataset.xs, trainer.dataset.ys))[:12] == before
        assert near(trainer.dataset.xs[12], expected) and trainer.dataset.ys[12] == 1.0
        # the graph on screen is the next step's: 13 samples, its loss the edited set's
        assert len(trainer.batch) == 13 and trainer.phase == "forward"
        assert math.isclose(app.explorer.snapshot.loss, mse_by_hand(trainer), rel_tol=1e-12)
        assert "x[12][0]" in {v.label for v in trainer.roles}
        assert f"added +1 at ({expected[0]:.2f}, {expected[1]:.2f})" in app.explorer.notice
        assert "13 training points" in app.explorer.notice
        weights = trainer.model.state_dict()
        await press(pilot, "s")
        # the step trained on 13 points: its recorded loss is theirs, with the old weights
        trained = trainer.history[-1].loss
        trainer_weights = trainer.model.state_dict()
        trainer.model.load_state_dict(weights)
        assert math.isclose(trained, mse_by_hand(trainer), rel_tol=1e-12)
        trainer.model.load_state_dict(trainer_weights)


async def test_shift_and_ctrl_click_add_the_other_class(make_app) -> None:
    app = make_app(**MOONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await boundary(pilot)
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + 3, 3), shift=True)
        await idle(pilot)
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + 4, 3), control=True)
        await idle(pilot)
        assert app.explorer.session.trainer.dataset.ys[-2:] == (-1.0, -1.0)
        assert "added -1 at" in app.explorer.notice


async def test_a_right_click_removes_the_nearest_training_point(make_app) -> None:
    app = make_app(**MOONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        view = await boundary(pilot)
        trainer = app.explorer.session.trainer
        before = list(zip(trainer.dataset.xs, trainer.dataset.ys))
        point = centre(view, 30, 10)
        nearest = min(range(len(before)), key=lambda i: math.dist(before[i][0], point))
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + 30, 10), button=3)
        await idle(pilot)
        assert list(zip(trainer.dataset.xs, trainer.dataset.ys)) == (
            before[:nearest] + before[nearest + 1 :]
        )
        assert len(trainer.batch) == 11
        assert "removed " in app.explorer.notice and "11 training points" in app.explorer.notice


async def test_the_key_cursor_adds_and_removes_points(make_app) -> None:
    app = make_app(**MOONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        view = await boundary(pilot)
        trainer = app.explorer.session.trainer
        await press(pilot, "i")
        assert view.has_focus and view.cursor is not None
        assert "enter: add +1" in view.caption.render().plain
        start = view.cursor
        await press(pilot, "left", "left", "up")
        col, row = start[0] - 2, start[1] - 1
        assert view.cursor == (col, row)
        await press(pilot, "enter")
        assert near(trainer.dataset.xs[-1], centre(view, col, row))
        assert trainer.dataset.ys[-1] == 1.0
        await press(pilot, "right", "0")  # a -1 point, and -1 is the current class now
        assert near(trainer.dataset.xs[-1], centre(view, col + 1, row))
        assert trainer.dataset.ys[-1] == -1.0 and view.current_class == 0
        await press(pilot, "delete")  # the -1 point just added is the nearest
        assert len(trainer.dataset) == 13 and trainer.dataset.ys[-1] == 1.0
        await press(pilot, "escape")
        assert app.explorer.tree.has_focus and view.cursor is None


async def test_edits_survive_save_and_load(make_app, tmp_path) -> None:
    path = tmp_path / "edited.json"
    app = make_app(**MOONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await boundary(pilot)
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + 10, 4))
        await idle(pilot)
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + 40, 12), button=3)
        await idle(pilot)
        await press(pilot, "s")
        edited = app.explorer.session.trainer.dataset
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(path)
        await press(pilot, "enter")
        await press(pilot, "r")  # new weights from the seed; the edited points stay
        assert app.explorer.session.trainer.dataset == edited and app.explorer.snapshot.step == 0
    fresh = make_app(**MOONS)
    async with fresh.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        dataset = fresh.explorer.session.trainer.dataset
        assert len(dataset) == 12 and dataset != edited
        await pilot.press("ctrl+o")
        await pilot.pause()
        fresh.screen.query_one("#prompt-input").value = str(path)
        await press(pilot, "enter")
        assert fresh.explorer.session.trainer.dataset == edited
        assert fresh.explorer.snapshot.step == 1 and len(fresh.explorer.session.trainer.batch) == 12


async def test_data_with_no_boundary_says_why_it_cannot_be_edited(make_app) -> None:
    app = make_app(dataset="sine", samples=10, arch=(3,), seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "v", "i")
        why = "cannot edit sine on the boundary: it has 1 feature, a boundary is drawn over 2"
        assert app.explorer.notice == why and app.explorer.tree.has_focus
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + 5, 3))
        await idle(pilot)
        assert app.explorer.notice == why and len(app.explorer.session.trainer.dataset) == 10


def test_regression_on_two_features_cannot_be_edited() -> None:
    from mg_tui.tui.core.data_editing import why_not_editable

    assert why_not_editable(2, (), "a.csv") == (
        "cannot edit a.csv on the boundary: it is regression, it has no classes"
    )
    assert why_not_editable(2, ("-1", "+1"), "moons") == ""


async def test_an_edit_during_a_walk_waits_for_the_next_step(make_app) -> None:
    app = make_app(**MOONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await boundary(pilot)
        await press(pilot, "full_stop")  # a backward walk has begun
        await pilot.click("#boundary-canvas", offset=(Y_AXIS + 8, 8))
        await idle(pilot)
        trainer = app.explorer.session.trainer
        assert len(trainer.dataset) == 12 and len(trainer.batch) == 12
        assert "the next one trains on it" in app.explorer.notice
        await press(pilot, "s", "s")
        assert len(trainer.dataset) == 13 and len(trainer.batch) == 13
