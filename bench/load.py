"""Loading benchmark: restoring a saved moons session grows linearly with its size.

    python -m bench.load [--repeats N] [--wall]

Saves three moons sessions, MLPs 2-64-64-1, 2-64x4-1 and 2-64x8-1 (the largest network
the settings allow: 8 hidden layers of 64) with Adam, batches of 10 so that each step's
graph stays within the settings' budget (so the file holds the optimizer's two moment
buffers as well as the parameters),
with `save_trainer` into a temporary directory, then times `load_model` (read,
check, build the model) and `load_trainer` (all that, plus rebuilding the data set
and Trainer and putting the optimizer state back) on each.

Times are CPU time (time.process_time; `--wall` for wall-clock time), medians over
the repeats. Seconds per 1000 parameters staying flat is the linear growth issue 11
asks for (loading used to be quadratic in the parameter count).
Target (issue 11): the largest session loads in under a second (issue 11 measured a
2-256-256-1 session, 66,000 parameters; issue 13 holds layers to 64 neurons, and the
largest model is now 2-64x8-1, 29,000 parameters).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from bench._common import clock_name, console, table, timed, use_wall_clock, verdict

HIDDEN = [(64, 64), (64,) * 4, (64,) * 8]
TARGET_SECONDS = 1.0


def save_sessions(directory: Path) -> list[tuple[str, Path, int]]:
    """One saved moons session per hidden size: (architecture, file, parameters)."""
    from mg_tui.nn import RunConfig, build_trainer, save_trainer

    sessions = []
    for hidden in HIDDEN:
        config = RunConfig(dataset="moons", arch=hidden, optimizer="adam", batch_size=10)
        trainer = build_trainer(config)
        path = save_trainer(directory / f"moons-{len(hidden)}x64.json", trainer)
        sessions.append((trainer.model.architecture, path, trainer.model.num_parameters()))
    return sessions


def time_loads(path: Path, repeats: int) -> tuple[float, float]:
    """Median seconds of load_model and of load_trainer; one untimed load of each first."""
    from mg_tui.nn import load_model, load_trainer

    load_model(path), load_trainer(path)
    model = statistics.median(timed(lambda: load_model(path)) for _ in range(repeats))
    trainer = statistics.median(timed(lambda: load_trainer(path)) for _ in range(repeats))
    return model, trainer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--repeats", type=int, default=5, help="repeats (default 5)")
    parser.add_argument(
        "--wall", action="store_true", help="time with the wall clock, not CPU time"
    )
    args = parser.parse_args(argv)
    if args.wall:
        use_wall_clock()
    console.print(f"timing: {clock_name()}, medians over {args.repeats} repeats")
    t = table(
        "Loading a saved moons session (Adam); s / 1000 params is load_trainer's",
        "model",
        "parameters",
        "file MiB",
        "load_model s",
        "load_trainer s",
        "s / 1000 params",
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="mg-tui-bench-load-") as tmp:
        for architecture, path, n in save_sessions(Path(tmp)):
            model_s, trainer_s = time_loads(path, args.repeats)
            results.append((architecture, n, trainer_s))
            t.add_row(
                architecture,
                f"{n:,}",
                f"{path.stat().st_size / 2**20:.2f}",
                f"{model_s:.3f}",
                f"{trainer_s:.3f}",
                f"{trainer_s / n * 1000:.4f}",
            )
    console.print(t)
    (_, n_small, s_small), (large, n_large, s_large) = results[0], results[-1]
    growth = (s_large / s_small) / (n_large / n_small)
    console.print(
        f"{n_large / n_small:.1f}x the parameters, {s_large / s_small:.1f}x the time: "
        f"{growth:.2f}x what linear growth predicts (quadratic: {n_large / n_small:.1f}x)"
    )
    ok = verdict(
        f"{large} session loads in under {TARGET_SECONDS:g} s",
        s_large < TARGET_SECONDS,
        f"load_trainer {s_large:.3f} s",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
