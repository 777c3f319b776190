"""Ask for a file path (save or load the model); dismisses with the path or None."""

from __future__ import annotations

from mg_tui.tui.screens.once import DismissOnceScreen
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

MAX_PATH_LENGTH = 4096  # Linux's PATH_MAX


class FilePrompt(DismissOnceScreen[str | None]):
    """One input line, prefilled with a default path; enter accepts, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]  # noqa: RUF012

    def __init__(self, title: str, default: str) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box") as box:
            box.border_title = self.title_text
            yield Input(value=self.default, id="prompt-input", max_length=MAX_PATH_LENGTH)
            yield Label("enter: ok   esc: cancel", id="prompt-hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = event.value.strip()
        self.dismiss(path or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
