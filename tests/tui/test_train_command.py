"""`mg-tui train`'s last words: the one line of a failed run, and the summary of a good one.

Every number the expected lines hold is worked out here, from a Trainer built with the
same settings and stepped by the test, and from sums over plain Python floats: the step
at which training broke, the losses and accuracies before and after training.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys

import pytest
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.nn.trainer import Trainer, TrainingDiverged
from mg_tui.tui.cli import main


def scores(trainer: Trainer, indices: list[int] | None = None) -> list[float]:
    xs = trainer.dataset.xs
    return trainer.predict([xs[i] for i in indices] if indices is not None else xs)


def squared_errors(trainer: Trainer) -> list[float]:
    """(score - y)**2 for every sample, in Python floats (OverflowError past 1.8e308)."""
    return [(s - y) ** 2 for s, y in zip(scores(trainer), trainer.dataset.ys)]


def hit_rate(trainer: Trainer, indices: list[int] | None = None) -> float:
    """The share of samples whose score is on their label's side of 0 (a tanh/linear net)."""
    chosen = indices if indices is not None else range(len(trainer.dataset))
    ys = [trainer.dataset.ys[i] for i in chosen]
    return sum((s > 0) == (y > 0) for s, y in zip(scores(trainer, indices), ys)) / len(ys)


def steps_before_divergence(config: RunConfig, steps: int) -> Trainer:
    """A Trainer stepped until its next step is the one that diverges."""
    trainer = build_trainer(config)
    for _ in range(steps):
        try:
            trainer.step()
        except TrainingDiverged:
            return trainer
    raise AssertionError(f"{config} did not diverge in {steps} steps")


def test_an_overflowing_run_exits_1_with_one_line_naming_the_step():
    """relu at lr 1e6: the scores grow until squaring one overflows a float."""
    config = RunConfig(activation="relu", output_activation="linear", lr=1e6, decay_steps=40)
    trainer = steps_before_divergence(config, 40)
    step = len(trainer.history) + 1
    assert all(math.isfinite(s) for s in scores(trainer))
    with pytest.raises(OverflowError):
        squared_errors(trainer)  # the loss of step `step` cannot be a float
    result = subprocess.run(
        [sys.executable, "-m", "mg_tui.tui.cli", "train", "--activation", "relu",
         "--output-activation", "linear", "--lr", "1e6", "--steps", "40"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"mg-tui train: diverged at step {step}: the loss overflowed a float; "
        "try a smaller --lr than 1e+06\n"
    )


def test_a_last_update_that_breaks_the_model_is_a_divergence_too(tmp_path, capsys):
    """Stopped one step short of the overflow: that step's own loss was finite, but the
    model it left cannot be measured, and it is not saved."""
    config = RunConfig(activation="relu", output_activation="linear", lr=1e6, decay_steps=40)
    last = len(steps_before_divergence(config, 40).history)  # its model overflows
    path = tmp_path / "m.json"
    argv = ["train", "--activation", "relu", "--output-activation", "linear", "--lr", "1e6",
            "--steps", str(last), "--save", str(path)]  # fmt: skip
    assert main(argv) == 1
    assert capsys.readouterr() == (
        "",
        f"mg-tui train: diverged at step {last}: its update made the loss overflow a float; "
        "try a smaller --lr than 1e+06 (nothing was saved)\n",
    )
    assert not path.exists()


@pytest.mark.parametrize("save", [False, True])
def test_a_nan_loss_exits_1_with_one_line(save, tmp_path, capsys):
    """A linear net at lr 1000: weights reach inf, and inf - inf makes the loss nan."""
    config = RunConfig(activation="linear", lr=1000.0, decay_steps=40)
    trainer = steps_before_divergence(config, 40)
    step = len(trainer.history) + 1
    assert math.isnan(sum(squared_errors(trainer)))
    path = tmp_path / "m.json"
    argv = ["train", "--activation", "linear", "--lr", "1e3", "--steps", "40"]
    assert main(argv + (["--save", str(path)] if save else [])) == 1
    out, err = capsys.readouterr()
    line = f"mg-tui train: diverged at step {step}: the loss is nan; try a smaller --lr than 1000"
    assert (out, err) == ("", line + (" (nothing was saved)" if save else "") + "\n")
    assert not path.exists()


def test_a_run_whose_loss_rose_says_from_what_to_what(capsys):
    """lr 100 saturates every tanh: no overflow, but the model ends worse than it began."""
    trainer = build_trainer(RunConfig(lr=100.0, decay_steps=20))
    before = sum(squared_errors(trainer))  # tiny's loss is the summed squared error
    for _ in range(20):
        trainer.step()
    after = sum(squared_errors(trainer))
    assert after > before
    assert main(["train", "--lr", "100"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("trained 3-4-4-1 ") and out.count("\n") == 1
    assert err == (
        f"mg-tui train: training failed: the loss on all 4 samples rose from {before:.4g} "
        f"before training to {after:.4g} after 20 steps; try a smaller --lr than 100\n"
    )


def summary_pattern(
    head: str, before: tuple[float, float], after: tuple[float, float], last_batch: float, n: int
) -> str:
    """The summary line, its time left open."""
    return (
        re.escape(head)
        + r" in \d+\.\d\d s; "
        + re.escape(
            f"on all {n} samples, loss {before[0]:.4g} -> {after[0]:.4g} and accuracy "
            f"{before[1]:.0%} -> {after[1]:.0%} (the last step's batch: {last_batch:.0%} "
            "before its update)"
        )
        + r"\n"
    )


def test_the_summary_of_the_seeds_run(capsys):
    trainer = build_trainer(RunConfig(decay_steps=20))
    before = (sum(squared_errors(trainer)), hit_rate(trainer))
    for _ in range(19):
        trainer.step()
    last_batch = hit_rate(trainer)  # the whole set is every step's batch here
    trainer.step()
    after = (sum(squared_errors(trainer)), hit_rate(trainer))
    assert main(["train"]) == 0
    out, err = capsys.readouterr()
    head = "trained 3-4-4-1 (hidden 4,4) on tiny: 20 steps"
    assert re.fullmatch(summary_pattern(head, before, after, last_batch, 4), out), out
    assert err == ""


def test_the_summary_tells_the_whole_set_from_the_last_batch(capsys):
    """With batches of 5, the last step's batch and all 20 samples score differently."""
    config = RunConfig(dataset="xor", samples=20, batch_size=5, decay_steps=30)
    trainer = build_trainer(config)
    n = len(trainer.dataset)

    def mse() -> float:  # xor's loss: the mean squared error
        return sum(squared_errors(trainer)) / n

    before = (mse(), hit_rate(trainer))
    for _ in range(29):
        trainer.step()
    trainer.forward()  # the 30th step's batch, drawn as the step draws it
    last_batch = hit_rate(trainer, trainer.batch)
    trainer.backward()
    trainer.update()
    after = (mse(), hit_rate(trainer))
    assert last_batch != after[1]  # else this test could not tell them apart
    argv = ["train", "--dataset", "xor", "--samples", "20", "--batch-size", "5", "--steps", "30"]
    assert main(argv) == 0
    out, _err = capsys.readouterr()
    head = "trained 2-4-4-1 (hidden 4,4) on xor: 30 steps"
    assert re.fullmatch(summary_pattern(head, before, after, last_batch, n), out), out
