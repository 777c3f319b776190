"""h: every hidden neuron's picture, computed from the model's own numbers."""

from __future__ import annotations

from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.components.neuron_view import NeuronView
from mg_tui.tui.core.model_state import ModelState
from mg_tui.tui.core.neuron_maps import neuron_maps
from mg_tui.tui.core.numbers import num

from tests.tui.conftest import idle, press, wait_for

MOONS_8 = RunConfig(dataset="moons", samples=20, arch=(8,), seed=3)


async def neuron_view(pilot) -> NeuronView:
    """Press h and wait until the view's pictures are computed."""
    await press(pilot, "h")
    view = pilot.app.query_one(NeuronView)
    await wait_for(pilot, lambda: view.maps is not None)
    return view


def test_each_picture_is_its_neuron_on_the_grid() -> None:
    from mg_tui.nn import MLP

    model = MLP(2, [3, 2, 1], seed=5)
    maps = neuron_maps(ModelState.of(model), (-1.0, 1.0, -2.0, 2.0), 4, 2)
    assert maps.names == (("L1.N1", "L1.N2", "L1.N3"), ("L2.N1", "L2.N2"))
    # cell (row 1, col 2): x = -1 + 2 * 2.5/4 = 0.25, y = 2 - 4 * 1.5/2 = -1.0
    x = [0.25, -1.0]
    first = [n.evaluate(x) for n in model.layers[0].neurons]
    second = [n.evaluate(first) for n in model.layers[1].neurons]
    assert [maps.values[0][j][1 * 4 + 2] for j in range(3)] == first
    assert [maps.values[1][j][1 * 4 + 2] for j in range(2)] == second


async def test_h_shows_every_first_layer_neuron_and_enter_opens_one() -> None:
    app = MgApp(MOONS_8)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s")
        view = await neuron_view(pilot)
        canvas = view.canvas.render().plain
        for j in range(1, 9):
            assert f"L1.N{j}" in canvas
        await pilot.press("right")
        neuron = app.explorer.session.trainer.model.layers[0].neurons[1]
        caption = view.caption.render().plain
        assert caption.startswith("L1.N2")
        w0, w1, b = (num(p.data) for p in neuron.parameters())
        assert f"w {w0} {w1}  b {b}" in caption
        await pilot.press("enter")
        await pilot.pause()
        assert app.explorer.tree.value_of(app.explorer.tree.cursor_node).label == "L1.N2"
        await press(pilot, "h")
        assert app.query_one("#views").current == "chart"
        assert app.explorer.session.neuron_size is None  # nothing computed while hidden


async def test_an_expression_says_it_has_no_neurons() -> None:
    from mg_tui.tui.core.graphs import GraphSource

    app = MgApp()
    app.explorer.start_with_graph(GraphSource.from_expression("a*b", {"a": 2, "b": 3}))
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        assert not app.explorer.check_action("neurons", ())


async def test_a_row_of_pictures_never_runs_under_the_scrollbar() -> None:
    """126 columns: 63 for the view, 2 of them the scrollbar that 2-16-16-1's pictures need."""
    app = MgApp(RunConfig(dataset="moons", samples=20, arch=(16, 16), seed=3))
    async with app.run_test(size=(126, 40)) as pilot:
        await idle(pilot)
        view = await neuron_view(pilot)
        await pilot.pause()
        assert view.max_scroll_y > 0  # the pictures scroll: a scrollbar is on show
        room = view.size.width - view.styles.scrollbar_size_vertical
        assert view.canvas.size.width == room
        lines = view.canvas.render().plain.splitlines()
        assert max(len(line) for line in lines) <= room
        per_row = room // (8 + 1)  # a picture is 8 columns, then a gap of 1
        first_row = next(line for line in lines if line.startswith("L1.N1 "))
        assert first_row.split() == [f"L1.N{j}" for j in range(1, per_row + 1)]


async def test_the_selected_neuron_is_scrolled_into_sight_with_its_weights_above() -> None:
    """At 80x24 the second layer is below the fold: selecting one of its neurons scrolls
    its picture and name on screen, and the caption (its weights) stays at the top."""
    app = MgApp(RunConfig(dataset="moons", samples=20, arch=(8, 8), seed=3))
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        view = await neuron_view(pilot)
        assert "L2.N8" not in visible_text(app)  # below the fold to begin with
        view.focus()
        while view.names[view.selected] != "L2.N8":
            await pilot.press("right")
        await pilot.pause()
        shown = visible_text(app)
        assert "L2.N8" in shown and view.scroll_offset.y > 0
        assert "L2.N8  w" in shown  # the caption names it with its weights, in sight too


def visible_text(app) -> str:
    """What the terminal shows now (the screen's lines, as a user reads them)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
