"""The network drawn (m): columns of neurons, every weight an edge coloured by its value.

Orange edges are negative weights, blue positive, brighter for larger (the ramp of
tui/components/ramp.py, scaled by the largest weight). Arrow keys pick a neuron, `[` and
`]` one of its weights or its bias: its value and grad are written above the drawing,
its edge drawn bright, and enter shows that parameter in the graph tree.
"""

from __future__ import annotations

from mg_tui.tui.colours import styled
from mg_tui.tui.components import ramp
from mg_tui.tui.components.key_hints import with_hints
from mg_tui.tui.core.model_state import ModelState
from mg_tui.tui.core.network_drawing import column_sizes, draw, fits
from mg_tui.tui.core.numbers import grad_string, num
from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static


class NetworkView(Vertical):
    """The latest ModelState drawn; a selected neuron and one of its parameters."""

    can_focus = True
    BINDINGS = [  # noqa: RUF012
        Binding("left", "move(-1, 0)", show=False),
        Binding("right", "move(1, 0)", show=False),
        Binding("up", "move(0, -1)", show=False),
        Binding("down", "move(0, 1)", show=False),
        Binding("left_square_bracket", "parameter(-1)", show=False),
        Binding("right_square_bracket", "parameter(1)", show=False),
        Binding("enter", "open", show=False),
    ]

    class Open(Message):
        """Show parameter `label` in the graph tree."""

        def __init__(self, label: str) -> None:
            super().__init__()
            self.label = label

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.caption = Static(styled("network: computing…", "muted"), id="network-caption")
        self.canvas = Static("", id="network-canvas")
        self.model: ModelState | None = None
        self.column, self.neuron, self.parameter = 1, 0, 0  # column 0 is the inputs

    def compose(self):
        yield self.caption
        yield self.canvas

    def show(self, model: ModelState | None) -> None:
        self.model = model
        if model is not None:
            self._clamp()
        self._draw()

    @property
    def selected(self) -> tuple[str, float, float] | None:
        """(label, data, grad) of the selected parameter."""
        if self.model is None:
            return None
        neuron = self.model.layers[self.column - 1][self.neuron]
        return neuron.parameter(self.parameter)

    def action_move(self, dx: int, dy: int) -> None:
        if self.model is None:
            return
        self.column += dx
        self.neuron += dy
        if dx:
            self.parameter = 0
        self._clamp()
        self._draw()

    def action_parameter(self, step: int) -> None:
        if self.model is None:
            return
        count = len(self.model.layers[self.column - 1][self.neuron].weights) + 1  # + bias
        self.parameter = (self.parameter + step) % count
        self._draw()

    def action_open(self) -> None:
        if self.selected is not None:
            self.post_message(self.Open(self.selected[0]))

    def on_resize(self) -> None:
        self._draw()

    def _clamp(self) -> None:
        layers = self.model.layers
        self.column = max(1, min(len(layers), self.column))
        self.neuron = max(0, min(len(layers[self.column - 1]) - 1, self.neuron))
        count = len(layers[self.column - 1][self.neuron].weights) + 1
        self.parameter = max(0, min(count - 1, self.parameter))

    def _draw(self) -> None:
        model = self.model
        if model is None:
            self.caption.update(styled("network: computing…", "muted"))
            self.canvas.update("")
            return
        width, height = self.canvas.size.width, self.canvas.size.height
        label, data, grad = self.selected
        caption = Text.assemble(
            (label, "reverse bold"), f" = {num(data)}  grad {grad_string(grad)}"
        )
        hints = ("arrows: neuron", "[ ]: weight", "enter: in graph", "m: back")
        caption = with_hints(caption, hints, max(self.size.width, 1), way_out="m: back")
        self.caption.update(caption)
        if width <= 0 or height <= 0:
            return
        if not fits(model, width, height):
            columns = column_sizes(model)
            sizes = "-".join(str(n) for n in columns)
            needs = f"{max(columns)} rows and {6 * len(columns)} columns"
            message = f"{sizes} needs {needs}; this view has {height} x {width}: enlarge it"
            self.canvas.update(styled(message, "muted"))
            return
        self.canvas.update(self._picture(model, width, height, label))

    def _picture(self, model: ModelState, width: int, height: int, label: str) -> Text:
        drawing = draw(model, width, height, highlight=label)
        _label_columns(drawing, len(model.layers))
        largest = max((abs(e.weight) for e in drawing.edges), default=0.0) or 1.0
        dark = self.app.current_theme.dark if self.app.current_theme else True
        mono = self.app.no_color
        selected_cell = drawing.nodes[(self.column, self.neuron)]
        text = Text()
        for r in range(height):
            for c in range(width):
                char, weight = drawing.chars[r][c], drawing.weights[r][c]
                if (r, c) == selected_cell:
                    style = "reverse bold"
                elif (r, c) in drawing.highlighted:
                    style = "bold" if mono else "bold #ffffff" if dark else "bold #000000"
                elif weight is None or mono:
                    style = ""
                else:
                    style = ramp.hex_colour(weight / largest, dark)
                text.append(char, style=style)
            if r < height - 1:
                text.append("\n")
        return text


def _label_columns(drawing, layers: int) -> None:
    """`x`, `L1`, `L2`… over each column, on the top row where no neuron is."""
    if any(r == 0 for r, _ in drawing.nodes.values()):
        return
    for k in range(layers + 1):
        _, col = drawing.nodes[(k, 0)]
        name = "x" if k == 0 else f"L{k}"
        start = max(0, min(drawing.width - len(name), col - len(name) // 2))
        for i, ch in enumerate(name):
            drawing.chars[0][start + i] = ch
            drawing.weights[0][start + i] = None
