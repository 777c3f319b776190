"""The installed `mg-tui` in real pseudo-terminals, read as a person reads the screen.

Each test starts the console script in a pty (pexpect) and reads the screen through
pyte: it starts, a step changes the loss, the phase moves, the help opens, quitting
exits promptly with status 0 and leaves the alternate screen with the cursor shown.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

import pytest
from e2e_harness import LEAVE_ALT_SCREEN, SHOW_CURSOR, base_env, mg_tui_executable

# Every TERM, every size, NO_COLOR and COLORTERM each at least once (not the full product:
# each case starts a Python process, ~1.5 s).
CASES = [
    pytest.param("xterm", {}, 80, 24, id="xterm-80x24"),
    pytest.param("xterm-256color", {"COLORTERM": "truecolor"}, 80, 24, id="256-truecolor-80x24"),
    pytest.param("xterm-256color", {}, 250, 80, id="256-250x80"),
    pytest.param("screen", {}, 40, 12, id="screen-40x12"),
    pytest.param("screen", {"COLORTERM": "truecolor"}, 250, 80, id="screen-truecolor-250x80"),
    pytest.param("xterm", {"NO_COLOR": "1"}, 40, 12, id="xterm-nocolor-40x12"),
    pytest.param("xterm-256color", {"NO_COLOR": "1"}, 80, 24, id="256-nocolor-80x24"),
]


def assert_restored(term, status) -> None:
    assert status == 0, term.raw[-300:]
    tail = bytes(term.raw[-400:])
    assert LEAVE_ALT_SCREEN in tail, tail
    assert SHOW_CURSOR in tail[tail.rindex(LEAVE_ALT_SCREEN) :], tail


def loss_on_screen(term) -> str | None:
    status = term.status()
    return status.get("loss") or status.get("tree_loss")


def phase_on_screen(term) -> str | None:
    """The status line's phase; where it is cut off (40 columns), the loss's grad says it."""
    status = term.status()
    if "phase" in status:
        return status["phase"]
    grad = status.get("root_grad")
    if grad is None:
        return None
    return "forward" if float(grad) == 0 else "backward"


@pytest.mark.parametrize(("term_name", "env", "cols", "rows"), CASES)
def test_step_phase_help_quit(spawn, term_name, env, cols, rows):
    term = spawn(cols=cols, rows=rows, TERM=term_name, **env)
    term.wait_ready()
    assert term.status()["step"] == "0"

    # A step: the step count moves; a second step shows a new loss.
    term.press("s")
    term.wait_for(lambda _: term.status().get("step") == "1", what="step 1")
    first = loss_on_screen(term)
    term.press("s")
    term.wait_for(lambda _: term.status().get("step") == "2", what="step 2")
    term.wait_for(lambda _: loss_on_screen(term) not in (None, first), what="a new loss")

    # The phases: forward (every grad 0), then backward.
    term.press("f")
    term.wait_for(lambda _: phase_on_screen(term) == "forward", what="forward phase")
    term.press("b")
    term.wait_for(lambda _: phase_on_screen(term) == "backward", what="backward phase")

    # Help opens and closes.
    term.press("?")
    term.wait_text(r"Help: network|trains a small")  # its title, or its first line
    term.press("\x1b")
    term.wait_for(lambda t: "trains a small" not in t, what="help closed")

    if "NO_COLOR" in env:
        assert_only_greys(bytes(term.raw))

    started = time.monotonic()
    term.press("q")
    status = term.wait_exit(timeout=5)
    assert time.monotonic() - started < 2.0
    assert_restored(term, status)


GREYS_256 = {0, 7, 8, 15, 16, 59, 102, 145, 188, 231, *range(232, 256)}


def assert_only_greys(raw: bytes) -> None:
    """NO_COLOR: Textual draws in shades of grey (its Monochrome filter), never in hues."""
    indexed = {int(n) for n in re.findall(rb"[34]8;5;(\d+)", raw)}
    assert indexed <= GREYS_256, sorted(indexed - GREYS_256)
    for r, g, b in re.findall(rb"[34]8;2;(\d+);(\d+);(\d+)", raw):
        assert r == g == b, (r, g, b)


def test_resize_while_playing(spawn):
    term = spawn(cols=80, rows=24)
    term.wait_ready()
    term.press(" ")
    term.wait_text(r"playing")
    for cols, rows in ((40, 12), (250, 80), (60, 16), (100, 30)):
        term.resize(cols, rows)
        term.pump(0.4)
        assert term.child.isalive(), term.text
    term.wait_for(lambda _: int(term.status().get("step", 0)) > 3, what="steps while playing")
    assert "Traceback" not in term.text
    term.press(" ")
    term.wait_text(r"paused")
    term.press("q")
    assert_restored(term, term.wait_exit())


@pytest.mark.parametrize("which", ["stdin", "stdout"])
def test_no_terminal_is_one_line_not_a_traceback(tmp_path, which):
    """Without a terminal the app refuses in one line; a pty on the other side is no help."""
    import pty

    primary, secondary = pty.openpty()
    stdin = subprocess.DEVNULL if which == "stdin" else secondary
    stdout = subprocess.PIPE if which == "stdout" else secondary
    result = subprocess.run(
        [mg_tui_executable()],
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=base_env(tmp_path, TERM="xterm"),
        timeout=30,
    )
    import os

    os.close(primary)
    os.close(secondary)
    err = result.stderr.decode()
    assert result.returncode == 2
    assert err.count("\n") == 1, err
    assert err.startswith("mg-tui: the explorer needs a terminal")
    assert f"standard {'input' if which == 'stdin' else 'output'} is not a terminal" in err
    assert "Traceback" not in err


def test_train_works_in_a_pipe(tmp_path):
    result = subprocess.run(
        [mg_tui_executable(), "train", "--steps", "3"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=base_env(tmp_path),
        timeout=60,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"\b3\b", result.stdout)


def test_version_without_a_terminal(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mg_tui.tui.cli", "--version"],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        env=base_env(tmp_path),
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("mg-tui ")


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_signal_saves_a_recovery_file_and_resume_continues(spawn, tmp_path, signum):
    from mg_tui.nn.serialize import load_trainer

    term = spawn()
    term.wait_ready()
    for n in range(1, 4):
        term.press("s")
        term.wait_for(lambda _, n=n: term.status().get("step") == str(n), what=f"step {n}")
    loss = term.status()["loss"]
    term.child.kill(signum)
    status = term.wait_exit(timeout=8)
    assert status == 128 + signum
    recovery = tmp_path / "state" / "recovery.json"
    assert recovery.is_file()
    trainer = load_trainer(recovery)
    assert trainer.step_count == 3
    assert len(trainer.history) == 3
    assert trainer.history[-1].loss == pytest.approx(float(loss), rel=1e-3)
    assert f"saved the model to {recovery}".encode() in bytes(term.raw).replace(b"\r\n", b"")
    if signum == signal.SIGTERM:  # the terminal is still there: it must be restored
        tail = bytes(term.raw)
        assert LEAVE_ALT_SCREEN in tail[tail.rindex(b"\x1b[?1049h") :]

    again = spawn(["--resume"])
    again.wait_ready()
    again.wait_for(lambda _: again.status().get("step") == "3", what="resumed at step 3")
    again.wait_text(r"Resumed from")
    again.press("s")
    again.wait_for(lambda _: again.status().get("step") == "4", what="step 4 after resume")
    again.press("q")
    assert again.wait_exit() == 0


def test_connection_drop_while_playing_saves_the_model(spawn, tmp_path):
    """A real hang-up: the pty's other end closes (as sshd does), while training plays."""
    import os

    from mg_tui.nn.serialize import load_trainer

    term = spawn()
    term.wait_ready()
    term.press(" ")
    term.wait_for(lambda _: int(term.status().get("step", 0)) >= 2, what="steps while playing")
    pid = term.child.pid
    os.close(term.child.child_fd)  # the kernel sends SIGHUP; the terminal is gone
    deadline = time.monotonic() + 8
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0:
        assert time.monotonic() < deadline, "mg-tui did not exit after the hang-up"
        time.sleep(0.05)
    # Usually the SIGHUP handler wins (129); under load a write to the dead terminal can
    # fail first, which the crash path handles (1). Either way the model must be saved.
    assert os.waitstatus_to_exitcode(done[1]) in (128 + signal.SIGHUP, 1)
    trainer = load_trainer(tmp_path / "state" / "recovery.json")
    assert trainer.step_count >= 2
    assert len(trainer.history) == trainer.step_count


def test_quitting_while_a_big_data_set_loads_is_prompt(spawn):
    """`q` while the worker is busy importing scikit-learn and building a 2,000-sample graph.

    The target is half a second (measured here: 0.4 s, against 1.9 s before the worker
    ran in daemon threads); the bound leaves room for a loaded CI machine.
    """
    term = spawn(["--dataset", "moons", "--samples", "2000"])
    term.wait_text(r"loading|moons", timeout=15)  # the first frame is up, the build is not
    started = time.monotonic()
    term.press("q")
    status = term.wait_exit(timeout=5)
    elapsed = time.monotonic() - started
    assert_restored(term, status)
    assert elapsed < 1.0, f"quit took {elapsed:.2f} s while the data set loaded"
