"""D: the graph drawn in the tree's place, following the backward walk and training."""

from __future__ import annotations

import re

from mg_tui.engine import node_count
from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.components.graph_drawing import GraphDrawing
from mg_tui.tui.components.graph_tree import GraphTree
from mg_tui.tui.core.graphs import GraphSource

from tests.tui.conftest import idle, press, wait_for

LECTURE = "e = a*b; d = e + c; f = -2.0; L = d*f"


def lecture_app() -> MgApp:
    app = MgApp()
    app.explorer.start_with_graph(GraphSource.from_expression(LECTURE, {"a": 2, "b": -3, "c": 10}))
    return app


def drawn(app) -> GraphDrawing:
    return app.query_one(GraphDrawing)


def screen_text(widget: GraphDrawing) -> list[str]:
    """What the view shows, line by line (the visible part of the picture)."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


async def test_D_switches_between_the_tree_and_the_drawing() -> None:
    app = lecture_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        tree, drawing = app.query_one(GraphTree), drawn(app)
        assert tree.display and not drawing.display
        await pilot.press("D")
        await wait_for(pilot, lambda: drawing.drawing is not None)
        assert drawing.display and not tree.display
        assert drawing.has_focus
        assert "│ a │ data 2.0 │ grad 0.0 │" in "\n".join(screen_text(drawing))
        await pilot.press("D")
        await pilot.pause()
        assert tree.display and not drawing.display and tree.has_focus


async def test_the_walks_node_is_highlighted_and_the_drawing_follows_the_walk() -> None:
    app = lecture_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "D", "full_stop")  # processes L: d.grad and f.grad get theirs
        widget = drawn(app)
        L = app.explorer.snapshot.root
        await wait_for(pilot, lambda: widget.drawing is not None and _frame(widget, L) == "╔")
        d, f = L.inputs
        assert _box_text(widget, d) == "│ d │ data 4.0 │ grad -2.0 │"  # dL/dd = f
        assert _box_text(widget, f) == "│ f │ data -2.0 │ grad 4.0 │"  # dL/df = d
        assert _box_text(widget, d.inputs[0]) == "│ e │ data -6.0 │ grad 0.0 │"  # not yet
        style = _style_on_screen(widget, L)
        assert style.bold and style.color is not None and style.color.name == "yellow"
        await pilot.press("full_stop")  # processes d: e and c
        await wait_for(pilot, lambda: _frame(widget, d) == "╔")
        assert _frame(widget, L) != "╔"
        assert _box_text(widget, d.inputs[0]) == "│ e │ data -6.0 │ grad -2.0 │"


async def test_the_trees_selection_has_a_heavy_frame() -> None:
    app = lecture_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await pilot.press("D")
        widget = drawn(app)
        root = app.explorer.snapshot.root
        await wait_for(pilot, lambda: widget.drawing is not None and _frame(widget, root) == "┏")
        app.explorer.tree.move_cursor(
            app.explorer.tree.root.children[0]
        )  # the root's op: its first operand d
        await wait_for(pilot, lambda: _frame(widget, root.inputs[0]) == "┏")
        assert _frame(widget, root) == "╭"


async def test_the_drawing_redraws_as_training_steps() -> None:
    app = MgApp(RunConfig(arch=(1,), batch_size=1))  # a 21-value graph
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "D", "s")
        widget = drawn(app)
        for _ in range(2):
            root = app.explorer.snapshot.root
            await wait_for(
                pilot, lambda r=root: widget.drawing is not None and r in widget.drawing.boxes
            )
            assert len(widget.drawing.boxes) == node_count(root)
            assert f"data {_num(root.data)} │" in _box_text(widget, root)
            await press(pilot, "s")


async def test_a_graph_too_large_to_draw_says_so_and_offers_the_tree() -> None:
    app = MgApp(RunConfig())  # the default network's graph: hundreds of values
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "D")
        widget = drawn(app)
        nodes = node_count(app.explorer.snapshot.root)
        assert nodes > 60
        await wait_for(pilot, lambda: "press D" in " ".join(screen_text(widget)))
        shown = re.sub(r"\s+", " ", " ".join(screen_text(widget))).strip()
        assert shown == (
            f"this graph has {nodes} nodes; the drawing shows up to 60: press D for the tree"
        )
        await pilot.press("D")
        await pilot.pause()
        assert app.query_one(GraphTree).display


def _num(x: float) -> str:
    from mg_tui.tui.format import num

    return num(x)


def _box_text(widget: GraphDrawing, value) -> str:
    row, col, width = widget.drawing.boxes[value]
    return widget.drawing.lines[row + 1][col : col + width]


def _frame(widget: GraphDrawing, value) -> str:
    """The top-left corner of `value`'s box: ╭ plain, ╔ the walk's node, ┏ selected."""
    if widget.drawing is None or value not in widget.drawing.boxes:
        return ""
    row, col, _ = widget.drawing.boxes[value]
    return widget.drawing.lines[row][col]


def _style_on_screen(widget: GraphDrawing, value):
    """The Rich style the view paints `value`'s top-left corner with (it is in view)."""
    row, col, _ = widget.drawing.boxes[value]
    scroll_x, scroll_y = widget.scroll_offset
    x = col - scroll_x
    at = 0
    for segment in widget.render_line(row - scroll_y):
        if at <= x < at + len(segment.text):
            assert segment.text[x - at] == "╔"
            return segment.style
        at += len(segment.text)
    raise AssertionError("the node is not in view")
