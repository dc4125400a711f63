"""Tests for dcgan_quiz.questions.validate: problems of many files and their output."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from dcgan_quiz.questions.loader import Problem
from dcgan_quiz.questions.validate import render_validation, validate_paths

from .bank_samples import ANSWER_EN, VALID_BANK, bank_with


def recording_console(width: int = 200) -> Console:
    return Console(file=io.StringIO(), width=width, record=True, color_system=None)


def test_validate_clean_bank(write_bank):
    assert validate_paths([write_bank(VALID_BANK)]) == []


def test_validate_reports_all_files(write_bank):
    broken = write_bank(bank_with(ANSWER_EN, "      en: no"), "broken.yaml")
    syntax = write_bank(bank_with(ANSWER_EN, "      en: a: b"), "syntax.yaml")
    good = write_bank(VALID_BANK.replace("id: sample", "id: good"), "good.yaml")
    problems = validate_paths([broken, syntax, good])
    assert [problem.path for problem in problems] == [broken, syntax]


def test_validate_missing_file(tmp_path):
    (problem,) = validate_paths([tmp_path / "absent.yaml"])
    assert problem.message == "file not found; check the path"


def test_render_clean_summary():
    console = recording_console()
    assert render_validation([], 2, console) == 0
    assert console.export_text() == "2 bank(s) valid\n"


def test_render_problems_and_summary():
    problems = [
        Problem(Path("a.yaml"), 3, None, "first"),
        Problem(Path("a.yaml"), 5, 2, "second"),
        Problem(Path("b.yaml"), None, None, "third"),
    ]
    console = recording_console()
    assert render_validation(problems, 2, console) == 1
    assert console.export_text().splitlines() == [
        "a.yaml:3: first",
        "a.yaml:5:2: second",
        "b.yaml: third",
        "3 problem(s) in 2 file(s)",
    ]


def test_render_prints_markup_verbatim():
    message = "x[i] and labels[real] = 1, [bold]loud[/bold] [/] [/INST] :smile:"
    console = recording_console()
    render_validation([Problem(Path("a.yaml"), 1, None, message)], 1, console)
    assert console.export_text().splitlines()[0] == f"a.yaml:1: {message}"


def test_render_keeps_long_problem_on_one_line():
    message = "unknown key `hint`; allowed keys: " + ", ".join(["key"] * 20)
    console = recording_console(width=40)
    render_validation([Problem(Path("a.yaml"), 1, None, message)], 1, console)
    assert console.export_text().splitlines()[0] == f"a.yaml:1: {message}"


def test_render_real_problems_from_bank(write_bank):
    path = write_bank(bank_with(ANSWER_EN, "      en: x[i] [bold]: y"))
    problems = validate_paths([path])
    console = recording_console()
    assert render_validation(problems, 1, console) == 1
    output = console.export_text()
    assert 'e.g. en: "x[i] [bold]: y"' in output
    assert output.endswith("1 problem(s) in 1 file(s)\n")


def test_unknown_demo_name_is_reported_with_line(tmp_path):
    bank = tmp_path / "bank.yaml"
    text = (
        (Path(__file__).parents[2] / "tests" / "quiz" / "mini_bank.yaml")
        .read_text(encoding="utf-8")
        .replace("demo: adam", "demo: adamw")
    )
    bank.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    demo: adamw") + 1

    problems = validate_paths([bank], known_demos=("adam", "leaky-relu"))

    assert [problem.line for problem in problems] == [line]
    assert "unknown demo 'adamw'" in problems[0].message
    assert "adam, leaky-relu" in problems[0].message


def test_builtin_bank_names_only_real_demos():
    from dcgan_quiz.demos.catalog import NAMES
    from dcgan_quiz.questions.loader import builtin_bank_dir

    assert validate_paths([builtin_bank_dir() / "dcgan.yaml"], known_demos=NAMES) == []
