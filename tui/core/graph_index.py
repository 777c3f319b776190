"""What the tree and the panel need to know about a whole graph, built when first asked.

A moons graph has ~40,000 nodes: finding a node's consumers or its use count means
walking all of them (~12 ms). Showing a step walks nothing: the index is built the
first time someone asks about a node other than the root (a tree line beyond the
root, the panel on a selected node, the walk). The session builds it ahead, on the
training worker, for a graph whose predecessor was looked at (`looked_at`), so the UI
thread does not pay it on every frame while playing.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

from mg_tui.engine import Value, collector_paused
from mg_tui.nn import Role

Path = tuple[int, ...]
"""Operand indices from the root: (0, 3) is the 4th operand of the root's 1st operand."""


def kind(value: Value, roles: Mapping[Value, Role] | None = None) -> str:
    """ "param", "input", "target", "const" for leaves; "op" for computed nodes.

    The role comes from `roles` (the Trainer records one for every parameter, input and
    target it puts in a graph), never from the label. A named leaf without a role is a
    variable of an expression, shown like a parameter; an unnamed one is a constant.
    """
    if value.inputs:
        return "op"
    role = roles.get(value) if roles else None
    if role is not None:
        return role.kind
    return "param" if value.label else "const"


def name(value: Value) -> str:
    """The short name shown for a node: its label, else its op, else `const`."""
    return value.label or value.op or "const"


@dataclass
class GraphIndex:
    """The consumers of every node of one graph (walked on first need), and paths down
    to named nodes."""

    root: Value
    roles: Mapping[Value, Role] = field(default_factory=dict)  # from the Trainer
    looked_at: bool = False  # someone asked about a node beyond the root
    _users: dict[Value, list[Value]] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _paths: dict[str, Path] | None = field(default=None, repr=False)
    _via: dict[Value, Path] = field(default_factory=dict, repr=False)
    _samples: dict[Value, int] = field(default_factory=dict, repr=False)
    _per_sample: bool | None = field(default=None, repr=False)

    @classmethod
    def build(cls, root: Value, roles: Mapping[Value, Role] | None = None) -> GraphIndex:
        """The index of `root`'s graph; walks nothing until a node is asked about."""
        return cls(root, roles or {})

    @property
    def built(self) -> bool:
        """Whether the graph has been walked (for tests and benchmarks)."""
        return self._users is not None

    def prepare(self) -> None:
        """Walk the graph now (the worker, ahead of the UI), without counting as a look."""
        self._walked()

    @property
    def users(self) -> dict[Value, list[Value]]:
        """node -> its consumers, once per use (every node but the root has an entry)."""
        self.looked_at = True
        return self._walked()

    @property
    def size(self) -> int:
        """How many distinct nodes the graph has."""
        return len(self.users) + 1

    def size_at_most(self, limit: int) -> bool:
        """Whether the graph has at most `limit` nodes, walking at most `limit` + 1 of them."""
        if self._users is not None:
            return len(self._users) + 1 <= limit
        if limit < 1:
            return False
        seen = {self.root}
        stack = [self.root]
        while stack:
            for x in stack.pop().inputs:
                if x not in seen:
                    if len(seen) == limit:
                        return False
                    seen.add(x)
                    stack.append(x)
        return True

    def _walked(self) -> dict[Value, list[Value]]:
        """The consumer lists, walked once whichever thread asks first."""
        users = self._users
        if users is None:
            with self._lock:
                if self._users is None:
                    self._users = _consumer_lists(self.root)
                users = self._users
        return users

    def consumers(self, value: Value) -> list[tuple[Value, int]]:
        """(consumer, operand index) for each use of `value`; empty for the root.

        `a + a` gives two entries for one consumer: each use adds its own contribution.
        """
        if value is self.root:  # a graph has no cycle: nothing in it uses its root
            return []
        out: list[tuple[Value, int]] = []
        seen: set[int] = set()
        for c in self.users.get(value, ()):
            if id(c) not in seen:
                seen.add(id(c))
                out.extend((c, j) for j, x in enumerate(c.inputs) if x is value)
        return out

    def use_count(self, value: Value) -> int:
        """How many times `value` is an operand in the graph (0 for the root, unwalked)."""
        if value is self.root:
            return 0
        return len(self.users.get(value, ()))

    def sample_of(self, value: Value) -> int | None:
        """The data set row `value` is computed from, if it is computed from one row only.

        Each sample of a batch builds its own copy of the network's graph: its neuron
        outputs and the loss term of its prediction belong to that sample, the parameters
        to none (they are shared). The rows come from the Trainer's roles (inputs, targets
        and predictions carry theirs), never from a label: a node belongs to sample i when
        every input, target or prediction it is computed from is of row i. None for
        parameters, constants, an expression's nodes and nodes that mix rows (the loss).
        Memoized; the walk down stops at nodes with a role and at a second row.
        """
        role = self.roles.get(value)
        if role is not None:
            return role.sample
        if not value.inputs or not self._has_samples():
            return None
        found = self._samples.get(value)
        if found is None:
            found = self._sample_below(value)
        return found if found >= 0 else None

    def _has_samples(self) -> bool:
        if self._per_sample is None:
            self._per_sample = any(r.sample is not None for r in self.roles.values())
        return self._per_sample

    def _known_sample(self, value: Value) -> int | None:
        """A row, NO_SAMPLE or MIXED if known without walking down; None if not."""
        role = self.roles.get(value)
        if role is not None:
            return NO_SAMPLE if role.sample is None else role.sample
        if not value.inputs:
            return NO_SAMPLE  # a constant, or an expression's variable
        return self._samples.get(value)

    def _sample_below(self, value: Value) -> int:
        """Depth-first and iterative (graphs can be deep), one frame per open node."""
        memo = self._samples
        frames: list[list] = [[value, iter(value.inputs), NO_SAMPLE]]
        with collector_paused():
            while frames:
                frame = frames[-1]
                node, operands, found = frame
                descend = None
                while found != MIXED:
                    x = next(operands, None)
                    if x is None:
                        break
                    known = self._known_sample(x)
                    if known is None:
                        descend = x
                        break
                    found = _combine(found, known)
                frame[2] = found
                if descend is not None:
                    frames.append([descend, iter(descend.inputs), NO_SAMPLE])
                    continue
                memo[node] = found
                frames.pop()
                if frames:
                    frames[-1][2] = _combine(frames[-1][2], found)
        return memo[value]

    def paths(self) -> dict[str, Path]:
        """The shortest operand path to every labelled node, by label (built on first use)."""
        if self._paths is None:
            self._paths = _label_paths(self.root)
        return self._paths

    def path_to(self, label: str) -> Path | None:
        return self.paths().get(label)

    def path_of(self, value: Value, max_operand: int | None = None) -> Path | None:
        """A path from the root to `value` up its first consumers (memoized).

        The stepper's way to the node it processes: climbing consumers costs the depth
        of the node, not a walk of the graph. With `max_operand`, a consumer is used only
        through an operand index below it (the tree shows that many operands).
        """
        via = self._via
        chain: list[tuple[Value, int]] = []
        node = value
        while node is not self.root and node not in via:
            step = self._up(node, max_operand)
            if step is None:
                return None
            chain.append((node, step[1]))
            node = step[0]
        path = () if node is self.root else via[node]
        for child, i in reversed(chain):
            path = (*path, i)
            via[child] = path
        return path

    def _up(self, value: Value, max_operand: int | None) -> tuple[Value, int] | None:
        for consumer in self.users.get(value, ()):
            for j, x in enumerate(consumer.inputs):
                if max_operand is not None and j >= max_operand:
                    break
                if x is value:
                    return consumer, j
        return None


NO_SAMPLE = -2  # computed from no sample's data (parameters, constants)
MIXED = -1  # computed from the data of more than one sample


def _combine(a: int, b: int) -> int:
    if a == NO_SAMPLE:
        return b
    if b == NO_SAMPLE or a == b:
        return a
    return MIXED


def _consumer_lists(root: Value) -> dict[Value, list[Value]]:
    """One depth-first pass (~12 ms for moons 2-16-16-1).

    A node is pushed the first time it is met as an operand, so each is visited once;
    storing bare consumers (no tuples) halves the cost.
    """
    with collector_paused():
        users: dict[Value, list[Value]] = {}
        get = users.get
        stack = [root]
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            for x in node.inputs:
                entry = get(x)
                if entry is None:
                    users[x] = [node]
                    push(x)
                else:
                    entry.append(node)
    return users


def _label_paths(root: Value) -> dict[str, Path]:
    """Breadth-first, so each label gets its shortest path (parameters via sample 0)."""
    paths: dict[str, Path] = {}
    seen: set[Value] = {root}
    queue: deque[tuple[Value, Path]] = deque([(root, ())])
    with collector_paused():
        while queue:
            node, path = queue.popleft()
            if node.label and node.label not in paths:
                paths[node.label] = path
            for i, x in enumerate(node.inputs):
                if x not in seen:
                    seen.add(x)
                    queue.append((x, (*path, i)))
    return paths
