"""Optimizers and schedules: the arithmetic of each step, by hand."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value
from mg_tui.nn import SGD, Adam, constant, linear_decay, make_optimizer, step_decay


def param(data: float, grad: float) -> Value:
    p = Value(data, "p")
    p.grad = grad
    return p


def test_sgd_step() -> None:
    p = param(1.0, 0.5)
    opt = SGD([p], lr=0.1)
    opt.step()
    assert p.data == pytest.approx(0.95)
    assert opt.steps == 1


def test_sgd_momentum_two_steps() -> None:
    p = param(1.0, 0.5)
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # v = 0.5; p = 1 - 0.1 * 0.5
    assert p.data == pytest.approx(0.95)
    opt.step()  # v = 0.9 * 0.5 + 0.5 = 0.95; p = 0.95 - 0.095
    assert opt.velocity == pytest.approx([0.95])
    assert p.data == pytest.approx(0.855)


def test_adam_first_two_steps_by_hand() -> None:
    p = param(1.0, 0.5)
    opt = Adam([p], lr=0.1)
    opt.step()
    # m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025
    # m_hat = 0.05 / 0.1 = 0.5, v_hat = 0.00025 / 0.001 = 0.25
    assert opt.m == pytest.approx([0.05])
    assert opt.v == pytest.approx([0.00025])
    assert p.data == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), abs=1e-15)
    p.grad = -1.0
    opt.step()
    # m = 0.9 * 0.05 - 0.1 = -0.055; v = 0.999 * 0.00025 + 0.001 = 0.00124975
    # m_hat = -0.055 / (1 - 0.81) ; v_hat = 0.00124975 / (1 - 0.998001)
    m_hat = -0.055 / 0.19
    v_hat = 0.00124975 / 0.001999
    assert opt.m == pytest.approx([-0.055])
    assert opt.v == pytest.approx([0.00124975])
    expected = 1.0 - 0.1 * 0.5 / (0.5 + 1e-8) - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
    assert p.data == pytest.approx(expected, rel=1e-12)
    assert p.data == pytest.approx(0.936611, abs=1e-6)


def test_zero_grad() -> None:
    ps = [param(1.0, 3.0), param(2.0, -1.0)]
    SGD(ps).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0]


def test_schedules() -> None:
    assert constant(0.3)(0) == constant(0.3)(1000) == 0.3
    demo = linear_decay()  # lr = 1.0 - 0.9 * k / 100
    assert [demo(k) for k in (0, 40, 50, 100)] == pytest.approx([1.0, 0.64, 0.55, 0.1])
    assert demo(250) == pytest.approx(0.1)  # never goes negative after the plan
    halve = step_decay(1.0, every=10)
    assert [halve(k) for k in (0, 9, 10, 25)] == [1.0, 1.0, 0.5, 0.25]


def test_optimizer_follows_its_schedule() -> None:
    p = param(0.0, 1.0)
    opt = SGD([p], lr=linear_decay())
    assert opt.lr == 1.0
    opt.step()
    assert p.data == -1.0
    assert opt.lr == pytest.approx(0.991)


@pytest.mark.parametrize("lr", [0.0, -1.0, math.nan, math.inf])
def test_bad_learning_rates(lr: float) -> None:
    with pytest.raises(ValueError, match="learning rate"):
        SGD([], lr=lr)
    with pytest.raises(ValueError, match="learning rate"):
        SGD([]).lr = lr


def test_bad_momentum_and_schedules() -> None:
    with pytest.raises(ValueError, match="momentum"):
        SGD([], momentum=1.5)
    with pytest.raises(ValueError):
        linear_decay(steps=0)
    with pytest.raises(ValueError):
        step_decay(1.0, every=0)


def test_make_optimizer() -> None:
    ps = [param(1.0, 0.0)]
    assert isinstance(make_optimizer("sgd", ps, 0.1), SGD)
    assert make_optimizer("momentum", ps, 0.1).momentum == 0.9
    assert isinstance(make_optimizer("adam", ps, 0.1), Adam)
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        make_optimizer("rmsprop", ps, 0.1)


def test_state_dict_round_trip_and_checks() -> None:
    p = param(1.0, 0.5)
    opt = Adam([p], lr=0.1)
    opt.step()
    state = opt.state_dict()
    other = Adam([param(1.0, 0.5)], lr=0.1)
    other.load_state_dict(state)
    assert other.state_dict() == state
    state["m"].append(1.0)  # a copy: the optimizer is not affected
    assert len(opt.m) == 1
    with pytest.raises(ValueError, match="list of 1 numbers"):
        other.load_state_dict(state)
    assert other.m == opt.m  # unchanged by the refused load
    with pytest.raises(ValueError, match="steps"):
        other.load_state_dict({"steps": -1, "m": [0.0], "v": [0.0]})


def test_each_optimizer_does_what_its_explanation_says() -> None:
    """The settings form's one-line explanations (optim.EXPLAINED), two steps by hand."""
    from mg_tui.nn.optim import EXPLAINED, OPTIMIZERS

    assert set(EXPLAINED) == set(OPTIMIZERS)
    lr, g1, g2 = 0.1, 0.5, -2.0

    def two_steps(name: str) -> list[float]:
        p = param(1.0, g1)
        opt = make_optimizer(name, [p], lr)
        seen = []
        for grad in (g1, g2):
            p.grad = grad
            opt.step()
            seen.append(p.data)
        return seen

    assert EXPLAINED["sgd"] == "p -= lr·grad"
    assert two_steps("sgd") == pytest.approx([1 - lr * g1, 1 - lr * g1 - lr * g2])
    assert EXPLAINED["momentum"] == "v = 0.9·v + grad; p -= lr·v"
    v1, v2 = g1, 0.9 * g1 + g2
    assert two_steps("momentum") == pytest.approx([1 - lr * v1, 1 - lr * v1 - lr * v2])
    assert EXPLAINED["adam"] == "p -= lr·m/(√v + 1e-8); m, v: debiased averages of grad, grad²"
    m1, s1 = 0.1 * g1 / (1 - 0.9), 0.001 * g1**2 / (1 - 0.999)
    m2 = (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9**2)
    s2 = (0.999 * 0.001 * g1**2 + 0.001 * g2**2) / (1 - 0.999**2)
    p1 = 1 - lr * m1 / (math.sqrt(s1) + 1e-8)
    assert two_steps("adam") == pytest.approx([p1, p1 - lr * m2 / (math.sqrt(s2) + 1e-8)])
