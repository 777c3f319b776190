"""The worker touches the graph again only once the screen has painted it.

The worker waits for `TrainingRunner.drawn` before its next command, so the graph on
screen never changes under the frame that shows it. Here every event is recorded in
order: the snapshot handed to the widgets, each frame written to the terminal, and the
`drawn` call. Each snapshot's first frame must come before its `drawn`.
"""

from __future__ import annotations

from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp

from tests.tui.conftest import idle, press


class RecordsFrames(MgApp):
    """Writes down, in order, 'shown' (a snapshot handed to the widgets), 'frame' (the
    terminal written) and 'drawn' (the worker told it may go on)."""

    def __init__(self) -> None:
        super().__init__(RunConfig())
        self.events: list[str] = []
        explorer = self.explorer
        show, drawn = explorer.show, explorer.runner.drawn

        def recorded_show(snapshot) -> None:
            show(snapshot)
            self.events.append("shown")

        def recorded_drawn() -> None:
            self.events.append("drawn")
            drawn()

        explorer.show = recorded_show
        explorer.runner.drawn = recorded_drawn

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if renderable is not None:
            self.events.append("frame")


async def test_each_snapshot_is_painted_before_the_worker_goes_on() -> None:
    app = RecordsFrames()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.events.clear()
        await press(pilot, "s", "f", "b", "u")
        await idle(pilot)
        events = app.events
        assert events.count("drawn") >= 4, events
        for i, event in enumerate(events):
            if event == "drawn":
                shown = max(j for j in range(i) if events[j] == "shown")
                assert "frame" in events[shown + 1 : i], events
