"""Messages from the training worker to the widgets, and the snapshot they carry.

The worker never touches a widget: it posts one of these and the app hands the
snapshot to each widget on the UI thread (as posting and harlequin do).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mg_tui.engine import Value
from mg_tui.nn import DecisionGrid, StepRecord
from mg_tui.nn.config import RunConfig
from mg_tui.tui.backward import BackwardController
from mg_tui.tui.graph_index import GraphIndex
from textual.message import Message


@dataclass(frozen=True)
class Snapshot:
    """The trainer's state after one command, as the widgets show it."""

    config: RunConfig
    architecture: str
    n_features: int
    phase: str  # "ready", "forward", "backward" or "update"
    step: int  # completed training steps
    lr: float
    history: tuple[StepRecord, ...]
    root: Value | None  # the current graph's loss, None before the first forward pass
    index: GraphIndex | None
    graph_changed: bool  # a new graph (a forward pass) since the previous snapshot
    loss: float | None
    accuracy: float | None
    before_update: dict[Value, float] = field(default_factory=dict)
    last_lr: float | None = None
    grid: DecisionGrid | None = None
    dataset_xs: tuple[tuple[float, ...], ...] = ()
    dataset_ys: tuple[float, ...] = ()
    threshold: float = 0.0
    # The backward walk in progress (the live controller: finality, progress), if any.
    walk: BackwardController | None = None
    # Set for a graph that is not a network (an expression, a lesson): shown as its name.
    title: str = ""


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
