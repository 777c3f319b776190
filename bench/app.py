"""Benchmark the explorer app in a real pseudo-terminal: first frame, playing moons, tree moves.

    python bench/app.py [--runs 5] [--seconds 8] [--play-runs 3]
                        [--parts first,play,views,scale,moves,index]

Each measurement runs in a child process attached to an 80x24 (or 120x40) pty, so
Textual really renders and writes escape codes; the parent drains the output.
Figures (issue 4's targets):
- first frame: mg-tui vs a bare Textual app showing a Tree and a PlotextPlot (ratio <= 1.5)
- playing moons, MLP 2-16-16-1, full batch of 100: steps per second against `mg-tui train`
  on the same configuration, run in turns with it (>= 80%, issue 16), and the gaps
  between ticks of a 20 ms UI timer (median < 50 ms, p95 < 100 ms)
- the pictures' cost (bench/views.py: a 60x30 grid <= 30 ms, every neuron picture <= 100 ms),
  then playing moons with each picture view open (boundary, neurons, network) against
  playing with the loss chart, run in turns: the step rate stays within 20% (issue 14)
- scaling: a full-batch step on 1,000 moons samples against one on 100, in CPU time, for
  `mg-tui train` and for the app playing (<= 12x, issue 16)
- expanding a node of the moons graph and moving the selection (< 50 ms each)
- the graph index (issue 16): playing with the tree open (its lines beyond the root are
  looked at, so each shown graph is walked on the worker) against playing with the
  tree's root closed (nothing beyond the root is looked at: no walk), in turns with
  `mg-tui train`; bench/graph_index.py gives the CPU cost of showing one step
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import re
import resource
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import ClassVar, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on sys.path, where bench/engine.py would
# shadow the engine package: look in the project root instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
PLAY_TARGET = 0.8  # playing's step rate, as a fraction of mg-tui train's (issue 16)
VIEW_TARGET = 0.8  # playing with a picture view open, as a fraction of the chart's rate
# The views besides the loss chart, each with the app action that opens it.
VIEW_ACTIONS = {
    "boundary": "action_switch_view",
    "neurons": "action_neurons",
    "network": "action_network",
}
SCALE_SAMPLES = 1_000  # the big data set of the scaling check
SCALE_TARGET = 12  # its step, as a multiple of the 100-sample step, at most (issue 16)
MOONS = {
    "dataset": "moons",
    "samples": 100,
    "arch": [16, 16],
    "activation": "relu",
    "output_activation": "linear",
    "loss": "svm",
    "lr": 0.05,
    "seed": 1,
}


# -- the parent: run children in a pty ----------------------------------------------------


def run_child(mode: str, size: tuple[int, int], *extra: str, timeout: float = 120.0) -> dict:
    """Run `bench/app.py --child MODE` in a pty of `size`; return the JSON it writes."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        result_path = out.name
    master, slave = pty.openpty()
    cols, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "MG_BENCH_START": repr(time.time())}
    env.pop("NO_COLOR", None)
    # As on a user's machine: compiled modules are cached (this sandbox turns that off).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", mode, "--out", result_path, *extra],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=ROOT,
        preexec_fn=_controlling_terminal,
    )
    os.close(slave)
    deadline = time.monotonic() + timeout
    tail = b""
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    tail = (tail + os.read(master, 65536))[-4000:]  # drain, as a terminal does
                except OSError:
                    break
        try:  # the pty reports EIO once the child has closed it: wait for the exit
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            proc.kill()
            raise RuntimeError(f"child {mode} timed out") from None
    finally:
        os.close(master)
        proc.wait()
    text = Path(result_path).read_text()
    Path(result_path).unlink()
    if not text:
        raise RuntimeError(
            f"child {mode} wrote nothing (exit {proc.returncode}): {tail.decode(errors='replace')}"
        )
    return json.loads(text)


def _controlling_terminal() -> None:
    """In the child: a new session whose controlling terminal is the pty (as in a shell)."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="first-frame runs per app")
    parser.add_argument("--seconds", type=float, default=8.0, help="how long to play moons")
    parser.add_argument("--play-runs", type=int, default=3, help="runs of play (default 3)")
    parser.add_argument(
        "--parts",
        default="first,play,views,scale,moves",
        help="comma-separated: first, play, views, scale, moves, index",
    )
    parser.add_argument("--view", default="chart", help=argparse.SUPPRESS)
    parser.add_argument("--tree", default="open", help=argparse.SUPPRESS)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--samples", type=int, default=MOONS["samples"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.out), args.seconds, args.samples, args.view, args.tree)
        return

    print(f"mg-tui app benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cpus)")
    parts = set(args.parts.split(","))
    results = []
    if "first" in parts:
        first_frame(args.runs)
    if "play" in parts:
        results.append(play(args.seconds, args.play_runs))
    if "views" in parts:
        results.append(views(args.seconds, args.play_runs))
    if "scale" in parts:
        results.append(scale(args.seconds))
    if "moves" in parts:
        moves()
    if "index" in parts:
        results.append(index_cost(args.seconds, args.play_runs))
    raise SystemExit(0 if all(results) else 1)


def first_frame(runs: int) -> None:
    bare, app = [], []
    run_child("bare", (80, 24))  # warm-ups: byte-code caches and the OS file cache
    run_child("first", (80, 24))
    for _ in range(runs):  # interleaved, so drift hits both alike
        bare.append(run_child("bare", (80, 24))["first_frame"])
        app.append(run_child("first", (80, 24))["first_frame"])
    b, a = statistics.median(bare), statistics.median(app)
    print(
        f"first frame, 80x24, median of {runs}: bare Tree+PlotextPlot {b * 1000:.0f} ms, "
        f"mg-tui {a * 1000:.0f} ms, ratio {a / b:.2f} (target <= 1.5)"
    )


def play(seconds: float, runs: int) -> bool:
    """The app playing moons against `mg-tui train` on the same configuration, in turns:
    train, play, train, ... (each play between two train runs), medians over `runs`."""
    headless = [headless_rate(MOONS, seconds / 2)]
    plays = []
    for _ in range(runs):
        plays.append(run_child("play", (120, 40), "--seconds", str(seconds)))
        headless.append(headless_rate(MOONS, seconds / 2))
    ratios, cpu_ratios = [], []
    for i, run in enumerate(plays):
        train = (headless[i].rate + headless[i + 1].rate) / 2  # the runs either side
        train_cpu = (headless[i].cpu + headless[i + 1].cpu) / 2
        ratios.append(run["steps_per_second"] / train)
        cpu_ratios.append(train_cpu / run["cpu_per_step"])
        print(
            f"playing moons 2-16-16-1 (100 samples, full batch), 120x40, {run['seconds']:.1f} s: "
            f"{run['steps_per_second']:.1f} steps/s against mg-tui train's {train:.1f} "
            f"({ratios[-1]:.0%}); CPU per step {run['cpu_per_step'] * 1e3:.1f} ms against "
            f"{train_cpu * 1e3:.1f} ms ({cpu_ratios[-1]:.0%}); {run['frames']} frames"
        )
    gaps = [gap for run in plays for gap in run["gaps"]]
    median_gap, p95_gap = statistics.median(gaps), percentile(gaps, 0.95)
    ratio = statistics.median(ratios)
    return all(
        [
            verdict(
                f"playing >= {PLAY_TARGET:.0%} of mg-tui train's step rate (median of {runs})",
                ratio >= PLAY_TARGET,
                f"{ratio:.0%} (each run: {', '.join(f'{r:.0%}' for r in ratios)})",
            ),
            verdict(
                f"the same in CPU time a step, which other processes move less (median of {runs})",
                statistics.median(cpu_ratios) >= PLAY_TARGET,
                f"{statistics.median(cpu_ratios):.0%} "
                f"(each run: {', '.join(f'{r:.0%}' for r in cpu_ratios)})",
            ),
            verdict(
                "20 ms UI timer gaps while playing: median < 50 ms, p95 < 100 ms",
                median_gap < 0.050 and p95_gap < 0.100,
                f"median {median_gap * 1000:.0f} ms, p95 {p95_gap * 1000:.0f} ms, "
                f"max {max(gaps) * 1000:.0f} ms",
            ),
        ]
    )


def views(seconds: float, runs: int) -> bool:
    """What each picture costs to compute (bench/views.py), then playing moons with each
    view open against the loss chart, in rounds (chart, boundary, neurons, network, ...);
    each view's ratio is to its round's chart."""
    from bench import views as picture_costs

    costs_ok = picture_costs.main([]) == 0
    ratios: dict[str, list[float]] = {view: [] for view in VIEW_ACTIONS}
    for _ in range(runs):
        size = ("--seconds", str(seconds))
        chart = run_child("play", (120, 40), *size, "--view", "chart")["steps_per_second"]
        for view in VIEW_ACTIONS:
            run = run_child("play", (120, 40), *size, "--view", view)
            if run["view"] != view:
                raise RuntimeError(f"the {view} view did not open (showing {run['view']})")
            rate = run["steps_per_second"]
            ratios[view].append(rate / chart)
            print(
                f"playing moons 2-16-16-1, 120x40, {view} view: {rate:.1f} steps/s against "
                f"{chart:.1f} with the loss chart ({rate / chart:.0%})"
            )
    return costs_ok and all(  # a list, so every verdict prints
        [
            verdict(
                f"playing with the {view} view >= {VIEW_TARGET:.0%} of the chart's rate "
                f"(median of {runs})",
                statistics.median(each) >= VIEW_TARGET,
                f"{statistics.median(each):.0%} (each: {', '.join(f'{r:.0%}' for r in each)})",
            )
            for view, each in ratios.items()
        ]
    )


def scale(seconds: float) -> bool:
    """One step at 1,000 samples against one at 100, full batch: `mg-tui train`'s CPU time a
    step (start-up cancels out, see `headless_rate`; CPU time, so other processes on the
    machine move it less), and the app playing each, for the record."""
    big = {**MOONS, "samples": SCALE_SAMPLES}
    small_run, big_run = headless_rate(MOONS, seconds / 2), headless_rate(big, seconds)
    ratio = big_run.cpu / small_run.cpu
    plays = {
        n: run_child("play", (120, 40), "--seconds", str(seconds), "--samples", str(n))
        for n in (MOONS["samples"], SCALE_SAMPLES)
    }
    for n, run in plays.items():
        print(
            f"playing moons 2-16-16-1 ({n:,} samples, full batch), 120x40: "
            f"{run['steps_per_second']:.2f} steps/s, CPU {run['cpu_per_step'] * 1e3:.0f} ms a "
            f"step, {run['frames']} frames in {run['seconds']:.1f} s"
        )
    app_ratio = plays[SCALE_SAMPLES]["cpu_per_step"] / plays[MOONS["samples"]]["cpu_per_step"]
    return all(
        [
            verdict(
                f"mg-tui train: a {SCALE_SAMPLES:,}-sample step <= {SCALE_TARGET}x a "
                f"{MOONS['samples']}-sample step (CPU time)",
                ratio <= SCALE_TARGET,
                f"{big_run.cpu * 1e3:.0f} ms vs {small_run.cpu * 1e3:.1f} ms, {ratio:.1f}x",
            ),
            verdict(
                f"the app playing: a {SCALE_SAMPLES:,}-sample step <= {SCALE_TARGET}x a "
                f"{MOONS['samples']}-sample step (CPU time)",
                app_ratio <= SCALE_TARGET,
                f"{app_ratio:.1f}x",
            ),
        ]
    )


def index_cost(seconds: float, runs: int) -> bool:
    """Playing moons with the tree open and with its root closed, against `mg-tui train`,
    in turns (train, open, closed, train, ...): what walking each shown graph costs."""
    headless = [headless_rate(MOONS, seconds / 2)]
    plays: dict[str, list[dict]] = {"open": [], "closed": []}
    for _ in range(runs):
        for tree in plays:
            plays[tree].append(
                run_child("play", (120, 40), "--seconds", str(seconds), "--tree", tree)
            )
        headless.append(headless_rate(MOONS, seconds / 2))
    checks = []
    for tree, runs_of_tree in plays.items():
        ratios, cpu_ratios = [], []
        for i, run in enumerate(runs_of_tree):
            train = (headless[i].rate + headless[i + 1].rate) / 2
            train_cpu = (headless[i].cpu + headless[i + 1].cpu) / 2
            ratios.append(run["steps_per_second"] / train)
            cpu_ratios.append(train_cpu / run["cpu_per_step"])
        gaps = [gap for run in runs_of_tree for gap in run["gaps"]]
        median_gap, p95_gap = statistics.median(gaps), percentile(gaps, 0.95)
        cpu = statistics.median(run["cpu_per_step"] for run in runs_of_tree)
        frames = statistics.median(run["frames"] for run in runs_of_tree)
        rate, cpu_rate = statistics.median(ratios), statistics.median(cpu_ratios)
        print(
            f"playing moons 2-16-16-1, 120x40, tree {tree}: step rate {rate:.0%} of "
            f"mg-tui train's, CPU {cpu_rate:.0%} (CPU per step {cpu * 1e3:.1f} ms, "
            f"{frames:.0f} frames a run, median of {len(ratios)}; "
            f"each run: {', '.join(f'{r:.0%}' for r in ratios)})"
        )
        checks.append(
            verdict(
                f"20 ms UI timer gaps, tree {tree}: median < 50 ms, p95 < 100 ms",
                median_gap < 0.050 and p95_gap < 0.100,
                f"median {median_gap * 1000:.0f} ms, p95 {p95_gap * 1000:.0f} ms, "
                f"max {max(gaps) * 1000:.0f} ms",
            )
        )
    return all(checks)


def train_args(config: dict, steps: int) -> list[str]:
    """`mg-tui train`'s options for `config` (one of this file's configurations)."""
    return [
        *("--dataset", config["dataset"], "--samples", str(config["samples"])),
        *("--arch", ",".join(map(str, config["arch"])), "--activation", config["activation"]),
        *("--output-activation", config["output_activation"], "--loss", config["loss"]),
        *("--lr", str(config["lr"]), "--seed", str(config["seed"]), "--steps", str(steps)),
        "--quiet",
    ]


class Headless(NamedTuple):
    rate: float  # steps a second, wall clock
    cpu: float  # CPU seconds a step


def headless_rate(config: dict, seconds: float) -> Headless:
    """`mg-tui train` on `config` for about `seconds` of training: its step rate from its own
    summary (training only, not start-up), and its CPU time a step (from the CPU time of
    that run less that of a 5-step run, which sizes it: start-up cancels out)."""
    short_steps, short_elapsed, short_cpu = _train(config, 5)
    steps, elapsed, cpu = _train(config, max(10, round(seconds * short_steps / short_elapsed)))
    return Headless(steps / elapsed, (cpu - short_cpu) / (steps - short_steps))


def _train(config: dict, steps: int) -> tuple[int, float, float]:
    """(steps, seconds it says it trained for, CPU seconds of the whole process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, "-m", "mg_tui.tui.cli", "train", *train_args(config, steps)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    found = re.search(r"(\d+) steps in ([\d.]+) s", out)
    if found is None:
        raise RuntimeError(f"mg-tui train printed no step count: {out!r}")
    return int(found[1]), float(found[2]), cpu


def verdict(name: str, ok: bool, detail: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return ok


def moves() -> None:
    moves = asyncio.run(moves_headless())
    for name, times in moves.items():
        print(
            f"moons graph (headless, 120x40), {name}: "
            f"median {statistics.median(times) * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms over {len(times)} (target < 50)"
        )


async def moves_headless() -> dict[str, list[float]]:
    """Tree moves timed in-process with Textual's headless driver (frames are composed, not
    written): from the key's action to the first frame that shows its effect."""
    app = probe_app("expand", time.time(), Path(os.devnull), 0.0)
    async with app.run_test(size=(120, 40)) as pilot:
        while app.explorer.snapshot is None or not app.explorer.idle:
            await pilot.pause(0.05)
        return await app.measure_moves()


# -- the children ---------------------------------------------------------------------------


def child(
    mode: str, out: Path, seconds: float, samples: int, view: str = "chart", tree: str = "open"
) -> None:
    start = float(os.environ["MG_BENCH_START"])
    if mode == "bare":
        app = bare_app(start, out)
    else:
        app = probe_app(mode, start, out, seconds, {**MOONS, "samples": samples}, view, tree)
    app.run()
    os._exit(0)


def bare_app(start: float, out: Path):
    """The peer: a bare Textual app with a Tree and a PlotextPlot, nothing else."""
    from textual.app import App
    from textual.widgets import Tree
    from textual_plotext import PlotextPlot

    class Bare(App):
        def compose(self):
            tree: Tree[None] = Tree("root")
            tree.root.add_leaf("leaf")
            yield tree
            yield PlotextPlot()

        def on_mount(self) -> None:
            self.call_after_refresh(self.first_frame)

        def first_frame(self) -> None:
            out.write_text(json.dumps({"first_frame": time.time() - start}))
            os._exit(0)

    return Bare()


def probe_app(
    mode: str,
    start: float,
    out: Path,
    seconds: float,
    config: dict = MOONS,
    view: str = "chart",
    tree: str = "open",
):
    from mg_tui.nn.config import RunConfig
    from mg_tui.tui.app import MgApp

    class Probe(MgApp):
        def on_mount(self) -> None:
            # No super().on_mount(): Textual calls MgApp's own handler as well (it walks the
            # MRO), and calling it here too started a second training worker.
            if mode == "first":
                self.call_after_refresh(self.first_frame)
            else:
                self.set_interval(0.05, self.wait_for_model, name="bench-wait")

        def first_frame(self) -> None:
            out.write_text(json.dumps({"first_frame": time.time() - start}))
            os._exit(0)

        def wait_for_model(self) -> None:
            if (
                self.explorer.snapshot is None
                or not self.explorer.idle
                or getattr(self, "_started", False)
            ):
                return
            self._started = True
            if tree == "closed":
                self.explorer.tree.root.collapse()  # the root alone: nothing beyond it looked at
            if mode == "play" and view != "chart":
                getattr(self.explorer, VIEW_ACTIONS[view])()
                self.set_timer(1.0, self.start_playing)  # the view's first picture drawn
            elif mode == "play":
                self.start_playing()

        # playing: steps per second and timer gaps
        def start_playing(self) -> None:
            self.ticks: list[float] = []
            self.step0 = self.explorer.session.trainer.step_count  # live: not all steps are shown
            self.frames0 = len(self.frames)
            self.t0 = time.perf_counter()
            self.cpu0 = time.process_time()
            self.set_interval(0.02, lambda: self.ticks.append(time.perf_counter()))
            self.explorer.action_toggle_play()
            self.set_timer(seconds, self.stop_playing)

        def stop_playing(self) -> None:
            elapsed = time.perf_counter() - self.t0
            cpu = time.process_time() - self.cpu0
            steps = self.explorer.session.trainer.step_count - self.step0
            gaps = [b - a for a, b in zip(self.ticks, self.ticks[1:])]
            result = {
                "seconds": elapsed,
                "steps_per_second": steps / elapsed,
                "cpu_per_step": cpu / steps,
                "frames": len(self.frames) - self.frames0,
                "gaps": gaps,
                "view": self.query_one("#views").current,  # what was on show while it played
            }
            out.write_text(json.dumps(result))
            os._exit(0)

        # tree moves: expand a node, move the selection, timed to the last frame they cause
        async def measure_moves(self) -> dict[str, list[float]]:
            tree = self.explorer.tree
            results: dict[str, list[float]] = {"expand a node": [], "move the selection": []}

            async def timed(name: str, action) -> None:
                await asyncio.sleep(0.1)  # let earlier frames go out
                self.frames.clear()
                t = time.perf_counter()
                action()
                while not self.frames and time.perf_counter() - t < 1.0:
                    await asyncio.sleep(0.001)
                # the first frame shows the change (tree and panel are updated together);
                # no frame at all means the key changed nothing (top of the tree): skip it
                if self.frames:
                    results[name].append(self.frames[0] - t)

            def deepest_child() -> None:
                node = tree.cursor_node
                tree.move_cursor(max(node.children, key=lambda c: len(c.data.value.inputs)))

            tree.move_cursor(tree.root)
            for _ in range(12):  # down the deepest path: a sum of 100, a neuron, its inputs…
                if tree.cursor_node.is_collapsed:
                    await timed("expand a node", tree.action_expand_cursor)
                if not tree.cursor_node.children:
                    break
                await timed("move the selection", deepest_child)
            for _ in range(20):
                await timed("move the selection", tree.action_cursor_up)
            self.explorer.jump_to("L1.N1.w0")  # a parameter with 100 consumers in the panel
            await self.drawn()
            for _ in range(5):
                await timed("move the selection", tree.action_cursor_down)
                await timed("move the selection", tree.action_cursor_up)
            return results

        frames: ClassVar[list[float]] = []

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None:
                self.frames.append(time.perf_counter())

        async def drawn(self) -> None:
            done = asyncio.Event()
            self.call_after_refresh(done.set)
            await done.wait()

    return Probe(RunConfig() if mode == "first" else RunConfig.from_dict(config))


if __name__ == "__main__":
    main()
