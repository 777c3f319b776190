"""Test-split benchmark: what measuring the test set costs each step, beside the step.

    python -m bench.split [--rounds N] [--wall]

micrograd's demo workload (an MLP 2-16-16-1, ReLU hidden layers, linear output, the SVM
max-margin loss plus 1e-4 L2, SGD) on moons, 100 samples to train on and 100 held out
(200 samples, --test-fraction 0.5). Each round times, in turns:

- the training step alone: `trainer.step()` on a Trainer without a test set (the graph's
  forward pass, backward pass and update);
- the test evaluation alone: `trainer.measure(test, penalty=False)`, what every step of a
  split run adds (the float forward pass over the 100 test samples, no graph);
- the step of a split run, both together, as the app and `mg-tui train` run it.

Times are CPU time (time.process_time; `--wall` for wall-clock time); figures are medians
over the rounds, and the ratio comes from this run only.
Target (issue 13): the test evaluation costs under 10% of the training step.
"""

from __future__ import annotations

import argparse
import statistics

from bench._common import clock_name, console, table, timed, use_wall_clock, verdict

TARGET = 0.10  # of the training step
PER_ROUND = 3


def make_trainers():
    """A split run (100/100) and the same run's training split without a test set."""
    from mg_tui.nn import RunConfig, Trainer, build_trainer
    from mg_tui.nn.optim import SGD

    config = RunConfig(
        dataset="moons",
        samples=200,
        test_fraction=0.5,
        noise=0.1,
        arch=(16, 16),
        activation="relu",
        output_activation="linear",
        loss="svm",
        l2=1e-4,
        lr=0.05,
        seed=1,
    )
    split = build_trainer(config)
    alone = build_trainer(config)
    plain = Trainer(
        alone.model,
        alone.dataset,
        "svm",
        SGD(alone.model.parameters(), 0.05),
        l2=1e-4,
        seed=1,
    )
    assert len(split.dataset) == len(split.test) == 100 and plain.test is None
    return split, plain


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.split", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rounds", type=int, default=7, help="rounds (default 7)")
    parser.add_argument(
        "--wall", action="store_true", help="time with the wall clock, not CPU time"
    )
    args = parser.parse_args(argv)
    if args.wall:
        use_wall_clock()
    split, plain = make_trainers()
    split.step(), plain.step()  # warm: imports, first graphs
    times: dict[str, list[float]] = {"step": [], "test": [], "split step": []}
    for _ in range(args.rounds):
        for _ in range(PER_ROUND):
            times["step"].append(timed(plain.step))
            times["test"].append(timed(lambda: split.measure(split.test, penalty=False)))
            times["split step"].append(timed(split.step))
    ms = {name: statistics.median(values) * 1e3 for name, values in times.items()}
    console.print(f"timing: {clock_name()}, medians over {args.rounds * PER_ROUND} steps")
    t = table(
        "One step of moons 100 training / 100 test samples (2-16-16-1 relu, svm, L2 1e-4)",
        "what",
        "ms",
        "of the training step",
    )
    t.add_row("training step (no test set)", f"{ms['step']:.1f}", "100%")
    t.add_row("test evaluation (floats)", f"{ms['test']:.2f}", f"{ms['test'] / ms['step']:.1%}")
    t.add_row(
        "step with the test set", f"{ms['split step']:.1f}", f"{ms['split step'] / ms['step']:.0%}"
    )
    console.print(t)
    share = ms["test"] / ms["step"]
    ok = verdict(
        f"the test evaluation costs under {TARGET:.0%} of the training step",
        share < TARGET,
        f"{ms['test']:.2f} ms of {ms['step']:.1f} ms: {share:.1%}",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
