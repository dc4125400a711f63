"""Check bank files and print their problems, for ``dcgan-quiz validate``."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from dcgan_quiz.questions.loader import BankError, Problem, load_banks


def validate_paths(paths: list[Path]) -> list[Problem]:
    """Return the problems of all bank files in ``paths``, in file and line order.

    Every file is checked, so a broken first file does not hide problems in the
    others. Two files with the same bank id are a problem too.
    """
    try:
        load_banks(paths)
    except BankError as error:
        return error.problems
    return []


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
