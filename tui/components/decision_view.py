"""The decision boundary for 2-D data, shaded by the model's confidence, with the data on it.

Each cell is one grid point: its background goes from orange (sure of -1) through
neutral (the boundary) to blue (sure of +1) in 25 shades (tui/components/ramp.py);
under NO_COLOR a glyph's ink shows the same. Data points are `●` (+1) and `○` (-1), and
`✕` where the model gets the point wrong (from its score at the point itself, not at
the cell's centre). Ticks on the left and bottom give the input's coordinates.

A model with K outputs (cross-entropy) has a class per cell, its argmax: each class has a
background colour and a mark (the mark alone under NO_COLOR), and each point is its true
class's digit, so a point on another class's ground is one the model gets wrong. Data that
is not 2-D, or regression, has no boundary: the view says so and points back to the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mg_tui.nn import DecisionGrid
from mg_tui.tui.colours import styled
from mg_tui.tui.components import ramp
from mg_tui.tui.core.ticks import inner_ticks
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

Y_AXIS = 6  # columns of y tick labels and the axis line
X_AXIS = 1  # rows of x tick labels
POINT_STYLE = {True: "bold #ffffff", False: "bold #000000"}  # on the ramp, by dark theme
# K classes: a background and a cell mark each (up to 10, a CSV's most).
CLASS_BG = (
    "#5c2a1d", "#1d3b5c", "#24502a", "#4f3f10", "#4a2150",
    "#1f4a4a", "#503020", "#303060", "#3c3c3c", "#2a4020",
)  # fmt: skip
CLASS_MARK = " ·:+=~-*^'"


class DecisionView(Vertical):
    """A caption over the latest DecisionGrid; the worker computes a grid sized to fit."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = Static(Text("decision boundary", style="bold"), id="boundary-caption")
        self.canvas = Static(styled("computing…", "muted"), id="boundary-canvas")
        self.grid: DecisionGrid | None = None
        self.class_names: tuple[str, ...] = ("-1", "+1")

    def compose(self):
        yield self.caption
        yield self.canvas

    def grid_size(self) -> tuple[int, int]:
        """The grid (cols, rows) that fills the canvas, less the axes."""
        return (
            max(self.canvas.size.width - Y_AXIS, 4),
            max(self.canvas.size.height - X_AXIS, 2),
        )

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
        self.class_names = tuple(classes)
        many = grid is not None and grid.argmax
        self.caption.update(self._classes_caption() if many else self._caption())
        message = no_boundary(n_features, self.class_names, data_name)
        if message:
            self.canvas.update(styled(message, "muted"))
        elif grid is None:
            self.canvas.update(styled("computing…", "muted"))
        else:
            dark = self.app.current_theme.dark if self.app.current_theme else True
            mono = self.app.no_color
            if grid.argmax:
                picture = render_classes(grid, xs, ys, len(self.class_names), mono=mono)
            else:
                picture = render_grid(grid, xs, ys, threshold, dark=dark, mono=mono)
            self.canvas.update(picture, layout=False)

    def _caption(self) -> Text:
        text = Text("decision boundary", style="bold")
        room = self.caption.content_region.width or self.size.width - 2  # less the padding
        for part in ("  ● +1  ○ -1  ✕ wrong", "  shade: confidence", "  v: loss"):
            if text.cell_len + len(part) <= room:
                text.append(part, style="" if "●" in part else "muted")
        return text

    def _classes_caption(self) -> Text:
        """`decision boundary  0  1·  2:  digit: true class, ground: predicted  v: loss`:
        each class's digit on its colour, then its mark; the words that fit."""
        text = Text("decision boundary ", style="bold")
        for k, name in enumerate(self.class_names):
            text.append(" ")
            text.append(f"{k}{CLASS_MARK[k]}", style=f"bold on {CLASS_BG[k]}")
            if name != str(k) and len(self.class_names) <= 3:
                text.append(f" {name}")
        for part in ("  digit: true class, ground: predicted", "  v: loss"):
            if text.cell_len + len(part) <= max(self.size.width, 1):
                text.append(part, style="muted")
        return text


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


def confidence(score: float, threshold: float, output: str) -> float:
    """A score as -1 (sure of -1) .. 1 (sure of +1), 0 on the boundary."""
    if math.isnan(score):
        return 0.0
    if output == "sigmoid":
        return max(-1.0, min(1.0, 2.0 * (score - threshold)))
    return max(-1.0, min(1.0, score - threshold))  # tanh as it is; linear: the margin ±1


def render_grid(
    grid: DecisionGrid,
    xs: Sequence[Sequence[float]],
    ys: Sequence[float],
    threshold: float,
    *,
    dark: bool = True,
    mono: bool = False,
) -> Text:
    """The shaded grid with the points over it, a y axis on the left and an x axis below."""
    x0, x1, y0, y1 = grid.bounds
    points: dict[tuple[int, int], str] = {}
    for i, ((a, b), label) in enumerate(zip(xs, ys)):
        col = int((a - x0) / (x1 - x0) * grid.cols)
        row = int((y1 - b) / (y1 - y0) * grid.rows)
        if 0 <= col < grid.cols and 0 <= row < grid.rows:
            wrong = i < len(grid.samples) and (grid.samples[i] > threshold) != (label > 0)
            points[(row, col)] = "✕" if wrong else ("●" if label > 0 else "○")
    y_labels = _axis_labels(y1, y0, grid.rows)  # row 0 is the top
    text = Text()
    for r, row in enumerate(grid.scores):
        axis = y_labels[r].rjust(Y_AXIS - 1) + "┤" if r in y_labels else " " * (Y_AXIS - 1) + "│"
        text.append(axis)
        for c, score in enumerate(row):
            v = confidence(score, threshold, grid.output)
            glyph = points.get((r, c))
            if mono:
                text.append(glyph or ramp.glyph(v), style="bold" if glyph else "")
            elif glyph:
                text.append(glyph, style=f"{POINT_STYLE[dark]} on {ramp.hex_colour(v, dark)}")
            else:
                text.append(" ", style=f"on {ramp.hex_colour(v, dark)}")
        text.append("\n")
    text.append(_x_axis(x0, x1, grid.cols))
    return text


def render_classes(
    grid: DecisionGrid,
    xs: Sequence[Sequence[float]],
    ys: Sequence[float],
    n_classes: int,
    *,
    mono: bool = False,
) -> Text:
    """An argmax grid: each cell its predicted class's colour and mark, each point its true
    class's digit (targets: ±1 for two classes, else the class index), with the axes."""
    x0, x1, y0, y1 = grid.bounds
    points: dict[tuple[int, int], int] = {}
    for (a, b), y in zip(xs, ys):
        col = int((a - x0) / (x1 - x0) * grid.cols)
        row = int((y1 - b) / (y1 - y0) * grid.rows)
        if 0 <= col < grid.cols and 0 <= row < grid.rows:
            points[(row, col)] = int(y > 0) if n_classes == 2 else int(y)
    y_labels = _axis_labels(y1, y0, grid.rows)
    text = Text()
    for r, row in enumerate(grid.scores):
        axis = y_labels[r].rjust(Y_AXIS - 1) + "┤" if r in y_labels else " " * (Y_AXIS - 1) + "│"
        text.append(axis)
        for c, score in enumerate(row):
            predicted = int(score)
            label = points.get((r, c))
            glyph = CLASS_MARK[predicted] if label is None else str(label)
            if mono:
                text.append(glyph, style="bold" if label is not None else "")
            else:
                style = "bold #ffffff" if label is not None else "#a0a0a0"
                text.append(glyph, style=f"{style} on {CLASS_BG[predicted]}")
        text.append("\n")
    text.append(_x_axis(x0, x1, grid.cols))
    return text


def _axis_labels(top: float, bottom: float, rows: int) -> dict[int, str]:
    """Round y ticks, each on the row whose centre is nearest to it."""
    ticks = inner_ticks(min(top, bottom), max(top, bottom), most=max(2, min(5, rows // 3)))
    labels = {}
    for value, label in zip(ticks.values, ticks.labels):
        row = round((top - value) / (top - bottom) * rows - 0.5)
        if 0 <= row < rows and len(label) < Y_AXIS:
            labels[row] = label
    return labels


def _x_axis(left: float, right: float, cols: int) -> str:
    """The x tick labels under their columns, as many as fit without touching."""
    ticks = inner_ticks(left, right, most=max(2, min(6, cols // 8)))
    line = [" "] * (Y_AXIS + cols)
    end = 0
    for value, label in zip(ticks.values, ticks.labels):
        col = Y_AXIS + min(cols - 1, round((value - left) / (right - left) * cols - 0.5))
        start = max(col - len(label) // 2, end)
        if col < Y_AXIS or start + len(label) > len(line):
            continue
        line[start : start + len(label)] = label
        end = start + len(label) + 1
    return "".join(line)
