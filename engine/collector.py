"""Keeping Python's cyclic garbage collector out of the hot path.

Engine graphs hold no reference cycles (nodes store operands and numbers, never
closures), so reference counting frees them the moment the root is dropped. The
cyclic collector still runs, though, triggered by allocation counts: building a
40,000-node graph triggers dozens of collections, and every full one walks every
live object. Inside `collector_paused()` the collector is off; since our graphs
make no cycles, nothing leaks, and whatever cycles other code makes are collected
once it is back on.
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
                gc.enable()
