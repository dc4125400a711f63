"""Rich output for ``dcgan-quiz demo`` and ``dcgan-quiz verify``.

Every function takes the console to print on. Text goes through rich.text.Text
or ``markup=False``, because claims and measurement names contain square
brackets ("[-1, 1]") that Rich would otherwise read as markup. Listing the demos
imports neither torch nor matplotlib; running one imports them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dcgan_quiz.demos.catalog import CATALOG
from dcgan_quiz.demos.registry import Demo, get_demo
from dcgan_quiz.demos.result import DemoResult, Measurement, format_value

PASSED_MARKS = {True: "yes", False: "NO", None: "-"}


def listing(language: str) -> list[dict[str, Any]]:
    """Return the demos as JSON-ready dicts with demo, claim and questions."""
    return [
        {
            "demo": info.name,
            "claim": info.claim(language),
            "questions": list(info.questions),
        }
        for info in CATALOG
    ]


def print_listing(console: Console, language: str) -> None:
    table = Table(title=Text("Demos"), show_lines=True)
    table.add_column(Text("demo"), no_wrap=True)
    table.add_column(Text("claim"))
    table.add_column(Text("questions"))
    for entry in listing(language):
        table.add_row(
            Text(entry["demo"]),
            Text(entry["claim"]),
            Text("\n".join(entry["questions"])),
        )
    console.print(table)
    console.print("Run one with: dcgan-quiz demo NAME", markup=False)


def measurement_row(measurement: Measurement) -> list[Text]:
    mark = PASSED_MARKS[measurement.passed]
    style = {"yes": "green", "NO": "bold red"}.get(mark, "")
    return [
        Text(measurement.name),
        Text(format_value(measurement.value)),
        Text(measurement.expectation),
        Text(mark, style=style),
    ]


def print_result(console: Console, result: DemoResult) -> None:
    """Print the measurements table, the threshold, the verdict and the PNG path."""
    table = Table(title=Text(f"{result.demo}: measurements"))
    table.add_column(Text("measurement"))
    table.add_column(Text("value"), justify="right")
    table.add_column(Text("expected"))
    table.add_column(Text("passed"))
    for measurement in result.measurements:
        table.add_row(*measurement_row(measurement))
    console.print(table)
    console.print(Text("Claim: ", style="bold") + Text(result.claim))
    console.print(Text("Threshold: ", style="bold") + Text(result.threshold))
    for note in result.notes:
        console.print(Text(note, style="dim"))
    verdict_style = "bold green" if result.holds else "bold red"
    console.print(Text("Verdict: ", style=verdict_style) + Text(result.verdict))
    mode = "quick" if result.quick else "full"
    console.print(
        f"seed {result.seed}, {result.steps} steps, {mode}, {result.device}, "
        f"{result.seconds:.1f} s",
        markup=False,
    )
    if result.png is not None:
        console.print(Text("Plot: ", style="bold") + Text(str(result.png)))


@contextlib.contextmanager
def progress_bar(
    console: Console, description: str
) -> Iterator[Callable[[int, int], None]]:
    """Show a Rich progress bar; yield the callback(done, total) that moves it."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


def run_demo(
    demo: Demo,
    *,
    console: Console | None,
    language: str,
    out_dir: Path,
    **options: Any,
) -> DemoResult:
    """Run a demo, with a progress bar when a console is given, and return its
    result with the claim in ``language``."""
    from dataclasses import replace

    from dcgan_quiz.demos import plotting

    with plotting.use_language(language):
        if console is None:
            result = demo.run(out_dir=out_dir, progress=None, **options)
        else:
            with progress_bar(console, f"{demo.name} (training)") as update:
                result = demo.run(out_dir=out_dir, progress=update, **options)
    return replace(result, claim=demo.claim(language))


def print_verify(console: Console, results: list[DemoResult]) -> None:
    """Print one row per demo: claim, deciding measurements, holds, seconds."""
    table = Table(title=Text("verify"), show_lines=True)
    table.add_column(Text("demo"), no_wrap=True)
    table.add_column(Text("claim"))
    table.add_column(Text("measured"), overflow="fold")
    table.add_column(Text("holds"))
    table.add_column(Text("seconds"), justify="right")
    for result in results:
        deciding = [m for m in result.measurements if m.passed is not None]
        measured = "\n".join(
            f"{m.name} = {format_value(m.value)} ({m.expectation})" for m in deciding
        )
        table.add_row(
            Text(result.demo),
            Text(result.claim),
            Text(measured),
            Text("yes", style="green")
            if result.holds
            else Text("NO", style="bold red"),
            Text(f"{result.seconds:.1f}"),
        )
    console.print(table)
    held_count = sum(result.holds for result in results)
    total_seconds = sum(result.seconds for result in results)
    console.print(
        f"{held_count} of {len(results)} claims hold; {total_seconds:.1f} s in total.",
        markup=False,
    )


def run_demo_in_session(
    name: str, *, console: Console, data_dir: Path, language: str
) -> None:
    """Run a demo in quick mode from a quiz session and print its result.

    A failure is printed as one line, so the session goes on.
    """
    try:
        demo = get_demo(name)
        result = run_demo(
            demo,
            console=console,
            language=language,
            out_dir=data_dir / "demos" / name,
            cache_dir=data_dir,
            device="auto",
        )
    except (KeyError, ValueError, RuntimeError, OSError) as error:
        console.print(f"Demo {name} failed: {error}", markup=False)
        return
    print_result(console, result)
