"""Named statements (the lecture's `e = a*b; d = e + c; f = -2.0; L = d*f`)."""

from __future__ import annotations

import pytest
from mg_tui.engine import Value
from mg_tui.engine.expression import ExpressionError
from mg_tui.engine.gradient_check import numerical_derivative
from mg_tui.engine.program import parse_program

LECTURE = "e = a*b; d = e + c; f = -2.0; L = d*f"


def nodes_by_label(root: Value) -> dict[str, Value]:
    seen, stack, out = set(), [root], {}
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if v.label:
            out[v.label] = v
        stack.extend(v.inputs)
    return out


def test_the_lecture_builds_with_its_names_and_its_grads() -> None:
    program = parse_program(LECTURE)
    assert program.variables == ("a", "b", "c")
    assert program.names == ("e", "d", "f", "L")
    L = program.build({"a": 2.0, "b": -3.0, "c": 10.0})
    L.backward()
    named = nodes_by_label(L)
    assert set(named) == {"a", "b", "c", "e", "d", "f", "L"}
    # by hand: L = (a*b + c) * f = (-6 + 10) * -2
    assert L.data == -8.0
    assert (named["e"].op, named["d"].op, named["L"].op, named["f"].op) == ("*", "+", "*", "")
    expected = {"L": 1.0, "d": -2.0, "f": 4.0, "e": -2.0, "c": -2.0, "a": 6.0, "b": -4.0}
    assert {k: named[k].grad for k in expected} == expected


def test_grads_agree_with_central_differences() -> None:
    program = parse_program("x = a*b\ny = tanh(x + c)\nz = y*y + exp(a)")
    leaves = {"a": Value(0.3, "a"), "b": Value(-1.2, "b"), "c": Value(0.5, "c")}
    program.build(leaves).backward()
    for leaf in leaves.values():
        numerical = numerical_derivative(lambda: program.build(leaves), leaf)
        assert leaf.grad == pytest.approx(numerical, rel=1e-6, abs=1e-9)


def test_a_given_value_replaces_a_constant_leaf_as_a_nudge_does() -> None:
    program = parse_program(LECTURE)
    f = Value(-1.0, "f")
    assert program.build({"a": 2.0, "b": -3.0, "c": 10.0, "f": f}).data == -4.0
    assert program.constants == (("f", -2.0),)


def test_a_single_expression_is_a_program_of_one_statement() -> None:
    program = parse_program("tanh(a*b + c)")
    assert program.variables == ("a", "b", "c") and program.names == ()
    root = program.build({"a": 2.0, "b": -3.0, "c": 10.0})
    assert root.op == "tanh" and root.label == ""


def test_an_alias_adds_no_node_and_renames_nothing() -> None:
    root = parse_program("e = a; L = e*3").build({"a": 2.0})
    assert root.data == 6.0 and root.inputs[0].label == "a"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("d = e + c; e = a*b", "statement 1 (d = e + c): e is used before the statement"),
        ("e = a*b; e = e + 1", "statement 2 (e = e + 1): e is already assigned in statement 1"),
        ("e = a*b; e + 1", "statement 2 (e + 1): not an assignment"),
        ("  ;  \n ", "the program is empty"),
        ("e = e + 1", "e is used in its own definition"),
        ("e = a*b; x = __import__('os')", "statement 2"),
        ("e = a*b; 2 = e", "statement 2 (2 = e): '2' is not a variable name"),
        ("e = a*b; d = e +", "statement 2 (d = e +): syntax error"),
        ("e = a*b; tanh = e", "tanh is a function"),
    ],
)
def test_bad_programs_say_which_statement_and_why(text: str, words: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_program(text)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_column_points_into_the_statement() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_program("e = a*b\nd = e $ c")
    error = caught.value
    assert error.text == "d = e $ c" and error.text[error.column] == "$"
    assert error.caret().splitlines()[1] == " " * error.column + "^"


def test_an_assigned_name_cannot_be_given() -> None:
    with pytest.raises(ExpressionError, match="computed by the program"):
        parse_program(LECTURE).build({"a": 2.0, "b": -3.0, "c": 10.0, "e": 1.0})


def test_a_missing_value_names_the_statement() -> None:
    with pytest.raises(ExpressionError, match=r"statement 1 \(e = a\*b\): variable 'b' has no"):
        parse_program(LECTURE).build({"a": 2.0, "c": 10.0})
