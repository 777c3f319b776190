"""Model-level benchmark: one training step, our nn against micrograd's nn.

    python -m bench.model [--rounds N]

Times one full training step (forward, backward, SGD update) of micrograd's demo
model, an MLP 2-16-16-1 with ReLU hidden layers and a linear output, on 100
make_moons samples (noise 0.1) with the SVM max-margin loss plus 1e-4 L2:

- ours: `nn.MLP` trained by `nn.Trainer(loss="svm", l2=1e-4)` with SGD, called as
  `trainer.step()`, the way the app and users run it (the Trainer pauses the cyclic
  GC during a step; see engine.collector);
- micrograd: `micrograd.nn.MLP` and the step of micrograd's demo notebook, with the
  cyclic GC at its default (as users run it: consecutive steps of a loop, each
  also collecting the previous step's cyclic garbage) and with the GC disabled
  (garbage collected between rounds, outside the timing).

Times are CPU time (time.process_time; `--wall` for wall-clock time), so other
processes on a shared machine move them less. The contenders take turns within
each round, so machine noise hits all of them; the figures are medians over
rounds and the ratios come from this run only.
Target (issue 3): ours at most 1/20 of micrograd's time with the GC at its default.
"""

from __future__ import annotations

import argparse
import gc
from dataclasses import dataclass, field

from bench._common import (
    GCPauses,
    clock_name,
    console,
    gc_disabled,
    median_ms,
    micrograd_step,
    moons,
    ours_trainer,
    table,
    timed,
    torch_step,
    use_wall_clock,
    verdict,
)

# Each round times steps of a running training loop: after an untimed lead-in step,
# so that each timed step, as in a loop, also pays for the previous step's graph.
MG_PER_ROUND = 2
OURS_PER_ROUND = 5  # ours is fast: more samples per round for a steadier median


@dataclass
class StepTimes:
    """Seconds per training step, per contender; GC pauses seen during ours."""

    seconds: dict[str, list[float]] = field(default_factory=dict)
    ours_gc: GCPauses = field(default_factory=GCPauses)
    micrograd_gc: GCPauses = field(default_factory=GCPauses)
    torch_missing: bool = False

    def add(self, name: str, seconds: float) -> None:
        self.seconds.setdefault(name, []).append(seconds)

    def median_ms(self, name: str) -> float:
        return median_ms(self.seconds[name])


MG_DEFAULT = "micrograd (GC default)"
MG_NO_GC = "micrograd (GC disabled)"
OURS = "ours (nn.Trainer.step)"
TORCH = "PyTorch 0-d float64 tensors"


def time_training_step(rounds: int, with_torch: bool) -> StepTimes:
    """Run every contender `rounds` times, interleaved; one warm-up step each first."""
    xs, ys = moons()
    times = StepTimes()
    trainer = ours_trainer()
    mg = micrograd_step(xs, ys)
    torch = torch_step(xs, ys) if with_torch else None
    times.torch_missing = with_torch and torch is None
    trainer.step(), mg()
    if torch:
        torch()
    gc.collect()
    for _ in range(rounds):
        with times.micrograd_gc:
            mg()  # lead-in: in a training loop, the last step's garbage is still there
            for _ in range(MG_PER_ROUND):
                times.add(MG_DEFAULT, timed(mg))
        with gc_disabled():
            times.add(MG_NO_GC, timed(mg))
        gc.collect()  # micrograd's graphs are cycles: free them outside the timing
        if torch:
            times.add(TORCH, timed(torch))
        # A fresh Trainer each round (same seed, same steps), dropped at the end of
        # it, so that our live graph does not sit in the heap while the others run.
        trainer = ours_trainer()
        trainer.step()  # lead-in, likewise: a loop's step also frees the last graph
        with times.ours_gc:
            for _ in range(OURS_PER_ROUND):
                times.add(OURS, timed(trainer.step))
        del trainer
    return times


def print_step_table(times: StepTimes, title: str) -> None:
    ours = times.median_ms(OURS)
    t = table(title, "contender", "median ms/step", "runs", "ours is x faster")
    for name, seconds in times.seconds.items():
        ms = median_ms(seconds)
        ratio = "" if name == OURS else f"{ms / ours:.1f}x"
        t.add_row(name, f"{ms:.1f}", str(len(seconds)), ratio)
    console.print(t)
    console.print(f"cyclic GC during ours: {times.ours_gc.summary()}")
    console.print(f"cyclic GC during micrograd (GC default): {times.micrograd_gc.summary()}")
    if times.torch_missing:
        console.print("PyTorch: not installed, skipped (pip install torch==2.13.0)")


def micrograd_target(times: StepTimes) -> bool:
    ours, mg = times.median_ms(OURS), times.median_ms(MG_DEFAULT)
    return verdict(
        "training step <= 1/20 of micrograd's time (GC default)",
        ours * 20 <= mg,
        f"{ours:.1f} ms vs {mg:.1f} ms, {mg / ours:.1f}x",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.model", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument(
        "--wall", action="store_true", help="time with the wall clock, not CPU time"
    )
    args = parser.parse_args(argv)
    if args.wall:
        use_wall_clock()
    console.print(f"timing: {clock_name()}, medians over {args.rounds} rounds")
    times = time_training_step(args.rounds, with_torch=False)
    print_step_table(times, "One training step: MLP 2-16-16-1, 100 moons samples, SVM loss + L2")
    ok = micrograd_target(times)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
