"""What the tree and the panel need to know about a whole graph, computed off the UI thread.

A moons graph has ~40,000 nodes: finding a node's consumers, or the way down to a
parameter, means walking all of them. The training worker builds a `GraphIndex`
once per graph it shows (while playing, not for the steps in between) so that moving
the selection costs dictionary look-ups only.
"""

from __future__ import annotations

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
    """The consumers of every node of one graph, and paths down to named nodes."""

    root: Value
    users: dict[Value, list[Value]]  # node -> its consumers, once per use
    size: int
    roles: Mapping[Value, Role] = field(default_factory=dict)  # from the Trainer
    _paths: dict[str, Path] | None = field(default=None, repr=False)
    _via: dict[Value, Path] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, root: Value, roles: Mapping[Value, Role] | None = None) -> GraphIndex:
        """One depth-first pass (in a worker thread: ~16 ms for moons 2-16-16-1).

        A node is pushed the first time it is met as an operand, so each is visited
        once; storing bare consumers (no tuples) halves the cost.
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
        return cls(root, users, len(users) + 1, roles or {})

    def consumers(self, value: Value) -> list[tuple[Value, int]]:
        """(consumer, operand index) for each use of `value`; empty for the root.

        `a + a` gives two entries for one consumer: each use adds its own contribution.
        """
        out: list[tuple[Value, int]] = []
        seen: set[int] = set()
        for c in self.users.get(value, ()):
            if id(c) not in seen:
                seen.add(id(c))
                out.extend((c, j) for j, x in enumerate(c.inputs) if x is value)
        return out

    def use_count(self, value: Value) -> int:
        return len(self.users.get(value, ()))

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
