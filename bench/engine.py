"""Engine benchmark: our engine against micrograd and PyTorch, in one process.

    python -m bench.engine [--rounds N] [--wall] [--no-torch]

Workloads (issue 2, "Speed and memory"):

1. One full training step (forward, backward, SGD update) of micrograd's demo:
   MLP 2-16-16-1, ReLU hidden, linear output, 100 make_moons samples (noise 0.1),
   SVM max-margin loss plus 1e-4 L2. micrograd with `micrograd.nn.MLP`, with the
   cyclic GC at its default and disabled; ours with `nn.MLP` + `nn.Trainer.step()`
   as the library runs it (the Trainer pauses the GC during a step); PyTorch
   building the same scalar graph from 0-d float64 tensors, when installed.
2. Forward and backward of a chain `y = y * c + d` (c, d plain numbers) of 5,000
   steps (ours and micrograd) and 1,000,000 steps (ours only: micrograd's
   recursive topological sort cannot walk it; shown failing at 5,000 with Python's
   default recursion limit). The 1,000,000-step chain runs inside
   `engine.collector_paused()`, as the engine advises for big graphs.
3. Bytes per node (tracemalloc) on the 5,000-step chain: bytes still allocated
   after the forward pass, and after backward, divided by the graph's node count.

Times are CPU time (`--wall` for wall-clock), medians over rounds in which the
contenders take turns; every ratio comes from this run. Targets on the reference
machine: (1) ours at most 1/20 of micrograd's time (GC default) and 1/10 of
PyTorch's; (2) the 1,000,000-step chain completes; (3) at most 160 bytes per node.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from collections.abc import Callable

from bench._common import (
    clock_name,
    console,
    median_ms,
    table,
    timed,
    timed_result,
    use_wall_clock,
    verdict,
)
from bench.model import (
    MG_DEFAULT,
    OURS,
    TORCH,
    micrograd_target,
    print_step_table,
    time_training_step,
)

C, D = 0.999, 0.001  # the chain's constants: y stays near 1, no overflow


def chain(value: Callable[[float], object], n: int) -> object:
    """y = y * c + d, n times: 4 nodes a step (two constants made leaves)."""
    y = value(1.0)
    for _ in range(n):
        y = y * C + D
    return y


def count_nodes(root: object) -> int:
    """Distinct nodes below root, for either engine (iterative: chains are deep)."""
    children = (lambda v: v.inputs) if hasattr(root, "inputs") else (lambda v: v._prev)
    seen = {id(root)}
    stack = [root]
    while stack:
        for child in children(stack.pop()):
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def time_chain(value: Callable[[float], object], n: int, rounds: int) -> tuple[float, float]:
    """Median milliseconds of forward and of backward for an n-step chain."""
    forward, backward = [], []
    for _ in range(rounds):
        seconds, root = timed_result(lambda: chain(value, n))
        forward.append(seconds)
        backward.append(timed(root.backward))
        del root
        gc.collect()  # micrograd's graphs are cycles; ours are freed already
    return median_ms(forward), median_ms(backward)


def bytes_per_node(value: Callable[[float], object], n: int) -> tuple[float, float, int]:
    """(after forward, after backward) bytes still allocated per node, node count."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        root = chain(value, n)
        after_forward = tracemalloc.get_traced_memory()[0] - base
        root.backward()
        gc.collect()  # drop micrograd's topological-sort leftovers, if any cycles
        after_backward = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    nodes = count_nodes(root)
    return after_forward / nodes, after_backward / nodes, nodes


def micrograd_recursion_note() -> str:
    """What micrograd does with a 5,000-step chain at Python's default limit."""
    from micrograd.engine import Value

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        chain(Value, 5000).backward()
        return "backward completed at the default recursion limit"
    except RecursionError as error:
        return f"RecursionError ({error}) at the default recursion limit of 1000"
    finally:
        sys.setrecursionlimit(limit)
        gc.collect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.engine", description="engine benchmark")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--wall", action="store_true", help="wall-clock time, not CPU time")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    args = parser.parse_args(argv)
    if args.wall:
        use_wall_clock()
    from mg_tui.engine import Value, collector_paused
    from micrograd.engine import Value as MicrogradValue

    console.print(f"timing: {clock_name()}, medians over {args.rounds} rounds\n")
    results: list[bool | None] = []

    # 1. the training step
    times = time_training_step(args.rounds, with_torch=not args.no_torch)
    print_step_table(times, "1. One training step: MLP 2-16-16-1, 100 moons samples, SVM + L2")

    # 2. the chain
    note = micrograd_recursion_note()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    t = table("\n2. Chain y = y * c + d", "contender", "steps", "forward ms", "backward ms")
    mg_fwd, mg_bwd = time_chain(MicrogradValue, 5_000, args.rounds)
    ours_fwd, ours_bwd = time_chain(Value, 5_000, args.rounds)
    t.add_row("micrograd", "5,000", f"{mg_fwd:.1f}", f"{mg_bwd:.1f}")
    t.add_row("ours", "5,000", f"{ours_fwd:.1f}", f"{ours_bwd:.1f}")
    t.add_row("ours is x faster", "", f"{mg_fwd / ours_fwd:.1f}x", f"{mg_bwd / ours_bwd:.1f}x")
    with collector_paused():  # as the engine advises for big graphs (see engine.collector)
        big_fwd, big = timed_result(lambda: chain(Value, 1_000_000))
        big_bwd = timed(big.backward)
    big_ok = abs(big.data - 1.0) < 1e-9 and big.grad == 1.0
    big_fwd, big_bwd = big_fwd * 1e3, big_bwd * 1e3
    del big
    t.add_row("ours, GC paused", "1,000,000", f"{big_fwd:.0f}", f"{big_bwd:.0f}")
    t.add_row("micrograd", "1,000,000", "not run", "not run")
    console.print(t)
    console.print(f"micrograd, 5,000 steps: {note}; the table's run raised the limit to 100,000.")
    console.print(
        "micrograd, 1,000,000 steps: not run; its recursive build_topo would need a "
        "2,000,000-deep recursion."
    )

    # 3. memory
    t = table(
        "\n3. Bytes per node, 5,000-step chain (tracemalloc)",
        "engine",
        "nodes",
        "after forward",
        "after backward",
    )
    ours_mem = bytes_per_node(Value, 5_000)
    mg_mem = bytes_per_node(MicrogradValue, 5_000)
    for name, (fwd, bwd, nodes) in (("ours", ours_mem), ("micrograd", mg_mem)):
        t.add_row(name, f"{nodes:,}", f"{fwd:.0f}", f"{bwd:.0f}")
    console.print(t)

    # targets
    console.print("\n[bold]Targets[/]")
    results.append(micrograd_target(times))
    if TORCH in times.seconds:
        ours, torch = times.median_ms(OURS), times.median_ms(TORCH)
        results.append(
            verdict(
                "training step <= 1/10 of PyTorch's scalar time",
                ours * 10 <= torch,
                f"{ours:.1f} ms vs {torch:.1f} ms, {torch / ours:.1f}x",
            )
        )
    else:
        verdict("training step <= 1/10 of PyTorch's scalar time", None, "PyTorch not run")
    results.append(
        verdict(
            "1,000,000-step chain completes",
            big_ok,
            f"forward {big_fwd:.0f} ms, backward {big_bwd:.0f} ms",
        )
    )
    results.append(
        verdict(
            "<= 160 bytes per node",
            ours_mem[0] <= 160 and ours_mem[1] <= 160,
            f"{ours_mem[0]:.0f} after forward, {ours_mem[1]:.0f} after backward "
            f"(micrograd {mg_mem[0]:.0f} and {mg_mem[1]:.0f})",
        )
    )
    console.print(f"(micrograd GC default: {times.median_ms(MG_DEFAULT):.0f} ms a step)")
    return 0 if all(r is not False for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
