"""Trainer: the three phases, their order, the stepper, history, divergence."""

from __future__ import annotations

import math

import pytest
from mg_tui.engine import topological_order
from mg_tui.nn import (
    MLP,
    SGD,
    Adam,
    PhaseError,
    StepRecord,
    Trainer,
    TrainingDiverged,
    load_dataset,
)


def make_trainer(seed: int = 0, **kwargs) -> Trainer:
    model = MLP(3, [4, 4, 1], seed=seed)
    lr = kwargs.pop("lr", 0.1)
    return Trainer(model, load_dataset("tiny"), "sse", SGD(model.parameters(), lr), **kwargs)


def test_forward_builds_the_graph_with_all_zero_grads() -> None:
    trainer = make_trainer()
    trainer.step()  # leave grads behind from a previous step
    loss = trainer.forward()
    assert loss.label == "loss" and trainer.phase == "forward"
    nodes = topological_order(loss)
    assert all(node.grad == 0.0 for node in nodes)
    params = set(trainer.model.parameters())
    assert params <= set(nodes)
    assert [p.label for p in trainer.predictions] == [f"pred[{i}]" for i in range(4)]


def test_phase_order_is_enforced() -> None:
    trainer = make_trainer()
    with pytest.raises(PhaseError, match="backward needs the forward phase"):
        trainer.backward()
    with pytest.raises(PhaseError):
        trainer.backward_steps()  # refused at once, not at the first next()
    with pytest.raises(PhaseError, match="update needs the backward phase"):
        trainer.update()
    trainer.forward()
    with pytest.raises(PhaseError):
        trainer.update()
    trainer.backward()
    with pytest.raises(PhaseError):
        trainer.backward()
    trainer.update()
    with pytest.raises(PhaseError):
        trainer.update()
    assert trainer.step_count == 1


def grads(trainer: Trainer) -> list[float]:
    return [p.grad for p in trainer.model.parameters()]


def test_backward_steps_exhausted_equals_backward() -> None:
    a, b = make_trainer(seed=4), make_trainer(seed=4)
    a.forward()
    a.backward()
    loss = b.forward()
    steps = list(b.backward_steps())
    assert b.phase == "backward"
    assert len(steps) == len(topological_order(loss))
    assert steps[0].node is loss and steps[-1].position == steps[-1].total
    assert grads(a) == grads(b)
    assert a.update() == b.update()


def test_partial_stepper_then_backward_gives_true_grads() -> None:
    a, b = make_trainer(seed=5), make_trainer(seed=5)
    a.forward()
    a.backward()
    b.forward()
    stepper = b.backward_steps()
    for _ in range(30):
        next(stepper)
    assert b.phase == "forward"
    b.backward()  # discards the partial pass instead of adding to it
    assert grads(a) == grads(b)
    restarted = make_trainer(seed=5)
    restarted.forward()
    first = restarted.backward_steps()
    next(first)
    next(first)
    list(restarted.backward_steps())
    assert grads(restarted) == grads(a)


def test_history_records_each_step() -> None:
    trainer = make_trainer()
    losses = []
    for _ in range(3):
        losses.append(trainer.forward().data)
        trainer.backward()
        trainer.update()
    assert [r.step for r in trainer.history] == [1, 2, 3]
    assert [r.loss for r in trainer.history] == losses
    assert all(r.lr == 0.1 and 0.0 <= r.accuracy <= 1.0 for r in trainer.history)
    record = trainer.step()
    assert isinstance(record, StepRecord) and record.step == 4 == trainer.step_count
    assert trainer.last_lr == 0.1
    assert set(trainer.data_before_update) == set(trainer.model.parameters())


def test_mini_batches() -> None:
    trainer = make_trainer(batch_size=2, seed=1)
    trainer.forward()
    assert len(trainer.batch) == 2 == len(trainer.predictions)
    with pytest.raises(ValueError, match="batch size"):
        make_trainer(batch_size=5)


def test_model_and_data_must_fit() -> None:
    with pytest.raises(ValueError, match="takes 2 inputs"):
        Trainer(MLP(2, [1]), load_dataset("tiny"))
    with pytest.raises(ValueError, match="unknown loss"):
        Trainer(MLP(3, [1]), load_dataset("tiny"), "hinge")


def test_predict_and_decision_grid() -> None:
    model = MLP(2, [4, 1], seed=0)
    trainer = Trainer(model, load_dataset("xor", 8), "mse")
    points = [(0.5, 0.5), (-1.0, 2.0)]
    assert trainer.predict(points) == pytest.approx([model(list(p)).data for p in points])
    grid = trainer.decision_grid(6, 3)
    assert (grid.cols, grid.rows) == (6, 3)
    assert len(grid.scores) == 3 and all(len(row) == 6 for row in grid.scores)
    with pytest.raises(ValueError, match="2-D"):
        make_trainer().decision_grid(4, 4)


# -- divergence ------------------------------------------------------------------------


def test_huge_learning_rate_diverges_without_corrupting_the_model() -> None:
    model = MLP(3, [4, 4, 1], activation="linear", seed=0)
    trainer = Trainer(model, load_dataset("tiny"), "sse", SGD(model.parameters(), 1e150))
    before = model.state_dict()
    with pytest.raises(TrainingDiverged) as caught:
        for _ in range(10):
            before = model.state_dict()
            trainer.step()
    error = caught.value
    assert str(error).startswith(f"diverged at step {error.step}: ")
    assert error.step == trainer.step_count + 1
    assert model.state_dict() == before
    assert all(math.isfinite(v) for v in model.state_dict().values())
    assert trainer.phase == "ready"


def test_poisoned_parameter_is_reported() -> None:
    trainer = make_trainer()
    trainer.step()
    trainer.model.parameters()[5].data = math.nan
    before = trainer.model.state_dict()
    with pytest.raises(TrainingDiverged, match="diverged at step 2: the loss is nan"):
        trainer.step()
    assert trainer.step_count == 1
    after = trainer.model.state_dict()
    assert after.keys() == before.keys()
    assert all(
        a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(after.values(), before.values())
    )


def test_non_finite_grad_refuses_the_update_and_keeps_optimizer_state() -> None:
    model = MLP(3, [4, 4, 1], seed=0)
    optimizer = Adam(model.parameters(), 0.05)
    trainer = Trainer(model, load_dataset("tiny"), "sse", optimizer)
    trainer.step()
    state, params = optimizer.state_dict(), model.state_dict()
    trainer.forward()
    trainer.backward()
    model.parameters()[3].grad = math.inf
    with pytest.raises(TrainingDiverged, match=r"diverged at step 2: the grad of L1\.N1\.b is inf"):
        trainer.update()
    assert optimizer.state_dict() == state and model.state_dict() == params


def test_update_that_overflows_is_rolled_back() -> None:
    model = MLP(3, [4, 4, 1], seed=0)
    optimizer = SGD(model.parameters(), 1e308, momentum=0.5)
    trainer = Trainer(model, load_dataset("tiny"), "sse", optimizer)
    params, state = model.state_dict(), optimizer.state_dict()
    with pytest.raises(TrainingDiverged, match="diverged at step 1: the update made"):
        trainer.step()
    assert model.state_dict() == params
    assert optimizer.state_dict() == state
    # Lower the rate and go on: the condition clears on the next good step.
    optimizer.lr = 0.1
    trainer.step()
    assert trainer.step_count == 1 and trainer.phase == "update"
