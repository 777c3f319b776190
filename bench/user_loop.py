"""User-loop benchmark: micrograd's demo training loop, written as users write it.

    python -m bench.user_loop [--rounds N] [--wall] [--no-torch] [--gc-off] [--compare]

bench.engine times our own fast path (nn.Trainer, n-ary sums, the collector paused
by the library). This one times the loop of micrograd's demo.ipynb as people copy
it, the same code for every library: built-in `sum(losses)` and
`sum(p*p for p in model.parameters())` (chains of "+"), SVM max-margin loss
`(1 + -yi*scorei).relu()`, L2 alpha 1e-4, `model.zero_grad()`, `total_loss.backward()`
and plain SGD `p.data -= lr * p.grad`, on 100 `make_moons` samples with an MLP
2-16-16-1 (ReLU hidden, linear output). scikit-learn is imported first, as in the
demo, and the cyclic collector is left as Python sets it: sklearn's long-lived
objects make every full collection expensive.

Contenders: ours (`mg_tui.engine.Value`, `mg_tui.nn.MLP`), micrograd from PyPI
(`micrograd.engine.Value`, `micrograd.nn.MLP`) and, where torch imports, PyTorch
with one 0-d float64 tensor per weight (the same scalar graph). `--gc-off` adds ours
with the collector disabled (the bound); `--compare` adds the alternatives measured
for issue 16: "no policy", ours with engine.collector's user-loop policy switched off
(the engine before it), and "no policy, freeze", that plus `gc.freeze()` of
everything alive before the first graph (sklearn, the data, the model).

Each round runs every contender's loop in turn: one untimed lead-in iteration,
then timed iterations of the same loop (so a timed step, as in the demo, also
frees the previous step's graph). Times are CPU time (`--wall` for wall clock);
the table shows medians and the spread (min-max) of all timed steps, and every
ratio comes from this run. Targets (issue 16): ours at most 0.04 of micrograd's
time and at most 0.08 of PyTorch's.

Memory: the graph of one step, built once more with the collector off, is measured
with tracemalloc after forward and after backward: bytes per node made by the step,
ours against micrograd's. Target (issue 16): at most 160 bytes per node.
"""

from __future__ import annotations

# As in micrograd's demo: scikit-learn is imported, with its hundreds of thousands
# of long-lived objects, before anything else.
from sklearn.datasets import make_moons  # isort: skip

import argparse
import gc
import itertools
import random
import statistics
import sys
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bench._common import (
    ALPHA,
    LR,
    NOISE,
    SAMPLES,
    SEED,
    SIZES,
    GCPauses,
    clock_name,
    console,
    table,
    timed,
    use_wall_clock,
    verdict,
)

OURS = "ours"
OURS_GC_OFF = "ours, GC off"
OURS_NO_POLICY = "ours, no policy"
OURS_FROZEN = "ours, no policy, freeze"
MICROGRAD = "micrograd"
TORCH = "PyTorch"

STEPS = {MICROGRAD: 2, TORCH: 2}  # timed steps a round (after the lead-in)
OURS_STEPS = 5  # ours is fast: more timed steps a round for a steadier median

MICROGRAD_TARGET = 0.04
TORCH_TARGET = 0.08


def moons_data() -> tuple[list[list[float]], list[float]]:
    """micrograd's demo data: `make_moons`, labels mapped to -1/+1 (as plain floats)."""
    X, y = make_moons(n_samples=SAMPLES, noise=NOISE, random_state=SEED)
    return X.tolist(), (y * 2 - 1).astype(float).tolist()


def training_loop(
    model: object, make_value: Callable[[float], object], xs: list, ys: list
) -> Iterator[float]:
    """micrograd's demo loop, verbatim but for the names: yields after every step.

    The loop variable `total_loss` keeps the last step's graph alive until the next
    forward pass has built the new one, exactly as in the notebook.
    """

    def loss():
        inputs = [list(map(make_value, xrow)) for xrow in xs]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (float(scorei.data) > 0) for yi, scorei in zip(ys, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    while True:
        total_loss, _acc = loss()
        model.zero_grad()
        total_loss.backward()
        for p in model.parameters():
            p.data -= LR * p.grad
        yield float(total_loss.data)


# -- the three libraries, each with the demo's model ---------------------------------


def ours_loop(xs: list, ys: list) -> Iterator[float]:
    from mg_tui.engine import Value
    from mg_tui.nn import MLP

    random.seed(SEED)
    model = MLP(2, SIZES, activation="relu", output_activation="linear")
    return training_loop(model, Value, xs, ys)


def micrograd_loop(xs: list, ys: list) -> Iterator[float]:
    from micrograd.engine import Value
    from micrograd.nn import MLP

    # micrograd's build_topo is recursive, and built-in sum() makes ~1,000-deep chains
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    random.seed(SEED)
    return training_loop(MLP(2, SIZES), Value, xs, ys)


class TorchScalarMLP:
    """micrograd's MLP in PyTorch, one 0-d float64 tensor per weight (same graph)."""

    def __init__(self, torch: object, sizes: list[int]) -> None:
        rng = random.Random(SEED)

        def scalar(x: float) -> object:
            return torch.tensor(x, dtype=torch.float64, requires_grad=True)

        self.layers = [
            [([scalar(rng.uniform(-1, 1)) for _ in range(nin)], scalar(0.0)) for _ in range(nout)]
            for nin, nout in itertools.pairwise(sizes)
        ]

    def __call__(self, x: list) -> object:
        for i, layer in enumerate(self.layers):
            out = []
            for w, b in layer:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)  # micrograd's Neuron
                out.append(act.relu() if i < len(self.layers) - 1 else act)
            x = out
        return x[0]

    def parameters(self) -> list:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = None


def torch_loop(xs: list, ys: list) -> Iterator[float] | None:
    try:
        import torch
    except ImportError:
        return None

    def value(x: float) -> object:
        return torch.tensor(x, dtype=torch.float64)

    return training_loop(TorchScalarMLP(torch, [2, *SIZES]), value, xs, ys)


# -- memory --------------------------------------------------------------------------

BYTES_TARGET = 160


def demo_graph(model: object, make_value: Callable[[float], object], xs: list, ys: list):
    """The demo loop's graph for one step (its `total_loss`), built as the loop builds it."""
    inputs = [list(map(make_value, xrow)) for xrow in xs]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores)]
    return sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())


def bytes_per_node(library: str, xs: list, ys: list) -> tuple[float, float, int]:
    """Bytes still allocated per node made by one step, after forward and after backward
    (tracemalloc), and how many nodes that step made (the parameters are not counted)."""
    if library == OURS:
        from mg_tui.engine import Value, topological_order
        from mg_tui.nn import MLP

        model = MLP(2, SIZES, activation="relu", output_activation="linear", seed=SEED)

        def count(root: object) -> int:
            return len(topological_order(root))
    else:
        from micrograd.engine import Value
        from micrograd.nn import MLP

        model = MLP(2, SIZES)

        def count(root: object) -> int:
            seen, stack = {id(root)}, [root]
            while stack:
                for child in stack.pop()._prev:
                    if id(child) not in seen:
                        seen.add(id(child))
                        stack.append(child)
            return len(seen)

    demo_graph(model, Value, xs, ys).backward()  # warm up: caches, lazy imports
    model.zero_grad()
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()  # nothing freed behind the measurement's back
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        root = demo_graph(model, Value, xs, ys)
        after_forward = tracemalloc.get_traced_memory()[0] - base
        root.backward()
        after_backward = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
        if was_enabled:
            gc.enable()
    made = count(root) - len(model.parameters())
    return after_forward / made, after_backward / made, made


# -- the runs ------------------------------------------------------------------------


@contextmanager
def collector_setting(name: str) -> Iterator[None]:
    """The collector as each contender runs it; restored afterwards."""
    from mg_tui.engine import collector

    policy = collector.graph_policy_enabled()
    was_enabled = gc.isenabled()
    try:
        if name == OURS_GC_OFF:
            gc.disable()
        elif name in (OURS_NO_POLICY, OURS_FROZEN):
            collector.enable_graph_policy(False)
            if name == OURS_FROZEN:
                gc.freeze()  # everything alive now: sklearn, the model, the data
        yield
    finally:
        collector.enable_graph_policy(policy)
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def run(rounds: int, contenders: dict[str, Callable[[], Iterator[float] | None]]):
    seconds: dict[str, list[float]] = {name: [] for name in contenders}
    pauses = {name: GCPauses() for name in contenders}
    for _ in range(rounds):
        for name, make_loop in contenders.items():
            gc.collect()  # the last contender's garbage is not this one's to pay for
            loop = make_loop()
            if loop is None:
                seconds.pop(name, None)
                continue
            with collector_setting(name), pauses[name]:
                next(loop)  # lead-in: builds the graph the first timed step frees
                for _ in range(OURS_STEPS if name.startswith(OURS) else STEPS[name]):
                    seconds[name].append(timed(loop.__next__))
                loop.close()
                del loop  # the last graph goes inside the setting, as a program's would
    return seconds, pauses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.user_loop", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--wall", action="store_true", help="wall-clock time, not CPU time")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--gc-off", action="store_true", help="add ours with the GC disabled")
    parser.add_argument(
        "--compare", action="store_true", help="add the alternatives measured for issue 16"
    )
    args = parser.parse_args(argv)
    if args.wall:
        use_wall_clock()
    xs, ys = moons_data()
    contenders: dict[str, Callable[[], Iterator[float] | None]] = {OURS: lambda: ours_loop(xs, ys)}
    if args.gc_off:
        contenders[OURS_GC_OFF] = lambda: ours_loop(xs, ys)
    if args.compare:
        contenders[OURS_NO_POLICY] = lambda: ours_loop(xs, ys)
        contenders[OURS_FROZEN] = lambda: ours_loop(xs, ys)
    contenders[MICROGRAD] = lambda: micrograd_loop(xs, ys)
    if not args.no_torch:
        contenders[TORCH] = lambda: torch_loop(xs, ys)

    console.print(
        f"timing: {clock_name()}, {args.rounds} rounds; tracked objects at start: "
        f"{len(gc.get_objects()):,}; gc threshold {gc.get_threshold()}\n"
    )
    seconds, pauses = run(args.rounds, contenders)
    ours = statistics.median(seconds[OURS])
    t = table(
        "micrograd's demo loop: MLP 2-16-16-1, 100 moons samples, SVM + L2, plain SGD",
        "contender",
        "median ms/step",
        "spread ms",
        "steps",
        "x ours",
        "GC/step",
    )
    for name, times in seconds.items():
        ms = statistics.median(times) * 1e3
        passes = len(pauses[name].pauses) / (len(times) + args.rounds)  # lead-ins too
        t.add_row(
            name,
            f"{ms:.1f}",
            f"{min(times) * 1e3:.1f}-{max(times) * 1e3:.1f}",
            str(len(times)),
            f"{ms / (ours * 1e3):.2f}",
            f"{passes:.1f}",
        )
    console.print(t)
    for name in seconds:
        console.print(f"cyclic GC during {name}: {pauses[name].summary()}")

    memory = {name: bytes_per_node(name, xs, ys) for name in (OURS, MICROGRAD)}
    t = table(
        "\nBytes per node of one step's graph (tracemalloc; nodes made by the step)",
        "library",
        "nodes",
        "after forward",
        "after backward",
    )
    for name, (fwd, bwd, made) in memory.items():
        t.add_row(name, f"{made:,}", f"{fwd:.0f}", f"{bwd:.0f}")
    console.print(t)

    console.print("\n[bold]Targets[/]")
    results: list[bool | None] = []
    fwd, bwd, _ = memory[OURS]
    results.append(
        verdict(
            f"ours <= {BYTES_TARGET} bytes per node held",
            max(fwd, bwd) <= BYTES_TARGET,
            f"{fwd:.0f} after forward, {bwd:.0f} after backward"
            f" (micrograd {memory[MICROGRAD][0]:.0f} and {memory[MICROGRAD][1]:.0f})",
        )
    )
    for name, target in ((MICROGRAD, MICROGRAD_TARGET), (TORCH, TORCH_TARGET)):
        label = f"ours <= {target} of {name}'s time"
        if name not in seconds:
            results.append(verdict(label, None, "not run"))
            continue
        other = statistics.median(seconds[name])
        results.append(
            verdict(
                label,
                ours <= target * other,
                f"{ours * 1e3:.1f} ms vs {other * 1e3:.1f} ms, ratio {ours / other:.3f}",
            )
        )
    return 0 if all(r is not False for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
