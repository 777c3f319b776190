"""The snapshot the widgets are drawn from: the trainer's state after one command.

The worker makes one after every command and the UI thread reads only it (and the graph it
points to, which nobody changes until the UI has drawn it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mg_tui.engine import Value
from mg_tui.nn import DecisionGrid, StepRecord
from mg_tui.nn.config import RunConfig
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.model_state import ModelState
from mg_tui.tui.core.neuron_maps import NeuronMaps
from mg_tui.tui.core.walk import BackwardController


@dataclass(frozen=True)
class Confusion:
    """How often each true class (row) was predicted as each class (column), on the whole
    training split and, with a split, the test split."""

    classes: tuple[str, ...]
    train: tuple[tuple[int, ...], ...]
    test: tuple[tuple[int, ...], ...] | None = None
    step: int = 0  # the model after this many steps


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
    # The optimizer and its state before the last update: the panel writes that update out.
    optimizer: object | None = None
    optimizer_before: dict = field(default_factory=dict)
    grid: DecisionGrid | None = None
    model: ModelState | None = None  # the weights and grads, copied (None off a network)
    neurons: NeuronMaps | None = None  # the hidden neurons' pictures, while they show
    dataset_xs: tuple[tuple[float, ...], ...] = ()
    dataset_ys: tuple[float, ...] = ()
    test_xs: tuple[tuple[float, ...], ...] = ()  # the held-out samples (drawn, never trained)
    test_ys: tuple[float, ...] = ()
    threshold: float = 0.0
    # The backward walk in progress (the live controller: finality, progress), if any.
    walk: BackwardController | None = None
    # Set for a graph that is not a network (an expression, a lesson): shown as its name.
    title: str = ""
    data_name: str = ""  # the data set's name, or the CSV file's
    classes: tuple[str, ...] = ()  # the class names in label order; () for regression
    test_size: int = 0  # samples held out as a test set (0: no split)
    multi_output: bool = False  # K outputs: the decision grid holds classes, not scores
    confusion: Confusion | None = None  # computed while the confusion view shows

    @property
    def test_loss(self) -> float | None:
        """The test set's loss at the last step (None before it, or without a split)."""
        return self.history[-1].test_loss if self.history else None

    @property
    def test_accuracy(self) -> float | None:
        return self.history[-1].test_accuracy if self.history else None
