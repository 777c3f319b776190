"""The app on a test split and on more than two classes: the test figures on the status line
and in the chart, the confusion matrix, the boundary of K classes, data without one.

Every expected number is computed here from a model trained alongside the app's (same
settings, same seed) with plain float arithmetic: the test loss as a mean of squared
errors, the accuracy and the confusion counts by counting.
"""

from __future__ import annotations

import pytest
from mg_tui.nn import RunConfig, build_trainer
from mg_tui.tui.components.confusion_view import ConfusionView
from mg_tui.tui.components.decision_view import DecisionView
from mg_tui.tui.format import num, percent

from tests.tui.conftest import idle, press

SPLIT = {"dataset": "moons", "samples": 40, "test_fraction": 0.25, "seed": 2}
THREE = {"dataset": "blobs", "classes": 3, "samples": 30, "test_fraction": 0.2, "seed": 3}


def side(out: float) -> int:
    return int(out > 0)


def argmax(outs: list[float]) -> int:
    return max(range(len(outs)), key=outs.__getitem__)


async def test_a_split_shows_the_test_loss_and_accuracy_and_two_curves(make_app):
    app = make_app(**SPLIT)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s", "s")
        # the same run beside it: three steps, the test set measured before the third update
        twin = build_trainer(RunConfig(**SPLIT))
        twin.step(), twin.step()
        test = twin.test
        assert len(test) == 10 and len(twin.dataset) == 30
        outs = [twin.model.evaluate(x) for x in test.xs]
        mse = sum((o - y) ** 2 for o, y in zip(outs, test.ys)) / len(test)
        right = sum(side(o) == side(y) for o, y in zip(outs, test.ys)) / len(test)
        record = app.explorer.snapshot.history[-1]
        assert record.test_loss == pytest.approx(mse, rel=1e-12)
        assert record.test_accuracy == right
        status = app.explorer.status.text
        assert f"test {num(record.test_loss)} {percent(right)}" in status
        assert app.explorer.chart.curves == ["loss", "test loss", "accuracy", "test accuracy"]
        summary = app.explorer.chart.summary.render().plain
        assert f"test •{num(record.test_loss)} ×{percent(right)}" in summary


async def test_without_a_split_there_are_no_test_figures(make_app):
    app = make_app(dataset="moons", samples=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        assert "test" not in app.explorer.status.text
        assert app.explorer.chart.curves == ["loss", "accuracy"]


async def test_m_shows_the_confusion_matrix_of_both_splits(make_app):
    app = make_app(**THREE)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s", "M")
        await idle(pilot)
        assert app.query_one("#views").current == "confusion"
        view = app.query_one(ConfusionView)
        twin = build_trainer(RunConfig(**THREE))
        twin.step(), twin.step()  # the model after step 2, as the view says
        for data, counts in (
            (twin.dataset, view.confusion.train),
            (twin.test, view.confusion.test),
        ):
            expected = [[0] * 3 for _ in range(3)]
            for x, y in zip(data.xs, data.ys):
                expected[int(y)][argmax(twin.model.evaluate(x))] += 1
            assert [list(row) for row in counts] == expected
        text = view.text
        assert (
            "the model after step 2" in text and "training  right" in text and "test  right" in text
        )
        diagonal = sum(view.confusion.train[k][k] for k in range(3))
        assert f"right {diagonal}/24" in text
        await press(pilot, "s")  # it follows each step while it shows
        assert view.confusion.step == 3
        await press(pilot, "M")
        assert app.query_one("#views").current == "chart"
        assert app.explorer.session.confusion_wanted is False


async def test_the_boundary_of_three_classes_colours_the_argmax(make_app):
    app = make_app(**THREE)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "v")
        await idle(pilot)
        view = app.query_one(DecisionView)
        grid = view.grid
        assert grid is not None and grid.argmax
        twin = build_trainer(RunConfig(**THREE))
        twin.step()
        x0, x1, y0, y1 = grid.bounds
        for r in (0, grid.rows - 1):
            for c in (0, grid.cols // 2, grid.cols - 1):
                point = (
                    x0 + (x1 - x0) * (c + 0.5) / grid.cols,
                    y1 - (y1 - y0) * (r + 0.5) / grid.rows,
                )
                assert grid.scores[r][c] == argmax(twin.model.evaluate(point))
        caption = view.caption.render().plain
        assert "0" in caption and "1·" in caption and "2:" in caption


async def test_data_that_is_not_2d_has_no_boundary_and_says_so(make_app):
    app = make_app(dataset="sine", samples=20)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "v")
        text = app.query_one(DecisionView).canvas.render().plain
        assert text == (
            "No decision boundary: sine has 1 feature, and a boundary is drawn over 2. "
            "Press v for the loss chart."
        )
        assert "acc" not in app.explorer.status.text  # regression: no accuracy
        await press(pilot, "v")
        assert app.query_one("#views").current == "chart"
