"""`mg-tui train`: runs, saves, and refuses bad arguments with one line."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mg_tui.nn import load_model, load_trainer
from mg_tui.tui.cli import main


def test_default_run_is_the_seeds_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train"]) == 0
    out, err = capsys.readouterr()
    line = out.strip()
    assert "\n" not in line and err == ""
    assert line.startswith("trained 3-4-4-1 (hidden 4,4) on tiny: 20 steps in ")
    assert "accuracy 50% -> 100% (the last step's batch: " in line


def test_a_run_whose_loss_rose_exits_1_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """lr 100 saturates every tanh: the loss ends above where it began, which is no success."""
    assert main(["train", "--lr", "100"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("trained 3-4-4-1")  # the summary still says what happened
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("mg-tui train: training failed: the loss on all 4 samples rose ")
    assert "try a smaller --lr" in lines[0]


def test_save_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "xor.json"
    argv = [
        "train",
        "--dataset",
        "xor",
        "--samples",
        "20",
        "--arch",
        "6",
        "--optimizer",
        "adam",
        "--lr",
        "0.05",
        "--steps",
        "5",
        "--batch-size",
        "10",
        "--seed",
        "2",
        "--save",
        str(path),
        "--quiet",
    ]
    assert main(argv) == 0
    assert f"saved to {path}" in capsys.readouterr().out
    saved = load_model(path)
    assert len(saved.history) == 5 and saved.model.architecture == "2-6-1"
    assert saved.config.optimizer == "adam" and saved.config.batch_size == 10
    trainer = load_trainer(path)
    trainer.step()


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--arch", "4,x"], "argument --arch: architecture '4,x'"),
        (["--lr", "-1"], "argument --lr: learning rate must be > 0"),
        (["--lr", "nan"], "learning rate must be a finite number"),
        (["--steps", "0"], "argument --steps: steps must be at least 1"),
        (["--dataset", "swirl"], "argument --dataset: invalid choice"),
        (["--noise", "x"], "noise must be a number"),
        (["--seed", "-3"], "seed must be between"),
        (["--save", "/no/such/dir/m.json"], "no directory"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(
    argv: list[str], match: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["train", *argv])
    assert caught.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("mg-tui train: error: ") and match in err


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        (["--samples", "10"], "exactly 4 samples"),
        (["--batch-size", "5"], "batch size 5 is more than the 4 samples"),
        (["--loss", "bce"], "bce loss needs probabilities"),
    ],
)
def test_bad_combinations_exit_2(argv, match, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["train", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and match in err


def test_diverging_run_saves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.json"
    assert main(["train", "--steps", "2", "--quiet", "--save", str(path)]) == 0
    good = path.read_bytes()
    capsys.readouterr()
    argv = ["train", "--activation", "linear", "--lr", "1e150", "--save", str(path), "--force"]
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert err.startswith("mg-tui train: diverged at step ") and "nothing was saved" in err
    assert path.read_bytes() == good


def test_save_never_replaces_a_file_mg_tui_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    assert main(["train", "--steps", "2", "--quiet", "--save", str(notes), "--force"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "not a file mg-tui wrote" in err
    assert notes.read_text() == "my notes"


def test_save_over_a_model_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.json"
    assert main(["train", "--steps", "2", "--quiet", "--save", str(path)]) == 0
    first = path.read_bytes()
    capsys.readouterr()
    assert main(["train", "--steps", "3", "--quiet", "--save", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "pass --force to replace it" in err and err.count("\n") == 1
    assert path.read_bytes() == first
    assert main(["train", "--steps", "3", "--quiet", "--save", str(path), "--force"]) == 0
    assert path.read_bytes() != first


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_stop_signal_ends_the_run_after_a_whole_step_and_saves(tmp_path: Path, signum) -> None:
    """A scheduler's SIGTERM mid-run: the model after its last whole step is saved."""
    path = tmp_path / "m.json"
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mg_tui.tui.cli",
            "train",
            "--dataset",
            "moons",
            "--samples",
            "200",
            "--arch",
            "16,16",
            "--steps",
            "100000",
            "--quiet",
            "--save",
            str(path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(6.0)  # into the run: scikit-learn imported, steps under way
    child.send_signal(signum)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 128 + signum
    assert out == ""
    name = signal.Signals(signum).name
    assert err.startswith(f"mg-tui train: stopped by {name} after ") and err.count("\n") == 1
    assert f"saved to {path}" in err
    steps = int(err.split(" after ")[1].split(" of ")[0])
    saved = load_trainer(path)
    assert steps >= 1 and saved.step_count == steps == len(saved.history)


def test_bad_argument_in_a_subprocess() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mg_tui.tui.cli", "train", "--arch", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "mg-tui train: error: argument --arch: layer sizes must be between 1 and 64, got 0"
    ]
