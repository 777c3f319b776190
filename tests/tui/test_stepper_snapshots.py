"""Pictures of the stepper mid-walk and of a tour lesson (fixed seeds and sizes).

Regenerate after a deliberate change:
pytest -n0 tests/tui/test_stepper_snapshots.py --snapshot-update
"""

from __future__ import annotations

from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.core.lessons import LESSONS

from tests.tui.conftest import idle, wait_for


def test_stepper_mid_walk_80x24(snap_compare):
    async def walk(pilot):
        await idle(pilot)
        await pilot.press(*["full_stop"] * 6)
        await pilot.pause()

    assert snap_compare(MgApp(RunConfig()), terminal_size=(80, 24), run_before=walk)


def test_tour_fan_out_lesson_120x40(snap_compare):
    app = MgApp()
    app.explorer.start_with_tour(
        next(i for i, x in enumerate(LESSONS) if x.key == "fan-out")
    )  # b = a + a

    async def lesson(pilot):
        await wait_for(pilot, lambda: app.explorer.tour.pane is not None, timeout=30)
        await wait_for(pilot, lambda: "computing" not in app.explorer.tour.pane.text, timeout=30)
        await idle(pilot)
        await pilot.press("full_stop")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=lesson)
