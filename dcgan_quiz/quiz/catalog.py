"""`list`, `show` and `stats`: what the bank contains and how the user is doing.

Tables fold long cells instead of cutting them, so Hangul is never replaced by
an ellipsis in a narrow terminal, and every cell is plain Text, not markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from dcgan_quiz.quiz import render
from dcgan_quiz.quiz.session import format_time
from dcgan_quiz.quiz.store import Attempt, ProgressStore

LANGUAGES = ("en", "ko")


@dataclass(frozen=True)
class QuestionProgress:
    """One question's history in the store."""

    question_id: str
    attempts: int
    last_coverage: float | None
    last_rating: int | None
    next_due: datetime | None
    history: tuple[Attempt, ...]


def collect_progress(bank, store: ProgressStore) -> list[QuestionProgress]:
    """Return each bank question's attempts and next due time, in bank order."""
    attempts: dict[str, list[Attempt]] = {}
    for attempt in store.attempts(bank.id):
        attempts.setdefault(attempt.question_id, []).append(attempt)
    cards = store.cards(bank.id)
    rows = []
    for question in bank.questions:
        history = attempts.get(question.id, [])
        last = history[-1] if history else None
        card = cards.get(question.id)
        rows.append(
            QuestionProgress(
                question_id=question.id,
                attempts=len(history),
                last_coverage=last.coverage if last else None,
                last_rating=last.rating if last else None,
                next_due=card.due if card else None,
                history=tuple(history),
            )
        )
    return rows


def new_table(*headers: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def due_text(moment: datetime | None) -> str:
    return "new" if moment is None else format_time(moment)


# Below these widths the tables fold ids and headers into slivers, so the
# rows are printed as stacked records instead.
LIST_TABLE_MIN_WIDTH = 100
STATS_TABLE_MIN_WIDTH = 70


def list_questions(bank, store: ProgressStore, console: Console, language: str) -> None:
    """Print the questions as a table, or as stacked records in a narrow terminal."""
    progress = {row.question_id: row for row in collect_progress(bank, store)}
    rows = []
    for question in bank.questions:
        row = progress[question.id]
        rows.append(
            (
                question.id,
                question.topic,
                ", ".join(question.demos) or "-",
                percent(row.last_coverage),
                due_text(row.next_due),
                render.localized(question.prompt, language),
            )
        )
    headers = ("id", "topic", "demo", "last score", "next due", "question")
    print_rows(console, headers, rows, min_width=LIST_TABLE_MIN_WIDTH)


def print_rows(
    console: Console, headers: tuple[str, ...], rows: list[tuple], *, min_width: int
) -> None:
    """Print a table whose first column is an id, or stacked records if narrow."""
    if console.width < min_width:
        for values in rows:
            console.print(Text(values[0], style="bold"))
            for header, value in zip(headers[1:], values[1:], strict=True):
                console.print(Text(f"  {header}: {value}"))
        return
    table = new_table(*headers)
    table.columns[0].no_wrap = True
    for values in rows:
        table.add_row(*(Text(str(value)) for value in values))
    console.print(table)


def list_questions_json(bank, store: ProgressStore) -> list[dict]:
    progress = {row.question_id: row for row in collect_progress(bank, store)}
    items = []
    for question in bank.questions:
        row = progress[question.id]
        items.append(
            {
                "id": question.id,
                "topic": question.topic,
                "demo": question.demos[0] if question.demos else None,
                "demos": list(question.demos),
                "languages": [
                    language
                    for language in LANGUAGES
                    if getattr(question.prompt, language, None)
                ],
                "prompt": {"en": question.prompt.en, "ko": question.prompt.ko},
                "last_coverage": row.last_coverage,
                "next_due": row.next_due.isoformat() if row.next_due else None,
            }
        )
    return items


def show_question(bank, question, console: Console, language: str) -> None:
    """Print everything about one question: prompt, answer, points, sources."""
    render.print_question(console, question, language, index=1, total=1)
    render.print_key_points(console, question, language)
    console.print()
    render.print_review(console, question, bank, language)
    if question.sources:
        console.print(Text("Sources" if language == "en" else "출처", style="bold"))
        for source in question.sources:
            line = f"{render.symbol(console, 'bullet')} {source.title}"
            if source.url:
                line += f" {source.url}"
            console.print(Text(line))


def show_question_json(question) -> dict:
    data = question.model_dump(mode="json")
    data["demos"] = list(question.demos)
    return data


def print_stats(bank, store: ProgressStore, console: Console) -> None:
    headers = ("id", "attempts", "last score", "mean score", "last rating", "next due")
    rows = []
    for row in collect_progress(bank, store):
        scores = [a.coverage for a in row.history if a.coverage is not None]
        mean = sum(scores) / len(scores) if scores else None
        rows.append(
            (
                row.question_id,
                str(row.attempts),
                percent(row.last_coverage),
                percent(mean),
                str(row.last_rating or "-"),
                due_text(row.next_due),
            )
        )
    print_rows(console, headers, rows, min_width=STATS_TABLE_MIN_WIDTH)
    total = store.count_attempts(bank.id)
    console.print(Text(f"{total} attempt(s) stored in {store.path}"))


def stats_json(bank, store: ProgressStore) -> dict:
    rows = collect_progress(bank, store)
    return {
        "bank": bank.id,
        "attempts": store.count_attempts(bank.id),
        "store": str(store.path),
        "questions": [
            {
                "id": row.question_id,
                "attempts": row.attempts,
                "last_coverage": row.last_coverage,
                "last_rating": row.last_rating,
                "next_due": row.next_due.isoformat() if row.next_due else None,
                "history": [
                    {
                        "answered_at": attempt.answered_at.isoformat(),
                        "coverage": attempt.coverage,
                        "rating": attempt.rating,
                        "language": attempt.language,
                        "mode": attempt.mode,
                    }
                    for attempt in row.history
                ],
            }
            for row in rows
        ],
    }
