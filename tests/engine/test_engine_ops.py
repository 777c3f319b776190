"""Every op of Value: its value, its op string, and its grad against finite differences.

The reference for each value is the same formula on plain floats (math module), and
the reference for each grad is a central difference of that float formula, so nothing
here reads the engine's own local derivatives.
"""

from __future__ import annotations

import gc
import math

import pytest
from mg_tui.engine import Sum, Value


def central_difference(f, point: tuple[float, ...], i: int) -> float:
    h = 1e-6 * max(1.0, abs(point[i]))
    up = list(point)
    down = list(point)
    up[i] += h
    down[i] -= h
    return (f(*up) - f(*down)) / (up[i] - down[i])


def stable_sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# (id, engine function, float function, op string of the result, points)
# The engine function receives Values; the float function, floats.
CASES = [
    ("x+y", lambda x, y: x + y, lambda x, y: x + y, "+", [(1.5, -2.25), (-0.3, 0.7)]),
    ("x+2.5", lambda x: x + 2.5, lambda x: x + 2.5, "+", [(1.5,), (-4.0,)]),
    ("2.5+x", lambda x: 2.5 + x, lambda x: 2.5 + x, "+", [(1.5,), (-4.0,)]),
    ("x+int", lambda x: x + 3, lambda x: x + 3, "+", [(0.25,)]),
    ("x-y", lambda x, y: x - y, lambda x, y: x - y, "-", [(1.5, -2.25), (-0.3, 0.7)]),
    ("x-2.5", lambda x: x - 2.5, lambda x: x - 2.5, "-", [(1.5,), (-4.0,)]),
    ("2.5-x", lambda x: 2.5 - x, lambda x: 2.5 - x, "-", [(1.5,), (-4.0,)]),
    ("x*y", lambda x, y: x * y, lambda x, y: x * y, "*", [(1.5, -2.25), (-0.3, 0.7)]),
    ("x*-3", lambda x: x * -3, lambda x: x * -3, "*", [(1.5,), (-4.0,)]),
    ("-3*x", lambda x: -3 * x, lambda x: -3 * x, "*", [(1.5,), (-4.0,)]),
    ("x/y", lambda x, y: x / y, lambda x, y: x / y, "/", [(1.5, -2.25), (-0.3, 0.7)]),
    ("x/4", lambda x: x / 4, lambda x: x / 4, "/", [(1.5,), (-4.0,)]),
    ("3/x", lambda x: 3 / x, lambda x: 3 / x, "/", [(1.5,), (-4.0,), (0.2,)]),
    ("-x", lambda x: -x, lambda x: -x, "neg", [(1.5,), (-4.0,), (0.0,)]),
    ("x**2", lambda x: x**2, lambda x: x**2, "**2", [(1.5,), (-4.0,), (0.0,)]),
    ("x**3", lambda x: x**3, lambda x: x**3, "**3", [(1.5,), (-1.2,)]),
    ("x**-1", lambda x: x**-1, lambda x: x**-1, "**-1", [(1.5,), (-4.0,)]),
    ("x**-2", lambda x: x**-2, lambda x: x**-2, "**-2", [(0.7,), (-2.0,)]),
    ("x**0.5", lambda x: x**0.5, lambda x: x**0.5, "**0.5", [(1.5,), (9.0,)]),
    ("x**1.5", lambda x: x**1.5, lambda x: x**1.5, "**1.5", [(0.3,), (2.0,)]),
    ("x**-2.5", lambda x: x**-2.5, lambda x: x**-2.5, "**-2.5", [(0.8,), (3.0,)]),
    ("x**0", lambda x: x**0, lambda x: x**0, "**0", [(1.5,), (-4.0,)]),
    ("x**y", lambda x, y: x**y, lambda x, y: x**y, "**", [(1.5, -2.25), (0.3, 0.7)]),
    ("2**x", lambda x: 2**x, lambda x: 2**x, "**", [(1.5,), (-4.0,)]),
    ("x**x", lambda x: x**x, lambda x: x**x, "**", [(1.3,)]),
    ("exp", lambda x: x.exp(), math.exp, "exp", [(1.5,), (-4.0,), (0.0,), (20.0,)]),
    ("log", lambda x: x.log(), math.log, "log", [(1.5,), (0.01,), (1e6,)]),
    ("tanh", lambda x: x.tanh(), math.tanh, "tanh", [(0.5,), (-2.0,), (0.0,), (4.0,)]),
    ("relu", lambda x: x.relu(), lambda x: max(x, 0.0), "relu", [(1.5,), (-4.0,), (1e-3,)]),
    (
        "sigmoid",
        lambda x: x.sigmoid(),
        stable_sigmoid,
        "sigmoid",
        [(0.5,), (-2.0,), (0.0,), (8.0,), (-8.0,)],
    ),
    (
        "Value.sum",
        lambda x, y, z: Value.sum([x, y, z]),
        lambda x, y, z: x + y + z,
        "sum",
        [(1.5, -2.25, 0.5)],
    ),
    (
        "Value.sum-numbers-and-repeats",
        lambda x, y: Value.sum([x, 2, y, x, 0.5]),
        lambda x, y: x + 2 + y + x + 0.5,
        "sum",
        [(1.5, -2.25)],
    ),
    (
        "Value.sum-generator",
        lambda x, y: Value.sum(v * v for v in (x, y)),
        lambda x, y: x * x + y * y,
        "sum",
        [(1.5, -2.25)],
    ),
    (
        "builtin-sum",
        lambda x, y, z: sum([x, y, z]),
        lambda x, y, z: x + y + z,
        "+",
        [(1.5, -2.25, 0.5)],
    ),
    (
        "Value.logsumexp",
        lambda x, y, z: Value.logsumexp([x, y, z]),
        lambda x, y, z: math.log(math.exp(x) + math.exp(y) + math.exp(z)),
        "logsumexp",
        [(1.5, -2.25, 0.5), (0.0, 0.0, 0.0), (3.0, 2.9, -5.0)],
    ),
    (
        "Value.logsumexp-numbers-and-repeats",
        lambda x, y: Value.logsumexp([x, 1, y, x]),
        lambda x, y: math.log(2 * math.exp(x) + math.exp(1) + math.exp(y)),
        "logsumexp",
        [(0.5, -1.0)],
    ),
    ("x*x", lambda x: x * x, lambda x: x * x, "*", [(1.5,), (-4.0,)]),
    ("x+x", lambda x: x + x, lambda x: x + x, "+", [(1.5,)]),
    ("x-x", lambda x: x - x, lambda x: x - x, "-", [(1.5,)]),
    ("x/x", lambda x: x / x, lambda x: x / x, "/", [(1.5,)]),
]

PARAMS = [
    pytest.param(engine_f, float_f, op, point, id=f"{name}@{point}")
    for name, engine_f, float_f, op, points in CASES
    for point in points
]


@pytest.mark.parametrize(("engine_f", "float_f", "op", "point"), PARAMS)
def test_value_and_op(engine_f, float_f, op, point):
    xs = [Value(p) for p in point]
    out = engine_f(*xs)
    assert isinstance(out, Value)
    assert out.op == op
    assert math.isclose(out.data, float_f(*point), rel_tol=1e-14, abs_tol=1e-300)
    assert len(out.inputs) == len(out.local_grads)
    assert all(isinstance(d, float) for d in out.local_grads)


@pytest.mark.parametrize(("engine_f", "float_f", "op", "point"), PARAMS)
def test_grad_matches_central_difference(engine_f, float_f, op, point):
    xs = [Value(p) for p in point]
    engine_f(*xs).backward()
    for i, x in enumerate(xs):
        numerical = central_difference(float_f, point, i)
        assert math.isclose(x.grad, numerical, rel_tol=1e-6, abs_tol=1e-8), (i, x.grad)


def test_structure_stores_operands_and_local_derivatives():
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    out = a * b
    assert out.inputs == (a, b)
    assert out.inputs[0] is a and out.inputs[1] is b
    assert out.local_grads == (-3.0, 2.0)
    assert out.op == "*"
    assert a.inputs == () and a.local_grads == () and a.op == ""
    assert a.is_leaf and not out.is_leaf


def test_a_node_is_one_object_for_the_collector():
    """Operands and local derivatives live in the node's slots, not in tuples: each product
    adds one object for the cyclic collector to track (issue 16's memory and speed)."""
    a, b = Value(2.0), Value(3.0)
    was_enabled = gc.isenabled()
    gc.disable()  # no collection may untrack anything in between
    try:
        before = len(gc.get_objects())
        products = [a * b for _ in range(1000)]
        after = len(gc.get_objects())
    finally:
        if was_enabled:
            gc.enable()
    assert after - before == len(products) + 1  # the nodes, and the list holding them


def test_a_sum_node_keeps_its_terms_and_ones():
    xs = [Value(float(i)) for i in range(5)]
    total = Value.sum(xs)
    assert isinstance(total, Sum) and isinstance(total, Value)
    assert total.op == "sum" and total.inputs == tuple(xs)
    assert total.local_grads == (1.0,) * 5
    assert Sum(tuple(xs)).data == 10.0


def test_a_custom_op_has_one_or_two_inputs_each_with_a_local_grad():
    x, y = Value(2.0), Value(3.0)
    cube = Value(8.0, "", (x,), (12.0,), "cube")
    assert cube.inputs == (x,) and cube.local_grads == (12.0,) and cube.op == "cube"
    cube.backward()
    assert x.grad == 12.0
    with pytest.raises(ValueError, match="1 or 2 inputs"):
        Value(1.0, "", (x, y, x), (1.0, 1.0, 1.0), "three")
    with pytest.raises(ValueError, match="got 2 inputs and 1 local grads"):
        Value(1.0, "", (x, y), (1.0,), "f")
    with pytest.raises(ValueError, match="needs an op name"):
        Value(1.0, "", (x,), (1.0,))
    with pytest.raises(TypeError, match="inputs must be Values"):
        Value(1.0, "", (2.0,), (1.0,), "f")


def test_numbers_on_either_side_become_leaf_operands_in_order():
    x = Value(4.0)
    for out, number_first in [(2 - x, True), (x - 2, False), (3 / x, True), (x / 3, False)]:
        number, value = out.inputs if number_first else reversed(out.inputs)
        assert value is x
        assert number.is_leaf and number.data in (2.0, 3.0)
    rsub = 2 - x
    assert rsub.data == -2.0
    rsub.backward()
    assert x.grad == -1.0


def test_structure_is_read_only():
    a = Value(1.0)
    out = a + 1
    with pytest.raises(AttributeError):
        out.inputs = ()
    with pytest.raises(AttributeError):
        out.local_grads = ()
    with pytest.raises(AttributeError):
        out.op = "*"
    with pytest.raises(AttributeError):
        a.some_new_attribute = 1  # __slots__: no per-node dict


def test_data_is_stored_as_float():
    v = Value(3)
    assert type(v.data) is float and v.data == 3.0
    assert type(v.grad) is float and v.grad == 0.0
    assert type((Value(2) * 3).data) is float


def test_combining_with_a_non_number_is_a_type_error():
    with pytest.raises(TypeError):
        Value(1.0) + "2"
    with pytest.raises(TypeError):
        "2" * Value(1.0)


def test_division_value_is_the_float_quotient():
    # The value of x / y must be Python's (correctly rounded) quotient.
    for a, b in [(0.3, 0.1), (1.0, 3.0), (7.0, 0.7), (-2.5, 0.3), (1e-300, 1e-310)]:
        assert (Value(a) / Value(b)).data == a / b, (a, b)
        assert (Value(a) / b).data == a / b, (a, b)
        assert (a / Value(b)).data == a / b, (a, b)


def test_division_by_a_subnormal_is_finite():
    # 1 / 1e-310 overflows a float, but 1e-300 / 1e-310 == 1e10 does not.
    out = Value(1e-300) / Value(1e-310)
    assert math.isfinite(out.data)
    assert math.isclose(out.data, 1e10, rel_tol=1e-12)


# -- extremes ------------------------------------------------------------------------


@pytest.mark.parametrize("x", [1000.0, -1000.0, 50.0, -50.0, 1e308])
def test_tanh_saturates_exactly_without_overflow(x):
    v = Value(x)
    out = v.tanh()
    assert out.data == math.copysign(1.0, x)
    out.backward()
    assert v.grad == 0.0


@pytest.mark.parametrize("x", [1000.0, -1000.0, 745.0, -745.0, 800.0, -800.0, 1e308, -1e308])
def test_sigmoid_is_stable_for_large_inputs(x):
    v = Value(x)
    out = v.sigmoid()
    assert 0.0 <= out.data <= 1.0
    if abs(x) >= 800:  # exp(-800) underflows to 0: the sigmoid is exactly 0 or 1
        assert out.data == (1.0 if x > 0 else 0.0)
    out.backward()
    assert math.isfinite(v.grad) and v.grad >= 0.0
    if abs(x) >= 1000:
        assert v.grad == 0.0


@pytest.mark.parametrize("x", [-50.0, -30.0, -5.0, 0.0, 5.0, 30.0])
def test_sigmoid_symmetry_and_small_tail(x):
    s_pos, s_neg = Value(x).sigmoid().data, Value(-x).sigmoid().data
    assert math.isclose(s_pos + s_neg, 1.0, rel_tol=1e-15)
    if x < 0:  # sigmoid(x) ~ exp(x) for very negative x, with full relative accuracy
        assert math.isclose(s_pos, 1.0 / (1.0 + math.exp(-x)), rel_tol=1e-14)


def test_exp_at_the_edge_of_float_range():
    assert Value(709.0).exp().data == math.exp(709.0)
    v = Value(-1000.0)
    out = v.exp()
    assert out.data == 0.0
    out.backward()
    assert v.grad == 0.0


def test_relu_kink_and_sign():
    for x, want, grad in [(-1e-12, 0.0, 0.0), (0.0, 0.0, 0.0), (1e-12, 1e-12, 1.0)]:
        v = Value(x)
        out = v.relu()
        assert out.data == want
        out.backward()
        assert v.grad == grad


def test_sum_of_nothing_and_of_one():
    assert Value.sum([]).data == 0.0
    x = Value(2.5)
    one = Value.sum([x])
    assert one.data == 2.5 and one.inputs == (x,)
    one.backward()
    assert x.grad == 1.0


def test_n_ary_sum_is_one_node_builtin_sum_is_a_chain():
    xs = [Value(float(i)) for i in range(10)]
    n_ary = Value.sum(xs)
    assert n_ary.inputs == tuple(xs)
    assert n_ary.local_grads == (1.0,) * 10
    chain = sum(xs)
    assert chain.data == n_ary.data == 45.0
    depth = 0
    node = chain
    while node.inputs:
        assert node.op == "+"
        node = node.inputs[0]
        depth += 1
    assert depth == 10  # 0 + x0, then + x1 ... + x9


def test_logsumexp_local_grads_are_the_softmax():
    zs = [Value(2.0), Value(-1.0), Value(0.5)]
    out = Value.logsumexp(zs)
    exps = [math.exp(2.0), math.exp(-1.0), math.exp(0.5)]
    assert out.local_grads == pytest.approx([e / sum(exps) for e in exps], rel=1e-15)
    assert math.fsum(out.local_grads) == pytest.approx(1.0, abs=1e-15)
    assert out.inputs == tuple(zs)


def test_logsumexp_does_not_overflow_or_underflow():
    # exp(1000) overflows a float; exp(-1000) is 0: the shifted form is exact for both
    big = Value.logsumexp([Value(1000.0), Value(1000.0)])
    assert big.data == pytest.approx(1000.0 + math.log(2.0), rel=1e-15)
    assert big.local_grads == (0.5, 0.5)
    small = Value.logsumexp([Value(-1000.0), Value(-1001.0)])
    assert small.data == pytest.approx(-1000.0 + math.log1p(math.exp(-1.0)), rel=1e-15)
    one = Value.logsumexp([Value(-7.5)])
    assert (one.data, one.local_grads) == (-7.5, (1.0,))


def test_logsumexp_of_nothing_nan_and_inf():
    with pytest.raises(ValueError, match="logsumexp: needs at least one term"):
        Value.logsumexp([])
    assert math.isnan(Value.logsumexp([Value(1.0), Value(math.nan)]).data)
    top = Value.logsumexp([Value(math.inf), Value(3.0)])
    assert top.data == math.inf and top.local_grads == (1.0, 0.0)


def test_pow_at_zero():
    v = Value(0.0)
    out = v**2
    assert out.data == 0.0
    out.backward()
    assert v.grad == 0.0
    v = Value(0.0)
    out = v**0.5
    assert out.data == 0.0
    out.backward()
    assert v.grad == math.inf  # d sqrt(x)/dx at 0


def test_pow_negative_base_integer_exponent():
    for n in (2, 3, -1, -3, 2.0):
        v = Value(-1.5)
        out = v**n
        assert out.data == (-1.5) ** n
        out.backward()
        assert math.isclose(v.grad, n * (-1.5) ** (n - 1), rel_tol=1e-15)


# -- domain errors -------------------------------------------------------------------


DOMAIN_ERRORS = [
    ("log(-1)", lambda: Value(-1.5).log(), ValueError, ["log", "-1.5"]),
    ("log(0)", lambda: Value(0.0).log(), ValueError, ["log", "0.0"]),
    ("0**-1", lambda: Value(0.0) ** -1, ZeroDivisionError, ["**", "0.0", "-1"]),
    ("0**-0.5", lambda: Value(0.0) ** -0.5, ZeroDivisionError, ["**", "0.0", "-0.5"]),
    ("0**V(-1)", lambda: Value(0.0) ** Value(-1.0), ZeroDivisionError, ["**", "0.0", "-1"]),
    ("0**V(-2) number base", lambda: 0 ** Value(-2.0), ZeroDivisionError, ["**", "-2"]),
    ("(-8)**(1/3)", lambda: Value(-8.0) ** (1 / 3), ValueError, ["**", "-8.0"]),
    ("(-8)**0.5", lambda: Value(-8.0) ** 0.5, ValueError, ["**", "-8.0", "0.5"]),
    ("(-8)**V(0.5)", lambda: Value(-8.0) ** Value(0.5), ValueError, ["**", "-8.0", "0.5"]),
    ("exp(1000)", lambda: Value(1000.0).exp(), OverflowError, ["exp", "1000.0"]),
    ("exp(710)", lambda: Value(710.0).exp(), OverflowError, ["exp", "710.0"]),
    ("1e200**2", lambda: Value(1e200) ** 2, OverflowError, ["**", "1e+200"]),
    ("3.5/0", lambda: Value(3.5) / 0, ZeroDivisionError, ["/", "3.5"]),
    ("3.5/V(0)", lambda: Value(3.5) / Value(0.0), ZeroDivisionError, ["/", "3.5"]),
    ("3.5/V(-0)", lambda: Value(3.5) / Value(-0.0), ZeroDivisionError, ["/", "3.5"]),
    ("number/V(0)", lambda: 2.75 / Value(0.0), ZeroDivisionError, ["/", "2.75"]),
]


@pytest.mark.parametrize(
    ("build", "error", "words"),
    [pytest.param(b, e, w, id=i) for i, b, e, w in DOMAIN_ERRORS],
)
def test_domain_errors_name_the_op_and_the_value(build, error, words):
    with pytest.raises(error) as info:
        build()
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)


NAN = math.nan
NAN_CASES = [
    ("neg", lambda x: -x),
    ("exp", lambda x: x.exp()),
    ("log", lambda x: x.log()),
    ("tanh", lambda x: x.tanh()),
    ("relu", lambda x: x.relu()),
    ("sigmoid", lambda x: x.sigmoid()),
    ("x+1", lambda x: x + 1),
    ("1-x", lambda x: 1 - x),
    ("x*0", lambda x: x * 0),
    ("x/2", lambda x: x / 2),
    ("2/x", lambda x: 2 / x),
    ("x**2", lambda x: x**2),
    ("x**0.5", lambda x: x**0.5),
    ("x**-1", lambda x: x**-1),
    ("2**x", lambda x: 2**x),
    ("(-2)**x", lambda x: Value(-2.0) ** x),
    ("x**V(2)", lambda x: x ** Value(2.0)),
    ("sum", lambda x: Value.sum([1.0, x, 2.0])),
]


@pytest.mark.parametrize("build", [pytest.param(b, id=i) for i, b in NAN_CASES])
def test_nan_in_gives_nan_out(build):
    x = Value(NAN)
    out = build(x)
    assert math.isnan(out.data)
    out.backward()  # no exception on the way back either


def test_nan_grad_flows_back_through_tanh():
    x = Value(NAN)
    out = (x * 2).tanh()
    out.backward()
    assert math.isnan(x.grad)


# -- repr ------------------------------------------------------------------------------


def test_repr_shows_data_grad_and_label():
    w = Value(2.5, label="w1")
    text = repr(w)
    assert "2.5" in text and "grad" in text and "w1" in text
    out = w * 4
    out.backward()
    text = repr(w)
    assert "data=2.5" in text and "grad=4.0" in text and "w1" in text
    assert "data=10.0" in repr(out)
    assert "label" not in repr(out)  # label shown only when set


@pytest.mark.parametrize("exponent", ["2", None, [2], True])
def test_a_power_that_is_not_a_number_is_a_type_error(exponent):
    with pytest.raises(TypeError):
        Value(2.0) ** exponent
