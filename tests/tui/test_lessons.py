"""Tests of tui.lessons: every lesson of the tour builds and reproduces the seeds' numbers.

The expected numbers are written here independently of the lessons' own seed figures,
from the seeds (000: x**2 at 3; 001: tanh(a*b + c); 003: the 41-parameter network and
PyTorch's x1.grad) and Karpathy's lecture (the tanh neuron, b = a + a).
"""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from mg_tui.engine import Value, node_count, topological_order
from mg_tui.engine.program import parse_program
from mg_tui.nn import RunConfig, build_trainer
from mg_tui.tui.core.lessons import LESSONS, MOONS, OVERFIT, TINY, Lesson, lesson
from rich.markup import render

LECTURE_KEYS = ["derivative", "numerical", "product", "lecture", "neuron", "fan-out", "network"]
BUG_LAB_KEYS = ["bug-assign", "bug-order", "bug-zero-grad", "bug-tanh", "bug-depth"]
KEYS = [*LECTURE_KEYS, "moons", *BUG_LAB_KEYS]
KEYS += ["overfitting"]  # generalisation (issue 13)
QUICK = [entry for entry in LESSONS if entry.key not in ("moons", "overfitting")]
QUICK_KEYS = [entry.key for entry in QUICK]


def facts_of(entry: Lesson) -> dict[str, float]:
    return dict(entry.facts())


def test_the_tour_has_the_lectures_sequence_then_the_bug_lab_in_order() -> None:
    assert len(LESSONS) >= 12
    assert [entry.key for entry in LESSONS] == KEYS
    for number, entry in enumerate(LESSONS, start=1):
        assert entry.title == f"{number}. {entry.heading}"  # mg-tui tour --list prints these
        assert entry.heading and not entry.heading[0].isdigit()
    assert all(LESSONS[i].title.split(". ")[1].startswith("Bug lab: ") for i in range(8, 13))
    assert lesson("neuron") is LESSONS[4]
    with pytest.raises(ValueError, match="no lesson 'nope'; the lessons are derivative"):
        lesson("nope")


@pytest.mark.parametrize("entry", LESSONS, ids=KEYS)
def test_texts_are_short_plain_and_safe_as_rich_markup(entry: Lesson) -> None:
    assert 100 < len(entry.text) < 900
    assert "[" not in entry.text and "]" not in entry.text
    assert render(entry.text).plain == entry.text


@pytest.mark.parametrize("entry", QUICK, ids=QUICK_KEYS)
def test_each_lesson_builds_a_fresh_live_graph(entry: Lesson) -> None:
    first, second = entry.build(), entry.build()
    assert isinstance(first, Value)
    assert first is not second  # exploring one never disturbs the next
    assert all(node.grad == 0.0 for node in topological_order(first))
    assert math.isfinite(first.data)
    first.backward()
    assert first.grad == 1.0


@pytest.mark.parametrize("entry", QUICK, ids=QUICK_KEYS)
def test_each_lesson_reproduces_its_seed_figures(entry: Lesson) -> None:
    assert entry.seed_figures
    assert entry.check() == []


def test_check_reports_a_figure_the_engine_misses() -> None:
    entry = lesson("derivative")
    wrong = [("f(3)", 9.5), ("df/dx (backprop)", 6.0)]
    [problem] = entry.check(wrong)
    assert "f(3) is 9.5, seed 000 says 9.0" in problem
    assert "no fact named 'f(3)'" in entry.check([("df/dx (backprop)", 6.0)])[0]


@pytest.mark.parametrize("entry", [e for e in LESSONS if e.expression], ids=lambda e: e.key)
def test_explorer_expression_gives_the_same_root(entry: Lesson) -> None:
    """`mg-tui expr` with the lesson's expression and values shows the same number."""
    root = parse_program(entry.expression).build(dict(entry.values))
    assert root.data == pytest.approx(entry.build().data, rel=1e-12)


def test_lesson_1_x_squared_at_3() -> None:
    facts = facts_of(lesson("derivative"))
    assert facts["f(3)"] == 9.0
    assert facts["df/dx (backprop)"] == 6.0
    root = lesson("derivative").build()
    assert (root.label, root.op, root.data) == ("f", "**2", 9.0)


def test_lesson_2_numerical_derivative_matches() -> None:
    facts = facts_of(lesson("numerical"))
    assert facts["forward difference, h=1e-6"] == pytest.approx(6.0, abs=1e-5)
    assert facts["central difference, h=1e-6"] == pytest.approx(6.0, abs=1e-8)
    assert facts["df/dx (backprop)"] == 6.0
    assert facts["central difference error"] < facts["forward difference error"]
    slope = lesson("numerical").build()
    assert slope.label == "slope"
    assert slope.data == pytest.approx(6.0, abs=1e-5)


def test_lesson_3_product_grads_swap() -> None:
    facts = facts_of(lesson("product"))
    assert facts["df/dx (backprop)"] == facts["y"]
    assert facts["df/dy (backprop)"] == facts["x"]
    assert facts["f"] == facts["x"] * facts["y"]


def test_lesson_4_the_lectures_graph_against_python_and_the_lecture() -> None:
    """The issue's numbers: L = -8, dL/da = 6, dL/db = -4, dL/dc = -2, dL/df = 4, and the
    nudge of a by 0.001 moves L by 0.006 within 1e-6; Python's own arithmetic for L."""
    a, b, c, f = 2.0, -3.0, 10.0, -2.0
    facts = facts_of(lesson("lecture"))
    assert facts["L"] == (a * b + c) * f == -8.0
    assert (facts["d"], facts["e"]) == (4.0, -6.0)
    expected = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0}
    for name, grad in expected.items():
        assert facts[f"dL/d{name} (engine)"] == grad, name
        assert facts[f"dL/d{name} (by hand)"] == grad, name
    assert facts["L with a nudged by 0.001"] == pytest.approx(((a + 0.001) * b + c) * f)
    assert facts["change in L"] == pytest.approx(0.006, abs=1e-6)
    assert facts["dL/da times 0.001"] == pytest.approx(0.006, abs=1e-15)


def test_lesson_4_graph_has_the_lectures_names() -> None:
    root = lesson("lecture").build()
    nodes = {node.label: node for node in topological_order(root)}
    assert set(nodes) == {"a", "b", "c", "e", "d", "f", "L"}
    assert root is nodes["L"] and root.inputs == (nodes["d"], nodes["f"])
    assert nodes["f"].is_leaf and nodes["f"].data == -2.0
    assert (nodes["e"].op, nodes["d"].op, root.op) == ("*", "+", "*")


def test_lesson_4_text_states_only_the_checked_numbers() -> None:
    text = lesson("lecture").text
    for claim in ("L = -8", "dL/dd = f = -2", "dL/df = d = 4", "dL/de = dL/dc = -2"):
        assert claim in text
    assert "dL/da = b * -2 = 6" in text and "dL/db = a * -2 = -4" in text
    assert "nudge a by 0.001 and L moves by 0.006" in text


def test_lesson_5_tanh_neuron_lecture_numbers() -> None:
    facts = facts_of(lesson("neuron"))
    assert facts["o"] == pytest.approx(0.7071, abs=1e-4)
    assert facts["do/dn (engine)"] == pytest.approx(0.5, abs=1e-12)
    assert facts["x1.grad (engine)"] == pytest.approx(-1.5, abs=1e-6)
    assert facts["x1.grad (engine)"] == pytest.approx(-1.5000003851533106, abs=1e-6)  # PyTorch
    assert facts["w1.grad (engine)"] == pytest.approx(1.0, abs=1e-6)
    assert facts["x2.grad (engine)"] == pytest.approx(0.5, abs=1e-6)
    assert facts["w2.grad (engine)"] == 0.0
    for name in ("x1", "w1", "x2", "w2", "b"):  # the hand computation agrees exactly
        assert facts[f"{name}.grad (by hand)"] == pytest.approx(facts[f"{name}.grad (engine)"])


def test_lesson_5_seed_001_example() -> None:
    facts = facts_of(lesson("neuron"))
    dtanh = 1 - math.tanh(4.0) ** 2
    assert facts["seed 001: f = tanh(a*b + c)"] == pytest.approx(math.tanh(4.0))
    assert facts["seed 001: a.grad"] == pytest.approx(-3 * dtanh)
    assert facts["seed 001: b.grad"] == pytest.approx(2 * dtanh)
    assert facts["seed 001: c.grad"] == pytest.approx(dtanh)


def test_lesson_5_graph_is_labelled_like_the_lecture() -> None:
    o = lesson("neuron").build()
    labels = {node.label for node in topological_order(o)}
    assert {"x1", "x2", "w1", "w2", "b", "n", "o"} <= labels
    assert o.op == "tanh" and o.label == "o"


def test_lesson_6_fan_out_adds_not_replaces() -> None:
    facts = facts_of(lesson("fan-out"))
    assert facts["a.grad (contributions added)"] == 2.0
    assert facts["contributions to a.grad"] == 2.0
    assert facts["a.grad if the last contribution replaced the others (wrong)"] == 1.0
    assert facts["a.grad = e*b + d"] == -3.0
    assert facts["b.grad = e*a + d"] == -8.0
    b = lesson("fan-out").build()
    [a] = set(b.inputs)
    assert b.inputs == (a, a)
    b.backward()
    assert a.grad == 2.0


def test_lesson_7_config_is_the_seeds_network() -> None:
    entry = lesson("network")
    assert entry.config is TINY
    assert isinstance(TINY, RunConfig)
    assert (TINY.dataset, TINY.arch, TINY.activation, TINY.loss, TINY.lr) == (
        "tiny",
        (4, 4),
        "tanh",
        "sse",
        0.1,
    )
    trainer = build_trainer(TINY)
    assert trainer.model.num_parameters() == 41
    assert trainer.dataset.xs == ((2, 3, -1), (3, -1, 0.5), (0.5, 1, 1), (1, 1, -1))
    assert trainer.dataset.ys == (1, -1, -1, 1)


def test_lesson_7_loss_falls_over_20_steps() -> None:
    facts = facts_of(lesson("network"))
    assert facts["parameters"] == 41
    assert [facts[f"layer {i} parameters"] for i in (1, 2, 3)] == [16, 20, 5]
    assert facts["loss at step 20"] < facts["loss at step 1"] / 2
    trainer = build_trainer(TINY)  # and step by step, as the app will run it
    losses = [trainer.step().loss for _ in range(20)]
    assert losses[0] == facts["loss at step 1"]
    assert losses[-1] < losses[0]
    assert sum(b < a for a, b in pairwise(losses)) >= 15


def test_lesson_7_graph_is_the_loss_of_a_forward_pass() -> None:
    root = lesson("network").build()
    assert root.label == "loss"
    assert root.data == pytest.approx(facts_of(lesson("network"))["loss at step 1"])


def test_lesson_8_moons_config_graph_and_training() -> None:
    entry = lesson("moons")
    assert entry.config is MOONS
    assert (MOONS.dataset, MOONS.samples, MOONS.noise) == ("moons", 100, 0.1)
    assert (MOONS.arch, MOONS.activation, MOONS.effective_output_activation) == (
        (16, 16),
        "relu",
        "linear",
    )
    assert (MOONS.loss, MOONS.l2, MOONS.optimizer, MOONS.schedule) == ("svm", 1e-4, "sgd", "linear")
    assert entry.check() == []

    root = entry.build()
    assert root.label == "loss"
    assert node_count(root) > 10_000

    trainer = build_trainer(MOONS)
    assert trainer.model.num_parameters() == 337
    assert trainer.model.architecture == "2-16-16-1"
    rates = [trainer.optimizer.lr]
    losses = []
    for _ in range(8):
        losses.append(trainer.step().loss)
        rates.append(trainer.optimizer.lr)
    assert rates[:3] == pytest.approx([1.0, 0.991, 0.982])  # nn.linear_decay()
    assert min(losses[1:]) < losses[0]
    grid = trainer.decision_grid(8, 4)  # the boundary view has something to draw
    assert (grid.cols, grid.rows) == (8, 4)


def test_lesson_7_text_claims_only_what_its_run_shows() -> None:
    """The text says the loss does not fall on every step but falls far over 20: true of
    the lesson's own run (it rose at step 2), and the count it points to is computed."""
    entry = lesson("network")
    assert "falls step after step" not in entry.text
    trainer = build_trainer(TINY)
    losses = [trainer.step().loss for _ in range(20)]
    rose = sum(b > a for a, b in pairwise(losses))
    assert rose >= 1 and losses[-1] < losses[0] / 10
    assert facts_of(entry)["steps where the loss rose"] == rose


def test_a_lesson_program_has_the_same_leaves_as_mg_tui_expr():
    """The gradient check of the whole graph checks every leaf: f = -2.0 is one."""
    from mg_tui.tui.core.graphs import GraphSource

    entry = lesson("lecture")
    from_lesson = GraphSource.from_lesson(entry)
    from_expr = GraphSource.from_expression(entry.expression, dict(entry.values))
    expected = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}
    assert dict(from_lesson.values) == dict(from_expr.values) == expected
    assert GraphSource.from_lesson(lesson("derivative")).values == (("x", 3.0),)


# -- 14. overfitting on a test split -------------------------------------------------------


def test_lesson_14_overfitting_run_shows_what_its_text_says() -> None:
    """The text's claims hold on the lesson's own run: the training loss falls all the way,
    the test loss turns up, L2 holds it down and fits the training points less closely."""
    entry = lesson("overfitting")
    assert entry.config is OVERFIT
    facts = facts_of(entry)
    assert entry.check(list(facts.items())) == []
    assert len(entry.claims) == 4
    # the text's numbers, counted here: 60 samples, 4/5 of them held out; 1-16-16-1
    assert (facts["training samples"], facts["test samples"]) == (12, 48)
    assert facts["parameters"] == (1 + 1) * 16 + (16 + 1) * 16 + (16 + 1) * 1 == 321
    for number in ("Twelve", "321", "48", "0.01"):
        assert number in entry.text


def test_lesson_14_test_loss_is_the_mean_squared_error_on_the_held_out_points() -> None:
    """The facts' test loss, recomputed here from the model's float outputs."""
    from mg_tui.tui.core.lessons import OVERFIT_STEPS

    trainer = build_trainer(OVERFIT)
    for _ in range(OVERFIT_STEPS - 1):
        trainer.step()
    test = trainer.test
    mse = sum((trainer.model.evaluate(x) - y) ** 2 for x, y in zip(test.xs, test.ys)) / len(test)
    last = trainer.step()  # its test loss is measured before its update
    assert last.test_loss == pytest.approx(mse, rel=1e-12)
    assert facts_of(lesson("overfitting"))[f"test loss at step {OVERFIT_STEPS}"] == last.test_loss


def test_lesson_14_check_catches_a_run_that_does_not_overfit() -> None:
    entry = lesson("overfitting")
    facts = facts_of(entry)
    flat = dict(facts, **{"test loss at step 150": facts["lowest test loss"]})
    problems = entry.check(list(flat.items()))
    assert any("turns up" in p for p in problems)
