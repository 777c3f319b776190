"""Named statements, as the lecture writes them: `e = a*b; d = e + c; f = -2.0; L = d*f`.

    >>> from mg_tui.engine.program import parse_program
    >>> L = parse_program("e = a*b; d = e + c; f = -2.0; L = d*f").build({"a": 2, "b": -3, "c": 10})
    >>> L.label, L.data
    ('L', -8.0)

Statements are separated by `;` or newlines. Each is `name = expression`, checked by
engine.expression (never `eval`); the last one is the root. A name assigned a number
(`f = -2.0`, or anything without variables) is a leaf with that value; any other
statement labels the node it computes, so the tree and the panel say `e`, `d`, `L`.
Names not assigned anywhere are the program's variables, given as `a=2` arguments.
A single expression without `=` is a program of one statement, as before.

Errors are `ExpressionError`s with one line naming the statement (`statement 2`) and a
column inside it: a name used before its statement, a name assigned twice, a statement
that is not an assignment, an empty program.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from mg_tui.engine.expression import (
    MAX_LENGTH,
    Expression,
    ExpressionError,
    _check_name,
    parse_expression,
)
from mg_tui.engine.value import Value

# `name = ...` where = is not part of ==, <=, >= or !=.
_ASSIGNMENT = re.compile(r"\s*([^=<>!]*?)\s*=(?!=)")


@dataclass(frozen=True)
class Statement:
    """One `name = expression` (name None for a lone expression), where it starts."""

    name: str | None
    expression: Expression
    number: int  # 1-based, as the error messages count
    text: str


@dataclass(frozen=True)
class Program:
    """Checked statements; `build` makes the graph of the last one.

    `variables` are the names a caller must give values for, in order of first use;
    `names` are the names the statements assign, in order.
    """

    text: str
    statements: tuple[Statement, ...]
    variables: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.statements if s.name is not None)

    @property
    def constants(self) -> tuple[tuple[str, float], ...]:
        """The leaves the program gives numbers to (`f = -2.0`), with their numbers."""
        return tuple(
            (s.name, s.expression.evaluate({}))
            for s in self.statements
            if s.name is not None and not s.expression.variables
        )

    def build(self, values: Mapping[str, float | Value]) -> Value:
        """Build every statement in order (each sees the earlier ones) and return the root.

        A value given for a constant's name (`f` of `f = -2.0`) replaces its number: a
        gradient check nudges it so. Any other assigned name may not be given.
        """
        constants = dict(self.constants)
        for name in self.names:
            if name in values and name not in constants:
                raise ExpressionError(
                    f"{name} is computed by the program, so it cannot be given a value"
                )
        known: dict[str, float | Value] = {k: v for k, v in values.items() if k not in constants}
        out: Value | None = None
        for statement in self.statements:
            if statement.name in constants and statement.name in values:
                given = values[statement.name]
                out = given if isinstance(given, Value) else Value(float(given), statement.name)
            else:
                out = self._build(statement, known)
            if statement.name is not None:
                known[statement.name] = out
        assert out is not None  # parse_program refuses an empty program
        return out

    def evaluate(self, values: Mapping[str, float | Value]) -> float:
        return self.build(values).data

    def _build(self, statement: Statement, known: dict[str, float | Value]) -> Value:
        expression = statement.expression
        try:
            if statement.name is not None and not expression.variables:
                # `f = -2.0`: a leaf, as the lecture's f is
                return Value(expression.evaluate({}), statement.name)
            given = {v: known[v] for v in expression.variables if v in known}
            for v, value in given.items():  # one leaf per variable, shared by every statement
                if not isinstance(value, Value):
                    given[v] = known[v] = expression._leaf(v, given)
            out = expression.build(given)
        except ExpressionError as error:
            raise self._located(statement, error) from None
        if statement.name is not None and out.op and not any(out is v for v in given.values()):
            out.label = statement.name  # `e = a*b` names the * node; `e = a` adds no node
        return out

    def _located(self, statement: Statement, error: ExpressionError) -> ExpressionError:
        if len(self.statements) == 1:
            return error
        return ExpressionError(
            f"statement {statement.number} ({statement.text.strip()}): {error.message}",
            error.column,
            error.text,
        )


def parse_program(text: str, variables: tuple[str, ...] | None = None) -> Program:
    """Check `text` (statements or one expression) and return a `Program`."""
    if not isinstance(text, str):
        raise ExpressionError(f"a program must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the program is too long: {len(text)} characters, at most {MAX_LENGTH}"
        )
    pieces = [p for p in re.split(r"[;\n\r]", text) if p.strip()]
    if not pieces:
        raise ExpressionError("the program is empty: write an expression, or name = expression")
    many = len(pieces) > 1
    statements: list[Statement] = []
    assigned: dict[str, int] = {}
    free: dict[str, None] = {}
    for number, piece in enumerate(pieces, start=1):
        where = f"statement {number} ({piece.strip()}): " if many else ""
        match = _ASSIGNMENT.match(piece)
        if match is None:
            if many:
                raise ExpressionError(
                    f"{where}not an assignment: write name = expression", None, piece
                )
            name, body, offset = None, piece, 0
        else:
            name, body, offset = match.group(1), piece[match.end() :], match.end()
            _check_name(name, piece.find(name), piece, context=where)
            if name in assigned:
                raise ExpressionError(
                    f"{where}{name} is already assigned in statement {assigned[name]}: "
                    "give each value its own name",
                    piece.find(name),
                    piece,
                )
        try:
            expression = parse_expression(" " * offset + body)
        except ExpressionError as error:
            raise ExpressionError(where + error.message, error.column, piece) from None
        for used in expression.variables:
            if used == name:
                raise ExpressionError(
                    f"{where}{name} is used in its own definition", piece.find(name), piece
                )
            if used in assigned:
                continue
            if used in (n for n in _later_names(pieces, number)):
                raise ExpressionError(
                    f"{where}{used} is used before the statement that assigns it",
                    piece.find(used, offset),
                    piece,
                )
            if variables is not None and used not in variables:
                known = ", ".join(variables) or "none"
                raise ExpressionError(
                    f"{where}unknown variable {used!r}; known variables: {known}",
                    piece.find(used, offset),
                    piece,
                )
            free.setdefault(used)
        if name is not None:
            assigned[name] = number
        statements.append(Statement(name, expression, number, piece))
    return Program(text, tuple(statements), tuple(free))


def _later_names(pieces: list[str], number: int) -> list[str]:
    """The names assigned by the statements after statement `number` (1-based)."""
    names = []
    for piece in pieces[number:]:
        match = _ASSIGNMENT.match(piece)
        if match is not None:
            names.append(match.group(1))
    return names
