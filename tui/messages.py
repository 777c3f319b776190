"""Messages from the training worker to the widgets (the snapshot they carry: tui/core).

The worker never touches a widget: it posts one of these and the app hands the
snapshot to each widget on the UI thread (as posting and harlequin do).
"""

from __future__ import annotations

from dataclasses import dataclass

from mg_tui.tui.core.snapshot import Snapshot
from textual.message import Message


@dataclass
class Loading(Message):
    """The worker started building a trainer (the data set may take a second)."""

    description: str


@dataclass
class SessionUpdated(Message):
    """A command finished: show this snapshot."""

    snapshot: Snapshot
    command: str
    queued: bool = True  # answers a submitted command (not a step made while playing)


@dataclass
class Diverged(Message):
    """The loss or a grad stopped being finite; training is paused, the model untouched."""

    reason: str
    snapshot: Snapshot | None
    queued: bool = True


@dataclass
class CommandFailed(Message):
    """A command could not be done (a bad file, a phase out of order); the app goes on."""

    command: str
    error: str
    queued: bool = True


@dataclass
class Saved(Message):
    """The model was written to `path`."""

    path: str
