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
    "lecture": ["L: -8", "dL/da (engine): 6", "dL/db (engine): -4", "change in L: 0.006"],
    "bug-assign": ["b = a + a: a.grad with = (wrong): 1", "b = a + a: a.grad with += (engine): 2"],
    "bug-order": ["c: a.grad, recursive (wrong): 8", "c: a.grad, engine: 4", "c, b, b"],
    "bug-zero-grad": ["loss, steps 1 to 10, zero_grad forgotten: 16, 5.76, 0.0256, 7.054"],
    "bug-tanh": ["naive tanh(355): OverflowError: math range error", "engine tanh(355): 1"],
    "bug-depth": ["recursive build_topo: RecursionError", "engine backward(): dy/dx: 1"],
    "overfitting": ["parameters: 321", "training samples: 12", "test samples: 48"],
}


async def lesson_ready(pilot, number: int) -> str:
    app = pilot.app
    key = LESSONS[number].key
    await wait_for(
        pilot, lambda: app.explorer.tour.index == number, 30, lambda: (key, app.explorer.tour.index)
    )
    await wait_for(
        pilot,
        lambda: "computing" not in app.explorer.tour.pane.text,
        60,
        lambda: (key, app.explorer.tour.pane.text[-300:], [w.name for w in app.workers]),
    )
    await idle(pilot, timeout=60)
    return app.explorer.tour.pane.text


def test_every_lesson_has_numbers_to_look_for():
    assert set(SHOWN) == {lesson.key for lesson in LESSONS}


async def test_every_lesson_opens_and_shows_its_numbers():
    """All the lessons, one `>` after another: title, numbers, graph; no error anywhere."""
    assert len(LESSONS) >= 12
    app = MgApp()
    app.explorer.start_with_tour(0)
    notes: list[str] = []
    notify = app.notify
    app.notify = lambda message, *a, **k: (notes.append(str(message)), notify(message, *a, **k))
    async with app.run_test(size=(100, 40)) as pilot:
        for number, lesson in enumerate(LESSONS):
            text = await lesson_ready(pilot, number)
            assert text.startswith(lesson.title)
            assert f"tour {number + 1} of {len(LESSONS)}" in app.explorer.tour.pane.border_title
            for words in SHOWN[lesson.key]:
                assert words in text, (lesson.key, words)
            assert "✗" not in text  # every seed figure reproduced
            assert notes == [] and "error" not in app.explorer.notice, (
                lesson.key,
                notes,
                app.explorer.notice,
            )
            root = app.explorer.snapshot.root
            if lesson.config is None:
                assert app.explorer.snapshot.title == lesson.title
                assert root.data == pytest.approx(lesson.build().data)
            else:
                assert app.explorer.snapshot.config == lesson.config and root.label == "loss"
            views = app.query_one("#views").current
            assert views == ("boundary" if lesson.key == "moons" else "chart")
            if number + 1 < len(LESSONS):
                await pilot.press("greater_than_sign")
        await pilot.press("greater_than_sign")  # past the last: it stays
        await pilot.pause()
        assert app.explorer.tour.index == len(LESSONS) - 1
        await pilot.press("less_than_sign")
        await lesson_ready(pilot, len(LESSONS) - 2)


async def test_t_opens_and_closes_the_tour_and_the_network_lesson_trains(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await pilot.press("t")
        await lesson_ready(pilot, 0)
        network = next(i for i, lesson in enumerate(LESSONS) if lesson.key == "network")
        for _ in range(network):
            await pilot.press("greater_than_sign")
        await lesson_ready(pilot, network)
        await pilot.press(*"ssssss")
        await idle(pilot)
        history = app.explorer.snapshot.history
        assert len(history) == 6 and history[-1].loss < history[0].loss / 10  # loss falling
        await pilot.press("t")
        await pilot.pause()
        assert app.explorer.tour.pane is None and app.explorer.tour.index is None


async def test_the_lectures_lesson_nudges_a_and_f_as_the_lecture_does():
    """Lesson 4 is the lecture's program: x on a moves L by 0.006, on f (a number the
    program assigns, f = -2.0) by d * h = 0.004."""
    from mg_tui.tui.components.nudge_pane import NudgePane

    from tests.tui.test_nudge_ui import path_to

    number = next(i for i, lesson in enumerate(LESSONS) if lesson.key == "lecture")
    app = MgApp()
    app.explorer.start_with_tour(number)
    async with app.run_test(size=(100, 30)) as pilot:
        await lesson_ready(pilot, number)
        for leaf, change in (("a", "0.006"), ("f", "0.004")):
            app.explorer.tree.expand_path(
                path_to(app.explorer.snapshot.root, lambda v, leaf=leaf: v.label == leaf)
            )
            await pilot.pause()
            await pilot.press("x")
            await wait_for(pilot, lambda: bool(app.query(NudgePane)))
            await pilot.pause()
            lines = app.query_one(NudgePane).render().plain.splitlines()
            # by hand: L = (a*b + c)*f = -8; at a = 2.001, L = -7.994; at f = -1.999, L = -7.996
            assert lines[0] == f"{leaf} += h = 0.001"
            assert lines[3].split()[:2] == ["change", change], lines
            await pilot.press("x")
            await pilot.pause()
        assert app.explorer.tour.index == number


async def test_a_lesson_whose_numbers_fail_says_so_instead_of_computing_forever(
    make_app, monkeypatch
):
    from dataclasses import replace

    from mg_tui.tui.controllers import tour

    def broken() -> list:
        raise ValueError("math domain error")

    lessons = list(LESSONS)
    lessons[0] = replace(lessons[0], make_facts=broken)
    monkeypatch.setattr(tour, "LESSONS", lessons)
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await idle(pilot)
        await pilot.press("t")
        await wait_for(pilot, lambda: app.explorer.tour.index == 0)
        await wait_for(pilot, lambda: "computing" not in app.explorer.tour.pane.text)
        text = app.explorer.tour.pane.text
        assert "the numbers could not be computed: ValueError: math domain error" in text
