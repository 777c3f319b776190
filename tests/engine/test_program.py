"""Named statements (the lecture's `e = a*b; d = e + c; f = -2.0; L = d*f`)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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


def test_a_variable_used_in_two_statements_is_one_leaf_that_sums_both_uses() -> None:
    # L = a*b + a with a = 2, b = -3: dL/da = b + 1 = -2 (both uses add to one grad)
    L = parse_program("e = a*b; L = e + a").build({"a": 2.0, "b": -3.0})
    L.backward()
    leaves = [v for v in (L.inputs[1], *L.inputs[0].inputs) if v.label == "a"]
    assert len(leaves) == 2 and leaves[0] is leaves[1]
    assert leaves[0].grad == -2.0


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


PAIRS = [  # a program, and the one expression it stands for
    ("e = a*b; d = e + c; f = -2.0; L = d*f", "(a*b + c) * -2.0"),
    ("e = a*b; L = e + a", "a*b + a"),
    ("u = tanh(a); v = u*u + b*a; w = v / (1 + exp(c)); L = w - u*b", None),
    ("p = a + b\nq = p*p\nr = q*a + p*c\nL = relu(r) + sigmoid(q)", None),
]


def inline(program: str) -> str:
    """The program as one expression: each name replaced by its parenthesised definition."""
    import re

    definitions: dict[str, str] = {}
    body = ""
    for statement in re.split(r"[;\n]", program):
        name, _, expression = statement.partition("=")
        for known, text in definitions.items():
            expression = re.sub(rf"\b{known}\b", f"({text})", expression)
        definitions[name.strip()] = expression.strip()
        body = expression.strip()
    return body


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-2, 2, allow_nan=False),
    st.floats(-2, 2, allow_nan=False),
    st.floats(-2, 2, allow_nan=False),
    st.sampled_from(PAIRS),
)
def test_a_program_has_the_grads_of_the_expression_it_stands_for(a, b, c, pair) -> None:
    from mg_tui.engine.expression import parse_expression

    program, expression = pair
    expression = expression or inline(program)
    numbers = {"a": a, "b": b, "c": c}
    parsed = parse_program(program)
    root = parsed.build({n: numbers[n] for n in parsed.variables})  # numbers, as the CLI gives
    root.backward()
    leaves: dict[str, list[Value]] = {}
    stack, seen = [root], set()
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen.add(id(v))
            if not v.inputs and v.label in numbers:
                leaves.setdefault(v.label, []).append(v)
            stack.extend(v.inputs)
    single = parse_expression(expression)
    theirs = {n: Value(numbers[n], n) for n in single.variables}
    other = single.build(theirs)
    other.backward()
    assert root.data == pytest.approx(other.data, rel=1e-12, abs=1e-12)
    assert set(leaves) == set(theirs)
    for name, found in leaves.items():
        assert len(found) == 1, f"{name} is {len(found)} leaves"  # one leaf, its whole grad
        assert found[0].grad == pytest.approx(theirs[name].grad, rel=1e-9, abs=1e-12), name
