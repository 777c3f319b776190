"""The confusion matrix: how often each true class was predicted as each class.

Beside the accuracy it says where the mistakes are: which classes the model mixes up.
Rows are the true class, columns the predicted one; the diagonal (bold) is what is right,
and its sum over all the samples is the accuracy. With a test split the test samples get
their own matrix beside the training one. The worker computes it (on floats) only while
this view shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from mg_tui.tui.core.snapshot import Confusion
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


def matrix_lines(title: str, classes: Sequence[str], counts: Sequence[Sequence[int]]) -> list[Text]:
    """One matrix as lines of text: a header of predicted classes, a row per true class."""
    names = [name[:8] for name in classes]
    label_width = max(len("true"), *(len(n) for n in names))
    cell = max(4, *(len(str(v)) + 1 for row in counts for v in row), *(len(n) + 1 for n in names))
    total = sum(sum(row) for row in counts)
    right = sum(counts[k][k] for k in range(len(counts)))
    share = f"{right / total:.0%}" if total else "-"
    lines = [Text.assemble((title, "bold"), f"  right {right}/{total} ({share})")]
    header = Text(" " * label_width + " predicted →", style="muted")
    lines.append(header)
    row = Text("true ↓".ljust(label_width + 2), style="muted")
    for name in names:
        row.append(name.rjust(cell), style="muted")
    lines.append(row)
    for k, (name, counts_row) in enumerate(zip(names, counts)):
        line = Text(name.ljust(label_width + 2))
        for j, value in enumerate(counts_row):
            style = "bold" if j == k else ("" if value else "muted")
            line.append(str(value).rjust(cell), style=style)
        lines.append(line)
    return lines


def render_confusion(confusion: Confusion, width: int = 200) -> Text:
    """The training matrix, and the test matrix beside it (below it if `width` is too narrow)."""
    step = f"the model after step {confusion.step}"
    blocks = [matrix_lines("training", confusion.classes, confusion.train)]
    if confusion.test is not None:
        blocks.append(matrix_lines("test", confusion.classes, confusion.test))
    widths = [max(line.cell_len for line in block) for block in blocks]
    if sum(widths) + 4 * (len(widths) - 1) > width:  # one above the other
        out = Text(step, style="muted")
        for block in blocks:
            for line in block:
                out.append("\n")
                out.append_text(line)
        return out
    out = Text(step + "\n", style="muted")
    rows = max(len(block) for block in blocks)
    for i in range(rows):
        for b, block in enumerate(blocks):
            line = block[i] if i < len(block) else Text("")
            out.append_text(line)
            if b < len(blocks) - 1:
                out.append(" " * (widths[b] - line.cell_len + 4))
        if i < rows - 1:
            out.append("\n")
    return out


class ConfusionView(VerticalScroll):
    """A caption over the confusion matrices of the latest snapshot."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = Static(
            Text.assemble(("confusion matrix  ", "bold"), ("M: loss chart", "muted")),
            id="confusion-caption",
        )
        self.body = Static(Text("computing…", style="muted"), id="confusion-body")
        self.confusion: Confusion | None = None

    def compose(self):
        yield self.caption
        yield self.body

    def show(self, confusion: Confusion | None, regression: bool = False) -> None:
        self.confusion = confusion
        if regression:
            self.body.update(
                Text("No confusion matrix: regression predicts numbers, not classes.", "muted")
            )
        elif confusion is None:
            self.body.update(Text("computing…", style="muted"))
        else:
            self.body.update(render_confusion(confusion, self.content_region.width or 200))

    def on_resize(self) -> None:
        if self.confusion is not None:
            self.body.update(render_confusion(self.confusion, self.content_region.width or 200))

    @property
    def text(self) -> str:
        content = self.body.content
        return content.plain if isinstance(content, Text) else str(content)
