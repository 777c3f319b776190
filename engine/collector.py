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
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
