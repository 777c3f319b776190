"""Every key of the main screen, declared once: the footer, the help screen and the command
palette all read this list.

Footer names are short (80 columns hold the shown ones: 75 characters); the help screen (?)
shows every key of a binding (`+, = or ]`) beside its tooltip, which therefore does not
repeat them, and the palette writes the key beside its command (`key_of`).
The stepper's keys stay out of the footer: the tree's bottom border says ". node by node"
whenever a walk can start.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

MAIN_KEYS: list[Binding] = [
    # First, so the footer shows them first whenever they apply (check_action).
    Binding(
        "escape",
        "leave_mode",
        "Back",
        key_display="esc",
        tooltip="Leave the expression or the lesson: back to the network as you left it",
    ),
    Binding("p", "next_pane", "Pane", tooltip="Small terminal: show the next pane"),
    Binding("s", "step", "Step", tooltip="One training step: forward, backward, update"),
    Binding("space", "toggle_play", "Play", tooltip="Play or pause continuous training"),
    Binding("f", "forward", "Fwd", tooltip="Forward pass only: the graph, every grad 0"),
    Binding("b", "backward", "Bwd", tooltip="Backward pass, all nodes at once"),
    Binding("u", "update", "Upd", tooltip="Update: the optimizer moves every parameter"),
    Binding("r", "reset", "Reset", tooltip="Reset the model to its seeded weights"),
    Binding(
        "plus,equals_sign,right_square_bracket",
        "lr_up",
        "lr+",
        key_display="+",
        tooltip="Raise the learning rate",
    ),
    Binding(
        "minus,left_square_bracket",
        "lr_down",
        "lr-",
        key_display="-",
        tooltip="Lower the learning rate",
    ),
    Binding("o", "settings", "Set", tooltip="Settings: data set, layers, activation, lr…"),
    Binding(
        "question_mark,f1",
        "help",
        "Help",
        key_display="?",
        tooltip="This help: the keys and what the signs mean",
    ),
    Binding("q", "quit", "Quit", tooltip="Quit"),
    # The stepper, the gradient check, expressions and the tour (tui/controllers/).
    Binding(
        "full_stop",
        "node_step",
        "Node",
        key_display=".",
        show=False,
        tooltip=(
            "Backprop one node (the next computed node in reverse topological order; "
            "leaves have no operands and are passed over)"
        ),
    ),
    Binding(
        "comma,backspace",
        "node_back",
        "Back",
        key_display=",",
        show=False,
        tooltip="Step backprop back: undo the last node's contributions exactly",
    ),
    Binding(
        "F",
        "until_final",
        "Until final",
        show=False,
        tooltip=("Backprop until the selected node's grad is final (all its consumers done)"),
    ),
    Binding(
        "w", "autoplay", "Auto", show=False, tooltip="Autoplay the backprop walk: start or stop"
    ),
    Binding(
        "asterisk", "pace(1)", "Faster", key_display="*", show=False, tooltip="Autoplay faster"
    ),
    Binding("slash", "pace(-1)", "Slower", key_display="/", show=False, tooltip="Autoplay slower"),
    Binding(
        "c",
        "check_node",
        "Check",
        show=False,
        tooltip=(
            "Gradient check of the selected parameter or input: backprop vs central difference"
        ),
    ),
    Binding(
        "C",
        "check_all",
        "Check all",
        show=False,
        tooltip="Gradient check of every parameter (every variable of an expression)",
    ),
    Binding("e", "expression", "Expr", show=False, tooltip="Explore an expression: tanh(a*b + c)…"),
    Binding(
        "t", "tour", "Tour", show=False, tooltip="The guided tour of the lessons; t again leaves it"
    ),
    Binding(
        "greater_than_sign",
        "next_lesson",
        "Next",
        key_display=">",
        show=False,
        tooltip="Tour: next lesson",
    ),
    Binding(
        "less_than_sign",
        "previous_lesson",
        "Prev",
        key_display="<",
        show=False,
        tooltip="Tour: previous lesson",
    ),
    Binding("d", "settings('dataset')", "Data set", show=False),
    Binding("a", "settings('arch')", "Architecture (hidden layers)", show=False),
    Binding("n", "settings('activation')", "Activation (nonlinearity)", show=False),
    Binding("v", "switch_view", "Loss chart or decision boundary", show=False),
    Binding(
        "i",
        "edit_data",
        "Edit the data",
        show=False,
        tooltip="Edit the training set on the boundary: arrows move a cursor, enter or a digit "
        "adds a point, delete removes the nearest, esc ends (mouse: click, shift-click, "
        "right-click)",
    ),
    Binding(
        "D",
        "toggle_drawing",
        "Drawing",
        show=False,
        tooltip="The graph drawn: a box per value (label, data, grad), an op node per op, "
        "each shared value once with all its edges (D again: the tree)",
    ),
    Binding(
        "M",
        "confusion",
        "Confusion matrix",
        show=False,
        tooltip="Loss chart or confusion matrix: each true class against the predicted one",
    ),
    Binding(
        "x",
        "nudge",
        "Nudge",
        show=False,
        tooltip="Nudge the selected leaf by h: the output before and after, beside grad × h "
        "(x again or esc: undo)",
    ),
    Binding("X", "nudge_step", "Nudge step", show=False, tooltip="The nudge's h: 0.1 … 0.0001"),
    Binding(
        "Q",
        "quiz",
        "Quiz",
        show=False,
        tooltip="Quiz mode: each . first asks what grad an operand will get, then shows it",
    ),
    Binding("h", "neurons", "Every hidden neuron's picture (h again: the loss chart)", show=False),
    Binding("m", "network", "The network drawn, every weight an edge (m again: back)", show=False),
    Binding("l", "toggle_log_scale", "Loss chart: log or linear axis", show=False),
    Binding("ctrl+p,g", "command_palette", "Commands; go to a node by name", show=False),
    Binding("ctrl+s", "save", "Save the model (JSON)", show=False),
    Binding("ctrl+o", "load", "Load a model (JSON)", show=False),
    Binding("f2", "export_svg", "Save a picture of the screen (SVG)", show=False),
    Binding("f3", "export_dot", "Export the graph as Graphviz DOT", show=False),
]


_KEY_WORDS = {"escape": "esc", "f1": "F1", "f2": "F2", "f3": "F3"}


def keys_text(binding: Binding, display: Callable[[Binding], str]) -> str:
    """Every key of `binding` as the help screen lists them: `+, = or ]`, `? or F1`.

    `display` is the app's `get_key_display`; a key it draws as a glyph (⌫, ⏎) or an
    abbreviation (^s) is written as a word instead: `backspace`, `ctrl+s`.
    """
    names = []
    for key in binding.key.split(","):
        shown = display(Binding(key, ""))
        if not (len(shown) == 1 and shown.isascii() and shown.isprintable()):
            shown = _KEY_WORDS.get(key, key)
        names.append(shown)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def key_of(action: str) -> str:
    """The key a user presses for `action`, as the palette writes it: `s`, `ctrl+s`."""
    for binding in MAIN_KEYS:
        if binding.action == action:
            return binding.key_display or binding.key.split(",")[0]
    raise KeyError(f"no key for {action!r}")
