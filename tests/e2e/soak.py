"""A soak of the installed `mg-tui` in a real pseudo-terminal: random keys and resizes.

    python tests/e2e/soak.py --seconds 60 [--seed N]

Starts the console script beside this Python (cwd a temporary folder, MG_TUI_STATE_DIR and
MG_TUI_EXPORT_DIR in it) under pexpect, reads the screen through pyte, and for about
`--seconds` sends random keys as a terminal sends them (escape sequences for the arrows,
page keys and F-keys; enter, escape, tab, ctrl+p, ctrl+s, every bound letter, typed text)
and resizes the pty to random sizes from 20x5 to 250x80. Then it resizes to 80x24, closes
whatever is open, presses `?` and waits for the help, quits with `q` (again, after escape,
if a prompt took the q) and checks the exit status is 0 and the terminal is restored.

Prints the seed, the key count, the elapsed time and every problem found: a crash (the app
exited, with the tail of what it printed, the traceback), "training worker failed" on the
screen, a missing help, a bad exit. Exit status 1 if any. The same --seed sends the same
keys (the timing, so where the app is when each arrives, differs from run to run).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pyte

sys.path.insert(0, str(Path(__file__).resolve().parent))

from e2e_harness import LEAVE_ALT_SCREEN, SHOW_CURSOR, Terminal, base_env

# What a terminal (xterm) sends for each key; the names are Textual's.
SEQUENCES = {
    "up": "\x1b[A",
    "down": "\x1b[B",
    "right": "\x1b[C",
    "left": "\x1b[D",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "pageup": "\x1b[5~",
    "pagedown": "\x1b[6~",
    "f1": "\x1bOP",
    "f2": "\x1bOQ",
    "f3": "\x1bOR",
    "enter": "\r",
    "escape": "\x1b",
    "tab": "\t",
    "shift+tab": "\x1b[Z",
    "backspace": "\x7f",
    "space": " ",
    "ctrl+p": "\x10",
    "ctrl+s": "\x13",
    "ctrl+o": "\x0f",
}
# Every printable key of tui/keys.py but q (quits: the soak would end); typed text too.
BOUND = list("sfbur+=]-[o?.,Fw*/cCetd<>anvg")
TYPED = list("zxy019-.")
KEYS = [*SEQUENCES, *BOUND, *TYPED]
WEIGHTS = {"ctrl+p": 3, "escape": 3, "enter": 2, "pageup": 2, "pagedown": 2}
MIN_SIZE, MAX_SIZE = (20, 5), (250, 80)
RAW_KEPT = 1 << 20  # bytes of the app's output kept (for the traceback of a crash)
FINALE_SECONDS = 8.0  # at most, kept back from --seconds for the help and the quit


@dataclass
class Report:
    seed: int
    keys: int = 0
    resizes: int = 0
    elapsed: float = 0.0
    problems: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)  # every key name and resize, in order

    def problem(self, what: str) -> None:
        recent = " ".join(self.log[-40:])
        self.problems.append(f"{what}\n  last actions: {recent}")

    def summary(self) -> str:
        lines = [
            f"soak: seed {self.seed}: {self.keys} keys, {self.resizes} resizes "
            f"in {self.elapsed:.1f} s; {len(self.problems)} problem(s)"
        ]
        lines += [f"PROBLEM {i + 1}: {p}" for i, p in enumerate(self.problems)]
        return "\n".join(lines)


def crash_text(term: Terminal) -> str:
    """What the app printed after it left the alternate screen (a traceback), else the tail."""
    raw = bytes(term.raw)
    at = raw.rfind(LEAVE_ALT_SCREEN)
    tail = raw[at + len(LEAVE_ALT_SCREEN) :] if at >= 0 else raw[-3000:]
    text = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", tail.decode("utf-8", "replace"))
    return text.strip()[-4000:] or term.text


def drain(term: Terminal, seconds: float) -> bool:
    """Read what the app wrote, for about `seconds`, into the raw tail only: pyte is far too
    slow to follow thousands of redraws, and the finale's resize makes the app repaint all of
    the screen anyway. False once the app has exited."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            data = term.child.read_nonblocking(65536, timeout=0.001 if seconds else 0)
        except pexpect.TIMEOUT:
            data = b""
        except pexpect.EOF:
            return False
        if data:
            term.raw.extend(data)
            if len(term.raw) > RAW_KEPT:
                del term.raw[: len(term.raw) - RAW_KEPT // 2]
        elif time.monotonic() >= deadline:
            return True


def quiet_until(term: Terminal, quiet: float, timeout: float) -> None:
    """Read until the app has written nothing for `quiet` seconds (or `timeout` passed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = len(term.raw), bytes(term.raw[-64:])
        if not drain(term, quiet):
            return
        if (len(term.raw), bytes(term.raw[-64:])) == before:
            return


def key_name(rng: random.Random) -> str:
    return rng.choices(KEYS, [WEIGHTS.get(k, 1) for k in KEYS])[0]


def soak(seconds: float, seed: int | None = None, verbose: bool = False) -> Report:
    seed = random.randrange(1 << 30) if seed is None else seed
    rng = random.Random(seed)
    report = Report(seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mg-tui-soak-") as folder:
        tmp = Path(folder)
        env = base_env(tmp, TERM="xterm-256color")
        term = Terminal([], env, 80, 24, cwd=tmp)
        term.child.delaybeforesend = None  # pexpect sleeps 50 ms before each send otherwise
        try:
            _run(term, rng, report, started + seconds - min(FINALE_SECONDS, 0.3 * seconds))
            if not report.problems or term.child.isalive():
                _finale(term, report)
        finally:
            term.kill()
    report.elapsed = time.monotonic() - started
    if verbose:
        print(" ".join(report.log), file=sys.stderr)
    return report


def _run(term: Terminal, rng: random.Random, report: Report, until: float) -> None:
    term.wait_ready(timeout=30)
    worker_failed = False
    while time.monotonic() < until:
        if rng.random() < 0.04:
            cols = rng.randint(MIN_SIZE[0], MAX_SIZE[0])
            rows = rng.randint(MIN_SIZE[1], MAX_SIZE[1])
            term.resize(cols, rows)
            report.resizes += 1
            report.log.append(f"[{cols}x{rows}]")
        else:
            name = key_name(rng)
            term.press(SEQUENCES.get(name, name))
            report.keys += 1
            report.log.append(name)
        # ~50 keys a second, what the app keeps up with, with bursts (key repeat) at times.
        alive = drain(term, rng.choice((0.0, 0.005, 0.01, 0.02, 0.02, 0.03, 0.04)))
        if not alive or not term.child.isalive():
            drain(term, 0.5)
            report.problem(f"the app exited during the soak:\n{crash_text(term)}")
            return
        if not worker_failed and b"worker failed" in term.raw[-20000:]:
            worker_failed = True
            report.problem("the training worker failed (its notification was on the screen)")


def stacks(pid: int) -> str:
    """Every thread's Python stack of the app, when py-spy is installed (a hung app says
    where it hangs); else why not."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        return "(no py-spy to show the app's stacks)"
    done = subprocess.run([spy, "dump", "--pid", str(pid)], capture_output=True, text=True)
    return done.stdout + done.stderr


def _finale(term: Terminal, report: Report) -> None:
    """80x24, back to the main screen, the help, then quit: exit 0, terminal restored."""
    quiet_until(term, 1.0, 30.0)  # let the app work through any keys still queued
    term.screen = pyte.Screen(80, 24)  # from here on the screen is read: a fresh one, since
    term.stream = pyte.ByteStream(term.screen)  # the resize repaints every cell
    term.resize(80, 24)
    report.log.append("[80x24]")
    for _ in range(4):  # close a palette, a prompt, a form or a help screen (escape delay: 0.1)
        term.press("\x1b")
        term.pump(0.3)
    report.log.append("escape*4")
    term.pump(1.0)
    if not term.child.isalive():
        report.problem(f"the app exited while closing its screens:\n{crash_text(term)}")
        return
    term.press("?")
    report.log.append("?")
    try:
        term.wait_text(r"Play or pause|esc to close|trains a small", timeout=10)
    except AssertionError as error:
        report.problem(f"no help after ?: {error}\n{stacks(term.child.pid)}")
    term.press("\x1b")
    term.pump(0.5)
    for attempt in range(5):
        term.press("q")
        report.log.append("q")
        deadline = time.monotonic() + (3.0 if attempt == 0 else 2.0)
        while time.monotonic() < deadline and term.pump(0.05):
            pass
        if not term.child.isalive() or not term.pump(0.01):
            break
        term.press("\x1b")  # a prompt or the palette took the q: close it, quit again
        term.pump(0.3)
        report.log.append("escape")
    else:
        report.problem(
            f"the app did not quit after q; screen:\n{term.text}\n{stacks(term.child.pid)}"
        )
        return
    term.pump(0.2)
    term.child.close()
    status = term.child.exitstatus
    if status != 0:
        report.problem(
            f"exit status {status} (signal {term.child.signalstatus}):\n{crash_text(term)}"
        )
    tail = bytes(term.raw[-400:])
    if LEAVE_ALT_SCREEN not in tail or SHOW_CURSOR not in tail[tail.rindex(LEAVE_ALT_SCREEN) :]:
        report.problem(f"the terminal was not restored: {tail[-200:]!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="random keys from this seed")
    parser.add_argument("--verbose", action="store_true", help="print every key sent")
    args = parser.parse_args(argv)
    report = soak(args.seconds, args.seed, args.verbose)
    print(report.summary())
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
