"""The loss chart labels its x-axis with whole step numbers."""

from __future__ import annotations

from mg_tui.tui.components.loss_chart import step_ticks


def test_ticks_are_whole_steps_spanning_the_history() -> None:
    assert step_ticks(1, 1) == [1]
    assert step_ticks(1, 2) == [1, 2]
    for first, last in [(1, 7), (1, 1000), (40, 57), (3, 4)]:
        ticks = step_ticks(first, last)
        assert ticks[0] == first and ticks[-1] <= last
        assert all(isinstance(t, int) for t in ticks)
        assert 1 <= len(ticks) <= 5
        assert last - ticks[-1] < (ticks[1] - ticks[0] if len(ticks) > 1 else 1)
