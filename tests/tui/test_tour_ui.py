"""The guided tour in the app: every lesson opens, shows its graph and its numbers."""

from __future__ import annotations

import pytest
from mg_tui.tui.app import MgApp
from mg_tui.tui.core.lessons import LESSONS

from tests.tui.conftest import idle, wait_for

# A few numbers each lesson's pane must show (computed by the engine, as the seeds say).
SHOWN = {
    "derivative": ["f(3): 9", "df/dx (backprop): 6"],
    "numerical": ["central difference, h=1e-6: 6", "forward difference, h=1e-6: 6.00000"],
    "product": ["df/dx (backprop): -2", "df/dy (backprop): 3"],
    "neuron": ["x1.grad (engine): -1.5  ✓ seed 003", "w1.grad (engine): 1", "w2.grad (engine): 0"],
    "fan-out": ["a.grad (contributions added): 2", "if the last contribution replaced"],
    "network": ["parameters: 41", "layer 1 parameters: 16", "loss at step 20"],
    "moons": ["parameters: 337", "lr at step 100: 0.109"],
    "overfitting": ["parameters: 321", "training samples: 12", "test samples: 48"],
}


async def lesson_ready(pilot, number: int) -> str:
    app = pilot.app
    await wait_for(pilot, lambda: app.tour_index == number, timeout=30)
    await wait_for(pilot, lambda: "computing" not in app.lesson_pane.text, timeout=60)
    await idle(pilot, timeout=60)
    return app.lesson_pane.text


async def test_every_lesson_opens_and_shows_its_numbers():
    app = MgApp()
    app.start_with_tour(0)
    async with app.run_test(size=(100, 40)) as pilot:
        for number, lesson in enumerate(LESSONS):
            text = await lesson_ready(pilot, number)
            assert lesson.title in text
            for words in SHOWN[lesson.key]:
                assert words in text, (lesson.key, words)
            assert "✗" not in text  # every seed figure reproduced
            root = app.snapshot.root
            if lesson.config is None:
                assert app.snapshot.title == lesson.title
                assert root.data == pytest.approx(lesson.build().data)
            else:
                assert app.snapshot.config == lesson.config and root.label == "loss"
            if number + 1 < len(LESSONS):
                await pilot.press("greater_than_sign")
        assert app.query_one("#views").current == "chart"  # overfitting: the two curves
        await pilot.press("less_than_sign")
        await lesson_ready(pilot, len(LESSONS) - 2)
        assert app.query_one("#views").current == "boundary"  # moons: the decision boundary


async def test_t_opens_and_closes_the_tour_and_the_network_lesson_trains(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("t")
        await lesson_ready(pilot, 0)
        for _ in range(5):
            await pilot.press("greater_than_sign")
        await lesson_ready(pilot, 5)
        await pilot.press(*"ssssss")
        await idle(pilot)
        history = app.snapshot.history
        assert len(history) == 6 and history[-1].loss < history[0].loss / 10  # loss falling
        await pilot.press("t")
        await pilot.pause()
        assert app.lesson_pane is None and app.tour_index is None
