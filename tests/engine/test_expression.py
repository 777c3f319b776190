"""Tests of engine.expression: the safe parser and graph builder of the expression explorer.

Unit tests pin the grammar, the graph's shape and the error messages; property tests
check thousands of generated valid expressions against plain Python arithmetic on the
same tree, and thousands of invalid or hostile strings for two things: the only
exception is ExpressionError, and nothing they name is ever run (sentinels record any
import, open, eval or exec of a marked name).
"""

from __future__ import annotations

import ast
import builtins
import math
import string
import sys
import types
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from mg_tui.engine import Value, topological_order
from mg_tui.engine.expression import (
    FUNCTIONS,
    MAX_LENGTH,
    MAX_NESTING,
    ExpressionError,
    build_expression,
    parse_assignments,
    parse_expression,
)

SENTINEL = "mg_tui_sentinel"
FIRED: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def sentinels():
    """Record any import, open, eval, exec or compile of the marked name, then delegate.

    Hostile inputs below name `mg_tui_sentinel` (a module whose `system` also
    records), so if the parser ever ran one, FIRED would say so.
    """
    real_import, real_open = builtins.__import__, builtins.open
    real_eval, real_exec, real_compile = builtins.eval, builtins.exec, builtins.compile

    def marked(first: object) -> bool:
        # Payloads are short; pytest and hypothesis compile whole test modules, which
        # mention the sentinel too.
        if isinstance(first, bytes):
            first = first.decode(errors="replace")
        return isinstance(first, str) and SENTINEL in first and len(first) < 300

    def spy(name: str, real):
        def wrapper(*args, **kwargs):
            flags = args[3] if len(args) > 3 else kwargs.get("flags", 0)
            to_ast_only = name == "compile" and flags & ast.PyCF_ONLY_AST  # ast.parse
            if args and marked(args[0]) and not to_ast_only:
                FIRED.append(f"{name}{args[:1]!r}")
            return real(*args, **kwargs)

        return wrapper

    module = types.ModuleType(SENTINEL)
    module.system = lambda *a: FIRED.append(f"system{a!r}")  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, SENTINEL, module)
        mp.setattr(builtins, "__import__", spy("__import__", real_import))
        mp.setattr(builtins, "open", spy("open", real_open))
        mp.setattr(builtins, "eval", spy("eval", real_eval))
        mp.setattr(builtins, "exec", spy("exec", real_exec))
        mp.setattr(builtins, "compile", spy("compile", real_compile))
        yield
    assert FIRED == []


def test_the_sentinels_notice_an_execution() -> None:
    """The spies work: running a payload for real would be recorded."""
    try:
        builtins.eval(f"__import__('{SENTINEL}').system('x')")
        assert FIRED[-2:] == [f"__import__({SENTINEL!r},)", "system('x',)"]
        assert FIRED[0].startswith("eval(")
    finally:
        FIRED.clear()


@pytest.fixture(autouse=True)
def nothing_fired():
    yield
    assert FIRED == [], f"a hostile input was executed: {FIRED}"


# -- unit tests: values and graphs ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1.0),
        ("2.5", 2.5),
        ("1e3", 1000.0),
        ("2.5E-2", 0.025),
        (".5", 0.5),
        ("-3", -3.0),
        ("+3", 3.0),
        ("--3", 3.0),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("7 - 2 - 1", 4.0),
        ("8 / 4 / 2", 1.0),
        ("2 ** 3 ** 2", 512.0),
        ("-2 ** 2", -4.0),
        ("(-2) ** 2", 4.0),
        ("2 ** -1", 0.5),
        ("exp(0)", 1.0),
        ("log(1)", 0.0),
        ("tanh(0)", 0.0),
        ("relu(-2) + relu(3)", 3.0),
        ("sigmoid(0)", 0.5),
        ("  1 +\t2  ", 3.0),
    ],
)
def test_numbers_operators_and_functions(text: str, expected: float) -> None:
    assert build_expression(text).data == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_seed_001_example_values_and_grads() -> None:
    """tanh(a*b + c) at a=2, b=-3, c=10: seed 001's first example."""
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    out = parse_expression("tanh(a*b + c)").build({"a": a, "b": b, "c": c})
    out.backward()
    dtanh = 1 - math.tanh(4.0) ** 2
    assert out.data == pytest.approx(math.tanh(4.0))
    assert (a.grad, b.grad, c.grad) == pytest.approx((-3 * dtanh, 2 * dtanh, dtanh))
    assert out.op == "tanh"


def test_leaves_are_labelled_once_per_variable_and_shared() -> None:
    """One leaf per name, reused where the name repeats: fan-out accumulates grads."""
    out = build_expression("a + a * b + a", a=3.0, b=2.0)
    out.backward()
    leaves = [n for n in topological_order(out) if n.is_leaf and n.label]
    assert sorted(n.label for n in leaves) == ["a", "b"]
    a = next(n for n in leaves if n.label == "a")
    assert a.grad == 1 + 2.0 + 1  # three uses: 1, b, 1
    interior = [n for n in topological_order(out) if not n.is_leaf]
    assert all(n.label == "" for n in interior)


def test_b_equals_a_plus_a_gives_grad_two() -> None:
    a = Value(3.0, "a")
    out = parse_expression("a + a").build({"a": a})
    out.backward()
    assert out.inputs == (a, a)
    assert a.grad == 2.0


def test_variables_in_order_of_first_appearance() -> None:
    assert parse_expression("c * a + b * a + c").variables == ("c", "a", "b")
    assert parse_expression("1 + 2").variables == ()


def test_power_with_a_number_uses_the_number_exponent_op() -> None:
    x = Value(3.0, "x")
    for text, op in [("x ** 2", "**2"), ("x ** -1", "**-1"), ("x ** (1/2)", "**0.5")]:
        out = parse_expression(text).build({"x": x})
        assert out.op == op
        assert out.inputs == (x,)


def test_power_with_an_expression_uses_the_value_exponent_op() -> None:
    x, y = Value(3.0, "x"), Value(2.0, "y")
    out = parse_expression("x ** y").build({"x": x, "y": y})
    out.backward()
    assert out.op == "**"
    assert out.data == 9.0
    assert x.grad == pytest.approx(6.0)
    assert y.grad == pytest.approx(9.0 * math.log(3.0))


def test_division_uses_the_engine_division() -> None:
    out = build_expression("a / b", a=1.0, b=4.0)
    assert out.op == "/"
    assert out.data == 0.25


def test_unary_minus_is_a_neg_node_and_unary_plus_adds_none() -> None:
    assert build_expression("-x", x=2.0).op == "neg"
    x = Value(2.0, "x")
    assert parse_expression("+x").build({"x": x}) is x


def test_expression_can_be_built_again_with_new_values() -> None:
    expression = parse_expression("x * y + 1")
    assert expression.evaluate({"x": 2.0, "y": 3.0}) == 7.0
    assert expression.evaluate({"x": -1.0, "y": 3.0}) == -2.0


def test_given_values_can_be_ints_and_extra_values_are_ignored() -> None:
    assert parse_expression("x * 2").evaluate({"x": 3, "unused": 1.0}) == 6.0


# -- unit tests: errors ---------------------------------------------------------------


def error_of(
    text: str, variables: tuple[str, ...] | None = None, **values: float
) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        parse_expression(text, variables).build(values)
    error = info.value
    assert "\n" not in str(error)
    return error


@pytest.mark.parametrize(
    ("text", "words", "column"),
    [
        ("__import__('os').system('x')", "attribute access", 16),
        ("open('f')", "can be called", 0),
        ("print(1)", "'print' cannot", 0),
        ("(1).__class__", "attribute access", 3),
        ("a.b.c", "attribute access", 3),
        ("a[0]", "subscripts", 0),
        ("lambda: 1", "lambdas", 0),
        ("[i for i in a]", "comprehensions", 0),
        ("(i for i in a)", "comprehensions", 0),
        ("{i: 1 for i in a}", "comprehensions", 0),
        ("exp(x=1)", "keyword", 0),
        ("exp(1, 2)", "exactly one argument, got 2", 0),
        ("exp()", "exactly one argument, got 0", 0),
        ("'text'", "strings", 0),
        ("b'x'", "strings", 0),
        ("f'{a}'", "strings", 0),
        ("a < b", "comparisons", 0),
        ("a and b", "and/or", 0),
        ("not a", "not", 0),
        ("~a", "~", 0),
        ("a if b else c", "conditional", 0),
        ("(a := 1)", ":=", 1),
        ("a // 2", "//", 2),
        ("a % 2", "%", 2),
        ("a ^ 2", "x**2", 2),
        ("a @ b", "@", 2),
        ("1j", "complex", 0),
        ("True", "not a number", 0),
        ("None", "not a number", 0),
        ("1e999", "too large", 0),
        ("1, 2", "tuples", 0),
        ("[1]", "lists", 0),
        ("{1}", "sets", 0),
        ("{1: 2}", "dicts", 0),
        ("exp", "is a function", 0),
        ("exp + 1", "is a function", 0),
        ("__x", "may not start with '_'", 0),
        ("import os", "statements (import", 0),
        ("a = 2", "'=' is not allowed", 2),
        ("a +* b", "syntax error", 3),
        ("(a + b", "syntax error", 0),
        ("", "empty", None),
        ("   ", "empty", None),
        ("x\n+ 1", "one line", 1),
        ("x # comment", "comments", 2),
        ("x + é", "unexpected character", 4),
        ("x\x00", "unexpected character", 1),
    ],
)
def test_refused_constructs(text: str, words: str, column: int | None) -> None:
    error = error_of(text)
    assert words in error.message
    assert error.column == column


def test_unknown_variable_names_it_and_lists_the_known_ones() -> None:
    error = error_of("a * d + b", ("a", "b", "c"))
    assert error.message == "unknown variable 'd'; known variables: a, b, c"
    assert error.column == 4
    assert error.caret() == "a * d + b\n    ^"
    assert str(error).endswith("(at column 5)")


def test_variable_without_a_value_says_which() -> None:
    error = error_of("a + b", a=1.0)
    assert "'b' has no value" in error.message
    assert error.column == 4


def test_non_finite_or_non_number_values_are_refused() -> None:
    assert "finite" in error_of("a", a=math.inf).message
    with pytest.raises(ExpressionError, match="'a' must be a finite number, not nan"):
        parse_expression("a + 1").build({"a": Value(math.nan, "a")})
    with pytest.raises(ExpressionError, match="must be a number"):
        parse_expression("a").build({"a": "2"})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("text", "words", "column"),
    [
        ("1 / (a - a)", "by zero", 2),
        ("log(a - a)", "log", 0),
        ("log(-a)", "log", 0),
        ("(-a) ** 0.5", "real", 5),
        ("0 ** -1", "negative", 2),
        ("10 ** 10 ** 10", "overflow", 3),
        ("exp(1000)", "overflow", 0),
        ("1e308 * 10", "overflows a float", 6),
        ("a ** (a - a - 1) * 0", "negative", 2),
    ],
)
def test_domain_errors_become_expression_errors(text: str, words: str, column: int) -> None:
    """The engine's own message (naming the op and value) is kept; the column is added."""
    values = {"a": 1.0} if "a" in text else {}
    if text.startswith("a **"):
        values = {"a": 0.0}
    error = error_of(text, **values)
    assert words in error.message
    assert error.column == column


def test_length_and_nesting_limits() -> None:
    assert "too long" in error_of("1+" * MAX_LENGTH + "1").message
    ok = "(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert build_expression(ok).data == 1.0
    deep = error_of("(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1))
    assert "nested too deeply" in deep.message
    assert deep.column == MAX_NESTING
    assert "nested too deeply" in error_of("exp(" * 101 + "1" + ")" * 101).message


def test_long_chains_within_the_length_limit_build_without_recursion() -> None:
    """A 1,000-term sum and a 1,999-deep unary chain: every walk is iterative."""
    assert build_expression("+".join(["a"] * 1000), a=1.0).data == 1000.0
    assert build_expression("-" * 1998 + "a", a=2.0).data == 2.0


def test_non_text_is_refused() -> None:
    with pytest.raises(ExpressionError, match="must be text"):
        parse_expression(42)  # type: ignore[arg-type]


# -- parse_assignments ------------------------------------------------------------------


def test_parse_assignments_reads_the_cli_arguments() -> None:
    assert parse_assignments(["a=2", "b=-3", "c=1e-3", " d = 0.5 "]) == {
        "a": 2.0,
        "b": -3.0,
        "c": 0.001,
        "d": 0.5,
    }
    assert parse_assignments([]) == {}


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["a"], "is not an assignment"),
        (["=2"], "no variable name"),
        (["a="], "gives a no value"),
        (["b=x"], "'x' is not a number"),
        (["b=2*3"], "'2*3' is not a number"),
        (["a=nan"], "finite"),
        (["a=inf"], "finite"),
        (["a=1", "a=2"], "given twice"),
        (["exp=1"], "is a function"),
        (["_x=1"], "may not start with '_'"),
        (["1a=2"], "not a variable name"),
        (["a.b=2"], "not a variable name"),
    ],
)
def test_parse_assignments_errors(arguments: list[str], words: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_assignments(arguments)
    assert words in info.value.message
    assert "\n" not in str(info.value)


def test_cli_flow_unknown_variable_lists_the_given_ones() -> None:
    values = parse_assignments(["a=2", "b=-3"])
    with pytest.raises(ExpressionError, match=r"unknown variable 'c'; known variables: a, b"):
        build_expression("tanh(a*b + c)", **values)


# -- the module's own safety -----------------------------------------------------------


def test_module_never_calls_eval_exec_or_compile_and_imports_only_the_stdlib() -> None:
    import mg_tui.engine.expression as module
    tree = ast.parse(Path(module.__file__).read_text())
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__", "getattr_static"}
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"mg_tui", "__future__"}


# -- property tests: valid expressions agree with Python arithmetic ------------------------

NAMES = ("a", "b", "x", "y1", "w_2")


class Domain(Exception):
    """The reference evaluation hit a domain error or a non-finite intermediate."""


def number_texts() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, 50).map(str),
        st.sampled_from(["0.5", "1.5", "2.25", ".25", "3.0", "10.0"]),
        st.builds(lambda m, e: f"{m}e{e}", st.integers(1, 9), st.integers(-3, 2)),
        st.builds(lambda m, e: f"{m}.5E{e}", st.integers(0, 9), st.integers(-2, 1)),
    )


def trees(functions: bool = True, max_leaves: int = 25) -> st.SearchStrategy[tuple]:
    variables = st.sampled_from(NAMES).map(lambda n: ("var", n))
    leaves = st.one_of(variables, number_texts().map(lambda t: ("num", t)))

    def extend(children: st.SearchStrategy[tuple]) -> st.SearchStrategy[tuple]:
        options = [
            st.tuples(st.just("bin"), st.sampled_from("+-*/"), children, children),
            st.tuples(st.just("pow"), children, st.integers(-3, 4)),
            st.tuples(st.sampled_from(["neg", "pos", "paren"]), children),
        ]
        if functions:
            options.append(st.tuples(st.just("call"), st.sampled_from(FUNCTIONS), children))
        return st.one_of(options)

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def render(tree: tuple) -> str:
    """Text for the tree: compound operands are parenthesized, so the parse is the tree."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "var":
        return tree[1]
    if kind == "bin":
        return f"{wrap(tree[2])} {tree[1]} {wrap(tree[3])}"
    if kind == "pow":
        return f"{wrap(tree[1])} ** {tree[2]}"
    if kind == "neg":
        return f"-{wrap(tree[1])}"
    if kind == "pos":
        return f"+{wrap(tree[1])}"
    if kind == "paren":
        return f"({render(tree[1])})"
    return f"{tree[1]}({render(tree[2])})"


def wrap(tree: tuple) -> str:
    text = render(tree)
    return text if tree[0] in ("num", "var", "call", "paren") else f"({text})"


def reference(tree: tuple, values: dict[str, float], engine_division: bool = False) -> float:
    """Python float arithmetic over the tree; any domain error or inf/nan raises Domain.

    With `engine_division`, a / b is computed as a * (1 / b), as the engine does (it
    needs 1 / b for the local derivative anyway). The two differ in the last bit; where
    that bit changes the answer visibly the tree is ill-conditioned, and a comparison
    would say nothing about the parser.
    """
    stack: list[tuple[tuple, bool]] = [(tree, False)]
    out: list[float] = []
    while stack:
        node, ready = stack.pop()
        kind = node[0]
        if not ready:
            stack.append((node, True))
            children = {"bin": node[2:4], "pow": node[1:2], "call": node[2:3]}.get(
                kind, node[1:2] if kind in ("neg", "pos", "paren") else ()
            )
            stack.extend((c, False) for c in reversed(children))
            continue
        try:
            if kind == "num":
                r = float(node[1])
            elif kind == "var":
                r = values[node[1]]
            elif kind == "bin":
                right = out.pop()
                left = out.pop()
                op = node[1]
                if op == "+":
                    r = left + right
                elif op == "-":
                    r = left - right
                elif op == "*":
                    r = left * right
                elif engine_division:
                    r = left * (1.0 / right)
                else:
                    r = left / right
            elif kind == "pow":
                r = out.pop() ** node[2]
            elif kind == "neg":
                r = -out.pop()
            elif kind in ("pos", "paren"):
                r = out.pop()
            else:
                x = out.pop()
                name = node[1]
                if name == "exp":
                    r = math.exp(x)
                elif name == "log":
                    r = math.log(x)
                elif name == "tanh":
                    r = math.tanh(x)
                elif name == "relu":
                    r = x if x > 0 else 0.0
                else:
                    r = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        except (ZeroDivisionError, OverflowError, ValueError) as error:
            raise Domain(str(error)) from None
        if isinstance(r, complex) or not math.isfinite(r):
            raise Domain(repr(r))
        out.append(float(r))
    return out[0]


def tree_variables(tree: tuple) -> tuple[str, ...]:
    """Variable names in order of first appearance in the rendered text."""
    return tuple(dict.fromkeys(n for n in _names_left_to_right(tree)))


def _names_left_to_right(tree: tuple):
    stack = [tree]
    while stack:
        node = stack.pop()
        if node[0] == "var":
            yield node[1]
        elif node[0] == "bin":
            stack.extend([node[3], node[2]])
        elif node[0] == "call":
            stack.append(node[2])
        elif node[0] != "num":
            stack.append(node[1])


variable_values = st.fixed_dictionaries(
    {
        name: st.one_of(
            st.integers(-5, 5).map(float),
            # Not tiny: near 0, x / x adds 1/x and -x/x**2, two huge terms whose
            # rounding (1e-16 of 1e65) swamps any tolerance.
            st.floats(0.01, 4.0).flatmap(lambda v: st.sampled_from([v, -v])),
        )
        for name in NAMES
    }
)

PROPERTY = settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def reference_or_none(tree: tuple, values: dict[str, float], engine_division: bool):
    try:
        return reference(tree, values, engine_division)
    except Domain:
        return None


@PROPERTY
@given(tree=trees(), values=variable_values, pad=st.sampled_from(["", " ", "  ", "\t"]))
def test_valid_expressions_evaluate_like_python(tree: tuple, values: dict, pad: str) -> None:
    text = pad + render(tree) + pad
    assume(len(text) <= MAX_LENGTH)
    expected = reference_or_none(tree, values, engine_division=False)
    alternative = reference_or_none(tree, values, engine_division=True)
    assume((expected is None) == (alternative is None))  # well-conditioned trees only
    if expected is not None:
        assume(math.isclose(expected, alternative, rel_tol=1e-9, abs_tol=1e-9))

    expression = parse_expression(text)
    assert expression.variables == tree_variables(tree)
    event("domain error" if expected is None else "value")
    if expected is None:
        with pytest.raises(ExpressionError):
            expression.build(values)
        return
    out = expression.build(values)
    assert math.isclose(out.data, expected, rel_tol=1e-9, abs_tol=1e-9), (text, out.data, expected)
    labelled = [n.label for n in topological_order(out) if n.is_leaf and n.label]
    assert sorted(labelled) == sorted(expression.variables)  # one leaf per variable


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(tree=trees(max_leaves=8), values=variable_values)
def test_grads_match_finite_differences(tree: tuple, values: dict) -> None:
    text = render(tree)
    expression = parse_expression(text)
    assume(expression.variables)
    used = {name: values[name] for name in expression.variables}
    try:
        leaves = {name: Value(v, name) for name, v in used.items()}
        out = expression.build(leaves)
    except ExpressionError:
        assume(False)
    assume(abs(out.data) < 1e6)
    out.backward()

    for name, v in used.items():

        def central(h: float, name: str = name, v: float = v) -> float:
            up = expression.evaluate({**used, name: v + h})
            down = expression.evaluate({**used, name: v - h})
            return (up - down) / (2 * h)

        def one_sided(h: float, name: str = name, v: float = v) -> tuple[float, float]:
            here = expression.evaluate(used)
            up = expression.evaluate({**used, name: v + h})
            down = expression.evaluate({**used, name: v - h})
            return (up - here) / h, (here - down) / h

        try:
            fine, coarse = central(1e-6), central(1e-5)
            right, left = one_sided(1e-5)
        except ExpressionError:
            assume(False)  # a pole or a domain edge within h of the point
        # Where the step sizes or the two sides disagree the function is not smooth
        # enough here (a kink of relu, a pole nearby) for a finite difference to be
        # a reference.
        assume(math.isclose(fine, coarse, rel_tol=1e-4, abs_tol=1e-4))
        assume(math.isclose(right, left, rel_tol=1e-3, abs_tol=1e-3))
        grad = leaves[name].grad
        assert math.isclose(grad, fine, rel_tol=1e-4, abs_tol=1e-4), (text, name, grad, fine)


# -- property tests: invalid and hostile strings ---------------------------------------------


def outcome(text: str) -> str:
    """'ok' or 'error'; any exception other than ExpressionError fails the test."""
    try:
        expression = parse_expression(text)
        expression.build(dict.fromkeys(expression.variables, 1.5))
    except ExpressionError as error:
        assert error.message and "\n" not in str(error)
        assert error.column is None or 0 <= error.column <= len(text)
        return "error"
    return "ok"


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet=string.printable, max_size=60))
def test_random_printable_junk_never_raises_anything_else(text: str) -> None:
    outcome(text)


@settings(max_examples=1000, deadline=None)
@given(text=st.text(max_size=40))
def test_random_unicode_never_raises_anything_else(text: str) -> None:
    outcome(text)


TOKENS = ["a", "b", "1", "2.5", "e", "+", "-", "*", "/", "**", "(", ")", " ", ".", ",", "exp",
          "log", "tanh", "_", "[", "]", "'", "=", ":", "lambda", "x", "1e"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(text=st.lists(st.sampled_from(TOKENS), max_size=30).map("".join))
def test_random_token_soup_never_raises_anything_else(text: str) -> None:
    outcome(text)


HOSTILE_CORES = [
    f"__import__('{SENTINEL}').system('x')",
    f"__import__('{SENTINEL}')",
    f"open('{SENTINEL}')",
    f"open('{SENTINEL}', 'w').write('x')",
    f"eval('__import__(\"{SENTINEL}\")')",
    f"exec('import {SENTINEL}')",
    f"compile('{SENTINEL}', 'f', 'exec')",
    f"import {SENTINEL}",
    f"from {SENTINEL} import system",
    f"(lambda: __import__('{SENTINEL}'))()",
    f"[__import__('{SENTINEL}') for _ in '1']",
    f"f'{{__import__(\"{SENTINEL}\")}}'",
    f"(s := __import__('{SENTINEL}'))",
    "(1).__class__.__bases__[0].__subclasses__()",
    "().__class__.__base__",
    "a.__dict__",
    "a.real",
    "__builtins__",
    "__builtins__['eval']",
    "globals()",
    "locals()['x']",
    "getattr(a, 'b')",
    "type(a)",
    "exp.__globals__",
    "exp(a).b",
    "tanh(a)[0]",
    "a[1:2]",
    "sigmoid(x=a)",
    "relu(*a)",
    "log(**a)",
    "a if a else a",
    "a or b",
    "yield a",
    "await a",
    "a < b < c",
    "10 ** 10 ** 10",
    "9 ** 9 ** 9",
    "(2 ** 1000) ** 1000",
    "exp(exp(exp(10)))",
    "1e308 * 1e308",
    "1" * 400,
    "1" * 400 + ".0",
    "a b",
    "a = 1",
    "a; b",
    "a\nb",
    "#",
    "\\",
    "'''",
    "0x",
    "1e",
    "..",
]


@st.composite
def hostile(draw: st.DrawFn) -> str:
    core = draw(st.sampled_from(HOSTILE_CORES))
    chain = draw(st.lists(st.sampled_from(["__class__", "__dict__", "system", "x"]), max_size=4))
    if chain and draw(st.booleans()):
        core = f"({core})" + "".join(f".{name}" for name in chain)
    context = draw(st.sampled_from(["{}", "a + {}", "({}) * b", "tanh({})", "exp(1) - ({})"]))
    return context.format(core)


@settings(max_examples=1500, deadline=None)
@given(text=hostile())
def test_hostile_inputs_are_refused_and_never_run(text: str) -> None:
    assert outcome(text) == "error", text


@settings(max_examples=300, deadline=None)
@given(
    depth=st.integers(MAX_NESTING + 1, 5000),
    opener=st.sampled_from(["(", "exp(", "[", "-(", "((a)+"]),
)
def test_deep_nesting_is_refused_cleanly(depth: int, opener: str) -> None:
    text = opener * depth + "a" + ")" * depth
    assert outcome(text) == "error"


@settings(max_examples=100, deadline=None)
@given(size=st.integers(MAX_LENGTH + 1, 200_000), unit=st.sampled_from(["a+", "1", "(", "x"]))
def test_very_long_inputs_are_refused_cleanly(size: int, unit: str) -> None:
    text = (unit * (size // len(unit) + 1))[:size]
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression(text)
