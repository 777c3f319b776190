"""Never lose a trained model: a recovery file written when the app is cut off.

When the SSH connection drops (SIGHUP), the process is asked to stop (SIGTERM) or the
app meets an unexpected error, the current model, its settings, its training history
and its optimizer state are written to one file in the user's state directory
(`platformdirs.user_state_dir("mg-tui")`, or `$MG_TUI_STATE_DIR`), with
`nn.serialize.save_trainer`, which writes a temporary file and renames it (atomic).
`mg-tui --resume` loads it and carries on with the same step count.

The file is the user's work and nobody else's: 0600 in a 0700 folder. If the state
directory cannot be written (a full disk, a read-only home, a folder someone else
owns), the save falls back to a private folder in the system's temporary directory and
says so; if that fails too, the one line says why, never just "could not save".

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
import stat
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from mg_tui.nn.safe_files import make_private_folder
from mg_tui.tui.core.graphs import is_static

if TYPE_CHECKING:
    from mg_tui.nn.trainer import Trainer
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


def fallback_dir() -> Path:
    """The second place: a folder of this user's own in the system's temporary directory."""
    return Path(tempfile.gettempdir()) / f"mg-tui-{os.getuid()}"


def resumable() -> Path:
    """The newest recovery file this user can trust; ValueError (one line) if there is none.

    A file another user owns, or one in a folder others can write, could be anyone's
    model put there for us to load: refused, not skipped, so the user learns of it.
    """
    found = []
    for folder in (state_dir(), fallback_dir()):
        path = folder / FILENAME
        try:
            info = os.lstat(path)
        except OSError:
            continue
        problem = _untrusted(path, info)
        if problem:
            raise ValueError(f"not resumed: {path} {problem}")
        found.append((info.st_mtime, str(path)))
    if not found:
        raise ValueError(f"nothing to resume: no recovery file at {recovery_path()}")
    return Path(max(found)[1])


def _untrusted(path: Path, info: os.stat_result) -> str:
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_uid != os.getuid():
        return "belongs to another user"
    folder = os.stat(path.parent)
    if folder.st_uid != os.getuid() or folder.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is in a folder other users can write"
    return ""


def discard() -> None:
    """Remove this user's recovery files: the model they held is saved elsewhere."""
    for folder in (state_dir(), fallback_dir()):
        path = folder / FILENAME
        with suppress(OSError):
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid():
                path.unlink()


class Autosave:
    """Writes the recovery file every EVERY_STEPS steps or EVERY_SECONDS, on the worker.

    A kill -9 cannot be caught, so this is what bounds its loss: at most that much work.
    """

    EVERY_STEPS = 50
    EVERY_SECONDS = 30.0

    def __init__(self) -> None:
        self._step = 0
        self._time = time.monotonic()
        self.failure = ""  # why the last autosave failed, shown once by the app

    def after_command(self, trainer: Trainer | None) -> Path | None:
        """Call on the worker after each command, holding the session lock."""
        if trainer is None or is_static(trainer) or trainer.step_count == self._step:
            return None
        due_steps = trainer.step_count - self._step >= self.EVERY_STEPS
        if not due_steps and time.monotonic() - self._time < self.EVERY_SECONDS:
            return None
        self._step, self._time = trainer.step_count, time.monotonic()
        try:
            return save_trainer_privately(trainer)
        except RecoveryFailed as error:
            self.failure = str(error)
            return None


class RecoveryFailed(Exception):
    """No recovery file could be written; the message says why, in one line."""


def save(app: MgApp) -> Path | None:
    """Write the app's current model to the recovery file; None if there is nothing to save.

    Waits (up to LOCK_TIMEOUT) for the worker to finish the command in progress. Tries
    the state directory, then `fallback_dir()`. Raises RecoveryFailed with the reasons
    when both fail; any other error is one of those reasons, never an escape.
    """
    session = app.explorer.session
    if not session.lock.acquire(timeout=LOCK_TIMEOUT):
        raise RecoveryFailed(f"the model stayed busy for {LOCK_TIMEOUT:g} s")
    try:
        network = session.kept_network()  # shown, or aside while an expression is
        if network is None:
            return None
        return save_trainer_privately(network.trainer)
    finally:
        session.lock.release()


def save_trainer_privately(trainer: Trainer) -> Path:
    """The trainer into the recovery file (0600 in a 0700 folder), or into the fallback."""
    from mg_tui.nn.serialize import save_trainer

    reasons = []
    for folder in (state_dir(), fallback_dir()):
        try:
            make_private_folder(folder)
            return save_trainer(folder / FILENAME, trainer, overwrite=True, private=True)
        except Exception as error:  # the model holds a NaN, a full disk…: try the next place
            reasons.append(f"{folder}: {str(error).splitlines()[0] if str(error) else error!r}")
    raise RecoveryFailed("; ".join(reasons))


class Guard:
    """Runs an app so that a signal or a crash saves the model; says where afterwards."""

    def __init__(self, app: MgApp) -> None:
        self.app = app
        self.signal: int | None = None  # the signal that ended the app, if one did
        self.saved: Path | None = None
        self.attempted = False
        self.failure = ""  # why the save failed, when it did
        self.reason = ""  # why it saved, when not a signal or an error
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
        else:
            self._quit_cleanly()
        self._report()
        return status

    def _quit_cleanly(self) -> None:
        """`q`: unsaved steps go to the recovery file (said where); saved ones leave none."""
        network = self.app.explorer.session.kept_network()
        if network is None or network.trainer.step_count == 0:
            return
        trainer = network.trainer
        resumed = network.loaded_from is not None and Path(network.loaded_from).name == FILENAME
        if network.saved_step == trainer.step_count and not resumed:
            discard()
            return
        self.reason = f"quit with {trainer.step_count - (network.saved_step or 0)} unsaved steps"
        self._save_once()

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
            self.app.explorer.pause_training()
        self._save_once()
        self.app.exit(return_code=128 + (self.signal or 0))

    def _save_once(self) -> None:
        if not self.attempted:
            self.attempted = True
            try:
                self.saved = save(self.app)
            except RecoveryFailed as error:
                self.failure = str(error)
            except Exception as error:  # going down: report it, never raise from here
                self.failure = repr(error)

    def _report(self) -> None:
        """One line on stderr, after the terminal is restored (it may be gone: SIGHUP)."""
        if self.saved is None:
            if not self.failure:
                return  # nothing to save (no model yet, or an expression)
            line = f"mg-tui: could not save a recovery file ({self.failure})"
        else:
            why = signal.Signals(self.signal).name if self.signal else "an error"
            line = (
                f"mg-tui: {self.reason or f'stopped by {why}'}; saved the model to "
                f"{self.saved} (continue with: mg-tui --resume)"
            )
        with suppress(OSError, ValueError):
            print(line, file=sys.stderr, flush=True)
