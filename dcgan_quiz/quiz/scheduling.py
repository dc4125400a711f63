"""Which questions to ask, and when each comes back, with the FSRS scheduler.

A question never answered is new. One answered before is due when its FSRS due
time has passed. A session asks the due questions first (most overdue first),
then new ones; questions not yet due are left out unless the session crams.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Literal, TypeVar

from fsrs import Card, Rating, Scheduler

from dcgan_quiz.quiz.store import CardRow

Order = Literal["due", "bank", "random"]
ORDERS: tuple[Order, ...] = ("due", "bank", "random")

QuestionT = TypeVar("QuestionT")


def select_questions(
    questions: Sequence[QuestionT],
    cards: dict[str, CardRow],
    *,
    now: datetime,
    order: Order = "due",
    limit: int | None = None,
    cram: bool = False,
    rng: random.Random | None = None,
) -> list[QuestionT]:
    """Return the questions for a session, in the order they are asked.

    Args:
        questions: the bank's questions, each with an ``id``, in bank order.
        cards: scheduler state by question id, for questions seen before.
        order: "due" puts due questions first, most overdue first, then new
            ones in bank order; "bank" keeps bank order; "random" shuffles.
        cram: ask questions that are not due yet too.
    """
    due = [q for q in questions if q.id in cards and cards[q.id].due <= now]
    new = [q for q in questions if q.id not in cards]
    later = [q for q in questions if q.id in cards and cards[q.id].due > now]

    if order == "due":
        due.sort(key=lambda q: cards[q.id].due)
        later.sort(key=lambda q: cards[q.id].due)
        chosen = due + new + (later if cram else [])
    else:
        allowed = {q.id for q in due + new + (later if cram else [])}
        chosen = [q for q in questions if q.id in allowed]
        if order == "random":
            (rng or random.Random()).shuffle(chosen)

    return chosen if limit is None else chosen[:limit]


def next_due(cards: dict[str, CardRow]) -> datetime | None:
    """Return the earliest due time among cards, or None when there are none."""
    return min((row.due for row in cards.values()), default=None)


def review(
    card: dict | None, rating: int, now: datetime, scheduler: Scheduler | None = None
) -> tuple[dict, datetime]:
    """Apply a rating (1 Again to 4 Easy) and return the new card and its due time."""
    current = Card() if card is None else Card.from_dict(card)
    updated, _log = (scheduler or Scheduler()).review_card(
        current, Rating(rating), review_datetime=now
    )
    return updated.to_dict(), updated.due
