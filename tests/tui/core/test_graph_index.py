"""The lazy graph index against a brute-force count over the whole graph.

The reference below is a plain traversal written here (no engine or index helper): every
node reachable from the root, visited once, and for each one every (operand, position)
edge. The index must give the same use counts, consumers, sizes and paths, and must walk
nothing until a node beyond the root is asked about.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from mg_tui.engine import Value
from mg_tui.nn.config import RunConfig
from mg_tui.tui.core import graph_index
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.session import Command, Session

from tests.engine.test_engine_properties import evaluate, programs

TINY = RunConfig(dataset="moons", samples=6, arch=(3,), activation="relu", seed=1)


def brute_force(root: Value) -> tuple[list[Value], Counter[int], dict[int, Counter]]:
    """(every node, uses by id, consumers by id as Counter of (consumer id, position))."""
    nodes = [root]
    seen = {id(root)}
    uses: Counter[int] = Counter()
    consumers: dict[int, Counter] = {}
    i = 0
    while i < len(nodes):
        node = nodes[i]
        i += 1
        for position, x in enumerate(node.inputs):
            uses[id(x)] += 1
            consumers.setdefault(id(x), Counter())[(id(node), position)] += 1
            if id(x) not in seen:
                seen.add(id(x))
                nodes.append(x)
    return nodes, uses, consumers


def follow(root: Value, path: tuple[int, ...]) -> Value:
    node = root
    for i in path:
        node = node.inputs[i]
    return node


def assert_exact(root: Value, index: GraphIndex) -> None:
    nodes, uses, consumers = brute_force(root)
    assert index.size == len(nodes)
    for node in nodes:
        assert index.use_count(node) == uses[id(node)]
        got = Counter((id(c), j) for c, j in index.consumers(node))
        assert got == consumers.get(id(node), Counter())
        path = index.path_of(node)
        assert path is not None and follow(root, path) is node
    for limit in (1, len(nodes) - 1, len(nodes), len(nodes) + 1):
        assert GraphIndex.build(root).size_at_most(limit) == (len(nodes) <= limit)


def shared_graphs() -> dict[str, Value]:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    twice = a + a
    c = a * b
    d = c + a  # a used by two consumers, one of them through c
    e = d * c  # c used twice, by different consumers
    return {
        "a + a": twice,
        "(a + a) * (a + a)": twice * twice,
        "shared": e.tanh() + e,
        "sum with a repeated term": Value.sum([a, b, a, c, a]),
        "logsumexp": Value.logsumexp([a, c, a]) * b,
        "a leaf root": Value(1.0, "x"),
    }


@pytest.mark.parametrize("name", list(shared_graphs()))
def test_expressions_with_shared_nodes_match_a_brute_force_count(name: str) -> None:
    root = shared_graphs()[name]
    assert_exact(root, GraphIndex.build(root))


def test_a_plus_a_has_two_uses_by_one_consumer() -> None:
    a = Value(1.5, "a")
    out = a + a
    index = GraphIndex.build(out)
    assert index.use_count(a) == 2
    assert index.consumers(a) == [(out, 0), (out, 1)]


def test_a_network_graph_matches_a_brute_force_count() -> None:
    session = Session(TINY)
    session.run(Command("build", TINY))
    session.run(Command("step"))
    root = session.trainer.graph
    assert_exact(root, GraphIndex.build(root, session.trainer.roles))
    params = session.trainer.model.parameters()
    index = GraphIndex.build(root, session.trainer.roles)
    # every weight is used once per sample of the batch, by the same neuron's product
    first = params[0]
    assert index.use_count(first) == len(session.trainer.batch)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_random_programs_match_a_brute_force_count(program) -> None:
    leaves, steps = program
    root = evaluate(leaves, steps)[-1]
    assert_exact(root, GraphIndex.build(root))


# -- nothing walked until a node is looked at -------------------------------------------


@pytest.fixture
def walks(monkeypatch) -> list[Value]:
    """The roots of every walk of a whole graph by the index."""
    roots: list[Value] = []
    real = graph_index._consumer_lists

    def counted(root: Value):
        roots.append(root)
        return real(root)

    monkeypatch.setattr(graph_index, "_consumer_lists", counted)
    return roots


def test_showing_a_step_walks_nothing_until_a_node_is_looked_at(walks) -> None:
    session = Session(TINY)
    session.run(Command("build", TINY))
    snapshot = session.run(Command("step"))
    index = snapshot.index
    assert walks == [] and not index.built
    # the root is answered without a walk: a graph has no cycle
    assert index.use_count(snapshot.root) == 0 and index.consumers(snapshot.root) == []
    assert index.path_of(snapshot.root) == () and walks == []
    assert index.size_at_most(5) is False and walks == []
    child = snapshot.root.inputs[0]
    _, uses, _ = brute_force(snapshot.root)
    assert index.use_count(child) == uses[id(child)]
    assert walks == [snapshot.root]  # one walk, then look-ups
    assert_exact(snapshot.root, index)
    assert walks == [snapshot.root]


def test_the_worker_walks_ahead_only_after_a_look(walks) -> None:
    session = Session(TINY)
    session.run(Command("build", TINY))
    first = session.run(Command("step")).index
    second = session.run(Command("step")).index
    assert walks == [] and not second.built  # nobody looked at the first
    second.use_count(second.root.inputs[0])
    third = session.run(Command("step")).index
    assert third.built and not third.looked_at  # walked ahead by the worker
    assert walks == [second.root, third.root]
    assert_exact(third.root, third)
    fourth = session.run(Command("step")).index
    assert fourth.built  # the third was looked at (by assert_exact)
    fifth = session.run(Command("step")).index
    assert not fifth.built  # the fourth was not
    assert not first.built


def test_threads_asking_at_once_share_one_walk(walks) -> None:
    session = Session(TINY)
    session.run(Command("build", TINY))
    index = session.run(Command("step")).index
    node = index.root.inputs[0]
    barrier = threading.Barrier(4)
    counts: list[int] = []

    def ask() -> None:
        barrier.wait()
        counts.append(index.use_count(node))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _, uses, _ = brute_force(index.root)
    assert counts == [uses[id(node)]] * 4 and walks == [index.root]


class ShowAndLook(RuleBasedStateMachine):
    """Steps shown and nodes looked at in any order, against a plain model of the rule:
    a shown graph is walked ahead iff the graph shown before it was looked at, and
    whatever is asked is exact."""

    @initialize()
    def start(self) -> None:
        self.walked: list[Value] = []
        real = graph_index._consumer_lists

        def counted(root: Value):
            self.walked.append(root)
            return real(root)

        self.patch = pytest.MonkeyPatch()
        self.patch.setattr(graph_index, "_consumer_lists", counted)
        self.session = Session(TINY)
        self.session.run(Command("build", TINY))
        self.index = self.session.run(Command("show")).index
        self.looked = False  # the model: was the shown graph asked about beyond its root
        self.ahead = False  # the model: was it walked ahead by the worker

    def teardown(self) -> None:
        if hasattr(self, "patch"):
            self.patch.undo()

    @rule()
    def show_a_step(self) -> None:
        shown = self.session.run(Command("step")).index
        if shown is not self.index:  # a new graph (a step from the forward phase keeps it)
            assert shown.root is not self.index.root
            self.ahead, self.looked = self.looked, False
        self.index = shown

    @rule(pick=st.integers(0, 10_000))
    def look_at_a_node(self, pick: int) -> None:
        nodes, uses, consumers = brute_force(self.index.root)
        node = nodes[pick % len(nodes)]
        assert self.index.use_count(node) == uses[id(node)]
        got = Counter((id(c), j) for c, j in self.index.consumers(node))
        assert got == consumers.get(id(node), Counter())
        if node is not self.index.root:
            self.looked = True

    @rule()
    def look_at_the_root(self) -> None:
        assert self.index.use_count(self.index.root) == 0
        assert self.index.consumers(self.index.root) == []

    @invariant()
    def walked_as_the_model_says(self) -> None:
        assert self.index.built == (self.ahead or self.looked)
        assert self.index.looked_at == self.looked
        assert len(self.walked) == len(set(map(id, self.walked)))  # no graph walked twice


ShowAndLook.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_show_and_look = ShowAndLook.TestCase
