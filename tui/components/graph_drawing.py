"""The graph drawn (D): one box per value, an op node per op, in the tree's place.

A Line API ScrollView over the picture of tui/core/graph_drawing.py: it scrolls both
ways when the picture is larger than the view, follows the backward walk's current
node (double frame) and marks the tree's selected node (heavy frame). A graph of more
than MAX_NODES values is not drawn: the view says so and offers the tree.

The view keeps itself up to date: while it is shown it looks at its screen's snapshot,
the walk and the tree's cursor ten times a second and draws again only when one of
them, or a number in the graph, has changed (sixty values: a tuple compare). So the
app's drawing code (`ExplorerScreen.show`) needs no call to it.
"""

from __future__ import annotations

import textwrap

from mg_tui.engine import Value, topological_order
from mg_tui.tui.core.graph_drawing import MAX_NODES, Drawing, draw, too_large_message, value_count
from mg_tui.tui.drawing_text import line_texts
from rich.segment import Segment
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

POLL = 0.1  # seconds between looks at the app while shown
NO_GRAPH = "no graph yet: f builds one (a forward pass)"


class GraphDrawing(ScrollView, can_focus=True):
    """The computation graph drawn as micrograd's draw_dot draws it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "graph drawn"
        self.drawing: Drawing | None = None
        self.message = NO_GRAPH  # shown instead of a drawing
        self.current: Value | None = None  # the walk's node, as last drawn
        self._strips: list[Strip] = []
        self._state: tuple | None = None  # what the picture was drawn from
        self._graph: tuple[Value, list[Value] | None, int] | None = None  # root, values, count
        self._followed: tuple[Value | None, Value | None] = (None, None)  # (current, selected)

    def on_mount(self) -> None:
        self.set_interval(POLL, self._poll)

    def on_show(self) -> None:
        self._poll()

    def _poll(self) -> None:
        if not self.display or not self.is_on_screen:
            return
        screen = self.screen  # the explorer (or a test's own screen, which may have neither)
        snapshot = getattr(screen, "snapshot", None)
        tree = getattr(screen, "tree", None)
        selected = tree.value_of(tree.cursor_node) if tree is not None else None
        if tree is not None and self.border_subtitle != tree.border_subtitle:
            self.border_subtitle = tree.border_subtitle  # the walk's progress, as the tree's
        walk = snapshot.walk if snapshot is not None else None
        step = walk.last_interior if walk is not None else None
        self.show(
            snapshot.root if snapshot is not None else None,
            current=step.node if step is not None else None,
            selected=selected,
            size=snapshot.index.size if snapshot is not None and snapshot.index else None,
        )

    def show(
        self,
        root: Value | None,
        *,
        current: Value | None = None,
        selected: Value | None = None,
        size: int | None = None,
    ) -> None:
        """Draw `root`'s graph (again only if something it shows has changed)."""
        if root is None:
            self._set_message(NO_GRAPH)
            return
        if self._graph is None or self._graph[0] is not root:
            count = size if size is not None else value_count(root, MAX_NODES)
            values = topological_order(root) if count <= MAX_NODES else None
            if values is None and size is None:
                count = value_count(root)
            self._graph = (root, values, count)
            self._followed = (None, None)  # a new graph: stay where the view is
        _, values, count = self._graph
        if values is None:
            self._set_message(too_large_message(count))
            return
        state = (root, current, selected, tuple((v.data, v.grad) for v in values))
        if state == self._state:
            return
        self._state = state
        self.current = current
        self.drawing = draw(root, current=current, selected=selected, size=count)
        self.message = ""
        console = self.app.console
        self._strips = [
            Strip(list(text.render(console, end=""))) for text in line_texts(self.drawing)
        ]
        self.virtual_size = Size(self.drawing.width, len(self._strips))
        self.refresh()
        self._follow(current, selected)

    def _set_message(self, message: str) -> None:
        if self.message == message and self.drawing is None:
            return
        self.drawing, self._state, self.message = None, None, message
        self._strips = []
        self.virtual_size = Size(0, 0)
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def _follow(self, current: Value | None, selected: Value | None) -> None:
        """Scroll to the walk's node when it moves, else to the tree's selection when the
        user moves it (not when a new graph arrives: training keeps the view still)."""
        followed_current, followed_selected = self._followed
        self._followed = (current, selected)
        assert self.drawing is not None
        if current is not None and current is not followed_current:
            node = current
        elif selected is not None and followed_selected is not None:
            node = selected if selected is not followed_selected else None
        else:
            node = None
        if node is None or node not in self.drawing.boxes:
            return
        row, col, width = self.drawing.boxes[node]
        # After the refresh: the new virtual size must be laid out before scrolling in it.
        self.call_after_refresh(self.scroll_to_region, Region(col, row, width, 3), animate=False)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self.drawing is None:
            lines = textwrap.wrap(self.message, max(width - 2, 10))
            text = f" {lines[y]}" if y < len(lines) else ""
            return Strip([Segment(text)]).crop_extend(0, width, self.rich_style)
        scroll_x, scroll_y = self.scroll_offset
        line = y + scroll_y
        if line >= len(self._strips):
            return Strip.blank(width, self.rich_style)
        return self._strips[line].crop_extend(scroll_x, scroll_x + width, self.rich_style)
