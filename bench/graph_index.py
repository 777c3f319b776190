"""What showing a step costs the graph index (issue 16: nothing per node until a node is
looked at), and the designs measured against it.

    python -m bench.graph_index [--rounds N]

On moons 2-16-16-1 (100 samples, full batch, ~38,000 nodes), CPU time of this process,
medians over the rounds:
- showing a step: `Session.snapshot()` after a step played unseen, with the index walked
  on the worker (what every shown step cost before; now only when the graph shown
  before was looked at) and without (now, when nobody looked beyond the root);
- the walk itself, and what the first look at a line beyond the root costs;
- alternatives: a use-count-only pass (a dict of ints, no consumer lists), and reusing
  the previous graph's index, which would first have to check that the two graphs have
  the same shape (a walk of both, pairing nodes: a count cannot be trusted without it).
"""

from __future__ import annotations

import argparse
from functools import partial

from mg_tui.engine import Value, collector_paused
from mg_tui.nn.config import RunConfig
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.session import Command, Session

from bench._common import console, median_ms, timed

CONFIG = RunConfig(
    dataset="moons",
    samples=100,
    arch=(16, 16),
    activation="relu",
    output_activation="linear",
    loss="svm",
    lr=0.05,
    seed=1,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    session = Session(CONFIG)
    session.run(Command("build", CONFIG))
    session.run(Command("step"))

    def show(looked_at: bool) -> float:
        """One unseen step, then the CPU time of the snapshot that shows it."""
        session.index.looked_at = looked_at  # what the UI did with the graph shown before
        session.run(Command("step"), show=False)
        return timed(session.snapshot)

    figures: dict[str, list[float]] = {
        "show a step, index walked (before; now after a look)": [],
        "show a step, nobody looked beyond the root (now)": [],
        "first look beyond the root (walks the graph)": [],
        "alternative: use counts only": [],
        "alternative: reuse, shape check of two graphs": [],
    }
    for _ in range(args.rounds):
        figures["show a step, index walked (before; now after a look)"].append(show(True))
        figures["show a step, nobody looked beyond the root (now)"].append(show(False))
        index = session.index
        first_look = partial(index.use_count, index.root.inputs[0])
        figures["first look beyond the root (walks the graph)"].append(timed(first_look))
        previous = index.root
        figures["alternative: use counts only"].append(timed(partial(use_counts, previous)))
        session.run(Command("step"), show=False)
        check = partial(same_shape, previous, session.trainer.graph)
        figures["alternative: reuse, shape check of two graphs"].append(timed(check))
        del index, first_look, previous, check
    nodes = GraphIndex.build(session.trainer.graph).size
    console.print(
        f"graph index on moons 2-16-16-1, {nodes:,} nodes, CPU ms, median of {args.rounds}:"
    )
    for name, seconds in figures.items():
        console.print(f"  {name:<55} {median_ms(seconds):7.2f} ms")
    return 0


def use_counts(root: Value) -> dict[Value, int]:
    """The counting pass alone: the same walk as the index's, an int per node."""
    counts: dict[Value, int] = {}
    get = counts.get
    stack = [root]
    pop, push = stack.pop, stack.append
    with collector_paused():
        while stack:
            node = pop()
            for x in node.inputs:
                n = get(x)
                if n is None:
                    counts[x] = 1
                    push(x)
                else:
                    counts[x] = n + 1
    return counts


def same_shape(a: Value, b: Value) -> bool:
    """Whether two graphs are the same up to node identity (ops, arity, sharing): the
    check a reused index would need before its counts could be shown for `b`."""
    pairs: dict[Value, Value] = {a: b}
    taken = {b}
    stack = [(a, b)]
    with collector_paused():
        while stack:
            x, y = stack.pop()
            xs, ys = x.inputs, y.inputs
            if x.op != y.op or len(xs) != len(ys):
                return False
            for u, v in zip(xs, ys):
                seen = pairs.get(u)
                if seen is None:
                    if v in taken:
                        return False
                    pairs[u] = v
                    taken.add(v)
                    stack.append((u, v))
                elif seen is not v:
                    return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
