"""The app's garbage-collector policy: while you explore, the live graph is never scanned.

Graphs have no reference cycles, so the cyclic collector can never free any of them;
but a full collection still walks every live object, and with a moons graph alive
(about 80,000 tracked objects) that is a pause of 100 to 200 ms on whichever thread
triggers it, often the UI thread (measured with bench/app.py: one node expansion in
eleven took 168 ms, all of it a full collection).

So when the worker goes idle with a new graph on screen, `gc.freeze()` moves
everything alive into the permanent generation, which collections skip; reference
counting still frees a frozen graph the moment the app lets it go. Objects frozen
with it that later become cyclic garbage (Textual's, about 1,400 a step) wait there,
so once in `THAW_EVERY` graphs the worker thaws everything and runs one full
collection. While training plays, everything is thawed: the engine's
`collector_paused()` then moves each step's graph to the oldest generation unscanned,
which keeps playing fast (freezing every step instead measured 6.7 steps a second
rather than 8.7, and the periodic thaw-and-collect a 350 ms hitch).
"""

from __future__ import annotations

import gc

THAW_EVERY = 100  # graphs between full collections while stepping by hand


class GraphFreezer:
    """Freezes live graphs when the worker is idle; thaws and collects now and then."""

    def __init__(self, thaw_every: int = THAW_EVERY) -> None:
        self.thaw_every = thaw_every
        self.graphs_since_thaw = 0
        self._unsettled = False

    def graph_built(self) -> None:
        """A new graph is live (call on the worker, between commands)."""
        self.graphs_since_thaw += 1
        self._unsettled = True

    def old_graphs_released(self) -> None:
        """The best moment for a due full collection: only the current graph is alive."""
        if self.graphs_since_thaw >= self.thaw_every:
            self.graphs_since_thaw = 0
            gc.unfreeze()
            gc.collect()
            gc.freeze()

    def playing(self) -> None:
        """Training plays: thaw (instantly), so each step's graph is handled by the
        engine's `collector_paused()` as usual and playing keeps its speed."""
        if gc.get_freeze_count():
            gc.unfreeze()

    def settle(self) -> None:
        """Call when idle: freeze what is alive, the graph on screen included."""
        if self._unsettled:
            self._unsettled = False
            gc.freeze()
