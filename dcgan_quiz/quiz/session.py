"""The quiz session behind `dcgan-quiz start`.

A session picks questions with the scheduler, asks each in the chosen mode,
shows the grade and the model answer, takes the user's rating and saves the
attempt at once. Console, input, clock and timer are parameters so that tests
drive a session with a StringIO and a fixed clock.

Modes:
- write: type an answer; it is graded by key points, then rated.
- interview: write, and when points were missed, the question's follow-ups
  are asked next, as an interviewer digs into a weak answer.
- flash: think or say the answer, reveal the model answer, rate yourself.
- choice: pick one of the options; right is Good, wrong is Again.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from rich.console import Console
from rich.text import Text

from dcgan_quiz.quiz import render
from dcgan_quiz.quiz.grading import Grade, Rating, grade, repeats_prompt
from dcgan_quiz.quiz.messages import message, rating_name
from dcgan_quiz.quiz.scheduling import Order, next_due, review, select_questions
from dcgan_quiz.quiz.store import Attempt, ProgressStore, utc_now
from dcgan_quiz.quiz.terminal import KOREAN_LAYOUT_KEYS, EndOfInput, InputSource
from dcgan_quiz.quiz.text import clean_input

Mode = Literal["write", "flash", "choice", "interview"]
MODES: tuple[Mode, ...] = ("write", "flash", "choice", "interview")

EXIT_OK = 0
EXIT_INTERRUPTED = 130  # the shell convention for a process stopped by SIGINT

RATING_KEYS = {"1": 1, "2": 2, "3": 3, "4": 4, "a": 1, "h": 2, "g": 3, "e": 4}
DEMO_KEY = "d"


@dataclass(frozen=True)
class SessionOptions:
    language: str = "en"
    mode: Mode = "write"
    order: Order = "due"
    limit: int | None = None
    topic: str | None = None
    cram: bool = False
    retry_wrong: bool = False


@dataclass
class SessionOutcome:
    saved: int = 0
    reason: Literal[
        "finished", "interrupted", "end_of_input", "nothing_due", "no_questions"
    ] = "finished"
    ratings: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return EXIT_INTERRUPTED if self.reason == "interrupted" else EXIT_OK


@dataclass(frozen=True)
class Response:
    """The user's response to one question, before it is saved."""

    answer: str
    coverage: float | None
    covered_points: tuple[str, ...]
    rating: int
    rebuttal: str | None = None


class Session:
    def __init__(
        self,
        bank,
        store: ProgressStore,
        options: SessionOptions,
        *,
        console: Console,
        source: InputSource,
        clock: Callable[[], datetime] = utc_now,
        timer: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
        run_demo: Callable[[str], None] | None = None,
    ) -> None:
        self.bank = bank
        self.store = store
        self.options = options
        self.console = console
        self.source = source
        self.clock = clock
        self.timer = timer
        self.rng = rng or random.Random()
        self.run_demo = run_demo
        self.language = options.language
        self.outcome = SessionOutcome()
        self.elapsed = 0.0  # seconds the user took on the current question
        # Ctrl-C or end of input that arrived after an answer was graded: the
        # answer is saved with the suggested rating first, then the stop is raised.
        self.pending_stop: BaseException | None = None
        self.prompt_mark = render.symbol(console, "prompt") + " "

    def run(self) -> SessionOutcome:
        """Ask the selected questions; stop cleanly on Ctrl-C or end of input."""
        queue = self.select()
        if not queue:
            return self.outcome
        try:
            self.ask_all(queue)
        except KeyboardInterrupt:
            self.outcome.reason = "interrupted"
        except EndOfInput:
            self.outcome.reason = "end_of_input"
        self.print_summary()
        return self.outcome

    def select(self) -> list:
        questions = [
            question
            for question in self.bank.questions
            if self.options.topic is None or question.topic == self.options.topic
        ]
        if not questions:
            self.outcome.reason = "no_questions"
            filters = f"--topic {self.options.topic}"
            render.print_plain(
                self.console, message("no_questions", self.language, filters=filters)
            )
            return []
        cards = self.store.cards(self.bank.id)
        chosen = select_questions(
            questions,
            cards,
            now=self.clock(),
            order=self.options.order,
            limit=self.options.limit,
            cram=self.options.cram,
            rng=self.rng,
        )
        if not chosen:
            self.outcome.reason = "nothing_due"
            due = next_due(
                {
                    key: cards[key]
                    for key in cards
                    if key in {question.id for question in questions}
                }
            )
            shown = format_time(due) if due else "-"
            render.print_plain(
                self.console, message("nothing_due", self.language, due=shown)
            )
        return chosen

    def ask_all(self, queue: list) -> None:
        asked: set[str] = set()
        position = 0
        while position < len(queue):
            question = queue[position]
            position += 1
            asked.add(question.id)
            response = self.ask(question, index=position, total=len(queue))
            self.save(question, response)
            self.raise_pending_stop()
            if self.options.mode == "interview" and (response.coverage or 0) < 1.0:
                follow_ups = self.pending_follow_ups(question, asked, queue[position:])
                if follow_ups:
                    render.print_plain(
                        self.console, message("follow_up_header", self.language), "bold"
                    )
                    queue[position:position] = follow_ups

        if self.options.retry_wrong:
            retry = [q for q in queue if self.outcome.ratings.get(q.id) == Rating.AGAIN]
            if retry:
                render.print_plain(
                    self.console, message("retry_header", self.language), "bold"
                )
                for index, question in enumerate(retry, start=1):
                    response = self.ask(question, index=index, total=len(retry))
                    self.save(question, response)
                    self.raise_pending_stop()

    def pending_follow_ups(self, question, asked: set[str], upcoming: list) -> list:
        by_id = {item.id: item for item in self.bank.questions}
        upcoming_ids = {item.id for item in upcoming}
        return [
            by_id[follow_up_id]
            for follow_up_id in question.follow_ups
            if follow_up_id in by_id
            and follow_up_id not in asked
            and follow_up_id not in upcoming_ids
        ]

    def raise_pending_stop(self) -> None:
        if self.pending_stop is not None:
            stop, self.pending_stop = self.pending_stop, None
            raise stop

    def ask(self, question, *, index: int, total: int) -> Response:
        render.print_question(
            self.console, question, self.language, index=index, total=total
        )
        mode = self.options.mode
        if mode == "choice" and question.choice is None:
            render.print_plain(
                self.console, message("no_choices", self.language), "dim"
            )
            mode = "write"
        if mode == "choice":
            return self.ask_choice(question)
        if mode == "flash":
            return self.ask_flash(question)
        return self.ask_written(question)

    def ask_written(self, question) -> Response:
        render.print_plain(self.console, message("write_hint", self.language), "dim")
        started = self.timer()
        answer = clean_input(self.source.read_answer(self.prompt_mark))
        self.elapsed = self.timer() - started
        self.echo(answer)

        result = grade(answer, question.key_points, self.term_order())
        if not answer.strip():
            render.print_plain(
                self.console, message("empty_answer", self.language), "red"
            )
        elif repeats_prompt(answer, question.prompt):
            render.print_plain(
                self.console, message("repeated_prompt", self.language), "red"
            )
            result = grade("", question.key_points)
        render.print_grade(self.console, question, result, self.language)

        rebuttal = None
        if self.options.mode == "interview":
            rebuttal = self.challenge_with_misconception(question)
        render.print_review(self.console, question, self.bank, self.language)
        rating = self.confirm_rating(question, result.suggested_rating)
        return Response(
            answer=answer,
            coverage=result.coverage,
            covered_points=covered_ids(result),
            rating=rating,
            rebuttal=rebuttal,
        )

    def challenge_with_misconception(self, question) -> str | None:
        """Quote a wrong claim and return the user's rebuttal of it.

        The rebuttal is stored but not graded: the correction follows in the
        review, and the rating of the question covers both.
        """
        if not question.misconceptions:
            return None
        item = self.rng.choice(question.misconceptions)
        render.print_challenge(self.console, item, self.language)
        try:
            reply = clean_input(self.source.read_answer(self.prompt_mark))
        except (EndOfInput, KeyboardInterrupt) as stop:
            self.pending_stop = stop
            return None
        self.echo(reply)
        return reply

    def ask_flash(self, question) -> Response:
        render.print_plain(self.console, message("flash_hint", self.language), "dim")
        started = self.timer()
        self.source.read_choice("")
        self.elapsed = self.timer() - started
        render.print_key_points(self.console, question, self.language)
        render.print_review(self.console, question, self.bank, self.language)
        rating = self.confirm_rating(question, Rating.GOOD)
        return Response(answer="", coverage=None, covered_points=(), rating=rating)

    def ask_choice(self, question) -> Response:
        options = list(question.choice.options)
        self.rng.shuffle(options)
        for number, option in enumerate(options, start=1):
            line = Text(f"  {number}. ", style="bold")
            line.append(render.localized(option.text, self.language))
            self.console.print(line)
        render.print_plain(self.console, message("choice_hint", self.language), "dim")

        started = self.timer()
        picked = self.read_option_number(len(options))
        self.echo(str(picked))
        self.elapsed = self.timer() - started
        correct_number = next(n for n, o in enumerate(options, start=1) if o.correct)
        right = picked == correct_number
        if right:
            render.print_plain(
                self.console, message("your_choice_right", self.language), "green"
            )
        else:
            render.print_plain(
                self.console,
                message("your_choice_wrong", self.language, number=correct_number),
                "red",
            )
        for number, option in enumerate(options, start=1):
            mark = render.symbol(
                self.console, "covered" if option.correct else "missed"
            )
            line = Text(
                f"  {number}. {mark} ",
                style="green" if option.correct else "yellow",
            )
            line.append(render.localized(option.why, self.language), style="")
            self.console.print(line)
        render.print_review(self.console, question, self.bank, self.language)
        rating = Rating.GOOD if right else Rating.AGAIN
        return Response(
            answer=str(picked),
            coverage=1.0 if right else 0.0,
            covered_points=(),
            rating=int(rating),
        )

    def read_option_number(self, count: int) -> int:
        while True:
            value = as_key(self.source.read_choice(self.prompt_mark))
            if value.isascii() and value.isdigit() and 1 <= int(value) <= count:
                return int(value)
            render.print_plain(
                self.console,
                message("choice_invalid", self.language, value=value, count=count),
                "red",
            )

    def confirm_rating(self, question, suggested: Rating) -> int:
        """Return the rating the user confirms; Enter accepts the suggestion.

        Ctrl-C or the end of input here takes the suggestion, so the answer is
        saved before the session stops. From a pipe, a line that is not a
        rating also takes it, so the next answer is not read as a rating.
        """
        if self.pending_stop is not None:
            return int(suggested)
        demos = question.demos if self.run_demo is not None else []
        prompt = message(
            "rating_prompt",
            self.language,
            suggested=rating_name(suggested, self.language),
            demo_key=message("rating_demo_key", self.language) if demos else "",
        )
        while True:
            render.print_plain(self.console, prompt, "bold")
            try:
                value = as_key(self.source.read_choice(self.prompt_mark))
            except (EndOfInput, KeyboardInterrupt) as stop:
                self.pending_stop = stop
                return int(suggested)
            self.echo(value)
            if value == "":
                return int(suggested)
            if value in RATING_KEYS:
                return RATING_KEYS[value]
            if value == DEMO_KEY and demos:
                for name in demos:
                    self.run_demo(name)
                continue
            render.print_plain(
                self.console,
                message("rating_invalid", self.language, value=value),
                "red",
            )
            if not self.source.interactive:
                render.print_plain(
                    self.console,
                    message("rating_suggestion_taken", self.language),
                    "red",
                )
                return int(suggested)

    def echo(self, text: str) -> None:
        """Repeat piped input on screen, so a transcript shows what was answered.

        A terminal already echoes what the user types.
        """
        if self.source.interactive:
            return
        for line in text.splitlines() or [""]:
            self.console.print(Text(f"{self.prompt_mark}{line}", style="dim"))

    def term_order(self) -> tuple[str, ...]:
        return ("ko", "en") if self.language == "ko" else ("en", "ko")

    def save(self, question, response: Response) -> None:
        now = self.clock()
        previous = self.store.cards(self.bank.id).get(question.id)
        card, due = review(previous.card if previous else None, response.rating, now)
        attempt = Attempt(
            answered_at=now,
            bank=self.bank.id,
            question_id=question.id,
            language=self.language,
            mode=self.options.mode,
            answer=response.answer,
            coverage=response.coverage,
            covered_points=response.covered_points,
            rating=response.rating,
            seconds=round(self.elapsed, 3),
            rebuttal=response.rebuttal,
        )
        self.store.record(attempt, card, due)
        self.outcome.saved += 1
        self.outcome.ratings[question.id] = response.rating
        render.print_plain(
            self.console,
            message(
                "saved",
                self.language,
                rating=rating_name(response.rating, self.language),
                due=format_time(due),
            ),
            "dim",
        )

    def print_summary(self) -> None:
        key = {
            "finished": "session_done",
            "interrupted": "session_interrupted",
            "end_of_input": "session_end_of_input",
        }[self.outcome.reason]
        self.console.print()
        render.print_plain(
            self.console,
            message(key, self.language, count=self.outcome.saved, path=self.store.path),
            "bold",
        )


def as_key(value: str) -> str:
    """Map what was typed at a prompt to a key: full-width digits to ASCII,
    Korean-layout jamo to their Latin keys, lower case, no surrounding space."""
    value = clean_input(value).strip()
    # Look jamo up before NFKC, which turns them into conjoining forms.
    value = KOREAN_LAYOUT_KEYS.get(value, value)
    return unicodedata.normalize("NFKC", value).lower()


def covered_ids(result: Grade) -> tuple[str, ...]:
    return tuple(point.point_id for point in result.points if point.covered)


def format_time(moment: datetime) -> str:
    """Show a UTC time in the user's local zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
