"""The panel explains more than the chain rule: why a grad is small, how the update moved it."""

from __future__ import annotations

from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.core.graphs import GraphSource
from mg_tui.tui.core.numbers import num

from tests.tui.conftest import idle, press
from tests.tui.test_nudge_ui import path_to


async def test_a_dead_relu_is_named_on_the_input_whose_grad_it_stopped() -> None:
    app = MgApp()
    app.explorer.start_with_graph(
        GraphSource.from_expression("relu(a*b) + c", {"a": -1, "b": 2, "c": 1})
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "b")
        app.explorer.tree.expand_path(path_to(app.explorer.snapshot.root, lambda v: v.label == "a"))
        await pilot.pause()
        text = app.explorer.panel.text
        assert "grad ·0.0" in text
        assert "why so small:" in text and "dead ReLU: its input -2.0 is ≤ 0" in text


async def test_after_two_adam_steps_the_panel_writes_the_update_out() -> None:
    app = MgApp(RunConfig(optimizer="adam", lr=0.05))
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "s")
        w = next(
            p for p in app.explorer.session.trainer.model.parameters() if p.label == "L1.N1.w0"
        )
        app.explorer.tree.expand_path(path_to(app.explorer.snapshot.root, lambda v: v is w))
        await pilot.pause()
        text = app.explorer.panel.text
        assert "update: adam, step 2" in text
        before = app.explorer.snapshot.before_update[w]
        # the last line ends on the parameter's data now, to the digits shown
        assert f"data = {num(before)} - " in text and text.rstrip().count(f"= {num(w.data)}") >= 1
