"""The quiz's question: type the grad you expect; dismisses with the number or None."""

from __future__ import annotations

from mg_tui.tui.core.quiz import Question, parse_answer
from mg_tui.tui.screens.once import DismissOnceScreen
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static


class QuizScreen(DismissOnceScreen[float | None]):
    """One question, one input line; a non-number says so and keeps the question open."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]  # noqa: RUF012

    def __init__(self, question: Question, score: str) -> None:
        super().__init__()
        self.question = question
        self.score = score

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box") as box:
            box.border_title = f"Predict the grad · {self.score}"
            yield Static(self.question.prompt, id="quiz-question")
            yield Input(id="quiz-answer", placeholder="a number, e.g. -2.5", max_length=40)
            yield Static("", id="quiz-error")
            yield Label("enter: check   esc: skip (no step)", id="prompt-hint")

    def on_mount(self) -> None:
        self.query_one("#quiz-answer", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            answer = parse_answer(event.value)
        except ValueError as error:
            self.query_one("#quiz-error", Static).update(str(error))
            return
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(None)
