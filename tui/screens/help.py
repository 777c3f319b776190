"""Every key binding, on one screen (opened with ? or F1)."""

from __future__ import annotations

from collections.abc import Sequence

from mg_tui.tui.screens.once import DismissOnceScreen
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

INTRO = (
    "mg-tui trains a small network one step at a time. The tree is the live computation "
    "graph (root = the loss); the panel explains the selected node's grad by the chain rule."
)


class HelpScreen(DismissOnceScreen[None]):
    """A table of keys and what they do."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = list(keys)

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in self.keys:
            table.add_row(key, description)
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys  (esc to close)"
            yield Static(INTRO, id="help-intro")
            yield Static(table, id="help-table")
