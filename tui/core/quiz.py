"""Predict, then reveal: before the stepper processes a node, the learner says what grad
one of its operands will have, and the app checks it.

The node about to be processed already has its final grad (every consumer came before
it in the reverse topological order), so the answer is exact and known in advance:

    operand.grad after = operand.grad now + Σ local derivative × node.grad

(one term per position the operand holds: `a * a` adds two).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mg_tui.engine import Value
from mg_tui.tui.core.graph_index import name
from mg_tui.tui.core.numbers import num

RELATIVE = 1e-3  # an answer within 0.1% (or 1e-6 of 0) is right: 3 digits are enough
ABSOLUTE = 1e-6


@dataclass(frozen=True)
class Question:
    """What the operand's grad will be once `node` passes its grad on."""

    node: Value
    operand: Value
    before: float
    expected: float
    terms: tuple[tuple[float, float], ...]  # (local derivative, node.grad) per position

    @property
    def prompt(self) -> str:
        return (
            f"{name(self.node)} (grad {num(self.node.grad)}) is next. "
            f"{name(self.operand)}.grad is {num(self.before)}: what will it be after?"
        )

    @property
    def working(self) -> str:
        """The chain rule with these numbers: `0.0 + -3.0 × -2.0 = 6.0`."""
        terms = " + ".join(f"{num(d)} × {num(g)}" for d, g in self.terms)
        return f"{name(self.operand)}.grad = {num(self.before)} + {terms} = {num(self.expected)}"


def question_for(node: Value, asked: int = 0) -> Question | None:
    """A question about one operand of `node` (they take turns); None for a leaf.

    Unnamed constants are skipped when the node has another operand to ask about.
    """
    operands = list(dict.fromkeys(node.inputs))  # each operand once, in order
    if not operands:
        return None
    named = [x for x in operands if x.label or x.inputs] or operands
    operand = named[asked % len(named)]
    terms = tuple(
        (d, node.grad) for x, d in zip(node.inputs, node.local_grads) if x is operand
    )
    expected = operand.grad
    for d, g in terms:
        expected += d * g  # the order backprop adds them in: the same bits
    return Question(node, operand, operand.grad, expected, terms)


def parse_answer(text: str) -> float:
    """The learner's number; ValueError with one line for anything else."""
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number: type one, e.g. -2.5") from None
    if not math.isfinite(value):
        raise ValueError("type a finite number")
    return value


def is_right(question: Question, answer: float) -> bool:
    return math.isclose(answer, question.expected, rel_tol=RELATIVE, abs_tol=ABSOLUTE)


@dataclass
class Score:
    """Answers right out of questions asked, for the walk on screen."""

    right: int = 0
    asked: int = 0

    def record(self, right: bool) -> None:
        self.asked += 1
        self.right += int(right)

    def __str__(self) -> str:
        return f"quiz {self.right}/{self.asked}"
