"""The decision boundary for 2-D data, shaded by the model's confidence, with the data on it.

Each cell is one grid point: its background goes from orange (sure of -1) through
neutral (the boundary) to blue (sure of +1) in 25 shades (tui/components/ramp.py);
under NO_COLOR a glyph's ink shows the same. Training points are `●` (+1) and `○` (-1),
test points `◆` and `◇`; a point the model gets wrong (from its score at the point itself,
not at the cell's centre) is `✕` (training) or `◈` (test). Ticks on the left and bottom
give the input's coordinates.

A model with K outputs (cross-entropy) has a class per cell, its argmax: each class has a
background colour, brighter where the model is surer of it (its softmax probability, in
CLASS_SHADES steps), and a mark (under NO_COLOR the mark alone: none in the least sure third,
bold in the surest), and each point is its true
class's digit (underlined for a test point), so a point on another class's ground is one
the model gets wrong. Data that is not 2-D, or regression, has no boundary: the view says
so and points back to the chart.

Editing the training set: a click adds a point of the current class at the cell's centre,
shift- or ctrl-click one of the next class, a right-click removes the nearest training
point. With the focus (i), a cursor cell does the same from the keys. The view only asks
(`Edit`); the app has the worker make the edit (tui/core/data_editing.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

from mg_tui.nn import DecisionGrid
from mg_tui.tui.colours import styled
from mg_tui.tui.components import ramp
from mg_tui.tui.core.data_editing import EditRequest
from mg_tui.tui.core.ticks import inner_ticks
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
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
CLASS_SHADES = 8  # K classes: each class's colour in this many shades of its probability
DIM_RGB = (38, 38, 38)  # a cell the model is least sure of fades toward this
# A point's mark: its class (+1, -1), or wrong where the model misclassifies it.
TRAINING_MARKS = "●○✕"
TEST_MARKS = "◆◇◈"
CURSOR_MARK = "▣"  # the key cursor on a cell with no point (it is also in reverse video)
RIGHT_BUTTON = 3


class DecisionView(Vertical):
    """A caption over the latest DecisionGrid; the worker computes a grid sized to fit."""

    can_focus = False  # i gives it the focus (and the cursor); esc gives it back
    BINDINGS: ClassVar[list[Binding]] = [
        Binding("up", "move(0, -1)", "Up", show=False),
        Binding("down", "move(0, 1)", "Down", show=False),
        Binding("left", "move(-1, 0)", "Left", show=False),
        Binding("right", "move(1, 0)", "Right", show=False),
        Binding("enter", "add", "Add a point", show=False),
        *(Binding(str(k), f"add({k})", f"Add class {k}", show=False) for k in range(10)),
        Binding("delete,backspace", "remove", "Remove the nearest point", show=False),
        Binding("escape", "done", "Done editing", show=False),
    ]

    class Edit(Message):
        """Add or remove a training point (the app has the worker do it)."""

        def __init__(self, request: EditRequest) -> None:
            super().__init__()
            self.request = request

    class Refused(Message):
        """An edit asked for where there is no boundary to edit on: why, in one line."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    class Done(Message):
        """Escape: editing is over, the focus goes back."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = Static(Text("decision boundary", style="bold"), id="boundary-caption")
        self.canvas = Static(styled("computing…", "muted"), id="boundary-canvas")
        self.grid: DecisionGrid | None = None
        self.class_names: tuple[str, ...] = ("-1", "+1")
        self.current_class = 1  # the class a click adds (an index; +1 of two classes)
        self.cursor: tuple[int, int] | None = None  # (col, row) while editing from the keys
        self._points: tuple = ((), (), (), ())  # training xs, ys, test xs, ys
        self._threshold = 0.0
        self._reason = ""  # why there is no boundary, or ""
        self.note = ""  # what the last edit did, on the caption's second line

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
        test_xs: Sequence[Sequence[float]] = (),
        test_ys: Sequence[float] = (),
    ) -> None:
        self.grid = grid
        if tuple(classes) != self.class_names:
            self.current_class = 1 if len(classes) == 2 else 0
            self.note = ""
        self.class_names = tuple(classes)
        self._points = (xs, ys, test_xs, test_ys)
        self._threshold = threshold
        self._reason = no_boundary(n_features, self.class_names, data_name)
        self.redraw()

    def redraw(self) -> None:
        """Caption and picture from what `show` was given, with the cursor as it is now."""
        grid = self.grid
        many = grid is not None and grid.argmax
        self.caption.update(self._classes_caption() if many else self._caption())
        if self._reason:
            self.canvas.update(styled(self._reason, "muted"))
        elif grid is None:
            self.canvas.update(styled("computing…", "muted"))
        else:
            dark = self.app.current_theme.dark if self.app.current_theme else True
            mono = self.app.no_color
            xs, ys, test_xs, test_ys = self._points
            cursor = self._cursor_cell()
            if grid.argmax:
                picture = render_classes(
                    grid, xs, ys, len(self.class_names), mono=mono,
                    test_xs=test_xs, test_ys=test_ys, cursor=cursor,
                )  # fmt: skip
            else:
                picture = render_grid(
                    grid, xs, ys, self._threshold, dark=dark, mono=mono,
                    test_xs=test_xs, test_ys=test_ys, cursor=cursor,
                )  # fmt: skip
            self.canvas.update(picture, layout=False)

    # -- editing --------------------------------------------------------------------

    def start_editing(self) -> None:
        """The keys' cursor, at the middle of the grid; the view takes the focus."""
        self.can_focus = True
        if self.cursor is None:
            cols, rows = (self.grid.cols, self.grid.rows) if self.grid else self.grid_size()
            self.cursor = (cols // 2, rows // 2)
        self.focus()
        self.redraw()

    def action_done(self) -> None:
        self.cursor = None
        self.note = ""
        self.can_focus = False
        self.redraw()
        self.post_message(self.Done())

    def action_move(self, dx: int, dy: int) -> None:
        if self.cursor is None or self.grid is None:
            return
        col, row = self.cursor
        self.cursor = (
            max(0, min(self.grid.cols - 1, col + dx)),
            max(0, min(self.grid.rows - 1, row + dy)),
        )
        self.redraw()

    def action_add(self, label: int | None = None) -> None:
        """Enter: a point of the current class at the cursor; a digit: of that class."""
        if label is not None:
            if not 0 <= label < max(len(self.class_names), 1):
                self.post_message(self.Refused(f"no class {label}: the classes are 0 to "
                                               f"{len(self.class_names) - 1}"))  # fmt: skip
                return
            self.current_class = label
        if self.cursor is not None:
            self._ask(self.cursor, self.current_class)

    def action_remove(self) -> None:
        if self.cursor is not None:
            self._ask(self.cursor, None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Left: add the current class (shift or ctrl: the next class); right: remove."""
        region = self.canvas.content_region
        x = event.screen_x - region.x - Y_AXIS
        y = event.screen_y - region.y
        if not (0 <= event.screen_x - region.x < region.width and 0 <= y < region.height):
            return  # the caption, or outside the view
        event.stop()
        if event.button == RIGHT_BUTTON:
            label = None
        elif event.shift or event.ctrl:
            label = (self.current_class + 1) % max(len(self.class_names), 1)
        else:
            label = self.current_class
        if self.cursor is not None and self.grid is not None:
            self.cursor = (max(0, min(self.grid.cols - 1, x)), max(0, min(self.grid.rows - 1, y)))
        self._ask((x, y), label)

    def _ask(self, cell: tuple[int, int], label: int | None) -> None:
        """An edit at `cell` (col, row of the grid), or why there is none to make."""
        grid = self.grid
        if self._reason:
            self.post_message(self.Refused(self._reason.split(". Press")[0]))
            return
        if grid is None:
            self.post_message(self.Refused("the boundary is still being computed"))
            return
        col, row = cell
        if not (0 <= col < grid.cols and 0 <= row < grid.rows):
            return  # an axis: no cell there
        self.post_message(self.Edit(EditRequest(cell_centre(grid, col, row), label)))

    def _cursor_cell(self) -> tuple[int, int] | None:
        if self.cursor is None or self.grid is None:
            return None
        col, row = self.cursor
        return (min(col, self.grid.cols - 1), min(row, self.grid.rows - 1))

    # -- captions -------------------------------------------------------------------

    def _room(self) -> int:
        return self.caption.content_region.width or self.size.width - 2  # less the padding

    def _edit_line(self, start: Text | None = None) -> Text:
        """The caption's second line: `start` (what the first line had no room for), then
        what the mouse (or, with the focus, the keys) does here, the words that fit."""
        start = start or Text()
        names = self.class_names or ("",)
        current = names[self.current_class % len(names)]
        other = names[(self.current_class + 1) % len(names)]
        if self.cursor is not None:
            digit = (
                f"0-{len(names) - 1}: add that class"
                if len(names) > 2
                else f"{1 - self.current_class}: add {other}"
            )
            parts = [f"enter: add {current}", f"  {digit}", "  del: remove",
                     "  esc: done", "  arrows: move"]  # fmt: skip
        else:
            parts = [f"click: add {current}", f", shift-click: {other}",
                     ", right-click: remove", "  i: keys"]  # fmt: skip
        if self.note:  # what the last edit did, then the keys that still fit
            if start.cell_len + 2 + len(self.note) > self._room():
                start = Text()  # the note whole rather than a number cut (help has the marks)
            gap = "  " if start else ""
            note = Text(gap + self.note, style="bold")
            note.truncate(max(self._room() - start.cell_len, 1), overflow="ellipsis")
            parts = ["  " + part.lstrip(", ") for part in parts]
            return self._fit(start + note, parts, "muted")
        if start:
            parts = ["  " + parts[0], *parts[1:]]
        return self._fit(start, parts, "muted", whole=self.cursor is None)

    def _fit(self, text: Text, parts: Sequence[str], style: str, whole: bool = False) -> Text:
        """`text` and each part that still fits the caption's width, in order; `whole`:
        none after the first that does not (a sentence is not cut in the middle)."""
        room = max(self._room(), 1)
        for part in parts:
            if text.cell_len + len(part) <= room:
                text.append(part, style="" if "●" in part or "◆" in part else style)
            elif whole:
                break
        return text

    def _caption(self) -> Text:
        test = "◆◇ test  ◈ wrong"
        parts = ["  ● +1  ○ -1  ✕ wrong"]
        if self._points[2]:
            parts.append("  " + test)
        parts += ["  shade: confidence", "  v: loss"]
        text = self._fit(Text("decision boundary", style="bold"), parts, "muted")
        # The test points' marks are on the picture: where line 1 has no room, line 2 has them.
        moved = Text(test) if self._points[2] and test not in text.plain else None
        return Text("\n").join([text, self._edit_line(moved)])

    def _classes_caption(self) -> Text:
        """`decision boundary  0  1·  2:  digit: true class, ground: predicted  v: loss`:
        each class's digit on its colour, then its mark; the words that fit; then what
        the mouse does."""
        text = Text("decision boundary ", style="bold")
        for k, name in enumerate(self.class_names):
            text.append(" ")
            text.append(f"{k}{CLASS_MARK[k]}", style=f"bold on {CLASS_BG[k]}")
            if name != str(k) and len(self.class_names) <= 3:
                text.append(f" {name}")
        reading = ["  digit: true class, ground: predicted", ", brighter: surer"]
        text = self._fit(text, reading, "muted", whole=True)  # the sentence whole or cut short
        rest = ["  underlined: test"] if self._points[2] else []
        text = self._fit(text, [*rest, "  v: loss"], "muted")
        return Text("\n").join([text, self._edit_line()])


def cell_centre(grid: DecisionGrid, col: int, row: int) -> tuple[float, float]:
    """The input coordinates at the centre of a grid cell (row 0 at the top), where the
    grid's own score for that cell was computed."""
    x0, x1, y0, y1 = grid.bounds
    return (
        x0 + (x1 - x0) * (col + 0.5) / grid.cols,
        y1 - (y1 - y0) * (row + 0.5) / grid.rows,
    )


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
    test_xs: Sequence[Sequence[float]] = (),
    test_ys: Sequence[float] = (),
    cursor: tuple[int, int] | None = None,
) -> Text:
    """The shaded grid with the points over it (training over test where they share a
    cell), a y axis on the left and an x axis below; `cursor` (col, row) in reverse."""
    x0, x1, y0, y1 = grid.bounds
    points: dict[tuple[int, int], str] = {}
    sets = (
        (test_xs, test_ys, grid.test_samples, TEST_MARKS),
        (xs, ys, grid.samples, TRAINING_MARKS),
    )
    for set_xs, set_ys, samples, (plus, minus, wrong_mark) in sets:
        for i, (point, label) in enumerate(zip(set_xs, set_ys)):
            cell = _cell(grid, point)
            if cell is not None:
                wrong = i < len(samples) and (samples[i] > threshold) != (label > 0)
                points[cell] = wrong_mark if wrong else (plus if label > 0 else minus)
    y_labels = _axis_labels(y1, y0, grid.rows)  # row 0 is the top
    text = Text()
    for r, row in enumerate(grid.scores):
        axis = y_labels[r].rjust(Y_AXIS - 1) + "┤" if r in y_labels else " " * (Y_AXIS - 1) + "│"
        text.append(axis)
        for c, score in enumerate(row):
            v = confidence(score, threshold, grid.output)
            glyph = points.get((r, c))
            here = cursor == (c, r)
            if mono:
                shown = glyph or (CURSOR_MARK if here else ramp.glyph(v))
                style = " ".join(("bold",) * bool(glyph) + ("reverse",) * here)
                text.append(shown, style=style)
            elif glyph:
                style = f"{POINT_STYLE[dark]} on {ramp.hex_colour(v, dark)}"
                text.append(glyph, style=style + " reverse" * here)
            else:
                style = f"on {ramp.hex_colour(v, dark)}"
                text.append(CURSOR_MARK if here else " ", style=style + " reverse" * here)
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
    test_xs: Sequence[Sequence[float]] = (),
    test_ys: Sequence[float] = (),
    cursor: tuple[int, int] | None = None,
) -> Text:
    """An argmax grid: each cell its predicted class's colour and mark, each point its true
    class's digit (targets: ±1 for two classes, else the class index; a test point's digit
    underlined), with the axes; `cursor` (col, row) in reverse."""
    x0, x1, y0, y1 = grid.bounds
    points: dict[tuple[int, int], tuple[int, bool]] = {}
    for set_xs, set_ys, test in ((test_xs, test_ys, True), (xs, ys, False)):
        for point, y in zip(set_xs, set_ys):
            cell = _cell(grid, point)
            if cell is not None:
                points[cell] = (int(y > 0) if n_classes == 2 else int(y), test)
    y_labels = _axis_labels(y1, y0, grid.rows)
    text = Text()
    for r, row in enumerate(grid.scores):
        axis = y_labels[r].rjust(Y_AXIS - 1) + "┤" if r in y_labels else " " * (Y_AXIS - 1) + "│"
        text.append(axis)
        for c, score in enumerate(row):
            predicted = int(score)
            label, test = points.get((r, c), (None, False))
            here = cursor == (c, r)
            if label is None:
                glyph = CURSOR_MARK if here and mono else CLASS_MARK[predicted]
            else:
                glyph = str(label)
            marks = ("bold",) * (label is not None) + ("underline",) * test + ("reverse",) * here
            p = grid.probabilities[r][c] if grid.probabilities else 1.0
            if mono:
                if label is None and not here:  # the mark's ink says how sure the model is
                    sure = sureness(p, n_classes)
                    glyph = " " if sure < 1 / 3 else glyph
                    marks = ("bold",) if sure >= 2 / 3 else ()
                text.append(glyph, style=" ".join(marks))
            else:
                ink = "#ffffff" if label is not None else "#a0a0a0"
                ground = class_shade(predicted, p, n_classes)
                text.append(glyph, style=" ".join((*marks, ink, "on", ground)))
        text.append("\n")
    text.append(_x_axis(x0, x1, grid.cols))
    return text


def sureness(probability: float, n_classes: int) -> float:
    """0 where the predicted class is no likelier than chance (1/K), 1 where it is certain."""
    chance = 1.0 / max(n_classes, 1)
    sure = (probability - chance) / (1.0 - chance) if n_classes > 1 else 1.0
    return max(0.0, min(1.0, sure))


def class_shade(k: int, probability: float, n_classes: int) -> str:
    """Class k's colour, full where the model is sure (probability 1) and faded toward
    DIM_RGB where it is least sure (1/K: every class alike), in CLASS_SHADES steps.
    Every shade stays dark, so the white digits on it keep their contrast in both themes."""
    step = round(sureness(probability, n_classes) * (CLASS_SHADES - 1)) / (CLASS_SHADES - 1)
    full = tuple(int(CLASS_BG[k][i : i + 2], 16) for i in (1, 3, 5))
    weight = 0.3 + 0.7 * step  # the least sure shade is still the class's own hue
    r, g, b = (round(d + (f - d) * weight) for d, f in zip(DIM_RGB, full))
    return f"#{r:02x}{g:02x}{b:02x}"


def _cell(grid: DecisionGrid, point: Sequence[float]) -> tuple[int, int] | None:
    """The (row, col) of the cell a point falls in, None off the grid."""
    x0, x1, y0, y1 = grid.bounds
    col = int((point[0] - x0) / (x1 - x0) * grid.cols)
    row = int((y1 - point[1]) / (y1 - y0) * grid.rows)
    return (row, col) if 0 <= col < grid.cols and 0 <= row < grid.rows else None


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
