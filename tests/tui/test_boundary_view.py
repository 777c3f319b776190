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
        trainer = app.explorer.session.trainer
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


def test_k_classes_are_shaded_by_the_probability_of_the_predicted_class() -> None:
    """Each cell's probability is the softmax of the model's outputs there, computed here
    from `model.evaluate`; its colour is its class's, brighter the surer the model."""
    import math

    from mg_tui.nn.config import build_trainer
    from mg_tui.tui.components.decision_view import CLASS_BG, class_shade, render_classes

    trainer = build_trainer(RunConfig(dataset="blobs", classes=3, samples=60, seed=2))
    for _ in range(5):
        trainer.step()
    grid = trainer.decision_grid(12, 6)
    x0, x1, y0, y1 = grid.bounds
    for r, c in ((0, 0), (3, 7), (5, 11)):
        point = (x0 + (x1 - x0) * (c + 0.5) / 12, y1 - (y1 - y0) * (r + 0.5) / 6)
        out = trainer.model.evaluate(point)
        total = sum(math.exp(z) for z in out)
        softmax = [math.exp(z) / total for z in out]
        assert grid.scores[r][c] == softmax.index(max(softmax))
        assert math.isclose(grid.probabilities[r][c], max(softmax), rel_tol=1e-12)
    # the colour: the class's own at certainty, darker toward 1/K, never lighter
    assert class_shade(1, 1.0, 3) == CLASS_BG[1]

    def brightness(colour: str) -> int:
        return sum(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    shades = [brightness(class_shade(1, p, 3)) for p in (1 / 3, 0.5, 0.7, 0.9, 1.0)]
    assert shades == sorted(shades) and shades[0] < shades[-1]
    text = render_classes(grid, trainer.dataset.xs, trainer.dataset.ys, 3)
    assert len(backgrounds(text)) > 3  # more than one shade per class on this grid


def test_without_colour_k_classes_show_sureness_in_the_marks_ink() -> None:
    """NO_COLOR: a cell the model is least sure of has no mark, a sure one a bold mark."""
    from mg_tui.nn import DecisionGrid
    from mg_tui.tui.components.decision_view import CLASS_MARK, Y_AXIS, render_classes

    # three cells of class 2 (mark ':') at probabilities 0.4, 0.6 and 0.95 of K = 3
    grid = DecisionGrid(
        (0.0, 3.0, 0.0, 1.0), 3, 1, ((2.0, 2.0, 2.0),), argmax=True,
        probabilities=((0.4, 0.6, 0.95),),
    )  # fmt: skip
    text = render_classes(grid, (), (), 3, mono=True)
    row = text.plain.split("\n")[0][Y_AXIS:]
    assert row == f" {CLASS_MARK[2]}{CLASS_MARK[2]}"  # sureness 0.1, 0.4, 0.925
    bold = [s for s in text.spans if "bold" in str(s.style)]
    assert [(s.start, s.end) for s in bold] == [(Y_AXIS + 2, Y_AXIS + 3)]
