"""Drawing benchmark: laying out and drawing a 60-value graph takes at most 100 ms.

    python -m bench.drawing [--repeats N] [--wall]

The graph is the largest the drawing shows (MAX_NODES = 60 values): a neuron layer of
six tanh units over two inputs, a linear output and a squared error, so every input
fans out to six consumers and the crossing reduction has work to do. Timed: `draw()`,
the whole of it (count, layout, routing, painting every cell), as the widget and
`mg-tui expr --print` call it; and `layered_layout()` alone.

Times are CPU time (time.process_time; `--wall` for wall-clock time), medians over
the repeats. Target (issue 15): ≤ 100 ms for a 60-node graph.
"""

from __future__ import annotations

import argparse
import random

from bench._common import clock_name, console, median_ms, timed, use_wall_clock, verdict

TARGET_MS = 100.0
INPUTS, HIDDEN = 2, 6  # 60 values


def sixty_node_graph():
    """A 2-6-1 tanh layer with a squared error: 60 value nodes, after backward."""
    from mg_tui.engine import Value

    rnd = random.Random(1)
    xs = [Value(rnd.uniform(-1, 1), f"x{i}") for i in range(INPUTS)]
    hidden = []
    for j in range(HIDDEN):
        ws = [Value(rnd.uniform(-1, 1), f"w{j}{i}") for i in range(INPUTS)]
        terms = [Value(0.1, f"b{j}"), *(w * x for w, x in zip(ws, xs))]
        hidden.append(Value.sum(terms).tanh())
    vs = [Value(rnd.uniform(-1, 1), f"v{j}") for j in range(HIDDEN)]
    out = Value.sum([v * h for v, h in zip(vs, hidden)])
    loss = (out - Value(1.0, "y")) ** 2
    loss.label = "L"
    loss.backward()
    return loss


def main(argv: list[str] | None = None) -> int:
    from mg_tui.tui.core import graph_drawing
    from mg_tui.tui.core.graph_drawing import MAX_NODES, draw, value_count

    parser = argparse.ArgumentParser(
        prog="python -m bench.drawing", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--repeats", type=int, default=20, help="repeats (default 20)")
    parser.add_argument(
        "--wall", action="store_true", help="time with the wall clock, not CPU time"
    )
    args = parser.parse_args(argv)
    if args.wall:
        use_wall_clock()
    root = sixty_node_graph()
    nodes = value_count(root)
    assert nodes == MAX_NODES, nodes
    drawing = draw(root)  # once untimed: imports, caches
    layout_input = graph_drawing.layout_input(root)
    layout_ms = median_ms(
        [timed(lambda: graph_drawing.layered_layout(*layout_input)) for _ in range(args.repeats)]
    )
    draw_ms = median_ms([timed(lambda: draw(root)) for _ in range(args.repeats)])
    console.print(
        f"timing: {clock_name()}, medians over {args.repeats} repeats; "
        f"{nodes} values, drawing {drawing.width} x {len(drawing.lines)} cells"
    )
    console.print(
        f"layered_layout: {layout_ms:.1f} ms; draw (count, layout, paint): {draw_ms:.1f} ms"
    )
    ok = verdict(
        f"a {nodes}-node graph is laid out and drawn in ≤ {TARGET_MS:g} ms",
        draw_ms <= TARGET_MS,
        f"median {draw_ms:.1f} ms",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
