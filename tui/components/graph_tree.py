"""The computation graph as a lazily built tree: root = the loss, children = operands.

A moons graph has ~40,000 nodes and Textual's Tree lays out its lines recursively,
so a node's children are created only when it is expanded, a node shows at most
MAX_CHILDREN operands, and the expand-all binding opens one level at a time under a
line budget. Labels are drawn from the live Values when a line is painted, so a new
step repaints the visible lines only; a new graph is mapped onto the existing tree
nodes by operand path, which keeps the user's place (expanded nodes, cursor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mg_tui.engine import Value
from mg_tui.tui.core.graph_index import GraphIndex, Path, kind
from mg_tui.tui.core.names import ELLIPSIS, short_name
from mg_tui.tui.core.walk import BackwardController
from mg_tui.tui.format import grad_emphasis, grad_string, grad_style, num
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

MAX_CHILDREN = 200  # operands shown under one node (a 1000-sample sum shows the first 200)
EXPAND_BUDGET = 400  # lines the expand-all key may add in one press
SMALL_GRAPH = 40  # nodes: a graph this small (an expression, a lesson) opens fully at once

_KIND_STYLE = {  # the name's style; colours are meanings (tui/colours.py)
    "param": "bold",
    "input": "leaf.input",
    "target": "leaf.input",
    "const": "muted",
    "op": "",
}


@dataclass(frozen=True)
class TreeView:
    """The open nodes and the cursor, as operand paths from the root."""

    opened: tuple[Path, ...]
    cursor: Path


@dataclass(slots=True)
class NodeRef:
    """What a tree line stands for: a Value, reached from the root by `path`."""

    value: Value
    path: Path

    def same_shape(self, other: Value) -> bool:
        v = self.value
        return v.op == other.op and v.label == other.label and len(v.inputs) == len(other.inputs)


class GraphTree(Tree[NodeRef]):
    """A Tree over a live computation graph that only ever builds what is reachable."""

    BINDINGS = [  # noqa: RUF012 (Textual's convention)
        # Space plays and pauses (the explorer screen's key); enter and the arrows open and close.
        Binding("space", "screen.toggle_play", "Play", tooltip="Play or pause continuous training"),
        Binding("right", "expand_cursor", "Open the node (its operands)", show=False),
        Binding("left", "collapse_cursor", "Close the node, or go to its consumer", show=False),
        Binding("shift+space,E", "toggle_expand_all", "Open one more level (bounded)", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("loading…", id=id)
        self.index: GraphIndex | None = None
        self.walk: BackwardController | None = None  # a backward walk in progress: marks
        self.cursor_moved: Callable[[TreeNode[NodeRef] | None], None] | None = None
        self.guide_depth = 2
        self.auto_expand = True

    # -- showing a graph -----------------------------------------------------------------

    def show_graph(
        self, root: Value, index: GraphIndex | None, walk: BackwardController | None = None
    ) -> None:
        """Show `root`'s graph, keeping expanded nodes and the cursor where they still exist."""
        self.index = index
        self.walk = walk
        top = self.root
        if top.data is None or not top.data.same_shape(root):
            self._reset_to(root)
            return
        cursor_path = (
            self.cursor_node.data.path if self.cursor_node and self.cursor_node.data else ()
        )
        # Walk the built nodes only (a few hundred at most), swapping in the new Values.
        stack: list[tuple[TreeNode[NodeRef], Value]] = [(top, root)]
        changed = False
        while stack:
            tnode, value = stack.pop()
            ref = tnode.data
            if not ref.same_shape(value):
                was_expanded = tnode.is_expanded
                tnode.remove_children()
                tnode.data = NodeRef(value, ref.path)
                tnode.allow_expand = bool(value.inputs)
                if was_expanded:
                    self._populate(tnode)
                changed = True
                continue
            ref.value = value
            for child in tnode.children:
                if child.data is not None:
                    stack.append((child, value.inputs[child.data.path[-1]]))
        if changed:
            self._restore_cursor(cursor_path)
        self.refresh_values()

    def _reset_to(self, root: Value) -> None:
        self.clear()
        self.root.data = NodeRef(root, ())
        self.root.allow_expand = bool(root.inputs)
        self._populate(self.root)
        self.root.expand()
        if self.index is not None and self.index.size_at_most(SMALL_GRAPH):
            self._open_everything()
        self.move_to(self.root)
        self.refresh_values()

    def _open_everything(self) -> None:
        """Open every node: only for small graphs, where the whole story fits on screen."""
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            if node.allow_expand:
                self._populate(node)
                node.expand()
                stack.extend(node.children)

    def refresh_values(self) -> None:
        """Repaint the visible lines from the live Values (no re-layout of the tree)."""
        self._line_cache.clear()
        self._updates += 1
        self.refresh()

    def value_of(self, node: TreeNode[NodeRef] | None) -> Value | None:
        return node.data.value if node is not None and node.data is not None else None

    # -- lazy children -------------------------------------------------------------------

    def _populate(self, node: TreeNode[NodeRef]) -> int:
        """Create `node`'s children if they do not exist yet; return how many were made."""
        ref = node.data
        if ref is None or node.children or not ref.value.inputs:
            return 0
        inputs = ref.value.inputs
        for i, x in enumerate(inputs[:MAX_CHILDREN]):
            node.add(" ", NodeRef(x, (*ref.path, i)), allow_expand=bool(x.inputs))
        hidden = len(inputs) - MAX_CHILDREN
        if hidden > 0:
            node.add_leaf(f"… {hidden} more operands not shown", None)
        return min(len(inputs), MAX_CHILDREN)

    @on(Tree.NodeExpanded)
    def _on_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        self._populate(event.node)

    def expand_node(self, node: TreeNode[NodeRef]) -> None:
        self._populate(node)
        node.expand()

    def expand_path(self, path: Path) -> TreeNode[NodeRef] | None:
        """Open the nodes down `path` (building only those) and put the cursor on its end."""
        node = self.root
        for i in path:
            if node.data is None:
                return None
            self.expand_node(node)
            if i >= len(node.children) or node.children[i].data is None:
                return None
            node = node.children[i]
        self.move_to(node)
        return node

    def move_to(self, node: TreeNode[NodeRef]) -> None:
        """Put the cursor on `node` now, laying out new lines first if needed."""
        _ = self._tree_lines  # builds the lines, giving new nodes their line numbers
        self.move_cursor(node)
        # The virtual size grows on the next layout; scroll once it has.
        self.call_after_refresh(self.scroll_to_node, node, animate=False)

    def _restore_cursor(self, path: Path) -> None:
        node = self.root
        for i in path:
            if i >= len(node.children) or not node.is_expanded:
                break
            node = node.children[i]
        if node is not self.cursor_node:
            self.move_to(node)

    def view_state(self) -> TreeView:
        """Which nodes are open and where the cursor is, by operand path: to come back to."""
        opened: list[Path] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node.is_expanded and node.data is not None:
                opened.append(node.data.path)
                stack.extend(node.children)
        cursor = self.cursor_node
        path = cursor.data.path if cursor is not None and cursor.data is not None else ()
        return TreeView(tuple(sorted(opened, key=len)), path)

    def restore_view(self, view: TreeView) -> None:
        """Open the same nodes and put the cursor back (on a graph of the same shape)."""
        for path in view.opened:
            node: TreeNode[NodeRef] | None = self.root
            for i in path:
                children = node.children if node is not None else []
                node = children[i] if i < len(children) else None
            if node is not None and node.data is not None and node.allow_expand:
                self.expand_node(node)
        self._restore_cursor(view.cursor)

    def action_expand_cursor(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and not node.is_expanded:
            self.expand_node(node)
        elif node.children:
            self.action_cursor_down()

    def action_collapse_cursor(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)

    def action_toggle_expand_all(self) -> None:
        """Open one more level below the cursor, never more than EXPAND_BUDGET new lines.

        Replaces Tree's expand-all, which on a graph would try to open everything.
        """
        node = self.cursor_node
        if node is None or node.data is None:
            return
        if not node.is_expanded:
            self.expand_node(node)
            return
        frontier = [node]
        budget = EXPAND_BUDGET
        while frontier and budget > 0:  # breadth-first: find the first closed level
            closed = [
                c for n in frontier for c in n.children if c.allow_expand and not c.is_expanded
            ]
            if closed:
                for child in closed:
                    if budget <= 0:
                        break
                    budget -= self._populate(child) or 1
                    child.expand()
                return
            frontier = [c for n in frontier for c in n.children if c.is_expanded]

    # -- drawing -------------------------------------------------------------------------

    def render_label(self, node: TreeNode[NodeRef], base_style: Style, style: Style) -> Text:
        ref = node.data
        if ref is None:
            return super().render_label(node, base_style, style)
        icon = self._icon(node)
        text = Text()  # not Text(icon, style=…): that style would be the whole line's
        text.append(icon, style=base_style + Style(dim=True))
        width = self._label_room(node, icon)
        text.append_text(node_line(ref.value, self.index, self.walk, width))
        text.stylize(style)
        return text

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """The line as drawn: fitted to the room it has, so the tree never scrolls sideways
        to a number cut in half."""
        ref = node.data
        if ref is None:
            return super().get_label_width(node)
        icon = self._icon(node)
        parts = line_parts(ref.value, self.index, self.walk)
        width = self._label_room(node, icon)
        return len(icon) + _length(fit_parts(parts, width) if width is not None else parts)

    def _icon(self, node: TreeNode[NodeRef]) -> str:
        if not node.allow_expand:
            return ""
        return self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE

    def _label_room(self, node: TreeNode[NodeRef], icon: str) -> int | None:
        """Cells left for the line's text after the guides and the icon (None before layout)."""
        width = self.scrollable_content_region.width
        if width <= 0 or node.data is None:
            return None
        return max(width - len(node.data.path) * self.guide_depth - len(icon), 1)

    def watch_show_vertical_scrollbar(self) -> None:
        """A scrollbar takes cells from every line: fit them again."""
        self._line_cache.clear()
        self._invalidate()

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        """Tell the app straight away (not via a message), so the panel changes in the
        same frame as the cursor."""
        super().watch_cursor_line(previous_line, line)
        if self.cursor_moved is not None and previous_line != line:
            self.cursor_moved(self.cursor_node)


FINAL = "✓"  # during a backward walk: this grad has every contribution
PARTIAL = "◐"  # some contributions received, more to come
WAITING = "○"  # no contribution yet


Part = tuple[str, str, tuple[str, ...]]  # (which part, its text, its styles: meanings first)


def walk_mark(value: Value, walk: BackwardController) -> tuple[str, tuple[str, ...]]:
    """The finality glyph (it reads without colour) and its styles: bold final, muted
    waiting."""
    if walk.is_final(value):
        return f"{FINAL} ", ("walk.final", "bold")
    if walk.received.get(value, 0):
        return f"{PARTIAL} ", ("walk.partial",)
    return f"{WAITING} ", ("muted",)


# The parts of a tree line, in display order; when a line is too long for its room
# (a deep line at 80x24), whole parts go, in DROP_ORDER, the grad last and the name
# shortened just before it, so a number is never cut: `×102` never reads `×1`. A dropped
# use count or grad leaves a `…` at the end of the line; the panel shows them all.
DROP_ORDER = ("op", "data", "uses", "sample", "name", "grad")
MIN_NAME = 3  # characters of a shortened name, before its `…`


def line_parts(
    value: Value, index: GraphIndex | None, walk: BackwardController | None = None
) -> list[Part]:
    """(part, text, styles) for `✓ L1.N3[3] tanh 0.7616 ▼-0.02664 ×4`: the walk's mark,
    name, sample, op, data, grad (the same string as the panel's) and use count."""
    k = kind(value, index.roles if index is not None else None)
    label, sample = short_name(value, index)
    parts = []
    if walk is not None:
        parts.append(("mark", *walk_mark(value, walk)))
    parts.append(("name", label, (_KIND_STYLE[k],)))
    if sample:
        parts.append(("sample", sample, ("muted",)))
    if value.label and value.op:
        parts.append(("op", f" {value.op}", ("muted", "italic")))
    parts.append(("data", f" {num(value.data)}", ()))
    grad = (grad_style(value.grad), grad_emphasis(value.grad))
    parts.append(("grad", f" {grad_string(value.grad)}", grad))
    uses = index.use_count(value) if index is not None else 0
    if uses > 1:
        parts.append(("uses", f" ×{uses}", ("reused",)))
    return parts


def fit_parts(parts: list[Part], width: int) -> list[Part]:
    """The parts that fit in `width` cells: whole parts dropped in DROP_ORDER, `…` where
    one of the numbers had to go."""
    for drop in DROP_ORDER:
        if _length(parts) <= width:
            return parts
        if drop == "name":
            parts = [_shorten(p, _length(parts) - width) if p[0] == "name" else p for p in parts]
            continue
        if drop in ("uses", "grad") and any(p[0] == drop for p in parts):
            parts = [p for p in parts if p[0] not in (drop, "cut")] + [("cut", f" {ELLIPSIS}", ())]
        else:
            parts = [p for p in parts if p[0] != drop]
    return parts


def _shorten(part: Part, excess: int) -> Part:
    key, text, style = part
    keep = max(len(text) - excess - 1, MIN_NAME)
    return (key, text[:keep] + ELLIPSIS, style) if keep < len(text) else part


def _length(parts: list[Part]) -> int:
    return sum(cell_len(text) for _, text, _ in parts)


def node_line(
    value: Value,
    index: GraphIndex | None,
    walk: BackwardController | None = None,
    width: int | None = None,
) -> Text:
    """`L1.N2.w0 0.532 ▼-0.0123 ×4`: name, op, data, grad (glyph and sign) and use count;
    during a backward walk, a leading mark says whether the grad is final yet. With
    `width`, fitted to it (see `fit_parts`)."""
    parts = line_parts(value, index, walk)
    if width is not None:
        parts = fit_parts(parts, width)
    line = Text()
    for _, text, styles in parts:
        start = len(line) + len(text) - len(text.lstrip(" "))  # the separator unstyled
        line.append(text)
        for style in styles:
            if style:  # each meaning a span of its own: the theme resolves it by name
                line.stylize(style, start, len(line))
    return line
