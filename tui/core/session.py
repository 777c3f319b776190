"""The training session: one Trainer, the commands that change it, and snapshots of it.

Every method here runs on the training worker's thread (see tui/controllers/training.py),
one command at a time, so the Trainer has a single writer. The UI thread reads the
graph only between commands: the worker waits for the UI to draw each snapshot
before it starts the next command (`TrainingRunner.drawn`).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

from mg_tui.engine import collector_paused
from mg_tui.nn import PhaseError, Trainer
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.nn.losses import confusion_matrix
from mg_tui.nn.serialize import load_trainer, save_trainer
from mg_tui.tui.core.collector_policy import GraphFreezer
from mg_tui.tui.core.data_editing import EditNote, EditRequest, confirmation, edited
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.graphs import GraphSource, StaticTrainer, is_static
from mg_tui.tui.core.model_state import ModelState
from mg_tui.tui.core.neuron_maps import NeuronMaps, neuron_maps, picture_bounds
from mg_tui.tui.core.snapshot import Confusion, Snapshot
from mg_tui.tui.core.walk import BackwardController

GRID_INTERVAL = 0.5  # seconds between decision-grid refreshes while playing


@dataclass(frozen=True)
class Command:
    """One thing for the worker to do: build, graph, step, forward, backward, update, lr, save,
    load, show."""

    name: str
    arg: object = None
    queued: bool = True  # False for the steps the worker makes by itself while playing


@dataclass
class KeptNetwork:
    """The network and everything about it that a side trip (an expression, a lesson) must
    give back exactly: its trainer (step, history, graph, grads), its walk, its index."""

    trainer: Trainer
    backward: BackwardController
    index: GraphIndex | None
    config: RunConfig
    saved_step: int | None
    loaded_from: str | None


@dataclass(frozen=True)
class SaveRequest:
    """Where to save the model, and whether the user agreed to replace a saved model there."""

    path: str
    overwrite: bool = False


class Session:
    """Owns the Trainer; `run()` applies a command and returns what to show."""

    def __init__(self, config: RunConfig) -> None:
        self.config = config
        self.trainer: Trainer | None = None
        self.backward: BackwardController | None = None
        self.index: GraphIndex | None = None
        # Held while a command runs; the UI thread takes it for its own short edits
        # of the graph (the backward stepper) so they never overlap a command.
        self.lock = threading.RLock()
        self.grid_size: tuple[int, int] | None = None  # set by the app when the view shows
        self._grid_time = 0.0
        self._grid = None
        # The neuron pictures' (cols, rows) each, set by the app while that view shows.
        self.neuron_size: tuple[int, int] | None = None
        self.model_wanted = False  # the network view shows: copy the weights each snapshot
        self._neurons = None
        self._neurons_time = 0.0
        self.confusion_wanted = False  # set by the app while the confusion view shows
        self.load_warning = ""  # what the last load found changed in its data
        self.edit_note: EditNote | None = None  # what the last edit of the training set did
        self._confusion: tuple[float, int, Confusion] | None = None  # (time, step, matrix)
        # Graphs the trainer has let go of but the UI may still show. Freeing a moons
        # graph (~40,000 nodes) takes ~20 ms: `bury()` does it here, on the worker,
        # once the UI has moved on, instead of in the UI thread's next repaint.
        self._retired: list[object] = []
        self._shown: object | None = None  # the graph of the last snapshot (the UI's)
        self._freezer = GraphFreezer()  # keeps full collections off the live graph
        self.last_saved: Path | None = None  # the file the last save wrote
        self.saved_step: int | None = None  # the step count it holds
        self.loaded_from: str | None = None  # the file the model was loaded from
        self._last_saved_file: tuple[str, int, int] | None = None  # (real path, inode, mtime)
        # While an expression or a lesson is shown: the user's network, untouched, for
        # the `network` command (Escape) to bring back as it was.
        self.aside: KeptNetwork | None = None
        self.away = False  # an expression or a lesson is shown
        self.home_config = config  # the network to build on the way back if there was none

    # -- commands ---------------------------------------------------------------------

    def run(self, command: Command, *, playing: bool = False, show: bool = True) -> Snapshot | None:
        """Apply `command`; raises nn.TrainingDiverged, PhaseError, ValueError, OSError.

        With `show=False` (a step played between two frames) no snapshot is made, so no
        index either, and the step's graph, never shown, is freed by the next one.
        """
        with self.lock:
            if playing:
                self._freezer.playing()
            handler = getattr(self, f"_do_{command.name}")
            handler(command.arg)
            if not show:
                return None
            return self.snapshot(
                graph_changed=self.trainer.graph is not self._shown, playing=playing
            )

    def _do_build(self, config: RunConfig | None) -> None:
        config = config or self.config
        trainer = build_trainer(config)  # may import scikit-learn: ~1 s the first time
        old = self.trainer
        if old is not None and not self.static and old.base_dataset == trainer.base_dataset:
            trainer.edit_data(old.current_edits)  # a reset: new weights, the same points
        self._adopt(trainer, config)
        self.saved_step = self.loaded_from = None  # a new model: nothing of it is saved

    def _do_graph(self, source: GraphSource) -> None:
        """Explore a graph that is not a network (an expression, a lesson's graph); the
        network waits aside, as it is."""
        self._set_aside()
        self._adopt(StaticTrainer(source), self.config)
        self.away = True

    def _do_lesson(self, config: RunConfig) -> None:
        """A lesson's own network (moons…): built fresh, with the user's network aside."""
        self._set_aside()
        trainer = build_trainer(config)
        self._adopt(trainer, config)
        self.saved_step = self.loaded_from = None
        self.away = True

    def _do_network(self, _: object = None) -> None:
        """Back from an expression or a lesson: the network exactly as it was left (step,
        history, graph, grads, walk); a first network from the settings if there was none."""
        kept, self.aside = self.aside, None
        was_away, self.away = self.away, False
        if kept is None:
            if was_away or self.trainer is None:
                self._do_build(self.home_config)
            return
        self._retire()
        self.trainer, self.backward, self.index = kept.trainer, kept.backward, kept.index
        self.config, self.saved_step, self.loaded_from = (
            kept.config,
            kept.saved_step,
            kept.loaded_from,
        )
        self._grid = None
        self._neurons = None
        self._confusion = None

    def kept_network(self) -> KeptNetwork | None:
        """The user's network, shown or aside; None if there is none (only an expression)."""
        if self.away:
            return self.aside
        if self.trainer is None:
            return None
        return KeptNetwork(
            self.trainer, self.backward, self.index, self.config, self.saved_step, self.loaded_from
        )

    def _set_aside(self) -> None:
        """Keep the network (once: from a lesson to an expression it stays the same one)."""
        if self.aside is None:
            self.aside = self.kept_network()

    @property
    def static(self) -> bool:
        """True while the session shows an expression or a lesson graph, not a network."""
        return is_static(self.trainer)

    def _do_load(self, path: str) -> None:
        trainer = load_trainer(path)
        self.load_warning = trainer.data_warning  # its CSV changed since the save
        self.aside, self.away = None, False  # the loaded model is the network now
        self._adopt(trainer, trainer.config)
        self.loaded_from = path
        self.saved_step = trainer.step_count  # what the file holds is saved

    def _do_save(self, request: SaveRequest) -> None:
        written = save_trainer(request.path, self._trainer(), overwrite=request.overwrite)
        info = os.stat(written)
        self.last_saved = written
        self._last_saved_file = (os.path.realpath(written), info.st_ino, info.st_mtime_ns)
        self.saved_step = self._trainer().step_count

    def wrote_last(self, path: str) -> bool:
        """`path` is the file this session saved last, unchanged since: replace it freely."""
        if self._last_saved_file is None:
            return False
        try:
            info = os.stat(path)
        except OSError:
            return False
        return (os.path.realpath(path), info.st_ino, info.st_mtime_ns) == self._last_saved_file

    def _do_lr(self, lr: float) -> None:
        self._trainer().optimizer.lr = lr
        self.config = replace(self.config, lr=lr, schedule="constant")
        self._trainer().config = self.config

    def _do_edit_data(self, request: EditRequest) -> None:
        """Add or remove a training point. Paused after a forward pass (no walk), the graph
        is built again on the edited set, so the tree, loss and boundary show what the next
        step trains on; mid-step (a walk, or backward done) the edit waits for the next one."""
        trainer = self._trainer()
        if self.static:
            raise PhaseError("no training data here: go back to the network (esc) to edit it")
        edits, what = edited(trainer, request)
        walking = self.backward is not None and self.backward.active
        if trainer.phase == "forward" and not walking:
            trainer.edit_data(edits)  # waits for the forward pass just below
            self._retire()
            trainer.forward()
            now = True
        else:
            now = trainer.edit_data(edits)
        self.edit_note = confirmation(what, edits, trainer, now)
        self._grid = None  # its samples were scored on the old set
        self._confusion = None

    def _do_grid(self, _: object = None) -> None:
        """Nothing to change: the snapshot computes the decision grid now asked for."""

    def _do_show(self, _: object = None) -> None:
        """Nothing to change: a snapshot of the session as it is (play has paused, and the
        last steps it played were not shown)."""

    def _do_forward(self, _: object = None) -> None:
        trainer = self._trainer()
        if self.backward.active or trainer.phase == "forward":
            self.backward.abandon()  # a walk in progress is taken back: grads 0 again
            return  # the graph is already there with every grad 0
        if trainer.phase == "backward" and not self.static:
            raise PhaseError("backward is done: press u to update (or s) before a new forward")
        self._retire()
        trainer.forward()

    def _do_backward(self, _: object = None) -> None:
        trainer = self._trainer()
        if trainer.phase in ("ready", "update"):
            self._retire()
            trainer.forward()
        if trainer.phase == "forward":
            self.backward.run_all()

    def _do_update(self, _: object = None) -> None:
        trainer = self._trainer()
        self.backward.settle()
        if trainer.phase != "backward":
            raise PhaseError(f"update needs the backward phase first (now: {trainer.phase})")
        trainer.update()

    def _do_step(self, _: object = None) -> None:
        """Finish the step in progress, or make a whole new one: forward, backward, update."""
        trainer = self._trainer()
        if self.static:
            trainer.update()  # refuses, with the reason; nothing changes
        self.backward.settle()
        with collector_paused():
            if trainer.phase in ("ready", "update"):
                self._retire()
                trainer.forward()
            if trainer.phase == "forward":
                trainer.backward()
            trainer.update()

    # -- snapshots ----------------------------------------------------------------------

    def snapshot(self, *, graph_changed: bool = False, playing: bool = False) -> Snapshot:
        trainer = self._trainer()
        last = trainer.history[-1] if trainer.history else None
        root = trainer.graph
        self._index()  # only for a graph that is shown: a step played between frames has none
        self._shown = root
        loss = root.data if root is not None else (last.loss if last else None)
        return Snapshot(
            config=self.config,
            architecture=trainer.model.architecture,
            n_features=trainer.dataset.n_features,
            phase=trainer.phase,
            step=trainer.step_count,
            lr=trainer.optimizer.lr,
            history=tuple(trainer.history),
            root=root,
            index=self.index if root is not None else None,
            graph_changed=graph_changed,
            loss=loss,
            accuracy=last.accuracy if last else None,
            before_update=trainer.data_before_update,
            optimizer=getattr(trainer, "optimizer", None),
            optimizer_before=getattr(trainer, "optimizer_before_update", {}),
            last_lr=trainer.last_lr,
            grid=self._decision_grid(playing),
            model=self._model_state(),
            neurons=self._neuron_maps(playing),
            dataset_xs=trainer.dataset.xs,
            dataset_ys=trainer.dataset.ys,
            test_xs=trainer.test.xs if trainer.test is not None else (),
            test_ys=trainer.test.ys if trainer.test is not None else (),
            threshold=trainer.threshold,
            walk=self.backward if self.backward is not None and self.backward.active else None,
            title=getattr(trainer, "title", ""),
            data_name=self.config.data_name if self.config is not None else "",
            classes=tuple(trainer.dataset.classes),
            test_size=len(trainer.test) if trainer.test is not None else 0,
            multi_output=trainer.multi_output,
            confusion=self._confusion_matrix(playing),
        )

    def _confusion_matrix(self, playing: bool) -> Confusion | None:
        """Predicted against true class on every sample, while the view shows; while
        playing, at most every GRID_INTERVAL (it costs a float pass over the data)."""
        trainer = self._trainer()
        if not self.confusion_wanted or not trainer.dataset.classes:
            return None
        now = time.monotonic()
        kept = self._confusion
        if kept is not None and (
            kept[1] == trainer.step_count or (playing and now - kept[0] < GRID_INTERVAL)
        ):
            return kept[2]
        k = trainer.dataset.n_classes

        def matrix(data) -> tuple[tuple[int, ...], ...]:
            counts = confusion_matrix(trainer.predict(data.xs), data.labels, k, trainer.threshold)
            return tuple(tuple(row) for row in counts)

        test = matrix(trainer.test) if trainer.test is not None else None
        confusion = Confusion(
            tuple(trainer.dataset.classes), matrix(trainer.dataset), test, trainer.step_count
        )
        self._confusion = (now, trainer.step_count, confusion)
        return confusion

    def _decision_grid(self, playing: bool):
        trainer = self._trainer()
        if self.grid_size is None or trainer.dataset.n_features != 2 or not trainer.dataset.classes:
            return None
        now = time.monotonic()
        stale = self._grid is None or (self._grid.cols, self._grid.rows) != self.grid_size
        if stale or not playing or now - self._grid_time >= GRID_INTERVAL:
            cols, rows = self.grid_size
            self._grid = trainer.decision_grid(cols, rows)
            self._grid_time = now
        return self._grid

    def _model_state(self) -> ModelState | None:
        trainer = self._trainer()
        if not self.model_wanted or getattr(trainer, "static", False):
            return None
        return ModelState.of(trainer.model)

    def _neuron_maps(self, playing: bool) -> NeuronMaps | None:
        """Every hidden neuron's picture, when the neuron view asks (throttled while playing)."""
        trainer = self._trainer()
        if self.neuron_size is None or getattr(trainer, "static", False):
            return None
        if trainer.dataset.n_features not in (1, 2) or len(trainer.model.layers) < 2:
            return None
        now = time.monotonic()
        stale = self._neurons is None or (self._neurons.cols, self._neurons.rows) != (
            self.neuron_size
        )
        if stale or not playing or now - self._neurons_time >= GRID_INTERVAL:
            cols, rows = self.neuron_size
            self._neurons = neuron_maps(
                ModelState.of(trainer.model), picture_bounds(trainer.dataset), cols, rows
            )
            self._neurons_time = now
        return self._neurons

    # -- freeing old graphs off the UI thread ---------------------------------------------

    def idle(self) -> None:
        """The worker has nothing to do: keep the collector off the graph being explored.

        No lock: it touches no model state, and the UI's stepper must never find the lock
        taken by an idle worker."""
        self._freezer.settle()

    def _retire(self) -> None:
        """Keep the current graph alive until `bury()` if the UI may show it: call before a
        forward pass. A graph no snapshot showed is left to be freed by the forward pass."""
        trainer = self.trainer
        if trainer is not None and trainer.graph is not None and trainer.graph is self._shown:
            self._retired.append((trainer.graph, trainer.predictions, self.index))

    def bury(self) -> None:
        """Drop retired graphs; call once the UI has drawn a newer snapshot."""
        with collector_paused():
            self._retired.clear()
        self._freezer.old_graphs_released()

    # -- helpers ------------------------------------------------------------------------

    def _adopt(self, trainer: Trainer, config: RunConfig) -> None:
        """Make `trainer` current and show its graph straight away (a forward pass)."""
        self._retire()
        self.trainer, self.config = trainer, config
        self.backward = BackwardController(trainer)
        self._grid = None
        self._neurons = None
        self._confusion = None
        trainer.forward()

    def _index(self) -> None:
        """A lazy index for a newly shown graph: walked here, on the worker, only if the
        last one was looked at (the tree or panel will ask again), else when first asked."""
        graph = self._trainer().graph
        if graph is not None and (self.index is None or self.index.root is not graph):
            looked_at = self.index is not None and self.index.looked_at
            self.index = GraphIndex.build(graph, self._trainer().roles)
            if looked_at:
                self.index.prepare()
            self._freezer.graph_built()

    def _trainer(self) -> Trainer:
        if self.trainer is None:
            raise PhaseError("the model is still loading")
        return self.trainer
