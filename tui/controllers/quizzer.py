"""Quiz mode (Q): each `.` first asks what grad an operand will get, then steps.

Composed into the explorer screen (`ExplorerScreen.quizzer`), handed the screen; the
stepper asks `question()` before each node and `ask(question, step)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from mg_tui.tui.controllers.host import ScreenHost
from mg_tui.tui.core.quiz import Question, Score, is_right, question_for
from mg_tui.tui.screens.quiz_screen import QuizScreen

if TYPE_CHECKING:
    from mg_tui.tui.core.session import Session


class QuizzerHost(ScreenHost, Protocol):
    """What the quiz uses of the screen."""

    session: Session


class Quizzer:
    """On or off; the score of the walk on screen; one question per stepped node."""

    def __init__(self, host: QuizzerHost) -> None:
        self.host = host
        self.on = False
        self.score = Score()

    def toggle(self) -> bool:
        self.on = not self.on
        self.score = Score()
        return self.on

    def reset(self) -> None:
        """A new graph: a new walk, a new score."""
        self.score = Score()

    def question(self) -> Question | None:
        """The question for the node the next `.` processes, if quiz mode is on."""
        controller = self.host.session.backward
        if not self.on or controller is None or not controller.active:
            return None
        node = controller.next_interior()
        return None if node is None else question_for(node, self.score.asked, controller.index)

    def ask(self, question: Question, then_step: Callable[[], None]) -> None:
        """Show the question; on an answer, judge it, say so, then step."""

        def answered(answer: float | None) -> None:
            if answer is None:
                return  # skipped: nothing processed
            right = is_right(question, answer)
            self.score.record(right)
            verdict = "Right" if right else f"Not quite (you said {answer:g})"
            self.host.notify(f"{verdict}: {question.working}", title=str(self.score), timeout=8)
            then_step()

        self.host.app.push_screen(QuizScreen(question, str(self.score)), answered)
