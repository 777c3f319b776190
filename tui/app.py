"""The mg-tui explorer: a live computation graph, the chain rule per node, and training.

Threads: the Trainer lives in one thread worker (`_run_session`) that takes commands
from a queue (build, step, forward, backward, update, lr, save, load) and, while
playing, trains a step whenever the queue is empty. After each command it posts a
`SessionUpdated` snapshot and waits until the UI has drawn it, so the UI reads a
graph nobody is changing and never falls behind. The UI thread never trains.
While playing, only some steps are shown (tui/core/frame_pacer.py): the others are
trained as `mg-tui train` trains them, and pausing shows the last one.
"""

from __future__ import annotations

import asyncio
import io
import queue
import sys
import threading
import time
from pathlib import Path
from typing import ClassVar

from mg_tui import nn
from mg_tui.nn.config import RunConfig, what_changed
from mg_tui.nn.safe_files import TargetExists, TargetRefused, check_target
from mg_tui.nn.serialize import MARKER as MODEL_MARKER
from mg_tui.nn.serialize import ModelFileError, trainer_text
from mg_tui.tui import colours, export
from mg_tui.tui.commands import NodeJumpProvider, app_commands
from mg_tui.tui.components.confusion_view import ConfusionView
from mg_tui.tui.components.decision_view import DecisionView
from mg_tui.tui.components.graph_drawing import GraphDrawing
from mg_tui.tui.components.graph_tree import GraphTree
from mg_tui.tui.components.loss_chart import LossChart
from mg_tui.tui.components.network_view import NetworkView
from mg_tui.tui.components.neuron_view import NeuronView, neuron_picture_size, neuron_view_reason
from mg_tui.tui.components.node_panel import NodePanel
from mg_tui.tui.components.status_bar import StatusBar
from mg_tui.tui.core.data_editing import why_not_editable
from mg_tui.tui.core.frame_pacer import FramePacer
from mg_tui.tui.core.layout import PANE_TITLES, is_compact, next_pane, pane_line, panes
from mg_tui.tui.core.lessons import LESSONS
from mg_tui.tui.core.session import Command, SaveRequest, Session
from mg_tui.tui.core.snapshot import Snapshot
from mg_tui.tui.daemon_executor import DaemonThreadExecutor
from mg_tui.tui.explorer_actions import ExplorerActions
from mg_tui.tui.keys import MAIN_KEYS, keys_text
from mg_tui.tui.messages import CommandFailed, Diverged, Loading, Saved, SessionUpdated
from mg_tui.tui.nudger import Nudger
from mg_tui.tui.palette import GuardedCommandPalette
from mg_tui.tui.quizzer import Quizzer
from mg_tui.tui.recovery import Autosave, RecoveryFailed, save_trainer_privately
from mg_tui.tui.screens.confirm import ConfirmScreen
from mg_tui.tui.screens.file_prompt import FilePrompt
from mg_tui.tui.screens.help import HelpScreen
from mg_tui.tui.screens.settings import SettingsScreen
from rich.text import Text
from textual import events
from textual.actions import parse as parse_action
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

DEFAULT_MODEL_PATH = "./mg-tui-model.json"
LR_LADDER = tuple(m * 10.0**e for e in range(-5, 3) for m in (1.0, 2.0, 5.0))
PLAY_SWITCH_INTERVAL = 0.001  # seconds; see _set_playing
LOAD_FAILED = "load failed: nothing changed"
PALETTE_ID = "--command-palette"  # Textual's own id for its palette screen
DRAW_TIMEOUT = 1.0  # seconds the worker waits for the UI to draw a snapshot
KEEPS_THE_GRAPH = frozenset({"grid", "lr", "save"})  # commands after which a nudge still holds
PICTURE_VIEWS = ("boundary", "neurons", "network", "confusion")  # the views besides the loss chart
MODE_COMMANDS = frozenset({"build", "load", "graph", "lesson", "network"})  # change which keys work

# Errors a command can meet that the user can act on: shown, then the app goes on.
EXPECTED_ERRORS = (nn.PhaseError, ValueError, OSError, ModelFileError, ImportError)


class MgApp(ExplorerActions):
    """Train an MLP step by step and explore its live computation graph."""

    CSS_PATH = str(Path(__file__).with_name("app.tcss"))  # absolute: subclasses live elsewhere
    TITLE = "mg-tui"
    COMMANDS: ClassVar = App.COMMANDS | {NodeJumpProvider}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = list(MAIN_KEYS)  # tui/keys.py

    playing: reactive[bool] = reactive(False)

    def __init__(self, config: RunConfig | None = None, *, load: str | None = None) -> None:
        super().__init__()
        self.config = config or RunConfig()
        self.session = Session(self.config)
        self.snapshot: Snapshot | None = None
        self.notice = ""  # the status line's last message (diverged, saved…)
        self.loading = f"loading {self.config.data_name}…"
        self._first_command = Command("load", load) if load else Command("build", self.config)
        self._palette: GuardedCommandPalette | None = None  # the last palette opened
        self._commands: queue.Queue[Command] = queue.Queue()
        self._play = threading.Event()  # the worker trains while this is set
        self._drawn = threading.Event()  # the UI has drawn the worker's last snapshot
        self._submitted = 0
        self._answered = 0
        self._switch_interval = sys.getswitchinterval()
        self._pacer = FramePacer()  # while playing, which steps are shown
        self.autosave = Autosave()
        self.nudger = Nudger(self)  # x: nudge the selected leaf by h (tui/nudger.py)
        self.quizzer = Quizzer(self)  # Q: predict each grad before . reveals it
        self.pane = "tree"  # the compact layout's pane on screen
        self._layout: tuple[bool, str] | None = None  # (compact, pane) last applied
        self._colours_dark: bool | None = None  # which semantic colours the console has
        self._use_colours()

    # -- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        yield Static(id="panes")  # the compact layout's pane line (tui/core/layout.py)
        with Horizontal(id="main"):
            tree = GraphTree(id="tree")
            tree.border_title = "graph"
            yield tree
            yield GraphDrawing(id="drawing")  # D: in the tree's place
            with Vertical(id="side"):
                panel = NodePanel(id="node")
                panel.border_title = "node"
                yield panel
                with ContentSwitcher(id="views", initial="chart"):
                    yield LossChart(id="chart")
                    yield DecisionView(id="boundary")
                    yield NeuronView(id="neurons")
                    yield NetworkView(id="network")
                    yield ConfusionView(id="confusion")
        yield Footer(compact=True, show_command_palette=False)

    @property
    def tree(self) -> GraphTree:
        return self.query_one(GraphTree)

    @property
    def panel(self) -> NodePanel:
        return self.query_one(NodePanel)

    @property
    def chart(self) -> LossChart:
        return self.query_one(LossChart)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def on_mount(self) -> None:
        # Thread workers in daemon threads: `q` never waits for an import to finish.
        asyncio.get_running_loop().set_default_executor(DaemonThreadExecutor())
        self.theme_changed_signal.subscribe(self, lambda _theme: self._use_colours())
        self._use_colours()  # --theme was set after __init__
        self.tree.cursor_moved = lambda _node: self._show_node()
        self.tree.focus()
        self.apply_layout()
        self._show_status()
        self.submit(self._first_command)
        # Start training work once the first frame is out, so it never delays that frame.
        self.call_after_refresh(self._start_worker)

    def _use_colours(self) -> None:
        """Give the console the semantic colours (tui/colours.py) for the theme's brightness;
        on a change, draw every text again with them (a Static keeps its colours resolved)."""
        dark = self.current_theme.dark
        if dark == self._colours_dark:
            return
        repaint = self._colours_dark is not None
        if repaint:
            self.console.pop_theme()
        self.console.push_theme(colours.rich_theme(dark))
        self._colours_dark = dark
        if repaint:
            for static in self.main_screen.query(Static):
                static.update(static.content)
            self.tree.refresh_values()

    def notify(self, message: str, *, markup: bool = False, **kwargs) -> None:  # type: ignore[override]
        """Textual's notify, but plain text by default: messages quote paths and input,
        and a `[` in a typed path must not be read as markup (a MarkupError crash)."""
        super().notify(message, markup=markup, **kwargs)

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against a page move it cannot draw (tui/palette.py).

        Not a second one while the first is still among the app's screens: just closed, it is
        off the stack but not yet removed, and Textual's `is_open` looks at the top screen
        only; a second palette with the same id raised DuplicateIds and ended the app (the
        soak found it)."""
        if not self.use_command_palette:
            return
        if self._palette is not None and self._palette.is_attached:
            return  # open, or closing and not yet removed
        self._palette = GuardedCommandPalette(id=PALETTE_ID)
        self.push_screen(self._palette)

    def _start_worker(self) -> None:
        self.run_worker(
            self._run_session, name="session", group="session", thread=True, exit_on_error=False
        )

    # -- the layout for the terminal's size ----------------------------------------------

    @property
    def main_screen(self) -> Screen:
        """The explorer's own screen, also while help or settings are on top of it."""
        return self.screen_stack[0]

    def on_resize(self, event: events.Resize) -> None:
        """The new size's layout at once (the event's size: `self.size` may lag behind)."""
        self.apply_layout(event.size.width, event.size.height)
        self.call_after_refresh(self._request_grid)  # a decision grid sized to the new view

    def apply_layout(self, width: int | None = None, height: int | None = None) -> None:
        """Full (tree beside panel and chart) or compact (one pane, named, `p` for the next)."""
        if width is None or height is None:
            width, height = self.size
        screen = self.main_screen
        compact = is_compact(width, height)
        chart = not (self.session.static or screen.has_class("-static"))
        available = panes(lesson=self.tour_index is not None, chart=chart)
        if self.pane not in available:
            self.pane = "tree"
        screen.set_class(compact, "-compact")
        for pane in PANE_TITLES:
            screen.set_class(compact and pane == self.pane, f"-pane-{pane}")
        views = self.query_one("#views", ContentSwitcher)
        chart_title = views.current if views.current in PICTURE_VIEWS else "chart"
        self.query_one("#panes", Static).update(Text(pane_line(self.pane, available, chart_title)))
        if (compact, self.pane) != self._layout:
            self._layout = (compact, self.pane)
            self.refresh_bindings()  # p shows in the footer only when it does something
            self.call_after_refresh(self._request_grid)  # the boundary may have appeared

    def action_next_pane(self) -> None:
        """Compact layout: show the next pane, and give it the keys (arrows scroll it)."""
        chart = not self.main_screen.has_class("-static")
        self.pane = next_pane(self.pane, panes(lesson=self.tour_index is not None, chart=chart))
        self.apply_layout()
        self.panel.can_focus = self.pane == "node"  # its arrows scroll it, not the hidden tree
        target = {"tree": self.tree, "node": self.panel, "lesson": self.lesson_pane}.get(self.pane)
        if target is not None:
            target.focus()
        else:
            self.main_screen.set_focus(None)  # the chart: no hidden cursor moves

    # -- the training worker -------------------------------------------------------------

    def submit(self, command: Command) -> None:
        """Queue a command for the training worker (processed in order)."""
        self._submitted += 1
        self._commands.put(command)

    @property
    def idle(self) -> bool:
        """Every submitted command has been done and shown (tests and benchmarks wait on it)."""
        return self._answered == self._submitted and not self.playing

    def _answer(self, queued: bool) -> None:
        if queued:
            self._answered += 1

    def _run_session(self) -> None:
        """The worker: one command at a time; a training step whenever playing and idle."""
        worker = get_current_worker()
        while not worker.is_cancelled:
            playing = self._play.is_set() and self.session.trainer is not None
            try:  # playing: the next step at once, unless a command is waiting
                command = self._commands.get(block=not playing, timeout=0.05)
            except queue.Empty:
                if not playing:
                    self.session.idle()
                    continue
                command = Command("step", queued=False)
            self._execute(command, worker)

    def _execute(self, command: Command, worker: Worker) -> None:
        if command.name in ("build", "load"):
            what = command.arg.data_name if isinstance(command.arg, RunConfig) else command.arg
            self.post_message(Loading(f"loading {what or self.config.data_name}…"))
        playing = self._play.is_set()
        # The steps the worker plays by itself are shown when the pacer says (see
        # tui/core/frame_pacer.py); the others make no snapshot and wait for no drawing.
        paced = playing and not command.queued
        show = not paced or self._pacer.due(time.monotonic())
        cpu = time.process_time()
        try:
            snapshot = self.session.run(command, playing=playing, show=show)
        except nn.TrainingDiverged as error:
            self._play.clear()
            snapshot = self.session.snapshot() if self.session.trainer else None
            self.post_message(Diverged(error.reason, snapshot, command.queued))
            return
        except EXPECTED_ERRORS as error:
            if command.name == "step":
                self._play.clear()
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.post_message(CommandFailed(command.name, message, command.queued))
            return
        if command.name == "save":
            self.post_message(Saved(str(self.session.last_saved)))
        self._autosave_now()
        if snapshot is None:  # a step played between frames
            self._pacer.played(time.process_time() - cpu)
            return
        self._drawn.clear()
        self.post_message(SessionUpdated(snapshot, command.name, command.queued))
        # Back-pressure: touch the graph again only once the UI has drawn it.
        deadline = time.monotonic() + DRAW_TIMEOUT
        while not self._drawn.wait(0.02):
            if worker.is_cancelled or time.monotonic() > deadline:
                return
        self.session.bury()  # the UI shows the new graph: free the old one here
        if paced:
            self._pacer.shown(time.process_time() - cpu, time.monotonic())

    def _autosave_now(self) -> None:
        """Every so many steps, the recovery file (tui/recovery.py): a kill -9 loses little."""
        with self.session.lock:
            network = self.session.kept_network()  # shown, or aside during an expression
            self.autosave.after_command(network.trainer if network else None)
        if self.autosave.failure:
            failure, self.autosave.failure = self.autosave.failure, ""
            self.call_from_thread(
                self.notify, f"autosave failed: {failure}", severity="warning", timeout=8
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place for unexpected worker errors: say so, keep the model, go on.

        The training worker is started afresh (paused); any other worker (a gradient
        check) simply ends.
        """
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        kept = self._keep_in_recovery_file()
        if event.worker.name != "session":
            self.notify(f"{event.worker.name} failed: {error!r}; {kept}", severity="error")
            return
        self._answered = self._submitted - self._commands.qsize()  # the lost command
        self._set_playing(False)
        self.notify(f"training worker failed: {error!r}; {kept}", severity="error", timeout=12)
        self.notice = "error: training paused"
        self._show_status()
        self._start_worker()
        if self.session.trainer is None:  # it failed building the first model: the default
            self.loading = ""
            self.submit(Command("build", self.config))

    def _keep_in_recovery_file(self) -> str:
        """After an unexpected error: the model as it is, in the recovery file; says where."""
        network = self.session.kept_network()  # shown, or aside during an expression
        if network is None:
            return "nothing to save"
        try:
            return f"the model is saved to {save_trainer_privately(network.trainer)}"
        except RecoveryFailed as error:
            return f"could not save a recovery file ({error})"

    # -- messages from the worker --------------------------------------------------------

    def on_loading(self, message: Loading) -> None:
        self.loading = message.description
        self._show_status()

    def on_session_updated(self, message: SessionUpdated) -> None:
        self.loading = ""
        if message.command not in KEEPS_THE_GRAPH:
            self.nudger.clear()  # its numbers were of the graph that just went
            self.quizzer.reset()
        if message.command == "load":
            self.notice = "model loaded"
            if self.session.load_warning:
                self.notify(self.session.load_warning, title="Data changed", severity="warning")
        elif message.command == "build" and self.notice != LOAD_FAILED:  # keep why, once
            self.notice = ""
        elif message.command == "edit_data" and self.session.edit_note is not None:
            self.notice = self.session.edit_note.detail  # the status line, where there is room
            self.query_one(DecisionView).note = self.session.edit_note.brief  # beside the edit
        if message.command in ("build", "load", "network"):
            self.config = message.snapshot.config
        self._show(message.snapshot)
        if message.command == "network":
            self.restore_network_view()  # tui/explorer_actions.py: the tree as it was left
        if message.command in MODE_COMMANDS:
            self.refresh_bindings()  # the footer and help show the new mode's keys
        self._answer(message.queued)
        self.call_after_refresh(self._drawn.set)

    def on_diverged(self, message: Diverged) -> None:
        self._answer(message.queued)
        self.nudger.clear()
        self._set_playing(False)
        self.notice = "diverged: paused"
        if message.snapshot is not None:
            self._show(message.snapshot)
        self.notify(
            f"Training diverged ({message.reason}); paused. "
            "Lower the learning rate (-) or reset (r).",
            title="Diverged",
            severity="error",
            timeout=8,
        )
        self._show_status()

    def on_command_failed(self, message: CommandFailed) -> None:
        self._answer(message.queued)
        self.loading = ""
        if message.command == "step":
            self._set_playing(False)
        if message.command == "edit_data":
            self.notice = f"not edited: {message.error}"
        if message.command == "load":
            # A failed load changed nothing; if it was the first command (--load), there is
            # nothing yet, so the app starts on its settings, with the reason on the status.
            self.notice = LOAD_FAILED
            if self.session.trainer is None:
                self.submit(Command("build", self.config))
        self.notify(
            message.error, title=f"{message.command} failed", severity="warning", timeout=10
        )
        self._show_status()

    def on_saved(self, message: Saved) -> None:
        self.notice = "saved"
        self.notify(f"Saved the model to {message.path}", title="Saved")
        self._show_status()

    def _show(self, snapshot: Snapshot) -> None:
        """Hand a snapshot to every widget (cheap: visible lines, one panel, one chart)."""
        self.snapshot = snapshot
        if snapshot.root is not None:
            self.tree.show_graph(snapshot.root, snapshot.index, snapshot.walk)
        self.chart.show(snapshot.history)
        self.query_one(DecisionView).show(
            snapshot.grid,
            snapshot.dataset_xs,
            snapshot.dataset_ys,
            snapshot.threshold,
            snapshot.n_features,
            snapshot.classes,
            snapshot.data_name,
            snapshot.test_xs,
            snapshot.test_ys,
        )
        self.query_one(NeuronView).show(
            snapshot.neurons, snapshot.model, neuron_view_reason(snapshot)
        )
        self.query_one(NetworkView).show(snapshot.model)
        self.query_one(ConfusionView).show(snapshot.confusion, regression=not snapshot.classes)
        self._show_node()
        self._show_status()
        self.show_walk(snapshot)  # tui/explorer_actions.py: stepper progress, layout

    def _show_node(self) -> None:
        self.panel.show(self.tree.value_of(self.tree.cursor_node), self.snapshot)

    def _show_status(self) -> None:
        self.status.show(self.snapshot, self.playing, self.notice, self.loading, self.mode_name)

    @property
    def mode_name(self) -> str:
        """What the screen shows, for the status line: network, expression or lesson N/M."""
        if self.tour_index is not None:
            return f"lesson {self.tour_index + 1}/{len(LESSONS)}"
        return "expression" if self.away else "network"

    # -- actions -------------------------------------------------------------------------

    def _set_playing(self, playing: bool) -> None:
        if playing:
            self._play.set()
        else:
            self._play.clear()
            if self.playing and self.session.trainer is not None:
                self.submit(Command("show"))  # the steps played since the last frame
        # While the worker trains, hand the GIL over more often (default 5 ms), so
        # the UI thread waits less each time it wakes up: smaller gaps between frames.
        sys.setswitchinterval(PLAY_SWITCH_INTERVAL if playing else self._switch_interval)
        self.playing = playing

    def watch_playing(self) -> None:
        self._show_status()

    def action_toggle_play(self) -> None:
        self.notice = ""
        self._set_playing(not self.playing)

    def _phase(self, name: str) -> None:
        """A one-off command pauses play first: the user wants to look.

        While the model loads, commands wait in the queue and run once it is there.
        """
        self._set_playing(False)
        self.notice = ""
        self.submit(Command(name))

    def action_step(self) -> None:
        self._phase("step")

    def action_forward(self) -> None:
        self._phase("forward")

    def action_backward(self) -> None:
        self._phase("backward")

    def action_update(self) -> None:
        self._phase("update")

    def action_reset(self) -> None:
        """New weights from the seed (same settings, lr kept); history cleared."""
        self._set_playing(False)
        self.notice = "reset"
        self.submit(Command("build", self.session.config))

    def action_lr_up(self) -> None:
        self._change_lr(+1)

    def action_lr_down(self) -> None:
        self._change_lr(-1)

    def _change_lr(self, direction: int) -> None:
        lr = self.snapshot.lr if self.snapshot else self.session.config.lr
        if direction > 0:
            new = next((x for x in LR_LADDER if x > lr * 1.0001), LR_LADDER[-1])
        else:
            new = next((x for x in reversed(LR_LADDER) if x < lr * 0.9999), LR_LADDER[0])
        self.submit(Command("lr", float(f"{new:.6g}")))

    def change(self, **settings: object) -> None:
        """Rebuild the model with some settings changed (data set, arch, activation…)."""
        try:
            config = self.session.config.changed(**settings)
        except ValueError as error:
            self.notify(str(error), title="Not changed", severity="warning")
            return
        self.apply_config(config)

    def apply_config(self, config: RunConfig | None) -> None:
        """Run with `config`: a new model, unless only what the running one can take changed
        (nn.config.what_changed: the learning rate keeps the weights and history)."""
        if config is None:
            return
        change = what_changed(self.session.config, config)
        if self.session.trainer is not None and change == "nothing":
            return
        if self.session.trainer is not None and change == "lr":
            self.submit(Command("lr", config.lr))
            return
        self._set_playing(False)
        self.notice = ""
        self.loading = f"loading {config.data_name}…"
        self._show_status()
        self.submit(Command("build", config))

    def action_settings(self, focus: str = "dataset") -> None:
        folder = Path.cwd() if self.is_web else None  # served: CSV files from its folder only
        self.push_screen(SettingsScreen(self.session.config, focus, folder), self.apply_config)

    def action_switch_view(self) -> None:
        """Loss chart or decision boundary, in the same place."""
        views = self.query_one("#views", ContentSwitcher)
        views.current = "boundary" if views.current == "chart" else "chart"
        view = self.query_one(DecisionView)
        if views.current != "boundary" and view.cursor is not None:
            view.action_done()  # editing ends with the view
        self._mark_view()
        self.call_after_refresh(self._request_grid)

    def action_edit_data(self) -> None:
        """i: the boundary view takes the keys, with a cursor cell to add and remove points."""
        reason = self._why_not_editable()
        if reason:
            self.notice = reason
            self._show_status()
            return
        views = self.query_one("#views", ContentSwitcher)
        if views.current != "boundary":
            views.current = "boundary"
            self._mark_view()
            self.call_after_refresh(self._request_grid)
        self.query_one(DecisionView).start_editing()

    def _why_not_editable(self) -> str:
        snapshot = self.snapshot
        if snapshot is None or self.session.static:
            return "cannot edit the data here: there is no network's training set on screen"
        return why_not_editable(snapshot.n_features, snapshot.classes, snapshot.data_name)

    def on_decision_view_edit(self, message: DecisionView.Edit) -> None:
        """A click or a key on the boundary: the worker edits the training set."""
        reason = self._why_not_editable()
        if reason:
            self.notice = reason
            self._show_status()
            return
        self.submit(Command("edit_data", message.request))

    def on_decision_view_refused(self, message: DecisionView.Refused) -> None:
        self.notice = self._why_not_editable() or f"not edited: {message.reason}"
        self._show_status()

    def on_decision_view_done(self, _: DecisionView.Done) -> None:
        self.tree.focus()

    def action_confusion(self) -> None:
        """M: the confusion matrix (each true class against the predicted one), or back to
        the loss chart."""
        views = self.query_one("#views", ContentSwitcher)
        views.current = "confusion" if views.current != "confusion" else "chart"
        self._mark_view()
        self.call_after_refresh(self._request_grid)

    def action_toggle_drawing(self) -> None:
        """D: the graph drawn (tui/components/graph_drawing.py) in the tree's place, or back."""
        drawn = self.main_screen.toggle_class("-drawing").has_class("-drawing")
        (self.query_one(GraphDrawing) if drawn else self.tree).focus()

    def action_nudge(self) -> None:
        """x: nudge the selected leaf by h and show the output move; x again: undo."""
        self.nudger.toggle(self.tree.value_of(self.tree.cursor_node))
        self.refresh_bindings()  # esc undoes a nudge too

    def action_nudge_step(self) -> None:
        """X: the next h for nudges (0.1, 0.01, 0.001, 0.0001)."""
        self.notice = f"nudge h = {self.nudger.cycle_step():g}"
        self._show_status()

    def action_toggle_log_scale(self) -> None:
        """The loss chart's axis: linear or log (shows the chart if the boundary was shown)."""
        views = self.query_one("#views", ContentSwitcher)
        if views.current != "chart":
            views.current = "chart"
            self._mark_view()
            self.call_after_refresh(self._request_grid)
        log = self.chart.toggle_log_scale()
        self.notice = "loss axis: log" if log else "loss axis: linear"
        self._show_status()

    def action_neurons(self) -> None:
        """h: every hidden neuron's picture, or back to the loss chart."""
        self._toggle_view("neurons", NeuronView)

    def action_network(self) -> None:
        """m: the network drawn, every weight an edge (the node panel makes room)."""
        self._toggle_view("network", NetworkView)

    def _toggle_view(self, name: str, widget: type) -> None:
        views = self.query_one("#views", ContentSwitcher)
        showing = views.current == name
        views.current = "chart" if showing else name
        self._mark_view()
        (self.tree if showing else self.query_one(widget)).focus()
        self.call_after_refresh(self._request_grid)

    def _mark_view(self) -> None:
        """The node panel gives room to pictures: all of it to the network, some to others."""
        current = self.query_one("#views", ContentSwitcher).current
        self.main_screen.set_class(current == "network", "-network")
        self.main_screen.set_class(current in ("boundary", "neurons"), "-picture")

    def on_network_view_open(self, message: NetworkView.Open) -> None:
        """Enter on a weight or bias of the drawing: that parameter in the graph tree."""
        self._open_in_tree(message.label)

    def on_neuron_view_open(self, message: NeuronView.Open) -> None:
        """Enter on a neuron's picture: that neuron's output in the graph tree."""
        self._open_in_tree(message.name)

    def _open_in_tree(self, label: str) -> None:
        index = self.snapshot.index if self.snapshot else None
        path = index.path_to(label) if index is not None else None
        if path is None:
            self.notify(f"{label} is not in the graph on screen", severity="warning")
            return
        self.tree.expand_path(path)
        self.tree.focus()

    def _request_grid(self) -> None:
        """Ask the worker for what the view on show draws (a decision grid sized to it, the
        neurons' pictures, the confusion matrix), and for nothing while it is hidden."""
        views = self.query_one("#views", ContentSwitcher)
        view = self.query_one(DecisionView)
        boundary = views.current == "boundary" and view.canvas.size.width > 0
        neurons, network = views.current == "neurons", views.current == "network"
        confusion = views.current == "confusion"
        self.session.grid_size = view.grid_size() if boundary else None
        self.session.neuron_size = neuron_picture_size(self.session) if neurons else None
        self.session.model_wanted = neurons or network
        self.session.confusion_wanted = confusion
        if (boundary or neurons or network or confusion) and self.snapshot is not None:
            self.submit(Command("grid"))

    def action_save(self) -> None:
        if self.is_web:  # served: the visitor's browser gets the file, the server writes none
            self._deliver_model()
            return
        self.push_screen(FilePrompt("Save the model to", DEFAULT_MODEL_PATH), self._save_to)

    def _deliver_model(self) -> None:
        trainer = self.session.trainer
        if trainer is None or self.session.static:
            self.notify("no model to save here", severity="warning")
            return
        if not self.session.lock.acquire(timeout=2.0):
            self.notify("the model is busy: try again", severity="warning")
            return
        try:
            text, step = trainer_text(trainer), trainer.step_count
        except ModelFileError as error:
            self.notify(f"cannot save: {error}", severity="error")
            return
        finally:
            self.session.lock.release()
        self.deliver_text(
            io.StringIO(text),
            save_filename=Path(DEFAULT_MODEL_PATH).name,
            mime_type="application/json",
        )
        self.session.saved_step = step
        self.notice = "saved"
        self.notify("Sent the model to your browser as a download", title="Saved")
        self._show_status()

    def _save_to(self, path: str | None) -> None:
        """Save where the user said, if that is safe; ask before replacing a saved model."""
        if not path:
            return
        overwrite = self.session.wrote_last(path)  # saving again over our own save: no question
        try:
            check_target(path, MODEL_MARKER, overwrite=overwrite)
        except TargetExists as exists:
            question = f"{exists}. Replace it with this model?"

            def answered(yes: bool | None) -> None:
                if yes:
                    self.submit(Command("save", SaveRequest(path, overwrite=True)))

            self.push_screen(ConfirmScreen("Replace the file?", question), answered)
            return
        except TargetRefused as refused:
            self.notify(str(refused), title="Not saved", severity="error", timeout=8)
            return
        self.submit(Command("save", SaveRequest(path, overwrite=overwrite)))

    def action_load(self) -> None:
        self.push_screen(FilePrompt("Load a model from", DEFAULT_MODEL_PATH), self._load_from)

    def _load_from(self, path: str | None) -> None:
        if path and self.is_web and not Path(path).resolve().is_relative_to(Path.cwd().resolve()):
            self.notify(
                f"{path}: served, this app loads only files inside its folder {Path.cwd()}",
                title="Not loaded",
                severity="error",
            )
            return
        if path:
            self._set_playing(False)
            self.submit(Command("load", path))

    def jump_to(self, label: str) -> None:
        """Select the node named `label` (shortest path from the loss), opening the way."""
        index = self.snapshot.index if self.snapshot else None
        path = index.path_to(label) if index is not None else None
        if path is None:
            self.notify(f"no node named {label} in this graph", severity="warning")
            return
        self.tree.expand_path(path)
        self.tree.focus()

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.key_help(), self.mode_name))

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) for every binding that works now, in this mode: no training
        keys on an expression, no tour keys outside the tour (`check_action` decides)."""
        rows = []
        for binding in [*self.BINDINGS, *GraphTree.BINDINGS]:
            assert isinstance(binding, Binding)
            _, action, arguments = parse_action(binding.action)
            if self.check_action(action, arguments) is False:
                continue
            keys = keys_text(binding, self.get_key_display)
            if keys not in (shown for shown, _ in rows):  # the tree repeats space: Play
                rows.append((keys, binding.tooltip or binding.description))
        rows += [
            ("up, down", "Move in the tree"),
            ("enter", "Open or close the node"),
        ]
        return rows

    def action_quit(self) -> None:
        self._set_playing(False)
        self.exit()

    def get_system_commands(self, screen: Screen) -> list[SystemCommand]:
        return [
            *app_commands(self),
            *export.export_commands(self),
            *super().get_system_commands(screen),
        ]

    def action_export_svg(self) -> None:
        export.save_screen(self)  # tui/export.py: SVG of the screen, says where

    def action_export_dot(self) -> None:
        export.save_graph(self)  # tui/export.py: the graph as Graphviz DOT
