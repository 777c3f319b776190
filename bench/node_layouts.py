"""Node layouts measured for issue 16: how a node stores its operands, and how ops make it.

    python -m bench.node_layouts [--rounds N] [--wall]

The loop of bench.user_loop (micrograd's demo as users write it: built-in `sum`,
`total_loss.backward()`, plain SGD, scikit-learn imported first) on four engines that
differ only there:

- "tuples, Value()": operands and local derivatives in two tuples, nodes made by
  calling the class: the engine before issue 16, three objects per two-operand node;
- "tuples, factory": the same layout, nodes made by a module-level function that
  fills in `object.__new__(Value)`;
- "slots, Value()": operands and local derivatives in four slots of the node
  (`_a`, `_da`, `_b`, `_db`), one object per node, made by calling the class;
- "slots, factory": the engine's own (`mg_tui.engine.Value`, `Sum`), the one kept.

Each has the same ops, the same sums (a neuron is one n-ary sum node) and the same
backward walk for its layout, and runs the same MLP 2-16-16-1 (this file's, so that
only the engine differs). Each is timed with the cyclic collector off (the engine's own
cost) and on with no collector policy (the engine's user-loop policy switched off: what
each layout leaves the collector to do); and its graph is measured: tracked objects per
node and bytes per node (tracemalloc) after forward and after backward. Times are CPU
time (`--wall` for wall clock), medians of every timed step; the layouts take turns in
each round.
"""

from __future__ import annotations

# As in micrograd's demo: scikit-learn first, with its long-lived objects.
from sklearn.datasets import make_moons  # noqa: F401  # isort: skip

import argparse
import gc
import itertools
import random
import statistics
import tracemalloc
from collections.abc import Callable, Iterator

from bench._common import (
    ALPHA,
    SEED,
    SIZES,
    clock_name,
    console,
    table,
    timed,
    use_wall_clock,
    verdict,
)
from bench.user_loop import moons_data, training_loop

_new = object.__new__
TUPLES = "tuples, Value()"
KEPT = "slots, factory"

# -- "tuples": the engine before issue 16 ------------------------------------------------


class TupleValue:
    """Operands and local derivatives in tuples: `out.inputs == (a, b)`."""

    __slots__ = ("_inputs", "_local_grads", "_op", "data", "grad", "label")

    def __init__(self, data, label="", inputs=(), local_grads=(), op=""):
        self.data = data if type(data) is float else float(data)
        self.grad = 0.0
        self.label = label
        self._inputs = inputs
        self._local_grads = local_grads
        self._op = op

    @property
    def inputs(self):
        return self._inputs

    def __add__(self, other):
        if not isinstance(other, TupleValue):
            other = TupleValue(other)
        return TupleValue(self.data + other.data, "", (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        if not isinstance(other, TupleValue):
            other = TupleValue(other)
        return TupleValue(self.data * other.data, "", (self, other), (other.data, self.data), "*")

    def __neg__(self):
        return TupleValue(-self.data, "", (self,), (-1.0,), "neg")

    def __radd__(self, other):
        return TupleValue(other) + self

    def __rmul__(self, other):
        return TupleValue(other) * self

    def relu(self):
        x = self.data
        if x > 0.0:
            return TupleValue(x, "", (self,), (1.0,), "relu")
        return TupleValue(0.0, "", (self,), (0.0,), "relu")

    @staticmethod
    def sum(terms):
        return TupleValue(sum([x.data for x in terms], 0.0), "", terms, _ones(len(terms)), "sum")

    def backward(self):
        tuple_backward(self)


class TupleFactoryValue(TupleValue):
    """The tuple layout, nodes made by `_tuple_node` instead of the class."""

    __slots__ = ()

    def __add__(self, other):
        if not isinstance(other, TupleValue):
            other = TupleFactoryValue(other)
        return _tuple_node(self.data + other.data, "+", (self, other), (1.0, 1.0))

    def __mul__(self, other):
        if not isinstance(other, TupleValue):
            other = TupleFactoryValue(other)
        return _tuple_node(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __neg__(self):
        return _tuple_node(-self.data, "neg", (self,), (-1.0,))

    def __radd__(self, other):
        return TupleFactoryValue(other) + self

    def __rmul__(self, other):
        return TupleFactoryValue(other) * self

    def relu(self):
        x = self.data
        if x > 0.0:
            return _tuple_node(x, "relu", (self,), (1.0,))
        return _tuple_node(0.0, "relu", (self,), (0.0,))

    @staticmethod
    def sum(terms):
        return _tuple_node(sum([x.data for x in terms], 0.0), "sum", terms, _ones(len(terms)))


def _tuple_node(data, op, inputs, local_grads):
    out = _new(TupleFactoryValue)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out._inputs = inputs
    out._local_grads = local_grads
    out._op = op
    return out


def tuple_backward(root):
    """The engine's backward before issue 16: iterators over `_inputs`, zip with grads."""
    seen = float("0.0")
    root.grad = seen
    order = []
    stack = []
    push, pop, emit = stack.append, stack.pop, order.append
    node, inputs = root, iter(root._inputs)
    while True:
        for child in inputs:
            if child._inputs and child.grad is not seen:
                child.grad = seen
                push((node, inputs))
                node, inputs = child, iter(child._inputs)
                break
        else:
            emit(node)
            if not stack:
                break
            node, inputs = pop()
    root.grad = 1.0
    for node in reversed(order):
        g = node.grad
        inputs = node._inputs
        if len(inputs) == 2:
            a, b = inputs
            da, db = node._local_grads
            a.grad += da * g
            b.grad += db * g
        else:
            for x, d in zip(inputs, node._local_grads):
                x.grad += d * g


_ONES: dict[int, tuple[float, ...]] = {}


def _ones(n):
    if n not in _ONES:
        _ONES[n] = (1.0,) * n
    return _ONES[n]


# -- "slots, Value(...)": the engine's layout, nodes made by calling the class -----------


class SlotValue:
    """Operands and local derivatives in slots, as the engine's Value, made by the class."""

    __slots__ = ("_a", "_b", "_da", "_db", "_op", "data", "grad", "label")

    def __init__(self, data, label="", a=None, da=0.0, b=None, db=0.0, op=""):
        self.data = data if type(data) is float else float(data)
        self.grad = 0.0
        self.label = label
        self._op = op
        self._a = a
        self._da = da
        self._b = b
        self._db = db

    @property
    def inputs(self):
        if self._b is not None:
            return (self._a, self._b)
        return () if self._a is None else (self._a,)

    def __add__(self, other):
        if not isinstance(other, SlotValue):
            other = SlotValue(other)
        return SlotValue(self.data + other.data, "", self, 1.0, other, 1.0, "+")

    def __mul__(self, other):
        if not isinstance(other, SlotValue):
            other = SlotValue(other)
        return SlotValue(self.data * other.data, "", self, other.data, other, self.data, "*")

    def __neg__(self):
        return SlotValue(-self.data, "", self, -1.0, None, 0.0, "neg")

    def __radd__(self, other):
        return SlotValue(other) + self

    def __rmul__(self, other):
        return SlotValue(other) * self

    def relu(self):
        x = self.data
        if x > 0.0:
            return SlotValue(x, "", self, 1.0, None, 0.0, "relu")
        return SlotValue(0.0, "", self, 0.0, None, 0.0, "relu")

    @staticmethod
    def sum(terms):
        return SlotSum(terms)

    def backward(self):
        from mg_tui.engine.backprop import _interior_order

        order = _interior_order(self)  # the engine's walk: the same slots
        self.grad = 1.0
        for node in reversed(order):
            g = node.grad
            a = node._a
            if a is None:
                for x in node._terms:
                    x.grad += g
            else:
                a.grad += node._da * g
                b = node._b
                if b is not None:
                    b.grad += node._db * g


class SlotSum(SlotValue):
    __slots__ = ("_terms",)

    def __init__(self, terms):
        super().__init__(sum([x.data for x in terms], 0.0), "", None, 0.0, None, 0.0, "sum")
        self._terms = terms

    @property
    def inputs(self):
        return self._terms


# -- the contenders ---------------------------------------------------------------------


class LayoutMLP:
    """micrograd's MLP (ReLU hidden, linear output), each neuron one `sum` node."""

    def __init__(self, value: type, make_sum: Callable) -> None:
        rng = random.Random(SEED)
        self.value, self.make_sum = value, make_sum
        self.layers = [
            [([value(rng.uniform(-1, 1)) for _ in range(nin)], value(0.0)) for _ in range(nout)]
            for nin, nout in itertools.pairwise([2, *SIZES])
        ]
        self.params = [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x: list) -> object:
        mul, make_sum = self.value.__mul__, self.make_sum
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            x = [make_sum((b, *map(mul, w, x))) for w, b in layer]
            if i < last:
                x = [act.relu() for act in x]
        return x[0]

    def parameters(self) -> list:
        return self.params

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = 0.0


def layouts() -> dict[str, tuple[type, Callable]]:
    from mg_tui.engine import Sum, Value

    return {
        TUPLES: (TupleValue, TupleValue.sum),
        "tuples, factory": (TupleFactoryValue, TupleFactoryValue.sum),
        "slots, Value()": (SlotValue, SlotValue.sum),
        KEPT: (Value, Sum),
    }


def loop(layout: tuple[type, Callable], xs: list, ys: list) -> Iterator[float]:
    value, make_sum = layout
    return training_loop(LayoutMLP(value, make_sum), value, xs, ys)


def graph_nodes(root: object) -> list:
    seen, stack = {id(root): root}, [root]
    while stack:
        for x in stack.pop().inputs:
            if id(x) not in seen:
                seen[id(x)] = x
                stack.append(x)
    return list(seen.values())


def graph_cost(layout: tuple[type, Callable], xs: list, ys: list) -> tuple[float, float, float]:
    """Tracked objects per node, and bytes per node after forward and after backward."""
    value, make_sum = layout
    model = LayoutMLP(value, make_sum)
    inputs = [list(map(value, x)) for x in xs]

    def forward():
        scores = list(map(model, inputs))
        losses = [(1 + -y * s).relu() for y, s in zip(ys, scores)]
        return sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.params)

    forward()  # warm up: caches of shared constants
    gc.collect()
    gc.disable()
    try:
        tracked = len(gc.get_objects())
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        root = forward()
        after_forward = tracemalloc.get_traced_memory()[0] - base
        root.backward()
        after_backward = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
        tracked = len(gc.get_objects()) - tracked
    finally:
        gc.enable()
    n = len(graph_nodes(root)) - len(model.params) - sum(map(len, inputs))  # made by forward
    return tracked / n, after_forward / n, after_backward / n


def main(argv: list[str] | None = None) -> int:
    from mg_tui.engine import collector

    parser = argparse.ArgumentParser(
        prog="python -m bench.node_layouts", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--steps", type=int, default=5, help="timed steps a round (default 5)")
    parser.add_argument("--wall", action="store_true", help="wall-clock time, not CPU time")
    args = parser.parse_args(argv)
    if args.wall:
        use_wall_clock()
    xs, ys = moons_data()
    contenders = layouts()
    seconds: dict[tuple[str, bool], list[float]] = {}
    collections: dict[tuple[str, bool], int] = {}

    current: tuple[str, bool] | None = None  # None: our own gc.collect() between runs

    def count(phase: str, info: dict) -> None:
        if phase == "start" and current is not None:
            collections[current] = collections.get(current, 0) + 1

    collector.enable_graph_policy(False)  # every layout alike: the collector as Python has it
    gc.callbacks.append(count)
    try:
        for _ in range(args.rounds):
            for name, layout in contenders.items():
                for gc_on in (False, True):
                    current = None
                    gc.collect()
                    current = (name, gc_on)
                    if not gc_on:
                        gc.disable()
                    steps = loop(layout, xs, ys)
                    next(steps)  # lead-in: the graph the first timed step frees
                    times = seconds.setdefault(current, [])
                    times.extend(timed(steps.__next__) for _ in range(args.steps))
                    steps.close()
                    del steps
                    current = None
                    gc.enable()
    finally:
        gc.callbacks.remove(count)
        collector.enable_graph_policy(True)

    console.print(f"timing: {clock_name()}, {args.rounds} rounds of {args.steps} steps\n")
    kept = statistics.median(seconds[(KEPT, False)])
    t = table(
        "Node layouts on micrograd's demo loop (MLP 2-16-16-1, 100 moons samples)",
        "layout",
        "GC off",
        "GC on",
        "GC/step",
        "x kept",
        "obj/node",
        "B/node f",
        "B/node b",
    )
    costs = {}
    for name, layout in contenders.items():
        off = statistics.median(seconds[(name, False)])
        on = statistics.median(seconds[(name, True)])
        passes = collections.get((name, True), 0) / (args.rounds * (args.steps + 1))
        tracked, fwd, bwd = costs[name] = graph_cost(layout, xs, ys)
        t.add_row(
            name,
            f"{off * 1e3:.1f}",
            f"{on * 1e3:.1f}",
            f"{passes:.1f}",
            f"{off / kept:.2f}",
            f"{tracked:.2f}",
            f"{fwd:.0f}",
            f"{bwd:.0f}",
        )
    console.print(t)
    console.print(
        "GC off, GC on: median ms a step, the collector off, then on as Python has it (no"
        " policy); GC/step: collector passes a step; x kept: GC-off time over the kept"
        " layout's; obj/node: objects tracked by the collector per node made; B/node f, b:"
        " bytes per node made (tracemalloc), after forward, after backward."
    )
    console.print("\n[bold]Targets[/]")
    medians = {name: statistics.median(seconds[(name, False)]) for name in contenders}
    fastest = min(medians, key=medians.get)
    ok = [
        verdict(
            "the kept layout is the fastest with the GC off",
            fastest == KEPT,
            f"{KEPT} {medians[KEPT] * 1e3:.1f} ms; {TUPLES} {medians[TUPLES] * 1e3:.1f} ms,"
            f" ratio {medians[KEPT] / medians[TUPLES]:.2f}",
        ),
        verdict(
            "the kept layout holds <= 160 bytes per node",
            max(costs[KEPT][1:]) <= 160,
            f"{costs[KEPT][1]:.0f} after forward, {costs[KEPT][2]:.0f} after backward",
        ),
    ]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    raise SystemExit(main())
