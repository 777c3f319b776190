"""The gradient check in the app: one node (c) and every parameter (C)."""

from __future__ import annotations

from engine import topological_order
from nn.config import RunConfig, build_trainer
from tests.tui.conftest import idle, wait_for
from tui.gradcheck import check_all, check_value
from tui.screens.gradcheck import GradCheckScreen
from tui.static_graph import GraphSource, StaticTrainer


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


async def test_c_checks_the_selected_parameter_in_the_app(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        app.jump_to("L1.N2.w1")
        await pilot.pause()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        check = app.last_check.checks[0]
        assert check.value.label == "L1.N2.w1"
        assert check.relative_error < 1e-6
        assert "agree" in app.screen.text
        await pilot.press("escape")
        assert all(p.grad == 0.0 for p in app.session.trainer.model.parameters())


async def test_shift_c_checks_every_parameter_and_reports_the_worst(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("C")
        await wait_for(pilot, lambda: isinstance(app.screen, GradCheckScreen))
        assert len(app.last_check.checks) == 41
        assert app.last_check.max_relative_error < 1e-6
        assert app.screen.text.startswith("41 parameters checked: worst relative error")


async def test_c_on_a_computed_node_says_why_not(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await idle(pilot)
        await pilot.press("c")  # the cursor is on the loss
        await pilot.pause(0.3)
        assert not isinstance(app.screen, GradCheckScreen)
        assert any("select a parameter or an input" in n.message for n in app._notifications)
