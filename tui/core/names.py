"""Names a person can read for the nodes of a graph: the tree's lines, the panel, the stepper.

A node with a label is named by it (`L1.N2.w0`, `pred[3]`, `loss`); a node without one is
written as the expression it computes, its operands named the same way and shortened to
`…` past a width: `(pred[3] - y[3])**2`, `tanh(a*b + c)`, `L1.N1.b + …`.

Each sample of a batch builds its own copy of the network, so a neuron's label is on one
node per sample: such a node says its sample, `L1.N3[3]`, the way the Trainer's own labels
do (`pred[3]`, `y[3]`, `x[3][0]`). An expression says it only if none of its operands'
names does: `tanh(…) @3`. The sample is data, from the graph index (the Trainer's roles),
never read back from a label. Parameters are shared by every sample: they have no mark.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from mg_tui.engine import Value
from mg_tui.tui.core.graph_index import GraphIndex
from mg_tui.tui.core.numbers import num

ELLIPSIS = "…"
WIDTH = 30  # characters a name may take when the caller gives no width

# Operator precedence, Python's: an operand is parenthesized when it binds less tightly.
_ADD, _MUL, _NEG, _POW, _ATOM = 1, 2, 3, 4, 5
_INFIX = {"+": (_ADD, " + "), "-": (_ADD, " - "), "*": (_MUL, "*"), "/": (_MUL, "/")}
_TRIES = ((4, 3), (3, 3), (3, 2), (2, 2), (2, 1), (1, 1))  # (depth, sum terms), fullest first


@dataclass(frozen=True)
class Name:
    """A node's name: one word (`L1.N3[3]`) or an expression, and the ` @3` that says the
    sample of an expression none of whose operands does."""

    expression: str
    atomic: bool = True
    sample: str = ""

    @property
    def text(self) -> str:
        return self.expression + self.sample

    def __str__(self) -> str:
        return self.text

    def grad(self) -> str:
        """`L1.N3[3].grad`, `tanh(a*b + c).grad`, `(L1.N1.b + …).grad @3`."""
        word = self.expression if self.atomic else f"({self.expression})"
        return f"{word}.grad{self.sample}"


def sample_mark(value: Value, index: GraphIndex | None) -> str:
    """`[3]` for a labelled node that belongs to sample 3 and whose label cannot say so
    (a neuron's output); empty for parameters, for the Trainer's inputs, targets and
    predictions (their labels carry their row) and outside a network."""
    if index is None or value.label == "" or value in index.roles:
        return ""
    sample = index.sample_of(value)
    return "" if sample is None else f"[{sample}]"


def node_name(value: Value, index: GraphIndex | None, width: int = WIDTH) -> Name:
    """The name of `value`, an expression shortened to at most `width` characters."""
    if value.label or not value.inputs:
        return Name(_word(value, index)[0])
    return _fit(lambda depth, terms: _render(value, index, depth, terms), value, index, width)


def consumer_name(
    consumer: Value, operand: Value, index: GraphIndex | None, width: int = WIDTH
) -> Name:
    """A consumer, as the operation it computes on `operand`: `(pred[3] - y[3])**2`,
    `tanh(a*b + c)`, `… + L1.N1.w1*x[0][1] + …`; a labelled consumer by its name."""
    if consumer.label:
        return Name(_word(consumer, index)[0])

    def render(depth: int, terms: int) -> _Text:
        return _render(consumer, index, depth, terms, focus=operand)

    return _fit(render, consumer, index, width)


def short_name(value: Value, index: GraphIndex | None) -> tuple[str, str]:
    """The tree's name and sample mark: `("L1.N3", "[3]")`, `("**2", " @3")`, `("loss", "")`.

    The tree shows an unlabelled node by its op: its operands are the lines below it.
    """
    if value.label or not value.inputs:
        return value.label or "const", sample_mark(value, index)
    sample = index.sample_of(value) if index is not None else None
    return value.op, "" if sample is None else f" @{sample}"


# -- rendering ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Text:
    text: str
    precedence: int
    says_sample: bool  # an operand's name says which sample this is


_HIDDEN = _Text(ELLIPSIS, _ATOM, False)


def _word(value: Value, index: GraphIndex | None) -> tuple[str, bool]:
    """A label (with its sample mark) or a constant's number; whether it names a sample."""
    if value.label:
        mark = sample_mark(value, index)
        role = index.roles.get(value) if index is not None else None
        return value.label + mark, bool(mark) or (role is not None and role.sample is not None)
    return num(value.data), False


def _fit(render, value: Value, index: GraphIndex | None, width: int) -> Name:
    """The fullest rendering within `width` (else the shortest), with ` @3` when nothing
    in it names the sample."""
    sample = index.sample_of(value) if index is not None else None
    for depth, terms in _TRIES:
        rendered = render(depth, terms)
        name = Name(rendered.text, rendered.precedence == _ATOM)
        if sample is not None and not rendered.says_sample:
            name = Name(rendered.text, name.atomic, f" @{sample}")
        if len(name.text) <= width:
            break
    return name


def _render(
    value: Value,
    index: GraphIndex | None,
    depth: int,
    terms: int,
    focus: Value | None = None,
) -> _Text:
    """`value` as an expression, `depth` operators deep and `terms` terms of a sum; past
    that an operand is `…` (a labelled one keeps its name). `focus`, an operand, is always
    shown, by its own name."""
    if value.label or not value.inputs:
        text, says = _word(value, index)
        negative = not value.label and value.data < 0
        return _Text(text, _NEG if negative else _ATOM, says)
    if depth <= 0:
        return _HIDDEN

    def operand(x: Value) -> _Text:
        if x is focus:  # never `…`: at least its op
            return _render(x, index, max(depth - 1, 1), terms)
        return _render(x, index, depth - 1, terms)

    op, inputs = value.op, value.inputs
    if op in _INFIX and len(inputs) == 2:
        precedence, sign = _INFIX[op]
        left, right = operand(inputs[0]), operand(inputs[1])
        text = _wrap(left, left.precedence < precedence) + sign
        text += _wrap(right, right.precedence <= precedence)
        return _Text(text, precedence, left.says_sample or right.says_sample)
    if op == "sum":
        shown = [_HIDDEN if x is None else operand(x) for x in _sum_terms(inputs, terms, focus)]
        text = " + ".join(_wrap(t, t.precedence <= _ADD) for t in shown)
        return _Text(text, _ADD, any(t.says_sample for t in shown))
    if op == "neg" and len(inputs) == 1:
        x = operand(inputs[0])
        return _Text("-" + _wrap(x, x.precedence <= _MUL), _NEG, x.says_sample)
    if op.startswith("**") and len(inputs) == 1:
        x = operand(inputs[0])
        return _Text(_wrap(x, x.precedence <= _POW) + op, _POW, x.says_sample)
    if op == "**" and len(inputs) == 2:
        base, exponent = operand(inputs[0]), operand(inputs[1])
        text = _wrap(base, base.precedence <= _POW) + "**"
        text += _wrap(exponent, exponent.precedence < _ATOM)
        return _Text(text, _POW, base.says_sample or exponent.says_sample)
    args = [operand(x) for x in inputs]  # tanh(x), exp(x)…: a function of its operands
    text = f"{op}({', '.join(a.text for a in args)})"
    return _Text(text, _ATOM, any(a.says_sample for a in args))


def _sum_terms(inputs: tuple[Value, ...], terms: int, focus: Value | None) -> Iterator:
    """The terms of a sum to write out, None for `…`: the first `terms`, or the focus
    operand between `…`s."""
    at = next((i for i, x in enumerate(inputs) if x is focus), None)
    if at is not None:
        if at > 0:
            yield None
        yield focus
        if at < len(inputs) - 1:
            yield None
        return
    yield from inputs[:terms]
    if len(inputs) > terms:
        yield None


def _wrap(part: _Text, needed: bool) -> str:
    return f"({part.text})" if needed else part.text
