"""Pictures of the main screen at fixed sizes and seeds (pytest-textual-snapshot).

Regenerate after a deliberate change: pytest -n0 tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp

from tests.tui.conftest import idle, press


def test_start_80x24(snap_compare):
    async def ready(pilot):
        await idle(pilot)

    assert snap_compare(MgApp(RunConfig()), terminal_size=(80, 24), run_before=ready)


def test_after_two_steps_on_a_parameter_80x24(snap_compare):
    async def steps(pilot):
        await idle(pilot)
        await press(pilot, "s", "s")
        pilot.app.explorer.jump_to("L1.N1.w0")
        await pilot.pause()

    assert snap_compare(MgApp(RunConfig()), terminal_size=(80, 24), run_before=steps)


def test_backward_on_a_neuron_120x40(snap_compare):
    async def backward(pilot):
        await idle(pilot)
        await press(pilot, "s", "s", "s", "f", "b")
        pilot.app.explorer.jump_to("L2.N1")
        await pilot.pause()

    assert snap_compare(MgApp(RunConfig()), terminal_size=(120, 40), run_before=backward)


def test_moons_decision_boundary_120x40(snap_compare):
    config = RunConfig(dataset="moons", samples=40, arch=(8, 8), activation="relu", seed=1)

    async def boundary(pilot):
        await idle(pilot, timeout=30)
        await press(pilot, "s", "s", "s", "v")
        await idle(pilot)
        await pilot.pause(0.2)
        await idle(pilot)

    assert snap_compare(MgApp(config), terminal_size=(120, 40), run_before=boundary)
