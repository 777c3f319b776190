"""The quiz's questions: the operand's grad after the node, known before it is processed."""

from __future__ import annotations

import pytest
from mg_tui.engine import Value
from mg_tui.tui.core.quiz import Score, is_right, parse_answer, question_for


def test_the_answer_is_what_backprop_then_gives() -> None:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    e = a * b
    e.grad = -2.0  # as in the lecture, once L = (e + c) * f has passed its grad down
    question = question_for(e)
    assert question.operand is a and question.before == 0.0
    assert question.expected == 6.0  # 0 + b.data × e.grad = -3 × -2
    assert question.working == "a.grad = 0.0 + -3.0 × -2.0 = 6.0"
    assert "a.grad is 0.0" in question.prompt
    second = question_for(e, asked=1)
    assert second.operand is b and second.expected == -4.0  # a.data × e.grad


def test_an_operand_used_twice_collects_both_terms() -> None:
    a = Value(3.0, "a")
    square = a * a
    square.grad = 1.0
    question = question_for(square)
    assert question.expected == 6.0 and len(question.terms) == 2


def test_unnamed_constants_are_not_asked_about() -> None:
    x = Value(0.5, "x")
    doubled = x * 2
    doubled.grad = 1.0
    assert question_for(doubled).operand is x
    assert question_for(Value(1.0, "leaf")) is None


def test_answers_are_judged_to_three_digits() -> None:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    e = a * b
    e.grad = -2.0
    question = question_for(e)
    assert is_right(question, 6.0) and is_right(question, 6.004)
    assert not is_right(question, 6.1) and not is_right(question, -6.0)


def test_a_bad_answer_is_one_line() -> None:
    with pytest.raises(ValueError, match="'six' is not a number"):
        parse_answer(" six ")
    with pytest.raises(ValueError, match="finite"):
        parse_answer("inf")
    assert parse_answer(" -2.5 ") == -2.5


def test_the_score_counts() -> None:
    score = Score()
    score.record(True)
    score.record(False)
    assert str(score) == "quiz 1/2"
