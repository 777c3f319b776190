"""One line that says what is going on: mode, step, phase, loss, accuracy, test loss and
accuracy (with a test split), lr, data, model.

It never cuts a number. When the line is too narrow it gives up, in a fixed order, the
fields that matter least (the model, the data set, the lr, a notice), then the long
labels, then the test figures, then accuracy, then loss: step and phase go last. The mode (network,
expression, lesson) is always named, so a learner always knows where they are.
"""

from __future__ import annotations

from dataclasses import dataclass

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

# Fields are given up in this order when the line is too narrow (the first goes first);
# "labels" means the long labels and the long play state give way to short ones.
DROP_ORDER = (
    "architecture",
    "dataset",
    "lr",
    "notice",
    "labels",
    "test",
    "accuracy",
    "loss",
    "phase",
)


def phase_text(snapshot: Snapshot) -> str:
    """The phase; during a node-by-node walk, backward and how far it has got."""
    walk = snapshot.walk
    if walk is not None and walk.active:
        return f"backward {walk.interior_done}/{walk.interior_total}"
    return PHASE_NAMES.get(snapshot.phase, snapshot.phase)


@dataclass(frozen=True)
class Field:
    """One item of the status line: `label value`; `short_label` (spacing included) is used
    when space is short: `step 12` becomes `#12`, `loss 0.2` becomes `L 0.2`."""

    name: str
    value: str
    label: str = ""
    short_label: str = ""
    style: str = "bold"


def fields(
    snapshot: Snapshot | None, mode: str, playing: bool, notice: str, loading: str
) -> list[Field]:
    """Everything the line would say with room enough, in display order."""
    if snapshot is None:
        return [Field("mode", mode), Field("phase", loading or "loading…", style="italic")]
    out = [Field("mode", mode, style="bold reverse")]
    if snapshot.title:  # an expression or a lesson's graph: nothing trains
        out += [
            Field("dataset", snapshot.title),
            Field("phase", phase_text(snapshot), style="bold underline"),
            Field("loss", _value(snapshot.loss), "value", "= "),
        ]
    else:
        cfg = snapshot.config
        out += [
            Field(
                "play", "▶ playing" if playing else "❚❚ paused", style="reverse" if playing else ""
            ),
            Field("dataset", snapshot.data_name or cfg.data_name),
            Field("architecture", f"{snapshot.architecture} {cfg.activation}", style=""),
            Field("step", str(snapshot.step), "step", "#"),
            Field("phase", phase_text(snapshot), style="bold underline"),
            Field("lr", num(snapshot.lr), "lr", "lr ", style=""),
            Field("loss", _value(snapshot.loss), "loss", "L "),
        ]
        if snapshot.classes:  # regression has no accuracy
            out.append(Field("accuracy", percent(snapshot.accuracy), "acc", "", style=""))
        if snapshot.test_size:
            out.append(Field("test", test_text(snapshot), "test", "T "))
    if loading:
        out.append(Field("notice", loading, style="italic"))
    if notice:
        out.append(Field("notice", f" {notice} ", style="bold reverse"))
    return out


def fit(items: list[Field], width: int) -> Text:
    """The fullest line of at most `width` cells, giving up fields in DROP_ORDER."""
    dropped: set[str] = set()
    short = False
    for stage in (None, *DROP_ORDER):
        if stage == "labels":
            short = True
        elif stage is not None:
            dropped.add(stage)
        text = render([f for f in items if f.name not in dropped], short=short)
        if text.cell_len <= width:
            return text
    return text  # mode and step alone: what is left is whole numbers, never half of one


def render(items: list[Field], *, short: bool) -> Text:
    text = Text()
    for number, item in enumerate(items):
        text.append(" " if short or number == 0 else "  ")
        label = item.short_label if short else f"{item.label} " if item.label else ""
        value = item.value
        if item.name == "play" and short:
            value = value.split()[0]  # the glyph alone: ▶ or ❚❚
        text.append(label, style="muted")
        text.append(value, style=item.style)
    return text


def test_text(snapshot: Snapshot) -> str:
    """`0.2611 93%`: the test loss and accuracy at the last step (`-` before it)."""
    text = _value(snapshot.test_loss)
    if snapshot.classes:
        text += f" {percent(snapshot.test_accuracy)}"
    return text


def _value(x: float | None) -> str:
    return "-" if x is None else num(x)


class StatusBar(Static):
    """The app's status line; `show()` redraws it from a snapshot and the play state."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(Text(" loading…"), id=id)
        self.message = ""
        self._items: list[Field] = []

    def show(
        self,
        snapshot: Snapshot | None,
        playing: bool,
        message: str = "",
        loading: str = "",
        mode: str = "network",
    ) -> None:
        self.message = message
        self._items = fields(snapshot, mode, playing, message, loading)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        width = self.size.width or self.app.size.width
        self.update(fit(self._items, width), layout=False)  # one line, always

    @property
    def text(self) -> str:
        content = self.content
        return content.plain if isinstance(content, Text) else str(content)
