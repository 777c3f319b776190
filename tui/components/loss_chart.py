"""The loss over training steps (textual-plotext), with the latest accuracy beside it.

Long histories are thinned to about two points per column before plotting, so a
redraw costs the same after 10 or 10,000 steps.
"""

from __future__ import annotations

from collections.abc import Sequence

from mg_tui.nn import StepRecord
from mg_tui.tui.colours import styled
from mg_tui.tui.format import num, percent
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot


def step_ticks(first: int, last: int, most: int = 5) -> list[int]:
    """Whole step numbers for the x-axis (plotext would label 0.75, 1.25… on short runs)."""
    stride = max(1, -(-(last - first) // (most - 1)))
    return list(range(first, last + 1, stride))


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
    """A one-line summary (loss, accuracy) over a plotext line chart of the loss."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.summary = Static(styled("no steps yet", "muted"), id="loss-summary")
        self.plot = PlotextPlot(id="loss-plot")
        self.history: Sequence[StepRecord] = ()
        self._drawn: tuple[int, int] = (-1, -1)  # (steps, width) last plotted
        self._plotted = 0

    def compose(self):
        yield self.summary
        yield self.plot

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def show(self, history: Sequence[StepRecord]) -> None:
        self.history = history
        if history:
            last = history[-1]
            first = history[0].loss
            trend = "▼" if last.loss < first else ("▲" if last.loss > first else "=")
            text = Text.assemble(
                ("loss ", "muted"),
                (num(last.loss), "bold"),
                f" {trend}  ",
                ("acc ", "muted"),
                (percent(last.accuracy), "bold"),
                ("   v: boundary", "muted"),
            )
        else:
            text = styled("no steps yet: press s to train one step", "muted")
        self.summary.update(text, layout=False)  # one line, always
        self._draw()

    @property
    def points(self) -> int:
        """How many points the chart plots now."""
        return self._plotted

    def _draw(self) -> None:
        width = max(self.plot.size.width - 8, 10)  # minus the y-axis labels
        key = (len(self.history), width)
        if key == self._drawn:
            return
        self._drawn = key
        plt = self.plot.plt
        plt.clear_data()
        records = thin(self.history, width)
        self._plotted = len(records)
        if records:
            steps = [r.step for r in records]
            plt.plot(steps, [r.loss for r in records], marker="braille")
            plt.xticks(step_ticks(steps[0], steps[-1]))
        plt.xlabel("")
        plt.title("")
        self.plot.refresh()
