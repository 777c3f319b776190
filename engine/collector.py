"""Keeping Python's cyclic garbage collector out of the hot path.

Engine graphs hold no reference cycles (nodes store operands and numbers, never
closures), so reference counting frees them the moment the root is dropped. The
cyclic collector still runs, though, triggered by allocation counts, and every
pass walks every young object: building a 40,000-node graph with the collector on
triggers dozens of passes, and each pass over the graph finds nothing to free.

Inside `collector_paused()` the collector is off. On leaving, what the block made
(a new graph, say) is moved into the oldest generation without being scanned, by
`gc.freeze()` then `gc.unfreeze()`, and the allocation count restarts from zero:
otherwise the next young-generation pass would walk the whole graph for nothing.
Cycles that other code made meanwhile are not lost: the next full collection,
which Python runs as usual, frees them. A program that freezes objects itself
(the app does) gets the block's objects frozen too, and thaws when it chooses.

A program's own training loop (micrograd's demo: `total_loss.backward()` in a plain
`for` loop) never enters that block; for it, `backward()` on a big graph opens a
window until that graph is released, with a raised young threshold instead of a
disabled collector (see "the user's own loop" below). Importing the engine changes
nothing; `enable_graph_policy(False)` switches that policy off.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mg_tui.engine.value import Value

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic GC for the block; nestable and safe across threads."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                _promote_unscanned()
                gc.enable()


def _promote_unscanned() -> None:
    """Move every tracked object out of the young generations, unscanned.

    Normally into the oldest generation (`gc.freeze()` then `gc.unfreeze()`). A
    program that keeps objects frozen (`gc.freeze()`, as the app does while you
    explore a graph) must not be thawed by us: there the new objects are frozen too,
    and that program's own policy decides when to thaw and collect.
    """
    already_frozen = gc.get_freeze_count() > 0
    gc.freeze()
    if not already_frozen:
        gc.unfreeze()


# -- the user's own loop ---------------------------------------------------------------
#
# micrograd's demo loop (`total_loss = ...; total_loss.backward(); p.data -= ...`) never
# enters `collector_paused()`. There, from one backward() to the moment its graph is
# released (in the demo: when the next forward pass rebinds `total_loss`), the young
# generation's threshold is raised to a few times the graph's size, so building the next
# graph triggers no collections. When the graph is released, the threshold is restored
# exactly and what was built meanwhile (the new graph) is promoted unscanned, as at the
# end of `collector_paused()`. Bounds: the collector stays enabled (a collection that
# starts anyway ends the window), nothing changes unless the collector is enabled with a
# nonzero threshold, and the promoted objects get a full collection at least every
# FULL_EVERY windows (and no more often than Python's own rule of a quarter of the
# tracked objects), so cycles other code makes between steps are still freed.

MIN_NODES = 2_000  # smaller graphs: the collector costs little there, leave it alone
THRESHOLD_PER_NODE = 4  # a window's young threshold: this many times the graph's nodes
FULL_EVERY = 25  # windows between full collections, at most

_policy_lock = threading.RLock()  # reentrant: gc and weakref callbacks may run inside
_policy_enabled = True
_window: _Window | None = None
_windows_since_full = 0
_nodes_since_full = 0
_tracked_after_full = -1  # objects tracked after our last full collection; -1: never ran


class _Watch(str):
    """The root's op name, copied into a string that dies with the root and then ends
    the window (a Value cannot be weakly referenced; a finalizer can watch its op,
    which no one can reassign: `Value.op` is read-only)."""

    __slots__ = ()

    def __del__(self) -> None:
        _graph_released(id(self))


class _Window:
    __slots__ = ("raised", "saved", "watch")

    def __init__(self, saved: tuple[int, ...], raised: tuple[int, ...], watch: int):
        self.saved = saved  # the program's thresholds, restored exactly
        self.raised = raised  # ours: restored only if the program has not changed them
        self.watch = watch  # id() of the root's _Watch: unique while it is alive


def enable_graph_policy(enabled: bool = True) -> None:
    """Switch the user-loop policy on (the default) or off; off ends any window now."""
    global _policy_enabled
    with _policy_lock:
        _policy_enabled = enabled
        if not enabled:
            _end_window(promote=False)


def graph_policy_enabled() -> bool:
    return _policy_enabled


def graph_differentiated(root: Value, nodes: int) -> None:
    """backward() has finished on `root`'s graph of `nodes` interior nodes (see above)."""
    global _window, _windows_since_full, _nodes_since_full
    if not _policy_enabled:
        return
    with _policy_lock:
        _end_window(promote=True)  # a previous graph still alive: its window ends here
        saved = gc.get_threshold()
        if nodes < MIN_NODES or _depth or not gc.isenabled() or saved[0] == 0:
            return
        _windows_since_full += 1
        _nodes_since_full += nodes
        if _full_collection_due():
            _collect_all()
        else:
            _promote_unscanned()
        raised = (max(saved[0], THRESHOLD_PER_NODE * nodes), *saved[1:])
        watch = root._op
        if type(watch) is not _Watch:
            watch = root._op = _Watch(watch)
        gc.set_threshold(*raised)
        _window = _Window(saved, raised, id(watch))
        if _collection_started not in gc.callbacks:
            gc.callbacks.append(_collection_started)


def _full_collection_due() -> bool:
    if _tracked_after_full < 0:  # first window: measure what a full collection walks
        _note_tracked()
    return _windows_since_full >= FULL_EVERY and 4 * _nodes_since_full >= _tracked_after_full


def _collect_all() -> None:
    global _windows_since_full, _nodes_since_full
    _windows_since_full = _nodes_since_full = 0
    gc.collect()
    _note_tracked()


def _note_tracked() -> None:
    global _tracked_after_full
    _tracked_after_full = len(gc.get_objects())


def _end_window(promote: bool, inside_gc: bool = False) -> None:
    """Restore the program's thresholds; promote what was built meanwhile, unscanned."""
    global _window
    window, _window = _window, None
    if window is not None:
        if gc.get_threshold() == window.raised:  # else the program set its own: keep those
            gc.set_threshold(*window.saved)
        if promote and gc.isenabled() and not _depth:
            _promote_unscanned()
    callbacks = gc.callbacks
    if _collection_started in callbacks and (not inside_gc or callbacks[-1] is _collection_started):
        # Inside gc's own loop over its callbacks only the last one can be removed without
        # skipping another: otherwise ours stays, a no-op, until the next window ends.
        callbacks.remove(_collection_started)


def _graph_released(watch: int) -> None:
    with _policy_lock:
        if _window is not None and _window.watch == watch:
            _end_window(promote=True)


def _collection_started(phase: str, info: dict) -> None:
    """A collection starts while a window is open (the program allocated a window's
    worth without releasing the graph): the window ends, the collection runs as usual."""
    if phase == "start" and _window is not None:
        with _policy_lock:
            _end_window(promote=False, inside_gc=True)
