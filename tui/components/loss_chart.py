"""The loss over training steps (textual-plotext) on the left axis, accuracy on the right,
and with a test split the test loss and accuracy beside them.

The y ticks are chosen here (tui/core/ticks.py), evenly spaced at round values, and `l`
switches the loss axis between linear and log: after the first few steps a linear
axis draws the rest of the curve as a flat line. Long histories are thinned to about
two points per column before plotting, so a redraw costs the same after 10 or 10,000
steps.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from mg_tui.nn import StepRecord
from mg_tui.tui.colours import styled
from mg_tui.tui.core.ticks import linear_ticks, log_ticks, step_ticks
from mg_tui.tui.format import num, percent
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

LOSS_COLOR = "blue+"  # plotext's names; the summary line writes each value in its line's colour
ACCURACY_COLOR = "green+"  # drawn in quarter blocks, the loss in braille: apart without colour
TEST_LOSS_COLOR = "red+"  # the test curves: drawn in dots (loss) and crosses (accuracy), so
TEST_ACCURACY_COLOR = "magenta+"  # the four lines stay apart without colour too
TEST_LOSS_MARKER, TEST_ACCURACY_MARKER = "•", "×"
SUMMARY_STYLES = {  # the legend's meanings (tui/colours.py)
    LOSS_COLOR: "chart.loss",
    ACCURACY_COLOR: "chart.accuracy",
    TEST_LOSS_COLOR: "chart.test_loss",
    TEST_ACCURACY_COLOR: "chart.test_accuracy",
}
ACCURACY_TICKS = ([0.0, 0.5, 1.0], ["0%", "50%", "100%"])
# Past this a linear axis shows the rest of the curve as a flat line, and near the float
# limit plotext's scaling overflows (a loss of 9e307 once ended the app): the axis goes log.
LINEAR_LIMIT = 1e12


def thin(records: Sequence[StepRecord], columns: int) -> list[StepRecord]:
    """At most ~2 points per column, always keeping the first and the last record."""
    limit = max(2, 2 * columns)
    if len(records) <= limit:
        return list(records)
    stride = len(records) / (limit - 1)
    picked = [records[int(i * stride)] for i in range(limit - 1)]
    picked.append(records[-1])
    return picked


class LossChart(Vertical):
    """A one-line summary over a plotext chart: loss (left axis) and accuracy (right axis)."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary = Static(styled("no steps yet", "muted"), id="loss-summary")
        self.plot = PlotextPlot(id="loss-plot")
        self.history: Sequence[StepRecord] = ()
        self.log_scale = False  # the user's choice (l)
        self.forced_log = False  # a plotted loss is past LINEAR_LIMIT: log whatever was chosen
        self.loss_ticks: list[str] = []  # the y labels last drawn, for tests and readers
        self.curves: list[str] = []  # the lines last drawn: loss, test loss, accuracy, …
        self._drawn: tuple[int, int, bool] = (-1, -1, False)  # (steps, width, log) last plotted
        self._plotted = 0

    def compose(self):
        yield self.summary
        yield self.plot

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()
        self._write_summary()

    def show(self, history: Sequence[StepRecord]) -> None:
        self.history = history
        self._draw()  # first: it decides `forced_log`, which the summary names
        self._write_summary()

    def toggle_log_scale(self) -> bool:
        """Switch the loss axis between linear and log; returns True for log."""
        self.log_scale = not self.log_scale
        self._draw()
        self._write_summary()
        return self.log_scale

    def _write_summary(self) -> None:
        """Loss and accuracy in their lines' colours (the legend), the test figures in their
        markers, then the hints that fit; on a narrow chart the step and the words go first."""
        if not self.history:
            text = styled("no steps yet: press s to train one step", "muted")
            self.summary.update(text, layout=False)
            return
        width = max(self.summary.content_region.width or self.size.width - 2, 1)
        for short in (False, True):
            text = self._summary(short)
            if text.cell_len <= width:
                break
        scale = "log" if self.log_scale else "linear"
        axis = f"  log: loss > {LINEAR_LIMIT:g}" if self.forced_log else f"  l: {scale}"
        hints = [axis, "  v: boundary"]
        if self.history[-1].accuracy is not None:
            hints.append("  M: confusion")
        for hint in hints:
            if text.cell_len + len(hint) <= width:
                text.append(hint, style="muted")
        self.summary.update(text, layout=False)  # one line, always

    def _summary(self, short: bool) -> Text:
        """`step 6 loss 0.71 ▼  acc 67%  test •0.57 ×67%`; short: `L 0.71▼ 67% T •0.57 ×67%`."""
        last, first = self.history[-1], self.history[0].loss
        trend = "▼" if last.loss < first else ("▲" if last.loss > first else "=")
        gap = " " if short else "  "
        text = Text()
        if not short:
            text.append(f"step {last.step} ", "muted")  # the status line may show the next step's
        text.append("L " if short else "loss ", SUMMARY_STYLES[LOSS_COLOR])
        text.append(num(last.loss), "bold")
        text.append(trend if short else f" {trend}")
        if last.accuracy is not None:
            text.append(gap + ("" if short else "acc "), SUMMARY_STYLES[ACCURACY_COLOR])
            text.append(percent(last.accuracy), "bold")
        if last.test_loss is not None:  # each test figure after its curve's marker
            text.append(gap + ("T " if short else "test "), "muted")
            text.append(TEST_LOSS_MARKER, SUMMARY_STYLES[TEST_LOSS_COLOR])
            text.append(num(last.test_loss), "bold")
            if last.test_accuracy is not None:
                text.append(f" {TEST_ACCURACY_MARKER}", SUMMARY_STYLES[TEST_ACCURACY_COLOR])
                text.append(percent(last.test_accuracy), "bold")
        return text

    @property
    def points(self) -> int:
        """How many points the chart plots now."""
        return self._plotted

    def _draw(self) -> None:
        width = max(self.plot.size.width - 14, 10)  # minus the two y-axes' labels
        key = (len(self.history), width, self.log_scale)
        if key == self._drawn:
            return
        self._drawn = key
        plt = self.plot.plt
        plt.clear_data()
        records = thin(self.history, width)
        # From the points plotted (a few per column), not the whole history: every frame.
        self.forced_log = any(
            r.loss > LINEAR_LIMIT or (r.test_loss or 0.0) > LINEAR_LIMIT for r in records
        )
        log = self.log_scale or self.forced_log
        if log:  # a log axis has no 0
            records = [
                r for r in records if r.loss > 0 and (r.test_loss is None or r.test_loss > 0)
            ]
        self._plotted = len(records)
        self.loss_ticks = []
        self.curves = []
        if records:
            steps = [r.step for r in records]
            losses = [r.loss for r in records]
            tests = [r.test_loss for r in records]
            tested = all(t is not None for t in tests)
            span = [*losses, *tests] if tested else losses
            ticks = (log_ticks if log else linear_ticks)(min(span), max(span))
            # A log axis is drawn as log10 of each number on plotext's linear axis, the
            # ticks labelled with the numbers: plotext's own log scale takes the log of its
            # data in place at every build, so a second repaint took the log of a log.
            axis = (lambda v: math.log10(v)) if log else (lambda v: v)
            plt.yscale("linear")
            plt.plot(steps, list(map(axis, losses)), marker="braille", color=LOSS_COLOR)
            self.curves.append("loss")
            if tested:
                tested_ys = list(map(axis, tests))
                plt.plot(steps, tested_ys, marker=TEST_LOSS_MARKER, color=TEST_LOSS_COLOR)
                self.curves.append("test loss")
            plt.ylim(axis(ticks.low), axis(ticks.high))
            plt.yticks(list(map(axis, ticks.values)), ticks.labels)
            self.loss_ticks = ticks.labels
            accuracies = [r.accuracy for r in records]
            if all(a is not None for a in accuracies):
                plt.plot(steps, accuracies, marker="hd", color=ACCURACY_COLOR, yside="right")
                self.curves.append("accuracy")
                test_accuracies = [r.test_accuracy for r in records]
                if all(a is not None for a in test_accuracies):
                    plt.plot(
                        steps,
                        test_accuracies,
                        marker=TEST_ACCURACY_MARKER,
                        color=TEST_ACCURACY_COLOR,
                        yside="right",
                    )
                    self.curves.append("test accuracy")
                plt.ylim(0.0, 1.0, yside="right")
                plt.yticks(*ACCURACY_TICKS, yside="right")
            plt.xticks(step_ticks(steps[0], steps[-1]))
        plt.xlabel("")
        plt.title("")
        self.plot.refresh()
