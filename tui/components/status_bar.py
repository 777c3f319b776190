"""One line that says what is going on: data set, model, step, phase, lr, loss, playing."""

from __future__ import annotations

from mg_tui.tui.core.snapshot import Snapshot
from mg_tui.tui.format import num, percent
from rich.text import Text
from textual.widgets import Static

PHASE_NAMES = {
    "ready": "ready",
    "forward": "forward",
    "backward": "backward",
    "update": "update",
}


def phase_text(snapshot: Snapshot) -> str:
    """The phase; during a node-by-node walk, backward and how far it has got."""
    walk = snapshot.walk
    if walk is not None and walk.active:
        return f"backward {walk.interior_done}/{walk.interior_total}"
    return PHASE_NAMES.get(snapshot.phase, snapshot.phase)


class StatusBar(Static):
    """The app's status line; `show()` redraws it from a snapshot and the play state."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(" loading…"), id=id)
        self.message = ""

    def show(
        self, snapshot: Snapshot | None, playing: bool, message: str = "", loading: str = ""
    ) -> None:
        self.message = message
        text = Text()
        text.append(" ▶ playing " if playing else " ❚❚ paused ", style="reverse" if playing else "")
        if snapshot is None:
            text.append(f" {loading or 'loading…'}", style="bold")
        elif snapshot.title:  # an expression or a lesson's graph: no training numbers
            text.append(f" {snapshot.title}", style="bold")
            text.append("  ")
            text.append(phase_text(snapshot), style="bold underline")
            text.append("  value ", style="dim")
            text.append("-" if snapshot.loss is None else num(snapshot.loss), style="bold")
            if loading:
                text.append(f"  {loading}", style="italic")
        else:
            cfg = snapshot.config
            text.append(f" {cfg.dataset}", style="bold")
            text.append(f" {snapshot.architecture} {cfg.activation}")
            text.append("  step ", style="dim")
            text.append(str(snapshot.step), style="bold")
            text.append("  ")
            text.append(phase_text(snapshot), style="bold underline")
            text.append("  lr ", style="dim")
            text.append(num(snapshot.lr))
            text.append("  loss ", style="dim")
            text.append("-" if snapshot.loss is None else num(snapshot.loss), style="bold")
            text.append("  acc ", style="dim")
            text.append(percent(snapshot.accuracy))
            if loading:
                text.append(f"  {loading}", style="italic")
        if message:
            text.append("  ")
            text.append(f" {message} ", style="bold reverse")
        self.update(text, layout=False)  # one line, always

    @property
    def text(self) -> str:
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)
