"""The decision boundary for 2-D data: the model's predicted class on a grid, with the data.

Each cell is one character. With two classes the background shows the predicted class (and
a `·` for the +1 side, so it reads without colour); data points are `●` (label +1) and `○`
(label -1), drawn over the cell they fall in, as in micrograd's demo plot. With K > 2
classes each class has a background colour and a faint mark for the cells predicted as it,
and each point is its class's digit. Data that is not 2-D, or regression, has no boundary:
the view says so and points back to the loss chart.
"""

from __future__ import annotations

from collections.abc import Sequence

from mg_tui.nn import DecisionGrid
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

PLUS_BG = "on #1d3b5c"
MINUS_BG = "on #5c2a1d"
# K classes: a background, a point colour and a cell mark each (up to 10, a CSV's most).
CLASS_BG = (
    "on #5c2a1d", "on #1d3b5c", "on #24502a", "on #4f3f10", "on #4a2150",
    "on #1f4a4a", "on #503020", "on #303060", "on #3c3c3c", "on #2a4020",
)  # fmt: skip
CLASS_FG = (
    "#ffb38a", "#7fc8ff", "#9be59b", "#f2d272", "#e0a0f0",
    "#8fe8e0", "#f0b080", "#b0b0ff", "#e0e0e0", "#c8e890",
)  # fmt: skip
CLASS_MARK = " ·:+=~-*^'"


def binary_caption() -> Text:
    return Text.assemble(
        ("decision boundary  ", "bold"), "● +1  ○ -1  · predicted +1  ", ("v: loss", "dim")
    )


def classes_caption(classes: Sequence[str], width: int = 200) -> Text:
    """`decision boundary  0 a  1· b  2: c  digit: true class, mark: predicted  v: loss`,
    the names and then the words left out where `width` is too narrow."""
    for title, names, words in (
        ("decision boundary  ", True, "digit: true class, mark: predicted  "),
        ("boundary  ", False, "digit: true, mark: predicted  "),
        ("", False, "digit: true, mark: predicted  "),
        ("", False, ""),
    ):
        text = Text(title, style="bold")
        for k, name in enumerate(classes):
            text.append(str(k), style=f"bold {CLASS_FG[k]}")
            text.append(CLASS_MARK[k])
            text.append(f" {name}  " if names and name != str(k) else " ")
        text.append(" " + words)
        text.append("v: loss", style="dim")
        if text.cell_len <= width:
            break
    return text


class DecisionView(Vertical):
    """A caption over the latest DecisionGrid; the worker computes a grid sized to fit."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = Static(binary_caption(), id="boundary-caption")
        self.canvas = Static(Text("computing…", style="dim"), id="boundary-canvas")
        self.grid: DecisionGrid | None = None
        self._class_names: tuple[str, ...] = ()

    def compose(self):
        yield self.caption
        yield self.canvas

    def on_resize(self) -> None:
        self._caption()

    def _caption(self) -> None:
        classes = self._class_names
        if len(classes) > 2:
            self.caption.update(classes_caption(classes, self.size.width or 200))
        else:
            self.caption.update(binary_caption())

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
        classes: Sequence[str] = ("-1", "+1"),
        data_name: str = "this data set",
    ) -> None:
        self.grid = grid
        classes = tuple(classes)
        if classes != self._class_names:
            self._class_names = classes
            self._caption()
        message = no_boundary(n_features, classes, data_name)
        if message:
            self.canvas.update(Text(message, style="dim"))
        elif grid is None:
            self.canvas.update(Text("computing…", style="dim"))
        else:
            self.canvas.update(render_grid(grid, xs, ys, threshold, len(classes)), layout=False)


def no_boundary(n_features: int, classes: Sequence[str], data_name: str) -> str:
    """Why this data has no decision boundary to draw, or "" when it has one."""
    if n_features != 2:
        what = f"{n_features} feature{'s' if n_features != 1 else ''}"
        return (
            f"No decision boundary: {data_name} has {what}, and a boundary is drawn over 2. "
            "Press v for the loss chart."
        )
    if not classes:
        return (
            f"No decision boundary: {data_name} is regression (a number per point, not a "
            "class). Press v for the loss chart."
        )
    return ""


def render_grid(
    grid: DecisionGrid,
    xs: Sequence[Sequence[float]],
    ys: Sequence[float],
    threshold: float,
    n_classes: int = 2,
) -> Text:
    """The grid as text: each cell's predicted class, each point's true class over it."""
    x0, x1, y0, y1 = grid.bounds
    points: dict[tuple[int, int], int] = {}
    for (a, b), y in zip(xs, ys):
        col = int((a - x0) / (x1 - x0) * grid.cols)
        row = int((y1 - b) / (y1 - y0) * grid.rows)
        if 0 <= col < grid.cols and 0 <= row < grid.rows:
            points[(row, col)] = int(y > 0) if n_classes == 2 else int(y)
    text = Text()
    for r, row in enumerate(grid.scores):
        for c, score in enumerate(row):
            predicted = int(score) if grid.argmax else int(score > threshold)
            label = points.get((r, c))
            if n_classes == 2:
                bg = PLUS_BG if predicted == 1 else MINUS_BG
                if label is None:
                    text.append("·" if predicted == 1 else " ", style=f"dim {bg}")
                else:
                    glyph = "●" if label == 1 else "○"
                    text.append(glyph, style=f"bold {'#7fc8ff' if label == 1 else '#ffb38a'} {bg}")
            else:
                bg = CLASS_BG[predicted]
                if label is None:
                    text.append(CLASS_MARK[predicted], style=f"dim {bg}")
                else:
                    text.append(str(label), style=f"bold {CLASS_FG[label]} {bg}")
        if r < grid.rows - 1:
            text.append("\n")
    return text
