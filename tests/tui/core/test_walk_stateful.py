"""The backward walk under any order of keys, against a reference partial pass.

A user drives the stepper in sequences: step, undo, redo, run to final, finish, in any
order. After every rule each grad and each finality count must equal those of a simple
reference: a pass of the chain rule over the first `cursor` nodes of the reverse
topological order, computed here on a dict of floats. A finished walk must leave the grads
of `backward()` on a twin graph, to the bit.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from mg_tui.engine import Value, topological_order
from mg_tui.nn import MLP, Trainer, load_dataset
from mg_tui.nn.trainer import GraphPhases
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.quiz import question_for
from mg_tui.tui.core.walk import BackwardController

from tests.engine.test_engine_properties import evaluate, programs


class GraphOnly(GraphPhases):
    """The backward phases over a ready-made graph (an expression), nothing else."""

    def __init__(self, root: Value) -> None:
        self.graph = root
        self.phase = "forward"
        self._stepping = False


def reference_pass(root: Value, order: list[Value], prior: dict[int, float], k: int):
    """Grads and contributions received after the chain rule on order[:k], on plain floats."""
    grads = {id(n): (prior[id(n)] if not n.inputs else 0.0) for n in order}
    grads[id(root)] = prior[id(root)] + 1.0 if not root.inputs else 1.0
    received: Counter[int] = Counter()
    for node in order[:k]:
        g = grads[id(node)]
        for x, d in zip(node.inputs, node.local_grads):
            grads[id(x)] += d * g
            received[id(x)] += 1
    return grads, received


class WalkMachine(RuleBasedStateMachine):
    """Shared rules; subclasses build `self.trainer` and a `twin()` with the same graph."""

    def setup(self, trainer: GraphPhases) -> None:
        self.trainer = trainer
        self.root = trainer.graph
        self.order = list(reversed(topological_order(self.root)))
        self.prior = {id(n): n.grad for n in self.order}
        self.uses = Counter(id(x) for n in self.order for x in n.inputs)
        self.walk = BackwardController(trainer)
        self.walk.start(GraphIndex.build(self.root))
        self.cursor = 0  # the reference's own count of processed nodes
        self.finished = False

    # -- rules: every key of the stepper -----------------------------------------------

    @precondition(lambda self: not self.finished)
    @rule()
    def step(self) -> None:
        step = self.walk.step()
        if self.cursor < len(self.order):
            assert step is not None and step.node is self.order[self.cursor]
            self.cursor += 1
        else:
            assert step is None

    @precondition(lambda self: not self.finished)
    @rule()
    def redo(self) -> None:
        self.step()

    @precondition(lambda self: not self.finished)
    @rule()
    def step_node(self) -> None:
        step = self.walk.step_node()
        self.cursor = self.walk.cursor
        if step is not None:
            assert step.node.inputs and step.node is self.order[step.position - 1]

    @precondition(lambda self: not self.finished)
    @rule(asked=st.integers(0, 5))
    def quiz_then_step(self, asked: int) -> None:
        """Q then `.`: the quiz's answer, known before the step, is what the step then gives."""
        node = self.walk.next_interior()
        question = question_for(node, asked) if node is not None else None
        self.step_node()
        if question is not None:
            assert question.operand.grad == question.expected

    @precondition(lambda self: not self.finished)
    @rule()
    def undo(self) -> None:
        step = self.walk.undo()
        if self.cursor:
            self.cursor -= 1
            assert step is not None and step.node is self.order[self.cursor]
        else:
            assert step is None

    @precondition(lambda self: not self.finished)
    @rule()
    def undo_node(self) -> None:
        step = self.walk.undo_node()
        assert self.walk.cursor <= self.cursor
        undone = self.order[self.walk.cursor : self.cursor]
        self.cursor = self.walk.cursor
        # it takes back the newest computed node and the leaves processed after it
        if step is not None:
            assert step.node is undone[0] and step.node.inputs
            assert not any(n.inputs for n in undone[1:])

    @precondition(lambda self: not self.finished)
    @rule(pick=st.integers(0, 10**6))
    def run_until_final(self, pick: int) -> None:
        target = self.order[pick % len(self.order)]
        self.walk.run_until_final(target)
        self.cursor = self.walk.cursor
        # it stops once the target is final, or at the end of the walk
        assert self.walk.is_final(target) or self.walk.complete

    @precondition(lambda self: not self.finished)
    @rule()
    def finish(self) -> None:
        self.walk.finish()
        self.cursor = len(self.order)
        self.finished = True
        assert not self.walk.active and self.trainer.phase == "backward"
        twin_order = list(reversed(topological_order(self.twin())))
        assert [n.grad for n in self.order] == [n.grad for n in twin_order]

    @rule()
    def look(self) -> None:
        """Nothing pressed: the invariant below is checked again."""

    # -- the invariant: the walk is the reference partial pass ------------------------------

    @invariant()
    def grads_and_counts_match_the_reference(self) -> None:
        if not hasattr(self, "walk"):
            return
        assert self.walk.cursor == self.cursor or self.finished
        grads, received = reference_pass(self.root, self.order, self.prior, self.cursor)
        assert [n.grad for n in self.order] == [grads[id(n)] for n in self.order]
        if self.finished:
            return
        for n in self.order:
            assert self.walk.received.get(n, 0) == received[id(n)]
            if n is self.root:
                want_final = self.cursor > 0
            else:
                want_final = received[id(n)] >= self.uses[id(n)] > 0
            assert self.walk.is_final(n) == want_final, n


class ExpressionWalk(WalkMachine):
    """Random expression graphs: fan-out, x * x, n-ary sums, leaves with earlier grads."""

    @initialize(program=programs(), prior=st.lists(st.floats(-3, 3), min_size=4, max_size=4))
    def build(self, program, prior) -> None:
        self.program, self.priors = program, prior
        self.setup(GraphOnly(self._graph()))

    def _graph(self) -> Value:
        leaves, steps = self.program
        root = evaluate(leaves, steps)[-1]
        for j, n in enumerate(n for n in topological_order(root) if not n.inputs):
            n.grad = self.priors[j % 4]
        return root

    def twin(self) -> Value:
        root = self._graph()
        root.backward()
        return root


class NetworkWalk(WalkMachine):
    """The seeds' kind of network on the four samples, with a random seed and shape."""

    @initialize(seed=st.integers(0, 50), hidden=st.lists(st.integers(1, 3), max_size=2))
    def build(self, seed: int, hidden: list[int]) -> None:
        self.seed, self.hidden = seed, hidden
        self.setup(self._trainer())

    def _trainer(self) -> Trainer:
        trainer = Trainer(MLP(3, [*self.hidden, 1], seed=self.seed), load_dataset("tiny"))
        trainer.forward()
        return trainer

    def twin(self) -> Value:
        trainer = self._trainer()
        trainer.backward()
        return trainer.graph


SETTINGS = settings(
    max_examples=150,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestExpressionWalk = ExpressionWalk.TestCase
TestExpressionWalk.settings = SETTINGS
TestNetworkWalk = NetworkWalk.TestCase
TestNetworkWalk.settings = settings(SETTINGS, max_examples=40)
