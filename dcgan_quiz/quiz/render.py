"""Rich rendering of questions, grades and model answers.

Bank content and user text can hold square brackets (``x[i]``, ``[/INST]``,
``labels[real] = 1``) that Rich would read as markup, so every piece of it goes
through ``rich.text.Text`` and is printed verbatim. Only fixed styles are markup.
"""

from __future__ import annotations

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dcgan_quiz.quiz.grading import Grade
from dcgan_quiz.quiz.messages import message

# Marks drawn with characters outside legacy code pages such as cp949; each has
# an ASCII stand-in for a console that cannot encode it.
SYMBOLS = {
    "covered": ("✓", "+"),
    "missed": ("✗", "x"),
    "bullet": ("•", "*"),
    "arrow": ("→", "->"),
    "prompt": ("›", ">"),
}


def symbol(console: Console, name: str) -> str:
    """Return the named mark, or its ASCII stand-in if the console cannot show it."""
    fancy, plain = SYMBOLS[name]
    try:
        fancy.encode(console.encoding)
    except (UnicodeEncodeError, LookupError):
        return plain
    return fancy


def localized(text, language: str) -> str:
    """Return the language's version of a bank text (a mapping of en and ko)."""
    return getattr(text, language)


def demo_command(name: str) -> str:
    return f"dcgan-quiz demo {name}"


def print_plain(console: Console, content: str, style: str = "") -> None:
    console.print(Text(content, style=style))


def print_question(
    console: Console, question, language: str, *, index: int, total: int
) -> None:
    header = message(
        "question_header",
        language,
        index=index,
        total=total,
        topic=question.topic,
        id=question.id,
    )
    console.print()
    console.print(Text(header, style="bold cyan"))
    console.print(
        Panel(Text(localized(question.prompt, language)), box=box.ROUNDED, expand=True)
    )


def print_grade(console: Console, question, grade: Grade, language: str) -> None:
    """Show each key point as covered or missed, then the coverage line."""
    table = Table(
        title=message("key_points", language),
        box=box.SIMPLE,
        show_header=False,
        expand=True,
        title_justify="left",
    )
    table.add_column("status", no_wrap=True)
    table.add_column("point", overflow="fold", ratio=1)
    points_by_id = {point.id: point for point in question.key_points}
    for result in grade.points:
        label = message("covered" if result.covered else "missed", language)
        mark = Text(
            symbol(console, "covered" if result.covered else "missed") + " " + label,
            style="green" if result.covered else "red",
        )
        table.add_row(
            mark, Text(localized(points_by_id[result.point_id].text, language))
        )
    console.print(table)
    console.print(
        Text(
            message(
                "coverage",
                language,
                covered=grade.covered_count,
                total=len(grade.points),
            ),
            style="bold",
        )
    )


def print_key_points(console: Console, question, language: str) -> None:
    """List the key points without grading, for flash mode and `show`."""
    console.print(Text(message("key_points", language), style="bold"))
    for point in question.key_points:
        console.print(
            Text(f"{symbol(console, 'bullet')} " + localized(point.text, language))
        )


def print_model_answer(console: Console, question, language: str) -> None:
    console.print(
        Panel(
            Text(localized(question.answer, language).strip()),
            title=Text(message("model_answer", language)),
            title_align="left",
            border_style="green",
            expand=True,
        )
    )


def print_misconceptions(console: Console, question, language: str) -> None:
    if not question.misconceptions:
        return
    console.print(Text(message("misconceptions", language), style="bold yellow"))
    for item in question.misconceptions:
        claim = Text(
            f"{symbol(console, 'missed')} {message('claim', language)}: ",
            style="yellow",
        )
        claim.append(localized(item.claim, language), style="")
        correction = Text(
            f"{symbol(console, 'covered')} {message('correction', language)}: ",
            style="green",
        )
        correction.append(localized(item.correction, language), style="")
        console.print(Group(claim, correction, Text("")))


def print_challenge(console: Console, misconception, language: str) -> None:
    """Quote a wrong claim as an interviewer would, asking what is wrong."""
    console.print(Text(message("challenge", language), style="bold yellow"))
    console.print(
        Panel(Text(localized(misconception.claim, language)), border_style="yellow")
    )
    console.print(Text(message("write_hint", language), style="dim"))


def print_follow_ups(console: Console, question, bank, language: str) -> None:
    if not question.follow_ups:
        return
    questions = {item.id: item for item in bank.questions}
    console.print(Text(message("follow_ups", language), style="bold"))
    for follow_up_id in question.follow_ups:
        follow_up = questions.get(follow_up_id)
        if follow_up is not None:
            line = Text(f"{symbol(console, 'arrow')} {follow_up_id}: ", style="cyan")
            line.append(localized(follow_up.prompt, language), style="")
            console.print(line)


def print_demos(console: Console, question, language: str) -> None:
    for name in question.demos:
        line = Text(
            message("demo", language, command=demo_command(name)), style="magenta"
        )
        console.print(line)


def print_review(console: Console, question, bank, language: str) -> None:
    """Everything shown after an answer: model answer, mistakes, follow-ups, demos."""
    print_model_answer(console, question, language)
    print_misconceptions(console, question, language)
    print_follow_ups(console, question, bank, language)
    print_demos(console, question, language)
