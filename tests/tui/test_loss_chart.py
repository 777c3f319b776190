"""The loss chart as a learner sees it: round y ticks, a log axis on `l`, accuracy on the right."""

from __future__ import annotations

import itertools
import math

from tests.tui.conftest import idle, press


def plot_text(app) -> str:
    return app.explorer.chart.plot.render().plain


def tick_values(labels: list[str]) -> list[float]:
    return [float(label) for label in labels]


async def test_the_chart_labels_round_ticks_and_plots_accuracy_on_the_right(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, *"ssssss")
        losses = [r.loss for r in app.explorer.chart.history]
        assert len(losses) == 6
        values = tick_values(app.explorer.chart.loss_ticks)
        assert values[0] <= min(losses) and values[-1] >= max(losses)
        gaps = {round(b - a, 9) for a, b in itertools.pairwise(values)}
        assert len(gaps) == 1  # evenly spaced
        text = plot_text(app)
        for label in app.explorer.chart.loss_ticks:
            assert label in text
        for label in ("0%", "50%", "100%"):  # the accuracy axis
            assert label in text
        last = app.explorer.chart.history[-1]
        summary = app.explorer.chart.summary.render().plain
        assert f"acc {last.accuracy * 100:.0f}%" in summary
        assert "l: linear" in summary


async def test_l_switches_the_loss_axis_to_log_and_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, *"ssss", "l")
        assert app.explorer.chart.log_scale
        values = tick_values(app.explorer.chart.loss_ticks)
        for value in values:  # 1, 2 or 5 times a power of ten
            exponent = math.floor(math.log10(value) + 1e-9)
            assert round(value / 10**exponent, 6) in (1.0, 2.0, 5.0)
        losses = [r.loss for r in app.explorer.chart.history]
        assert values[0] <= min(losses) and values[-1] >= max(losses)
        assert "l: log" in app.explorer.chart.summary.render().plain
        assert "log" in app.explorer.notice
        await press(pilot, "v", "l")  # from the boundary view: back to the chart, linear
        assert not app.explorer.chart.log_scale
        assert app.query_one("#views").current == "chart"


async def test_a_loss_near_the_float_limit_is_drawn_on_a_log_axis_not_a_crash(make_app) -> None:
    """The soak found it: a loss of 9e307 (finite, so training goes on) overflowed plotext's
    scaling and ended the app. Past 1e12 the axis goes log and says why."""
    from dataclasses import replace

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        first = app.explorer.chart.history[0]
        huge = [replace(first, step=k, loss=loss) for k, loss in enumerate((1.0, 3e5, 9.06e307), 1)]
        app.explorer.chart.show(huge)
        await pilot.pause()
        assert app.explorer.chart.points == 3
        assert (
            app.explorer.chart.loss_ticks[0] == "1"
            and app.explorer.chart.loss_ticks[-1] == "1e+308"
        )
        assert "log: loss > 1e+12" in app.explorer.chart.summary.render().plain
        plot_text(app)  # it draws
        app.explorer.chart.show(huge[:2])  # a smaller history (a reset): linear again
        await pilot.pause()
        assert (
            not app.explorer.chart.forced_log
            and "l: linear" in app.explorer.chart.summary.render().plain
        )


async def test_a_log_axis_survives_repaints_with_no_new_step(make_app) -> None:
    """plotext's log scale took the log of its data in place at each build: the second
    repaint of a log chart (help opened over it, a refresh) raised a math domain error and
    ended the app. Each repaint must draw the same numbers."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s", "s", "l")
        first = plot_text(app)
        for _ in range(3):
            app.explorer.chart.plot.refresh()
            await pilot.pause()
            assert plot_text(app) == first
        await press(pilot, "question_mark", "escape")
        assert plot_text(app) == first and app.return_code is None
