import io
import random
import unicodedata
from datetime import UTC, datetime

import pytest
from rich.console import Console

from dcgan_quiz.questions.loader import load_bank
from dcgan_quiz.quiz.session import Session, SessionOptions
from dcgan_quiz.quiz.store import ProgressStore
from dcgan_quiz.quiz.terminal import StreamInput

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def bank(mini_bank_path):
    return load_bank(mini_bank_path)


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "store") as opened:
        yield opened


def run_session(bank, store, typed, *, source=None, demo_runs=None, **options):
    console = Console(file=io.StringIO(), width=200, record=True, color_system=None)
    options.setdefault("order", "bank")
    session = Session(
        bank,
        store,
        SessionOptions(**options),
        console=console,
        source=source or StreamInput(io.StringIO(typed)),
        clock=lambda: NOW,
        rng=random.Random(0),
        run_demo=None if demo_runs is None else demo_runs.append,
    )
    outcome = session.run()
    return outcome, console.export_text()


def saved(store):
    return [(a.question_id, a.rating) for a in store.attempts("mini")]


def test_two_answers_are_graded_and_saved(bank, store):
    typed = "lr 2e-4, beta1 0.5\n\n\n생성자는 노이즈를 이미지로 바꾼다\n\n4\n"
    outcome, screen = run_session(bank, store, typed, limit=2)

    assert outcome.reason == "finished"
    assert outcome.exit_code == 0
    assert saved(store) == [("why-adam", 3), ("generator-role", 4)]
    assert "You made 2 of 3 key points." in screen
    assert "You made 2 of 2 key points." in screen


def test_short_input_saves_answered_and_ends(bank, store):
    outcome, screen = run_session(bank, store, "lr 2e-4\n")
    assert outcome.reason == "end_of_input"
    assert outcome.exit_code == 0
    assert saved(store) == [("why-adam", 2)]
    assert "End of input. 1 answer(s) saved" in screen


def test_no_input_saves_nothing_and_ends(bank, store):
    outcome, _ = run_session(bank, store, "")
    assert outcome.reason == "end_of_input"
    assert saved(store) == []


class InterruptAfter(StreamInput):
    """Raises KeyboardInterrupt, as Ctrl-C does, once the given lines are read."""

    def read_answer(self, prompt):
        if self.stream.tell() >= len(self.stream.getvalue()):
            raise KeyboardInterrupt
        return super().read_answer(prompt)


def test_interrupt_keeps_first_answer(bank, store):
    source = InterruptAfter(io.StringIO("beta1 0.5\n\n3\n"))
    outcome, screen = run_session(bank, store, "", source=source)
    assert outcome.reason == "interrupted"
    assert outcome.exit_code == 130
    assert saved(store) == [("why-adam", 3)]
    assert "Stopped. 1 answer(s) saved" in screen


def test_empty_answer_is_never_correct(bank, store):
    outcome, screen = run_session(bank, store, "\n\n", limit=1)
    assert saved(store) == [("why-adam", 1)]
    assert "Empty answer" in screen
    assert list(store.attempts("mini"))[0].coverage == 0.0


def test_markup_in_content_and_answer_prints_verbatim(bank, store):
    answer = "labels[real] = 1, x[i], [/INST] and [bold]not bold[/bold]"
    outcome, screen = run_session(bank, store, answer + "\n\n\n", limit=1)
    assert "[bold] and x[i] stays verbatim" in screen
    stored = list(store.attempts("mini"))[0].answer
    assert stored == answer


def test_korean_content_markup_verbatim(bank, store):
    _, screen = run_session(bank, store, "\n\n", limit=1, language="ko")
    assert "[/INST] 같은 대괄호도" in screen


def test_nfd_answer_is_stored_as_nfc_and_graded(bank, store):
    answer = unicodedata.normalize("NFD", "생성자는 노이즈로 이미지를 만든다")
    run_session(bank, store, answer + "\n\n\n", topic="architecture")
    stored = list(store.attempts("mini"))[0]
    assert stored.answer == unicodedata.normalize("NFC", answer)
    assert stored.coverage == 1.0


def test_piped_junk_rating_takes_suggestion_and_keeps_step(bank, store):
    typed = "beta1 0.5\n\ngood\nnoise to image generator\n\n1\n"
    _, screen = run_session(bank, store, typed, limit=2)
    assert "'good' is not a rating" in screen
    assert "Saved with the suggested rating instead." in screen
    assert saved(store) == [("why-adam", 2), ("generator-role", 1)]


class TypedInput(StreamInput):
    """A stream that reports itself as a terminal, where keys are retried."""

    interactive = True


def test_terminal_junk_rating_is_asked_again(bank, store):
    source = TypedInput(io.StringIO("beta1 0.5\n\nx\n1\n"))
    _, screen = run_session(bank, store, "", source=source, limit=1)
    assert "'x' is not a rating" in screen
    assert saved(store) == [("why-adam", 1)]


@pytest.mark.parametrize("typed", ["３", " 3 ", "G"])
def test_rating_keys_are_normalized(bank, store, typed):
    run_session(bank, store, f"beta1 0.5\n\n{typed}\n", limit=1)
    assert saved(store) == [("why-adam", 3)]


@pytest.mark.parametrize("typed", ["Ⅲ", "٣", "x"])
def test_choice_rejects_non_ascii_digits(bank, store, typed):
    _, screen = run_session(bank, store, f"{typed}\n1\n", mode="choice", limit=1)
    assert "is not one of the choices" in screen
    assert len(saved(store)) == 1


@pytest.mark.parametrize("typed", ["²", "①", "２"])
def test_choice_reads_compatibility_digits(bank, store, typed):
    _, screen = run_session(bank, store, f"{typed}\n", mode="choice", limit=1)
    assert "is not one of the choices" not in screen
    assert len(saved(store)) == 1


def test_invalid_utf8_answer_is_saved(bank, store):
    answer = b"beta1 \xff 0.5".decode("utf-8", "surrogateescape")
    run_session(bank, store, answer + "\n\n\n", limit=1)
    assert list(store.attempts("mini"))[0].answer == "beta1 \ufffd 0.5"


def test_copied_prompt_counts_as_again(bank, store):
    _, screen = run_session(bank, store, "Why Adam with lr 2e-4 and beta1 0.5?\n\n\n")
    assert "That repeats the question" in screen
    assert saved(store)[0] == ("why-adam", 1)


def test_end_of_input_at_rebuttal_saves_graded_answer(bank, store):
    outcome, _ = run_session(bank, store, "lr 2e-4 beta1 0.5\n", mode="interview")
    assert outcome.reason == "end_of_input"
    assert saved(store) == [("why-adam", 3)]


def test_rebuttal_is_stored(bank, store):
    typed = "lr 2e-4\n\nthe paper lowered momentum\n\n\n"
    run_session(bank, store, typed, mode="interview", limit=1)
    assert list(store.attempts("mini"))[0].rebuttal == "the paper lowered momentum"


class InterruptAtRating(StreamInput):
    def read_choice(self, prompt):
        raise KeyboardInterrupt


def test_interrupt_at_rating_saves_with_suggestion(bank, store):
    source = InterruptAtRating(io.StringIO("lr 2e-4 beta1 0.5\n\n"))
    outcome, _ = run_session(bank, store, "", source=source)
    assert outcome.reason == "interrupted"
    assert saved(store) == [("why-adam", 3)]


def test_korean_layout_letter_keys_rate(bank, store):
    run_session(bank, store, "beta1 0.5\n\nㅎ\n", limit=1)
    assert saved(store) == [("why-adam", 3)]


def test_demo_key_runs_linked_demo_then_asks_again(bank, store):
    runs = []
    run_session(bank, store, "beta1 0.5\n\nd\n2\n", limit=1, demo_runs=runs)
    assert runs == ["adam"]
    assert saved(store) == [("why-adam", 2)]


def test_second_session_asks_only_due_questions(bank, store):
    run_session(bank, store, "a\n\n4\n" * 3)
    outcome, screen = run_session(bank, store, "")
    assert outcome.reason == "nothing_due"
    assert "Nothing is due" in screen
    outcome, _ = run_session(bank, store, "a\n\n\n", cram=True, limit=1)
    assert outcome.saved == 1


def test_choice_mode_right_and_wrong(bank, store):
    # With rng seed 0 the two options of why-adam are shown in a fixed order;
    # answer both numbers over two sessions and expect one Good, one Again.
    run_session(bank, store, "1\n", mode="choice", limit=1, cram=True)
    run_session(bank, store, "2\n", mode="choice", limit=1, cram=True)
    ratings = sorted(rating for _, rating in saved(store))
    assert ratings == [1, 3]


def test_choice_mode_reasks_invalid_number(bank, store):
    _, screen = run_session(bank, store, "7\n1\n", mode="choice", limit=1)
    assert "'7' is not one of the choices" in screen
    assert len(saved(store)) == 1


def test_flash_mode_saves_self_rating(bank, store):
    run_session(bank, store, "I would say Adam\n2\n", mode="flash", limit=1)
    attempt = list(store.attempts("mini"))[0]
    assert attempt.rating == 2
    assert attempt.coverage is None


def test_interview_asks_follow_up_after_missed_points(bank, store):
    # why-adam: answer, rebuttal of the quoted mistake, rating; then its follow-up.
    typed = "lr 2e-4\n\nmomentum was lowered\n\n\nnoise to image\n\n\n"
    _, screen = run_session(bank, store, typed, mode="interview", topic="optimizer")
    assert [question for question, _ in saved(store)] == ["why-adam", "generator-role"]
    assert "The interviewer pushes back" in screen
    assert "Adam escapes local minima with momentum." in screen


def test_retry_wrong_asks_again_at_end(bank, store):
    typed = "\n1\nbinary\n\n\n"
    run_session(bank, store, typed, topic="loss", retry_wrong=True)
    assert saved(store) == [("third", 1), ("third", 4)]
