"""While training plays, which steps the screen shows: drawing gets a bounded share of the time.

Showing a step (its snapshot and graph index, the UI drawing it, then freeing the graph
it replaces) costs as much as a step or more, and the worker waits for it: showing every
step would halve the play rate. So a step is shown once the steps played since the last
frame have cost (1 - SHARE) / SHARE times what that frame cost, in CPU time, but never
sooner than MIN_INTERVAL after it nor later than MAX_INTERVAL (wall clock). CPU time, not
wall time: on a busy machine steps and frames slow down alike, so frames keep their share
instead of coming every few steps. The steps in between are trained as `mg-tui train`
trains them, and a bigger graph (1,000 samples) simply gets fewer frames a second.
"""

from __future__ import annotations

import math

SHARE = 0.12  # of the CPU time while playing, at most, for frames (about 3 a second on moons)
MIN_INTERVAL = 0.1  # seconds between frames, at least (10 a second at most)
MAX_INTERVAL = 1.0  # seconds between frames, at most, however much a frame costs


class FramePacer:
    """Decides, step by step while playing, whether the next step is shown."""

    def __init__(
        self,
        share: float = SHARE,
        min_interval: float = MIN_INTERVAL,
        max_interval: float = MAX_INTERVAL,
    ) -> None:
        self.share = share
        self.min_interval = min_interval
        self.max_interval = max_interval
        self.frame_cpu = 0.0  # CPU seconds the last frame cost, beyond its step
        self.step_cpu: float | None = None  # CPU seconds of a step not shown (running mean)
        self.cpu_since_frame = 0.0  # CPU seconds of the steps played since the last frame
        self.last_frame = -math.inf  # when it was shown (monotonic seconds)

    def due(self, now: float) -> bool:
        """Show the step about to be played? (`now`: time.monotonic())"""
        elapsed = now - self.last_frame
        if elapsed < self.min_interval:
            return False
        if elapsed >= self.max_interval:
            return True
        return self.cpu_since_frame * self.share >= self.frame_cpu * (1.0 - self.share)

    def played(self, cpu: float) -> None:
        """A step was played and not shown; it cost `cpu` CPU seconds."""
        self.cpu_since_frame += cpu
        self.step_cpu = cpu if self.step_cpu is None else 0.75 * self.step_cpu + 0.25 * cpu

    def shown(self, cpu: float, now: float) -> None:
        """A step was played and shown: `cpu` CPU seconds for both, until the UI had drawn
        it and the graph it replaced was freed; `now` when that was done."""
        step = self.step_cpu if self.step_cpu is not None else 0.0
        self.frame_cpu = max(cpu - step, 0.0)
        self.cpu_since_frame = 0.0
        self.last_frame = now
