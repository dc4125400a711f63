"""The PNG behind `dcgan-quiz stats --plot`: key-point coverage over time.

It lives outside the quiz package, which never imports matplotlib, so that the
quiz commands start fast.
"""

from __future__ import annotations

from pathlib import Path

from dcgan_quiz.quiz.catalog import collect_progress
from dcgan_quiz.quiz.store import ProgressStore

SUFFIXES = (".png", ".svg", ".pdf")


class PlotPathError(ValueError):
    """The plot cannot be written to the requested path."""


def check_plot_path(path: Path) -> None:
    """Raise PlotPathError unless the path names a new image in an existing folder."""
    if path.suffix.lower() not in SUFFIXES:
        raise PlotPathError(
            f"--plot {path}: the file name must end in {', '.join(SUFFIXES)}"
        )
    if path.is_dir():
        raise PlotPathError(f"--plot {path} is a folder; name a file inside it")
    if not path.parent.is_dir():
        raise PlotPathError(f"--plot {path}: the folder {path.parent} does not exist")


def plot_coverage(bank, store: ProgressStore, path: Path) -> None:
    """Write a PNG, SVG or PDF of each question's coverage over time.

    Raises:
        PlotPathError: the path has another suffix or its folder is missing.
    """
    check_plot_path(path)
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4.5))
    for row in collect_progress(bank, store):
        points = [
            (a.answered_at, a.coverage) for a in row.history if a.coverage is not None
        ]
        if points:
            times, scores = zip(*points, strict=True)
            axes.plot(
                times,
                [score * 100 for score in scores],
                marker="o",
                label=row.question_id,
            )
    axes.set_ylim(-5, 105)
    axes.set_ylabel("key points covered (%)")
    axes.set_xlabel("answered at")
    axes.set_title(f"Coverage over time: bank {bank.id}")
    if axes.lines:
        axes.legend(fontsize="small", loc="lower right")
    figure.autofmt_xdate()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
