"""`mg-tui train`: train without the UI, with a progress bar and a one-line summary.

The defaults are the seeds' run: the 3-4-4-1 tanh network on the four "tiny"
samples, summed squared error, SGD at lr 0.1, 20 steps. micrograd's demo is

    mg-tui train --dataset moons --arch 16,16 --activation relu --output-activation linear
                 --loss svm --l2 1e-4 --lr 1.0 --schedule linear --steps 100

Exit status: 0 on success, 2 for bad arguments (one line on stderr), 1 when the run
diverges, when its loss ends above where it began, or when the model cannot be saved
(each one line on stderr, saying why), 130 when interrupted with ctrl+c. A diverged
or interrupted run saves nothing, so a good file is never replaced by a broken one.
SIGTERM and SIGHUP (a job scheduler's stop, a closed SSH session) instead end the run
after the step in progress and, with --save, save the model as it is then and say so;
the exit status is then 128 + the signal's number.

`--save` checks its path before training, as `nn.safe_files` does for every save: a
file mg-tui did not write is never replaced, and a model file only with --force.
"""

from __future__ import annotations

import argparse
import math
import signal
import sys
import time
from typing import TextIO

from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.nn.safe_files import TargetExists, TargetRefused, check_target
from mg_tui.nn.serialize import MARKER, ModelFileError, save_trainer
from mg_tui.nn.trainer import Measure, StepRecord, Trainer, TrainingDiverged
from mg_tui.tui.options import (
    add_run_options,
    format_arch,
    positive_int_type,
    run_config_values,
    save_path_type,
)

MAX_STEPS = 1_000_000
PROG = "mg-tui train"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register `train` and its options; every type= checks and explains in one line."""
    p = subparsers.add_parser(
        "train",
        help="train without the UI",
        description="Train an MLP without the UI and optionally save it.",
    )
    add_run_options(p)
    p.add_argument("--steps", type=positive_int_type("steps", MAX_STEPS), default=20, help="(20)")
    p.add_argument("--save", type=save_path_type, metavar="PATH", help="save the model as JSON")
    p.add_argument(
        "--force", action="store_true", help="let --save replace a model file already there"
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar, only the summary")


def config_from_args(args: argparse.Namespace) -> RunConfig:
    """The RunConfig the parsed options describe; ValueError for a bad combination."""
    return RunConfig(**run_config_values(args), decay_steps=args.steps)


def run(args: argparse.Namespace) -> int:
    """Train as `args` says; print a summary line; return the exit status."""
    try:
        config = config_from_args(args)
    except ValueError as error:
        return _fail(f"error: {error}", 2)
    if args.save is not None:
        try:  # before training, so a run is never wasted on a path that cannot be saved
            check_target(args.save, MARKER, overwrite=args.force)
        except TargetExists as exists:
            return _fail(f"{exists}; pass --force to replace it", 2)
        except TargetRefused as refused:
            return _fail(f"cannot save {refused}", 2)
    with StopSignals() as stop:  # from here on, SIGTERM or SIGHUP end the run cleanly
        try:
            trainer = build_trainer(config)
        except (ValueError, ImportError) as error:
            return _fail(f"error: {error}", 2)
        before = measure(trainer)
        start = time.perf_counter()
        try:
            _train(trainer, args.steps, quiet=args.quiet, stop=stop)
            elapsed = time.perf_counter() - start
            after = final_measure(trainer) if stop.signum is None else None
        except TrainingDiverged as error:
            nothing_saved = " (nothing was saved)" if args.save is not None else ""
            return _fail(diverged_line(error, config.lr) + nothing_saved, 1)
        except KeyboardInterrupt:
            return _fail(f"interrupted after {trainer.step_count} steps (nothing was saved)", 130)

    saved = ""
    if args.save is not None and trainer.step_count:
        try:
            path = save_trainer(args.save, trainer, overwrite=args.force)
        except ModelFileError as error:
            return _fail(str(error), 1)
        saved = f", saved to {path}"
    if stop.signum is not None:
        name = signal.Signals(stop.signum).name
        return _fail(
            f"stopped by {name} after {trainer.step_count} of {args.steps} steps"
            + (saved or " (nothing was saved)"),
            128 + stop.signum,
        )
    assert after is not None  # measured whenever no signal stopped the run
    print(summary(trainer, config, before, after, elapsed) + saved)
    rose = loss_rose(trainer, config, before, after)
    if rose:
        return _fail(rose, 1)
    return 0


def diverged_line(error: TrainingDiverged, lr: float) -> str:
    """`diverged at step 23: the loss overflowed a float; try a smaller --lr than 1e+06`.

    The step is the one whose update was refused (the Trainer's count); `lr` is the
    --lr given, not the schedule's rate at that step. An overflow in
    the forward pass comes from the engine as its op and operands (`**: 4.2e+157 ** 2.0
    overflows a float`); the reader needs to know only that the loss overflowed.
    """
    reason = error.reason
    if isinstance(error.__cause__, OverflowError) and reason == str(error.__cause__):
        reason = "the loss overflowed a float"
    return f"diverged at step {error.step}: {reason}; try a smaller --lr than {lr:g}"


def loss_rose(trainer: Trainer, config: RunConfig, before: Measure, after: Measure) -> str:
    """One line if training made the model worse (its loss ended above where it began).

    Such a run did not diverge to infinity (a tanh network's loss is bounded), but it did
    not learn either, and a script must not take it for success. Both losses are on the
    whole data set, so a run with small batches is compared like with like.
    """
    if after.loss <= before.loss:
        return ""
    return (
        f"training failed: the loss on {samples(trainer)} rose from {before.loss:.4g} before "
        f"training to {after.loss:.4g} after {trainer.step_count} steps; try a smaller --lr "
        f"than {config.lr:g}"
    )


def summary(
    trainer: Trainer, config: RunConfig, before: Measure, after: Measure, elapsed: float
) -> str:
    """`trained 3-4-4-1 (hidden 4,4) on tiny: 20 steps in 0.05 s; on all 4 samples, loss
    3.59 -> 0.0168 and accuracy 50% -> 100% (the last step's batch: 75% before its update)`,
    and with a test split `; test loss 0.31 accuracy 85% on the 30 held-out samples`.

    The arrows go from the model before training to the model as trained (and saved),
    both measured on the whole training set. The bracket is the progress bar's last
    accuracy: each step measures its batch before its own update. The test figures are
    the trained model's, on samples it never trained on, and its loss is the loss function
    alone (no L1 or L2 penalty). Regression has no accuracy.
    """
    last = trainer.history[-1]
    text = (
        f"trained {trainer.model.architecture} (hidden {format_arch(config.arch)}) on "
        f"{config.data_name}: {trainer.step_count} steps in {elapsed:.2f} s; "
        f"on {samples(trainer)}, loss {before.loss:.4g} -> {after.loss:.4g}"
    )
    if after.accuracy is not None:
        text += (
            f" and accuracy {before.accuracy:.0%} -> {after.accuracy:.0%} "
            f"(the last step's batch: {last.accuracy:.0%} before its update)"
        )
    if trainer.test is not None:
        test = trainer.measure(trainer.test, penalty=False)  # as each step records it
        n = len(trainer.test)
        text += f"; test loss {test.loss:.4g}"
        if test.accuracy is not None:
            text += f" accuracy {test.accuracy:.0%}"
        text += f" on the {n} held-out sample{'s' if n != 1 else ''}"
    return text


def measure(trainer: Trainer) -> Measure:
    """The model as it is now, on every training sample, whatever the batch size.

    Computed on plain floats, so the Trainer's graph, phase and batch sampler are left
    as they were.
    """
    return trainer.measure(trainer.dataset)


def final_measure(trainer: Trainer) -> Measure:
    """`measure` of the trained model; TrainingDiverged if its loss is no finite float.

    The last step's update can make the scores so large that the loss overflows: the
    step succeeded (its own loss was finite) but the model it left has diverged.
    """
    step = trainer.step_count
    try:
        result = measure(trainer)
    except OverflowError as error:
        raise TrainingDiverged(step, "its update made the loss overflow a float") from error
    except (ArithmeticError, ValueError) as error:
        raise TrainingDiverged(step, f"after its update, {error}") from error
    if not math.isfinite(result.loss):
        raise TrainingDiverged(step, f"its update made the loss {result.loss}")
    return result


def samples(trainer: Trainer) -> str:
    """`all 4 samples` (or `the 1 sample`; `all 70 training samples` beside a test split):
    what the whole-data numbers are over."""
    n = len(trainer.dataset)
    kind = " training" if trainer.test is not None else ""
    return f"the 1{kind} sample" if n == 1 else f"all {n}{kind} samples"


class StopSignals:
    """While active, SIGTERM and SIGHUP ask the run to stop after the step in progress."""

    SIGNALS = (signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.signum: int | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        for signum in self.SIGNALS:
            self._previous[signum] = signal.signal(signum, self._note)
        return self

    def __exit__(self, *_exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)  # type: ignore[arg-type]

    def _note(self, signum: int, _frame: object) -> None:
        self.signum = signum


def _train(
    trainer: Trainer,
    steps: int,
    *,
    quiet: bool,
    stream: TextIO | None = None,
    stop: StopSignals | None = None,
) -> None:
    """Run `steps` steps, showing a rich progress bar on a terminal; end early on `stop`."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(file=stream or sys.stderr)
    progress = Progress(
        TextColumn("[bold]train"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]}  acc {task.fields[acc]}"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet or not console.is_terminal,
        transient=False,
    )
    with progress:
        task = progress.add_task("train", total=steps, loss="-", acc="-")
        for _ in range(steps):
            if stop is not None and stop.signum is not None:
                break
            record: StepRecord = trainer.step()
            acc = "-" if record.accuracy is None else f"{record.accuracy:.0%}"
            progress.update(task, advance=1, loss=f"{record.loss:.4g}", acc=acc)


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return status
