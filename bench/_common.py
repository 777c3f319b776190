"""What both benchmarks share: timing, the moons workload for each library, output.

The workload is micrograd's demo: an MLP 2-16-16-1 (ReLU hidden, linear output) on
100 `make_moons` samples (noise 0.1), SVM max-margin loss mean(relu(1 - y*score))
plus 1e-4 * sum(p*p), and a plain SGD update. Every library builds the same scalar
graph; only the engine differs.
"""

from __future__ import annotations

import gc
import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.table import Table

SIZES = [16, 16, 1]
SAMPLES = 100
NOISE = 0.1
SEED = 1
ALPHA = 1e-4  # L2 strength
LR = 0.05  # constant, so that any number of timed steps stays a sane run

console = Console(highlight=False)
T = TypeVar("T")


def median_ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1e3


# CPU time of this process by default: other processes on a shared machine then
# barely move the figures. `use_wall_clock()` switches to time.perf_counter.
_clock = time.process_time


def use_wall_clock() -> None:
    global _clock
    _clock = time.perf_counter


def clock_name() -> str:
    return "wall-clock time" if _clock is time.perf_counter else "CPU time (process_time)"


def timed(fn: Callable[[], object]) -> float:
    return timed_result(fn)[0]


def timed_result(fn: Callable[[], T]) -> tuple[float, T]:
    start = _clock()
    result = fn()
    return _clock() - start, result


@contextmanager
def gc_disabled():
    """The cyclic collector off for the block (restored after)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class GCPauses:
    """Records every cyclic-GC pass (generation, milliseconds) while installed."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []
        self._start = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((info["generation"], (time.perf_counter() - self._start) * 1e3))

    def __enter__(self) -> GCPauses:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self._callback)

    def summary(self) -> str:
        if not self.pauses:
            return "no collections"
        worst = max(ms for _, ms in self.pauses)
        return f"{len(self.pauses)} collections, longest {worst:.1f} ms"


def moons() -> tuple[list[list[float]], list[float]]:
    """The data set, made once by our nn (scikit-learn's make_moons), labels +/-1."""
    from mg_tui.nn import load_dataset

    ds = load_dataset("moons", SAMPLES, noise=NOISE, seed=SEED)
    return [list(x) for x in ds.xs], list(ds.ys)


# -- one training step per library ------------------------------------------------


def ours_trainer():
    """Our nn.MLP and nn.Trainer, exactly as a user (or the app) runs a step."""
    from mg_tui.nn import MLP, SGD, Trainer, load_dataset

    model = MLP(2, SIZES, activation="relu", output_activation="linear", seed=SEED)
    ds = load_dataset("moons", SAMPLES, noise=NOISE, seed=SEED)
    return Trainer(model, ds, loss="svm", l2=ALPHA, optimizer=SGD(model.parameters(), LR))


def micrograd_step(xs: list[list[float]], ys: list[float]) -> Callable[[], float]:
    """micrograd.nn.MLP and the step of micrograd's demo notebook."""
    from micrograd.engine import Value
    from micrograd.nn import MLP

    # micrograd's build_topo is recursive: the graph is ~1,000 deep (Python's sum()
    # builds chains), past the default recursion limit.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    random.seed(SEED)
    model = MLP(2, SIZES)
    params = model.parameters()

    def step() -> float:
        inputs = [list(map(Value, x)) for x in xs]
        scores = list(map(model, inputs))
        losses = [(1 + -y * s).relu() for y, s in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in params)
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        for p in params:
            p.data -= LR * p.grad
        return total.data

    return step


def torch_step(xs: list[list[float]], ys: list[float]) -> Callable[[], float] | None:
    """PyTorch building the same scalar graph from 0-d float64 tensors (None if absent)."""
    try:
        import torch
    except ImportError:
        return None
    rng = random.Random(SEED)
    sizes = [2, *SIZES]
    layers = [
        [
            (
                [
                    torch.tensor(rng.uniform(-1, 1), dtype=torch.float64, requires_grad=True)
                    for _ in range(nin)
                ],
                torch.tensor(0.0, dtype=torch.float64, requires_grad=True),
            )
            for _ in range(nout)
        ]
        for nin, nout in itertools.pairwise(sizes)
    ]
    params = [p for layer in layers for w, b in layer for p in (*w, b)]

    def forward(x: list) -> object:
        for i, layer in enumerate(layers):
            out = []
            for w, b in layer:
                act = b
                for wi, xi in zip(w, x):
                    act = act + wi * xi
                out.append(act.relu() if i < len(layers) - 1 else act)
            x = out
        return x[0]

    def step() -> float:
        inputs = [[torch.tensor(v, dtype=torch.float64) for v in x] for x in xs]
        scores = [forward(x) for x in inputs]
        losses = [(1 + -y * s).relu() for y, s in zip(ys, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + ALPHA * sum(p * p for p in params)
        for p in params:
            p.grad = None
        total.backward()
        with torch.no_grad():
            for p in params:
                p -= LR * p.grad
        return total.item()

    return step


# -- output -------------------------------------------------------------------------


def table(title: str, *columns: str) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False)
    for i, name in enumerate(columns):
        t.add_column(name, justify="left" if i == 0 else "right")
    return t


def verdict(name: str, ok: bool | None, detail: str) -> bool | None:
    mark = {True: "[green]PASS[/]", False: "[red]FAIL[/]", None: "[yellow]SKIP[/]"}[ok]
    console.print(f"{mark}  {name}: {detail}")
    return ok
