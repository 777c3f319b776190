"""The backward phase, all at once or one node at a time.

The app owns one `BackwardController` per Trainer: `run_all()` is what the `b` key
does, and `start()` / `step()` / `undo()` / `redo()` / `finish()` / `abandon()` walk the
graph. The walk is a cursor over the order `Trainer.begin_backward_walk()` recorded (the
order of `engine.backward_steps()`), and each step is `engine.apply_step`, the engine's
own step: so after any sequence of steps and undos the grads are exactly those of a
partial pass over the first `cursor` nodes, and a finished walk leaves the grads of
`backward()` to the bit. Whoever starts a walk must finish or abandon it before the
next forward pass or update, so a model update never sees half-accumulated grads;
`settle()` does whichever is right and the session calls it before every other command.

The stepper shows operations, not leaves: `step_node()` processes leaves (which have
no operands, so pass nothing on) silently on the way to the next computed node, and
the progress counts computed nodes only ("node 37 of 140"). It also counts, for every
node, the contributions its grad has received so far: a grad is final once every use
of the node has sent its share (gradient accumulation: add, not replace).
"""

from __future__ import annotations

from mg_tui.engine import BackwardStep, Value, apply_step
from mg_tui.nn import Trainer
from mg_tui.tui.core.graph_index import GraphIndex


class BackwardController:
    """Runs `trainer`'s backward phase, either in one go or as a resumable walk."""

    def __init__(self, trainer: Trainer) -> None:
        self.trainer = trainer
        self.applied: list[BackwardStep] = []  # the walk so far, oldest first
        self.index: GraphIndex | None = None  # the walked graph's consumers (for finality)
        self.received: dict[Value, int] = {}  # contributions received so far, per node
        self.done: set[Value] = set()  # nodes processed so far
        self.interior_total = 0  # computed nodes (with operands) in the walked graph
        self.interior_done = 0
        self._order: list[Value] | None = None  # the walk's order, root first; None: no walk

    @property
    def active(self) -> bool:
        """True while a node-by-node walk is started and not settled (even if complete)."""
        return self._order is not None

    @property
    def cursor(self) -> int:
        """How many nodes of the order are processed: the walk is that partial pass."""
        return len(self.applied)

    @property
    def complete(self) -> bool:
        """Every node of the walk has been processed (it can still be stepped back)."""
        return self.active and self.cursor == self.total

    @property
    def total(self) -> int:
        return len(self._order) if self._order is not None else 0

    @property
    def last_interior(self) -> BackwardStep | None:
        """The newest processed node that has operands (what the stepper shows)."""
        for step in reversed(self.applied):
            if step.node.inputs:
                return step
        return None

    # -- the whole pass ---------------------------------------------------------------

    def run_all(self) -> None:
        """Backprop every node: finishes a walk in progress, or runs `Trainer.backward()`."""
        if self._order is not None:
            self.finish()
        else:
            self.trainer.backward()

    # -- the walk -----------------------------------------------------------------------

    def start(self, index: GraphIndex | None = None) -> None:
        """Begin a walk after a forward pass (raises nn.PhaseError otherwise)."""
        self.abandon()
        self._order = self.trainer.begin_backward_walk()  # PhaseError before a forward pass
        self.applied = []
        self.received = {}
        self.done = set()
        self.index = index if index is not None and index.root is self.trainer.graph else None
        self.interior_done = 0
        self.interior_total = sum(1 for node in self._order if not node.is_leaf)

    def step(self) -> BackwardStep | None:
        """Process the node at the cursor (leaf or not); None once every node is done.

        After an undo this processes the node just taken back again: the same rule on the
        same numbers, so the same bits (`redo` is this)."""
        if self._order is None or self.complete:
            return None
        position = self.cursor + 1
        step = apply_step(self._order[position - 1], position, self.total)
        self.applied.append(step)
        self.done.add(step.node)
        received = self.received
        for c in step.contributions:
            received[c.input] = received.get(c.input, 0) + 1
        if step.node.inputs:
            self.interior_done += 1
        return step

    def step_node(self) -> BackwardStep | None:
        """Process nodes up to and including the next one with operands; None at the end.

        Leaves after the last computed node are processed too, so a walk whose every
        computed node is done is `complete`.
        """
        while not self.complete:
            step = self.step()
            if step is None:
                return None
            if step.node.inputs:
                if self.interior_done == self.interior_total:
                    while not self.complete and self.step() is not None:
                        pass
                return step
        return None

    redo = step

    def next_interior(self) -> Value | None:
        """The node with operands that `step_node` would process next (its grad is final)."""
        if self._order is None:
            return None
        for node in self._order[self.cursor :]:
            if node.inputs:
                return node
        return None

    def undo(self) -> BackwardStep | None:
        """Take back the newest node's contributions exactly (only during a walk)."""
        if self._order is None or not self.applied:
            return None
        step = self.applied.pop()
        step.undo()
        self.done.discard(step.node)
        received = self.received
        for c in step.contributions:
            received[c.input] -= 1
        if step.node.inputs:
            self.interior_done -= 1
        return step

    def undo_node(self) -> BackwardStep | None:
        """Take back the newest computed node (and the leaves processed after it)."""
        while self.applied:
            step = self.undo()
            if step is None or step.node.inputs:
                return step
        return None

    def run_until_final(self, value: Value) -> int:
        """Step until `value`'s grad is final (or the walk ends); how many nodes that took."""
        done = 0
        while self.active and not self.is_final(value) and not self.complete:
            if self.step_node() is None:
                break
            done += 1
        return done

    def finish(self) -> None:
        """Process every remaining node: the grads end as `backward()` leaves them."""
        if self._order is None:
            return
        while self.step() is not None:
            pass
        self._order = None
        self.trainer.end_backward_walk()

    def abandon(self) -> None:
        """Undo the whole walk: grads go back to where the forward pass left them."""
        if self._order is None:
            return
        for step in reversed(self.applied):
            step.undo()
        self.applied = []
        self.received = {}
        self.done = set()
        self.interior_done = 0
        self._order = None
        self.trainer.graph.grad = 0.0  # prepare() seeded the root with 1.0

    def settle(self) -> None:
        """Before any other phase: a started walk is finished, never left half-applied."""
        if self._order is not None:
            self.finish()

    # -- finality -------------------------------------------------------------------------

    def expected(self, value: Value) -> int:
        """How many contributions `value`'s grad collects in all: one per use."""
        return self.index.use_count(value) if self.index is not None else 0

    def is_final(self, value: Value) -> bool:
        """True once `value`'s grad will not change any more in this backward pass."""
        if self._order is None:
            return self.trainer.phase == "backward"
        if value is self.trainer.graph:
            return bool(self.applied)
        return self.received.get(value, 0) >= self.expected(value) > 0

    def progress(self) -> str:
        """`node 37 of 140`, counting computed nodes (leaves have no operands to step)."""
        if not self.active:
            return ""
        return f"node {self.interior_done} of {self.interior_total}"
