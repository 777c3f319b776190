"""The gradient check in the app: one node (c) and every parameter (C)."""

from __future__ import annotations

import time

import pytest
from mg_tui.engine import Value, numerical_derivative, topological_order
from mg_tui.nn.config import RunConfig, build_trainer
from mg_tui.tui.core.gradient_check import FloatLoss, check_all, check_value, network_problem
from mg_tui.tui.core.graphs import GraphSource, StaticTrainer
from mg_tui.tui.screens.gradient_check_screen import GradCheckScreen

from tests.tui.conftest import idle, wait_for


def test_whole_tiny_network_agrees_to_1e_6_and_leaves_the_model_alone():
    trainer = build_trainer(RunConfig())
    trainer.forward()
    params = trainer.model.parameters()
    before = [(p.data, p.grad) for p in params]
    report = check_all(trainer)
    assert len(report.checks) == 41
    assert report.max_relative_error < 1e-6
    assert [(p.data, p.grad) for p in params] == before  # the live graph is untouched


def test_an_input_and_an_expression_variable():
    trainer = build_trainer(RunConfig())
    trainer.forward()
    x = next(v for v in topological_order(trainer.graph) if v.label == "x[2][1]")
    check = check_value(trainer, x)
    assert check.value is x and check.relative_error < 1e-6 and check.analytic != 0.0
    static = StaticTrainer(GraphSource.from_expression("tanh(a*b + c)", {"a": 2, "b": -3, "c": 10}))
    root = static.forward()
    a = root.inputs[0].inputs[0].inputs[0]
    result = check_value(static, a)
    assert a.label == "a" and result.relative_error < 1e-6
    assert abs(result.analytic - (-3.0) * (1 - root.data**2)) < 1e-12


FLOAT_CASES = [
    RunConfig(),
    RunConfig(activation="relu", l2=0.01),
    RunConfig(dataset="moons", samples=30, arch=(8, 8), activation="relu", loss="svm", l2=1e-4),
    RunConfig(dataset="moons", samples=30, arch=(5,), output_activation="sigmoid", loss="bce"),
    RunConfig(dataset="moons", samples=30, arch=(6, 4), activation="sigmoid", batch_size=7),
]


@pytest.mark.parametrize(
    "config", FLOAT_CASES, ids=lambda c: f"{c.dataset}-{c.activation}-{c.loss}"
)
def test_the_float_loss_is_the_graph_loss(config):
    """The numerical side's plain floats give the engine's loss, and its derivatives.

    The model is trained a few steps first so no weight or bias is at its start value.
    """
    trainer = build_trainer(config)
    for _ in range(3):
        trainer.step()
    trainer.forward()
    graph_loss = trainer.graph.data
    floats = FloatLoss(trainer)
    assert abs(floats() - graph_loss) <= 1e-12 * max(1.0, abs(graph_loss))
    problem = network_problem(trainer)
    assert problem.rebuild().data == graph_loss
    data = [p.data for p in trainer.model.parameters()]
    for p in trainer.model.parameters():
        # only the nudged neuron and what follows is recomputed: the same floats as
        # the whole forward pass, and within rounding of the graph's central difference
        whole = numerical_derivative(lambda: Value(floats()), p, 1e-6)
        assert floats.derivative(p, 1e-6) == whole
        graph = numerical_derivative(problem.rebuild, p, 1e-6)
        assert abs(whole - graph) <= 1e-8 * max(1.0, abs(graph))
    assert [p.data for p in trainer.model.parameters()] == data  # every nudge put back


def test_nudges_are_put_back_and_an_input_nudges_its_sample_only():
    trainer = build_trainer(RunConfig(dataset="moons", samples=20, arch=(4,), activation="relu"))
    trainer.forward()
    data = [p.data for p in trainer.model.parameters()]
    xs = [list(x) for x in trainer.dataset.xs]
    x = next(v for v in topological_order(trainer.graph) if v.label == "x[7][0]")
    mine = Value(x.data, x.label)
    floats = FloatLoss(trainer, {(7, 0): mine})
    graph = network_problem(trainer, {(7, 0): mine})
    expected = numerical_derivative(graph.rebuild, mine, 1e-6)
    assert abs(floats.derivative(mine, 1e-6) - expected) <= 1e-8 * max(1.0, abs(expected))
    check_all(trainer)
    assert [p.data for p in trainer.model.parameters()] == data
    assert [list(x) for x in trainer.dataset.xs] == xs and mine.data == x.data


def test_the_whole_moons_model_is_checked_in_seconds():
    """MLP 2-16-16-1 on 100 samples: 337 parameters (80 s when each nudge rebuilt the graph)."""
    trainer = build_trainer(
        RunConfig(dataset="moons", arch=(16, 16), activation="relu", loss="svm", l2=1e-4)
    )
    trainer.forward()
    start = time.perf_counter()
    report = check_all(trainer)
    elapsed = time.perf_counter() - start
    assert len(report.checks) == 337
    assert report.max_relative_error < 1e-4
    assert elapsed < 10.0  # about 0.9 s here; generous for a loaded machine


async def test_c_checks_the_selected_parameter_in_the_app(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.explorer.jump_to("L1.N2.w1")
        await pilot.pause()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        check = app.explorer.checker.last_check.checks[0]
        assert check.value.label == "L1.N2.w1"
        assert check.relative_error < 1e-6
        assert "agree" in app.screen.text
        await pilot.press("escape")
        assert all(p.grad == 0.0 for p in app.explorer.session.trainer.model.parameters())


async def test_shift_c_checks_every_parameter_and_reports_the_worst(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        assert len(app.explorer.checker.last_check.checks) == 41
        assert app.explorer.checker.last_check.max_relative_error < 1e-6
        assert app.screen.text.startswith("41 parameters checked: worst relative error")


async def test_c_on_a_computed_node_says_why_not(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("c")  # the cursor is on the loss
        await pilot.pause(0.3)
        assert not isinstance(app.screen, GradCheckScreen)
        assert any("select a parameter or an input" in n.message for n in app._notifications)


def test_after_a_step_the_check_uses_the_graph_on_screen_and_its_weights():
    """After `s` the panel shows the step's graph, built at the weights before its update:
    the check's backprop side is that graph's grad and its numerical side is taken there."""
    trainer = build_trainer(RunConfig())
    trainer.step()
    w = next(p for p in trainer.model.parameters() if p.label == "L1.N1.w0")
    shown, updated = w.grad, w.data
    built_with = trainer.data_before_update[w]
    assert updated != built_with
    result = check_value(trainer, w)
    assert result.analytic == shown  # the number the panel shows
    assert result.relative_error < 1e-6  # and the central difference at those weights agrees
    assert (w.data, w.grad) == (updated, shown)  # the model is left as it was
    # the same check at the updated weights would be a different number altogether
    fresh = build_trainer(RunConfig())
    fresh.step()
    fresh.forward()
    w2 = next(p for p in fresh.model.parameters() if p.label == "L1.N1.w0")
    assert abs(check_value(fresh, w2).analytic - shown) > 1e-3


async def test_c_after_s_shows_the_panels_grad_and_names_the_weights(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("s")
        await idle(pilot)
        app.explorer.jump_to("L1.N1.w0")
        await pilot.pause()
        shown = app.explorer.tree.value_of(app.explorer.tree.cursor_node).grad
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        assert app.explorer.checker.last_check.checks[0].analytic == shown
        assert app.screen.checked.startswith("step 1's graph, at the weights it was built with")
