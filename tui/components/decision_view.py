"""The decision boundary for 2-D data: the model's side of 0 on a grid, with the data.

Each cell is one character: the background shows the predicted class (and a `·`
for the +1 side, so it reads without colour); data points are `●` (label +1) and
`○` (label -1), drawn over the cell they fall in, as in micrograd's demo plot.
"""

from __future__ import annotations

from collections.abc import Sequence

from mg_tui.nn import DecisionGrid
from mg_tui.tui.colours import styled
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

PLUS_BG = "on #1d3b5c"
MINUS_BG = "on #5c2a1d"


class DecisionView(Vertical):
    """A caption over the latest DecisionGrid; the worker computes a grid sized to fit."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = Static(
            Text.assemble(
                ("decision boundary  ", "bold"),
                "● +1  ○ -1  · predicted +1  ",
                ("v: loss", "muted"),
            ),
            id="boundary-caption",
        )
        self.canvas = Static(styled("computing…", "muted"), id="boundary-canvas")
        self.grid: DecisionGrid | None = None

    def compose(self):
        yield self.caption
        yield self.canvas

    def grid_size(self) -> tuple[int, int]:
        """The grid (cols, rows) that fills the canvas."""
        return max(self.canvas.size.width, 4), max(self.canvas.size.height, 2)

    def show(
        self,
        grid: DecisionGrid | None,
        xs: Sequence[Sequence[float]],
        ys: Sequence[float],
        threshold: float = 0.0,
        n_features: int = 2,
    ) -> None:
        self.grid = grid
        if n_features != 2:
            message = "No decision boundary: this data set is not 2-D (try d: moons)."
            self.canvas.update(styled(message, "muted"))
        elif grid is None:
            self.canvas.update(styled("computing…", "muted"))
        else:
            self.canvas.update(render_grid(grid, xs, ys, threshold), layout=False)


def render_grid(
    grid: DecisionGrid, xs: Sequence[Sequence[float]], ys: Sequence[float], threshold: float
) -> Text:
    x0, x1, y0, y1 = grid.bounds
    points: dict[tuple[int, int], float] = {}
    for (a, b), y in zip(xs, ys):
        col = int((a - x0) / (x1 - x0) * grid.cols)
        row = int((y1 - b) / (y1 - y0) * grid.rows)
        if 0 <= col < grid.cols and 0 <= row < grid.rows:
            points[(row, col)] = y
    text = Text()
    for r, row in enumerate(grid.scores):
        for c, score in enumerate(row):
            plus = score > threshold
            bg = PLUS_BG if plus else MINUS_BG
            label = points.get((r, c))
            if label is None:
                text.append("·" if plus else " ", style=f"dim {bg}")
            else:
                glyph = "●" if label > 0 else "○"
                text.append(glyph, style=f"bold {'#7fc8ff' if label > 0 else '#ffb38a'} {bg}")
        if r < grid.rows - 1:
            text.append("\n")
    return text
