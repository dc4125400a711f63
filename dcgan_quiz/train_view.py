"""Terminal rendering of `dcgan-quiz train`: a progress bar, log lines and a summary.

``TrainView`` provides the callbacks that ``dcgan_quiz.dcgan.training.train``
calls. The training code itself never prints.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from dcgan_quiz.dcgan.step import StepMetrics
from dcgan_quiz.dcgan.training import EpochSummary, TrainingPlan, TrainingResult


def format_metrics(metrics: StepMetrics) -> str:
    """Return the step's values in the PyTorch DCGAN example's log format."""
    return (
        f"Loss_D: {metrics.loss_d:.4f} Loss_G: {metrics.loss_g:.4f} "
        f"D(x): {metrics.d_real:.4f} "
        f"D(G(z)): {metrics.d_fake_before:.4f} / {metrics.d_fake_after:.4f}"
    )


class TrainView:
    """Progress bar with ETA and the latest losses, plus a log line every N steps.

    Use it as a context manager around ``train`` and pass its methods as the
    callbacks, then call ``show_summary`` with the result.
    """

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console()
        self.progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("steps"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[metrics]}"),
            console=self.console,
            # The bar disappears when training stops; the log lines and the
            # summary stay.
            transient=True,
        )
        self.task = None
        self.plan: TrainingPlan | None = None

    def __enter__(self) -> TrainView:
        self.progress.start()
        return self

    def __exit__(self, *exception) -> None:
        self.progress.stop()

    def callbacks(self) -> dict[str, Callable]:
        """Return the keyword arguments that connect this view to ``train``."""
        return {
            "on_start": self.on_start,
            "on_step": self.on_step,
            "on_log": self.on_log,
            "on_epoch": self.on_epoch,
        }

    def on_start(self, plan: TrainingPlan) -> None:
        self.plan = plan
        config = plan.config
        processes = f", {plan.world_size} processes" if plan.world_size > 1 else ""
        self.console.print(
            f"Training a {config.image_size}x{config.image_size} DCGAN "
            f"(nc {config.nc}, nz {config.nz}, ngf {config.ngf}, ndf {config.ndf}) "
            f"on {plan.image_count} images, batch {config.batch_size}, "
            f"lr {config.lr:g}, beta1 {config.beta1:g}, device {plan.device}"
            f"{processes}.",
            soft_wrap=True,
        )
        if plan.start_step:
            self.console.print(f"Resuming after step {plan.start_step}.")
        self.task = self.progress.add_task(
            "train",
            total=plan.total_steps,
            completed=plan.start_step,
            metrics="",
        )

    def on_step(self, metrics: StepMetrics) -> None:
        shown = (
            f"Loss_D {metrics.loss_d:.3f}  Loss_G {metrics.loss_g:.3f}  "
            f"D(x) {metrics.d_real:.2f}  "
            f"D(G(z)) {metrics.d_fake_before:.2f}/{metrics.d_fake_after:.2f}"
        )
        self.progress.update(self.task, completed=metrics.step, metrics=shown)

    def on_log(self, metrics: StepMetrics) -> None:
        plan = self.plan
        epoch = (metrics.step - 1) // plan.steps_per_epoch + 1
        self.progress.console.print(
            f"[{epoch}/{plan.epochs}][{metrics.step}/{plan.total_steps}] "
            + format_metrics(metrics),
            highlight=False,
            soft_wrap=True,
        )

    def on_epoch(self, summary: EpochSummary) -> None:
        self.progress.console.print(
            f"epoch {summary.epoch} done: mean Loss_D {summary.mean_loss_d:.4f}, "
            f"mean Loss_G {summary.mean_loss_g:.4f}; samples in "
            f"{summary.grid_path}",
            highlight=False,
            soft_wrap=True,
        )

    def show_summary(self, result: TrainingResult) -> None:
        """Print the counters and every file written."""
        self.console.print(
            f"Trained steps {result.start_step + 1}-{result.step} in "
            f"{result.seconds:.1f} s ({result.images_per_second:.0f} images/s); "
            f"epochs complete: {result.epoch}.",
            highlight=False,
            soft_wrap=True,
        )
        if result.last_metrics is not None:
            self.console.print(
                "Last step: " + format_metrics(result.last_metrics),
                highlight=False,
                soft_wrap=True,
            )
        # Plain lines, not a table, so long paths stay whole for copying.
        rows = [
            ("final samples", result.final_grid),
            ("loss curve", result.loss_curve),
            ("final checkpoint", result.final_checkpoint),
        ]
        if result.grid_paths:
            rows.append(("epoch samples", folder_summary(result.grid_paths)))
            rows.append(("epoch checkpoints", folder_summary(result.checkpoint_paths)))
        self.console.print("Files written:")
        for label, path in rows:
            if path is not None:
                self.console.print(
                    f"  {label + ':':<19}{path}", highlight=False, soft_wrap=True
                )


def folder_summary(paths: list[Path]) -> str:
    """Return "FOLDER (N files, FIRST to LAST)" for a run of per-epoch files."""
    if len(paths) == 1:
        return str(paths[0])
    return (
        f"{paths[0].parent} ({len(paths)} files, {paths[0].name} to {paths[-1].name})"
    )
