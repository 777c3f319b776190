"""The MLP drawn as columns of neurons joined by every weight, as TensorFlow Playground draws it.

Edges are lines of braille dots (2 x 4 dots a cell), so 300 of them stay apart in a
60 x 36 area. Each cell remembers the weight of the strongest edge through it (edges are
drawn weakest first), and the view colours the cell by that weight's sign and size.
Textual-free: the view in tui/components/network_view.py turns cells into styled text.
"""

from __future__ import annotations

from dataclasses import dataclass

from mg_tui.tui.core.model_state import ModelState

BRAILLE = 0x2800
# Dot bits of a braille cell by (dx, dy), dx in 0..1, dy in 0..3 (Unicode's numbering).
DOTS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
NODE = "●"


@dataclass(frozen=True)
class Edge:
    """Weight `index` of neuron `neuron` in layer `layer` (0-based), from input `source`."""

    layer: int
    neuron: int
    source: int
    weight: float
    grad: float
    label: str


@dataclass
class Drawing:
    """Cells of text: `chars[r][c]` and the weight whose colour it takes (None: none)."""

    width: int
    height: int
    chars: list[list[str]]
    weights: list[list[float | None]]
    nodes: dict[tuple[int, int], tuple[int, int]]  # (column, index) -> (row, col) cell
    edges: list[Edge]
    highlighted: set[tuple[int, int]]  # the cells of the highlighted edge


def column_sizes(state: ModelState) -> list[int]:
    """Neurons per column: the inputs, then each layer."""
    return [state.nin, *(len(layer) for layer in state.layers)]


def fits(state: ModelState, width: int, height: int) -> bool:
    """One row per neuron at least, and room between columns for the edges."""
    columns = column_sizes(state)
    return max(columns) <= height and width >= 6 * len(columns)


def node_cells(
    state: ModelState, width: int, height: int
) -> dict[tuple[int, int], tuple[int, int]]:
    """Where each neuron's glyph goes: columns spread over the width, neurons centred."""
    columns = column_sizes(state)
    left, right = 3, width - 3
    cells = {}
    for k, count in enumerate(columns):
        col = round(left + (right - left) * k / (len(columns) - 1)) if len(columns) > 1 else left
        spacing = max(1, min(2, height // max(count, 1)))
        top = (height - spacing * (count - 1) - 1) // 2
        for j in range(count):
            cells[(k, j)] = (top + j * spacing, col)
    return cells


def edges_of(state: ModelState) -> list[Edge]:
    return [
        Edge(k, j, i, w, neuron.weight_grads[i], f"{neuron.name}.w{i}")
        for k, layer in enumerate(state.layers)
        for j, neuron in enumerate(layer)
        for i, w in enumerate(neuron.weights)
    ]


def draw(state: ModelState, width: int, height: int, highlight: str | None = None) -> Drawing:
    """Rasterise every edge (the highlighted one last, so it shows whole) and the nodes."""
    chars = [[" "] * width for _ in range(height)]
    weights: list[list[float | None]] = [[None] * width for _ in range(height)]
    bits = [[0] * width for _ in range(height)]
    highlighted: set[tuple[int, int]] = set()
    nodes = node_cells(state, width, height)
    edges = edges_of(state)
    order = sorted(edges, key=lambda e: (e.label == highlight, abs(e.weight)))
    for edge in order:
        r0, c0 = nodes[(edge.layer, edge.source)]
        r1, c1 = nodes[(edge.layer + 1, edge.neuron)]
        # from the right of the source node to the left of the target, in dot units
        for x, y in _line(2 * c0 + 2, 4 * r0 + 2, 2 * c1 - 1, 4 * r1 + 2):
            r, c = y // 4, x // 2
            if 0 <= r < height and 0 <= c < width:
                bits[r][c] |= DOTS[x % 2][y % 4]
                weights[r][c] = edge.weight
                if edge.label == highlight:
                    highlighted.add((r, c))
    for r in range(height):
        for c in range(width):
            if bits[r][c]:
                chars[r][c] = chr(BRAILLE + bits[r][c])
    for r, c in nodes.values():
        chars[r][c] = NODE
        weights[r][c] = None
        highlighted.discard((r, c))
    return Drawing(width, height, chars, weights, nodes, edges, highlighted)


def _line(x0: int, y0: int, x1: int, y1: int):
    """Bresenham's line, every dot from (x0, y0) to (x1, y1)."""
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    err = dx + dy
    while True:
        yield x0, y0
        if x0 == x1 and y0 == y1:
            return
        e2 = 2 * err
        if e2 >= dy:
            err += dy
            x0 += sx
        if e2 <= dx:
            err += dx
            y0 += sy
