"""Check bank files and print their problems, for ``dcgan-quiz validate``."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from rich.console import Console

from dcgan_quiz.questions.loader import (
    BankError,
    Problem,
    load_bank_with_marks,
    load_banks,
)


def validate_paths(
    paths: list[Path], known_demos: Collection[str] | None = None
) -> list[Problem]:
    """Return the problems of all bank files in ``paths``, in file and line order.

    Every file is checked, so a broken first file does not hide problems in the
    others. Two files with the same bank id are a problem too. With
    ``known_demos``, a question that names any other demo is a problem; the
    caller passes the names because this package does not import the demos.
    """
    try:
        load_banks(paths)
    except BankError as error:
        return error.problems
    if known_demos is None:
        return []
    problems = []
    for path in dict.fromkeys(Path(path) for path in paths):
        problems += unknown_demo_problems(path, known_demos)
    return problems


def unknown_demo_problems(path: Path, known_demos: Collection[str]) -> list[Problem]:
    """Return a problem for each demo name in a valid bank that is not known."""
    bank, parsed = load_bank_with_marks(path)
    problems = []
    for index, question in enumerate(bank.questions):
        for name in question.demos:
            if name in known_demos:
                continue
            mark = parsed.mark_for(("questions", index, "demo"))
            message = (
                f"question '{question.id}': unknown demo '{name}'; "
                f"use one of {', '.join(known_demos)}"
            )
            problems.append(Problem(path, mark.line if mark else None, None, message))
    return problems


def render_validation(
    problems: list[Problem], checked_count: int, console: Console
) -> int:
    """Print each problem and a summary line, and return the exit code.

    The exit code is 0 when there are no problems and 1 otherwise. Messages quote
    bank content, so Rich markup, emoji codes and highlighting are off, and a
    message such as "x[i]" or ":smile:" prints verbatim.
    """
    for problem in problems:
        _print_plain(console, str(problem))
    if not problems:
        _print_plain(console, f"{checked_count} bank(s) valid")
        return 0
    file_count = len({problem.path for problem in problems})
    _print_plain(console, f"{len(problems)} problem(s) in {file_count} file(s)")
    return 1


def _print_plain(console: Console, text: str) -> None:
    # soft_wrap keeps each problem on one line, so `file:line:` stays greppable.
    console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)
