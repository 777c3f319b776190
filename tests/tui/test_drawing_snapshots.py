"""Pictures of the graph drawn (D) for tanh(a*b + c), at 80x24 and 120x40, two nodes into
the backward walk: the node just processed in a double frame, grads partly filled in.

Regenerate after a deliberate change, then read each picture before committing:
pytest -n0 tests/tui/test_drawing_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from mg_tui.tui.app import MgApp
from mg_tui.tui.components.graph_drawing import GraphDrawing
from mg_tui.tui.core.graphs import GraphSource

from tests.tui.conftest import idle, press, wait_for

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_drawing(snap_compare, size):
    app = MgApp()
    app.explorer.start_with_graph(
        GraphSource.from_expression("tanh(a*b + c)", {"a": 2, "b": -3, "c": 10})
    )

    async def walk(pilot):
        await idle(pilot)
        await press(pilot, "D", "full_stop", "full_stop")
        drawing = pilot.app.query_one(GraphDrawing)
        walked = pilot.app.explorer.snapshot.walk.last_interior.node
        await wait_for(pilot, lambda: drawing.drawing is not None and drawing.current is walked)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=size, run_before=walk)
