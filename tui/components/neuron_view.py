"""Every hidden neuron's picture (h): what it computes over the input plane, layer by layer.

Small multiples, as in TensorFlow Playground: one heat map per neuron (orange negative,
blue positive, tui/components/ramp.py), labelled with its name. For 1-D data each
neuron is a curve along x. Arrow keys select a neuron: its incoming weights and bias
are written above the pictures, and enter opens it in the graph tree.
"""

from __future__ import annotations

from mg_tui.tui.colours import styled
from mg_tui.tui.components import ramp
from mg_tui.tui.components.key_hints import with_hints
from mg_tui.tui.core.model_state import ModelState
from mg_tui.tui.core.neuron_maps import NeuronMaps
from mg_tui.tui.core.numbers import num
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Static

PICTURE = (8, 4)  # cells of one neuron's picture (cols, rows); one grid point per cell
GAP = 1
SPARKS = "▁▂▃▄▅▆▇█"


class NeuronView(VerticalScroll):
    """The pictures of the latest NeuronMaps; a focusable selection among the neurons."""

    can_focus = True
    BINDINGS = [  # noqa: RUF012
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("enter", "open", show=False),
    ]

    class Open(Message):
        """Show neuron `name` in the graph tree."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = Static(styled("neurons: computing…", "muted"), id="neurons-caption")
        self.canvas = Static("", id="neurons-canvas")
        self.maps: NeuronMaps | None = None
        self.model: ModelState | None = None
        self.selected = 0  # index into the hidden neurons, layer by layer
        self.reason = ""  # why there are no pictures, when there are none
        self._selected_lines = (0, 1)  # the canvas lines of the selected picture and name

    def compose(self):
        yield self.caption
        yield self.canvas

    @property
    def names(self) -> list[str]:
        return [n for layer in self.maps.names for n in layer] if self.maps else []

    def content_width(self) -> int:
        """The columns the pictures may use: the scrollbar's gutter is always kept free, so a
        scrollbar that appears with the pictures never covers the last one's right edge."""
        return max(self.scrollable_content_region.width, 1)

    def per_row(self) -> int:
        return max(1, self.content_width() // (PICTURE[0] + GAP))

    def show(self, maps: NeuronMaps | None, model: ModelState | None, reason: str = "") -> None:
        self.maps, self.model, self.reason = maps, model, reason
        if maps is not None:
            self.selected = min(self.selected, max(len(self.names) - 1, 0))
        self._draw()

    def action_move(self, dx: int, dy: int) -> None:
        if not self.names:
            return
        target = self.selected + dx + dy * self.per_row()
        self.selected = max(0, min(len(self.names) - 1, target))
        self._draw()
        self.call_after_refresh(self._scroll_to_selected)

    def _scroll_to_selected(self) -> None:
        """Scroll just enough for the selected neuron's picture and name to be on screen."""
        top, height = self._selected_lines
        region = Region(0, self.canvas.virtual_region.y + top, 1, height)
        self.scroll_to_region(region, animate=False, immediate=True)

    def action_open(self) -> None:
        if self.names:
            self.post_message(self.Open(self.names[self.selected]))

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        if self.maps is None:
            text = self.reason or "neurons: computing…"
            self.caption.update(styled(text, "muted"))
            self.canvas.update("")
            return
        self.caption.update(self._caption())
        self.canvas.update(self._pictures())

    def _caption(self) -> Text:
        """`L1.N2  w -0.18 -0.54  b 0.016`, then the keys while they fit: one line."""
        name = self.names[self.selected] if self.names else ""
        neuron = self.model.find(name) if self.model is not None else None
        text = Text.assemble((name, "reverse bold"))
        if neuron is not None:
            shown = neuron.weights[:4]
            weights = " ".join(num(w) for w in shown) + (" …" if len(neuron.weights) > 4 else "")
            text.append(f"  w {weights}  b {num(neuron.bias)}")
        hints = ("arrows: select", "enter: in graph", "h: back")
        return with_hints(text, hints, self.content_width(), way_out="h: back")

    def _pictures(self) -> Text:
        maps = self.maps
        dark = getattr(self.app, "current_theme", None) is None or self.app.current_theme.dark
        mono = getattr(self.app, "no_color", False)
        per_row = self.per_row()
        text = Text()
        flat = 0
        block = (1 if maps.rows == 1 else maps.rows) + 1  # a row of pictures and their names
        for k, names in enumerate(maps.names):
            activation = maps.activations[k]
            text.append(f"L{k + 1} · {len(names)} neurons · {activation}\n", style="bold")
            for start in range(0, len(names), per_row):
                row_names = names[start : start + per_row]
                if flat <= self.selected < flat + len(row_names):
                    self._selected_lines = (len(text.plain.split("\n")) - 1, block)
                pictures = [
                    ramp.normalised(activation, maps.values[k][start + i])
                    for i in range(len(row_names))
                ]
                self._picture_rows(text, pictures, maps, dark, mono)
                for i, name in enumerate(row_names):
                    style = "reverse bold" if flat + i == self.selected else ""
                    text.append(name[: PICTURE[0]].ljust(PICTURE[0]), style=style)
                    text.append(" " * GAP)
                text.append("\n")
                flat += len(row_names)
        return text

    def _picture_rows(self, text: Text, pictures, maps: NeuronMaps, dark: bool, mono: bool):
        cols = maps.cols
        if maps.rows == 1:  # 1-D data: each neuron's curve along x
            for values in pictures:
                low, high = min(values), max(values)
                span = (high - low) or 1.0
                for v in values:
                    spark = SPARKS[round((v - low) / span * (len(SPARKS) - 1))]
                    text.append(spark, style="" if mono else ramp.hex_colour(v, dark))
                text.append(" " * GAP)
            text.append("\n")
            return
        for r in range(maps.rows):
            for values in pictures:
                for c in range(cols):
                    v = values[r * cols + c]
                    if mono:
                        text.append(ramp.glyph(v))
                    else:
                        text.append(" ", style=f"on {ramp.hex_colour(v, dark)}")
                text.append(" " * GAP)
            text.append("\n")


def neuron_picture_size(session) -> tuple[int, int]:
    """The (cols, rows) of each picture the worker computes: one row for 1-D data."""
    trainer = session.trainer
    one_d = trainer is not None and trainer.dataset.n_features == 1
    return (PICTURE[0], 1) if one_d else PICTURE


def neuron_view_reason(snapshot) -> str:
    """Why there is no picture to show, in words; '' while pictures are on their way."""
    if snapshot.title:
        return "neurons: an expression has no neurons (esc: back to the network)"
    if snapshot.n_features not in (1, 2):
        return (
            f"neurons: pictures need 1-D or 2-D inputs; this data has {snapshot.n_features} "
            "(h: back to the loss chart)"
        )
    if snapshot.architecture.count("-") < 2:
        return "neurons: this network has no hidden layer (o: settings, hidden layers)"
    return ""
