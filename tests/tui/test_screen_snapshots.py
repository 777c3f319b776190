"""Pictures of every screen a learner meets, at 80x24 and 120x40, and of the compact layout
at 60x20 and 40x12 (pytest-textual-snapshot; fixed seeds).

Regenerate after a deliberate change, then read each picture before committing:
pytest -n0 tests/tui/test_screen_snapshots.py --snapshot-update
"""

from __future__ import annotations

import pytest
from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp

from tests.tui.conftest import idle, press, wait_for

SIZES = [(80, 24), (120, 40)]
MOONS = RunConfig(dataset="moons", samples=40, arch=(8, 8), activation="relu", seed=1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_stepper(snap_compare, size):
    async def walk(pilot):
        await idle(pilot)
        await press(pilot, "s", "f", *["full_stop"] * 5)

    assert snap_compare(MgApp(RunConfig()), terminal_size=size, run_before=walk)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, size):
    async def help_(pilot):
        await idle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(MgApp(RunConfig()), terminal_size=size, run_before=help_)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_settings(snap_compare, size):
    async def settings(pilot):
        await idle(pilot)
        await pilot.press("o")
        await pilot.pause()

    assert snap_compare(MgApp(RunConfig()), terminal_size=size, run_before=settings)


def test_boundary_80x24(snap_compare):
    async def boundary(pilot):
        await idle(pilot, timeout=30)
        await press(pilot, "s", "s", "s", "v")
        await pilot.pause(0.2)
        await idle(pilot)

    assert snap_compare(MgApp(MOONS), terminal_size=(80, 24), run_before=boundary)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_boundary_editing(snap_compare, size):
    """Test points beside the training points, the key cursor, one point added by a key."""

    async def editing(pilot):
        await idle(pilot, timeout=30)
        await press(pilot, "s", "s", "s", "v")
        await pilot.pause(0.2)
        await press(pilot, "i", "left", "left", "up", "enter", "down", "down")
        await pilot.pause(0.2)
        await idle(pilot)
        await pilot.pause(0.2)

    split = RunConfig(
        dataset="moons", samples=40, arch=(8, 8), activation="relu", seed=1, test_fraction=0.25
    )
    assert snap_compare(MgApp(split), terminal_size=size, run_before=editing)


@pytest.mark.parametrize("size", [(60, 20), (40, 12)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_compact_node_pane(snap_compare, size):
    async def node_pane(pilot):
        await idle(pilot)
        await press(pilot, "s", "p")

    assert snap_compare(MgApp(RunConfig()), terminal_size=size, run_before=node_pane)


def test_expression_80x24(snap_compare):
    from mg_tui.tui.core.graphs import GraphSource

    app = MgApp()
    app.explorer.start_with_graph(
        GraphSource.from_expression("tanh(a*b + c)", {"a": 2, "b": -3, "c": 10})
    )

    async def walk(pilot):
        await idle(pilot)
        await press(pilot, "full_stop", "full_stop")

    assert snap_compare(app, terminal_size=(80, 24), run_before=walk)


async def _open_view(pilot, key: str, ready) -> None:
    """Three steps on moons, then `key`; wait until the view has drawn (never "computing…")."""
    await idle(pilot, timeout=30)
    await press(pilot, "s", "s", "s", key)
    await wait_for(pilot, ready, timeout=30)
    await idle(pilot)
    await pilot.pause(0.2)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_neuron_view(snap_compare, size):
    """h: every hidden neuron's picture, labelled L1.N1 …, after three steps."""
    from mg_tui.tui.components.neuron_view import NeuronView

    async def neurons(pilot):
        await _open_view(pilot, "h", lambda: pilot.app.query_one(NeuronView).maps is not None)

    assert snap_compare(MgApp(MOONS), terminal_size=size, run_before=neurons)


@pytest.mark.parametrize(
    ("size", "arch"), [((80, 24), (8, 8)), ((120, 40), (16, 16))], ids=["80x24", "120x40"]
)
def test_network_view(snap_compare, size, arch):
    """m: the MLP drawn, every weight an edge coloured by its value; 2-16-16-1 at 120x40."""
    from mg_tui.tui.components.network_view import NetworkView

    async def network(pilot):
        await _open_view(pilot, "m", lambda: pilot.app.query_one(NetworkView).model is not None)

    config = RunConfig(dataset="moons", samples=40, arch=arch, activation="relu", seed=1)
    assert snap_compare(MgApp(config), terminal_size=size, run_before=network)
