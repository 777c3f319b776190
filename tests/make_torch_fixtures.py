"""Write tests/fixtures/torch_reference.json: PyTorch's values and grads, in float64.

Regenerate (torch is a tool for this script only, never a dependency of mg-tui):

    pip install torch==2.13.0      # installs from a local wheel on the project machines
    python tests/make_torch_fixtures.py

The JSON holds computation graphs in a tiny description format that this script and
tests/engine/test_torch_reference.py both interpret, one with torch and one with our
engine, plus what torch computed for them:

    {"leaves": [x0, x1, ...],            # leaf values, node indices 0 .. L-1
     "nodes":  [[op, operand, ...], ...], # node L + k; the last node is the output
     "values": [...], "grads": [...]}     # torch's data and d(output)/d(node), every node

An operand is a node index (int) or a plain number written {"k": 2.5}. Ops:
"+", "-", "*", "/", "**" (binary; either side may be a number: x ** 2 or 2 ** x),
"neg", "exp", "log", "tanh", "relu", "sigmoid" (unary), "sum" (our n-ary Value.sum,
any number of operands), "builtin_sum" (Python's sum() over the operands) and
"logsumexp" (our n-ary Value.logsumexp; torch.logsumexp over the stacked operands).

Section "ops" has every op alone at several points; section "graphs" has random
graphs from a fixed seed, with fan-out (nodes used several times, even twice by one
node), dead branches, and points kept away from domain edges and relu's kink.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import torch

TORCH_VERSION = "2.13.0"
SEED = 20240613
GRAPH_COUNT = 400
OUT = Path(__file__).parent / "fixtures" / "torch_reference.json"

UNARY = ("neg", "exp", "log", "tanh", "relu", "sigmoid")
BINARY = ("+", "-", "*", "/", "**")
NARY = ("sum", "builtin_sum", "logsumexp")
CONST_EXPONENTS = (2, 3, -1, -2, 0.5, 1.5, -0.5, 0, 1, 2.5)
CONST_BASES = (2.0, 0.5, 3.0, math.e)


def k(x: float) -> dict[str, float]:
    return {"k": float(x)}


def evaluate(leaves: list[float], nodes: list[list]) -> list[torch.Tensor]:
    """Build the graph in torch (float64); return one tensor per node, leaves first."""
    ts = [torch.tensor(float(x), dtype=torch.float64, requires_grad=True) for x in leaves]
    for node in nodes:
        ts.append(apply(node, ts))
    return ts


def operand(x, ts: list[torch.Tensor]):
    return float(x["k"]) if isinstance(x, dict) else ts[x]


def apply(node: list, ts: list[torch.Tensor]) -> torch.Tensor:
    op, *args = node
    if op in NARY:
        items = [operand(a, ts) for a in args[0]]
        if op == "builtin_sum":
            return sum(items)
        as_tensors = [
            t if isinstance(t, torch.Tensor) else torch.tensor(t, dtype=torch.float64)
            for t in items
        ]
        if op == "logsumexp":
            return torch.logsumexp(torch.stack(as_tensors), dim=0)
        return torch.stack(as_tensors).sum()
    if op in BINARY:
        a, b = operand(args[0], ts), operand(args[1], ts)
        return {
            "+": lambda: a + b,
            "-": lambda: a - b,
            "*": lambda: a * b,
            "/": lambda: a / b,
            "**": lambda: a**b,
        }[op]()
    x = ts[args[0]]
    return {
        "neg": lambda: -x,
        "exp": lambda: torch.exp(x),
        "log": lambda: torch.log(x),
        "tanh": lambda: torch.tanh(x),
        "relu": lambda: torch.relu(x),
        "sigmoid": lambda: torch.sigmoid(x),
    }[op]()


def record(name: str, leaves: list[float], nodes: list[list]) -> dict:
    ts = evaluate(leaves, nodes)
    out = ts[-1]
    grads = torch.autograd.grad(out, ts, allow_unused=True)
    return {
        "name": name,
        "leaves": [float(x) for x in leaves],
        "nodes": nodes,
        "values": [t.item() for t in ts],
        "grads": [0.0 if g is None else g.item() for g in grads],
    }


# -- every op alone ----------------------------------------------------------------


def op_cases() -> list[dict]:
    cases = []
    pairs = [(1.5, -2.25), (-0.75, 3.0), (2.0, 0.5), (1000.0, -0.001), (-3.5, -1.25)]
    for op in ("+", "-", "*", "/"):
        for a, b in pairs:
            cases.append(record(f"x {op} y at {a}, {b}", [a, b], [[op, 0, 1]]))
        for x in (1.5, -0.8, 4.0):
            for c in (2.5, -3.0):
                cases.append(record(f"x {op} {c} at {x}", [x], [[op, 0, k(c)]]))
                cases.append(record(f"{c} {op} x at {x}", [x], [[op, k(c), 0]]))
        cases.append(record(f"x {op} x at 1.75", [1.75], [[op, 0, 0]]))
    for n in CONST_EXPONENTS:
        points = [0.5, 1.7, 3.0]
        if float(n).is_integer():
            points += [-1.3, -2.0]
        for x in points:
            cases.append(record(f"x ** {n} at {x}", [x], [["**", 0, k(n)]]))
    for a, b in [(2.0, 3.0), (0.5, -1.5), (1.7, 0.3), (3.0, 0.0), (0.9, 2.5)]:
        cases.append(record(f"x ** y at {a}, {b}", [a, b], [["**", 0, 1]]))
    for c in CONST_BASES:
        for y in (1.5, -2.0, 0.7):
            cases.append(record(f"{c} ** y at {y}", [y], [["**", k(c), 0]]))
    cases.append(record("x ** x at 1.3", [1.3], [["**", 0, 0]]))
    unary_points = {
        "neg": [-2.0, 0.0, 3.5],
        "exp": [-2.0, 0.0, 0.5, 3.0, 20.0, -30.0],
        "log": [0.1, 1.0, 2.5, 100.0, 1e-5],
        "tanh": [-3.0, -0.5, 0.0, 0.5, 3.0, 1000.0, -1000.0, 25.0],
        "relu": [-2.0, -0.5, 0.5, 2.0, 1e-7],
        "sigmoid": [-1000.0, -30.0, -2.0, 0.0, 2.0, 30.0, 1000.0],
    }
    for op, points in unary_points.items():
        for x in points:
            cases.append(record(f"{op}(x) at {x}", [x], [[op, 0]]))
    sums = [
        ([2.5], [0]),
        ([1.5, -2.0, 0.25], [0, 1, 2]),
        ([1.5, -2.0, 0.25], [0, k(4.0), 1, 2, 0]),
        ([0.1, 0.2, 0.3, 0.4, 0.5], [0, 1, 2, 3, 4]),
    ]
    for op in NARY:
        for leaves, args in sums:
            if op == "builtin_sum" and any(isinstance(a, dict) for a in args):
                continue  # Python's sum() here is over Values only
            cases.append(record(f"{op} of {len(args)}", leaves, [[op, args]]))
    # logsumexp where a naive log(sum(exp)) would overflow or underflow, and with one
    # term much larger than the rest (its softmax share near 1)
    for leaves in ([1000.0, 1001.0, 999.5], [-1000.0, -1001.0], [30.0, -30.0, 0.0], [2.0, 2.0]):
        args = list(range(len(leaves)))
        cases.append(record(f"logsumexp at {leaves}", leaves, [["logsumexp", args]]))
    # softmax and cross-entropy, as nn builds them from logsumexp
    z = [1.5, -0.5, 0.25]
    for i in range(3):  # softmax_i = exp(z_i - logsumexp(z))
        nodes = [["logsumexp", [0, 1, 2]], ["-", i, 3], ["exp", 4]]
        cases.append(record(f"softmax {i} of {z}", z, nodes))
    for y in range(3):  # cross-entropy = logsumexp(z) - z_y
        nodes = [["logsumexp", [0, 1, 2]], ["-", 3, y]]
        cases.append(record(f"cross-entropy, class {y}, of {z}", z, nodes))
    # the mean cross-entropy of two samples with shared logits' weights: fan-out
    nodes = [
        ["*", 0, 2], ["*", 1, 2], ["*", 0, 3],  # 4, 5, 6: logits of sample A (w*x)
        ["logsumexp", [4, 5, 6]], ["-", 7, 5],  # 7, 8: CE of A, class 1
        ["logsumexp", [4, 6]], ["-", 9, 4],  # 9, 10: CE of B, class 0
        ["sum", [8, 10]], ["*", 11, {"k": 0.5}],
    ]
    cases.append(record("mean cross-entropy of two samples", [0.7, -1.2, 2.0, 0.4], nodes))
    return cases


# -- random graphs -----------------------------------------------------------------


def safe(op: str, args: list, values: list[float]) -> bool:
    """Keep points away from domain edges, kinks and huge numbers."""

    def v(a):
        return a["k"] if isinstance(a, dict) else values[a]

    x = v(args[0]) if op not in NARY else None
    if op == "log":
        return x >= 0.2
    if op == "exp":
        return x <= 8.0
    if op == "relu":
        return abs(x) >= 0.05
    if op == "/":
        return abs(v(args[1])) >= 0.2
    if op == "**":
        base, exponent = v(args[0]), v(args[1])
        if isinstance(args[1], dict):  # x ** number
            if not float(exponent).is_integer():
                return base >= 0.2
            return exponent >= 0 or abs(base) >= 0.2
        return base >= 0.2 and abs(exponent) <= 4.0  # differentiable in both
    return True


def random_node(rng: random.Random, count: int) -> list:
    """A random op over existing nodes, favouring recent ones (for depth)."""

    def pick() -> int:
        if rng.random() < 0.5:
            return rng.randrange(max(0, count - 3), count)
        return rng.randrange(count)

    kind = rng.random()
    if kind < 0.45:
        op = rng.choice(BINARY)
        a, b = pick(), pick()
        side = rng.random()
        if op == "**":
            if side < 0.5:
                return [op, a, k(rng.choice(CONST_EXPONENTS))]
            if side < 0.7:
                return [op, k(rng.choice(CONST_BASES)), b]
            return [op, a, b]
        c = k(round(rng.uniform(-3.0, 3.0), 3) or 1.0)
        if side < 0.2:
            return [op, a, c]
        if side < 0.35:
            return [op, c, b]
        return [op, a, b]
    if kind < 0.9:
        return [rng.choice(UNARY), pick()]
    op = rng.choice(NARY)
    args = [pick() for _ in range(rng.randint(1, 5))]
    if op in ("sum", "logsumexp") and rng.random() < 0.3:
        args.insert(rng.randrange(len(args) + 1), k(round(rng.uniform(-2.0, 2.0), 3)))
    return [op, args]


def random_graph(rng: random.Random, index: int) -> dict:
    leaves = [round(rng.uniform(-3.0, 3.0), 6) for _ in range(rng.randint(1, 4))]
    values = list(leaves)
    nodes: list[list] = []
    target = rng.randint(2, 16)
    while len(nodes) < target:
        node = random_node(rng, len(values))
        op, *args = node
        flat = args[0] if op in NARY else args
        if not safe(op, flat, values):
            continue
        value = apply(node, evaluate(leaves, nodes)).item()
        if not math.isfinite(value) or abs(value) > 1e4:
            continue
        nodes.append(node)
        values.append(value)
    if rng.random() < 0.8:  # gather every unused node into the output
        used = set()
        for op, *args in nodes:
            used.update(a for a in (args[0] if op in NARY else args) if isinstance(a, int))
        dangling = [i for i in range(len(values)) if i not in used and i >= len(leaves)]
        if len(dangling) > 1:
            nodes.append(["sum", dangling])
    return record(f"graph {index}", leaves, nodes)


def main() -> None:
    if torch.__version__.split("+")[0] != TORCH_VERSION:
        sys.exit(f"need torch=={TORCH_VERSION}, found {torch.__version__}")
    torch.set_default_dtype(torch.float64)
    rng = random.Random(SEED)
    data = {
        "torch_version": TORCH_VERSION,
        "seed": SEED,
        "format": __doc__[__doc__.index("The JSON holds") :].strip(),
        "ops": op_cases(),
        "graphs": [random_graph(rng, i) for i in range(GRAPH_COUNT)],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
