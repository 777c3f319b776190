"""Quiz mode: Q, then each . asks for an operand's grad, judges it, then steps."""

from __future__ import annotations

from mg_tui.tui.app import MgApp
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.screens.quiz_screen import QuizScreen

from tests.tui.conftest import idle, press, wait_for

LECTURE = "e = a*b; d = e + c; f = -2.0; L = d*f"


async def answer(pilot, text: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
    app.screen.query_one("#quiz-answer").value = text
    await pilot.press("enter")
    await pilot.pause()


def messages(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_the_lecture_quiz_asks_judges_and_steps() -> None:
    app = MgApp()
    app.explorer.start_with_graph(GraphSource.from_expression(LECTURE, {"a": 2, "b": -3, "c": 10}))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "Q")
        assert app.explorer.quizzer.on
        await pilot.press("full_stop")  # L = d*f is next: what will d.grad be?
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        assert "d.grad is 0.0" in app.screen.question.prompt
        await answer(pilot, "-2")  # by hand: dL/dd = f = -2
        assert app.explorer.session.backward.cursor >= 1
        assert any(m.startswith("Right: d.grad = 0.0 + -2.0 × 1.0 = -2.0") for m in messages(app))
        assert str(app.explorer.quizzer.score) == "quiz 1/1"
        await pilot.press("full_stop")  # d = e + c: the second question asks about c
        await answer(pilot, "5")  # wrong: dL/dc = -2
        assert any(m.startswith("Not quite (you said 5)") for m in messages(app))
        assert str(app.explorer.quizzer.score) == "quiz 1/2"
        assert "quiz 1/2" in app.explorer.tree.border_subtitle


async def test_a_non_number_keeps_the_question_and_escape_skips_the_step() -> None:
    app = MgApp()
    app.explorer.start_with_graph(GraphSource.from_expression(LECTURE, {"a": 2, "b": -3, "c": 10}))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "Q", "full_stop")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        app.screen.query_one("#quiz-answer").value = "minus two"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen)
        assert "not a number" in str(app.screen.query_one("#quiz-error").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, QuizScreen)
        assert app.explorer.session.backward.interior_done == 0  # nothing was processed
        assert app.explorer.quizzer.score.asked == 0


async def test_the_quiz_works_on_the_network(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "f", "Q", "full_stop")
        await wait_for(pilot, lambda: isinstance(app.screen, QuizScreen))
        question = app.screen.question
        await answer(pilot, repr(question.expected))
        assert question.operand.grad == question.expected  # what backprop then gave
        assert str(app.explorer.quizzer.score) == "quiz 1/1"
