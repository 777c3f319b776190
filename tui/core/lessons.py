"""The guided tour: the seeds' lessons as data, each with a live graph and its numbers.

Pure data and graph builders, no Textual: the app shows `text`, explores `build()`'s
graph like a network's (tree, panel, backward node by node), trains `config` for the
training lessons, and prints `facts()` beside `seed_figures`.

The facts are computed by the engine every time (forward passes, backward passes,
finite differences, training steps), never copied from the seeds, so a lesson shows the
seeds' numbers only while the engine really reproduces them; `Lesson.check()` compares
the two, and the tests run it.

Lesson texts are plain text that is also safe as Rich markup (no square brackets).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import NamedTuple

from mg_tui.engine import Value, backward_steps, numerical_derivative, topological_order
from mg_tui.engine.expression import parse_expression
from mg_tui.engine.program import parse_program
from mg_tui.nn import RunConfig, build_trainer
from mg_tui.tui.core import bug_lab

Fact = tuple[str, float | str]
"""A named number the lesson computes, such as ("df/dx (backprop)", 6.0); or, where a
run shows text, that text, computed too: the order rules ran in, a loss sequence, the
error a buggy version raises ("OverflowError: math range error")."""


class SeedFigure(NamedTuple):
    """A number a seed document states, to compare with the fact of the same name."""

    name: str
    value: float
    tolerance: float
    source: str


class Claim(NamedTuple):
    """Something a lesson's text says about its run, as a test of the facts it computes."""

    says: str
    holds: Callable[[dict[str, float]], bool]


@dataclass(frozen=True)
class Lesson:
    """One stop of the tour: a short text, a live graph, and the numbers it must show."""

    key: str
    title: str
    text: str
    make_graph: Callable[[], Value] = field(repr=False, compare=False)
    make_facts: Callable[[], list[Fact]] = field(repr=False, compare=False)
    seed_figures: tuple[SeedFigure, ...] = ()
    # For the training lessons: the run the app trains (nn.build_trainer(config)).
    config: RunConfig | None = None
    # The same graph in the expression explorer's terms, where one exists:
    # `mg-tui expr EXPRESSION name=value ...`.
    expression: str | None = None
    values: tuple[tuple[str, float], ...] = ()
    # What the text says about the run that is not one number (a curve turning up).
    claims: tuple[Claim, ...] = ()

    @property
    def heading(self) -> str:
        """The title without its number: "The derivative of x**2 at 3"."""
        return self.title.partition(". ")[2]

    def build(self) -> Value:
        """A fresh graph to explore; its root is the lesson's output (forward done).

        For a training lesson, the loss graph of one forward pass of a fresh model
        (moons: about 38,000 nodes, a tenth of a second, plus the data set's first
        load, which imports scikit-learn): run it off the UI thread.
        """
        return self.make_graph()

    def facts(self) -> list[Fact]:
        """The lesson's numbers, computed now by the engine (and nn, for training)."""
        return self.make_facts()

    def check(self, facts: list[Fact] | None = None) -> list[str]:
        """Each seed figure the facts fail to reproduce, as a line; [] when all agree."""
        computed = dict(self.facts() if facts is None else facts)
        problems = []
        for figure in self.seed_figures:
            if figure.name not in computed:
                problems.append(f"{self.key}: no fact named {figure.name!r}")
            elif isinstance(computed[figure.name], str):
                problems.append(
                    f"{self.key}: {figure.name} is {computed[figure.name]!r}, not a number"
                )
            elif not abs(computed[figure.name] - figure.value) <= figure.tolerance:
                problems.append(
                    f"{self.key}: {figure.name} is {computed[figure.name]!r}, "
                    f"{figure.source} says {figure.value!r} (tolerance {figure.tolerance:g})"
                )
        for claim in self.claims:
            if not claim.holds(computed):
                problems.append(f"{self.key}: the text says {claim.says!r}, the run does not")
        return problems


# -- 1. f(x) = x**2 ------------------------------------------------------------------


def _square() -> Value:
    f = parse_expression("x**2").build({"x": 3.0})
    f.label = "f"
    return f


def _square_facts() -> list[Fact]:
    x = Value(3.0, "x")
    f = parse_expression("x**2").build({"x": x})
    f.backward()
    return [("f(3)", f.data), ("df/dx (backprop)", x.grad), ("2x (by hand)", 2 * x.data)]


# -- 2. the numerical derivative ----------------------------------------------------------

H = 1e-6


def _slope() -> Value:
    """(f(x+h) - f(x)) / h as a graph: the numerical derivative is a computation too."""
    x, h = Value(3.0, "x"), Value(H, "h")
    f_xh = (x + h) ** 2
    f_xh.label = "f(x+h)"
    f_x = x**2
    f_x.label = "f(x)"
    slope = (f_xh - f_x) / h
    slope.label = "slope"
    return slope


def _slope_facts() -> list[Fact]:
    x = Value(3.0, "x")

    def f() -> Value:
        return x**2

    here = f().data
    x.data = 3.0 + H
    forward = (f().data - here) / H
    x.data = 3.0
    central = numerical_derivative(f, x, eps=H)
    out = f()
    out.backward()
    return [
        ("f(3)", here),
        ("forward difference, h=1e-6", forward),
        ("central difference, h=1e-6", central),
        ("df/dx (backprop)", x.grad),
        ("forward difference error", abs(forward - x.grad)),
        ("central difference error", abs(central - x.grad)),
    ]


# -- 3. f(x, y) = x * y ------------------------------------------------------------------


def _product() -> Value:
    f = parse_expression("x*y").build({"x": 3.0, "y": -2.0})
    f.label = "f"
    return f


def _product_facts() -> list[Fact]:
    x, y = Value(3.0, "x"), Value(-2.0, "y")
    f = parse_expression("x*y").build({"x": x, "y": y})
    f.backward()
    return [
        ("f", f.data),
        ("df/dx (backprop)", x.grad),
        ("y", y.data),
        ("df/dy (backprop)", y.grad),
        ("x", x.data),
    ]


# -- 4. the lecture's graph, named as the lecture names it -----------------------------------

LECTURE = "e = a*b; d = e + c; f = -2.0; L = d*f"
LECTURE_VALUES = {"a": 2.0, "b": -3.0, "c": 10.0}
NUDGE = 0.001


def _lecture() -> Value:
    return parse_program(LECTURE).build(LECTURE_VALUES)


def _lecture_facts() -> list[Fact]:
    leaves = {name: Value(value, name) for name, value in LECTURE_VALUES.items()}
    root = parse_program(LECTURE).build(leaves)
    node = {n.label: n for n in topological_order(root)}
    a, b, d, f = node["a"].data, node["b"].data, node["d"].data, node["f"].data
    # By hand, from the top, with the forward pass's numbers only.
    by_hand = {"d": f, "f": d, "e": f, "c": f, "a": f * b, "b": f * a}
    root.backward()
    facts: list[Fact] = [("L", root.data), ("d", d), ("e", node["e"].data)]
    for name, grad in by_hand.items():
        facts.append((f"dL/d{name} (by hand)", grad))
        facts.append((f"dL/d{name} (engine)", node[name].grad))
    nudged = parse_program(LECTURE).build({**LECTURE_VALUES, "a": a + NUDGE}).data
    facts += [
        ("L with a nudged by 0.001", nudged),
        ("change in L", nudged - root.data),
        ("dL/da times 0.001", node["a"].grad * NUDGE),
    ]
    return facts


# -- 5. the tanh neuron --------------------------------------------------------------------

NEURON = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


def _neuron() -> Value:
    """Karpathy's lecture neuron, labelled as in the lecture: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(NEURON["x1"], "x1"), Value(NEURON["x2"], "x2")
    w1, w2 = Value(NEURON["w1"], "w1"), Value(NEURON["w2"], "w2")
    b = Value(NEURON["b"], "b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    total = x1w1 + x2w2
    total.label = "x1*w1 + x2*w2"
    n = total + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def _leaves(root: Value) -> dict[str, Value]:
    found: dict[str, Value] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_leaf and node.label:
            found[node.label] = node
        stack.extend(node.inputs)
    return found


def _neuron_facts() -> list[Fact]:
    o = _neuron()
    n = o.inputs[0]
    leaf = _leaves(o)
    # By hand: the chain rule written out, from the forward pass's numbers only.
    do_dn = 1.0 - o.data**2
    by_hand = {
        "x1": leaf["w1"].data * do_dn,
        "w1": leaf["x1"].data * do_dn,
        "x2": leaf["w2"].data * do_dn,
        "w2": leaf["x2"].data * do_dn,
        "b": do_dn,
    }
    o.backward()
    facts: list[Fact] = [("n", n.data), ("o", o.data), ("do/dn (by hand: 1 - o**2)", do_dn)]
    facts.append(("do/dn (engine)", n.grad))
    for name in ("x1", "w1", "x2", "w2", "b"):
        facts.append((f"{name}.grad (by hand)", by_hand[name]))
        facts.append((f"{name}.grad (engine)", leaf[name].grad))

    # Seed 001's first example, through the expression explorer's parser.
    values = {name: Value(v, name) for name, v in SEED_001.items()}
    f = parse_expression(SEED_001_EXPRESSION).build(values)
    f.backward()
    facts.append(("seed 001: f = tanh(a*b + c)", f.data))
    facts.extend((f"seed 001: {name}.grad", values[name].grad) for name in SEED_001)
    dtanh = 1.0 - f.data**2
    facts.append(("seed 001: a.grad (by hand: b * (1 - f**2))", SEED_001["b"] * dtanh))
    return facts


SEED_001 = {"a": 2.0, "b": -3.0, "c": 10.0}
SEED_001_EXPRESSION = "tanh(a*b + c)"


# -- 6. fan-out and gradient accumulation ---------------------------------------------------


def _fan_out() -> Value:
    b = parse_expression("a + a").build({"a": 3.0})
    b.label = "b"
    return b


def _fan_out_facts() -> list[Fact]:
    a = Value(3.0, "a")
    b = parse_expression("a + a").build({"a": a})
    steps = list(backward_steps(b))  # the stepper applies the same rule as backward()
    contributions = [c.amount for step in steps for c in step.contributions if c.input is a]
    facts: list[Fact] = [
        ("b", b.data),
        ("a.grad (contributions added)", a.grad),
        ("contributions to a.grad", float(len(contributions))),
        ("a.grad if the last contribution replaced the others (wrong)", contributions[-1]),
    ]
    # The lecture's second example: a is used twice, in d = a*b and in e = a+b.
    leaves = {"a": Value(-2.0, "a"), "b": Value(3.0, "b")}
    f = parse_expression("(a*b) * (a+b)").build(leaves)
    f.backward()
    facts += [
        ("f = (a*b)*(a+b) at a=-2, b=3", f.data),
        ("a.grad = e*b + d", leaves["a"].grad),
        ("b.grad = e*a + d", leaves["b"].grad),
    ]
    return facts


# -- 7. the 41-parameter network -------------------------------------------------------------

TINY = RunConfig(dataset="tiny", arch=(4, 4), activation="tanh", loss="sse", lr=0.1)
TINY_STEPS = 20


def _tiny_graph() -> Value:
    return build_trainer(TINY).forward()


def _tiny_facts() -> list[Fact]:
    trainer = build_trainer(TINY)
    layers = trainer.model.layers
    facts: list[Fact] = [("parameters", float(trainer.model.num_parameters()))]
    for i, layer in enumerate(layers, start=1):
        facts.append((f"layer {i} parameters", float(len(layer.parameters()))))
    facts.append(("samples", float(len(trainer.dataset))))
    history = [trainer.step() for _ in range(TINY_STEPS)]
    facts += [
        ("loss at step 1", history[0].loss),
        (f"loss at step {TINY_STEPS}", history[-1].loss),
        (f"accuracy at step {TINY_STEPS}", history[-1].accuracy),
        (
            "steps where the loss rose",
            float(sum(b.loss > a.loss for a, b in pairwise(history))),
        ),
    ]
    return facts


# -- 8. moons and its decision boundary ----------------------------------------------------

MOONS = RunConfig(
    dataset="moons",
    samples=100,
    noise=0.1,
    arch=(16, 16),
    activation="relu",
    output_activation="linear",
    loss="svm",
    l2=1e-4,
    optimizer="sgd",
    lr=1.0,
    schedule="linear",  # nn.linear_decay(): 1.0 down to 0.1 over 100 steps
    decay_steps=100,
)


def _moons_graph() -> Value:
    return build_trainer(MOONS).forward()


def _moons_facts() -> list[Fact]:
    """One forward pass only: a moons step takes a tenth of a second; the app trains."""
    trainer = build_trainer(MOONS)
    loss = trainer.forward()
    schedule = trainer.optimizer.schedule
    return [
        ("parameters", float(trainer.model.num_parameters())),
        ("samples", float(len(trainer.dataset))),
        ("features", float(trainer.dataset.n_features)),
        ("loss before training", loss.data),
        ("lr at step 1", schedule(0)),
        ("lr at step 100", schedule(99)),
    ]


# -- generalisation: overfitting on a test split (issue 13) ---------------------------------

OVERFIT = RunConfig(
    dataset="sine",
    samples=60,
    noise=0.3,
    test_fraction=0.8,  # 12 points to train on, 48 held out
    arch=(16, 16),
    optimizer="adam",
    lr=0.02,
)
OVERFIT_STEPS = 150
OVERFIT_L2 = 0.01


def _overfit_graph() -> Value:
    return build_trainer(OVERFIT).forward()


def _overfit_facts() -> list[Fact]:
    """Both runs, without and with L2, trained OVERFIT_STEPS steps: their curves' numbers."""
    trainer = build_trainer(OVERFIT)
    facts: list[Fact] = [
        ("parameters", float(trainer.model.num_parameters())),
        ("training samples", float(len(trainer.dataset))),
        ("test samples", float(len(trainer.test))),
    ]
    for l2, prefix in ((0.0, ""), (OVERFIT_L2, f"with L2 {OVERFIT_L2:g}: ")):
        run = build_trainer(OVERFIT.changed(l2=l2))
        history = [run.step() for _ in range(OVERFIT_STEPS)]
        tests = [r.test_loss for r in history]
        lowest = min(range(OVERFIT_STEPS), key=tests.__getitem__)
        half = OVERFIT_STEPS // 2
        facts += [
            (f"{prefix}training loss at step 1", history[0].loss),
            (f"{prefix}training loss at step {half}", history[half - 1].loss),
            (f"{prefix}training loss at step {OVERFIT_STEPS}", history[-1].loss),
            (
                f"{prefix}training data loss after step {OVERFIT_STEPS}",
                run.measure(run.dataset, penalty=False).loss,
            ),
            (f"{prefix}lowest test loss", tests[lowest]),
            (f"{prefix}step of the lowest test loss", float(lowest + 1)),
            (f"{prefix}test loss at step {OVERFIT_STEPS}", tests[-1]),
            (f"{prefix}test loss rise after its lowest", tests[-1] - tests[lowest]),
        ]
    return facts


def _falls_all_the_way(f: dict[str, float]) -> bool:
    n, half = OVERFIT_STEPS, OVERFIT_STEPS // 2
    return (
        f[f"training loss at step {n}"]
        < f[f"training loss at step {half}"]
        < f["training loss at step 1"]
    )


def _turns_up(f: dict[str, float]) -> bool:
    early = f["step of the lowest test loss"] <= OVERFIT_STEPS / 3
    return early and f[f"test loss at step {OVERFIT_STEPS}"] >= 1.5 * f["lowest test loss"]


def _l2_holds_it_down(f: dict[str, float]) -> bool:
    with_l2 = f"with L2 {OVERFIT_L2:g}: "
    end = f"test loss at step {OVERFIT_STEPS}"
    rise = "test loss rise after its lowest"
    return f[with_l2 + end] < f[end] and f[with_l2 + rise] < f[rise] / 3


def _l2_fits_less_closely(f: dict[str, float]) -> bool:
    data = f"training data loss after step {OVERFIT_STEPS}"
    return f[f"with L2 {OVERFIT_L2:g}: {data}"] > f[data]


OVERFITTING = Lesson(
    key="overfitting",
    title="14. Overfitting: the test loss turns up",
    text=(
        "Twelve noisy points of sin(x) to train on, and a 1-16-16-1 network with 321 "
        "parameters: far more than the points need. Another 48 points are held out as a "
        "test set, never trained on. Train (space): the training loss falls all the way, but "
        "the test loss stops falling after a few steps and turns up. The network bends to "
        "fit each point's noise and predicts the points between them worse: it overfits. "
        "Now press o, set the L2 penalty to 0.01 and apply: the penalty keeps the weights "
        "small and the curve smooth, the training points are fitted less closely, and the "
        "test loss rises far less. The facts give both runs' numbers."
    ),
    make_graph=_overfit_graph,
    make_facts=_overfit_facts,
    seed_figures=(
        SeedFigure("parameters", 321.0, 0.0, "this lesson's text"),
        SeedFigure("training samples", 12.0, 0.0, "this lesson's text"),
        SeedFigure("test samples", 48.0, 0.0, "this lesson's text"),
    ),
    config=OVERFIT,
    claims=(
        Claim("the training loss falls all the way", _falls_all_the_way),
        Claim("the test loss stops falling after a few steps and turns up", _turns_up),
        Claim("with L2 0.01 the test loss rises far less", _l2_holds_it_down),
        Claim("with L2 the training points are fitted less closely", _l2_fits_less_closely),
    ),
)


# -- the tour --------------------------------------------------------------------------------

LESSONS: tuple[Lesson, ...] = (
    Lesson(
        key="derivative",
        title="1. The derivative of x**2 at 3",
        text=(
            "f(x) = x**2. At x = 3 the value is 9 and the slope, 2x, is 6: nudge x by a tiny "
            "amount and f moves 6 times as much. That slope is what a gradient means. Run "
            "backward and the engine finds the same 6 in x.grad, from the local derivative "
            "the ** node stored during the forward pass."
        ),
        make_graph=_square,
        make_facts=_square_facts,
        seed_figures=(
            SeedFigure("f(3)", 9.0, 0.0, "seed 000"),
            SeedFigure("df/dx (backprop)", 6.0, 0.0, "seed 000"),
        ),
        expression="x**2",
        values=(("x", 3.0),),
    ),
    Lesson(
        key="numerical",
        title="2. The numerical derivative agrees",
        text=(
            "Check the slope without calculus: (f(3 + h) - f(3)) / h with h = 1e-6 is "
            "about 6, as backprop said. The central difference (f(3 + h) - f(3 - h)) / 2h "
            "is closer still: its error shrinks with h squared. The graph here is that "
            "computation itself. Micrograd never differentiates this way, it is far too "
            "slow for a network, but it is how we check that backprop is right."
        ),
        make_graph=_slope,
        make_facts=_slope_facts,
        seed_figures=(
            SeedFigure("f(3)", 9.0, 0.0, "seed 000"),
            SeedFigure("df/dx (backprop)", 6.0, 0.0, "seed 000"),
            SeedFigure("forward difference, h=1e-6", 5.99999999976, 1e-5, "seed 000"),
            SeedFigure("central difference, h=1e-6", 6.0, 1e-8, "seed 000"),
        ),
        expression="((x + h)**2 - x**2) / h",
        values=(("x", 3.0), ("h", H)),
    ),
    Lesson(
        key="product",
        title="3. Two inputs: f(x, y) = x * y",
        text=(
            "With two inputs each one gets its own derivative. For a product they swap: "
            "df/dx is y and df/dy is x. The * node stores exactly that pair, (y, x), as its "
            "local derivatives, and backward multiplies each by the grad arriving from above."
        ),
        make_graph=_product,
        make_facts=_product_facts,
        seed_figures=(
            SeedFigure("df/dx (backprop)", -2.0, 0.0, "seed 004: dz/dx = y"),
            SeedFigure("df/dy (backprop)", 3.0, 0.0, "seed 004: dz/dy = x"),
        ),
        expression="x*y",
        values=(("x", 3.0), ("y", -2.0)),
    ),
    Lesson(
        key="lecture",
        title="4. The lecture's graph: L = d*f, by hand",
        text=(
            "The lecture's first graph, in its own names: a = 2, b = -3, c = 10, e = a*b, "
            "d = e + c, f = -2 and L = d*f, so L = -8. Backprop by hand from the top: L = d*f "
            "gives dL/dd = f = -2 and dL/df = d = 4; each + node passes its grad on unchanged, "
            "so dL/de = dL/dc = -2; e = a*b gives dL/da = b * -2 = 6 and dL/db = a * -2 = -4. "
            "Then the lecture's check: nudge a by 0.001 and L moves by 0.006, dL/da times the "
            "nudge. The same program runs as mg-tui expr with a=2 b=-3 c=10."
        ),
        make_graph=_lecture,
        make_facts=_lecture_facts,
        seed_figures=(
            SeedFigure("L", -8.0, 0.0, "the lecture"),
            SeedFigure("dL/dd (engine)", -2.0, 0.0, "the lecture"),
            SeedFigure("dL/df (engine)", 4.0, 0.0, "the lecture"),
            SeedFigure("dL/de (engine)", -2.0, 0.0, "the lecture"),
            SeedFigure("dL/dc (engine)", -2.0, 0.0, "the lecture"),
            SeedFigure("dL/da (engine)", 6.0, 0.0, "the lecture"),
            SeedFigure("dL/db (engine)", -4.0, 0.0, "the lecture"),
            SeedFigure("change in L", 0.006, 1e-6, "the lecture"),
        ),
        expression=LECTURE,
        values=tuple(LECTURE_VALUES.items()),
    ),
    Lesson(
        key="neuron",
        title="5. A tanh neuron, by hand and by the engine",
        text=(
            "The lecture's neuron: inputs x1 = 2, x2 = 0, weights w1 = -3, w2 = 1, bias "
            "b = 6.8813735870195432, n = x1*w1 + x2*w2 + b and o = tanh(n) = 0.7071. By hand: "
            "do/dn = 1 - o**2 = 0.5; the + nodes pass 0.5 on unchanged; each * node swaps "
            "its inputs, so x1.grad = w1 * 0.5 = -1.5 and w1.grad = x1 * 0.5 = 1.0, while "
            "w2.grad is 0 because x2 is 0. Step backward node by node and watch the engine "
            "add the same numbers. PyTorch, in float32, prints -1.5000003851533106 for x1. "
            "Seed 001's example, tanh(a*b + c) at a = 2, b = -3, c = 10, is in the facts too."
        ),
        make_graph=_neuron,
        make_facts=_neuron_facts,
        seed_figures=(
            SeedFigure("o", 0.7071, 1e-4, "the lecture"),
            SeedFigure("do/dn (engine)", 0.5, 1e-9, "the lecture"),
            SeedFigure("x1.grad (engine)", -1.5000003851533106, 1e-6, "seed 003 (PyTorch)"),
            SeedFigure("w1.grad (engine)", 1.0, 1e-9, "the lecture"),
            SeedFigure("x2.grad (engine)", 0.5, 1e-9, "the lecture"),
            SeedFigure("w2.grad (engine)", 0.0, 1e-12, "the lecture"),
        ),
        expression="tanh(x1*w1 + x2*w2 + b)",
        values=tuple(NEURON.items()),
    ),
    Lesson(
        key="fan-out",
        title="6. Fan-out: gradients add up",
        text=(
            "b = a + a uses a twice, so a receives two contributions of 1 and a.grad is 2. "
            "If the second contribution replaced the first, a.grad would be 1, which is "
            "wrong: a value used several times collects the sum of what every use sends "
            "back. Add, not replace. That is why grads start at 0 before each backward pass."
        ),
        make_graph=_fan_out,
        make_facts=_fan_out_facts,
        seed_figures=(
            SeedFigure("a.grad (contributions added)", 2.0, 0.0, "seed 000"),
            SeedFigure("b", 6.0, 0.0, "b = a + a at a = 3"),
            SeedFigure("a.grad = e*b + d", -3.0, 1e-12, "the lecture"),
            SeedFigure("b.grad = e*a + d", -8.0, 1e-12, "the lecture"),
        ),
        expression="a + a",
        values=(("a", 3.0),),
    ),
    Lesson(
        key="network",
        title="7. A 41-parameter network learns four samples",
        text=(
            "An MLP with 3 inputs, two hidden layers of 4 tanh neurons and one output: "
            "16 + 20 + 5 = 41 parameters. Four samples, targets 1, -1, -1, 1, and the loss "
            "is the sum of squared errors. Each step runs forward, backward, then moves "
            "every parameter by -0.1 times its grad. The loss does not fall on every step "
            "(the facts count the steps where it rose), but over 20 steps it falls far: "
            "compare its first and last values."
        ),
        make_graph=_tiny_graph,
        make_facts=_tiny_facts,
        seed_figures=(
            SeedFigure("parameters", 41.0, 0.0, "seed 003"),
            SeedFigure("layer 1 parameters", 16.0, 0.0, "seed 003"),
            SeedFigure("layer 2 parameters", 20.0, 0.0, "seed 003"),
            SeedFigure("layer 3 parameters", 5.0, 0.0, "seed 003"),
            SeedFigure("samples", 4.0, 0.0, "seed 003"),
        ),
        config=TINY,
    ),
    Lesson(
        key="moons",
        title="8. Moons and the decision boundary",
        text=(
            "Two interleaved half-moons, 100 points labelled +1 and -1. A 2-16-16-1 MLP "
            "with relu hidden layers and a linear output scores each point; the max-margin "
            "loss with a little L2 regularization trains it, the learning rate decaying "
            "from 1.0 to 0.1 over 100 steps. Watch the boundary bend to separate the moons."
        ),
        make_graph=_moons_graph,
        make_facts=_moons_facts,
        seed_figures=(
            SeedFigure("parameters", 337.0, 0.0, "micrograd's demo"),
            SeedFigure("samples", 100.0, 0.0, "micrograd's demo"),
            SeedFigure("lr at step 1", 1.0, 1e-12, "micrograd's demo"),
            SeedFigure("lr at step 100", 0.109, 1e-12, "micrograd's demo: 1 - 0.9*99/100"),
        ),
        config=MOONS,
    ),
    # -- the bug lab: tui/core/bug_lab.py runs each mistake beside the engine ----------------
    Lesson(
        key="bug-assign",
        title="9. Bug lab: = instead of +=",
        text=(
            "Drop one character from backward: x.grad = d * g instead of x.grad += d * g. "
            "Each contribution then replaces the grad instead of adding to it, so a value "
            "used twice keeps only its last one. In b = a + a, a.grad comes out 1 instead of "
            "2. In the lecture's f = (a*b)*(a+b) at a = -2, b = 3, a.grad is 3 instead of -3 "
            "and b.grad -2 instead of -8: what came through a*b overwrote what came through "
            "a+b. The facts run that buggy backward and the engine's on the same graphs. The "
            "fix, in the engine: engine/backprop.py, propagate() and backward() add, "
            "x.grad += d * g, so every use's contribution counts."
        ),
        make_graph=lambda: parse_program(bug_lab.ASSIGN_LECTURE).build(
            bug_lab.ASSIGN_LECTURE_VALUES
        ),
        make_facts=bug_lab.assignment_facts,
        seed_figures=(
            SeedFigure("b = a + a: a.grad with += (engine)", 2.0, 0.0, "by hand: b = 2a"),
            SeedFigure("f = (a*b)*(a+b): a.grad with += (engine)", -3.0, 0.0, "the lecture"),
            SeedFigure("f = (a*b)*(a+b): b.grad with += (engine)", -8.0, 0.0, "the lecture"),
        ),
        expression=bug_lab.ASSIGN_LECTURE,
        values=tuple(bug_lab.ASSIGN_LECTURE_VALUES.items()),
    ),
    Lesson(
        key="bug-order",
        title="10. Bug lab: backward without the topological order",
        text=(
            "micrograd PR #64's example: a = 1, b = a + a, c = b + b, so c = 4a, dc/db = 2 "
            "and dc/da = 4. A recursive backward that runs a node's rule, then recurses into "
            "each operand, as asked in micrograd issues #21 and #68, reaches b once per use: "
            "here c's operands are (b, b). So b's rule runs twice, each time sending its grad of 2 "
            "down both edges, and a.grad comes out 8. One more doubling, d = c + c, and a.grad "
            "is 48 instead of 8: visits multiply, and early ones pass on a grad still growing. "
            "The fix: run each node's rule once, after every node that uses it. "
            "engine/backprop.py, backward() walks reversed(_interior_order(root)): "
            "engine/graph.py's topological_order() without the leaves."
        ),
        make_graph=lambda: parse_program(bug_lab.ORDER_PROGRAM).build(bug_lab.ORDER_VALUES),
        make_facts=bug_lab.order_facts,
        seed_figures=(
            SeedFigure("c: a.grad, engine", 4.0, 0.0, "by hand: c = 4a"),
            SeedFigure("c: b.grad, engine", 2.0, 0.0, "by hand: c = 2b"),
            SeedFigure("d: a.grad, engine", 8.0, 0.0, "by hand: d = 8a"),
        ),
        expression=bug_lab.ORDER_PROGRAM,
        values=tuple(bug_lab.ORDER_VALUES.items()),
    ),
    Lesson(
        key="bug-zero-grad",
        title="11. Bug lab: zero_grad forgotten",
        text=(
            "The engine adds into a leaf's grad, as PyTorch does, so a training loop zeroes "
            "the grads before each backward pass. Forget it and each step's grad is the sum of "
            "every grad so far. One weight fits w*x to y = 4 at x = 2: loss (w*x - y)**2, w "
            "from 0, learning rate 0.05, 10 steps each way. With zero_grad the loss falls on "
            "every step, by a factor 0.36 each time. Forgotten, old grads keep pushing w past "
            "the minimum at 2 and the loss swings up and down: the facts give both sequences. "
            "The fix, in nn: nn/trainer.py, Trainer.forward() first calls "
            "self.model.zero_grad(), and nn/module.py, Module.zero_grad() sets every "
            "parameter's grad to 0. The engine's backward() zeroes only interior nodes."
        ),
        make_graph=lambda: parse_program(bug_lab.FIT_PROGRAM).build(bug_lab.FIT_VALUES),
        make_facts=bug_lab.zero_grad_facts,
        seed_figures=(
            SeedFigure("loss at step 10 with zero_grad", 16 * 0.36**9, 1e-12, "by hand"),
            SeedFigure("steps where the loss rose, with zero_grad", 0.0, 0.0, "by hand"),
        ),
        expression=bug_lab.FIT_PROGRAM,
        values=tuple(bug_lab.FIT_VALUES.items()),
    ),
    Lesson(
        key="bug-tanh",
        title="12. Bug lab: tanh from exp overflows",
        text=(
            "The lecture writes tanh as its formula reads, (e^2x - 1)/(e^2x + 1), with "
            "math.exp. That works until 2x passes 709.78, the log of the largest float: at "
            "x = 355, math.exp(710) raises OverflowError, math range error, the error of "
            "micrograd PRs #29 and #74. The same formula on Values stops at the engine's "
            "exp. Yet tanh(355) is simply 1.0, and its local derivative 1 - t**2 is 0. The "
            "fix: engine/functions.py declares tanh = math.tanh, exact for any input, and "
            "its local derivative d_tanh() as 1 - t * t; Value.tanh() in engine/value.py "
            "builds its node from both. A formula can also be mirrored so that exp never "
            "grows: sigmoid() in engine/functions.py does that for negative x."
        ),
        make_graph=lambda: parse_program(bug_lab.TANH_PROGRAM).build(bug_lab.TANH_VALUES),
        make_facts=bug_lab.tanh_facts,
        seed_figures=(
            SeedFigure("engine tanh(355)", 1.0, 0.0, "by hand: 1 - tanh(355) ≈ 2e-308"),
            SeedFigure("engine dtanh/dx at 355 (1 - t**2)", 0.0, 0.0, "1 - 1.0**2"),
        ),
        expression=bug_lab.TANH_PROGRAM,
        values=tuple(bug_lab.TANH_VALUES.items()),
    ),
    Lesson(
        key="bug-depth",
        title="13. Bug lab: recursion on a 5,000-deep chain",
        text=(
            "micrograd's backward sorts the graph with a recursive function, build_topo: one "
            "Python frame per level of the graph. Python stops a recursion at "
            "sys.getrecursionlimit() frames, so a graph deeper than that, here "
            "y = x + 1 + 1 + ... with 5,000 additions, raises RecursionError: micrograd PR "
            "#90. The facts run that recursive walk for real at this interpreter's limit, "
            "then the engine's on the same chain. The fix: engine/graph.py, "
            "topological_order() is the same depth-first walk with a stack of its own, a "
            "list of (node, iterator over its inputs) frames, so depth costs memory, not "
            "Python frames; engine/backprop.py, _interior_order() walks the same way."
        ),
        make_graph=bug_lab.chain,
        make_facts=bug_lab.depth_facts,
        seed_figures=(
            SeedFigure("engine topological_order(): nodes", 10001.0, 0.0, "by hand: 1 + 2 * 5000"),
            SeedFigure("engine backward(): dy/dx", 1.0, 0.0, "by hand: y = x + 5000"),
        ),
    ),
    # -- generalisation (issue 13) --
    OVERFITTING,
)


def lesson(key: str) -> Lesson:
    """The lesson with this key; a ValueError lists the keys."""
    for candidate in LESSONS:
        if candidate.key == key:
            return candidate
    raise ValueError(f"no lesson {key!r}; the lessons are {', '.join(c.key for c in LESSONS)}")


__all__ = [
    "LESSONS",
    "MOONS",
    "OVERFIT",
    "TINY",
    "Claim",
    "Fact",
    "Lesson",
    "SeedFigure",
    "lesson",
]
