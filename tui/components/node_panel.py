"""The selected node, explained: its numbers, its operands, its consumers, its chain rule.

Everything is read from the Value's stored `inputs` / `local_grads` and from the
graph index's consumers, so the panel prints the same arithmetic backprop does:
grad = sum over consumers of (local derivative x consumer grad).
"""

from __future__ import annotations

from mg_tui.engine import Value
from mg_tui.tui.colours import styled
from mg_tui.tui.core.graph_index import kind
from mg_tui.tui.core.names import consumer_name, node_name
from mg_tui.tui.core.snapshot import Snapshot
from mg_tui.tui.core.update_working import shown_update
from mg_tui.tui.core.why_small import why_small
from mg_tui.tui.format import grad_text, num, signed
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

MAX_ROWS = 6  # operands or consumers listed before "… n more"
MAX_TERMS = 4  # terms of the chain-rule sum written out before "+ …"
WIDTH = 36  # the panel's text width at 80x24, until it has been laid out
# Where the local derivatives are not the usual ones, what they are.
LOCAL_GRADS = {"logsumexp": " = softmax: exp(operand - data), summing to 1"}

_KIND_NAME = {
    "param": "parameter",
    "input": "input",
    "target": "target",
    "const": "constant",
    "op": "",
}


class NodePanel(VerticalScroll):
    """Shows one node of the current graph; `show()` is called on selection and each step."""

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.value: Value | None = None
        self._height = -1
        self.body = Static(styled("Loading the model…", "muted"), id="node-body")

    def compose(self):
        yield self.body

    def show(self, value: Value | None, snapshot: Snapshot | None) -> None:
        self.value = value
        if value is None or snapshot is None:
            self._update(styled("Select a node in the graph.", "muted"))
            return
        width = self.body.content_region.width
        self._update(describe(value, snapshot, width if width > 0 else WIDTH))

    def _update(self, text: Text) -> None:
        """Re-layout only when the wrapped height changes: a layout costs ~25 ms at 120x40."""
        width = max(self.body.content_region.width, 1)
        height = len(text.wrap(self.app.console, width))
        self.body.update(text, layout=height != self._height)
        self._height = height

    @property
    def text(self) -> str:
        """The panel's content as plain text (for tests and the stepper)."""
        content = self.body.content
        return content.plain if isinstance(content, Text) else str(content)


def describe(value: Value, snapshot: Snapshot, width: int = WIDTH) -> Text:
    """The panel's text for `value` in `snapshot`'s graph, in rows of `width` cells: the
    chain-rule sum comes first."""
    out = Text()
    index = snapshot.index
    k = kind(value, index.roles if index is not None else None)
    out.append(node_name(value, index, width).text, style="bold")
    detail = (value.op if value.label else "") if value.op else _KIND_NAME[k]
    if k == "param" and snapshot.title:  # an expression or a lesson: its leaves are variables
        detail = "variable"
    if detail:
        out.append(f"  {detail}", style="italic")
    sample = index.sample_of(value) if index is not None else None
    if sample is not None:
        out.append(f"  sample {sample}", style="italic")
    uses = index.use_count(value) if index is not None else 0
    if uses > 1:
        out.append(f"  used ×{uses}", style="reused")
    out.append("\ndata ")
    out.append(num(value.data), style="bold")
    out.append("   grad ")
    out.append_text(grad_text(value.grad))
    out.append("\n")

    users = index.consumers(value) if index is not None else []
    terms = [(c.local_grads[i], c.grad) for c, i in users]
    walk = snapshot.walk
    if walk is not None:
        out.append_text(walk_section(value, snapshot, width))
    if value is snapshot.root:
        root = f"d {value.label} / d {value.label}" if value.label else "d root / d root"
        if snapshot.phase == "forward" and walk is None:
            out.append(f"the root: backward starts here with {root} = 1.0\n")
        else:
            out.append(f"grad = 1.0: {root}, where backward starts\n")
    elif users:
        out.append_text(chain_rule(terms, value.grad))
        out.append("\n")
    if snapshot.phase == "forward" and walk is None and value is not snapshot.root:
        out.append("backward has not run yet: grads are 0 (press b)\n", "muted")

    small = None
    if index is not None and not (snapshot.phase == "forward" and walk is None):
        small = why_small(value, index, walk)
    if small:
        out.append("why so small: ", "muted")
        out.append("\n".join(small) + "\n")

    before = snapshot.before_update.get(value)
    if k == "param" and before is not None and snapshot.last_lr is not None:
        out.append("last update ", "muted")
        change = signed(value.data - before)
        out.append(f"{num(before)} → {num(value.data)}  ({change}, lr {num(snapshot.last_lr)})\n")
        update = shown_update(snapshot, value)
        if update is not None:
            out.append(update.title + "\n", "muted")
            out.append("\n".join(update.lines) + "\n")

    if users:
        out.append("used by · d × grad = contribution\n", "muted")
        for row, (c, _) in enumerate(users):
            if row == MAX_ROWS:
                out.append(f"  … {len(users) - MAX_ROWS} more\n", "muted")
                break
            d, g = terms[row]
            who = consumer_name(c, value, index, width - 3).text
            out.append(_row(f"{who}:", f"{num(d)} × {num(g)} = {num(d * g)}", width))

    if value.inputs:
        out.append(f"operands · local derivative{LOCAL_GRADS.get(value.op, '')}\n", "muted")
        for i, (x, d) in enumerate(zip(value.inputs, value.local_grads)):
            if i == MAX_ROWS:
                out.append(f"  … {len(value.inputs) - MAX_ROWS} more\n", "muted")
                break
            if x.label or x.inputs:
                data = f" = {num(x.data)}:"
                what = f"{node_name(x, index, width - 2 - len(data)).text}{data}"
            else:
                what = f"constant {num(x.data)}:"
            out.append(_row(what, f"d = {num(d)}", width))
    out.rstrip()
    return out


def _row(head: str, numbers: str, width: int) -> str:
    """`  head numbers` on one line if it fits in `width`, else the numbers indented below:
    a wrapped line would start at the panel's edge, away from what it belongs to."""
    line = f"  {head} {numbers}"
    return f"{line}\n" if len(line) <= width else f"  {head}\n    {numbers}\n"


def walk_section(value: Value, snapshot: Snapshot, width: int = WIDTH) -> Text:
    """During a backward walk: is this grad final, and what did this node just pass on."""
    walk = snapshot.walk
    out = Text()
    expected = walk.expected(value)
    received = walk.received.get(value, 0)
    if value is snapshot.root:
        out.append("✓ final: backward starts here\n", "bold")
    elif walk.is_final(value):
        out.append(f"✓ final · {received} of {expected} contributions\n", "bold")
    else:
        out.append(f"◐ {received} of {expected} contributions received\n")
    step = walk.last_interior
    if step is not None and step.node is value:
        out.append("processed: passed its grad on\n", "muted")
        for row, c in enumerate(step.contributions):
            if row == MAX_ROWS:
                out.append(f"  … {len(step.contributions) - MAX_ROWS} more\n", "muted")
                break
            target = node_name(c.input, snapshot.index, width - 9).grad()
            out.append(_row(target, f"+= {num(c.local_grad)} × {num(step.grad)}", width))
            out.append("    = ")
            out.append(num(c.amount), "bold")
            out.append(f"  ({num(c.grad_before)} → {num(c.grad_after)})\n", "muted")
    elif value.inputs and value not in walk.done:
        if walk.is_final(value):
            out.append("not processed yet: its grad goes to its operands next\n", "muted")
        else:
            out.append("not processed yet: it passes its grad on once final\n", "muted")
    return out


def chain_rule(terms: list[tuple[float, float]], grad: float) -> Text:
    """`grad = 0.5 × 1.0 + 0.25 × -2.0 = ▲+0.0`, with at most MAX_TERMS terms written out."""
    shown = " + ".join(f"{num(d)} × {num(g)}" for d, g in terms[:MAX_TERMS])
    if len(terms) > MAX_TERMS:
        rest = sum(d * g for d, g in terms[MAX_TERMS:])
        shown += f" + … ({len(terms) - MAX_TERMS} more: {num(rest)})"
    text = Text("grad = ", style="bold")
    text.append(f"{shown} = ")
    text.append_text(grad_text(grad))
    return text
