import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from dcgan_quiz.quiz.scheduling import next_due, review, select_questions
from dcgan_quiz.quiz.store import CardRow

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
QUESTIONS = [SimpleNamespace(id=name) for name in ("a", "b", "c", "d")]


def card(question_id, hours_from_now):
    return CardRow(question_id, {}, NOW + timedelta(hours=hours_from_now))


def ids(questions):
    return [question.id for question in questions]


CARDS = {"b": card("b", -1), "c": card("c", -5), "d": card("d", 24)}


def test_due_first_most_overdue_then_new():
    assert ids(select_questions(QUESTIONS, CARDS, now=NOW)) == ["c", "b", "a"]


def test_not_due_is_left_out_unless_cramming():
    assert "d" not in ids(select_questions(QUESTIONS, CARDS, now=NOW))
    assert ids(select_questions(QUESTIONS, CARDS, now=NOW, cram=True)) == [
        "c",
        "b",
        "a",
        "d",
    ]


def test_bank_order_and_limit():
    chosen = select_questions(QUESTIONS, CARDS, now=NOW, order="bank", limit=2)
    assert ids(chosen) == ["a", "b"]


def test_random_order_is_seeded():
    first = select_questions(
        QUESTIONS, {}, now=NOW, order="random", rng=random.Random(3)
    )
    second = select_questions(
        QUESTIONS, {}, now=NOW, order="random", rng=random.Random(3)
    )
    assert ids(first) == ids(second)
    assert sorted(ids(first)) == ["a", "b", "c", "d"]


def test_next_due_is_earliest():
    assert next_due(CARDS) == NOW - timedelta(hours=5)
    assert next_due({}) is None


def test_review_again_comes_back_sooner_than_easy():
    _, due_again = review(None, 1, NOW)
    _, due_easy = review(None, 4, NOW)
    assert NOW < due_again < due_easy


def test_review_continues_from_stored_card():
    first, first_due = review(None, 3, NOW)
    second, second_due = review(first, 3, first_due)
    assert second_due > first_due
    assert second["step"] != first["step"] or second["state"] != first["state"]
