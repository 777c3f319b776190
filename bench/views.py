"""The pictures' cost (issue 14): what the worker computes for the boundary and neuron views.

    python -m bench.views [--rounds N]

Targets, on moons 2-16-16-1 (relu hidden, linear output, micrograd's demo model):
a 60 x 30 decision grid in at most 30 ms, every hidden neuron's picture (the view's
8 x 4 cells each) in at most 100 ms, and the network drawing at 60 x 36 in at most
100 ms. CPU time of this process (other processes on a shared machine barely move
it); medians over the rounds, PASS/FAIL beside each, exit status 1 on a FAIL.
"""

from __future__ import annotations

import argparse
import sys

from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.tui.core.model_state import ModelState
from mg_tui.tui.core.network_drawing import draw
from mg_tui.tui.core.neuron_maps import neuron_maps, picture_bounds

from bench._common import console, median_ms, timed

CONFIG = RunConfig(
    dataset="moons", arch=(16, 16), activation="relu", output_activation="linear", seed=1
)
TARGETS_MS = {"decision grid 60x30": 30.0, "neuron pictures 8x4 each": 100.0,
              "network drawing 60x36": 100.0}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    trainer = build_trainer(CONFIG)
    trainer.step()
    state = ModelState.of(trainer.model)
    bounds = picture_bounds(trainer.dataset)
    work = {
        "decision grid 60x30": lambda: trainer.decision_grid(60, 30),
        "neuron pictures 8x4 each": lambda: neuron_maps(ModelState.of(trainer.model), bounds, 8, 4),
        "network drawing 60x36": lambda: draw(state, 60, 36, highlight="L2.N3.w5"),
    }
    failed = False
    console.print(f"moons {trainer.model.architecture}, median CPU ms over {args.rounds} rounds")
    for name, fn in work.items():
        fn()  # warm
        ms = median_ms([timed(fn) for _ in range(args.rounds)])
        ok = ms <= TARGETS_MS[name]
        failed |= not ok
        verdict = "[green]PASS[/]" if ok else "[red]FAIL[/]"
        console.print(f"  {name:26} {ms:7.1f} ms   target <= {TARGETS_MS[name]:.0f} ms  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
