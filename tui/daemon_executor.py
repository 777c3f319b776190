"""An executor whose threads never hold up the exit of the process.

Textual runs thread workers in the event loop's default executor, a
ThreadPoolExecutor, and Python joins those threads at exit. A worker busy with
something that cannot be interrupted (importing scikit-learn, building a big data
set: 1 to 2 s) then keeps `mg-tui` alive after `q`, with the terminal already
restored. The app's worker only ever holds data the process is about to drop, so
its threads may simply stop with the process: quitting takes well under half a
second whatever the worker is doing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class DaemonThreadExecutor(ThreadPoolExecutor):
    """One daemon thread per task; `shutdown()` does not wait for them.

    A ThreadPoolExecutor only in name (asyncio's `set_default_executor` insists on
    one): its pool is never used.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as error:  # handed to whoever awaits the future
                future.set_exception(error)

        threading.Thread(target=run, name="mg-tui-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Nothing to wait for: the threads are daemons and end with the process."""
