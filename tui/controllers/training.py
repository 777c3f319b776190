"""The training worker: one thread owns the Trainer and takes commands from a queue.

The worker (`_run`) takes commands (build, step, forward, backward, update, lr, save,
load…) and, while playing, trains a step whenever the queue is empty. After each
command it posts a `SessionUpdated` snapshot to the screen and waits until the screen
has drawn it (`drawn`), so the UI reads a graph nobody is changing and never falls
behind. The UI thread never trains. While playing, only some steps are shown
(tui/core/frame_pacer.py): the others are trained as `mg-tui train` trains them, and
pausing shows the last one.
"""

from __future__ import annotations

import queue
import sys
import threading
import time

from mg_tui import nn
from mg_tui.nn.config import RunConfig
from mg_tui.nn.serialize import ModelFileError
from mg_tui.tui.core.frame_pacer import FramePacer
from mg_tui.tui.core.session import Command, Session
from mg_tui.tui.messages import CommandFailed, Diverged, Loading, Saved, SessionUpdated
from mg_tui.tui.recovery import Autosave
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

PLAY_SWITCH_INTERVAL = 0.001  # seconds; see `play`
DRAW_TIMEOUT = 1.0  # seconds the worker waits for the UI to draw a snapshot
WORKER_NAME = "session"

# Errors a command can meet that the user can act on: shown, then the app goes on.
EXPECTED_ERRORS = (nn.PhaseError, ValueError, OSError, ModelFileError, ImportError)


class TrainingRunner:
    """The queue of commands, the worker that does them, and whether it plays."""

    def __init__(self, session: Session, screen: Widget) -> None:
        self.session = session
        self.screen = screen  # the worker runs under it and posts its messages to it
        self.autosave = Autosave()
        self._commands: queue.Queue[Command] = queue.Queue()
        self._play = threading.Event()  # the worker trains while this is set
        self._drawn = threading.Event()  # the screen has drawn the worker's last snapshot
        self._submitted = 0
        self._answered = 0
        self._switch_interval = sys.getswitchinterval()
        self._pacer = FramePacer()  # while playing, which steps are shown

    def start(self) -> None:
        self.screen.run_worker(
            self._run, name=WORKER_NAME, group=WORKER_NAME, thread=True, exit_on_error=False
        )

    def submit(self, command: Command) -> None:
        """Queue a command for the worker (processed in order)."""
        self._submitted += 1
        self._commands.put(command)

    @property
    def waiting(self) -> bool:
        """Some submitted command has not yet been done and shown."""
        return self._answered != self._submitted

    def answered(self, queued: bool) -> None:
        """The screen has taken the worker's answer to a command (`queued`), or to a step
        it played by itself."""
        if queued:
            self._answered += 1

    def drawn(self) -> None:
        """The screen has drawn the last snapshot: the worker may touch the graph again."""
        self._drawn.set()

    def forget_lost_command(self) -> None:
        """After the worker died: the command it was doing will never be answered."""
        self._answered = self._submitted - self._commands.qsize()

    def play(self, playing: bool) -> None:
        """Train continuously, or stop. While playing, the GIL is handed over more often
        (default 5 ms), so the UI thread waits less each time it wakes: smaller gaps."""
        if playing:
            self._play.set()
        else:
            self._play.clear()
        sys.setswitchinterval(PLAY_SWITCH_INTERVAL if playing else self._switch_interval)

    # -- on the worker's thread -----------------------------------------------------------

    def _run(self) -> None:
        """One command at a time; a training step whenever playing and idle."""
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
        post = self.screen.post_message
        if command.name in ("build", "load"):
            what = command.arg.data_name if isinstance(command.arg, RunConfig) else command.arg
            post(Loading(f"loading {what or self.session.config.data_name}…"))
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
            post(Diverged(error.reason, snapshot, command.queued))
            return
        except EXPECTED_ERRORS as error:
            if command.name == "step":
                self._play.clear()
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            post(CommandFailed(command.name, message, command.queued))
            return
        if command.name == "save":
            post(Saved(str(self.session.last_saved)))
        self._autosave_now()
        if snapshot is None:  # a step played between frames
            self._pacer.played(time.process_time() - cpu)
            return
        self._drawn.clear()
        post(SessionUpdated(snapshot, command.name, command.queued))
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
            self.screen.app.call_from_thread(
                self.screen.notify, f"autosave failed: {failure}", severity="warning", timeout=8
            )
