"""m: the network drawn, each neuron once and each weight an edge; pick one, see its numbers."""

from __future__ import annotations

from mg_tui.nn import MLP
from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.components.network_view import NetworkView
from mg_tui.tui.core.model_state import ModelState
from mg_tui.tui.core.network_drawing import BRAILLE, NODE, draw
from mg_tui.tui.core.numbers import grad_string, num

from tests.tui.conftest import idle, press, wait_for

MOONS_16_16 = RunConfig(dataset="moons", samples=20, arch=(16, 16), seed=2)


def test_every_neuron_is_drawn_once_and_every_edge_joins_its_two_neurons() -> None:
    state = ModelState.of(MLP(2, [3, 2, 1], seed=4))
    drawing = draw(state, 40, 12)
    glyphs = sum(row.count(NODE) for row in drawing.chars)
    assert glyphs == 2 + 3 + 2 + 1 == len(drawing.nodes)
    assert len(drawing.edges) == 2 * 3 + 3 * 2 + 2 * 1
    for edge in drawing.edges:  # the cells right of the source and left of the target are ink
        r0, c0 = drawing.nodes[(edge.layer, edge.source)]
        r1, c1 = drawing.nodes[(edge.layer + 1, edge.neuron)]
        assert ord(drawing.chars[r0][c0 + 1]) > BRAILLE
        assert ord(drawing.chars[r1][c1 - 1]) > BRAILLE


def test_the_highlighted_edge_is_marked_along_its_length() -> None:
    state = ModelState.of(MLP(2, [3, 1], seed=4))
    drawing = draw(state, 30, 8, highlight="L1.N2.w1")
    r0, c0 = drawing.nodes[(0, 1)]
    r1, c1 = drawing.nodes[(1, 1)]
    assert (r0, c0 + 1) in drawing.highlighted and (r1, c1 - 1) in drawing.highlighted
    assert len(drawing.highlighted) >= (c1 - c0 - 1)


async def test_m_draws_2_16_16_1_whole_at_120x40_and_names_the_selected_weight() -> None:
    app = MgApp(MOONS_16_16)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, "s", "m")
        view = app.query_one(NetworkView)
        await wait_for(pilot, lambda: view.model is not None)
        await pilot.pause()
        assert view.canvas.render().plain.count(NODE) == 2 + 16 + 16 + 1
        await pilot.press("down", "down", "right_square_bracket")
        w = next(
            p for p in app.explorer.session.trainer.model.parameters() if p.label == "L1.N3.w1"
        )
        caption = view.caption.render().plain
        assert caption.startswith(f"L1.N3.w1 = {num(w.data)}  grad {grad_string(w.grad)}")
        await pilot.press("enter")
        await pilot.pause()
        assert app.explorer.tree.value_of(app.explorer.tree.cursor_node) is w
        await press(pilot, "m")
        assert app.query_one("#views").current == "chart"
        assert not app.explorer.has_class("-network")


async def test_a_network_too_tall_for_the_view_says_so() -> None:
    app = MgApp(RunConfig(dataset="moons", samples=20, arch=(32,), seed=2))
    async with app.run_test(size=(80, 24)) as pilot:
        await idle(pilot)
        await press(pilot, "m")
        view = app.query_one(NetworkView)
        await wait_for(pilot, lambda: view.model is not None)
        await pilot.pause()
        assert "2-32-1 needs 32 rows" in view.canvas.render().plain
