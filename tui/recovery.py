"""Never lose a trained model: a recovery file written when the app is cut off.

When the SSH connection drops (SIGHUP), the process is asked to stop (SIGTERM) or the
app meets an unexpected error, the current model, its settings, its training history
and its optimizer state are written to one file in the user's state directory
(`platformdirs.user_state_dir("mg-tui")`, or `$MG_TUI_STATE_DIR`), with
`nn.serialize.save_trainer`, which writes a temporary file and renames it (atomic).
`mg-tui --resume` loads it and carries on with the same step count.

Consistency: the Trainer lives in the session worker's thread, and the worker holds
`session.lock` for the whole of each command (a step is forward, backward and update
under one lock). Saving takes the same lock, so it waits for the step in progress to
finish and never sees a half-updated model. A step left half-done by the user (after
`f` or `b`) is saved as it is: the parameters and history of the last whole step.

Signals arrive on the main thread, which is the thread of Textual's event loop; the
handler only hands the work to the loop (`call_soon_threadsafe`, which also wakes it),
where the model is saved and `app.exit()` restores the terminal.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mg_tui.tui.app import MgApp

ENV_STATE_DIR = "MG_TUI_STATE_DIR"
FILENAME = "recovery.json"
LOCK_TIMEOUT = 5.0  # seconds to wait for a training step in progress to finish
SIGNALS = (signal.SIGHUP, signal.SIGTERM)


def state_dir() -> Path:
    """Where recovery files live: `$MG_TUI_STATE_DIR`, else the platform's state directory."""
    override = os.environ.get(ENV_STATE_DIR)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir("mg-tui", appauthor=False))


def recovery_path() -> Path:
    return state_dir() / FILENAME


def save(app: MgApp) -> Path | None:
    """Write the app's current model to the recovery file; None if there is nothing to save.

    Waits (up to LOCK_TIMEOUT) for the worker to finish the command in progress.
    Never raises: it runs while the app is going down.
    """
    from mg_tui.nn.serialize import save_trainer

    session = app.session
    if not session.lock.acquire(timeout=LOCK_TIMEOUT):
        return None
    try:
        if session.trainer is None:
            return None
        path = recovery_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return save_trainer(path, session.trainer)
    except Exception:  # the model holds a NaN, the disk is full…: nothing better to do
        return None
    finally:
        session.lock.release()


class Guard:
    """Runs an app so that a signal or a crash saves the model; says where afterwards."""

    def __init__(self, app: MgApp) -> None:
        self.app = app
        self.signal: int | None = None  # the signal that ended the app, if one did
        self.saved: Path | None = None
        self.attempted = False
        self._previous: dict[int, object] = {}

    def run(self, *, headless: bool = False) -> int:
        """Run the app; return the process exit status (0, 1 for an error, 128+signal)."""
        self._install()
        try:
            self.app.run(headless=headless)
        except BaseException:
            self._save_once()
            self._report()
            raise
        finally:
            self._restore()
        status = self.app.return_code or 0
        if self.signal is not None:
            status = 128 + self.signal
        elif status != 0:  # an unexpected error: Textual printed it and exited
            self._save_once()
        self._report()
        return status

    # -- signals ---------------------------------------------------------------------

    def _install(self) -> None:
        for signum in SIGNALS:
            with suppress(ValueError, OSError):  # not the main thread: leave them be
                self._previous[signum] = signal.signal(signum, self._on_signal)

    def _restore(self) -> None:
        for signum, handler in self._previous.items():
            with suppress(ValueError, OSError, TypeError):
                signal.signal(signum, handler)  # type: ignore[arg-type]

    def _on_signal(self, signum: int, _frame: object) -> None:
        """In the main thread, between two bytecodes of the loop: hand over to the loop."""
        if self.signal is not None:
            return  # already going down
        self.signal = signum
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # the app is not running yet, or not any more
            self._save_once()
            return
        loop.call_soon_threadsafe(self._shut_down)

    def _shut_down(self) -> None:
        """On the loop: pause, save from a consistent state, then exit and restore the tty."""
        with suppress(Exception):
            self.app._set_playing(False)
        self._save_once()
        self.app.exit(return_code=128 + (self.signal or 0))

    def _save_once(self) -> None:
        if not self.attempted:
            self.attempted = True
            self.saved = save(self.app)

    def _report(self) -> None:
        """One line on stderr, after the terminal is restored (it may be gone: SIGHUP)."""
        if self.saved is None:
            if self.attempted:
                line = "mg-tui: could not save a recovery file"
            else:
                return
        else:
            why = signal.Signals(self.signal).name if self.signal else "an error"
            line = (
                f"mg-tui: stopped by {why}; saved the model to {self.saved} "
                "(continue with: mg-tui --resume)"
            )
        with suppress(OSError, ValueError):
            print(line, file=sys.stderr, flush=True)
