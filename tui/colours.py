"""The app's semantic colours, declared once: each meaning's colour on a dark and a light theme.

Widgets style text by what it means (`muted`, `grad.positive`…), never by a colour; the app
gives its console a Rich theme of these names for the current Textual theme's brightness
(`rich_theme`), and paints again when the theme changes. Rich's own `dim` is not used for
text: Textual fades it towards the background, which leaves text too faint to read.

Every colour reads at least 5:1 (WCAG AA asks 4.5:1) on the backgrounds of textual-dark
or textual-light (the screen, the panels, a focused panel's tint, the status line), and so
does its grey under NO_COLOR, where Textual keeps each colour's luma: tests/tui/
test_colours.py checks the table, tests/e2e/test_contrast.py what a terminal shows.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from rich.theme import Theme

# Hues as (on a dark theme, on a light theme).
GREEN = ("#98e024", "#005b14")
RED = ("#ff8a8a", "#a20027")
ORANGE = ("#fd971f", "#734300")
CYAN = ("#58d1eb", "#00566a")
MAGENTA = ("#e08cff", "#7e2491")
GREY = ("#a8a8a8", "#4a4a4a")
BLUE = ("#7ab8ff", "#004f9e")

MEANINGS: dict[str, tuple[str, str]] = {
    "muted": GREY,  # secondary text: labels, hints, constants, a zero grad
    "grad.positive": GREEN,  # with ▲
    "grad.negative": RED,  # with ▼
    "grad.nonfinite": MAGENTA,  # nan, inf
    "reused": ORANGE,  # a node used more than once: `×3`
    "leaf.input": CYAN,  # a data input or target in the graph
    "walk.final": GREEN,  # a grad with every contribution (✓)
    "walk.partial": ORANGE,  # some contributions received (◐)
    "check.ok": GREEN,  # a lesson's figure matches its source
    "check.bad": RED,
    "chart.loss": BLUE,  # the loss curve's legend (its line is plotext's blue)
    "chart.accuracy": GREEN,  # the accuracy curve's legend
    "chart.test_loss": RED,  # the test loss curve's legend (plotext's red)
    "chart.test_accuracy": MAGENTA,  # the test accuracy curve's legend
}


def rich_theme(dark: bool) -> Theme:
    """The meanings as Rich styles, for a dark or a light Textual theme."""
    return Theme({name: Style(color=pair[0 if dark else 1]) for name, pair in MEANINGS.items()})


def styled(text: str, meaning: str, emphasis: str = "") -> Text:
    """`text` in one meaning's colour, with Rich's `emphasis` ("bold", "italic") on top.

    The meaning is held as a span: Textual reads a Text's own (base) style with its CSS
    parser, which does not know the console theme's names."""
    out = Text.assemble((text, meaning))
    if emphasis:
        out.stylize(emphasis)
    return out
