"""Nudge a leaf by h: the output before and after, beside grad × h (the lecture's experiment)."""

from __future__ import annotations

import pytest
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.tui.core.gradient_check import NotCheckable
from mg_tui.tui.core.graphs import GraphSource, StaticTrainer
from mg_tui.tui.core.nudge import nudge

LECTURE = "e = a*b; d = e + c; f = -2.0; L = d*f"


def lecture_trainer() -> StaticTrainer:
    trainer = StaticTrainer(GraphSource.from_expression(LECTURE, {"a": 2, "b": -3, "c": 10}))
    trainer.forward()
    return trainer


def leaf(root, label):
    stack = [root]
    while stack:
        v = stack.pop()
        if v.label == label:
            return v
        stack.extend(v.inputs)
    raise KeyError(label)


def test_nudging_a_in_the_lecture_moves_L_by_grad_times_h() -> None:
    trainer = lecture_trainer()
    a = leaf(trainer.graph, "a")
    result = nudge(trainer, a, 0.001)
    # by hand: L(a) = (a*b + c) * f, b = -3, c = 10, f = -2; dL/da = b*f = 6
    assert result.before == -8.0
    assert result.after == pytest.approx(((2.001 * -3.0) + 10.0) * -2.0, abs=1e-12)
    assert result.change == pytest.approx(0.006, abs=1e-12)
    assert result.grad == 6.0 and result.predicted == pytest.approx(0.006)
    assert a.data == 2.0 and a.grad == 0.0  # nothing on screen moved


def test_a_leaf_the_program_assigns_can_be_nudged_too() -> None:
    trainer = lecture_trainer()
    result = nudge(trainer, leaf(trainer.graph, "f"), 0.01)
    assert result.grad == 4.0  # dL/df = d = 4
    assert result.change == pytest.approx(0.04, abs=1e-12)  # L is linear in f


def test_a_network_weight_nudge_matches_a_rebuilt_graph() -> None:
    trainer = build_trainer(RunConfig())
    trainer.forward()
    trainer.backward()
    w = next(p for p in trainer.model.parameters() if p.label == "L1.N1.w0")
    loss, grad, data = trainer.graph.data, w.grad, w.data
    result = nudge(trainer, w, 0.001)
    assert result.before == pytest.approx(loss, abs=1e-12)
    assert result.grad == grad
    assert (w.data, w.grad) == (data, grad)
    # independently: the trainer's own forward pass at w + h
    w.data = data + 0.001
    after = trainer.forward().data
    assert result.after == pytest.approx(after, abs=1e-12)
    assert result.change == pytest.approx(result.predicted, rel=1e-2)


def test_after_a_step_the_nudge_uses_the_weights_of_the_graph_on_screen() -> None:
    trainer = build_trainer(RunConfig())
    trainer.step()  # forward, backward, update: the graph shows the step's loss
    w = trainer.model.parameters()[0]
    result = nudge(trainer, w, 0.001)
    assert result.before == pytest.approx(trainer.graph.data, abs=1e-12)
    assert result.grad == w.grad


def test_an_input_can_be_nudged() -> None:
    trainer = build_trainer(RunConfig())
    trainer.forward()
    x = next(v for v in trainer.roles if trainer.roles[v].kind == "input")
    result = nudge(trainer, x, 0.0001)
    assert result.change == pytest.approx(result.predicted, rel=1e-2, abs=1e-9)


def test_only_leaves_can_be_nudged() -> None:
    trainer = lecture_trainer()
    with pytest.raises(NotCheckable, match="computed"):
        nudge(trainer, trainer.graph, 0.001)
