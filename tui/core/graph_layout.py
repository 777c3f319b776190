"""A layered (Sugiyama-style) layout of a small DAG on a grid of terminal cells.

The drawing of a computation graph (tui/core/graph_drawing.py) puts the root at the
bottom and every operand above its consumer, as the statements of a program read:
`e = a*b` above `d = e + c` above `L = d*f`. This module knows nothing of Values: it
places boxes of given sizes and routes the edges between them with right angles.

1. Layers: a node's layer is its longest path to the root (the root is layer 0), so a
   leaf sits right above its deepest consumer (`c` beside `e`, not at the very top).
2. Order: nodes are first ordered as a depth-first walk from the root meets them,
   operands left to right, which draws a tree without crossings; barycentre sweeps
   then reduce crossings where nodes are shared, keeping the best order seen.
   Edges longer than one layer pass through the layers between as 1-cell "dummies".
3. Columns: each node is pulled towards the mean of its neighbours' columns, sweeping
   down and up; in a layer the nearest positions that keep every gap are found exactly
   (weighted isotonic regression, pool adjacent violators). Integer columns come out
   of one rounding that keeps the gaps, so a node with a single operand (an op over
   its result) sits exactly above it and their edge is straight.
4. Edges: in the rows between two layers each edge runs down from its source's port,
   along a track row, and down into its target's port. Edges into the same target
   share a track (they merge there); tracks are stacked so that no two edges overlap.

Each source has its own port per edge (a value used twice leaves its box twice), so
two edges never share a line except where they merge into the same target.
Everything is iterative (no recursion) and deterministic: the same graph gives the
same picture, which snapshot tests and `--print` rely on.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

GAP = 2  # blank columns between two nodes of a layer
SWEEPS = 4  # rounds of crossing reduction, and of column placement
Point = tuple[int, int]  # (row, column)


@dataclass(frozen=True)
class Shape:
    """A node's size, where edges come in (`anchor`, a column offset on its top row)
    and where they may leave (`slots`, column offsets on its bottom row)."""

    width: int
    height: int
    anchor: int
    slots: tuple[int, ...]


@dataclass(frozen=True)
class Route:
    """One edge as the corners of its path, from the source's bottom row to the target's
    top row (every step between two points is straight down or across)."""

    source: Hashable
    target: Hashable
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Layout:
    """Where every node's top-left corner is, and every edge's path."""

    width: int
    height: int
    corners: dict[Hashable, Point]
    routes: tuple[Route, ...]
    layers: int


@dataclass(eq=False)
class _Vertex:
    """A node of one layer: a real node, or a dummy an edge passes through."""

    key: Hashable  # the real node's key; None for a dummy
    layer: int
    shape: Shape
    below: list[_Vertex]  # the next layer down: where this vertex's segments go
    above: list[_Vertex]  # the next layer up: the segments coming in
    center: float = 0.0  # the anchor's column
    col: int = 0  # the left column, once placed


DUMMY = Shape(1, 1, 0, (0,))


def layered_layout(
    shapes: Mapping[Hashable, Shape], edges: Sequence[tuple[Hashable, Hashable]], root: Hashable
) -> Layout:
    """Place `shapes` and route `edges` (operand, consumer): every operand above its
    consumer, `root` at the bottom. An edge may repeat (`a + a` uses `a` twice)."""
    layer = _layers(shapes, edges, root)
    vertices = {key: _Vertex(key, layer[key], shape, [], []) for key, shape in shapes.items()}
    chains = []  # per edge: its vertices from the operand down to the consumer
    for source, target in edges:
        chain = [vertices[source]]
        for depth in range(layer[source] - 1, layer[target], -1):
            chain.append(_Vertex(None, depth, DUMMY, [], []))
        chain.append(vertices[target])
        for upper, lower in pairwise(chain):
            upper.below.append(lower)
            lower.above.append(upper)
        chains.append(chain)
    order = _first_order(vertices[root], max(layer.values()) + 1)
    order = _fewer_crossings(order)
    _place_columns(order)
    return _route(order, chains, edges)


# -- 1. layers ------------------------------------------------------------------------


def _layers(
    shapes: Mapping[Hashable, Shape], edges: Sequence[tuple[Hashable, Hashable]], root: Hashable
) -> dict[Hashable, int]:
    """Each node's longest path to `root` (Kahn's order from the root upwards)."""
    consumers: dict[Hashable, list[Hashable]] = {key: [] for key in shapes}
    operands: dict[Hashable, list[Hashable]] = {key: [] for key in shapes}
    for source, target in edges:
        consumers[source].append(target)
        operands[target].append(source)
    waiting = {key: len(set(users)) for key, users in consumers.items()}
    layer = {root: 0}
    ready = [root]
    while ready:
        node = ready.pop()
        for operand in dict.fromkeys(operands[node]):
            layer[operand] = max(layer.get(operand, 0), layer[node] + 1)
            waiting[operand] -= 1
            if waiting[operand] == 0:
                ready.append(operand)
    missing = [key for key in shapes if key not in layer]
    if missing:
        raise ValueError(f"{len(missing)} nodes do not lead to the root")
    return layer


# -- 2. order -------------------------------------------------------------------------


def _first_order(root: _Vertex, layers: int) -> list[list[_Vertex]]:
    """Layers ordered as a depth-first walk from the root meets the vertices."""
    order: list[list[_Vertex]] = [[] for _ in range(layers)]
    seen: set[int] = set()
    stack = [root]
    while stack:
        vertex = stack.pop()
        if id(vertex) in seen:
            continue
        seen.add(id(vertex))
        order[vertex.layer].append(vertex)
        stack.extend(reversed(vertex.above))  # the first operand is met first
    return order


def _fewer_crossings(order: list[list[_Vertex]]) -> list[list[_Vertex]]:
    """Barycentre sweeps up and down; the order with the fewest crossings wins (ties:
    the earlier one, so a tree keeps its walk's order)."""
    best, best_count = [list(layer) for layer in order], _crossings(order)
    for _ in range(SWEEPS):
        if best_count == 0:
            break
        for depth in range(1, len(order)):  # upwards: by the consumers below
            _sort_by_barycentre(order[depth], order[depth - 1], "below")
        for depth in range(len(order) - 2, -1, -1):  # downwards: by the operands above
            _sort_by_barycentre(order[depth], order[depth + 1], "above")
        count = _crossings(order)
        if count < best_count:
            best, best_count = [list(layer) for layer in order], count
    return best


def _sort_by_barycentre(layer: list[_Vertex], reference: list[_Vertex], side: str) -> None:
    position = {id(v): i for i, v in enumerate(reference)}
    keys = {}
    for i, vertex in enumerate(layer):
        neighbours = getattr(vertex, side)
        if neighbours:
            keys[id(vertex)] = sum(position[id(n)] for n in neighbours) / len(neighbours)
        else:
            keys[id(vertex)] = float(i)
    layer.sort(key=lambda v: keys[id(v)])  # stable: ties keep their order


def _crossings(order: list[list[_Vertex]]) -> int:
    """Edge crossings between every two adjacent layers (pairs of segments: small here)."""
    count = 0
    for depth in range(1, len(order)):
        lower = {id(v): i for i, v in enumerate(order[depth - 1])}
        segments = [
            (i, lower[id(b)]) for i, a in enumerate(order[depth]) for b in a.below if id(b) in lower
        ]
        for n, (a1, b1) in enumerate(segments):
            for a2, b2 in segments[n + 1 :]:
                if (a1 - a2) * (b1 - b2) < 0:
                    count += 1
    return count


# -- 3. columns -----------------------------------------------------------------------


def _place_columns(order: list[list[_Vertex]]) -> None:
    for layer in order:  # packed to the left
        left = 0
        for vertex in layer:
            vertex.center = float(left + vertex.shape.anchor)
            left += vertex.shape.width + GAP
    top = len(order) - 1
    for _ in range(SWEEPS):
        for depth in range(top - 1, -1, -1):  # downwards: under the operands
            _pull(order[depth], "above")
        for depth in range(1, top + 1):  # upwards: over the consumers
            _pull(order[depth], "below")
    for depth in range(top - 1, -1, -1):  # last: straight edges downwards
        _pull(order[depth], "above")
    _round(order)


def _pull(layer: list[_Vertex], side: str) -> None:
    """Move the layer's vertices as near the mean of their neighbours as the gaps allow."""
    targets, weights = [], []
    for vertex in layer:
        neighbours = getattr(vertex, side)
        if not neighbours:
            targets.append(vertex.center)
            weights.append(0.5)
            continue
        targets.append(sum(n.center for n in neighbours) / len(neighbours))
        single = len(neighbours) == 1 and len(getattr(neighbours[0], _other(side))) == 1
        weights.append(8.0 if single else 4.0 if vertex.key is None else 1.0)
    offsets = _offsets(layer)
    placed = _isotonic([t - o for t, o in zip(targets, offsets)], weights)
    for vertex, y, offset in zip(layer, placed, offsets):
        vertex.center = y + offset


def _other(side: str) -> str:
    return "below" if side == "above" else "above"


def _offsets(layer: list[_Vertex]) -> list[int]:
    """How far each anchor must be right of the first one: the widths and gaps between."""
    offsets, total = [], 0
    for i, vertex in enumerate(layer):
        if i:
            previous = layer[i - 1].shape
            total += previous.width - previous.anchor + vertex.shape.anchor + GAP
        offsets.append(total)
    return offsets


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """The non-decreasing sequence nearest `values` in weighted least squares (PAV)."""
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for value, weight in zip(values, weights):
        blocks.append([value * weight, weight, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, weight_, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += weight_
            blocks[-1][2] += count
    out: list[float] = []
    for total, weight, count in blocks:
        out.extend([total / weight] * int(count))
    return out


def _round(order: list[list[_Vertex]]) -> None:
    """Integer columns that keep every gap: round the gap-free positions, then add the
    (integer) offsets back; shift everything so the leftmost column is 0."""
    for layer in order:
        for vertex, offset in zip(layer, _offsets(layer)):
            vertex.col = math.floor(vertex.center - offset + 0.5) + offset
    _straighten(order)
    leftmost = min(v.col - v.shape.anchor for layer in order for v in layer)
    for layer in order:
        for vertex in layer:
            vertex.col -= vertex.shape.anchor + leftmost  # from the anchor to the left edge


def _straighten(order: list[list[_Vertex]]) -> None:
    """Where a vertex's only neighbour below has it as its only neighbour above (an op
    over its result), put their anchors in one column if either can move there: the
    lower one first, so that from the top down a chain (x, tanh, its result) lines up."""
    for depth in range(len(order) - 1, 0, -1):
        for vertex in order[depth]:
            if len(vertex.below) != 1 or len(vertex.below[0].above) != 1:
                continue
            lower = vertex.below[0]
            if lower.col != vertex.col and not _move(order[depth - 1], lower, vertex.col):
                _move(order[depth], vertex, lower.col)


def _move(layer: list[_Vertex], vertex: _Vertex, col: int) -> bool:
    """Put `vertex`'s anchor at `col` if that keeps the gaps to its neighbours."""
    i = layer.index(vertex)
    left = col - vertex.shape.anchor
    if i > 0:
        before = layer[i - 1]
        if before.col - before.shape.anchor + before.shape.width + GAP > left:
            return False
    if i + 1 < len(layer):
        after = layer[i + 1]
        if left + vertex.shape.width + GAP > after.col - after.shape.anchor:
            return False
    vertex.col = col
    return True


# -- 4. rows and edges ------------------------------------------------------------------


def _route(
    order: list[list[_Vertex]], chains: list[list[_Vertex]], edges: Sequence[tuple]
) -> Layout:
    ports = _out_ports(order)
    channels = [_tracks(order[depth], ports) for depth in range(1, len(order))]
    # Rows from the top layer down: a layer, then the channel under it, and so on.
    tops: dict[int, int] = {}
    row = 0
    for depth in range(len(order) - 1, -1, -1):
        tops[depth] = row
        row += max(v.shape.height for v in order[depth])
        if depth:
            row += channels[depth - 1][1]
    height = row
    routes = []
    for (source, target), chain in zip(edges, chains):
        first = chain[0]
        points: list[Point] = [(tops[first.layer] + first.shape.height - 1, 0)]
        for upper, lower in pairwise(chain):
            start_col = ports[(id(upper), id(lower))].pop(0)
            if len(points) == 1:
                points[0] = (points[0][0], start_col)
            tracks, _ = channels[lower.layer]
            channel_top = tops[upper.layer] + max(v.shape.height for v in order[upper.layer])
            end_col = lower.col + lower.shape.anchor
            track = tracks.get(id(lower))
            if track is not None and start_col != end_col:
                points += [(channel_top + track, start_col), (channel_top + track, end_col)]
            layer_bottom = tops[lower.layer] + lower.shape.height - 1
            points.append((layer_bottom if lower.key is None else tops[lower.layer], end_col))
        routes.append(Route(source, target, _simplified(points)))
    width = max(v.col + v.shape.width for layer in order for v in layer)
    corners = {v.key: (tops[v.layer], v.col) for layer in order for v in layer if v.key is not None}
    return Layout(width, height, corners, tuple(routes), len(order))


def _out_ports(order: list[list[_Vertex]]) -> dict[tuple[int, int], list[int]]:
    """The bottom columns each vertex's segments leave from, one per segment, ordered like
    their targets (so they do not cross under the box), centred among the slots."""
    ports: dict[tuple[int, int], list[int]] = {}
    for layer in order:
        for vertex in layer:
            below = sorted(
                enumerate(vertex.below), key=lambda p: (p[1].col + p[1].shape.anchor, p[0])
            )
            slots, anchor = vertex.shape.slots, vertex.shape.anchor
            k, n = len(below), len(slots)
            if not k:
                continue
            first = min(
                range(max(n - k, 0) + 1),
                key=lambda s: abs(sum(slots[s : s + k]) / min(k, n) - anchor),
            )
            for i, (_, target) in enumerate(below):
                slot = slots[first + i] if k <= n else slots[i * n // k]
                ports.setdefault((id(vertex), id(target)), []).append(vertex.col + slot)
    return ports


def _tracks(
    upper: list[_Vertex], ports: dict[tuple[int, int], list[int]]
) -> tuple[dict[int, int], int]:
    """The track row of each target in the channel under `upper`, and the channel's height.

    Segments into one target share its track. A target needs none if every segment
    into it comes straight down. A group whose source comes down the column where
    another group's target line goes down must run above that group, or the two
    lines would overlap; the groups are stacked so that never happens and no two
    groups on a row touch.
    """
    groups: dict[int, tuple[list[int], int]] = {}  # target -> (source columns, its column)
    for vertex in upper:
        for target in vertex.below:
            sources, _ = groups.setdefault(id(target), ([], target.col + target.shape.anchor))
            sources.extend(ports[(id(vertex), id(target))])
    bent = {
        key: (min(*cols, col), max(*cols, col), cols, col)
        for key, (cols, col) in groups.items()
        if any(c != col for c in cols)
    }
    drops = {col: key for key, (_, _, _, col) in bent.items()}  # target columns
    must_be_above: dict[int, set[int]] = {key: set() for key in bent}  # key -> groups above it
    for key, (_, _, cols, _) in bent.items():
        for c in cols:
            below = drops.get(c)
            if below is not None and below != key:
                must_be_above[below].add(key)
    track: dict[int, int] = {}
    rows: list[list[tuple[int, int]]] = []
    pending = sorted(bent, key=lambda k: (bent[k][0], bent[k][1]))
    while pending:
        ready = [k for k in pending if must_be_above[k] <= track.keys()] or pending[:1]
        key = ready[0]
        pending.remove(key)
        lo, hi = bent[key][0], bent[key][1]
        row = max((track[k] + 1 for k in must_be_above[key] if k in track), default=0)
        while row < len(rows) and any(
            lo <= end + 1 and start <= hi + 1 for start, end in rows[row]
        ):
            row += 1
        if row == len(rows):
            rows.append([])
        rows[row].append((lo, hi))
        track[key] = row
    return track, max(1, len(rows))


def _simplified(points: list[Point]) -> tuple[Point, ...]:
    """Drop repeated points and the middle of three in a straight line."""
    out: list[Point] = []
    for point in points:
        if out and point == out[-1]:
            continue
        if len(out) >= 2 and (
            out[-2][0] == out[-1][0] == point[0] or out[-2][1] == out[-1][1] == point[1]
        ):
            out[-1] = point
            continue
        out.append(point)
    return tuple(out)
