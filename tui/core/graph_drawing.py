"""The graph drawn, as micrograd's `draw_dot` draws it, in lines of text with styles.

One box per value, `│ a │ data 2.0 │ grad 6.0 │`, a small op node `(*)` between an
op's operands and its result, edges in box-drawing characters, and each value drawn
once with all its edges: a value used twice leaves its box by two lines. The root is
at the bottom, operands above their consumer (tui/core/graph_layout.py places them).

The drawing is plain text plus a style name per run of characters (`border`, `grad+`,
`current`…), so `mg-tui expr --print` writes it without a terminal and the widget
(tui/components/graph_drawing.py) maps the names to colours. Without colour the
highlights still show: the backward walk's current node has a double border (╔═╗),
the tree's selected node a heavy one (┏━┓).

Where lines cross, the vertical one is drawn through (`─│─`): a crossing never looks
like the junction (`┴`, `┬`, `┼`) where edges into the same op merge.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from itertools import groupby, pairwise

from mg_tui.engine import Value, topological_order
from mg_tui.tui.core.graph_layout import Layout, Shape, layered_layout
from mg_tui.tui.core.numbers import num

MAX_NODES = 60  # value nodes: larger graphs are refused (the tree shows them)

U, D, L, R = 1, 2, 4, 8  # the directions a line leaves a cell in
_LINES = {
    U | D: "│", L | R: "─", D | R: "╭", D | L: "╮", U | R: "╰", U | L: "╯",
    U | D | R: "├", U | D | L: "┤", D | L | R: "┬", U | L | R: "┴", U | D | L | R: "┼",
    U: "│", D: "│", L: "─", R: "─",
}  # fmt: skip
# A box's frame in each weight: corners (top-left, top-right, bottom-left, bottom-right),
# horizontal, vertical, a line leaving down / arriving from above, a cell separator's ends.
_FRAMES = {
    "light": ("╭╮╰╯", "─", "│", "┬", "┴", "┬", "┴"),
    "heavy": ("┏┓┗┛", "━", "┃", "┯", "┷", "┯", "┷"),
    "double": ("╔╗╚╝", "═", "║", "╤", "╧", "╤", "╧"),
}


class TooLarge(ValueError):
    """The graph has more value nodes than the drawing shows; the tree shows any size."""

    def __init__(self, nodes: int) -> None:
        self.nodes = nodes
        super().__init__(too_large_message(nodes))


def too_large_message(nodes: int) -> str:
    return (
        f"this graph has {nodes} nodes; the drawing shows up to {MAX_NODES}: press D for the tree"
    )


@dataclass(frozen=True)
class Drawing:
    """The picture: `lines` of text, and per line its (text, style) runs ("" = plain).

    `boxes` and `ops` say where each value's box and each computed value's op node are
    (row, column, width), for scrolling to a node and for tests.
    """

    lines: tuple[str, ...]
    runs: tuple[tuple[tuple[str, str], ...], ...]
    boxes: dict[Value, tuple[int, int, int]]
    ops: dict[Value, tuple[int, int, int]]

    @property
    def width(self) -> int:
        return max((len(line) for line in self.lines), default=0)

    def text(self) -> str:
        """Plain text, trailing spaces removed: for standard output, notes and slides."""
        return "\n".join(line.rstrip() for line in self.lines) + "\n"


def value_count(root: Value, limit: int | None = None) -> int:
    """How many value nodes `root`'s graph has; stops counting past `limit` (a huge
    network graph is not walked to the end just to say it is too large)."""
    seen = {root}
    stack = [root]
    while stack:
        for x in stack.pop().inputs:
            if x not in seen:
                seen.add(x)
                if limit is not None and len(seen) > limit:
                    return len(seen)
                stack.append(x)
    return len(seen)


def draw(
    root: Value,
    *,
    current: Value | None = None,
    selected: Value | None = None,
    size: int | None = None,
) -> Drawing:
    """Draw `root`'s graph; `current` (the walk's node) and `selected` are highlighted.

    Raises TooLarge past MAX_NODES values (`size`, if known, saves counting them).
    """
    count = size if size is not None else value_count(root, MAX_NODES)
    if count > MAX_NODES:
        raise TooLarge(count if size is not None else value_count(root))
    values = topological_order(root)
    boxes = {v: _box(v) for v in values}
    layout = layered_layout(*layout_input(root, values, boxes))
    return _Canvas(layout).paint(values, boxes, current, selected)


def layout_input(
    root: Value, values: list[Value] | None = None, boxes: dict[Value, _Box] | None = None
) -> tuple[dict[Hashable, Shape], list[tuple[Hashable, Hashable]], Value]:
    """What the layout places: a box per value, an op node per computed value, and the
    edges operand -> op -> result (one per use: `a + a` gives two)."""
    values = values if values is not None else topological_order(root)
    boxes = boxes if boxes is not None else {v: _box(v) for v in values}
    shapes: dict[Hashable, Shape] = {v: boxes[v].shape for v in values}
    edges: list[tuple[Hashable, Hashable]] = []
    for v in values:
        if v.inputs:
            op = _OpKey(v)
            shapes[op] = _op_shape(v)
            edges.extend((x, op) for x in v.inputs)
            edges.append((op, v))
    return shapes, edges, root


@dataclass(frozen=True)
class _OpKey:
    """The op node of a computed value (one per value: `_OpKey(v)` is v's op)."""

    value: Value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _OpKey) and other.value is self.value


def _op_text(v: Value) -> str:
    return f"({v.op})"


def _op_shape(v: Value) -> Shape:
    width = len(_op_text(v))
    return Shape(width, 1, width // 2, (width // 2,))


@dataclass(frozen=True)
class _Box:
    """A value's record: its cells' text and styles, and where the separators are."""

    cells: tuple[tuple[tuple[str, str], ...], ...]  # per cell: (text, style) pieces
    separators: tuple[int, ...]  # column offsets of the inner │
    shape: Shape


def _box(v: Value) -> _Box:
    grad_style = "grad+" if v.grad > 0 else "grad-" if v.grad < 0 else "grad0"
    cells = []
    if v.label:
        cells.append(((v.label, "label"),))
    cells.append((("data ", "muted"), (num(v.data), "data")))
    cells.append((("grad ", "muted"), (num(v.grad), grad_style)))
    separators, column = [], 0
    for i, cell in enumerate(cells):
        if i:
            separators.append(column)
        column += 1 + sum(len(text) for text, _ in cell) + 2  # "│ " + text + " "
    width = column + 1
    # Lines meet the frame away from the separators (`┴┬` side by side reads badly).
    crowded = {c + d for c in separators for d in (-1, 0, 1)}
    anchor = min(
        (c for c in range(2, width - 2) if c not in crowded), key=lambda c: (abs(c - width // 2), c)
    )
    slots = tuple(c for c in range(2, width - 2) if c not in crowded and c % 2 == anchor % 2)
    return _Box(tuple(cells), tuple(separators), Shape(width, 3, anchor, slots))


class _Canvas:
    """A grid of characters and style names that edges and nodes are painted on."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.chars = [[" "] * layout.width for _ in range(layout.height)]
        self.styles = [[""] * layout.width for _ in range(layout.height)]
        # Per cell, the directions each edge group (by target) leaves it in.
        self.lines: dict[tuple[int, int], dict[Hashable, int]] = {}

    def paint(
        self,
        values: list[Value],
        boxes: dict[Value, _Box],
        current: Value | None,
        selected: Value | None,
    ) -> Drawing:
        for route in self.layout.routes:
            self._trace(route.points, route.target)
        for cell in self.lines:
            self._put(*cell, _line_glyph(self.lines[cell]), "edge")
        where: dict[Value, tuple[int, int, int]] = {}
        ops: dict[Value, tuple[int, int, int]] = {}
        for v in values:
            row, col = self.layout.corners[v]
            weight = "double" if v is current else "heavy" if v is selected else "light"
            style = "current" if v is current else "selected" if v is selected else "border"
            self._box(row, col, boxes[v], weight, style)
            where[v] = (row, col, boxes[v].shape.width)
            if v.inputs:
                row, col = self.layout.corners[_OpKey(v)]
                text = _op_text(v)
                for i, char in enumerate(text):
                    self._put(row, col + i, char, "current" if v is current else "op")
                ops[v] = (row, col, len(text))
        lines = tuple("".join(row) for row in self.chars)
        return Drawing(
            lines, tuple(_runs(c, s) for c, s in zip(self.chars, self.styles)), where, ops
        )

    def _put(self, row: int, col: int, char: str, style: str) -> None:
        self.chars[row][col] = char
        self.styles[row][col] = style

    def _trace(self, points: tuple[tuple[int, int], ...], net: Hashable) -> None:
        for (r1, c1), (r2, c2) in pairwise(points):
            if c1 == c2:
                step, there, back = (1, D, U) if r2 > r1 else (-1, U, D)
                cells = [(r, c1) for r in range(r1, r2 + step, step)]
            else:
                step, there, back = (1, R, L) if c2 > c1 else (-1, L, R)
                cells = [(r1, c) for c in range(c1, c2 + step, step)]
            for i, cell in enumerate(cells):
                mask = (there if i < len(cells) - 1 else 0) | (back if i else 0)
                nets = self.lines.setdefault(cell, {})
                nets[net] = nets.get(net, 0) | mask

    def _box(self, row: int, col: int, box: _Box, weight: str, style: str) -> None:
        corners, across, side, leaves, arrives, sep_top, sep_bottom = _FRAMES[weight]
        width = box.shape.width
        bottom = row + 2
        for c in range(col, col + width):
            top_char = bottom_char = across
            if c - col in box.separators:
                top_char, bottom_char = sep_top, sep_bottom
            if self._has(row, c, U):
                top_char = arrives
            if self._has(bottom, c, D):
                bottom_char = leaves
            self._put(row, c, top_char, style)
            self._put(bottom, c, bottom_char, style)
        self._put(row, col, corners[0], style)
        self._put(row, col + width - 1, corners[1], style)
        self._put(bottom, col, corners[2], style)
        self._put(bottom, col + width - 1, corners[3], style)
        c = col
        for i, cell in enumerate(box.cells):
            self._put(row + 1, c, side if i == 0 else "│", style if i == 0 else "border")
            c += 2
            for text, text_style in cell:
                for char in text:
                    self._put(row + 1, c, char, text_style)
                    c += 1
            c += 1
        self._put(row + 1, c, side, style)

    def _has(self, row: int, col: int, direction: int) -> bool:
        return any(mask & direction for mask in self.lines.get((row, col), {}).values())


def _line_glyph(nets: dict[Hashable, int]) -> str:
    """One edge group: its own junction. Several: where a vertical line crosses a
    horizontal one, the vertical is drawn through, so a crossing is never a junction."""
    masks = list(nets.values())
    union = 0
    for mask in masks:
        union |= mask
    if len(masks) > 1 and all(m in (U | D, L | R) for m in masks) and U | D in masks:
        return _LINES[U | D]
    return _LINES[union]


def _runs(chars: list[str], styles: list[str]) -> tuple[tuple[str, str], ...]:
    runs, start = [], 0
    for style, group in groupby(styles):
        end = start + sum(1 for _ in group)
        runs.append(("".join(chars[start:end]), style))
        start = end
    return tuple(runs)
