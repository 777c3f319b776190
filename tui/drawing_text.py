"""The graph drawn (tui/core/graph_drawing.py), in colour: its style names as Rich styles.

One table for the widget (tui/components/graph_drawing.py) and `mg-tui expr --print`
on a terminal. The shapes carry the meaning without colour (double frame: the walk's
node; heavy frame: the tree's selection; the grad's sign is its number's).
"""

from __future__ import annotations

from mg_tui.tui.core.graph_drawing import Drawing
from rich.console import Console
from rich.style import Style
from rich.text import Text

STYLES: dict[str, Style] = {
    name: Style.parse(spec)
    for name, spec in {
        "": "none",
        "edge": "bright_black",
        "border": "blue",
        "label": "bold",
        "muted": "dim",
        "data": "none",
        "grad+": "green",
        "grad-": "red",
        "grad0": "dim",
        "op": "bold",
        "current": "bold yellow",
        "selected": "bold cyan",
    }.items()
}


def line_texts(drawing: Drawing) -> list[Text]:
    """Each line of the drawing as Rich Text with its styles."""
    texts = []
    for runs in drawing.runs:
        text = Text(no_wrap=True, overflow="ignore", end="")
        for chunk, style in runs:
            text.append(chunk, STYLES.get(style))
        texts.append(text)
    return texts


def print_styled(drawing: Drawing, console: Console | None = None) -> None:
    """Print the drawing in colour (Rich honours NO_COLOR), lines never wrapped."""
    console = console or Console(highlight=False, soft_wrap=True)
    for text in line_texts(drawing):
        text.rstrip()
        console.print(text, crop=False, soft_wrap=True)
