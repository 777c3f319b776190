"""The explorer: a live computation graph, the chain rule per node, and training.

The app's one main screen. It owns every key (tui/keys.py) and its action, and what
the worker's messages change on screen. The work behind an action is a controller's
(tui/controllers/): the training worker, the stepper, the gradient check, the tour,
the nudge, the quiz and the model's files; each is handed this screen as the host it
names in a `Protocol`.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from mg_tui.nn.config import RunConfig, what_changed
from mg_tui.tui import export
from mg_tui.tui.commands import NodeJumpProvider, app_commands
from mg_tui.tui.components.confusion_view import ConfusionView
from mg_tui.tui.components.decision_view import DecisionView
from mg_tui.tui.components.graph_drawing import GraphDrawing
from mg_tui.tui.components.graph_tree import GraphTree, TreeView
from mg_tui.tui.components.loss_chart import LossChart
from mg_tui.tui.components.network_view import NetworkView
from mg_tui.tui.components.neuron_view import NeuronView, neuron_picture_size, neuron_view_reason
from mg_tui.tui.components.node_panel import NodePanel
from mg_tui.tui.components.status_bar import StatusBar
from mg_tui.tui.controllers.gradient_checker import GradientChecker
from mg_tui.tui.controllers.model_files import ModelFiles
from mg_tui.tui.controllers.nudger import Nudger
from mg_tui.tui.controllers.quizzer import Quizzer
from mg_tui.tui.controllers.stepper import Stepper
from mg_tui.tui.controllers.tour import Tour
from mg_tui.tui.controllers.training import WORKER_NAME, TrainingRunner
from mg_tui.tui.core.data_editing import why_not_editable
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.core.layout import PANE_TITLES, is_compact, next_pane, pane_line, panes
from mg_tui.tui.core.session import Command, Session
from mg_tui.tui.core.snapshot import Snapshot
from mg_tui.tui.keys import MAIN_KEYS, keys_text
from mg_tui.tui.messages import CommandFailed, Diverged, Loading, Saved, SessionUpdated
from mg_tui.tui.recovery import RecoveryFailed, save_trainer_privately
from mg_tui.tui.screens.expression_form import ExpressionForm
from mg_tui.tui.screens.help import HelpScreen
from mg_tui.tui.screens.settings import SettingsScreen
from rich.text import Text
from textual.actions import parse as parse_action
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static
from textual.worker import Worker, WorkerState

LR_LADDER = tuple(m * 10.0**e for e in range(-5, 3) for m in (1.0, 2.0, 5.0))
LOAD_FAILED = "load failed: nothing changed"
KEEPS_THE_GRAPH = frozenset({"grid", "lr", "save"})  # commands after which a nudge still holds
PICTURE_VIEWS = ("boundary", "neurons", "network", "confusion")  # the views besides the loss chart
MODE_COMMANDS = frozenset({"build", "load", "graph", "lesson", "network"})  # change which keys work

# Training-only actions: hidden (and refused) while exploring an expression or lesson graph.
TRAINING_ACTIONS = frozenset(
    {
        "step",
        "toggle_play",
        "update",
        "lr_up",
        "lr_down",
        "settings",
        "save",
        "switch_view",
        "confusion",
        "toggle_log_scale",
        "neurons",
        "network",
        "reset",
    }
)
TOUR_ACTIONS = frozenset({"next_lesson", "previous_lesson"})


class ExplorerScreen(Screen[None]):
    """Train an MLP step by step and explore its live computation graph."""

    COMMANDS: ClassVar = {NodeJumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = list(MAIN_KEYS)  # tui/keys.py

    playing: reactive[bool] = reactive(False)

    def __init__(self, config: RunConfig | None = None, *, load: str | None = None) -> None:
        super().__init__()
        self.config = config or RunConfig()
        self.session = Session(self.config)
        self.snapshot: Snapshot | None = None
        self.notice = ""  # the status line's last message (diverged, saved…)
        self.loading_text = f"loading {self.config.data_name}…"
        self.first_command = Command("load", load) if load else Command("build", self.config)
        self.runner = TrainingRunner(self.session, self)
        self.nudger = Nudger(self)  # x: nudge the selected leaf by h
        self.quizzer = Quizzer(self)  # Q: predict each grad before . reveals it
        self.stepper = Stepper(self, self.quizzer)  # . , F w: backprop node by node
        self.checker = GradientChecker(self)  # c C
        self.tour = Tour(self)  # t < >
        self.files = ModelFiles(self)  # ctrl+s ctrl+o
        self.pane = "tree"  # the compact layout's pane on screen
        self._layout: tuple[bool, str] | None = None  # (compact, pane) last applied
        self._tour_on_mount: int | None = None
        # The network's tree and view as the user left them for an expression or a lesson.
        self._network_view: tuple[TreeView, str] | None = None

    # -- what it starts on (before the app runs) -------------------------------------------

    def start_with_graph(self, source: GraphSource) -> None:
        """Open on `source`'s graph instead of the network (mg-tui expr)."""
        self.first_command = Command("graph", source)

    def start_with_tour(self, number: int = 0) -> None:
        """Open on lesson `number` (mg-tui tour)."""
        self.first_command = Tour.command(number)
        self._tour_on_mount = number

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

    @property
    def views(self) -> ContentSwitcher:
        return self.query_one("#views", ContentSwitcher)

    def on_mount(self) -> None:
        self.tree.cursor_moved = lambda _node: self._show_node()
        self.tree.focus()
        self.apply_layout()
        self.show_status()
        self.submit(self.first_command)
        if self._tour_on_mount is not None:
            self.tour.open(self._tour_on_mount, load=False)
        # Start training work once the first frame is out, so it never delays that frame.
        self.call_after_refresh(self.runner.start)

    def on_unmount(self) -> None:
        self.runner.play(False)  # the switch interval as it was

    def repaint(self) -> None:
        """Draw every text again (after the theme's semantic colours changed: a Static
        keeps its colours resolved)."""
        for static in self.query(Static):
            static.update(static.content)
        self.tree.refresh_values()

    def notify(self, message: str, **kwargs) -> None:  # type: ignore[override]
        """The app's notify (plain text by default: MgApp.notify), not Widget's markup."""
        self.app.notify(message, **kwargs)

    # -- the layout for the terminal's size ----------------------------------------------

    def apply_layout(self, width: int | None = None, height: int | None = None) -> None:
        """Full (tree beside panel and chart) or compact (one pane, named, `p` for the next)."""
        if width is None or height is None:
            width, height = self.app.size
        compact = is_compact(width, height)
        chart = not (self.session.static or self.has_class("-static"))
        available = panes(lesson=self.tour.index is not None, chart=chart)
        if self.pane not in available:
            self.pane = "tree"
        self.set_class(compact, "-compact")
        for pane in PANE_TITLES:
            self.set_class(compact and pane == self.pane, f"-pane-{pane}")
        current = self.views.current
        chart_title = current if current in PICTURE_VIEWS else "chart"
        self.query_one("#panes", Static).update(Text(pane_line(self.pane, available, chart_title)))
        if (compact, self.pane) != self._layout:
            self._layout = (compact, self.pane)
            self.refresh_bindings()  # p shows in the footer only when it does something
            self.call_after_refresh(self._request_grid)  # the boundary may have appeared

    def resized(self, width: int, height: int) -> None:
        """The terminal's new size (from the app: also while another screen is on top)."""
        if not self.is_mounted:
            return  # the app's first size comes before this screen exists: on_mount lays out
        self.apply_layout(width, height)
        self.call_after_refresh(self._request_grid)  # a decision grid sized to the new view

    def action_next_pane(self) -> None:
        """Compact layout: show the next pane, and give it the keys (arrows scroll it)."""
        chart = not self.has_class("-static")
        self.pane = next_pane(self.pane, panes(lesson=self.tour.index is not None, chart=chart))
        self.apply_layout()
        self.panel.can_focus = self.pane == "node"  # its arrows scroll it, not the hidden tree
        target = {"tree": self.tree, "node": self.panel, "lesson": self.tour.pane}.get(self.pane)
        if target is not None:
            target.focus()
        else:
            self.set_focus(None)  # the chart: no hidden cursor moves

    # -- which keys apply now -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide training keys on a graph without parameters, tour keys outside the tour."""
        if action in TRAINING_ACTIONS and self.session.static:
            return False
        if action == "leave_mode":
            return self.away or self.nudger.pane is not None
        if action == "next_pane":
            return bool(self._layout and self._layout[0])  # compact
        return not (action in TOUR_ACTIONS and self.tour.index is None)

    @property
    def away(self) -> bool:
        """An expression or a lesson is shown (or on its way): Escape goes back."""
        return self.tour.index is not None or self.session.away

    @property
    def mode_name(self) -> str:
        """What the screen shows, for the status line: network, expression or lesson N/M."""
        return self.tour.mode_name or ("expression" if self.away else "network")

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) for every binding that works now, in this mode: no training
        keys on an expression, no tour keys outside the tour (`check_action` decides)."""
        rows = []
        for binding in [*self.BINDINGS, *GraphTree.BINDINGS]:
            assert isinstance(binding, Binding)
            _, action, arguments = parse_action(binding.action)
            if self.check_action(action, arguments) is False:
                continue
            keys = keys_text(binding, self.app.get_key_display)
            if keys not in (shown for shown, _ in rows):  # the tree repeats space: Play
                rows.append((keys, binding.tooltip or binding.description))
        rows += [
            ("up, down", "Move in the tree"),
            ("enter", "Open or close the node"),
        ]
        return rows

    def system_commands(self) -> list[SystemCommand]:
        """The palette's commands for training, settings and exports."""
        return [*app_commands(self), *export.export_commands(self)]

    # -- the training worker -------------------------------------------------------------

    def submit(self, command: Command) -> None:
        """Queue a command for the training worker (processed in order)."""
        self.runner.submit(command)

    @property
    def idle(self) -> bool:
        """Every submitted command has been done and shown (tests and benchmarks wait on it)."""
        return not self.runner.waiting and not self.playing

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place for unexpected worker errors: say so, keep the model, go on.

        The training worker is started afresh (paused); any other worker (a gradient
        check) simply ends.
        """
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        kept = self._keep_in_recovery_file()
        if event.worker.name != WORKER_NAME:
            self.notify(f"{event.worker.name} failed: {error!r}; {kept}", severity="error")
            return
        self.runner.forget_lost_command()
        self.pause_training()
        self.notify(f"training worker failed: {error!r}; {kept}", severity="error", timeout=12)
        self.notice = "error: training paused"
        self.show_status()
        self.runner.start()
        if self.session.trainer is None:  # it failed building the first model: the default
            self.loading_text = ""
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
        self.loading_text = message.description
        self.show_status()

    def on_session_updated(self, message: SessionUpdated) -> None:
        self.loading_text = ""
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
        self.show(message.snapshot)
        if message.command == "network":
            self._restore_network_view()  # the tree as it was left
        if message.command in MODE_COMMANDS:
            self.refresh_bindings()  # the footer and help show the new mode's keys
        self.runner.answered(message.queued)
        # Through the app's queue, as a widget's refresh is: the widgets' updates reach
        # the screen first, so the worker goes on only once they are painted. From this
        # screen's own queue it ran before them (the worker then trained while the frame
        # was drawn: more frames, a slower play, and a graph touched while on show).
        self.app.call_after_refresh(self.runner.drawn)

    def on_diverged(self, message: Diverged) -> None:
        self.runner.answered(message.queued)
        self.nudger.clear()
        self.pause_training()
        self.notice = "diverged: paused"
        if message.snapshot is not None:
            self.show(message.snapshot)
        self.notify(
            f"Training diverged ({message.reason}); paused. "
            "Lower the learning rate (-) or reset (r).",
            title="Diverged",
            severity="error",
            timeout=8,
        )
        self.show_status()

    def on_command_failed(self, message: CommandFailed) -> None:
        self.runner.answered(message.queued)
        self.loading_text = ""
        if message.command == "step":
            self.pause_training()
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
        self.show_status()

    def on_saved(self, message: Saved) -> None:
        self.notice = "saved"
        self.notify(f"Saved the model to {message.path}", title="Saved")
        self.show_status()

    # -- drawing a snapshot --------------------------------------------------------------

    def show(self, snapshot: Snapshot) -> None:
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
        self.show_status()
        self.show_walk(snapshot)

    def show_walk(self, snapshot: Snapshot) -> None:
        """After every snapshot: the progress line under the tree and the static layout."""
        self.set_class(bool(snapshot.title), "-static")
        self.apply_layout()  # the panes change with the mode (no chart on an expression)
        self.tree.border_subtitle = self.stepper.progress(snapshot)

    def _show_node(self) -> None:
        self.panel.show(self.tree.value_of(self.tree.cursor_node), self.snapshot)

    def show_status(self) -> None:
        self.status.show(
            self.snapshot, self.playing, self.notice, self.loading_text, self.mode_name
        )

    # -- training -------------------------------------------------------------------------

    def pause_training(self) -> None:
        self._set_playing(False)

    def _set_playing(self, playing: bool) -> None:
        self.runner.play(playing)
        if not playing and self.playing and self.session.trainer is not None:
            self.submit(Command("show"))  # the steps played since the last frame
        self.playing = playing

    def watch_playing(self) -> None:
        self.show_status()

    def action_toggle_play(self) -> None:
        self.notice = ""
        self._set_playing(not self.playing)

    def _phase(self, name: str) -> None:
        """A one-off command pauses play first: the user wants to look.

        While the model loads, commands wait in the queue and run once it is there.
        """
        self.pause_training()
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
        self.pause_training()
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
        self.pause_training()
        self.notice = ""
        self.loading_text = f"loading {config.data_name}…"
        self.show_status()
        self.submit(Command("build", config))

    def action_settings(self, focus: str = "dataset") -> None:
        folder = Path.cwd() if self.app.is_web else None  # served: CSV files from its folder
        self.app.push_screen(SettingsScreen(self.session.config, focus, folder), self.apply_config)

    # -- the views beside the tree ----------------------------------------------------------

    def show_view(self, name: str) -> None:
        """Put view `name` (chart, boundary, neurons, network, confusion) on show."""
        self.views.current = name
        self._mark_view()
        self.call_after_refresh(self._request_grid)

    def action_switch_view(self) -> None:
        """Loss chart or decision boundary, in the same place."""
        self.show_view("boundary" if self.views.current == "chart" else "chart")
        view = self.query_one(DecisionView)
        if self.views.current != "boundary" and view.cursor is not None:
            view.action_done()  # editing ends with the view

    def action_confusion(self) -> None:
        """M: the confusion matrix (each true class against the predicted one), or back to
        the loss chart."""
        self.show_view("confusion" if self.views.current != "confusion" else "chart")

    def action_neurons(self) -> None:
        """h: every hidden neuron's picture, or back to the loss chart."""
        self._toggle_view("neurons", NeuronView)

    def action_network(self) -> None:
        """m: the network drawn, every weight an edge (the node panel makes room)."""
        self._toggle_view("network", NetworkView)

    def _toggle_view(self, name: str, widget: type) -> None:
        showing = self.views.current == name
        self.show_view("chart" if showing else name)
        (self.tree if showing else self.query_one(widget)).focus()

    def _mark_view(self) -> None:
        """The node panel gives room to pictures: all of it to the network, some to others."""
        current = self.views.current
        self.set_class(current == "network", "-network")
        self.set_class(current in ("boundary", "neurons"), "-picture")

    def action_toggle_log_scale(self) -> None:
        """The loss chart's axis: linear or log (shows the chart if the boundary was shown)."""
        if self.views.current != "chart":
            self.show_view("chart")
        log = self.chart.toggle_log_scale()
        self.notice = "loss axis: log" if log else "loss axis: linear"
        self.show_status()

    def action_toggle_drawing(self) -> None:
        """D: the graph drawn (tui/components/graph_drawing.py) in the tree's place, or back."""
        drawn = self.toggle_class("-drawing").has_class("-drawing")
        (self.query_one(GraphDrawing) if drawn else self.tree).focus()

    def _request_grid(self) -> None:
        """Ask the worker for what the view on show draws (a decision grid sized to it, the
        neurons' pictures, the confusion matrix), and for nothing while it is hidden."""
        current = self.views.current
        view = self.query_one(DecisionView)
        boundary = current == "boundary" and view.canvas.size.width > 0
        neurons, network = current == "neurons", current == "network"
        confusion = current == "confusion"
        self.session.grid_size = view.grid_size() if boundary else None
        self.session.neuron_size = neuron_picture_size(self.session) if neurons else None
        self.session.model_wanted = neurons or network
        self.session.confusion_wanted = confusion
        if (boundary or neurons or network or confusion) and self.snapshot is not None:
            self.submit(Command("grid"))

    # -- editing the training set on the boundary -----------------------------------------

    def action_edit_data(self) -> None:
        """i: the boundary view takes the keys, with a cursor cell to add and remove points."""
        reason = self._why_not_editable()
        if reason:
            self.notice = reason
            self.show_status()
            return
        if self.views.current != "boundary":
            self.show_view("boundary")
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
            self.show_status()
            return
        self.submit(Command("edit_data", message.request))

    def on_decision_view_refused(self, message: DecisionView.Refused) -> None:
        self.notice = self._why_not_editable() or f"not edited: {message.reason}"
        self.show_status()

    def on_decision_view_done(self, _: DecisionView.Done) -> None:
        self.tree.focus()

    # -- going to a node ------------------------------------------------------------------

    def on_network_view_open(self, message: NetworkView.Open) -> None:
        """Enter on a weight or bias of the drawing: that parameter in the graph tree."""
        self._open_in_tree(message.label, "{} is not in the graph on screen")

    def on_neuron_view_open(self, message: NeuronView.Open) -> None:
        """Enter on a neuron's picture: that neuron's output in the graph tree."""
        self._open_in_tree(message.name, "{} is not in the graph on screen")

    def jump_to(self, label: str) -> None:
        """Select the node named `label` (shortest path from the loss), opening the way."""
        self._open_in_tree(label, "no node named {} in this graph")

    def _open_in_tree(self, label: str, missing: str) -> None:
        index = self.snapshot.index if self.snapshot else None
        path = index.path_to(label) if index is not None else None
        if path is None:
            self.notify(missing.format(label), severity="warning")
            return
        self.tree.expand_path(path)
        self.tree.focus()

    # -- the nudge, the stepper and the gradient check --------------------------------------

    def action_nudge(self) -> None:
        """x: nudge the selected leaf by h and show the output move; x again: undo."""
        self.nudger.toggle(self.tree.value_of(self.tree.cursor_node))
        self.refresh_bindings()  # esc undoes a nudge too

    def action_nudge_step(self) -> None:
        """X: the next h for nudges (0.1, 0.01, 0.001, 0.0001)."""
        self.notice = f"nudge h = {self.nudger.cycle_step():g}"
        self.show_status()

    def action_node_step(self) -> None:
        self.stepper.step()

    def action_node_back(self) -> None:
        self.stepper.back()

    def action_until_final(self) -> None:
        self.stepper.until_final()

    def action_autoplay(self) -> None:
        self.stepper.toggle_autoplay()

    def action_pace(self, direction: int) -> None:
        self.stepper.pace(direction)

    def action_quiz(self) -> None:
        """Q: quiz mode on or off (each . first asks for an operand's grad)."""
        on = self.quizzer.toggle()
        self.notice = "quiz on: . asks before it steps" if on else "quiz off"
        self.show_status()
        if self.snapshot is not None:
            self.show_walk(self.snapshot)

    def action_check_node(self) -> None:
        self.checker.check_value(self.tree.value_of(self.tree.cursor_node))

    def action_check_all(self) -> None:
        self.checker.check_all()

    # -- expressions, the tour, and the way back -------------------------------------------

    def stop_for_another_graph(self) -> None:
        """Before another graph: no autoplay, no training, no old notice."""
        self.stepper.stop_autoplay()
        self.pause_training()
        self.notice = ""

    def action_expression(self) -> None:
        self.app.push_screen(ExpressionForm(), self.open_graph)

    def open_graph(self, source: GraphSource | None) -> None:
        """Explore `source`'s graph (esc goes back to the network)."""
        if source is None:
            return
        self.leave_network()
        if self.tour.index is not None:
            self.tour.close()  # from a lesson: the expression replaces it
        self.stop_for_another_graph()
        self.submit(Command("graph", source))
        self.refresh_bindings()

    def action_tour(self) -> None:
        if self.tour.index is None:
            self.tour.open(0)
        else:
            self.action_leave_mode()

    def action_next_lesson(self) -> None:
        self.tour.next()

    def action_previous_lesson(self) -> None:
        self.tour.previous()

    def leave_network(self) -> None:
        """On the way out of the network: remember its tree and view for the way back."""
        if self.away or self.snapshot is None:
            return
        self._network_view = (self.tree.view_state(), self.views.current or "chart")

    def action_leave_mode(self) -> None:
        """Escape: undo a nudge; else back to the network exactly as it was (step, history,
        selection, walk)."""
        if self.nudger.clear():
            self.refresh_bindings()
            return
        if not self.away:
            return
        self.stop_for_another_graph()
        self.tour.close()
        self.submit(Command("network"))
        self.refresh_bindings()

    def _restore_network_view(self) -> None:
        """After the worker has brought the network back: its tree and view as they were."""
        kept, self._network_view = self._network_view, None
        if kept is None:
            return
        tree_view, current = kept
        self.tree.restore_view(tree_view)
        self.show_view(current)
        self._show_node()

    # -- files, help, the palette, quitting -------------------------------------------------

    def action_save(self) -> None:
        self.files.save()

    def action_load(self) -> None:
        self.files.load()

    def action_export_svg(self) -> None:
        export.save_screen(self.app)  # tui/export.py: SVG of the screen, says where

    def action_export_dot(self) -> None:
        export.save_graph(self.app, self.session)  # tui/export.py: the graph as Graphviz DOT

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.key_help(), self.mode_name))

    def action_command_palette(self) -> None:
        self.app.action_command_palette()

    def action_quit(self) -> None:
        self.pause_training()
        self.app.exit()
