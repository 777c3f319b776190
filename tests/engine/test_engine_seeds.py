"""The numbers the seed documents quote (/work/shared/seeds/): the product must reproduce them."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value, check_gradients, numerical_derivative


def test_seed_000_square_at_three():
    # f(x) = x**2 at x = 3: f = 9, f'(3) = 6, and the numerical derivative agrees.
    x = Value(3.0, "x")
    f = x**2
    f.backward()
    assert f.data == 9.0
    assert x.grad == 6.0
    assert numerical_derivative(lambda: x**2, x) == pytest.approx(6.0, abs=1e-6)
    # The seed's own code writes x*x; same numbers.
    y = Value(3.0)
    g = y * y
    g.backward()
    assert (g.data, y.grad) == (9.0, 6.0)
    # The seed's one-sided difference with eps = 1e-6 gives about 5.99999999976.
    eps = 1e-6
    one_sided = ((Value(3.0 + eps) ** 2).data - (Value(3.0) ** 2).data) / eps
    assert one_sided == pytest.approx(6.0, abs=1e-5)


def test_seed_000_gradient_check_of_square():
    x = Value(3.0)
    report = check_gradients(lambda: x**2, [x])
    assert report.max_relative_error < 1e-8
    assert x.grad == 6.0


def test_seed_001_tanh_of_a_times_b_plus_c():
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    d = a * b
    e = d + c
    f = e.tanh()
    f.backward()
    assert d.data == -6.0 and e.data == 4.0
    assert f.data == pytest.approx(0.999329299739067, abs=1e-15)
    dfde = 0.0013409506830258655  # 1 - tanh(4)**2 = sech(4)**2
    assert e.grad == pytest.approx(dfde, rel=1e-12)
    assert a.grad == pytest.approx(-3.0 * dfde, rel=1e-12)
    assert b.grad == pytest.approx(2.0 * dfde, rel=1e-12)
    assert c.grad == pytest.approx(dfde, rel=1e-12)
    assert dfde == pytest.approx(1.0 / math.cosh(4.0) ** 2, rel=1e-12)


def test_seed_001_neuron_as_written():
    # x1, x2 = Value(1.0), Value(2.0); w1, w2 = Value(-3.0), Value(1.0); b = Value(6.88137)
    x1, x2 = Value(1.0), Value(2.0)
    w1, w2 = Value(-3.0), Value(1.0)
    b = Value(6.88137)
    z = x1 * w1 + x2 * w2 + b
    o = z.tanh()
    o.backward()
    assert z.data == pytest.approx(5.88137, abs=1e-12)
    assert o.data == pytest.approx(math.tanh(5.88137), rel=1e-15)
    dodz = 1.0 / math.cosh(5.88137) ** 2
    assert w1.grad == pytest.approx(1.0 * dodz, rel=1e-9)
    assert w2.grad == pytest.approx(2.0 * dodz, rel=1e-9)
    assert b.grad == pytest.approx(dodz, rel=1e-9)
    assert x1.grad == pytest.approx(-3.0 * dodz, rel=1e-9)
    assert x2.grad == pytest.approx(1.0 * dodz, rel=1e-9)


def lecture_neuron(use_exp: bool):
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    if use_exp:  # the lecture's second version: tanh spelled out with exp
        e = (2 * n).exp()
        o = (e - 1) / (e + 1)
    else:
        o = n.tanh()
    o.backward()
    return o, x1, x2, w1, w2, b


@pytest.mark.parametrize("use_exp", [False, True], ids=["tanh", "exp-formula"])
def test_lecture_neuron_from_seed_003(use_exp):
    # Seed 003 quotes PyTorch (float32) x1.grad = -1.5000003851533106; float64 gives -1.5.
    o, x1, x2, w1, w2, b = lecture_neuron(use_exp)
    assert o.data == pytest.approx(0.7071067811865476, abs=1e-9)
    assert x1.grad == pytest.approx(-1.5, abs=1e-6)
    assert w1.grad == pytest.approx(1.0, abs=1e-6)
    assert x2.grad == pytest.approx(0.5, abs=1e-6)
    assert w2.grad == pytest.approx(0.0, abs=1e-6)
    assert b.grad == pytest.approx(0.5, abs=1e-6)
    assert x1.grad == pytest.approx(-1.5000003851533106, abs=1e-6)


def micrograd_readme_expression(value_type):
    a = value_type(-4.0)
    b = value_type(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return a, b, g


def test_micrograd_readme_expression():
    a, b, g = micrograd_readme_expression(Value)
    assert g.data == pytest.approx(24.7041, abs=1e-4)
    assert a.grad == pytest.approx(138.8338, abs=1e-4)
    assert b.grad == pytest.approx(645.5773, abs=1e-4)


def test_micrograd_readme_expression_against_the_micrograd_package():
    from micrograd.engine import Value as MGValue

    a, b, g = micrograd_readme_expression(Value)
    ma, mb, mg = micrograd_readme_expression(MGValue)
    assert g.data == pytest.approx(mg.data, rel=1e-12)
    assert a.grad == pytest.approx(ma.grad, rel=1e-12)
    assert b.grad == pytest.approx(mb.grad, rel=1e-12)


def test_seed_003_add_example():
    # a = Value(2.0); b = Value(4.0); c = a + b -> 6.0, grads 1.0 and 1.0
    a, b = Value(2.0), Value(4.0)
    c = a + b
    c.backward()
    assert (c.data, a.grad, b.grad) == (6.0, 1.0, 1.0)
