"""The decision boundary: confidence in many shades, the model's own mistakes marked."""

from __future__ import annotations

from mg_tui.nn.config import RunConfig
from mg_tui.tui.app import MgApp
from mg_tui.tui.components.decision_view import DecisionView, confidence, render_grid

from tests.tui.conftest import idle, press, wait_for

MOONS = RunConfig(dataset="moons", samples=60, arch=(8, 8), seed=1, lr=0.2)


def backgrounds(text) -> set[str]:
    from rich.style import Style

    colours = set()
    for span in text.spans:
        style = Style.parse(span.style) if isinstance(span.style, str) else span.style
        if style.bgcolor is not None:
            colours.add(style.bgcolor.name)
    return colours


async def test_after_five_steps_the_boundary_has_sixteen_shades_and_true_marks() -> None:
    app = MgApp(MOONS)
    async with app.run_test(size=(120, 40)) as pilot:
        await idle(pilot)
        await press(pilot, *"sssss", "v")
        view = app.query_one(DecisionView)
        await wait_for(pilot, lambda: view.grid is not None)
        grid = view.grid
        assert (grid.cols, grid.rows) == view.grid_size()
        assert grid.rows >= 14  # it takes the room the node panel gives up
        trainer = app.session.trainer
        text = render_grid(grid, trainer.dataset.xs, trainer.dataset.ys, trainer.threshold)
        assert len(backgrounds(text)) >= 16
        # every sample the model gets wrong, by its own score there, is drawn as ✕
        wrong = sum(
            (trainer.model.evaluate(x) > trainer.threshold) != (y > 0)
            for x, y in zip(trainer.dataset.xs, trainer.dataset.ys)
        )
        drawn = text.plain.count("✕")
        assert 0 < drawn <= wrong  # two points can share a cell
        assert "decision boundary" in view.caption.render().plain


def test_confidence_reads_each_output_kind() -> None:
    assert confidence(0.3, 0.0, "tanh") == 0.3
    assert confidence(0.9, 0.5, "sigmoid") == 0.8
    assert confidence(-4.0, 0.0, "linear") == -1.0  # past the svm margin: sure
    assert confidence(float("nan"), 0.0, "tanh") == 0.0


def test_the_axes_carry_round_ticks() -> None:
    from mg_tui.nn import DecisionGrid

    grid = DecisionGrid((-2.0, 2.0, -1.0, 1.0), 40, 12, tuple((0.0,) * 40 for _ in range(12)))
    lines = render_grid(grid, [], [], 0.0).plain.splitlines()
    assert lines[-1].split() == ["-2", "-1", "0", "1", "2"]
    labelled = [line[:6].strip() for line in lines[:-1] if "┤" in line[:6]]
    assert labelled == ["1.0", "0.5", "0.0", "-0.5", "-1.0"][: len(labelled)] or labelled


def test_without_colour_the_shade_is_drawn_in_glyphs() -> None:
    from mg_tui.nn import DecisionGrid

    grid = DecisionGrid((0.0, 1.0, 0.0, 1.0), 3, 2, ((-1.0, 0.0, 1.0), (-0.3, 0.0, 0.3)))
    rows = render_grid(grid, [], [], 0.0, mono=True).plain.splitlines()
    from mg_tui.tui.components.ramp import NEGATIVE_GLYPHS, POSITIVE_GLYPHS

    # -1 and 1: the most ink (a dot, a block); ±0.3: less of the same kind; 0: none
    assert rows[0][6:] == "● █"
    assert rows[1][6] in NEGATIVE_GLYPHS[:-1] and rows[1][8] in POSITIVE_GLYPHS[:-1]
    assert rows[1][7] == " "
