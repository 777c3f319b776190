"""A nudge's numbers, written out: output before and after, the change, and grad × h."""

from __future__ import annotations

from mg_tui.engine import Value
from mg_tui.tui.core.nudge import Nudge
from mg_tui.tui.format import num
from rich.text import Text
from textual.widgets import Static


def nudge_text(result: Nudge, output: str) -> Text:
    """The lecture's experiment in five lines; every number in full precision."""
    change, predicted = num(result.change, 6), num(result.predicted, 6)
    text = Text()
    text.append(f"{result.leaf} += h = {result.h:g}\n", style="bold")
    text.append(f"{output} before  {num(result.before, 10)}\n")
    text.append(f"{output} after   {num(result.after, 10)}\n")
    text.append(f"change     {change}  (after - before)\n", style="bold")
    text.append(f"grad × h   {num(result.grad, 6)} × {result.h:g} = {predicted}")
    return text


class NudgePane(Static):
    """Shown under the node panel while a nudge is on; x or Escape takes it away."""

    def __init__(self, leaf: Value) -> None:
        super().__init__(id="nudge")
        self.leaf = leaf  # the node nudged, to nudge again with another h
        self.result: Nudge | None = None

    def show(self, result: Nudge, output: str) -> None:
        self.result = result
        self.border_title = f"nudge {result.leaf}"
        self.border_subtitle = "x: undo  X: h"
        self.update(nudge_text(result, output))
