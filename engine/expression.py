"""Expressions over named variables, parsed safely and built into engine graphs.

    >>> from engine.expression import build_expression
    >>> out = build_expression("tanh(a*b + c)", a=2, b=-3, c=10)
    >>> round(out.data, 6)
    0.999329

Why not `eval`: the text comes from a command line or a text box, possibly typed by
someone else over SSH, so it must never run. It is parsed with `ast.parse(mode="eval")`
and every node is checked against a short whitelist (numbers, variable names,
+ - * / **, unary minus and plus, and one-argument calls of exp, log, tanh, relu and
sigmoid); nothing is compiled or evaluated by Python. The graph is then built from the
checked tree with the engine's own ops, so it explores like a network's graph.

Everything that can go wrong (syntax, a forbidden construct, an unknown name, a value
that is not a number, a domain error such as log(0) or 1/0, a float overflow) raises
`ExpressionError`, a `ValueError` with a one-line message and the column of the problem.

Standard library only, like the rest of the engine; every walk is iterative.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mg_tui.engine.functions import UNARY
from mg_tui.engine.value import Value

MAX_LENGTH = 2000
"""Longest accepted expression, in characters: a bound on parse time and graph size."""

MAX_NESTING = 100
"""Deepest accepted nesting of parentheses. CPython's parser gives up near 200."""

FUNCTIONS = tuple(UNARY)
"""The functions an expression may call, each with exactly one argument: every function
of one variable the engine has (engine.functions), by its Value method's name."""

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_OTHER_BINARY = {
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
}

# Constructs that are refused, each with the words of its error message.
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access (.name) is not allowed",
    ast.Subscript: "subscripts ([...]) are not allowed",
    ast.Lambda: "lambdas are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "and/or are not allowed",
    ast.IfExp: "conditional expressions (if/else) are not allowed",
    ast.NamedExpr: "assignments (:=) are not allowed",
    ast.JoinedStr: "strings (including f-strings) are not allowed",
    ast.FormattedValue: "strings (including f-strings) are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed (one expression only)",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Starred: "starred expressions (*x) are not allowed",
    ast.Await: "await is not allowed",
    ast.Yield: "yield is not allowed",
    ast.YieldFrom: "yield is not allowed",
    ast.Slice: "slices are not allowed",
}


class ExpressionError(ValueError):
    """A one-line explanation of why an expression cannot be parsed or built.

    `message` is the explanation; `column` is the 0-based index in `text` of the
    character at fault (None when no single place is at fault), so that a UI can put
    a caret under it. `str(error)` is the message and, when known, "at column N"
    (1-based, as editors count).
    """

    def __init__(self, message: str, column: int | None = None, text: str | None = None) -> None:
        self.message = " ".join(message.split())  # always one line
        self.column = column
        self.text = text
        where = f" (at column {column + 1})" if column is not None else ""
        super().__init__(self.message + where)

    def caret(self) -> str:
        """The expression and, under it, a caret at the column: two lines, or ''."""
        if self.text is None or self.column is None:
            return ""
        return f"{self.text}\n{' ' * self.column}^"


@dataclass(frozen=True)
class Expression:
    """A checked expression: build its graph as many times as needed.

    `variables` are the names it uses, in order of first appearance; `tree` is the
    checked syntax tree (only whitelisted nodes remain in it).
    """

    text: str
    tree: ast.Expression = field(repr=False, compare=False)
    variables: tuple[str, ...]
    # Where each variable first appears, for errors about its value.
    _first_seen: Mapping[str, int] = field(repr=False, compare=False)
    # Nodes whose subtree uses no variable: a `**` with such an exponent uses the
    # engine's number-exponent op (x ** 2 -> op "**2").
    _constant: frozenset[int] = field(repr=False, compare=False)
    _offset: int = field(repr=False, compare=False, default=0)

    def build(self, values: Mapping[str, float | Value]) -> Value:
        """Build the graph and return its root (the expression's value).

        Each variable becomes one leaf labelled with its name, shared wherever the
        name repeats (fan-out: its grad adds up over every use). A variable given as
        a `Value` is used as that leaf itself, so a caller can nudge `leaf.data` and
        rebuild (a gradient check) without losing the leaf. Intermediate nodes are
        unlabelled, so the tree shows their op. Numbers become unlabelled leaves.
        """
        leaves = {name: self._leaf(name, values) for name in self.variables}
        built: dict[int, Value] = {}
        node: ast.AST = self.tree.body
        try:
            for node in _postorder(self.tree.body):
                out = self._build_node(node, built, leaves)
                if not math.isfinite(out.data):
                    message = (
                        f"the value of {node.id!r} must be a finite number, not {out.data}"
                        if isinstance(node, ast.Name)
                        else f"{_describe(node)} overflows a float (gives {out.data})"
                    )
                    raise ExpressionError(
                        message,
                        self._column(node),
                        self.text,
                    )
                built[id(node)] = out
        except (ZeroDivisionError, OverflowError, ValueError) as error:
            if isinstance(error, ExpressionError):
                raise
            raise ExpressionError(str(error), self._column(node), self.text) from None
        return built[id(self.tree.body)]

    def evaluate(self, values: Mapping[str, float | Value]) -> float:
        """The expression's value for these variables (builds the graph once)."""
        return self.build(values).data

    # -- helpers -----------------------------------------------------------------

    def _leaf(self, name: str, values: Mapping[str, float | Value]) -> Value:
        column = self._first_seen[name]
        if name not in values:
            given = ", ".join(sorted(values)) or "none"
            raise ExpressionError(
                f"variable {name!r} has no value (give it as {name}=NUMBER; given: {given})",
                column,
                self.text,
            )
        value = values[name]
        if isinstance(value, Value):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ExpressionError(
                f"the value of {name!r} must be a number, not {type(value).__name__}",
                column,
                self.text,
            )
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise ExpressionError(
                f"the value of {name!r} must be a finite number, not {value!r}", column, self.text
            )
        return Value(number, name)

    def _build_node(
        self, node: ast.AST, built: dict[int, Value], leaves: dict[str, Value]
    ) -> Value:
        if isinstance(node, ast.Constant):
            return Value(float(node.value))
        if isinstance(node, ast.Name):
            return leaves[node.id]
        if isinstance(node, ast.UnaryOp):
            operand = built[id(node.operand)]
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Call):
            argument = built[id(node.args[0])]
            return getattr(argument, node.func.id)()  # the name is one of FUNCTIONS
        assert isinstance(node, ast.BinOp)
        left, right = built[id(node.left)], built[id(node.right)]
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            return left / right
        if id(node.right) in self._constant:
            return left**right.data  # op "**2": the exponent is a number
        return left**right  # op "**": the exponent is differentiable too

    def _column(self, node: ast.AST) -> int | None:
        return _node_column(self.text, node, self._offset)


def parse_expression(text: str, variables: Iterable[str] | None = None) -> Expression:
    """Check `text` and return it as an `Expression`, or raise `ExpressionError`.

    With `variables`, every name in the expression must be one of them (an unknown
    name is reported with the known ones); without, any name that is a valid
    variable name is accepted, and `Expression.build` asks for its value.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be text, not {type(text).__name__}")
    known = None if variables is None else tuple(variables)
    if known is not None:
        for name in known:
            _check_name(name, None, None)
    body, offset = _precheck(text)
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" must not reach a TUI
            warnings.simplefilter("ignore")
            tree = ast.parse(body, mode="eval")
    except SyntaxError as error:
        column = None if error.offset is None else max(error.offset - 1, 0) + offset
        column = None if column is None else min(column, len(text))
        raise ExpressionError(_syntax_message(body, error), column, text) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("the expression is too complex to parse", None, text) from None
    return _check_tree(text, tree, offset, known)


def build_expression(text: str, /, **values: float | Value) -> Value:
    """Parse `text` with the given variables and build its graph; return the root."""
    return parse_expression(text, values).build(values)


def parse_assignments(arguments: Iterable[str]) -> dict[str, float]:
    """Read `name=number` arguments (the CLI's `a=2 b=-3`) into a dict, in order.

    Raises `ExpressionError` naming the argument: a missing `=`, a bad name, a value
    that is not a finite number, or a name given twice.
    """
    values: dict[str, float] = {}
    for argument in arguments:
        name, sep, raw = argument.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep:
            raise ExpressionError(f"{argument!r} is not an assignment: write NAME=NUMBER, e.g. a=2")
        if not name:
            raise ExpressionError(f"{argument!r} has no variable name before '='")
        _check_name(name, None, None, context=f"in {argument!r}: ")
        if not raw:
            raise ExpressionError(f"{argument!r} gives {name} no value: write {name}=NUMBER")
        try:
            number = float(raw)
        except ValueError:
            raise ExpressionError(
                f"in {argument!r}: {raw!r} is not a number (give a number such as 2, -3.5 or 1e-3)"
            ) from None
        if not math.isfinite(number):
            raise ExpressionError(f"in {argument!r}: the value must be a finite number")
        if name in values:
            raise ExpressionError(f"{name} is given twice ({name}={values[name]:g} and {argument})")
        values[name] = number
    return values


# -- checking ---------------------------------------------------------------------


def _precheck(text: str) -> tuple[str, int]:
    """Checks before parsing, so the parser never sees hostile sizes or characters.

    Returns the text without leading blanks (eval mode would call them an
    indentation) and the number of blanks removed.
    """
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is too long: {len(text)} characters, at most {MAX_LENGTH}",
            MAX_LENGTH,
            text[: MAX_LENGTH + 10],
        )
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
            if depth > MAX_NESTING:
                raise ExpressionError(
                    f"the expression is nested too deeply: more than {MAX_NESTING} open brackets",
                    i,
                    text,
                )
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        elif ch == "#":
            raise ExpressionError("comments (#) are not allowed", i, text)
        elif ch in "\n\r":
            raise ExpressionError("the expression must be on one line", i, text)
        elif not (" " <= ch <= "~" or ch == "\t"):
            raise ExpressionError(
                f"unexpected character {ch!r}: use numbers, names, + - * / ** and ( )", i, text
            )
    body = text.lstrip(" \t")
    if not body.strip():
        raise ExpressionError("the expression is empty", None, text)
    return body, len(text) - len(body)


def _check_name(name: str, column: int | None, text: str | None, context: str = "") -> None:
    if name in FUNCTIONS:
        raise ExpressionError(
            f"{context}{name} is a function, not a variable: call it, as in {name}(x)",
            column,
            text,
        )
    if name.startswith("_"):
        raise ExpressionError(
            f"{context}{name!r} is not allowed: names may not start with '_'", column, text
        )
    if not _NAME.match(name):
        raise ExpressionError(
            f"{context}{name!r} is not a variable name (letters, digits and _, starting with"
            " a letter)",
            column,
            text,
        )


def _check_tree(
    text: str, tree: ast.Expression, offset: int, known: tuple[str, ...] | None
) -> Expression:
    """Walk the tree (iteratively) and refuse anything outside the whitelist."""

    def fail(message: str, node: ast.AST) -> ExpressionError:
        return ExpressionError(message, _node_column(text, node, offset), text)

    first_seen: dict[str, int] = {}
    for node in _preorder(tree.body):
        kind = type(node)
        if kind is ast.Constant:
            _check_number(node, fail)
        elif kind is ast.Name:
            column = node.col_offset + offset
            _check_name(node.id, column, text)
            if known is not None and node.id not in known:
                listed = ", ".join(known) if known else "none"
                raise fail(f"unknown variable {node.id!r}; known variables: {listed}", node)
            first_seen.setdefault(node.id, column)
        elif kind is ast.BinOp:
            op = type(node.op)
            if op not in _BINARY:
                symbol = _OTHER_BINARY.get(op, op.__name__)
                hint = ": write x**2 for a power" if symbol == "^" else ""
                raise fail(f"operator {symbol} is not supported (use + - * / **){hint}", node)
        elif kind is ast.UnaryOp:
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                symbol = "not" if isinstance(node.op, ast.Not) else "~"
                raise fail(f"operator {symbol} is not supported (only unary - and +)", node)
        elif kind is ast.Call:
            _check_call(node, fail)
        elif kind in _REFUSED:
            raise fail(_REFUSED[kind], node)
        else:
            raise fail(f"{kind.__name__} is not allowed in an expression", node)
    return Expression(
        text=text,
        tree=tree,
        variables=tuple(first_seen),
        _first_seen=first_seen,
        _constant=_constant_nodes(tree.body),
        _offset=offset,
    )


def _check_number(node: ast.Constant, fail) -> None:
    value = node.value
    if isinstance(value, (str, bytes)):
        raise fail("strings are not allowed", node)
    if isinstance(value, bool) or value is None or value is Ellipsis:
        raise fail(f"{value!r} is not a number", node)
    if isinstance(value, complex):
        raise fail("complex numbers are not supported", node)
    if not isinstance(value, (int, float)):
        raise fail(f"{type(value).__name__} constants are not allowed", node)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise fail("the number is too large for a float", node)


def _check_call(node: ast.Call, fail) -> None:
    func = node.func
    if isinstance(func, ast.Attribute):
        raise fail(_REFUSED[ast.Attribute], func)
    if not isinstance(func, ast.Name):
        raise fail(f"only {', '.join(FUNCTIONS)} can be called, by name", node)
    if func.id not in FUNCTIONS:
        raise fail(f"only {', '.join(FUNCTIONS)} can be called; {func.id!r} cannot", node)
    if node.keywords:
        raise fail(f"{func.id}() takes no keyword arguments", node)
    if any(isinstance(a, ast.Starred) for a in node.args):
        raise fail(f"{func.id}() takes no starred arguments", node)
    if len(node.args) != 1:
        raise fail(f"{func.id}() takes exactly one argument, got {len(node.args)}", node)


def _children(node: ast.AST) -> list[ast.AST]:
    """The operands of a whitelisted node, in order (the func of a Call is not one)."""
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    return []


def _preorder(root: ast.AST) -> Iterable[ast.AST]:
    """Every node, parents first; children are only followed for whitelisted nodes.

    A refused node is yielded (and refused) before anything inside it is looked at.
    """
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(_children(node)))


def _postorder(root: ast.AST) -> list[ast.AST]:
    """Every node of a checked tree, operands before the node that uses them."""
    order: list[ast.AST] = []
    stack: list[tuple[ast.AST, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(_children(node)))
    return order


def _constant_nodes(root: ast.AST) -> frozenset[int]:
    """The ids of the nodes whose subtree uses no variable."""
    constant: set[int] = set()
    for node in _postorder(root):
        if isinstance(node, ast.Name):
            continue
        if all(id(child) in constant for child in _children(node)):
            constant.add(id(node))
    return frozenset(constant)


def _syntax_message(body: str, error: SyntaxError) -> str:
    """Python's message, or a plainer one where Python's would mislead here."""
    first = body.split(None, 1)[0] if body.split() else ""
    first = re.match(r"[A-Za-z_]*", first).group()
    if keyword.iskeyword(first) and first not in ("lambda", "not", "True", "False", "None"):
        return f"statements ({first} ...) are not allowed: give one expression"
    if "=" in body and "==" not in body:
        return "'=' is not allowed in an expression: give values as separate a=2 arguments"
    return f"syntax error: {error.msg}"


def _node_column(text: str, node: ast.AST, offset: int) -> int | None:
    """The column to point at: a binary op's symbol, an attribute's dot, else the start."""
    col = getattr(node, "col_offset", None)
    if col is None:
        return None
    if isinstance(node, (ast.BinOp, ast.Attribute)):
        inner = node.left if isinstance(node, ast.BinOp) else node.value
        start = inner.end_col_offset + offset
        stop = node.right.col_offset + offset if isinstance(node, ast.BinOp) else len(text)
        for i in range(start, min(stop, len(text))):
            if text[i] not in " \t)":
                return i
    return col + offset


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.BinOp):
        return f"operator {_BINARY[type(node.op)]}"
    if isinstance(node, ast.Call):
        return f"{node.func.id}()"
    if isinstance(node, ast.UnaryOp):
        return "unary -"
    return "the number"
