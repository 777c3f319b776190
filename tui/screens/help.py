"""Every key binding that works now, and what the signs on the screen mean (? or F1)."""

from __future__ import annotations

from collections.abc import Sequence

from mg_tui.tui.colours import styled
from mg_tui.tui.components.decision_view import TEST_MARKS, TRAINING_MARKS
from mg_tui.tui.components.graph_tree import FINAL, PARTIAL, WAITING, GraphTree
from mg_tui.tui.format import NEGATIVE, POSITIVE, ZERO
from mg_tui.tui.screens.once import DismissOnceScreen
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

INTRO = (
    "mg-tui trains a small network one step at a time. The tree is the live computation "
    "graph (root = the loss); the panel explains the selected node's grad by the chain rule."
)

# Each sign as the tree and the panel draw it (the glyphs are declared where they are drawn).
LEGEND: tuple[tuple[str, str], ...] = (
    (POSITIVE, "positive grad"),
    (NEGATIVE, "negative grad"),
    (ZERO, "zero grad"),
    ("×N", "shared: used N times"),
    (FINAL, "final grad"),
    (PARTIAL, "partial grad"),
    (WAITING, "no share received yet"),
    (GraphTree.ICON_NODE.strip(), "closed node: → opens"),
    (GraphTree.ICON_NODE_EXPANDED.strip(), "open node"),
    ("[3] @3", "belongs to sample 3"),
    (" ".join(TRAINING_MARKS), "training point +1, -1, wrong"),
    (" ".join(TEST_MARKS), "test point +1, -1, wrong"),
)
LEGEND_NOTE = (
    f"{FINAL} {PARTIAL} {WAITING} mark each grad during backprop node by node (.). "
    f"{NEGATIVE} before a number is a negative grad, before a name an open node."
)


def legend_table() -> Table:
    """The signs two to a row: sign, meaning, sign, meaning."""
    table = Table.grid(padding=(0, 1))
    for style in ("bold", "", "bold", ""):
        table.add_column(style=style, no_wrap=bool(style))
    rows = list(LEGEND)
    for at in range(0, len(rows), 2):
        pair = rows[at : at + 2]
        cells = [cell for row in pair for cell in row]
        table.add_row(*cells, *([""] * (4 - len(cells))))
    return table


class HelpScreen(DismissOnceScreen[None]):
    """What the signs mean and a table of the keys of the current mode."""

    BINDINGS = [  # noqa: RUF012
        Binding("escape,q,question_mark,f1", "dismiss", "Close", show=True),
    ]

    def __init__(self, keys: Sequence[tuple[str, str]], mode: str = "network") -> None:
        super().__init__()
        self.keys = list(keys)
        self.mode = mode  # network, expression, lesson 3/7: the title names it

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in self.keys:
            table.add_row(key, description)
        with VerticalScroll(id="help-box") as box:
            box.border_title = f"Help: {self.mode}  (esc to close)"
            yield Static(INTRO, id="help-intro")
            yield Static(Text("Signs in the tree, the panel and the boundary", style="bold"))
            yield Static(legend_table(), id="help-legend")
            yield Static(styled(LEGEND_NOTE, "muted"), id="help-legend-note")
            yield Static(Text(f"\nKeys that work now ({self.mode})", style="bold"))
            yield Static(table, id="help-table")
