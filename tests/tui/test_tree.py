"""The graph tree: built lazily, bounded expand-all, keeps its place across steps."""

from __future__ import annotations

from mg_tui.tui.components.graph_tree import EXPAND_BUDGET, GraphTree
from mg_tui.tui.components.node_panel import NodePanel

from tests.tui.conftest import MOONS, idle, press


def built(tree: GraphTree) -> int:
    return len(tree._tree_nodes)


async def test_children_are_created_only_on_expand(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        tree = app.query_one(GraphTree)
        # Only the root and its 4 operands exist, though the graph has hundreds of nodes.
        assert built(tree) == 5
        assert app.explorer.snapshot.index.size > 200
        first = tree.root.children[0]
        assert len(first.children) == 0
        await pilot.press("down", "right")
        await pilot.pause()
        assert first.is_expanded
        assert len(first.children) == len(first.data.value.inputs)
        assert all(len(c.children) == 0 for c in first.children)


async def test_expand_all_key_opens_one_level_within_a_budget(make_app):
    app = make_app(**{**MOONS, "samples": 100, "arch": (16, 16)})
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot, timeout=30)
        tree = app.query_one(GraphTree)
        total = app.explorer.snapshot.index.size
        for _ in range(6):
            await pilot.press("shift+space")
            await pilot.pause()
        assert built(tree) < 7 * (EXPAND_BUDGET + 100)
        assert built(tree) < total / 5


async def test_selection_and_expansion_survive_steps(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.explorer.jump_to("L1.N2.w0")
        await pilot.pause()
        tree = app.query_one(GraphTree)
        node = tree.cursor_node
        assert node.data.value.label == "L1.N2.w0"
        path = node.data.path
        await press(pilot, "s", "s", "f")
        assert tree.cursor_node.data.path == path
        assert tree.cursor_node.data.value.label == "L1.N2.w0"
        # It is the new graph's node, and the parameter itself.
        assert tree.cursor_node.data.value in app.explorer.session.trainer.model.parameters()
        assert tree.root.data.value is app.explorer.snapshot.root


async def test_panel_writes_out_the_chain_rule(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "b")
        app.explorer.jump_to("L3.N1.w0")
        await pilot.pause()
        panel = app.query_one(NodePanel)
        value = panel.value
        assert value.label == "L3.N1.w0"
        text = panel.text
        assert "grad = " in text
        assert "× " in text
        assert "used ×4" in text  # one use per sample
        # The contributions add up to the grad that backward() computed.
        users = app.explorer.snapshot.index.consumers(value)
        assert abs(sum(c.local_grads[i] * c.grad for c, i in users) - value.grad) < 1e-12
        await press(pilot, "u")
        assert "last update" in app.query_one(NodePanel).text
        assert "lr 0.1" in app.query_one(NodePanel).text


async def test_jump_to_a_node_from_the_palette(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"L2.N3.b")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.1)
        assert app.query_one(GraphTree).cursor_node.data.value.label == "L2.N3.b"


async def test_use_counts_show_fan_out(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.explorer.jump_to("L1.N1.w0")
        await pilot.pause()
        tree = app.query_one(GraphTree)
        line = tree.render_label(tree.cursor_node, tree.rich_style, tree.rich_style).plain
        assert "L1.N1.w0" in line
        assert "×4" in line


async def test_deep_chain_is_never_built_at_once(make_app):
    """A graph a million nodes deep: opening the root builds one line, not the chain."""
    from mg_tui.engine import Value

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        x = Value(1.0, "x")
        y = x
        for _ in range(50_000):
            y = y * 1.0
        tree = app.query_one(GraphTree)
        tree.show_graph(y, None)
        await pilot.pause()
        await pilot.press("shift+space", "shift+space", "shift+space")
        await pilot.pause()
        assert built(tree) < 10
