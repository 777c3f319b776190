"""x nudges the selected leaf by h; the pane shows the output move beside grad × h."""

from __future__ import annotations

from collections import deque

from mg_tui.tui.app import MgApp
from mg_tui.tui.components.nudge_pane import NudgePane
from mg_tui.tui.core.graphs import GraphSource

from tests.tui.conftest import idle, press, wait_for

LECTURE = "e = a*b; d = e + c; f = -2.0; L = d*f"


def path_to(root, wanted) -> tuple[int, ...]:
    """The operand path from the root to the first node `wanted` accepts (breadth first)."""
    queue = deque([(root, ())])
    while queue:
        node, path = queue.popleft()
        if wanted(node):
            return path
        queue.extend((child, (*path, i)) for i, child in enumerate(node.inputs))
    raise LookupError("no such node")


def pane_lines(app) -> list[str]:
    return app.query_one(NudgePane).render().plain.splitlines()


async def nudge_shown(pilot) -> None:
    await wait_for(pilot, lambda: bool(pilot.app.query(NudgePane)))
    await pilot.pause()


async def test_nudging_a_in_the_lecture_shows_L_move_by_grad_times_h() -> None:
    app = MgApp()
    app.explorer.start_with_graph(GraphSource.from_expression(LECTURE, {"a": 2, "b": -3, "c": 10}))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await press(pilot, "b")
        app.explorer.tree.expand_path(path_to(app.explorer.snapshot.root, lambda v: v.label == "a"))
        await pilot.pause()
        await pilot.press("x")
        await nudge_shown(pilot)
        # by hand: L = (a*b + c) * f; at a = 2.001: (-6.003 + 10) * -2 = -7.994; dL/da = 6
        assert pane_lines(app) == [
            "a += h = 0.001",
            "L before  -8.0",
            "L after   -7.994",
            "change     0.006  (after - before)",
            "grad × h   6.0 × 0.001 = 0.006",
        ]
        await pilot.press("x")  # the same key undoes it
        await pilot.pause()
        assert not app.query(NudgePane)
        await pilot.press("x")
        await nudge_shown(pilot)
        await pilot.press("escape")  # so does escape, without leaving the expression
        await pilot.pause()
        assert not app.query(NudgePane)
        assert app.explorer.session.static and app.explorer.snapshot.root.label == "L"


async def test_X_changes_h_and_redoes_the_nudge() -> None:
    app = MgApp()
    app.explorer.start_with_graph(GraphSource.from_expression(LECTURE, {"a": 2, "b": -3, "c": 10}))
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.explorer.tree.expand_path(path_to(app.explorer.snapshot.root, lambda v: v.label == "f"))
        await pilot.pause()
        await pilot.press("x")
        await nudge_shown(pilot)
        await pilot.press("X")  # 0.001 -> 0.0001
        await wait_for(pilot, lambda: pane_lines(app)[0] == "f += h = 0.0001")
        # L is linear in f: the change is d * h exactly (d = 4), before backward too
        assert pane_lines(app)[3].split()[1] == "0.0004"
        assert "h = 0.0001" in app.explorer.notice


async def test_a_network_weight_nudge_uses_the_step_on_screen_and_goes_with_the_next(
    make_app,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        root = app.explorer.snapshot.root
        app.explorer.tree.expand_path(path_to(root, lambda v: v.label == "L1.N1.w0"))
        await pilot.pause()
        w = app.explorer.tree.value_of(app.explorer.tree.cursor_node)
        assert w.label == "L1.N1.w0"
        await pilot.press("x")
        await nudge_shown(pilot)
        result = app.query_one(NudgePane).result
        assert result.before == root.data  # the graph on screen, not the updated weights
        assert result.grad == w.grad
        assert abs(result.change - result.predicted) < 1e-2 * abs(result.predicted)
        await press(pilot, "s")  # a new graph: the old nudge's numbers go with the old one
        assert not app.query(NudgePane)


async def test_a_computed_node_cannot_be_nudged(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await pilot.press("x")  # the cursor is on the loss
        await pilot.pause(0.3)
        await idle(pilot)
        assert not app.query(NudgePane)
        assert any("computed" in str(n.message) for n in app._notifications)
