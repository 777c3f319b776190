"""Type an expression and its values; dismisses with a GraphSource, or None on escape.

Bad input keeps the form open with what was typed, and one message under it: the
parser's explanation and, when it knows the place, the expression with a caret.
"""

from __future__ import annotations

from mg_tui.engine.expression import FUNCTIONS, MAX_LENGTH, ExpressionError, parse_assignments
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.screens.once import DismissOnceScreen
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

EXAMPLE = ("tanh(a*b + c)", "a=2 b=-3 c=10")
MAX_VALUES_LENGTH = 1000  # characters of `name=value` pairs: far more than a graph uses


class ExpressionForm(DismissOnceScreen[GraphSource | None]):
    """Two lines: the expression, then `name=value` assignments; enter builds the graph."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]  # noqa: RUF012

    def __init__(self, expression: str = EXAMPLE[0], assignments: str = EXAMPLE[1]) -> None:
        super().__init__()
        self.initial = (expression, assignments)

    def compose(self) -> ComposeResult:
        with Vertical(id="expr-box") as box:
            box.border_title = "Explore an expression"
            yield Label(
                f"expression: + - * / ** ( ) {' '.join(FUNCTIONS)}; or e = a*b; L = e + c",
                classes="hint",
            )
            yield Input(value=self.initial[0], id="expr-text", max_length=MAX_LENGTH)
            yield Label("values: name=number …", classes="hint")
            yield Input(value=self.initial[1], id="expr-values", max_length=MAX_VALUES_LENGTH)
            yield Static("", id="expr-error")
            yield Label("enter: build the graph   esc: cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#expr-text", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        text = self.query_one("#expr-text", Input).value
        values = self.query_one("#expr-values", Input).value
        try:
            source = GraphSource.from_expression(text, parse_assignments(values.split()))
        except ExpressionError as error:
            self.show_error(error)
            return
        self.dismiss(source)

    def show_error(self, error: ExpressionError) -> None:
        from rich.text import Text

        message = Text(error.message, style="bold")
        caret = error.caret()
        if caret:
            message.append("\n" + caret)
        self.query_one("#expr-error", Static).update(message)

    @property
    def error(self) -> str:
        """The message shown (for tests): '' when there is none."""
        content = self.query_one("#expr-error", Static).content
        return getattr(content, "plain", str(content))

    def action_cancel(self) -> None:
        self.dismiss(None)
