"""Ask a yes/no question (replace a saved model?); dismisses with True or False."""

from __future__ import annotations

from mg_tui.tui.screens.once import DismissOnceScreen
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label


class ConfirmScreen(DismissOnceScreen[bool]):
    """One question; y or enter answers yes, n or escape answers no."""

    BINDINGS = [  # noqa: RUF012
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.title_text = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box") as box:
            box.border_title = self.title_text
            yield Label(self.question, id="confirm-question", markup=False)
            yield Label("y: yes   n, esc: no", id="prompt-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
