"""The optimizer's update written out: the numbers of a hand computation, to the bit."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import Value
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.nn.optim import SGD, Adam
from mg_tui.tui.core.update_working import last_update, working


def test_two_adam_steps_match_the_paper_by_hand() -> None:
    p = Value(1.0, "p")
    adam = Adam([p], lr=0.1)
    shown = []
    for g in (0.5, -0.25):
        state = adam.state_dict()
        p.grad = g
        before = p.data
        shown.append(working(adam, state, 0, g, 0.1, before))
        adam.step()
        assert shown[-1].after == p.data  # the written-out update is the update
    # Kingma and Ba, Algorithm 1, with β1 = 0.9, β2 = 0.999, ε = 1e-8, by hand:
    m1, v1 = 0.1 * 0.5, 0.001 * 0.25  # 0.05, 0.00025
    step1 = 0.1 * (m1 / 0.1) / (math.sqrt(v1 / 0.001) + 1e-8)  # 0.1 × 0.5 / 0.5 = 0.1
    m2 = 0.9 * m1 + 0.1 * -0.25  # 0.02
    v2 = 0.999 * v1 + 0.001 * 0.0625  # 0.00031225
    step2 = 0.1 * (m2 / (1 - 0.81)) / (math.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
    assert shown[0].after == pytest.approx(1.0 - step1, rel=1e-12)
    assert shown[1].after == pytest.approx(1.0 - step1 - step2, rel=1e-12)
    assert shown[0].title == "update: adam, step 1" and shown[1].title == "update: adam, step 2"
    assert shown[1].lines[0] == "m = 0.9 × m + 0.1 × grad = 0.9 × 0.05 + 0.1 × -0.25 = 0.02"


def test_momentum_and_sgd_write_their_rule() -> None:
    p = Value(2.0, "p")
    sgd = SGD([p], lr=0.5, momentum=0.9)
    p.grad = 1.0
    sgd.step()  # v = 1.0, p = 1.5
    state = sgd.state_dict()
    p.grad = 2.0
    w = working(sgd, state, 0, 2.0, 0.5, p.data)
    assert w.lines[0] == "v = 0.9 × v + grad = 0.9 × 1.0 + 2.0 = 2.9"
    assert w.after == 1.5 - 0.5 * 2.9
    plain = working(SGD([p], lr=0.1), {"steps": 0, "velocity": [0.0]}, 0, 2.0, 0.1, 1.0)
    assert plain.lines == ("data = data - lr × grad = 1.0 - 0.1 × 2.0 = 0.8",)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_after_a_training_step_every_parameter_is_written_out_exactly(optimizer) -> None:
    trainer = build_trainer(RunConfig(optimizer=optimizer))
    trainer.step()
    trainer.step()
    for p in trainer.model.parameters():
        shown = last_update(trainer, p)
        assert shown is not None and shown.after == p.data, p.label


def test_before_an_update_there_is_nothing_to_write() -> None:
    trainer = build_trainer(RunConfig())
    trainer.forward()
    assert last_update(trainer, trainer.model.parameters()[0]) is None
