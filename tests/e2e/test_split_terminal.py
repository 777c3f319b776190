"""The installed `mg-tui` on a test split, in a real pseudo-terminal, read through pyte.

After a few steps the status line and the chart's summary show the test loss and accuracy,
and the chart draws two loss curves: the training loss in braille, the test loss in dots
(and the accuracies in blocks and crosses). The numbers are checked against a twin run
made here with the same settings, its test loss a mean of squared errors counted by hand.
"""

from __future__ import annotations

import re

from mg_tui.nn import RunConfig, build_trainer
from mg_tui.tui.format import num, percent

ARGS = ["--dataset", "moons", "--samples", "40", "--test-fraction", "0.25", "--seed", "2"]
STEPS = 5
BRAILLE = re.compile("[\u2801-\u28ff]")


def twin_test_figures() -> tuple[str, str]:
    """The test loss and accuracy the app's step STEPS shows, by hand (before its update)."""
    trainer = build_trainer(RunConfig(dataset="moons", samples=40, test_fraction=0.25, seed=2))
    for _ in range(STEPS - 1):
        trainer.step()
    test = trainer.test
    outs = [trainer.model.evaluate(x) for x in test.xs]
    mse = sum((o - y) ** 2 for o, y in zip(outs, test.ys)) / len(test)
    right = sum((o > 0) == (y > 0) for o, y in zip(outs, test.ys)) / len(test)
    return num(mse), percent(right)


def chart_rows(term) -> list[str]:
    """The chart's lines: the right-hand pane, below the node panel."""
    rows = term.screen.display
    start = next(i for i, line in enumerate(rows) if "step " in line and "loss" in line and i > 2)
    return [line[line.index("│", 1) :] for line in rows[start + 1 :] if "│" in line[1:]]


def test_a_split_shows_test_figures_and_two_curves(spawn):
    loss, accuracy = twin_test_figures()
    term = spawn(ARGS, cols=120, rows=40)
    term.wait_ready(timeout=30)
    for step in range(1, STEPS + 1):
        term.press("s")
        term.wait_for(
            lambda _, step=step: term.status().get("step") == str(step), 20, f"step {step}"
        )
    term.wait_text(re.escape(f"test {loss} {accuracy}"))  # the status line
    term.wait_text(re.escape(f"test •{loss} ×{accuracy}"))  # the chart's summary, its markers
    chart = "\n".join(chart_rows(term))
    assert BRAILLE.search(chart), chart  # the training loss
    assert "•" in chart and "×" in chart, chart  # the test loss and the test accuracy
    assert "100%" in chart and "0%" in chart  # the accuracy axis
    term.press("q")
    assert term.wait_exit(10) == 0


def test_at_80x24_the_test_figures_still_show(spawn):
    loss, accuracy = twin_test_figures()
    term = spawn(ARGS, cols=80, rows=24)
    term.wait_ready(timeout=30)
    for step in range(1, STEPS + 1):
        term.press("s")
        term.wait_for(
            lambda _, step=step: term.status().get("step") == str(step), 20, f"step {step}"
        )
    # the status line shortens its labels (`T`) before it gives up the test figures
    term.wait_text(rf"(?:test|T) {re.escape(loss)} {re.escape(accuracy)}")
    term.wait_text(re.escape(f"•{loss} ×{accuracy}"))
    term.press("q")
    assert term.wait_exit(10) == 0
