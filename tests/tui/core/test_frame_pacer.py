"""Which played steps are shown (tui/core/frame_pacer.py), on made-up costs and clocks."""

from __future__ import annotations

import pytest
from mg_tui.tui.core.frame_pacer import FramePacer


def test_the_first_step_played_is_shown() -> None:
    assert FramePacer().due(now=0.0)


def test_a_frame_waits_for_its_share_of_cpu_time() -> None:
    pacer = FramePacer(share=0.2, min_interval=0.0, max_interval=1e9)
    pacer.played(0.005)  # the running step cost: 5 ms
    pacer.shown(0.015, now=0.0)  # 15 ms with its step: the frame itself cost 10 ms
    # frames get 20% of the time: 10 ms of frame for every 40 ms of steps
    for _ in range(7):
        pacer.played(0.005)
        assert not pacer.due(now=1.0)  # 35 ms of steps at most
    pacer.played(0.005)
    assert pacer.due(now=1.0)  # 40 ms


def test_never_sooner_than_the_minimum_interval() -> None:
    pacer = FramePacer(share=0.5, min_interval=0.1, max_interval=1.0)
    pacer.shown(0.001, now=10.0)
    pacer.played(5.0)  # far more than the frame's share
    assert not pacer.due(now=10.09)
    assert pacer.due(now=10.11)


def test_never_later_than_the_maximum_interval() -> None:
    pacer = FramePacer(share=0.1, min_interval=0.1, max_interval=1.0)
    pacer.played(0.01)
    pacer.shown(10.0, now=0.0)  # a frame so costly that its share would take minutes
    pacer.played(0.01)
    assert not pacer.due(now=0.99)
    assert pacer.due(now=1.0)


@pytest.mark.parametrize(("step", "frame"), [(0.027, 0.040), (0.27, 0.2), (0.005, 0.05)])
def test_frames_take_about_their_share_of_a_long_run(step: float, frame: float) -> None:
    """A simulated run, every step costing `step` and every frame `frame` more (CPU time
    and wall time alike): frames end up with SHARE of the time, give or take a step."""
    share = 0.15
    pacer = FramePacer(share=share, min_interval=0.0, max_interval=1e9)
    clock = frame_time = 0.0
    while clock < 600.0:
        if pacer.due(clock):
            clock += step + frame
            frame_time += frame
            pacer.shown(step + frame, clock)
        else:
            clock += step
            pacer.played(step)
    # Between two frames: steps worth at least frame * (1 - share) / share, and less
    # than one step more than that.
    steps_between = frame * (1 - share) / share
    low = frame / (frame + steps_between + step + step)
    assert low <= frame_time / clock <= share + 1e-9
